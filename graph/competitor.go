package graph

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

const cypherUpsertCompetitors = `
UNWIND $rows AS row
OPTIONAL MATCH (existing:Competitor {id: row.id})
WITH row, existing IS NULL AS created
MERGE (k:Competitor {id: row.id})
ON CREATE SET k.createdAt = datetime()
WITH k, row, created, properties(k) AS before
SET k.name = row.name,
    k.aliases = CASE WHEN all(a IN row.aliases WHERE a IN coalesce(k.aliases, [])) THEN coalesce(k.aliases, [])
                     ELSE [a IN coalesce(k.aliases, []) WHERE NOT a IN row.aliases] + row.aliases END,
    k.website = coalesce(row.website, k.website)
WITH k, row, created, before <> properties(k) AS changed
SET k.updatedAt = CASE WHEN created OR changed THEN datetime() ELSE k.updatedAt END
RETURN row.id AS id, CASE WHEN created THEN 'created' WHEN changed THEN 'updated' ELSE 'unchanged' END AS outcome`

// UpsertCompetitors creates or updates competitors; aliases accumulate
// (sending known ones again, in whatever order, changes nothing).
func (s *Store) UpsertCompetitors(ctx context.Context, competitors []valuegraph.Competitor) (WriteSummary, error) {
	rows := make([]map[string]any, len(competitors))
	for i := range competitors {
		k := &competitors[i]
		if err := k.Validate(); err != nil {
			return WriteSummary{}, fmt.Errorf("competitor %d (%q): %w", i, k.ID, err)
		}
		rows[i] = map[string]any{"id": k.ID, "name": k.Name, "aliases": list(k.Aliases), "website": nullable(k.Website)}
	}
	return s.upsert(ctx, "upsert competitors", cypherUpsertCompetitors, rows)
}

const cypherUpsertNeeds = `
UNWIND $rows AS row
OPTIONAL MATCH (existing:Need {id: row.id})
WITH row, existing IS NULL AS created
MERGE (n:Need {id: row.id})
ON CREATE SET n.createdAt = datetime()
WITH n, row, created, properties(n) AS before
SET n.name = row.name,
    n.aliases = CASE WHEN all(a IN row.aliases WHERE a IN coalesce(n.aliases, [])) THEN coalesce(n.aliases, [])
                     ELSE [a IN coalesce(n.aliases, []) WHERE NOT a IN row.aliases] + row.aliases END,
    n.category = coalesce(row.category, n.category)
WITH n, row, created, before <> properties(n) AS changed
SET n.updatedAt = CASE WHEN created OR changed THEN datetime() ELSE n.updatedAt END
RETURN row.id AS id, CASE WHEN created THEN 'created' WHEN changed THEN 'updated' ELSE 'unchanged' END AS outcome`

// UpsertNeeds creates or updates needs; aliases accumulate.
func (s *Store) UpsertNeeds(ctx context.Context, needs []valuegraph.Need) (WriteSummary, error) {
	rows := make([]map[string]any, len(needs))
	for i := range needs {
		n := &needs[i]
		if err := n.Validate(); err != nil {
			return WriteSummary{}, fmt.Errorf("need %d (%q): %w", i, n.ID, err)
		}
		rows[i] = map[string]any{"id": n.ID, "name": n.Name, "aliases": list(n.Aliases), "category": nullable(n.Category)}
	}
	return s.upsert(ctx, "upsert needs", cypherUpsertNeeds, rows)
}

func decodeCompetitor(p props) valuegraph.Competitor {
	return valuegraph.Competitor{ID: p.str("id"), Name: p.str("name"), Aliases: p.strs("aliases"), Website: p.str("website")}
}

func decodeNeed(p props) valuegraph.Need {
	return valuegraph.Need{ID: p.str("id"), Name: p.str("name"), Aliases: p.strs("aliases"), Category: p.str("category")}
}

// A product offered by a competitor hangs off it (OFFERS); the competitor
// must exist, like every node a write points at.
const cypherUpsertProducts = `
UNWIND $rows AS row
OPTIONAL MATCH (existing:Product {id: row.id})
WITH row, existing IS NULL AS created
MERGE (p:Product {id: row.id})
ON CREATE SET p.createdAt = datetime()
WITH p, row, created, properties(p) AS before
SET p.name = row.name,
    p.aliases = CASE WHEN all(a IN row.aliases WHERE a IN coalesce(p.aliases, [])) THEN coalesce(p.aliases, [])
                     ELSE [a IN coalesce(p.aliases, []) WHERE NOT a IN row.aliases] + row.aliases END,
    p.vendor = coalesce(row.vendor, p.vendor),
    p.ours = row.ours
WITH p, row, created, before <> properties(p) AS changed
SET p.updatedAt = CASE WHEN created OR changed THEN datetime() ELSE p.updatedAt END
WITH p, row, created, changed
CALL (p, row) {
  MATCH (k:Competitor {id: row.competitorId})
  MERGE (k)-[:OFFERS]->(p)
}
RETURN row.id AS id, CASE WHEN created THEN 'created' WHEN changed THEN 'updated' ELSE 'unchanged' END AS outcome`

// UpsertProducts creates or updates products; aliases accumulate. A
// product's competitor must exist (EINVALID naming it otherwise).
func (s *Store) UpsertProducts(ctx context.Context, products []valuegraph.Product) (WriteSummary, error) {
	rows := make([]map[string]any, len(products))
	r := refs{}
	for i := range products {
		p := &products[i]
		if err := p.Validate(); err != nil {
			return WriteSummary{}, fmt.Errorf("product %d (%q): %w", i, p.ID, err)
		}
		r.add("Competitor", p.CompetitorID)
		rows[i] = map[string]any{"id": p.ID, "name": p.Name, "aliases": list(p.Aliases), "vendor": nullable(p.Vendor),
			"competitorId": nullable(p.CompetitorID), "ours": p.Ours}
	}
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	sum, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (WriteSummary, error) {
		if err := r.check(ctx, tx, "competitorId"); err != nil {
			return WriteSummary{}, err
		}
		return runUpsert(ctx, tx, cypherUpsertProducts, rows)
	})
	return sum, formatError("upsert products", err)
}

const cypherProducts = `
UNWIND $ids AS id
MATCH (p:Product {id: id})
RETURN p {.*, competitorId: COLLECT { MATCH (k:Competitor)-[:OFFERS]->(p) RETURN k.id }[0]} AS product`

// Products reads products by id in one round trip; unknown ids are absent.
func (s *Store) Products(ctx context.Context, ids []string) (map[string]valuegraph.Product, error) {
	res, err := s.query(ctx, cypherProducts, map[string]any{"ids": ids})
	if err != nil {
		return nil, formatError("read products", err)
	}
	out := make(map[string]valuegraph.Product, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap()).sub("product")
		out[p.str("id")] = valuegraph.Product{ID: p.str("id"), Name: p.str("name"), Aliases: p.strs("aliases"), Vendor: p.str("vendor"),
			CompetitorID: p.str("competitorId"), Ours: p.bool("ours")}
	}
	return out, nil
}
