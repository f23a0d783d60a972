package scoring

import (
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/valuegraph/valuegraph"
)

// Report is how a model does on labelled cases.
type Report struct {
	N              int
	StageAccuracy  float64
	Confusion      map[valuegraph.Stage]map[valuegraph.Stage]int // truth -> predicted -> count
	ReplacementAUC float64
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
	r := Report{N: len(cases), Confusion: map[valuegraph.Stage]map[valuegraph.Stage]int{}, Reliability: map[string][]Bin{}}
	var repP, churnP []float64
	var repY, churnY []bool
	right := 0
	for _, c := range cases {
		a := m.Assess("case", m.Compute(c.Signals, c.Now), c.Now)
		if r.Confusion[c.Stage] == nil {
			r.Confusion[c.Stage] = map[valuegraph.Stage]int{}
		}
		r.Confusion[c.Stage][a.Stage]++
		if a.Stage == c.Stage {
			right++
		}
		repP, repY = append(repP, a.Risks.Replacement), append(repY, c.Replacement)
		churnP, churnY = append(churnP, a.Risks.Churn), append(churnY, c.Churn)
	}
	r.StageAccuracy = float64(right) / float64(max(len(cases), 1))
	r.ReplacementAUC, r.ChurnAUC = AUC(repP, repY), AUC(churnP, churnY)
	r.Reliability["replacement"], r.ReplacementECE = calibration(repP, repY)
	r.Reliability["churn"], r.ChurnECE = calibration(churnP, churnY)
	return r
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

// calibration bins predictions in tenths and returns the table and the
// expected calibration error (the count-weighted gap).
func calibration(p []float64, y []bool) ([]Bin, float64) {
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

// Print writes the report as Markdown.
func (r Report) Print(w io.Writer, title string) {
	fmt.Fprintf(w, "### %s (%d cases)\n\n", title, r.N)
	fmt.Fprintf(w, "stage accuracy %.3f; replacement AUC %.3f, ECE %.3f; churn AUC %.3f, ECE %.3f\n\n",
		r.StageAccuracy, r.ReplacementAUC, r.ReplacementECE, r.ChurnAUC, r.ChurnECE)
	fmt.Fprintf(w, "| truth \\ predicted |")
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

func repeatStr(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}
