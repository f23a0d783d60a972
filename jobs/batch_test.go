package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/scoring"
)

// batchNow is when the batch tests score: every journey is moved to end then.
var batchNow = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// loadVariedCustomers loads, under ns, customers with varied signals: the
// journeys of scoring/scenarios.yaml (every stage, competitor mentions,
// intents, trends, silence), one with no signal, one whose only signal is
// older than scoring looks back, and three with reps' corrections, standing
// or ended. The same call under another namespace of the same length loads
// the same data under other ids. It returns the ids and each one's signal
// count.
func loadVariedCustomers(t *testing.T, s *graph.Store, ns string) ([]string, map[string]int) {
	t.Helper()
	ctx := context.Background()
	sc, err := scoring.LoadScenarios(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	cases := sc.Generate(30, 17)
	if _, err := s.UpsertCompetitors(ctx, []valuegraph.Competitor{{ID: ns + "k", Name: ns + "竞品"}}); err != nil {
		t.Fatal(err)
	}
	var cs []valuegraph.Customer
	var sigs []valuegraph.Signal
	counts := map[string]int{}
	for i, c := range cases {
		id := fmt.Sprintf("%sc%02d", ns, i)
		cs = append(cs, valuegraph.Customer{ID: id, Name: fmt.Sprintf("%s客户%d", ns, i)})
		shift := batchNow.Sub(c.Now)
		for _, sig := range c.Signals {
			sig.ID = ns + sig.ID
			sig.Source = ns + "scenarios"
			sig.OccurredAt = sig.OccurredAt.Add(shift)
			sig.CustomerIDs = []string{id}
			if len(sig.CompetitorIDs) > 0 {
				sig.CompetitorIDs = []string{ns + "k"}
			}
			sigs = append(sigs, sig)
			counts[id]++
		}
	}
	quiet, old := ns+"quiet", ns+"old"
	cs = append(cs, valuegraph.Customer{ID: quiet, Name: ns + "无信号"}, valuegraph.Customer{ID: old, Name: ns + "旧信号"})
	sigs = append(sigs, valuegraph.Signal{ID: ns + "old-s", Kind: valuegraph.SignalERPOrder, Source: ns + "erp", Trust: valuegraph.TrustL1,
		OccurredAt: batchNow.AddDate(-3, 0, 0), CustomerIDs: []string{old}})
	counts[old], counts[quiet] = 1, 0
	if _, err := s.UpsertCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertSignals(ctx, sigs); err != nil {
		t.Fatal(err)
	}
	for i, fb := range []valuegraph.Feedback{
		{Kind: valuegraph.FeedbackWrongStage, CustomerID: cs[0].ID, Stage: valuegraph.StageSelecting, CreatedAt: batchNow.Add(-time.Hour)},
		{Kind: valuegraph.FeedbackWrongStage, CustomerID: cs[1].ID, Stage: valuegraph.StageDormant, CreatedAt: batchNow.AddDate(0, -8, 0)},
		{Kind: valuegraph.FeedbackRiskReal, CustomerID: cs[2].ID, Risk: "churn", CreatedAt: batchNow.AddDate(0, 0, -3)},
		{Kind: valuegraph.FeedbackRiskUnfounded, CustomerID: cs[2].ID, Risk: "replacement", CreatedAt: batchNow.AddDate(0, 0, -2)},
		{Kind: valuegraph.FeedbackWrongStage, CustomerID: quiet, Stage: valuegraph.StagePlanning, CreatedAt: batchNow.AddDate(0, 0, -1)},
	} {
		fb.ID, fb.Author, fb.Text = fmt.Sprintf("%sfb%d", ns, i), ns+"rep", "按拜访所见"
		if _, err := s.SubmitFeedback(ctx, fb); err != nil {
			t.Fatal(err)
		}
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids, counts
}

// Rescoring in batches gives exactly what rescoring one customer at a time
// gives, and both give what the per-customer reads (signals, then
// corrections, each its own query) give: on customers with varied signals,
// corrections and none, assessments, reasons and stored scores are equal to
// the last bit. A batch with a customer that does not exist scores the
// others and names it.
func TestScoreBatchMatchesSingle(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	one, many := p+"1-", p+"2-"
	ids1, counts := loadVariedCustomers(t, s, one)
	ids2, _ := loadVariedCustomers(t, s, many)
	m := mustModel(t)
	sc := &jobs.Scorer{Graph: s, Models: jobs.StaticModel{Model: m}, Now: func() time.Time { return batchNow }}

	// What scoring made of the per-customer reads before batching.
	reference := map[string]valuegraph.Assessment{}
	for _, id := range ids1 {
		sigs, err := s.ScoringSignals(ctx, id, batchNow.Add(-2*365*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		fbs, err := s.Corrections(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		f := m.Compute(sigs, batchNow)
		reference[id] = m.Correct(m.Assess(id, f, batchNow), f, fbs, sigs)
	}

	single := map[string]valuegraph.Assessment{}
	for _, id := range ids1 {
		a, err := sc.Score(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		single[id] = a
	}
	batched := map[string]valuegraph.Assessment{}
	for i := 0; i < len(ids2); i += 7 {
		page := ids2[i:min(i+7, len(ids2))]
		if i == 0 {
			page = append([]string{many + "nobody"}, page...)
		}
		as, err := sc.ScoreBatch(ctx, page)
		if i == 0 {
			if valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND || !strings.Contains(err.Error(), many+"nobody") {
				t.Fatalf("batch with a missing customer: err = %v, want ENOTFOUND naming it", err)
			}
		} else if err != nil {
			t.Fatal(err)
		}
		if len(as) != len(page)-map[bool]int{true: 1}[i == 0] {
			t.Fatalf("batch of %d gave %d assessments", len(page), len(as))
		}
		for _, a := range as {
			batched[a.CustomerID] = a
		}
	}

	// Under the other namespace the same data has other ids only.
	same := func(a valuegraph.Assessment) string {
		t.Helper()
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(string(b), many, one)
	}
	stages, corrected := map[valuegraph.Stage]bool{}, 0
	for i, id1 := range ids1 {
		id2 := ids2[i]
		want := same(reference[id1])
		if got := same(single[id1]); got != want {
			t.Errorf("%s scored alone differs from the per-customer reads:\n got %s\nwant %s", id1, got, want)
		}
		if got := same(batched[id2]); got != want {
			t.Errorf("%s scored in a batch differs from %s scored alone:\n got %s\nwant %s", id2, id1, got, want)
		}
		stages[single[id1].Stage] = true
		if len(single[id1].Corrections) > 0 {
			corrected++
		}
		c1, err := s.Customer(ctx, id1)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := s.Customer(ctx, id2)
		if err != nil {
			t.Fatal(err)
		}
		if c1.SignalCount != counts[id1] {
			t.Errorf("%s: signalCount %d, want %d", id1, c1.SignalCount, counts[id1])
		}
		if c1.SignalCount != c2.SignalCount || !c1.LastSignalAt.Equal(c2.LastSignalAt) || c1.Stage != c2.Stage || !sameScore(c1.StageConfidence, c2.StageConfidence) ||
			c1.Tier != c2.Tier || !sameScore(c1.TierScore, c2.TierScore) || c1.Risks != c2.Risks {
			t.Errorf("stored scores differ:\n alone   %s %+v\n batched %s %+v", id1, c1, id2, c2)
		}
		l1, err1 := s.LatestAssessment(ctx, id1)
		l2, err2 := s.LatestAssessment(ctx, id2)
		if err1 != nil || err2 != nil || l1 == nil || l2 == nil || same(*l1) != same(*l2) || same(*l1) != want {
			t.Errorf("%s, %s: stored snapshots differ (%v, %v)", id1, id2, err1, err2)
		}
	}
	// The data is varied enough to mean something.
	if len(stages) < 4 || corrected < 3 {
		t.Errorf("only %d stages and %d corrected customers among %d: not varied enough", len(stages), corrected, len(ids1))
	}
}

// sameScore: both unscored, or both the same number.
func sameScore(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
