package main

import (
	"context"
	"testing"

	"github.com/valuegraph/valuegraph/demo"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// TestDemoLoadTwice writes a small generated dataset into a namespace twice:
// the second load reports every entity unchanged and leaves the namespace
// exactly as the first did.
func TestDemoLoadTwice(t *testing.T) {
	store := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, store)
	ctx := context.Background()
	d, err := demo.Generate(demo.Options{Customers: 50, Prefix: ns, LargeBuyers: 1, LargeSignals: 1000})
	if err != nil {
		t.Fatal(err)
	}
	first, err := loadDemo(ctx, store, d)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"reps": len(d.Reps), "customers": len(d.Customers), "competitors": len(d.Competitors),
		"products": len(d.Products), "needs": len(d.Needs), "offerings": len(d.Offerings), "people": len(d.People), "signals": len(d.Signals)}
	for _, step := range first {
		if step.Summary.Created != want[step.What] {
			t.Errorf("first load: %s created %d, want %d", step.What, step.Summary.Created, want[step.What])
		}
	}
	if n, err := store.Count(ctx, "Signal", ns); err != nil || n != len(d.Signals) || n < 1000 {
		t.Errorf("%d signals in the graph (%v), want %d (at least 1,000)", n, err, len(d.Signals))
	}
	before, err := store.Footprint(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}

	second, err := loadDemo(ctx, store, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range second {
		if s := step.Summary; s.Created != 0 || s.Updated != 0 || s.Unchanged != want[step.What] {
			t.Errorf("second load: %s created %d, updated %d, unchanged %d; want all %d unchanged", step.What, s.Created, s.Updated, s.Unchanged, want[step.What])
		}
	}
	after, err := store.Footprint(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	if diff := before.Diff(after); len(diff) > 0 || before.Nodes != after.Nodes || before.Relationships != after.Relationships {
		t.Errorf("the second load changed the graph (%d nodes, %d relationships before; %d, %d after):", before.Nodes, before.Relationships, after.Nodes, after.Relationships)
		for i, line := range diff {
			if i == 20 {
				t.Errorf("… and %d more", len(diff)-20)
				break
			}
			t.Error(line)
		}
	}
}
