package graph

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

const cypherUpsertOfferings = `
UNWIND $rows AS row
OPTIONAL MATCH (existing:Offering {id: row.id})
WITH row, existing IS NULL AS created
MERGE (o:Offering {id: row.id})
SET o.name = row.name, o.description = row.description, o.updatedAt = datetime()
WITH o, row, created
CALL (o, row) {
  OPTIONAL MATCH (o)-[old:ADDRESSES]->(n:Need) WHERE NOT n.id IN row.needIds
  DELETE old
}
CALL (o, row) {
  UNWIND row.needIds AS nid
  MATCH (n:Need {id: nid})
  MERGE (o)-[:ADDRESSES]->(n)
}
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created, count(*) AS total`

// UpsertOfferings creates or updates what we can propose, and the needs each
// addresses (which must exist).
func (s *Store) UpsertOfferings(ctx context.Context, offerings []valuegraph.Offering) (WriteSummary, error) {
	rows := make([]map[string]any, len(offerings))
	r := refs{}
	for i := range offerings {
		o := &offerings[i]
		if err := o.Validate(); err != nil {
			return WriteSummary{}, fmt.Errorf("offering %d (%q): %w", i, o.ID, err)
		}
		r.add("Need", o.NeedIDs...)
		rows[i] = map[string]any{"id": o.ID, "name": o.Name, "description": nullable(o.Description), "needIds": o.NeedIDs}
	}
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	sum, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (WriteSummary, error) {
		if err := r.check(ctx, tx, "needIds"); err != nil {
			return WriteSummary{}, err
		}
		return runUpsert(ctx, tx, cypherUpsertOfferings, rows)
	})
	return sum, formatError("upsert offerings", err)
}

const cypherBriefNeeds = `
MATCH (c:Customer {id: $id})<-[:ABOUT]-(s:Signal)-[:MENTIONS]->(n:Need)
WITH n, s ORDER BY s.occurredAt DESC
WITH n, collect(s {.id, .kind, .title, .url, .source, .trust, .occurredAt}) AS signals
RETURN n {.*} AS need, signals,
  COLLECT {
    MATCH (o:Offering)-[:ADDRESSES]->(n)
    RETURN o {.*, needIds: COLLECT { MATCH (o)-[:ADDRESSES]->(x:Need) RETURN x.id }} ORDER BY o.name
  } AS offerings`

// NeedEvidence is a need around a customer with the signals that mention it
// (newest first) and the offerings that address it.
type NeedEvidence struct {
	Need      valuegraph.Need
	Signals   []valuegraph.Signal
	Offerings []valuegraph.Offering
}

// CustomerNeeds reads every need a customer's signals mention, with its
// evidence and our offerings for it, in one round trip.
func (s *Store) CustomerNeeds(ctx context.Context, customerID string) ([]NeedEvidence, error) {
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypherBriefNeeds, map[string]any{"id": customerID}, neo4j.EagerResultTransformer, s.read())
	if err != nil {
		return nil, formatError("read customer needs", err)
	}
	out := make([]NeedEvidence, 0, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		ne := NeedEvidence{Need: decodeNeed(p.sub("need"))}
		for _, sig := range p.list("signals") {
			ne.Signals = append(ne.Signals, decodeSignal(sig))
		}
		for _, o := range p.list("offerings") {
			ne.Offerings = append(ne.Offerings, valuegraph.Offering{ID: o.str("id"), Name: o.str("name"), Description: o.str("description"), NeedIDs: o.strs("needIds")})
		}
		out = append(out, ne)
	}
	return out, nil
}
