package graph

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// A signal whose content hash is unchanged is left alone (ingesting the same
// file twice writes nothing); a changed one is updated and keeps its
// ingestedAt. Links are added, never removed here: detaching a signal is a
// correction, made through feedback.
const cypherUpsertSignals = `
UNWIND $rows AS row
OPTIONAL MATCH (existing:Signal {id: row.id})
WITH row, existing IS NULL AS created, existing.contentHash = row.contentHash AS same
MERGE (s:Signal {id: row.id})
ON CREATE SET s.ingestedAt = datetime()
FOREACH (_ IN CASE WHEN same THEN [] ELSE [1] END |
  SET s.kind = row.kind, s.title = row.title, s.text = row.text, s.url = row.url,
      s.source = row.source, s.trust = row.trust, s.occurredAt = row.occurredAt,
      s.contentHash = row.contentHash, s.updatedAt = datetime())
MERGE (src:Source {id: row.source})
ON CREATE SET src.trust = row.trust
MERGE (src)-[:EMITTED]->(s)
WITH s, row, created, same
CALL (s, row) {
  UNWIND row.customerIds AS id
  MATCH (c:Customer {id: id})
  MERGE (s)-[:ABOUT]->(c)
}
CALL (s, row) {
  UNWIND row.competitorIds AS id
  MATCH (k:Competitor {id: id})
  MERGE (s)-[:MENTIONS]->(k)
}
CALL (s, row) {
  UNWIND row.needIds AS id
  MATCH (n:Need {id: id})
  MERGE (s)-[:MENTIONS]->(n)
}
CALL (s, row) {
  UNWIND row.personIds AS id
  MATCH (p:Person {id: id})
  MERGE (s)-[:MENTIONS]->(p)
}
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN same THEN 1 ELSE 0 END) AS unchanged,
       count(*) AS total`

// UpsertSignals writes signals with their source and links in batches. A
// signal without a content hash gets one from its content. Every customer,
// competitor, need and person a batch refers to must exist, or the batch is
// rejected whole with EINVALID naming them.
func (s *Store) UpsertSignals(ctx context.Context, signals []valuegraph.Signal) (WriteSummary, error) {
	rows := make([]map[string]any, len(signals))
	for i := range signals {
		sig := &signals[i]
		if err := sig.Validate(); err != nil {
			return WriteSummary{}, fmt.Errorf("signal %d (%q): %w", i, sig.ID, err)
		}
		hash := sig.ContentHash
		if hash == "" {
			hash = sig.Hash()
		}
		rows[i] = map[string]any{
			"id": sig.ID, "kind": string(sig.Kind), "title": nullable(sig.Title), "text": nullable(sig.Text),
			"url": nullable(sig.URL), "source": sig.Source, "trust": int64(sig.Trust),
			"occurredAt": sig.OccurredAt.UTC(), "contentHash": hash,
			"customerIds": list(sig.CustomerIDs), "competitorIds": list(sig.CompetitorIDs),
			"needIds": list(sig.NeedIDs), "personIds": list(sig.PersonIDs),
		}
	}
	var sum WriteSummary
	err := batches(rows, s.batch, func(batch []map[string]any) error {
		session := s.session(ctx, neo4j.AccessModeWrite)
		defer session.Close(ctx)
		got, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (WriteSummary, error) {
			r := refs{}
			for _, row := range batch {
				r.add("Customer", row["customerIds"].([]string)...)
				r.add("Competitor", row["competitorIds"].([]string)...)
				r.add("Need", row["needIds"].([]string)...)
				r.add("Person", row["personIds"].([]string)...)
			}
			if err := r.check(ctx, tx, "signal links"); err != nil {
				return WriteSummary{}, err
			}
			res, err := tx.Run(ctx, cypherUpsertSignals, map[string]any{"rows": batch})
			if err != nil {
				return WriteSummary{}, err
			}
			rec, err := res.Single(ctx)
			if err != nil {
				return WriteSummary{}, err
			}
			row := props(rec.AsMap())
			created, unchanged := row.int("created"), row.int("unchanged")
			return WriteSummary{Created: created, Unchanged: unchanged, Updated: row.int("total") - created - unchanged}, nil
		})
		if err != nil {
			return formatError("upsert signals", err)
		}
		sum.add(got)
		return nil
	})
	return sum, err
}

func decodeSignal(p props) valuegraph.Signal {
	return valuegraph.Signal{
		ID: p.str("id"), Kind: valuegraph.SignalKind(p.str("kind")), Title: p.str("title"), Text: p.str("text"),
		URL: p.str("url"), Source: p.str("source"), Trust: valuegraph.TrustLevel(p.int("trust")),
		OccurredAt: p.time("occurredAt"), IngestedAt: p.time("ingestedAt"), ContentHash: p.str("contentHash"),
		CustomerIDs: p.strs("customerIds"), CompetitorIDs: p.strs("competitorIds"),
		NeedIDs: p.strs("needIds"), PersonIDs: p.strs("personIds"),
	}
}
