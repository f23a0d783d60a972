package scoring_test

import (
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/scoring"
)

// driftingLabels is a set where the split matters: for the first 30 days
// reps call customers with orders ADOPTING (or silent ones DORMANT); from
// day 30 they call customers with more orders EXPANDING. A model that
// learnt only from the older labels cannot know that; one that peeked at the
// newer ones can. The examples come shuffled.
func driftingLabels() []scoring.Example {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var ex []scoring.Example
	for i := range 40 {
		e := scoring.Example{At: t0.AddDate(0, 0, i)}
		switch {
		case i >= 30:
			e.Features, e.Stage = scoring.Features{"orders": {Value: 3}}, valuegraph.StageExpanding
		case i%2 == 0:
			e.Features, e.Stage = scoring.Features{"orders": {Value: 2}}, valuegraph.StageAdopting
		default:
			e.Features, e.Stage = scoring.Features{"silence": {Value: 1}}, valuegraph.StageDormant
		}
		ex = append(ex, e)
	}
	for i := range ex { // a fixed shuffle, so the order given is not the order in time
		j := (i * 17) % len(ex)
		ex[i], ex[j] = ex[j], ex[i]
	}
	return ex
}

func TestTimeSplit(t *testing.T) {
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		ex := driftingLabels()
		r, err := m.TimeSplit(ex, 0.25, scoring.FitOptions{Iterations: 500})
		if err != nil {
			t.Fatal(err)
		}
		if r.Train != 30 || r.Test != 10 || r.Cut.Day() != 31 || r.Before.StageN != 10 || r.After.StageN != 10 {
			t.Fatalf("train %d, test %d (labels %d), cut %s; want 30, 10 (10), 2025-01-31", r.Train, r.Test, r.After.StageN, r.Cut.Format(time.DateOnly))
		}
		// Learnt from the older labels only: the newer EXPANDING ones read
		// as ADOPTING.
		if got := r.After.Confusion[valuegraph.StageExpanding][valuegraph.StageAdopting]; got != 10 {
			t.Errorf("retrained on the older labels, %d of the 10 newer EXPANDING read as ADOPTING, want all: %v", got, r.After.Confusion)
		}
		// The set is one where that matters: trained on every label, the
		// newer ones are learnt.
		var newer []scoring.Example
		for _, e := range ex {
			if !e.At.Before(r.Cut) {
				newer = append(newer, e)
			}
		}
		if leak := m.Fit(ex, scoring.FitOptions{Iterations: 500}).EvaluateExamples(newer); leak.StageAccuracy < 0.9 {
			t.Errorf("trained on all labels, accuracy on the newer %.2f: the set does not show what a time split prevents", leak.StageAccuracy)
		}
	})
	t.Run("TiesStayTogether", func(t *testing.T) {
		ex := driftingLabels()
		for i := range ex {
			if ex[i].At.Day() == 30 { // day 29 given at the instant of day 30
				ex[i].At = ex[i].At.AddDate(0, 0, 1)
			}
		}
		r, err := m.TimeSplit(ex, 0.25, scoring.FitOptions{Iterations: 50})
		if err != nil {
			t.Fatal(err)
		}
		if r.Train != 29 || r.Test != 11 {
			t.Errorf("train %d, test %d; want 29, 11 (the two labels of one instant on the test side)", r.Train, r.Test)
		}
	})
	t.Run("ErrCannotSplit", func(t *testing.T) {
		ex := driftingLabels()
		for i := range ex {
			ex[i].At = time.Time{}
		}
		if _, err := m.TimeSplit(ex, 0.25, scoring.FitOptions{}); err == nil {
			t.Error("labels all given at one instant were split")
		}
		if _, err := m.TimeSplit(nil, 0.25, scoring.FitOptions{}); err == nil {
			t.Error("no labels were split")
		}
	})
}
