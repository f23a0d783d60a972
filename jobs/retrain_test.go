package jobs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/scoring"
)

// Reps keep saying customers whose only news is a tender are still
// planning; retraining learns it, is judged on held-out labels, promoted,
// and scoring then uses the new version.
func TestRetrainOnFeedback(t *testing.T) {
	w := newTrainingWorld(t, 240, func(ns string, i int, id string) []valuegraph.Signal {
		return []valuegraph.Signal{{ID: fmt.Sprintf("%ss%d", ns, i), Kind: valuegraph.SignalTender, Source: ns + "ccgp",
			Trust: valuegraph.TrustL2, OccurredAt: trainingNow.AddDate(0, 0, -10-i%20), CustomerIDs: []string{id}}}
	})
	s, ctx, ns, now, customers, models, trainer := w.s, w.ctx, w.ns, trainingNow, w.customers, w.models, w.trainer

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
	label := func(from, to int) {
		for i := from; i < to; i++ {
			if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{Kind: valuegraph.FeedbackWrongStage, CustomerID: customers[i].ID,
				Stage: valuegraph.StagePlanning, Author: ns + "rep", CreatedAt: now.Add(-time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Enough labels to train, too few held out to judge: a candidate,
	// not promoted, whatever its figure.
	label(10, 60)
	res, err = trainer.Retrain(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Trained || res.Judged || res.Promoted || res.HeldOut >= jobs.MinHeldOut {
		t.Fatalf("retraining on 60 labels: %+v, want a candidate: too few held-out labels to judge", res)
	}
	label(60, 240)
	trainer.Now = func() time.Time { return now.Add(time.Minute) }
	res, err = trainer.Retrain(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Trained || !res.Judged || !res.Promoted || res.HeldOut < jobs.MinHeldOut || res.NewScore <= res.OldScore {
		t.Fatalf("retraining on 240 labels: %+v", res)
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
	if err != nil || len(versions) != 2 || versions[0].Status != valuegraph.ModelActive || versions[0].Metrics["accuracy"] != res.NewScore ||
		versions[1].Status != valuegraph.ModelCandidate {
		t.Errorf("versions %+v, %v", versions, err)
	} else if lo, hi := versions[0].Metrics["accuracyLow95"], versions[0].Metrics["accuracyHigh95"]; !(lo <= res.NewScore && res.NewScore <= hi && hi-lo > 0) ||
		versions[0].Metrics["labels"] != 240 {
		t.Errorf("the version's interval [%v, %v] and labels %v, accuracy %v", lo, hi, versions[0].Metrics["labels"], res.NewScore)
	}
	if err := s.ActivateModel(ctx, ns+"scoring", "no-such-version"); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
		t.Errorf("activating an unknown version: %v", err)
	}
}

// Reps saying a risk is real or unfounded train the risk models: quiet
// customers the reps call churning make silence weigh more for churn.
func TestRetrainOnRiskFeedback(t *testing.T) {
	w := newTrainingWorld(t, 200, func(ns string, i int, id string) []valuegraph.Signal {
		age := 10 + i%20 // the first half heard from lately, the second long ago
		if i >= 100 {
			age = 150 + i%20
		}
		var out []valuegraph.Signal
		for j := range 3 {
			out = append(out, valuegraph.Signal{ID: fmt.Sprintf("%ss%d-%d", ns, i, j), Kind: valuegraph.SignalERPOrder, Source: ns + "erp",
				Trust: valuegraph.TrustL1, OccurredAt: trainingNow.AddDate(0, 0, -age-30*j), CustomerIDs: []string{id}})
		}
		return out
	})
	s, ctx, ns, now, customers, models, trainer, prior := w.s, w.ctx, w.ns, trainingNow, w.customers, w.models, w.trainer, w.prior
	if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{Kind: valuegraph.FeedbackRiskReal, CustomerID: customers[0].ID, Risk: "credit",
		Author: ns + "rep", CreatedAt: now}); valuegraph.ErrorCode(err) != valuegraph.EINVALID {
		t.Errorf("risk_real for credit: %v, want EINVALID", err)
	}
	for i, c := range customers {
		kind := valuegraph.FeedbackRiskUnfounded
		if i >= 100 {
			kind = valuegraph.FeedbackRiskReal
		}
		if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{Kind: kind, CustomerID: c.ID, Risk: valuegraph.RiskChurn,
			Author: ns + "rep", CreatedAt: now.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	churn := func(m *scoring.Model, c valuegraph.Customer) float64 {
		sigs, _ := s.ScoringSignals(ctx, c.ID, now.AddDate(-2, 0, 0))
		return m.Assess(c.ID, m.Compute(sigs, now), now).Risks.Churn
	}
	quietBefore, busyBefore := churn(prior, customers[199]), churn(prior, customers[0])
	res, err := trainer.Retrain(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Trained || !res.Promoted || res.NewRiskLoss >= res.OldRiskLoss {
		t.Fatalf("retraining on 200 churn labels: %+v", res)
	}
	current, err := models.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	quiet, busy := churn(current, customers[199]), churn(current, customers[0])
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

// trainingNow is when the retraining tests' reps give their labels.
var trainingNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// trainingWorld is n customers under a fresh prefix, each with the signals
// signals gives it, and a trainer over them starting from the priors.
type trainingWorld struct {
	s         *graph.Store
	ctx       context.Context
	ns        string
	prior     *scoring.Model
	customers []valuegraph.Customer
	models    *jobs.GraphModels
	trainer   *jobs.Trainer
}

func newTrainingWorld(t *testing.T, n int, signals func(ns string, i int, id string) []valuegraph.Signal) trainingWorld {
	t.Helper()
	w := trainingWorld{s: graphtest.MustOpen(t), ctx: context.Background(), prior: mustModel(t)}
	w.ns = graphtest.Prefix(t, w.s)
	var sigs []valuegraph.Signal
	for i := range n {
		id := fmt.Sprintf("%sc%d", w.ns, i)
		w.customers = append(w.customers, valuegraph.Customer{ID: id, Name: fmt.Sprintf("%s客户%d", w.ns, i)})
		sigs = append(sigs, signals(w.ns, i, id)...)
	}
	if _, err := w.s.UpsertCustomers(w.ctx, w.customers); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.UpsertSignals(w.ctx, sigs); err != nil {
		t.Fatal(err)
	}
	w.models = &jobs.GraphModels{Store: w.s, Fallback: w.prior, Kind: w.ns + "scoring"}
	w.trainer = &jobs.Trainer{Graph: w.s, Models: w.models, CustomerPrefix: w.ns, MinLabels: 20, Now: func() time.Time { return trainingNow }}
	return w
}
