package graph

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// Labels cannot be parameters, so each label we check references against has
// its own fixed statement.
var cypherMissing = map[string]string{
	"Customer":   "UNWIND $ids AS id OPTIONAL MATCH (n:Customer {id: id}) WITH id, n WHERE n IS NULL RETURN collect(id) AS missing",
	"Person":     "UNWIND $ids AS id OPTIONAL MATCH (n:Person {id: id}) WITH id, n WHERE n IS NULL RETURN collect(id) AS missing",
	"Competitor": "UNWIND $ids AS id OPTIONAL MATCH (n:Competitor {id: id}) WITH id, n WHERE n IS NULL RETURN collect(id) AS missing",
	"Need":       "UNWIND $ids AS id OPTIONAL MATCH (n:Need {id: id}) WITH id, n WHERE n IS NULL RETURN collect(id) AS missing",
	"Product":    "UNWIND $ids AS id OPTIONAL MATCH (n:Product {id: id}) WITH id, n WHERE n IS NULL RETURN collect(id) AS missing",
}

// refs gathers the ids a batch points at, per label, to check that they exist
// before anything is linked: a link to a node that is not there would
// otherwise vanish without a word.
type refs map[string]map[string]bool

func (r refs) add(label string, ids ...string) {
	for _, id := range ids {
		if id == "" {
			continue
		}
		if r[label] == nil {
			r[label] = map[string]bool{}
		}
		r[label][id] = true
	}
}

// check returns an EINVALID error listing, per label, the ids that do not
// exist. It runs inside the caller's transaction, so a failed check rolls
// the whole batch back.
func (r refs) check(ctx context.Context, tx neo4j.ManagedTransaction, field string) error {
	var problems []string
	labels := make([]string, 0, len(r))
	for label := range r {
		labels = append(labels, label)
	}
	sort.Strings(labels)
	for _, label := range labels {
		ids := make([]string, 0, len(r[label]))
		for id := range r[label] {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		res, err := tx.Run(ctx, cypherMissing[label], map[string]any{"ids": ids})
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		missing, _, _ := neo4j.GetRecordValue[[]any](rec, "missing")
		if len(missing) > 0 {
			names := make([]string, len(missing))
			for i, m := range missing {
				names[i], _ = m.(string)
			}
			problems = append(problems, label+" "+strings.Join(quoteAll(names), ", "))
		}
	}
	if len(problems) > 0 {
		return valuegraph.FieldError(field, "refers to nodes that do not exist: %s", strings.Join(problems, "; "))
	}
	return nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}
