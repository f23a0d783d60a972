package scoring

import (
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/valuegraph/valuegraph"
)

// Report is how a model does on labelled cases. Both evaluations (the
// generated journeys and the independent ones) and the time split of
// feedback labels fill it here, so their figures mean the same.
type Report struct {
	N              int // examples
	StageN         int // of them with a stage label
	StageAccuracy  float64
	AccuracyLow95  float64 // Wilson interval of the stage accuracy
	AccuracyHigh95 float64
	MacroF1        float64                                       // mean of StageF1 over the stages in the truth or the predictions
	StageF1        map[valuegraph.Stage]float64                  // those stages only
	Confusion      map[valuegraph.Stage]map[valuegraph.Stage]int // truth -> predicted -> count
	ReplacementN   int                                           // replacement labels
	ChurnN         int
	ReplacementAUC float64 // NaN without both a positive and a negative label
	ChurnAUC       float64
	ReplacementECE float64
	ChurnECE       float64
	Reliability    map[string][]Bin // by risk
}

// Bin is one row of a reliability table.
type Bin struct {
	Lo, Hi    float64
	N         int
	Predicted float64 // mean predicted probability
	Observed  float64 // share of positives
}

// Evaluate scores every case and compares with the truth.
func (m *Model) Evaluate(cases []Case) Report {
	return m.EvaluateExamples(m.Examples(cases))
}

// EvaluateExamples scores every example from its features and compares
// with whatever labels it has: a stage label counts towards the stage
// figures, a risk label towards that risk's.
func (m *Model) EvaluateExamples(examples []Example) Report {
	r := Report{N: len(examples), Confusion: map[valuegraph.Stage]map[valuegraph.Stage]int{}, Reliability: map[string][]Bin{}}
	var repP, churnP []float64
	var repY, churnY []bool
	right := 0
	for _, e := range examples {
		a := m.Assess("example", e.Features, e.At)
		if e.Stage != "" {
			r.StageN++
			if r.Confusion[e.Stage] == nil {
				r.Confusion[e.Stage] = map[valuegraph.Stage]int{}
			}
			r.Confusion[e.Stage][a.Stage]++
			if a.Stage == e.Stage {
				right++
			}
		}
		if e.Replacement != nil {
			repP, repY = append(repP, a.Risks.Replacement), append(repY, *e.Replacement)
		}
		if e.Churn != nil {
			churnP, churnY = append(churnP, a.Risks.Churn), append(churnY, *e.Churn)
		}
	}
	r.StageAccuracy = float64(right) / float64(max(r.StageN, 1))
	r.AccuracyLow95, r.AccuracyHigh95 = Wilson(r.StageAccuracy, r.StageN)
	r.StageF1, r.MacroF1 = F1(r.Confusion)
	r.ReplacementN, r.ChurnN = len(repP), len(churnP)
	r.ReplacementAUC, r.ChurnAUC = AUC(repP, repY), AUC(churnP, churnY)
	r.Reliability["replacement"], r.ReplacementECE = Calibration(repP, repY)
	r.Reliability["churn"], r.ChurnECE = Calibration(churnP, churnY)
	return r
}

// F1 gives each stage's F1 score from a confusion table (truth -> predicted
// -> count) and their unweighted mean, the macro-F1. A stage neither in the
// truth nor predicted has no F1 and does not count towards the mean (0
// without any stage).
func F1(confusion map[valuegraph.Stage]map[valuegraph.Stage]int) (map[valuegraph.Stage]float64, float64) {
	tp, fp, fn := map[valuegraph.Stage]int{}, map[valuegraph.Stage]int{}, map[valuegraph.Stage]int{}
	for truth, row := range confusion {
		for pred, n := range row {
			if truth == pred {
				tp[truth] += n
			} else {
				fn[truth] += n
				fp[pred] += n
			}
		}
	}
	f1 := map[valuegraph.Stage]float64{}
	sum := 0.0
	for _, s := range valuegraph.Stages {
		d := 2*tp[s] + fp[s] + fn[s]
		if d == 0 {
			continue
		}
		f1[s] = float64(2*tp[s]) / float64(d)
		sum += f1[s]
	}
	if len(f1) == 0 {
		return f1, 0
	}
	return f1, sum / float64(len(f1))
}

// AUC is the probability that a random positive scores above a random
// negative (ties count half).
func AUC(p []float64, y []bool) float64 {
	type pt struct {
		p float64
		y bool
	}
	pts := make([]pt, len(p))
	for i := range p {
		pts[i] = pt{p[i], y[i]}
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].p < pts[j].p })
	// Rank sum of positives, ties averaged.
	var rankSum float64
	pos, neg := 0, 0
	for i := 0; i < len(pts); {
		j := i
		for j < len(pts) && pts[j].p == pts[i].p {
			j++
		}
		avg := float64(i+j+1) / 2
		for k := i; k < j; k++ {
			if pts[k].y {
				rankSum += avg
				pos++
			} else {
				neg++
			}
		}
		i = j
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - float64(pos*(pos+1))/2) / float64(pos*neg)
}

// Calibration bins predictions in tenths and returns the reliability table
// and the expected calibration error: the gap between mean prediction and
// share of positives in each bin, weighted by the bin's count (0 without
// any prediction).
func Calibration(p []float64, y []bool) ([]Bin, float64) {
	bins := make([]Bin, 10)
	for i := range bins {
		bins[i].Lo, bins[i].Hi = float64(i)/10, float64(i+1)/10
	}
	for i := range p {
		b := min(int(p[i]*10), 9)
		bins[b].N++
		bins[b].Predicted += p[i]
		if y[i] {
			bins[b].Observed++
		}
	}
	ece := 0.0
	for i := range bins {
		if bins[i].N > 0 {
			bins[i].Predicted /= float64(bins[i].N)
			bins[i].Observed /= float64(bins[i].N)
			ece += float64(bins[i].N) / float64(len(p)) * math.Abs(bins[i].Predicted-bins[i].Observed)
		}
	}
	return bins, ece
}

// Print writes the report as Markdown: the headline figures, per-stage F1,
// the confusion table and each risk's reliability table. A figure that
// cannot be computed (an AUC without both classes) reads "n/a".
func (r Report) Print(w io.Writer, title string) {
	fmt.Fprintf(w, "### %s (%d cases)\n\n", title, r.N)
	fmt.Fprintf(w, "stage accuracy %s [95%%: %.3f, %.3f], macro-F1 %s (%d stage labels); replacement AUC %s, ECE %s (%d labels); churn AUC %s, ECE %s (%d labels)\n\n",
		fig(r.StageAccuracy), r.AccuracyLow95, r.AccuracyHigh95, fig(r.MacroF1), r.StageN, fig(r.ReplacementAUC), fig(r.ReplacementECE), r.ReplacementN,
		fig(r.ChurnAUC), fig(r.ChurnECE), r.ChurnN)
	fmt.Fprintf(w, "| stage | F1 |\n|---|---|\n")
	for _, s := range valuegraph.Stages {
		if f, ok := r.StageF1[s]; ok {
			fmt.Fprintf(w, "| %s | %.3f |\n", s, f)
		}
	}
	fmt.Fprintf(w, "\n| truth \\ predicted |")
	for _, s := range valuegraph.Stages {
		fmt.Fprintf(w, " %s |", s)
	}
	fmt.Fprintf(w, "\n|---|%s\n", repeatStr("---|", len(valuegraph.Stages)))
	for _, t := range valuegraph.Stages {
		if r.Confusion[t] == nil {
			continue
		}
		fmt.Fprintf(w, "| %s |", t)
		for _, p := range valuegraph.Stages {
			fmt.Fprintf(w, " %d |", r.Confusion[t][p])
		}
		fmt.Fprintln(w)
	}
	for _, risk := range []string{"replacement", "churn"} {
		fmt.Fprintf(w, "\n%s reliability:\n\n| predicted | cases | mean predicted | observed |\n|---|---|---|---|\n", risk)
		for _, b := range r.Reliability[risk] {
			if b.N > 0 {
				fmt.Fprintf(w, "| %.1f–%.1f | %d | %.3f | %.3f |\n", b.Lo, b.Hi, b.N, b.Predicted, b.Observed)
			}
		}
	}
	fmt.Fprintln(w)
}

func fig(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", x)
}

func repeatStr(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// Wilson is the 95% Wilson score interval of a proportion p measured on n
// trials ([0, 1] without any).
func Wilson(p float64, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	const z = 1.96
	nf := float64(n)
	centre := (p + z*z/(2*nf)) / (1 + z*z/nf)
	half := z / (1 + z*z/nf) * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	lo, hi = math.Max(0, centre-half), math.Min(1, centre+half)
	// At 0 or 1 the bound is exact; rounding would leave 1 outside [lo, hi].
	if p <= 0 {
		lo = 0
	}
	if p >= 1 {
		hi = 1
	}
	return lo, hi
}
