package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// WriteSummary counts what a batched write did.
type WriteSummary struct {
	Created   int // nodes that did not exist
	Updated   int // nodes that existed and changed
	Unchanged int // nodes whose content was already there (signals: same content hash)

	// Outcomes says, for signals, what happened to each by id.
	Outcomes map[string]Outcome
}

// Outcome is what a write did to one node.
type Outcome string

const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
)

func (s *WriteSummary) Add(o WriteSummary) {
	s.Created += o.Created
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
	for id, out := range o.Outcomes {
		if s.Outcomes == nil {
			s.Outcomes = make(map[string]Outcome, len(o.Outcomes))
		}
		s.Outcomes[id] = out
	}
}

// Aliases accumulate across sources; a field left empty keeps what is known.
// updatedAt moves only when something did (a name, an alias, a field, an
// identifier or the owner), so writing what is there already changes nothing.
const cypherUpsertCustomers = `
UNWIND $rows AS row
OPTIONAL MATCH (existing:Customer {id: row.id})
WITH row, existing IS NULL AS created
MERGE (c:Customer {id: row.id})
ON CREATE SET c.createdAt = datetime(), c.signalCount = 0
WITH c, row, created, ` + customerState + ` AS before
SET c.name = row.name,
    c.aliases = CASE WHEN all(a IN row.aliases WHERE a IN coalesce(c.aliases, [])) THEN coalesce(c.aliases, [])
                     ELSE [a IN coalesce(c.aliases, []) WHERE NOT a IN row.aliases] + row.aliases END,
    c.industry = coalesce(row.industry, c.industry),
    c.region = coalesce(row.region, c.region),
    c.size = coalesce(row.size, c.size)
FOREACH (ident IN row.identifiers |
  MERGE (i:Identifier {key: ident.key})
  ON CREATE SET i.scheme = ident.scheme, i.value = ident.value
  MERGE (c)-[:IDENTIFIED_BY]->(i))
FOREACH (ownerId IN CASE WHEN row.ownerId IS NULL THEN [] ELSE [row.ownerId] END |
  MERGE (r:Rep {id: ownerId})
  MERGE (r)-[:OWNS]->(c))
WITH c, row, created, before
CALL (c, row) {
  OPTIONAL MATCH (other:Rep)-[old:OWNS]->(c)
  WHERE row.ownerId IS NOT NULL AND other.id <> row.ownerId
  DELETE old
}
WITH c, row, created, before <> ` + customerState + ` AS changed
SET c.updatedAt = CASE WHEN created OR changed THEN datetime() ELSE c.updatedAt END
RETURN row.id AS id, CASE WHEN created THEN 'created' WHEN changed THEN 'updated' ELSE 'unchanged' END AS outcome`

// customerState is what an upsert may change on a customer, nulls made
// comparable (a list holding null compares as null, not as different).
const customerState = `[coalesce(c.name, ''), coalesce(c.aliases, []), coalesce(c.industry, ''), coalesce(c.region, ''),
  coalesce(c.size, ''), COUNT { (c)-[:IDENTIFIED_BY]->() }, COLLECT { MATCH (r:Rep)-[:OWNS]->(c) RETURN r.id ORDER BY r.id }]`

// UpsertCustomers creates or updates customers in batches, with their
// identifiers and owner. Every customer is validated first; one bad customer
// rejects the call before anything is written.
func (s *Store) UpsertCustomers(ctx context.Context, customers []valuegraph.Customer) (WriteSummary, error) {
	rows := make([]map[string]any, len(customers))
	for i := range customers {
		c := &customers[i]
		if err := c.Validate(); err != nil {
			return WriteSummary{}, fmt.Errorf("customer %d (%q): %w", i, c.ID, err)
		}
		idents := make([]map[string]any, len(c.Identifiers))
		for j, id := range c.Identifiers {
			idents[j] = map[string]any{"key": id.Key(), "scheme": id.Scheme, "value": id.Value}
		}
		rows[i] = map[string]any{
			"id": c.ID, "name": c.Name, "aliases": list(c.Aliases), "identifiers": idents,
			"industry": nullable(c.Industry), "region": nullable(c.Region), "size": nullable(c.Size),
			"ownerId": nullable(c.OwnerID),
		}
	}
	return s.upsert(ctx, "upsert customers", cypherUpsertCustomers, rows)
}

// upsert runs one UNWIND statement per batch, each batch in its own
// transaction, and adds up the created/total counts the statement returns.
func (s *Store) upsert(ctx context.Context, op, cypher string, rows []map[string]any) (WriteSummary, error) {
	var sum WriteSummary
	err := batches(rows, s.batch, func(batch []map[string]any) error {
		res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, map[string]any{"rows": batch},
			neo4j.EagerResultTransformer, s.write())
		if err != nil {
			return formatError(op, err)
		}
		sum.Add(upsertCounts(res.Records))
		return nil
	})
	return sum, err
}

// upsertCounts reads what an upsert statement returns: one row per node
// with its id and outcome, or one row of created and total counts (where
// every node not created counts as updated).
func upsertCounts(recs []*neo4j.Record) WriteSummary {
	var sum WriteSummary
	for _, rec := range recs {
		if out, isNil, err := neo4j.GetRecordValue[string](rec, "outcome"); err == nil && !isNil {
			id, _, _ := neo4j.GetRecordValue[string](rec, "id")
			o := Outcome(out)
			switch o {
			case Created:
				sum.Created++
			case Updated:
				sum.Updated++
			default:
				sum.Unchanged++
			}
			if sum.Outcomes == nil {
				sum.Outcomes = map[string]Outcome{}
			}
			sum.Outcomes[id] = o
			continue
		}
		created, _, _ := neo4j.GetRecordValue[int64](rec, "created")
		total, _, _ := neo4j.GetRecordValue[int64](rec, "total")
		sum.Created += int(created)
		sum.Updated += int(total - created)
	}
	return sum
}

// customerProjection reads a customer with its identifiers (not its name
// keys) and owner id.
const customerProjection = `c {.*,
  identifiers: COLLECT { MATCH (c)-[:IDENTIFIED_BY]->(i:Identifier) WHERE NOT i.scheme ENDS WITH 'NAME' RETURN i {.scheme, .value} ORDER BY i.key },
  ownerId: COLLECT { MATCH (r:Rep)-[:OWNS]->(c) RETURN r.id }[0]
} AS customer`

// excludedSignals are the signals a rep judged irrelevant to customer c,
// found by the about_excluded index: the customer's competitors, needs and
// pain points leave them out.
const excludedSignals = `COLLECT { MATCH (c)<-[a:ABOUT]-(x:Signal) WHERE a.excludedAt IS NOT NULL RETURN x } AS excluded`

// A person's contact data is read only where it was given for this customer
// and they still work here: under a past employer, or one they moved to
// without giving new data, it would be another customer's (see
// cypherUpsertPeople).
const cypherCustomerNeighbourhood = `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
WITH c, ` + excludedSignals + `
RETURN ` + customerProjection + `,
COLLECT { MATCH (r:Rep)-[:OWNS]->(c) RETURN r {.*} }[0] AS owner,
COLLECT {
  MATCH (p:Person)-[w:WORKS_AT]->(c)
  CALL (p) {
    OPTIONAL MATCH (p)<-[:MENTIONS]-(s:Signal)<-[:LOGGED]-(r:Rep)
    WITH r, count(s) AS n, sum(CASE WHEN 'answered' IN coalesce(s.intents, []) THEN 1 ELSE 0 END) AS answered, max(s.occurredAt) AS last
    ORDER BY last DESC
    RETURN [k IN collect(CASE WHEN r IS NULL THEN NULL ELSE {repId: r.id, contacts: n, answered: answered, lastContact: last} END) WHERE k IS NOT NULL] AS knownBy
  }
  WITH c, p, w, knownBy, w.until IS NULL AND p.contactFor = c.id AS contactHere
  RETURN p {.id, .name, .title, .role, customerId: c.id, since: w.since, until: w.until, knownBy: knownBy,
            email: CASE WHEN contactHere THEN p.email END, phone: CASE WHEN contactHere THEN p.phone END,
            reportsTo: COLLECT { MATCH (p)-[:REPORTS_TO]->(m:Person) RETURN m.id }[0]}
  ORDER BY w.until IS NOT NULL, p.name
} AS people,
COLLECT {
  MATCH (c)<-[:ABOUT]-(s:Signal)-[:MENTIONS]->(k:Competitor) WHERE NOT s IN excluded
  WITH k, count(DISTINCT s) AS n, max(s.occurredAt) AS last
  RETURN {node: k {.*}, mentions: n, lastSeen: last} ORDER BY n DESC, last DESC LIMIT $limit
} AS competitors,
COLLECT {
  MATCH (c)<-[:ABOUT]-(s:Signal)-[:MENTIONS]->(n:Need) WHERE NOT s IN excluded
  WITH n, count(DISTINCT s) AS m, max(s.occurredAt) AS last
  RETURN {node: n {.*}, mentions: m, lastSeen: last} ORDER BY m DESC, last DESC LIMIT $limit
} AS needs,
COLLECT {
  CALL (c) {
    MATCH (c)<-[:ABOUT]-(s:Signal) RETURN s
    UNION
    MATCH (c)-[:WON|SUPPLIED]->(s:Signal) RETURN s
  }
  RETURN ` + signalProjection + `
  ORDER BY s.occurredAt DESC LIMIT $limit
} AS signals`

// The latest assessment too, for a page that shows it beside the rest.
const cypherCustomerNeighbourhoodAssessed = cypherCustomerNeighbourhood + `,
COLLECT { MATCH (c)<-[:OF]-(snap:ScoreSnapshot) RETURN snap.explanation ORDER BY snap.at DESC LIMIT 1 }[0] AS assessment`

// NeighbourhoodOptions bounds what Neighbourhood reads.
type NeighbourhoodOptions struct {
	Limit int // most signals, competitors and needs returned; default 20

	// WithAssessment reads the latest assessment in the same round trip.
	WithAssessment bool
	// History, when set, reads the score history too (see ScoreHistory).
	History *HistoryOptions
}

// HistoryOptions bound a score history: snapshots since a time (all when
// zero), at most Limit.
type HistoryOptions struct {
	Since time.Time
	Limit int
}

// The score history column, for reads that want it with the rest.
const cypherHistoryColumn = `,
COLLECT {
  MATCH (c)<-[:OF]-(snap:ScoreSnapshot) WHERE $historySince IS NULL OR snap.at >= $historySince
  RETURN ` + snapshotProjection + ` ORDER BY snap.at DESC LIMIT $historyLimit
} AS history`

// Neighbourhood reads a customer with its people, owner, the competitors and
// needs its signals mention, and its most recent signals (about it, or won or
// supplied by it), in one round trip. It returns ENOTFOUND when there is no
// such customer.
func (s *Store) Neighbourhood(ctx context.Context, id string, opts NeighbourhoodOptions) (*valuegraph.Neighbourhood, error) {
	ns, err := s.Neighbourhoods(ctx, []string{id}, opts)
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", id)
	}
	return ns[0], nil
}

// Neighbourhoods reads the neighbourhoods of many customers in one round
// trip (the API's loaders batch with it). Ids with no customer are absent
// from the result; the others come in the order asked.
func (s *Store) Neighbourhoods(ctx context.Context, ids []string, opts NeighbourhoodOptions) ([]*valuegraph.Neighbourhood, error) {
	if opts.Limit <= 0 {
		opts.Limit = 20
	}
	cypher := cypherCustomerNeighbourhood
	if opts.WithAssessment {
		cypher = cypherCustomerNeighbourhoodAssessed
	}
	params := map[string]any{"ids": ids, "limit": opts.Limit}
	if h := opts.History; h != nil {
		cypher += cypherHistoryColumn
		params["historySince"], params["historyLimit"] = nil, max(h.Limit, 1)
		if !h.Since.IsZero() {
			params["historySince"] = h.Since.UTC()
		}
	}
	res, err := s.query(ctx, cypher, params)
	if err != nil {
		return nil, formatError("read customers", err)
	}
	byID := map[string]*valuegraph.Neighbourhood{}
	for _, rec := range res.Records {
		n, err := decodeAssessedNeighbourhood(props(rec.AsMap()))
		if err != nil {
			return nil, err
		}
		byID[n.Customer.ID] = n
	}
	out := make([]*valuegraph.Neighbourhood, 0, len(byID))
	for _, id := range ids {
		if n, ok := byID[id]; ok {
			out = append(out, n)
		}
	}
	return out, nil
}

// decodeAssessedNeighbourhood decodes a neighbourhood with its latest
// assessment, when the row has one.
func decodeAssessedNeighbourhood(row props) (*valuegraph.Neighbourhood, error) {
	n := decodeNeighbourhood(row)
	if _, ok := row["history"]; ok {
		n.History = []valuegraph.ScoreSnapshot{}
		for _, p := range row.list("history") {
			n.History = append(n.History, decodeSnapshot(n.Customer.ID, p))
		}
	}
	if raw := row.str("assessment"); raw != "" {
		n.Assessment = new(valuegraph.Assessment)
		if err := json.Unmarshal([]byte(raw), n.Assessment); err != nil {
			return nil, fmt.Errorf("read assessment of %s: %w", n.Customer.ID, err)
		}
	}
	return n, nil
}

func decodeNeighbourhood(row props) *valuegraph.Neighbourhood {
	n := &valuegraph.Neighbourhood{Customer: decodeCustomer(row.sub("customer"))}
	if owner := row.sub("owner"); owner != nil {
		n.Owner = &valuegraph.Rep{ID: owner.str("id"), Name: owner.str("name"), Territory: owner.str("territory")}
	}
	for _, p := range row.list("people") {
		n.People = append(n.People, decodePerson(p))
	}
	for _, k := range row.list("competitors") {
		n.Competitors = append(n.Competitors, valuegraph.CompetitorLink{
			Competitor: decodeCompetitor(k.sub("node")), Mentions: k.int("mentions"), LastSeen: k.time("lastSeen")})
	}
	for _, k := range row.list("needs") {
		n.Needs = append(n.Needs, valuegraph.NeedLink{
			Need: decodeNeed(k.sub("node")), Mentions: k.int("mentions"), LastSeen: k.time("lastSeen")})
	}
	for _, sig := range row.list("signals") {
		n.Signals = append(n.Signals, decodeSignal(sig))
	}
	return n
}

// Customer reads one customer; ENOTFOUND when there is none.
func (s *Store) Customer(ctx context.Context, id string) (*valuegraph.Customer, error) {
	n, err := s.Neighbourhood(ctx, id, NeighbourhoodOptions{Limit: 1})
	if err != nil {
		return nil, err
	}
	return &n.Customer, nil
}

const cypherCustomerOwner = `
MATCH (c:Customer {id: $id})
RETURN COLLECT { MATCH (r:Rep)-[:OWNS]->(c) RETURN r.id }[0] AS owner`

// CustomerOwner reads the id of the rep who owns a customer ("" for none):
// one indexed read, so access can be checked before anything else is read.
// ENOTFOUND when there is no such customer.
func (s *Store) CustomerOwner(ctx context.Context, id string) (string, error) {
	res, err := s.query(ctx, cypherCustomerOwner, map[string]any{"id": id})
	if err != nil {
		return "", formatError("read customer owner", err)
	}
	if len(res.Records) == 0 {
		return "", valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", id)
	}
	owner, _, _ := neo4j.GetRecordValue[string](res.Records[0], "owner")
	return owner, nil
}

func decodeCustomer(p props) valuegraph.Customer {
	c := valuegraph.Customer{
		ID: p.str("id"), Name: p.str("name"), Aliases: p.strs("aliases"),
		Industry: p.str("industry"), Region: p.str("region"), Size: p.str("size"), OwnerID: p.str("ownerId"),
		Stage: valuegraph.Stage(p.str("stage")), StageConfidence: p.floatOrNil("stageConfidence"),
		Risks: valuegraph.Risks{Replacement: p.float("riskReplacement"), Churn: p.float("riskChurn"), Credit: p.float("riskCredit")},
		Tier:  valuegraph.Tier(p.str("tier")), TierScore: p.floatOrNil("tierScore"),
		SignalCount: p.int("signalCount"), LastSignalAt: p.time("lastSignalAt"), UpdatedAt: p.time("updatedAt"),
	}
	for _, id := range p.list("identifiers") {
		c.Identifiers = append(c.Identifiers, valuegraph.Identifier{Scheme: id.str("scheme"), Value: id.str("value")})
	}
	return c
}

const cypherCustomerIDs = `
MATCH (c:Customer) WHERE c.id > $after
RETURN c.id AS id ORDER BY c.id LIMIT $limit`

// CustomerIDs pages through every customer id in order: after is the last
// id of the previous page ("" for the first).
func (s *Store) CustomerIDs(ctx context.Context, after string, limit int) ([]string, error) {
	res, err := s.query(ctx, cypherCustomerIDs, map[string]any{"after": after, "limit": max(limit, 1)})
	if err != nil {
		return nil, formatError("list customer ids", err)
	}
	ids := make([]string, len(res.Records))
	for i, rec := range res.Records {
		ids[i], _, _ = neo4j.GetRecordValue[string](rec, "id")
	}
	return ids, nil
}
