package graph_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

func TestUpsertCustomers(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)

	t.Run("CreateThenUpdate", func(t *testing.T) {
		c := valuegraph.Customer{ID: p + "spdb", Name: "上海浦东发展银行股份有限公司", Aliases: []string{"浦发银行"},
			Identifiers: []valuegraph.Identifier{{Scheme: valuegraph.SchemeUSCC, Value: p + "9131000013221158XC"}},
			Industry:    "banking", Region: "上海", OwnerID: p + "rep-li"}
		sum, err := s.UpsertCustomers(ctx, []valuegraph.Customer{c})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Created != 1 || sum.Updated != 0 {
			t.Fatalf("first write: %+v, want 1 created", sum)
		}

		// A second source knows another alias and a new owner, but not the region.
		c2 := valuegraph.Customer{ID: c.ID, Name: c.Name, Aliases: []string{"浦发", "浦发银行"}, OwnerID: p + "rep-wang"}
		if sum, err = s.UpsertCustomers(ctx, []valuegraph.Customer{c2}); err != nil {
			t.Fatal(err)
		} else if sum.Created != 0 || sum.Updated != 1 {
			t.Fatalf("second write: %+v, want 1 updated", sum)
		}

		got, err := s.Customer(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Aliases, []string{"浦发", "浦发银行"}) {
			t.Errorf("aliases = %q, want the union without duplicates", got.Aliases)
		}
		if got.Region != "上海" || got.Industry != "banking" {
			t.Errorf("region/industry = %q/%q, want kept from the first write", got.Region, got.Industry)
		}
		if got.OwnerID != p+"rep-wang" {
			t.Errorf("owner = %q, want the new owner only", got.OwnerID)
		}
		if len(got.Identifiers) != 1 || got.Identifiers[0].Scheme != valuegraph.SchemeUSCC {
			t.Errorf("identifiers = %v", got.Identifiers)
		}
		if got.UpdatedAt.IsZero() || time.Since(got.UpdatedAt) > time.Minute {
			t.Errorf("updatedAt = %v, want now", got.UpdatedAt)
		}
	})

	t.Run("KnownAliasesAgain", func(t *testing.T) {
		// The first source writes again what it wrote before: its aliases
		// are all known (another source added one after them), so nothing
		// changes, the customer's and the competitor's alike.
		c := valuegraph.Customer{ID: p + "cmb", Name: "招商银行股份有限公司", Aliases: []string{"招行", "CMB"}}
		k := valuegraph.Competitor{ID: p + "k-digiwin", Name: "鼎捷", Aliases: []string{"Digiwin", "鼎捷软件"}}
		if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{c}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpsertCompetitors(ctx, []valuegraph.Competitor{k}); err != nil {
			t.Fatal(err)
		}
		c2, k2 := c, k
		c2.Aliases, k2.Aliases = []string{"招商银行"}, []string{"鼎捷软件股份有限公司"}
		if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{c2}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpsertCompetitors(ctx, []valuegraph.Competitor{k2}); err != nil {
			t.Fatal(err)
		}
		before, err := s.Footprint(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if sum, err := s.UpsertCustomers(ctx, []valuegraph.Customer{c}); err != nil || sum.Unchanged != 1 {
			t.Errorf("customer written again: %+v, %v; want unchanged", sum, err)
		}
		if sum, err := s.UpsertCompetitors(ctx, []valuegraph.Competitor{k}); err != nil || sum.Unchanged != 1 {
			t.Errorf("competitor written again: %+v, %v; want unchanged", sum, err)
		}
		after, err := s.Footprint(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range before.Diff(after) {
			t.Error(d)
		}
		got, err := s.Customer(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Aliases, []string{"招行", "CMB", "招商银行"}) {
			t.Errorf("aliases = %q, want both sources' in the order they came", got.Aliases)
		}
	})

	t.Run("ErrNameRequired", func(t *testing.T) {
		_, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: p + "ok", Name: "好公司"}, {ID: p + "bad"}})
		if valuegraph.ErrorCode(err) != valuegraph.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
		if want := `customer 1 ("` + p + `bad"): name: required`; err.Error() != want {
			t.Errorf("err = %q, want %q", err, want)
		}
		if _, err := s.Customer(ctx, p+"ok"); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
			t.Errorf("the good customer of a rejected call was written: %v", err)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.Customer(ctx, p+"nobody")
		if valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
			t.Fatalf("err = %v, want ENOTFOUND", err)
		}
	})

	t.Run("ManyInBatches", func(t *testing.T) {
		small, err := graph.Open(ctx, withBatch(graphtest.Config(), 7))
		if err != nil {
			t.Fatal(err)
		}
		defer small.Close(ctx)
		var cs []valuegraph.Customer
		for i := range 50 {
			cs = append(cs, valuegraph.Customer{ID: p + "batch-" + string(rune('A'+i)), Name: "客户 " + string(rune('A'+i))})
		}
		sum, err := small.UpsertCustomers(ctx, cs)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Created != 50 {
			t.Fatalf("created %d, want 50 across 8 batches", sum.Created)
		}
		if sum, _ = small.UpsertCustomers(ctx, cs); sum.Created != 0 || sum.Updated != 0 || sum.Unchanged != 50 {
			t.Fatalf("rewrite: %+v, want 50 unchanged: nothing about them changed", sum)
		}
	})
}

func withBatch(c graph.Config, n int) graph.Config {
	c.BatchSize = n
	return c
}
