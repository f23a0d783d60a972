package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/scoring"
)

// The built-in priors are a version like any other: activation can always
// go back to them, rollback returns to the version active before, and each
// move is audited.
func TestModelActivateAndRollback(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	kind := ns + "scoring"
	ctx := context.Background()
	env := testEnv(map[string]string{"USER": "tester"})
	run := func(args ...string) string {
		t.Helper()
		var out, errOut strings.Builder
		if err := Run(ctx, append([]string{"model", args[0], "-kind", kind, "-enqueue=false"}, args[1:]...), &out, &errOut, env); err != nil {
			t.Fatalf("model %v: %v\n%s", args, err, errOut.String())
		}
		return out.String()
	}
	prior, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if out := run("list"); !strings.Contains(out, prior.Version) || !strings.Contains(out, "built in") {
		t.Fatalf("list: %s", out)
	}
	def, _ := prior.YAML()
	if err := s.SaveModelVersion(ctx, valuegraph.ModelVersion{Kind: kind, Version: "fit-x", Status: valuegraph.ModelCandidate, Definition: def,
		Metrics: map[string]float64{"heldOut": 3, "accuracy": 1}}); err != nil {
		t.Fatal(err)
	}
	if out := run("list"); !strings.Contains(out, "too few labels to judge") {
		t.Errorf("a version judged on 3 labels: %s", out)
	}
	active := func() string {
		t.Helper()
		mv, err := s.ActiveModelVersion(ctx, kind)
		if err != nil || mv == nil {
			t.Fatalf("active: %v %v", mv, err)
		}
		return mv.Version
	}
	run("activate", "fit-x")
	if got := active(); got != "fit-x" {
		t.Fatalf("active %s after activating fit-x", got)
	}
	run("activate", prior.Version)
	if got := active(); got != prior.Version {
		t.Fatalf("active %s after going back to the priors", got)
	}
	if out := run("rollback"); !strings.Contains(out, "fit-x is active (was "+prior.Version+")") {
		t.Errorf("rollback: %s", out)
	}
	if got := active(); got != "fit-x" {
		t.Fatalf("active %s after rollback, want fit-x", got)
	}
	audits, err := s.Audits(ctx, kind+"/"+prior.Version, 5)
	if err != nil || len(audits) != 1 || audits[0].Action != "model activate" || audits[0].Actor != "cli:tester" {
		t.Errorf("audits of the priors' activation: %+v, %v", audits, err)
	}
}

// A retrained version that does worse on the held-out labels is kept as a
// candidate; an admin may activate it anyway, roll back, and go back to the
// built-in priors: each step audited, each asking the worker (a real Redis)
// to rescore every customer.
func TestRetrainWorseThenActivateAndRollBack(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	kind := ns + "scoring"
	ctx := context.Background()
	prior, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	// 250 customers alike: one official tender each, days ago.
	var customers []valuegraph.Customer
	var signals []valuegraph.Signal
	for i := range 250 {
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
	// The held-out labels (one in five, by feedback id) agree with the
	// priors; the training labels say DORMANT where the priors do not: the
	// fitted version learns what the held-out labels contradict.
	held := 0
	for i, c := range customers {
		fbID := fmt.Sprintf("%sfb%d", ns, i)
		stage := valuegraph.StageDormant
		if h := sha256.Sum256([]byte(fbID)); h[0]%5 == 0 {
			stage = prior.Assess(c.ID, prior.Compute(signals[i:i+1], now), now).Stage
			held++
		}
		if h := sha256.Sum256([]byte(fbID)); h[0]%5 == 0 && stage == valuegraph.StageDormant {
			t.Fatalf("the priors already say DORMANT for %s: the test needs customers they place elsewhere", c.ID)
		}
		if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{ID: fbID, Kind: valuegraph.FeedbackWrongStage, CustomerID: c.ID,
			Stage: stage, Author: ns + "rep", CreatedAt: now.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	models := &jobs.GraphModels{Store: s, Fallback: prior, Kind: kind}
	if err := jobs.EnsurePriors(ctx, s, kind, prior); err != nil {
		t.Fatal(err)
	}
	trainer := &jobs.Trainer{Graph: s, Models: models, CustomerPrefix: ns, MinLabels: 20}
	res, err := trainer.Retrain(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Trained || !res.Judged || res.Promoted || res.NewScore >= res.OldScore {
		t.Fatalf("retrained on labels the held-out ones contradict: %+v (%d held out); want a judged candidate, worse than the active version", res, held)
	}
	versions, err := s.ModelVersions(ctx, kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		if v.Version == res.Version && v.Status != valuegraph.ModelCandidate {
			t.Errorf("the worse version is %s, want a candidate", v.Status)
		}
	}

	env := testEnv(map[string]string{"USER": "tester"})
	run := func(args ...string) string {
		t.Helper()
		var out, errOut strings.Builder
		if err := Run(ctx, append([]string{"model", args[0], "-kind", kind}, args[1:]...), &out, &errOut, env); err != nil {
			t.Fatalf("model %v: %v\n%s", args, err, errOut.String())
		}
		if !strings.Contains(out.String(), "rescoring of every customer") {
			t.Errorf("model %v asked for no rescoring:\n%s", args, out.String())
		}
		return out.String()
	}
	active := func() string {
		t.Helper()
		mv, err := s.ActiveModelVersion(ctx, kind)
		if err != nil || mv == nil {
			t.Fatalf("active: %v %v", mv, err)
		}
		return mv.Version
	}
	audited := func(version, action string) {
		t.Helper()
		audits, err := s.Audits(ctx, kind+"/"+version, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range audits {
			if a.Action == action && a.Actor == "cli:tester" {
				return
			}
		}
		t.Errorf("no %q audited for %s: %+v", action, version, audits)
	}
	run("activate", res.Version) // anyway
	if got := active(); got != res.Version {
		t.Fatalf("active %s after activating the candidate", got)
	}
	audited(res.Version, "model activate")
	run("rollback")
	if got := active(); got != prior.Version {
		t.Fatalf("active %s after rolling back, want the priors", got)
	}
	audited(prior.Version, "model rollback")
	run("activate", res.Version)
	run("activate", prior.Version)
	if got := active(); got != prior.Version {
		t.Fatalf("active %s after activating the priors again", got)
	}
	audited(prior.Version, "model activate")
}
