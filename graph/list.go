package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

const customerFilters = `
  ($stages IS NULL OR c.stage IN $stages)
  AND ($tiers IS NULL OR c.tier IN $tiers)
  AND ($region IS NULL OR c.region = $region)
  AND ($industry IS NULL OR c.industry = $industry)
  AND ($owner IS NULL OR EXISTS { MATCH (:Rep {id: $owner})-[:OWNS]->(c) })`

// By name, resuming after (name, id): stable however the list changes.
const cypherListCustomers = `
MATCH (c:Customer)
WHERE ` + customerFilters + `
  AND ($afterName IS NULL OR c.name > $afterName OR (c.name = $afterName AND c.id > $afterId))
RETURN ` + customerProjection + `
ORDER BY c.name, c.id
LIMIT $limit`

// By relevance: full-text order has no stable key, so pages resume by offset.
const cypherSearchCustomers = `
CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS c, score
WITH c, score WHERE c:Customer AND ` + customerFilters + `
RETURN ` + customerProjection + `
ORDER BY score DESC, c.id
SKIP $offset LIMIT $limit`

type listCursor struct {
	Name   string `json:"n,omitempty"`
	ID     string `json:"i,omitempty"`
	Offset int    `json:"o,omitempty"`
}

func (c listCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
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

// ListCustomers returns a page of customers matching f, by name (or by
// relevance when f.Text is set), resuming after the cursor `after`.
func (s *Store) ListCustomers(ctx context.Context, f valuegraph.CustomerFilter, first int, after string) (valuegraph.CustomerPage, error) {
	var page valuegraph.CustomerPage
	if first <= 0 || first > 500 {
		return page, valuegraph.FieldError("first", "must be between 1 and 500, got %d", first)
	}
	var cur listCursor
	if after != "" {
		var err error
		if cur, err = decodeCursor(after); err != nil {
			return page, err
		}
	}
	params := map[string]any{
		"stages": nil, "tiers": nil, "region": nullable(f.Region), "industry": nullable(f.Industry), "owner": nullable(f.OwnerID),
		"limit": first + 1,
	}
	if len(f.Stages) > 0 {
		params["stages"] = stringsOf(f.Stages)
	}
	if len(f.Tiers) > 0 {
		params["tiers"] = stringsOf(f.Tiers)
	}
	cypher := cypherListCustomers
	if text := strings.TrimSpace(f.Text); text != "" {
		cypher = cypherSearchCustomers
		escaped := escapeLucene(strings.ToLower(text))
		params["index"], params["query"], params["offset"] = nameIndex, `"`+escaped+`"^4 OR (`+escaped+`)`, cur.Offset
	} else {
		params["afterName"], params["afterId"] = nullable(cur.Name), cur.ID
		if cur.Name == "" && after != "" {
			return page, valuegraph.FieldError("after", "a relevance cursor cannot page a list by name")
		}
	}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer, s.read())
	if err != nil {
		return page, formatError("list customers", err)
	}
	for i, rec := range res.Records {
		if i == first {
			page.HasNext = true
			break
		}
		c := decodeCustomer(props(rec.AsMap()).sub("customer"))
		page.Customers = append(page.Customers, c)
		next := listCursor{Name: c.Name, ID: c.ID}
		if f.Text != "" {
			next = listCursor{Offset: cur.Offset + i + 1}
		}
		page.Cursors = append(page.Cursors, next.encode())
	}
	return page, nil
}

func stringsOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
