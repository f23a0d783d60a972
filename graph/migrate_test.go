package graph_test

import (
	"context"
	"slices"
	"testing"

	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

func TestMigrate(t *testing.T) {
	s := graphtest.MustOpen(t) // migrated once already
	ctx := context.Background()

	t.Run("SecondRunHasNothingToDo", func(t *testing.T) {
		applied, err := s.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migrate applied %d migrations, want 0", len(applied))
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := graph.Migrations[len(graph.Migrations)-1].Version; v != want {
			t.Fatalf("schema version %d, want %d", v, want)
		}
	})

	t.Run("OneUniquenessConstraintPerNodeKey", func(t *testing.T) {
		rules, err := s.Schema(ctx)
		if err != nil {
			t.Fatal(err)
		}
		unique := map[string]int{}
		for _, r := range rules {
			if r.Kind == "constraint" && r.Type == "UNIQUENESS" && len(r.Labels) == 1 && len(r.Properties) == 1 {
				unique[r.Labels[0]+"."+r.Properties[0]]++
			}
		}
		for _, key := range []string{"Customer.id", "Person.id", "Competitor.id", "Product.id", "Need.id",
			"Offering.id", "Signal.id", "Source.id", "Rep.id", "Territory.id", "Feedback.id",
			"ScoreSnapshot.id", "ModelVersion.id", "Identifier.key", "Review.id", "APIToken.id", "APIToken.hash", "CrawlPage.id", "Audit.id", "SchemaMigration.version"} {
			if unique[key] != 1 {
				t.Errorf("%s: %d uniqueness constraints, want 1", key, unique[key])
			}
		}
	})

	t.Run("FullTextIndexIsOnline", func(t *testing.T) {
		rules, err := s.Schema(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(rules, func(r graph.SchemaRule) bool { return r.Type == "FULLTEXT" && r.Name == "entity_names" })
		if i < 0 {
			t.Fatalf("no full-text index entity_names in %v", rules)
		}
		if got := rules[i]; got.State != "ONLINE" || !slices.Contains(got.Properties, "aliases") {
			t.Fatalf("entity_names = %v, want ONLINE over name and aliases", got)
		}
	})
}
