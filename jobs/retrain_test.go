package jobs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/scoring"
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

// Reps saying a risk is real or unfounded train the risk models: quiet
// customers the reps call churning make silence weigh more for churn.
func TestRetrainOnRiskFeedback(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	ns := graphtest.Prefix(t, s)
	prior := mustModel(t)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var customers []valuegraph.Customer
	var signals []valuegraph.Signal
	for i := range 80 {
		id := fmt.Sprintf("%sc%d", ns, i)
		customers = append(customers, valuegraph.Customer{ID: id, Name: fmt.Sprintf("%s客户%d", ns, i)})
		age := 10 + i%20 // the first half heard from lately, the second long ago
		if i >= 40 {
			age = 150 + i%20
		}
		for j := range 3 {
			signals = append(signals, valuegraph.Signal{ID: fmt.Sprintf("%ss%d-%d", ns, i, j), Kind: valuegraph.SignalERPOrder, Source: ns + "erp",
				Trust: valuegraph.TrustL1, OccurredAt: now.AddDate(0, 0, -age-30*j), CustomerIDs: []string{id}})
		}
	}
	if _, err := s.UpsertCustomers(ctx, customers); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertSignals(ctx, signals); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{Kind: valuegraph.FeedbackRiskReal, CustomerID: customers[0].ID, Risk: "credit",
		Author: ns + "rep", CreatedAt: now}); valuegraph.ErrorCode(err) != valuegraph.EINVALID {
		t.Errorf("risk_real for credit: %v, want EINVALID", err)
	}
	for i, c := range customers {
		kind := valuegraph.FeedbackRiskUnfounded
		if i >= 40 {
			kind = valuegraph.FeedbackRiskReal
		}
		if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{Kind: kind, CustomerID: c.ID, Risk: valuegraph.RiskChurn,
			Author: ns + "rep", CreatedAt: now.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	models := &jobs.GraphModels{Store: s, Fallback: prior, Kind: ns + "scoring"}
	trainer := &jobs.Trainer{Graph: s, Models: models, CustomerPrefix: ns, MinLabels: 20, Now: func() time.Time { return now }}
	churn := func(m *scoring.Model, c valuegraph.Customer) float64 {
		sigs, _ := s.ScoringSignals(ctx, c.ID, now.AddDate(-2, 0, 0))
		return m.Assess(c.ID, m.Compute(sigs, now), now).Risks.Churn
	}
	quietBefore, busyBefore := churn(prior, customers[79]), churn(prior, customers[0])
	res, err := trainer.Retrain(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Trained || !res.Promoted || res.NewRiskLoss >= res.OldRiskLoss {
		t.Fatalf("retraining on 80 churn labels: %+v", res)
	}
	current, err := models.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	quiet, busy := churn(current, customers[79]), churn(current, customers[0])
	t.Logf("churn risk, quiet customer %.2f -> %.2f; busy customer %.2f -> %.2f; log loss %.3f -> %.3f",
		quietBefore, quiet, busyBefore, busy, res.OldRiskLoss, res.NewRiskLoss)
	if quiet <= quietBefore || busy > busyBefore+0.01 || quiet < 0.5 || busy > 0.5 {
		t.Errorf("after training the quiet customer's churn risk is %.2f (was %.2f), the busy one's %.2f (was %.2f)", quiet, quietBefore, busy, busyBefore)
	}
	versions, _ := s.ModelVersions(ctx, ns+"scoring")
	if len(versions) != 1 || versions[0].Metrics["riskLogLoss"] != res.NewRiskLoss {
		t.Errorf("versions %+v", versions)
	}
}
