package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/valuegraph/valuegraph"
)

const customerFilters = `
  ($stages IS NULL OR c.stage IN $stages)
  AND ($tiers IS NULL OR c.tier IN $tiers)
  AND ($region IS NULL OR c.region = $region)
  AND ($industry IS NULL OR c.industry = $industry)
  AND ($owner IS NULL OR EXISTS { MATCH (:Rep {id: $owner})-[:OWNS]->(c) })
  AND ($replacementMin IS NULL OR c.riskReplacement >= $replacementMin)
  AND ($replacementMax IS NULL OR c.riskReplacement <= $replacementMax)
  AND ($churnMin IS NULL OR c.riskChurn >= $churnMin)
  AND ($churnMax IS NULL OR c.riskChurn <= $churnMax)
  AND ($creditMin IS NULL OR c.riskCredit >= $creditMin)
  AND ($creditMax IS NULL OR c.riskCredit <= $creditMax)
  AND ($need IS NULL OR EXISTS { MATCH (c)<-[:ABOUT]-(:Signal)-[:MENTIONS]->(:Need {id: $need}) })
  AND ($competitor IS NULL
       OR EXISTS { MATCH (c)<-[:ABOUT]-(:Signal)-[:MENTIONS]->(:Competitor {id: $competitor}) }
       OR EXISTS { MATCH (c)<-[:ABOUT]-(:Signal)<-[:WON]-(:Competitor {id: $competitor}) })`

// Where a list starts: every customer, or, when the filter names a need or
// a competitor, only the customers reached from it (a few, not a scan).
const (
	fromAllCustomers = `MATCH (c:Customer)`
	fromNeed         = `MATCH (:Need {id: $need})<-[:MENTIONS]-(:Signal)-[:ABOUT]->(c:Customer) WITH DISTINCT c`
	fromCompetitor   = `MATCH (k:Competitor {id: $competitor})
CALL (k) {
  MATCH (k)<-[:MENTIONS]-(:Signal)-[:ABOUT]->(c:Customer) RETURN c
  UNION
  MATCH (k)-[:WON]->(:Signal)-[:ABOUT]->(c:Customer) RETURN c
}
WITH DISTINCT c`
)

// Each order reads a property with a range index, in index order, resumed
// after (value, id): stable however the list changes, and a page costs its
// own rows, not a sort of every customer. Orders by a score hold the
// customers scored so far. key is what a cursor keeps; after turns it back.
var customerOrders = map[valuegraph.CustomerOrder]struct {
	prop, dir, cmp, key, after string
}{
	valuegraph.OrderByName:            {"c.name", "", ">", "c.name", "$afterKey"},
	valuegraph.OrderByTierScore:       {"c.tierScore", "DESC", "<", "c.tierScore", "$afterKey"},
	valuegraph.OrderByReplacementRisk: {"c.riskReplacement", "DESC", "<", "c.riskReplacement", "$afterKey"},
	valuegraph.OrderByChurnRisk:       {"c.riskChurn", "DESC", "<", "c.riskChurn", "$afterKey"},
	valuegraph.OrderByCreditRisk:      {"c.riskCredit", "DESC", "<", "c.riskCredit", "$afterKey"},
	valuegraph.OrderByLastSignal:      {"c.lastSignalAt", "DESC", "<", "c.lastSignalAt.epochMillis", "datetime({epochMillis: toInteger($afterKey)})"},
}

func cypherListCustomers(from string, order valuegraph.CustomerOrder) string {
	o := customerOrders[order]
	return from + `
WHERE ` + o.prop + ` IS NOT NULL AND ` + customerFilters + `
  AND ($afterId IS NULL OR ` + o.prop + ` ` + o.cmp + ` ` + o.after + ` OR (` + o.prop + ` = ` + o.after + ` AND c.id > $afterId))
WITH c ORDER BY ` + o.prop + ` ` + o.dir + `, c.id LIMIT $limit
RETURN ` + customerProjection + `, ` + o.key + ` AS key`
}

// By relevance (or an order's key): full-text hits have no stable key, so
// pages resume by offset.
func cypherSearchCustomers(order valuegraph.CustomerOrder) string {
	sortBy, key, has := "score DESC", "score", "true"
	if order != "" {
		o := customerOrders[order]
		sortBy, key, has = o.prop+" "+o.dir, o.key, o.prop+" IS NOT NULL"
	}
	return `
CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS c, score
WITH c, score WHERE c:Customer AND ` + has + ` AND ` + customerFilters + `
WITH c, score ORDER BY ` + sortBy + `, c.id SKIP $offset LIMIT $limit
RETURN ` + customerProjection + `, ` + key + ` AS key`
}

type listCursor struct {
	Order  valuegraph.CustomerOrder `json:"b,omitempty"`
	Key    any                      `json:"k,omitempty"`
	ID     string                   `json:"i,omitempty"`
	Offset int                      `json:"o,omitempty"`
}

// encode writes the cursor as JSON by hand, as json.Marshal would (a page
// encodes one per customer, and reflection made that a tenth of a page's
// CPU), falling back to json.Marshal for keys of other types.
func (c listCursor) encode() string {
	b := make([]byte, 0, 96)
	field := func(name string) {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, '"', ':')
	}
	b = append(b, '{')
	if c.Order != "" {
		field("b")
		b = appendJSONString(b, string(c.Order))
	}
	switch k := c.Key.(type) {
	case nil:
	case string:
		field("k")
		b = appendJSONString(b, k)
	case int64:
		field("k")
		b = strconv.AppendInt(b, k, 10)
	case float64:
		if math.IsNaN(k) || math.IsInf(k, 0) {
			return c.encodeReflect()
		}
		field("k")
		b = strconv.AppendFloat(b, k, 'g', -1, 64)
	default:
		return c.encodeReflect()
	}
	if c.ID != "" {
		field("i")
		b = appendJSONString(b, c.ID)
	}
	if c.Offset != 0 {
		field("o")
		b = strconv.AppendInt(b, int64(c.Offset), 10)
	}
	b = append(b, '}')
	return base64.RawURLEncoding.EncodeToString(b)
}

func (c listCursor) encodeReflect() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// appendJSONString appends s as a JSON string: as it is when nothing in it
// needs escaping, through json.Marshal otherwise.
func appendJSONString(b []byte, s string) []byte {
	if !plainJSON(s) {
		j, _ := json.Marshal(s)
		return append(b, j...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainJSON reports whether json.Marshal would write s unchanged between
// quotes: valid UTF-8, no control characters, nothing it escapes.
func plainJSON(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r < 0x20, r == '"', r == '\\', r == '<', r == '>', r == '&', r == '\u2028', r == '\u2029':
			return false
		}
	}
	return true
}

func decodeCursor(s string) (listCursor, error) {
	var c listCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		return c, valuegraph.FieldError("after", "not a cursor this API gave out")
	}
	return c, nil
}

// ListCustomers returns a page of customers matching f, in f's order (by
// name, or by relevance when f.Text is set), resuming after the cursor
// `after`. Text past MaxSearchChars or MaxSearchTerms is EINVALID on text.
func (s *Store) ListCustomers(ctx context.Context, f valuegraph.CustomerFilter, first int, after string) (valuegraph.CustomerPage, error) {
	var page valuegraph.CustomerPage
	if first <= 0 || first > 500 {
		return page, valuegraph.FieldError("first", "must be between 1 and 500, got %d", first)
	}
	text := strings.TrimSpace(f.Text)
	order := f.OrderBy
	if order == "" && text == "" {
		order = valuegraph.OrderByName
	}
	if _, ok := customerOrders[order]; !ok && order != "" {
		return page, valuegraph.FieldError("orderBy", "unknown order %q", order)
	}
	var cur listCursor
	if after != "" {
		var err error
		if cur, err = decodeCursor(after); err != nil {
			return page, err
		}
		if (text != "") != (cur.Key == nil) || cur.Order != order {
			return page, valuegraph.FieldError("after", "the cursor belongs to a list in another order; start again without it")
		}
	}
	params := map[string]any{
		"stages": nil, "tiers": nil, "region": nullable(f.Region), "industry": nullable(f.Industry), "owner": nullable(f.OwnerID),
		"need": nullable(f.NeedID), "competitor": nullable(f.CompetitorID), "limit": first + 1,
	}
	for name, r := range map[string]valuegraph.Range{"replacement": f.Risk.Replacement, "churn": f.Risk.Churn, "credit": f.Risk.Credit} {
		if err := r.Validate(); err != nil {
			return page, valuegraph.FieldError("risk."+name, "%v", err)
		}
		params[name+"Min"], params[name+"Max"] = floatOrNil(r.Min), floatOrNil(r.Max)
	}
	if len(f.Stage) > 0 {
		params["stages"] = stringsOf(f.Stage)
	}
	if len(f.Tier) > 0 {
		params["tiers"] = stringsOf(f.Tier)
	}
	var cypher string
	if text != "" {
		query, err := nameQuery("text", text, true)
		if err != nil {
			return page, err
		}
		cypher = cypherSearchCustomers(order)
		params["index"], params["query"], params["offset"] = nameIndex, query, cur.Offset
	} else {
		from := fromAllCustomers
		switch {
		case f.NeedID != "":
			from = fromNeed
		case f.CompetitorID != "":
			from = fromCompetitor
		}
		cypher = cypherListCustomers(from, order)
		params["afterKey"], params["afterId"] = cur.Key, nullable(cur.ID)
	}
	res, err := s.query(ctx, cypher, params)
	if err != nil {
		return page, formatError("list customers", err)
	}
	for i, rec := range res.Records {
		if i == first {
			page.HasNext = true
			break
		}
		row := props(rec.AsMap())
		c := decodeCustomer(row.sub("customer"))
		page.Customers = append(page.Customers, c)
		next := listCursor{Order: order, Key: row["key"], ID: c.ID}
		if text != "" {
			next = listCursor{Order: order, Offset: cur.Offset + i + 1}
		}
		page.Cursors = append(page.Cursors, next.encode())
	}
	return page, nil
}

func floatOrNil(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func stringsOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
