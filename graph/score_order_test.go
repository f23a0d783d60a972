package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// TestOlderAssessmentAddsOnlyItsSnapshot writes a customer's assessment,
// then an older one (a past day scored for history, or two rescorings that
// overlapped and the later wrote first) with an alert: the customer keeps
// the newer scores, the older is kept as a snapshot, and its alert is not
// stored, as the move it reports is not one the customer made.
func TestOlderAssessmentAddsOnlyItsSnapshot(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx := context.Background()
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: ns + "c", Name: ns + "客户", OwnerID: ns + "rep"}}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	newer := valuegraph.Assessment{CustomerID: ns + "c", At: now, ModelVersion: "prior-1", Stage: valuegraph.StageAdopting, Tier: valuegraph.TierA, TierScore: 0.7}
	older := valuegraph.Assessment{CustomerID: ns + "c", At: now.Add(-time.Hour), ModelVersion: "prior-1", Stage: valuegraph.StageDormant, Tier: valuegraph.TierC, TierScore: 0.1, Run: "old-run"}
	if _, err := s.WriteAssessments(ctx, []valuegraph.Assessment{newer}, nil, nil); err != nil {
		t.Fatal(err)
	}
	stale := valuegraph.Alert{ID: ns + "c@old-run/stage_changed", Kind: valuegraph.AlertStageChanged, CustomerID: ns + "c", From: "ADOPTING", To: "DORMANT", At: older.At}
	if superseded, err := s.WriteAssessments(ctx, []valuegraph.Assessment{older}, nil, []valuegraph.Alert{stale}); err != nil || len(superseded) != 1 || superseded[0] != ns+"c" {
		t.Fatalf("superseded %v (%v), want the customer: its assessment is older than the one it carries", superseded, err)
	}
	c, err := s.Customer(ctx, ns+"c")
	if err != nil {
		t.Fatal(err)
	}
	if c.Stage != valuegraph.StageAdopting || c.Tier != valuegraph.TierA {
		t.Errorf("the customer carries %s/%s after an older assessment, want the newer ADOPTING/A", c.Stage, c.Tier)
	}
	hist, err := s.ScoreHistory(ctx, []string{ns + "c"}, time.Time{}, 10)
	if err != nil || len(hist[ns+"c"]) != 2 {
		t.Errorf("history %+v (%v), want both assessments as snapshots", hist[ns+"c"], err)
	}
	page, err := s.ListAlerts(ctx, valuegraph.AlertFilter{Owner: ns + "rep"}, 10, "")
	if err != nil || len(page.Alerts) != 0 {
		t.Errorf("alerts %+v (%v), want none from the older assessment", page.Alerts, err)
	}

	// The same alert with an assessment at least as new is stored.
	fresh := older
	fresh.At, fresh.Run = now.Add(time.Minute), "new-run"
	moved := stale
	moved.ID, moved.At = ns+"c@new-run/stage_changed", fresh.At
	if superseded, err := s.WriteAssessments(ctx, []valuegraph.Assessment{fresh}, nil, []valuegraph.Alert{moved}); err != nil || len(superseded) != 0 {
		t.Fatal(err)
	}
	if page, err := s.ListAlerts(ctx, valuegraph.AlertFilter{Owner: ns + "rep"}, 10, ""); err != nil || len(page.Alerts) != 1 || page.Alerts[0].ID != moved.ID {
		t.Errorf("alerts %+v (%v), want the newer assessment's", page.Alerts, err)
	}
}
