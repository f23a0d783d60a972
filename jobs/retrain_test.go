package jobs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
)

// Reps keep saying customers whose only news is a tender are still
// planning; retraining learns it, is judged on held-out labels, promoted,
// and scoring then uses the new version.
func TestRetrainOnFeedback(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	ns := graphtest.Prefix(t, s)
	prior := mustModel(t)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

	var customers []valuegraph.Customer
	var signals []valuegraph.Signal
	for i := range 60 {
		id := fmt.Sprintf("%sc%d", ns, i)
		customers = append(customers, valuegraph.Customer{ID: id, Name: fmt.Sprintf("%s客户%d", ns, i)})
		signals = append(signals, valuegraph.Signal{ID: fmt.Sprintf("%ss%d", ns, i), Kind: valuegraph.SignalTender, Source: ns + "ccgp",
			Trust: valuegraph.TrustL2, OccurredAt: now.AddDate(0, 0, -10-i%20), CustomerIDs: []string{id}})
	}
	if _, err := s.UpsertCustomers(ctx, customers); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertSignals(ctx, signals); err != nil {
		t.Fatal(err)
	}
	models := &jobs.GraphModels{Store: s, Fallback: prior, Kind: ns + "scoring"}
	trainer := &jobs.Trainer{Graph: s, Models: models, CustomerPrefix: ns, MinLabels: 20, Now: func() time.Time { return now }}

	// Too few labels: nothing is trained.
	for i := range 10 {
		if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{Kind: valuegraph.FeedbackWrongStage, CustomerID: customers[i].ID,
			Stage: valuegraph.StagePlanning, Author: ns + "rep", CreatedAt: now.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := trainer.Retrain(ctx, false)
	if err != nil || res.Trained || res.New != 10 {
		t.Fatalf("with 10 labels: %+v, %v", res, err)
	}
	for i := 10; i < 60; i++ {
		if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{Kind: valuegraph.FeedbackWrongStage, CustomerID: customers[i].ID,
			Stage: valuegraph.StagePlanning, Author: ns + "rep", CreatedAt: now.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	res, err = trainer.Retrain(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Trained || !res.Promoted || res.HeldOut == 0 || res.NewScore <= res.OldScore {
		t.Fatalf("retraining on 60 labels: %+v", res)
	}
	current, err := models.Current(ctx)
	if err != nil || current.Version != res.Version {
		t.Fatalf("scoring uses %v (%v), want %s", current, err, res.Version)
	}
	sigs, _ := s.ScoringSignals(ctx, customers[0].ID, now.AddDate(-2, 0, 0))
	if got := current.Assess("x", current.Compute(sigs, now), now).Stage; got != valuegraph.StagePlanning {
		t.Errorf("the new version says %s, want PLANNING as the reps do", got)
	}
	versions, err := s.ModelVersions(ctx, ns+"scoring")
	if err != nil || len(versions) != 1 || versions[0].Status != valuegraph.ModelActive || versions[0].Metrics["accuracy"] != res.NewScore {
		t.Errorf("versions %+v, %v", versions, err)
	}
	if err := s.ActivateModel(ctx, ns+"scoring", "no-such-version"); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
		t.Errorf("activating an unknown version: %v", err)
	}
}
