package main

import (
	"context"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
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
