package graph_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// A read gets every row in one round trip, and the caller's deadline still
// ends it: the deadline travels to Neo4j as the transaction timeout rather
// than to the driver, so Neo4j must stop a query that runs past it.
func TestQueryRowsAndDeadline(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()

	before := s.RoundTrips()
	res, err := s.Query(ctx, "UNWIND range(1, $n) AS i RETURN i", map[string]any{"n": 2500})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 2500 || res.Keys[0] != "i" {
		t.Fatalf("got %d rows, keys %v; want 2500 rows of i", len(res.Records), res.Keys)
	}
	if last, _ := res.Records[2499].Get("i"); last != int64(2500) {
		t.Errorf("last row = %v, want 2500", last)
	}
	if n := s.RoundTrips() - before; n != 1 {
		t.Errorf("%d sessions for one read, want 1", n)
	}

	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.Query(short, "UNWIND range(1, 2000000000) AS i WITH i WHERE i < 0 RETURN count(i)", nil)
	took := time.Since(start)
	if err == nil {
		t.Fatal("a query past its deadline succeeded")
	}
	if took > 5*time.Second { // Neo4j checks transaction timeouts every 2 s
		t.Errorf("the query ran %s past a 300ms deadline", took)
	}
	t.Logf("stopped after %s: %v", took, err)
	if code := valuegraph.ErrorCode(graph.FormatError("count", err)); code != valuegraph.ETIMEOUT {
		t.Errorf("a query stopped at its deadline is coded %q, want %q", code, valuegraph.ETIMEOUT)
	}

	cancelled, stop := context.WithCancel(ctx)
	stop()
	if _, err := s.Query(cancelled, "RETURN 1", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v, want context.Canceled", err)
	}
}

// WarmUp reads every node and relationship, and stops with its context.
// (Other packages' tests write to the same database meanwhile, so the
// counts are checked against what this test wrote, which nothing removes.)
func TestWarmUp(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx := context.Background()
	var customers []valuegraph.Customer
	var signals []valuegraph.Signal
	for i := range 30 {
		id := fmt.Sprintf("%sc%d", ns, i)
		customers = append(customers, valuegraph.Customer{ID: id, Name: fmt.Sprintf("%s预热客户%d", ns, i)})
		signals = append(signals, valuegraph.Signal{ID: id + "-s", Kind: valuegraph.SignalCRMNote, Title: "拜访", Source: ns + "crm",
			Trust: valuegraph.TrustL1, OccurredAt: time.Now(), CustomerIDs: []string{id}})
	}
	if _, err := s.UpsertCustomers(ctx, customers); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertSignals(ctx, signals); err != nil {
		t.Fatal(err)
	}
	stats, err := s.WarmUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 30 customers, 30 signals, their source; a signal's link to its
	// customer and to its source.
	if stats.Nodes < 61 || stats.Relationships < 60 || stats.Took <= 0 {
		t.Errorf("warm-up read %+v, want at least this test's 61 nodes and 60 relationships", stats)
	}
	t.Logf("%+v", stats)
	cancelled, stop := context.WithCancel(ctx)
	stop()
	if _, err := s.WarmUp(cancelled); err == nil {
		t.Error("a cancelled warm-up succeeded")
	}
}
