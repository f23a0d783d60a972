package scoring

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph"
)

// Assess scores a customer from its features: the most likely stage with its
// probability, each risk as a probability, and the tier; each with reasons
// whose contributions, baseline included, add up to the score.
func (m *Model) Assess(customerID string, f Features, now time.Time) valuegraph.Assessment {
	a := valuegraph.Assessment{CustomerID: customerID, At: now.UTC(), ModelVersion: m.Version, RiskWhy: map[string]valuegraph.Explained{}}

	// Stage: softmax over the stages' linear scores.
	scores := make([]float64, len(valuegraph.Stages))
	best := 0
	for i, s := range valuegraph.Stages {
		scores[i] = m.linear(m.Stage[string(s)], f).Score
		if scores[i] > scores[best] {
			best = i
		}
	}
	norm := 0.0
	for _, s := range scores {
		norm += math.Exp(s - scores[best])
	}
	a.Stage = valuegraph.Stages[best]
	a.StageConfidence = 1 / norm
	a.ModelStage, a.ModelStageConfidence = a.Stage, a.StageConfidence
	a.StageWhy = m.linear(m.Stage[string(a.Stage)], f)

	// Risks: logistic models.
	risk := func(name string) float64 {
		e := m.linear(m.Risks[name], f)
		a.RiskWhy[name] = e
		return 1 / (1 + math.Exp(-e.Score))
	}
	a.Risks = valuegraph.Risks{Replacement: risk("replacement"), Churn: risk("churn"), Credit: risk("credit")}

	// Tier: weighted base, growth and health, each in [0, 1].
	base := 1 - math.Exp(-dot(m.Tier.Base, f))
	growth := clip(dot(m.Tier.Growth, f), 0, 1)
	health := clip(1+dot(m.Tier.Health, f), 0, 1)
	parts := []struct {
		name  string
		value float64
		feats map[string]float64
	}{{"base", base, m.Tier.Base}, {"growth", growth, m.Tier.Growth}, {"health", health, m.Tier.Health}}
	for _, p := range parts {
		c := m.Tier.Weights[p.name] * p.value
		a.TierScore += c
		r := m.reason(p.name, p.value, c, Feature{})
		for feat := range p.feats {
			r.SignalIDs = append(r.SignalIDs, f[feat].SignalIDs...)
		}
		// The part's own features, so a tier reads as what it is made of
		// (the brief's radar): each one's weight times its value.
		for _, feat := range slices.Sorted(maps.Keys(p.feats)) {
			r.Parts = append(r.Parts, m.reason(feat, f[feat].Value, p.feats[feat]*f[feat].Value, f[feat]))
		}
		sortReasons(r.Parts)
		sort.Strings(r.SignalIDs)
		r.SignalIDs = compact(r.SignalIDs)
		a.TierWhy.Reasons = append(a.TierWhy.Reasons, r)
	}
	a.TierWhy.Score = a.TierScore
	sortReasons(a.TierWhy.Reasons)
	switch {
	case a.TierScore >= m.Tier.Thresholds["A+"]:
		a.Tier = valuegraph.TierAPlus
	case a.TierScore >= m.Tier.Thresholds["A"]:
		a.Tier = valuegraph.TierA
	case a.TierScore >= m.Tier.Thresholds["B"]:
		a.Tier = valuegraph.TierB
	default:
		a.Tier = valuegraph.TierC
	}
	return a
}

// linear scores bias + Σ weight × feature, one reason per term.
func (m *Model) linear(l Linear, f Features) valuegraph.Explained {
	e := valuegraph.Explained{Score: l.Bias}
	e.Reasons = append(e.Reasons, m.reason("baseline", 1, l.Bias, Feature{}))
	names := make([]string, 0, len(l.Weights))
	for name := range l.Weights {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		feat := f[name]
		c := l.Weights[name] * feat.Value
		e.Score += c
		if c != 0 {
			e.Reasons = append(e.Reasons, m.reason(name, feat.Value, c, feat))
		}
	}
	sortReasons(e.Reasons)
	return e
}

func (m *Model) reason(name string, value, contribution float64, feat Feature) valuegraph.Reason {
	s := m.Sentences[name]
	fill := func(t string) string {
		if t == "" {
			return name
		}
		// One placeholder at a time, each only where the sentence has it:
		// a strings.Replacer built per reason was most of a rescoring's time.
		// No value put in holds a brace, so the order does not matter.
		for _, p := range placeholders {
			if strings.Contains(t, p.name) {
				t = strings.ReplaceAll(t, p.name, p.value(value, feat))
			}
		}
		return t
	}
	en := s.EN
	if feat.Count == 1 && s.EnOne != "" {
		en = s.EnOne
	}
	return valuegraph.Reason{Factor: name, Value: value, Contribution: contribution,
		SentenceZH: fill(s.ZH), SentenceEN: fill(en), SignalIDs: feat.SignalIDs}
}

var placeholders = []struct {
	name  string
	value func(value float64, feat Feature) string
}{
	{"{n}", func(_ float64, feat Feature) string { return strconv.Itoa(feat.Count) }},
	{"{value}", func(value float64, _ Feature) string { return strconv.FormatFloat(value, 'f', 2, 64) }},
	{"{days}", func(value float64, _ Feature) string { return strconv.Itoa(int(math.Round(value * 180))) }},
	{"{pct}", func(value float64, _ Feature) string { return fmt.Sprintf("%+.0f%%", value*100) }},
}

// sortReasons puts the strongest first, the baseline last.
func sortReasons(rs []valuegraph.Reason) {
	slices.SortStableFunc(rs, func(a, b valuegraph.Reason) int {
		if (a.Factor == "baseline") != (b.Factor == "baseline") {
			if b.Factor == "baseline" {
				return -1
			}
			return 1
		}
		return cmp.Compare(math.Abs(b.Contribution), math.Abs(a.Contribution))
	})
}

// dot sums in the order of the names: in a map's order, the same customer
// scored twice could differ in the last bits of its tier score.
func dot(w map[string]float64, f Features) float64 {
	s := 0.0
	for _, name := range slices.Sorted(maps.Keys(w)) {
		s += w[name] * f[name].Value
	}
	return s
}

func clip(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

func compact(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}
