package scoring

import (
	"math"
	"sort"
	"time"

	"github.com/valuegraph/valuegraph"
)

// Example is one labelled customer for training: its features and whatever
// labels feedback gave (a zero Stage, or nil risks, mean "not labelled").
type Example struct {
	At          time.Time // when the label was given (a time split keeps the newer ones for testing)
	Features    Features
	Stage       valuegraph.Stage
	Replacement *bool
	Churn       *bool
}

// FitOptions tune training; the zero value is usable.
type FitOptions struct {
	Version    string  // the new model's version; default <old>-fit
	Iterations int     // gradient steps; default 3000
	Rate       float64 // learning rate; default 0.3
	L2         float64 // pull towards the prior's weights; default 0.002
}

// Fit trains a new version of the model on labelled examples: the stage
// model as a multinomial logistic regression and the risks as logistic
// regressions over every feature, starting from (and regularised towards)
// the current weights, so few labels move it little. The tier model, the
// features and the sentences are kept.
func (m *Model) Fit(examples []Example, opts FitOptions) *Model {
	if opts.Version == "" {
		opts.Version = m.Version + "-fit"
	}
	if opts.Iterations <= 0 {
		opts.Iterations = 3000
	}
	if opts.Rate <= 0 {
		opts.Rate = 0.3
	}
	if opts.L2 <= 0 {
		opts.L2 = 0.002
	}
	out := *m
	out.Version = opts.Version
	names := m.featureNames()

	// Stage: softmax regression.
	var xs [][]float64
	var ys []int
	for _, e := range examples {
		if e.Stage == "" {
			continue
		}
		xs = append(xs, vector(e.Features, names))
		ys = append(ys, stageIndex(e.Stage))
	}
	out.Stage = map[string]Linear{}
	prior := make([][]float64, len(valuegraph.Stages))
	for k, s := range valuegraph.Stages {
		prior[k] = weightsVector(m.Stage[string(s)], names)
	}
	w := fitSoftmax(xs, ys, prior, opts)
	for k, s := range valuegraph.Stages {
		out.Stage[string(s)] = linearOf(w[k], names)
	}

	// Risks: logistic regressions.
	out.Risks = map[string]Linear{}
	for name, l := range m.Risks {
		var rx [][]float64
		var ry []float64
		for _, e := range examples {
			label := e.Replacement
			if name == "churn" {
				label = e.Churn
			}
			if name == "credit" || label == nil {
				continue
			}
			rx = append(rx, vector(e.Features, names))
			ry = append(ry, b2f(*label))
		}
		out.Risks[name] = linearOf(fitLogistic(rx, ry, weightsVector(l, names), opts), names)
	}
	return &out
}

// featureNames lists every feature, the bias first as "".
func (m *Model) featureNames() []string {
	names := []string{""}
	for name := range m.Features {
		names = append(names, name)
	}
	names = append(names, builtinFeatures...)
	sort.Strings(names[1:])
	return names
}

func vector(f Features, names []string) []float64 {
	x := make([]float64, len(names))
	x[0] = 1
	for i, n := range names[1:] {
		x[i+1] = f[n].Value
	}
	return x
}

func weightsVector(l Linear, names []string) []float64 {
	w := make([]float64, len(names))
	w[0] = l.Bias
	for i, n := range names[1:] {
		w[i+1] = l.Weights[n]
	}
	return w
}

func linearOf(w []float64, names []string) Linear {
	l := Linear{Bias: w[0], Weights: map[string]float64{}}
	for i, n := range names[1:] {
		if math.Abs(w[i+1]) > 1e-6 {
			l.Weights[n] = w[i+1]
		}
	}
	return l
}

func stageIndex(s valuegraph.Stage) int {
	for i, v := range valuegraph.Stages {
		if v == s {
			return i
		}
	}
	return 0
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// fitSoftmax runs full-batch gradient descent on the cross-entropy plus
// L2 × |w − prior|² (the bias is not pulled).
func fitSoftmax(xs [][]float64, ys []int, prior [][]float64, opts FitOptions) [][]float64 {
	k, d := len(prior), len(prior[0])
	w := make([][]float64, k)
	for i := range w {
		w[i] = append([]float64(nil), prior[i]...)
	}
	if len(xs) == 0 {
		return w
	}
	grad := make([][]float64, k)
	for i := range grad {
		grad[i] = make([]float64, d)
	}
	p := make([]float64, k)
	for range opts.Iterations {
		for i := range grad {
			clear(grad[i])
		}
		for n, x := range xs {
			mx := math.Inf(-1)
			for c := range k {
				p[c] = dotv(w[c], x)
				mx = math.Max(mx, p[c])
			}
			sum := 0.0
			for c := range k {
				p[c] = math.Exp(p[c] - mx)
				sum += p[c]
			}
			for c := range k {
				g := p[c] / sum
				if c == ys[n] {
					g--
				}
				for j := range d {
					grad[c][j] += g * x[j]
				}
			}
		}
		for c := range k {
			for j := range d {
				reg := 0.0
				if j > 0 {
					reg = opts.L2 * (w[c][j] - prior[c][j])
				}
				w[c][j] -= opts.Rate * (grad[c][j]/float64(len(xs)) + reg)
			}
		}
	}
	return w
}

// fitLogistic runs full-batch gradient descent on the log-loss plus
// L2 × |w − prior|².
func fitLogistic(xs [][]float64, ys []float64, prior []float64, opts FitOptions) []float64 {
	w := append([]float64(nil), prior...)
	if len(xs) == 0 {
		return w
	}
	grad := make([]float64, len(w))
	for range opts.Iterations {
		clear(grad)
		for n, x := range xs {
			g := 1/(1+math.Exp(-dotv(w, x))) - ys[n]
			for j := range x {
				grad[j] += g * x[j]
			}
		}
		for j := range w {
			reg := 0.0
			if j > 0 {
				reg = opts.L2 * (w[j] - prior[j])
			}
			w[j] -= opts.Rate * (grad[j]/float64(len(xs)) + reg)
		}
	}
	return w
}

func dotv(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// Examples turns generated cases into fully labelled training examples, as
// if reps had confirmed or corrected every one.
func (m *Model) Examples(cases []Case) []Example {
	out := make([]Example, len(cases))
	for i, c := range cases {
		rep, churn := c.Replacement, c.Churn
		out[i] = Example{At: c.Now, Features: m.Compute(c.Signals, c.Now), Stage: c.Stage, Replacement: &rep, Churn: &churn}
	}
	return out
}
