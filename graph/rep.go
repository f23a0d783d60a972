package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/valuegraph/valuegraph"
)

const cypherUpsertReps = `
UNWIND $rows AS row
OPTIONAL MATCH (existing:Rep {id: row.id})
WITH row, existing IS NULL AS created
MERGE (r:Rep {id: row.id})
WITH r, row, created, [coalesce(r.name, ''), coalesce(r.territory, '')] AS before
SET r.name = coalesce(row.name, r.name),
    r.territory = coalesce(row.territory, r.territory)
WITH row, created, before <> [coalesce(r.name, ''), coalesce(r.territory, '')] AS changed
RETURN row.id AS id, CASE WHEN created THEN 'created' WHEN changed THEN 'updated' ELSE 'unchanged' END AS outcome`

// UpsertReps creates or updates our reps with their names and territories;
// an empty name or territory keeps the one stored.
func (s *Store) UpsertReps(ctx context.Context, reps []valuegraph.Rep) (WriteSummary, error) {
	rows := make([]map[string]any, len(reps))
	for i, r := range reps {
		if strings.TrimSpace(r.ID) == "" {
			return WriteSummary{}, fmt.Errorf("rep %d: %w", i, valuegraph.FieldError("id", "required"))
		}
		rows[i] = map[string]any{"id": r.ID, "name": nullable(r.Name), "territory": nullable(r.Territory)}
	}
	return s.upsert(ctx, "upsert reps", cypherUpsertReps, rows)
}
