package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// headline is the figures line every evaluation section starts with.
var headline = regexp.MustCompile(`^stage accuracy (\d\.\d{3}) \[95%: \d\.\d{3}, \d\.\d{3}\], macro-F1 (\d\.\d{3}) \((\d+) stage labels\); ` +
	`replacement AUC (\d\.\d{3}|n/a), ECE (\d\.\d{3}) \((\d+) labels\); churn AUC (\d\.\d{3}|n/a), ECE (\d\.\d{3}) \((\d+) labels\)$`)

// sections splits a report at its "### " headings and checks each has the
// figures line, a per-stage F1 table, a confusion table and both risks'
// reliability tables. It says nothing of how good the figures are.
func sections(t *testing.T, report string, wantAUC bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	parts := strings.Split(report, "\n### ")
	for _, p := range parts[1:] {
		title, body, _ := strings.Cut(p, "\n")
		out[title] = body
		lines := strings.Split(strings.TrimSpace(body), "\n")
		if m := headline.FindStringSubmatch(lines[0]); m == nil {
			t.Errorf("%s: figures line %q", title, lines[0])
		} else if wantAUC && (m[4] == "n/a" || m[7] == "n/a") {
			t.Errorf("%s: an AUC was not computed: %q", title, lines[0])
		}
		for _, want := range []string{"| stage | F1 |", "| truth \\ predicted |", "replacement reliability:", "churn reliability:", "| predicted | cases | mean predicted | observed |"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: no %q", title, want)
			}
		}
	}
	return out
}

func TestEvaluateIndependent(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		var out, errs strings.Builder
		if err := Run(context.Background(), []string{"evaluate", "-independent", "-train", "150", "-test", "150"}, &out, &errs, testEnv(nil)); err != nil {
			t.Fatalf("%v\n%s", err, errs.String())
		}
		report := out.String()
		for _, want := range []string{"## Generated journeys (scenarios.yaml, seeds 1 and 2)", "## Independent journeys (31 hand-labelled customers, 92 labelled dates)"} {
			if !strings.Contains(report, want) {
				t.Errorf("no %q in\n%s", want, report)
			}
		}
		got := sections(t, report, true)
		for _, title := range []string{
			"model prior-1, held-out set (150 cases)", "model prior-1-fit retrained on 150 generated customers, held-out set (150 cases)",
			"model prior-1 (92 cases)", "model prior-1-fit retrained on 150 generated customers (92 cases)",
		} {
			if _, ok := got[title]; !ok {
				t.Errorf("no section %q; sections %v", title, keys(got))
			}
		}
		if !strings.Contains(got["model prior-1 (92 cases)"], "(92 stage labels); replacement AUC") {
			t.Errorf("the independent set is not evaluated on its 92 labels:\n%s", got["model prior-1 (92 cases)"])
		}
	})
	t.Run("JourneysFile", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "j.yaml")
		if err := os.WriteFile(file, []byte(`trust: {erp_order: 1, forum_post: 3}
customers:
  - id: a
    start: 2025-01-01
    signals: [{kind: erp_order, from: -300, to: 0, every: 20}]
    evaluate: [{at: 5, stage: ADOPTING}, {at: 200, stage: DORMANT, churn: true}]
  - id: b
    start: 2025-01-01
    signals: [{kind: forum_post, days: [0, 3], intents: [alternative], competitor: true}]
    evaluate: [{at: 5, stage: EXPLORING, replacement: true}, {at: 20, stage: EXPLORING}]
`), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errs strings.Builder
		if err := Run(context.Background(), []string{"evaluate", "-journeys", file, "-train", "0", "-test", "50"}, &out, &errs, testEnv(nil)); err != nil {
			t.Fatalf("%v\n%s", err, errs.String())
		}
		got := sections(t, out.String(), true)
		if _, ok := got["model prior-1 (4 cases)"]; !ok || len(got) != 2 {
			t.Errorf("sections %v, want the generated set and the file's 4 cases, no retraining", keys(got))
		}
	})
	t.Run("ErrBadJourneys", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "bad.yaml")
		if err := os.WriteFile(file, []byte("customers:\n  - id: a\n    start: someday\n    evaluate: [{at: 1, stage: ASLEEP}]\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errs strings.Builder
		err := Run(context.Background(), []string{"evaluate", "-journeys", file}, &out, &errs, testEnv(nil))
		if err == nil || !strings.Contains(err.Error(), "customers[0].start") || !strings.Contains(err.Error(), "customers[0].evaluate[0].stage") {
			t.Errorf("error %v, want each problem with its field", err)
		}
	})
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestEvaluateTimeSplit: reps' labels in the graph, given over 40 days, are
// learnt from up to the cut and judged on after it; 10 newer labels are too
// few to judge, and the report says so.
func TestEvaluateTimeSplit(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx := context.Background()
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	var customers []valuegraph.Customer
	var sigs []valuegraph.Signal
	for i := range 40 {
		id := fmt.Sprintf("%sc%d", ns, i)
		customers = append(customers, valuegraph.Customer{ID: id, Name: fmt.Sprintf("%s客户%d", ns, i)})
		sigs = append(sigs, valuegraph.Signal{ID: fmt.Sprintf("%ss%d", ns, i), Kind: valuegraph.SignalTender, Source: ns + "ccgp",
			Trust: valuegraph.TrustL2, OccurredAt: t0.AddDate(0, 0, i-10), CustomerIDs: []string{id}})
	}
	if _, err := s.UpsertCustomers(ctx, customers); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertSignals(ctx, sigs); err != nil {
		t.Fatal(err)
	}
	for i, c := range customers {
		if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{Kind: valuegraph.FeedbackWrongStage, CustomerID: c.ID,
			Stage: valuegraph.StagePlanning, Author: ns + "rep", CreatedAt: t0.AddDate(0, 0, i)}); err != nil {
			t.Fatal(err)
		}
	}
	var out, errs strings.Builder
	if err := Run(ctx, []string{"evaluate", "-time-split", "-customers", ns, "-kind", ns + "scoring", "-test-share", "0.25"}, &out, &errs, testEnv(nil)); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	report := out.String()
	for _, want := range []string{
		"## Feedback labels split in time (40 labels: 30 given 2026-06-01 to 2026-06-30 trained on, 10 given 2026-07-01 to 2026-07-10 judged on)",
		"too few labels to judge: 10 newer labels, fewer than 30",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("no %q in\n%s", want, report)
		}
	}
	got := sections(t, report, false) // stage labels only: no AUC
	for _, title := range []string{"model prior-1, newer labels (10 cases)", "model prior-1-timesplit retrained on the 30 older labels, newer labels (10 cases)"} {
		if !strings.Contains(got[title], "(10 stage labels); replacement AUC n/a") {
			t.Errorf("section %q:\n%s\nsections %v", title, got[title], keys(got))
		}
	}
}
