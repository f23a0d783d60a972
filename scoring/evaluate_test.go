package scoring_test

import (
	"math"
	"testing"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/scoring"
)

// TestAUC checks the rank statistic on rankings small enough to count by
// hand.
func TestAUC(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    []float64
		y    []bool
		want float64
	}{
		{"perfect", []float64{0.1, 0.2, 0.8, 0.9}, []bool{false, false, true, true}, 1},
		{"reversed", []float64{0.9, 0.8, 0.2, 0.1}, []bool{false, false, true, true}, 0},
		{"all tied is random", []float64{0.5, 0.5, 0.5, 0.5}, []bool{false, true, false, true}, 0.5},
		// Pairs (positive, negative): (0.4, 0.1) ok, (0.4, 0.6) wrong, (0.9, 0.1) ok, (0.9, 0.6) ok.
		{"three of four pairs", []float64{0.1, 0.4, 0.6, 0.9}, []bool{false, true, false, true}, 0.75},
		// (0.5, 0.5) is a tie, half; (0.5, 0.2) ok.
		{"tie counts half", []float64{0.2, 0.5, 0.5}, []bool{false, false, true}, 0.75},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := scoring.AUC(tc.p, tc.y); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("AUC = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("one class only", func(t *testing.T) {
		if got := scoring.AUC([]float64{0.2, 0.7}, []bool{true, true}); !math.IsNaN(got) {
			t.Errorf("AUC = %v without negatives, want NaN", got)
		}
	})
}

// TestCalibration checks the reliability table and ECE.
func TestCalibration(t *testing.T) {
	t.Run("calibrated", func(t *testing.T) {
		// Four at 0.25 with one positive, five at 0.8 with four: each bin's
		// mean prediction is its share of positives.
		p := []float64{0.25, 0.25, 0.25, 0.25, 0.8, 0.8, 0.8, 0.8, 0.8}
		y := []bool{true, false, false, false, true, true, true, true, false}
		bins, ece := scoring.Calibration(p, y)
		if ece > 1e-12 {
			t.Errorf("ECE = %v, want 0", ece)
		}
		if len(bins) != 10 || bins[2].N != 4 || bins[8].N != 5 || math.Abs(bins[2].Observed-0.25) > 1e-12 || math.Abs(bins[8].Predicted-0.8) > 1e-12 {
			t.Errorf("bins = %+v", bins)
		}
	})
	t.Run("overconfident", func(t *testing.T) {
		// Two at 0.9, neither positive (gap 0.9); two at 0.1, one positive
		// (gap 0.4): ECE = (2×0.9 + 2×0.4) / 4 = 0.65.
		_, ece := scoring.Calibration([]float64{0.9, 0.9, 0.1, 0.1}, []bool{false, false, true, false})
		if math.Abs(ece-0.65) > 1e-12 {
			t.Errorf("ECE = %v, want 0.65", ece)
		}
	})
	t.Run("one is the top bin", func(t *testing.T) {
		bins, _ := scoring.Calibration([]float64{1}, []bool{true})
		if bins[9].N != 1 {
			t.Errorf("a prediction of 1 fell outside the top bin: %+v", bins)
		}
	})
}

// TestF1 checks per-stage and macro-F1 on a confusion table counted by hand.
func TestF1(t *testing.T) {
	c := map[valuegraph.Stage]map[valuegraph.Stage]int{
		// DORMANT: tp 3, fn 1 (as EXPLORING), fp 2 (EXPLORING read as DORMANT): F1 = 6/9.
		valuegraph.StageDormant: {valuegraph.StageDormant: 3, valuegraph.StageExploring: 1},
		// EXPLORING: tp 2, fn 2, fp 1: F1 = 4/7.
		valuegraph.StageExploring: {valuegraph.StageExploring: 2, valuegraph.StageDormant: 2},
		// ADOPTING never right, never predicted by mistake: tp 0, fn 1: F1 = 0.
		valuegraph.StageAdopting: {valuegraph.StageExpanding: 1},
		// EXPANDING: tp 0, fp 1: F1 = 0.
	}
	f1, macro := scoring.F1(c)
	want := map[valuegraph.Stage]float64{valuegraph.StageDormant: 6.0 / 9, valuegraph.StageExploring: 4.0 / 7, valuegraph.StageAdopting: 0, valuegraph.StageExpanding: 0}
	if len(f1) != len(want) {
		t.Errorf("F1 for %v, want only %v (stages neither true nor predicted have none)", f1, want)
	}
	for s, w := range want {
		if math.Abs(f1[s]-w) > 1e-12 {
			t.Errorf("F1[%s] = %v, want %v", s, f1[s], w)
		}
	}
	if w := (6.0/9 + 4.0/7) / 4; math.Abs(macro-w) > 1e-12 {
		t.Errorf("macro-F1 = %v, want %v", macro, w)
	}
	if _, macro := scoring.F1(nil); macro != 0 {
		t.Errorf("macro-F1 of nothing = %v, want 0", macro)
	}
}

// TestEvaluateExamplesPartialLabels: a stage label counts only towards the
// stage figures, a risk label only towards its risk.
func TestEvaluateExamplesPartialLabels(t *testing.T) {
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	quiet := m.Compute(nil, now)
	r := m.EvaluateExamples([]scoring.Example{
		{Features: quiet, Stage: valuegraph.StageDormant},
		{Features: quiet, Churn: &yes},
		{Features: quiet, Churn: &no, Replacement: &no},
	})
	if r.N != 3 || r.StageN != 1 || r.ChurnN != 2 || r.ReplacementN != 1 {
		t.Errorf("counts N %d, stage %d, churn %d, replacement %d; want 3, 1, 2, 1", r.N, r.StageN, r.ChurnN, r.ReplacementN)
	}
	if r.StageAccuracy != 1 || r.MacroF1 != 1 {
		t.Errorf("a silent customer labelled DORMANT: accuracy %v, macro-F1 %v, want 1 and 1", r.StageAccuracy, r.MacroF1)
	}
	if !math.IsNaN(r.ReplacementAUC) || r.ChurnAUC != 0.5 {
		t.Errorf("replacement AUC %v (one class: want NaN), churn AUC %v (tied: want 0.5)", r.ReplacementAUC, r.ChurnAUC)
	}
}

// TestWilson checks the interval against published values (50 of 100:
// 0.404 to 0.596; 10 of 10: 0.722 to 1) and its exact ends.
func TestWilson(t *testing.T) {
	for _, tc := range []struct {
		name      string
		p         float64
		n         int
		lo, hi    float64
		exactLo   bool
		exactHigh bool
	}{
		{"half of 100", 0.5, 100, 0.4038, 0.5962, false, false},
		{"all of 10", 1, 10, 0.7225, 1, false, true},
		{"none of 10", 0, 10, 0, 0.2775, true, false},
		{"no trials", 0, 0, 0, 1, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := scoring.Wilson(tc.p, tc.n)
			if math.Abs(lo-tc.lo) > 1e-4 || math.Abs(hi-tc.hi) > 1e-4 || (tc.exactLo && lo != tc.lo) || (tc.exactHigh && hi != tc.hi) {
				t.Errorf("Wilson(%v, %d) = [%v, %v], want [%v, %v]", tc.p, tc.n, lo, hi, tc.lo, tc.hi)
			}
		})
	}
}
