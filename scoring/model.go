// Package scoring computes a customer's value stage, risks and tier from its
// signals with transparent models: features are time-decayed, trust-weighted
// counts; stages are a multinomial logistic model, risks logistic models,
// the tier a weighted score. Every output carries its reasons, which add up
// to it. Models start from expert priors in YAML (model.yaml).
package scoring

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/valuegraph/valuegraph"
)

//go:embed model.yaml
var defaultModel []byte

// Linear is a bias and weights over features.
type Linear struct {
	Bias    float64            `yaml:"bias"`
	Weights map[string]float64 `yaml:"weights"`
}

// FeatureSpec says what a count feature counts.
type FeatureSpec struct {
	Kinds      []valuegraph.SignalKind `yaml:"kinds"`
	Intents    []string                `yaml:"intents"`
	Competitor bool                    `yaml:"competitor"`
	HalfLife   float64                 `yaml:"halfLife"` // days
}

// Sentence is how a factor reads.
type Sentence struct {
	ZH string `yaml:"zh"`
	EN string `yaml:"en"`
	// EnOne is the English when {n} is 1 ("1 tender published", not
	// "1 tenders published"); empty: EN.
	EnOne string `yaml:"en_one,omitempty"`
}

// Model is a version of the scoring models.
type Model struct {
	Version   string                 `yaml:"version"`
	Trust     map[int]float64        `yaml:"trust"`
	Features  map[string]FeatureSpec `yaml:"features"`
	Stage     map[string]Linear      `yaml:"stage"`
	Risks     map[string]Linear      `yaml:"risks"`
	Tier      TierModel              `yaml:"tier"`
	Sentences map[string]Sentence    `yaml:"sentences"`
}

// TierModel weighs base, growth and health into the tier score.
type TierModel struct {
	Weights    map[string]float64 `yaml:"weights"`
	Thresholds map[string]float64 `yaml:"thresholds"`
	Base       map[string]float64 `yaml:"base"`
	Growth     map[string]float64 `yaml:"growth"`
	Health     map[string]float64 `yaml:"health"`
}

// builtinFeatures are computed, not counted.
var builtinFeatures = []string{"silence", "orderTrend", "importTrend", "unanswered"}

// Load reads a model; every problem is reported with the file and the path
// of the field. Empty data gives the built-in priors.
func Load(data []byte, file string) (*Model, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		data, file = defaultModel, "model.yaml (built in)"
	}
	var m Model
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
	}
	problems := &valuegraph.Problems{File: file}
	bad := problems.Add
	known := map[string]bool{}
	for _, f := range builtinFeatures {
		known[f] = true
	}
	for name, f := range m.Features {
		known[name] = true
		if f.HalfLife <= 0 {
			bad("features."+name+".halfLife", "must be a positive number of days")
		}
		if len(f.Kinds) == 0 {
			bad("features."+name+".kinds", "at least one signal kind")
		}
		for _, k := range f.Kinds {
			if !k.Valid() {
				bad("features."+name+".kinds", "unknown signal kind %q", k)
			}
		}
	}
	checkWeights := func(path string, w map[string]float64) {
		for f := range w {
			if !known[f] {
				bad(path, "unknown feature %q", f)
			}
		}
	}
	if m.Version == "" {
		bad("version", "required")
	}
	for _, s := range valuegraph.Stages {
		l, ok := m.Stage[string(s)]
		if !ok {
			bad("stage."+string(s), "missing")
			continue
		}
		checkWeights("stage."+string(s)+".weights", l.Weights)
	}
	for s := range m.Stage {
		if !valuegraph.Stage(s).Valid() {
			bad("stage."+s, "unknown stage")
		}
	}
	for _, r := range []string{"replacement", "churn", "credit"} {
		l, ok := m.Risks[r]
		if !ok {
			bad("risks."+r, "missing")
			continue
		}
		checkWeights("risks."+r+".weights", l.Weights)
	}
	sum := 0.0
	for _, part := range []string{"base", "growth", "health"} {
		w, ok := m.Tier.Weights[part]
		if !ok {
			bad("tier.weights."+part, "missing")
		}
		sum += w
	}
	if sum < 0.999 || sum > 1.001 {
		bad("tier.weights", "must add up to 1, they add up to %.3f", sum)
	}
	for _, t := range []string{"A+", "A", "B"} {
		if _, ok := m.Tier.Thresholds[t]; !ok {
			bad("tier.thresholds."+t, "missing")
		}
	}
	if !(m.Tier.Thresholds["A+"] > m.Tier.Thresholds["A"] && m.Tier.Thresholds["A"] > m.Tier.Thresholds["B"]) {
		bad("tier.thresholds", "must fall from A+ to A to B")
	}
	checkWeights("tier.base", m.Tier.Base)
	checkWeights("tier.growth", m.Tier.Growth)
	checkWeights("tier.health", m.Tier.Health)
	for _, l := range []int{1, 2, 3} {
		if m.Trust[l] <= 0 || m.Trust[l] > 1 {
			bad(fmt.Sprintf("trust.%d", l), "must be in (0, 1]")
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return &m, nil
}

// LoadFile reads a model from a file.
func LoadFile(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: path, Message: "empty model file"}
	}
	return Load(data, path)
}

// DefaultModelYAML returns the built-in priors, as a starting point for a
// deployment's own model file.
func DefaultModelYAML() []byte { return append([]byte(nil), defaultModel...) }

// YAML returns the model as YAML that Load reads back.
func (m *Model) YAML() (string, error) {
	b, err := yaml.Marshal(m)
	return string(b), err
}
