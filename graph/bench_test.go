package graph_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// BenchmarkUpsertSignals writes 10k new signals about 1k customers per
// iteration, in the default batches of 1000: the ingest path's cost.
func BenchmarkUpsertSignals(b *testing.B) {
	for _, batch := range []int{1000, 5000, 10000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) { benchUpsertSignals(b, batch) })
	}
}

func benchUpsertSignals(b *testing.B, batch int) {
	base := graphtest.MustOpen(b)
	ctx := context.Background()
	p := graphtest.Prefix(b, base)
	s, err := graph.Open(ctx, withBatch(graphtest.Config(), batch))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(ctx)
	const customers, signals = 1000, 10_000
	cs := make([]valuegraph.Customer, customers)
	for i := range cs {
		cs[i] = valuegraph.Customer{ID: fmt.Sprintf("%sc%d", p, i), Name: fmt.Sprintf("客户%d有限公司", i)}
	}
	if _, err := s.UpsertCustomers(ctx, cs); err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.ResetTimer()
	for n := range b.N {
		sigs := make([]valuegraph.Signal, signals)
		for i := range sigs {
			sigs[i] = valuegraph.Signal{ID: fmt.Sprintf("%ss%d-%d", p, n, i), Kind: valuegraph.SignalERPOrder, Title: fmt.Sprintf("订单 %d", i),
				Source: p + "erp", Trust: valuegraph.TrustL1, OccurredAt: at.Add(time.Duration(i) * time.Minute),
				CustomerIDs: []string{cs[i%customers].ID}}
		}
		sum, err := s.UpsertSignals(ctx, sigs)
		if err != nil {
			b.Fatal(err)
		}
		if sum.Created != signals {
			b.Fatalf("created %d", sum.Created)
		}
	}
	b.ReportMetric(float64(signals*b.N)/b.Elapsed().Seconds(), "signals/s")
}

// BenchmarkNeighbourhood reads one customer with 3 people and 50 signals.
func BenchmarkNeighbourhood(b *testing.B) {
	s := graphtest.MustOpen(b)
	ctx := context.Background()
	p := graphtest.Prefix(b, s)
	id := p + "acme"
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: id, Name: "某某集团"}}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.UpsertCompetitors(ctx, []valuegraph.Competitor{{ID: p + "k", Name: "竞品"}}); err != nil {
		b.Fatal(err)
	}
	var people []valuegraph.Person
	for i := range 3 {
		people = append(people, valuegraph.Person{ID: fmt.Sprintf("%sp%d", p, i), Name: fmt.Sprintf("人%d", i), CustomerID: id})
	}
	if _, err := s.UpsertPeople(ctx, people); err != nil {
		b.Fatal(err)
	}
	var sigs []valuegraph.Signal
	for i := range 50 {
		sigs = append(sigs, valuegraph.Signal{ID: fmt.Sprintf("%ss%d", p, i), Kind: valuegraph.SignalForumPost, Source: p + "f",
			Trust: valuegraph.TrustL3, OccurredAt: time.Now().Add(-time.Duration(i) * time.Hour), CustomerIDs: []string{id}, CompetitorIDs: []string{p + "k"}})
	}
	if _, err := s.UpsertSignals(ctx, sigs); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n, err := s.Neighbourhood(ctx, id, graph.NeighbourhoodOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(n.Signals) != 20 || len(n.People) != 3 {
			b.Fatalf("got %d signals, %d people", len(n.Signals), len(n.People))
		}
	}
}
