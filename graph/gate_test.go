package graph_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// GateSource reads the owner, the latest assessment and the orders of the
// kinds asked for, with an amount, since the time given.
func TestGateSource(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx := context.Background()
	now := time.Now().UTC()
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: ns + "c", Name: ns + "客户", OwnerID: ns + "rep"}, {ID: ns + "bare", Name: ns + "新客户"}}); err != nil {
		t.Fatal(err)
	}
	order := func(id string, kind valuegraph.SignalKind, at time.Time, amount float64) valuegraph.Signal {
		return valuegraph.Signal{ID: ns + id, Kind: kind, Title: id, Source: ns + "erp", Trust: valuegraph.TrustL1, OccurredAt: at,
			Amount: amount, Currency: "CNY", CustomerIDs: []string{ns + "c"}}
	}
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{
		order("o1", valuegraph.SignalERPOrder, now.AddDate(0, -1, 0), 100),
		order("o2", valuegraph.SignalERPOrder, now.AddDate(0, -2, 0), 200),
		order("old", valuegraph.SignalERPOrder, now.AddDate(-2, 0, 0), 300),  // before since
		order("tender", valuegraph.SignalTender, now.AddDate(0, -1, 0), 400), // another kind
		order("free", valuegraph.SignalERPOrder, now.AddDate(0, -1, 0), 0),   // no amount
	}); err != nil {
		t.Fatal(err)
	}
	for i, credit := range []float64{0.1, 0.4} {
		if err := s.WriteAssessment(ctx, valuegraph.Assessment{CustomerID: ns + "c", At: now.Add(time.Duration(i) * time.Second), ModelVersion: "prior-1",
			Stage: valuegraph.StageAdopting, Tier: valuegraph.TierB, Risks: valuegraph.Risks{Credit: credit}}); err != nil {
			t.Fatal(err)
		}
	}
	src, err := s.GateSource(ctx, ns+"c", []valuegraph.SignalKind{valuegraph.SignalERPOrder}, now.AddDate(-1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, o := range src.Orders {
		sum += o.Amount
	}
	if src.OwnerID != ns+"rep" || src.Assessment == nil || src.Assessment.Risks.Credit != 0.4 || len(src.Orders) != 2 || sum != 300 {
		t.Errorf("owner %q, assessment %+v, orders %+v: want the latest assessment and the two orders of the year", src.OwnerID, src.Assessment, src.Orders)
	}
	src, err = s.GateSource(ctx, ns+"bare", []valuegraph.SignalKind{valuegraph.SignalERPOrder}, now.AddDate(-1, 0, 0))
	if err != nil || src.Assessment != nil || len(src.Orders) != 0 || src.OwnerID != "" {
		t.Errorf("a customer never scored, without orders: %+v, %v", src, err)
	}
	if _, err := s.GateSource(ctx, ns+"nobody", []valuegraph.SignalKind{valuegraph.SignalERPOrder}, now); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
		t.Errorf("an unknown customer: %v", err)
	}
}

// Audits written at the same moment are all kept: the gate audits every
// call, and ERPs call at once.
func TestAuditsAtOnce(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.RecordAudit(ctx, fmt.Sprintf("erp-%d", i), "riskCheck", ns+"c", nil, map[string]any{"decision": "PASS"})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if audits, err := s.Audits(ctx, ns+"c", 100); err != nil || len(audits) != 32 {
		t.Errorf("%d audits kept of 32, %v", len(audits), err)
	}
}
