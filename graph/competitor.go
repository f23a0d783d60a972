package graph

import (
	"context"
	"fmt"

	"github.com/valuegraph/valuegraph"
)

const cypherUpsertCompetitors = `
UNWIND $rows AS row
OPTIONAL MATCH (existing:Competitor {id: row.id})
WITH row, existing IS NULL AS created
MERGE (k:Competitor {id: row.id})
ON CREATE SET k.createdAt = datetime()
SET k.name = row.name,
    k.aliases = [a IN coalesce(k.aliases, []) WHERE NOT a IN row.aliases] + row.aliases,
    k.website = coalesce(row.website, k.website),
    k.updatedAt = datetime()
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created, count(*) AS total`

// UpsertCompetitors creates or updates competitors; aliases accumulate.
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
SET n.name = row.name,
    n.aliases = [a IN coalesce(n.aliases, []) WHERE NOT a IN row.aliases] + row.aliases,
    n.category = coalesce(row.category, n.category),
    n.updatedAt = datetime()
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created, count(*) AS total`

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
