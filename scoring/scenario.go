package scoring

import (
	"bytes"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/valuegraph/valuegraph"
)

//go:embed scenarios.yaml
var defaultScenarios []byte

// Scenarios describe journeys customers take, for generating labelled
// signal histories (scenarios.yaml).
type Scenarios struct {
	Journeys map[string]Journey `yaml:"journeys"`
	Noise    []EventSpec        `yaml:"noise"`
}

// Journey is a path through the stages.
type Journey struct {
	Share   float64    `yaml:"share"`
	History *EventSpec `yaml:"history"` // a steady stream before the journey
	Steps   []Step     `yaml:"steps"`
}

// Step is a stretch of a journey with its true labels and the signals it
// brings.
type Step struct {
	Day         int              `yaml:"day"`
	Stage       valuegraph.Stage `yaml:"stage"`
	Replacement int              `yaml:"replacement"`
	Churn       int              `yaml:"churn"`
	Events      []EventSpec      `yaml:"events"`
}

// EventSpec generates signals of one kind.
type EventSpec struct {
	Kind       valuegraph.SignalKind `yaml:"kind"`
	Count      int                   `yaml:"count"`
	Spread     int                   `yaml:"spread"` // days
	Every      int                   `yaml:"every"`  // history: one every so many days
	Rate       float64               `yaml:"rate"`   // noise: per year
	Trust      int                   `yaml:"trust"`
	Intents    []string              `yaml:"intents"`
	Competitor bool                  `yaml:"competitor"`
}

// Case is one generated customer observed at one time, with the truth.
type Case struct {
	Journey     string
	Signals     []valuegraph.Signal
	Now         time.Time
	Stage       valuegraph.Stage
	Replacement bool
	Churn       bool
}

// LoadScenarios reads scenarios; errors name the file and the field. Empty
// data gives the built-in ones.
func LoadScenarios(data []byte, file string) (*Scenarios, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		data, file = defaultScenarios, "scenarios.yaml (built in)"
	}
	var sc Scenarios
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&sc); err != nil {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
	}
	problems := &valuegraph.Problems{File: file}
	bad := problems.Add
	checkEvent := func(field string, e EventSpec) {
		if !e.Kind.Valid() {
			bad(field+".kind", "unknown signal kind %q", e.Kind)
		}
		if e.Trust != 0 && !valuegraph.TrustLevel(e.Trust).Valid() {
			bad(field+".trust", "must be 1, 2 or 3")
		}
	}
	total := 0.0
	for name, j := range sc.Journeys {
		field := "journeys." + name
		total += j.Share
		if len(j.Steps) == 0 {
			bad(field+".steps", "at least one step")
		}
		for i, s := range j.Steps {
			sf := fmt.Sprintf("%s.steps[%d]", field, i)
			if !s.Stage.Valid() {
				bad(sf+".stage", "unknown stage %q", s.Stage)
			}
			if i > 0 && s.Day <= j.Steps[i-1].Day {
				bad(sf+".day", "must come after the step before (%d)", j.Steps[i-1].Day)
			}
			for k, e := range s.Events {
				checkEvent(fmt.Sprintf("%s.events[%d]", sf, k), e)
			}
		}
		if j.History != nil {
			checkEvent(field+".history", *j.History)
			if j.History.Every <= 0 {
				bad(field+".history.every", "must be a positive number of days")
			}
		}
	}
	if len(sc.Journeys) > 0 && (total < 0.99 || total > 1.01) {
		bad("journeys", "shares add up to %.2f, want 1", total)
	}
	for i, e := range sc.Noise {
		checkEvent(fmt.Sprintf("noise[%d]", i), e)
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return &sc, nil
}

// LoadScenariosFile reads scenarios from a file.
func LoadScenariosFile(path string) (*Scenarios, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return LoadScenarios(data, path)
}

// Generate makes n cases, the same for the same seed. Each customer is
// observed at a random day of a random step of its journey.
func (sc *Scenarios) Generate(n int, seed uint64) []Case {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	names := make([]string, 0, len(sc.Journeys))
	for name := range sc.Journeys {
		names = append(names, name)
	}
	sort.Strings(names)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := make([]Case, 0, n)
	for i := range n {
		// Pick a journey by share.
		u, name := rng.Float64(), names[len(names)-1]
		for _, nm := range names {
			if u -= sc.Journeys[nm].Share; u < 0 {
				name = nm
				break
			}
		}
		j := sc.Journeys[name]
		k := rng.IntN(len(j.Steps))
		step := j.Steps[k]
		end := step.Day + 120
		if k+1 < len(j.Steps) {
			end = j.Steps[k+1].Day
		}
		obs := step.Day + 3 + rng.IntN(max(end-step.Day-3, 1))
		now := start.AddDate(0, 0, obs)
		c := Case{Journey: name, Now: now, Stage: step.Stage, Replacement: step.Replacement == 1, Churn: step.Churn == 1}
		id := 0
		add := func(e EventSpec, day float64) {
			at := start.Add(time.Duration(day * 24 * float64(time.Hour)))
			if at.After(now) {
				return
			}
			trust := e.Trust
			if trust == 0 {
				trust = 2
			}
			s := valuegraph.Signal{ID: fmt.Sprintf("c%d-s%d", i, id), Kind: e.Kind, Trust: valuegraph.TrustLevel(trust), OccurredAt: at, Intents: e.Intents}
			if e.Competitor {
				s.CompetitorIDs = []string{"k"}
			}
			id++
			c.Signals = append(c.Signals, s)
		}
		if h := j.History; h != nil {
			for d := -360; d < 0; d += h.Every {
				add(*h, float64(d)+rng.Float64()*float64(h.Every)/2)
			}
		}
		for _, st := range j.Steps[:k+1] {
			for _, e := range st.Events {
				for range max(e.Count, 1) {
					add(e, float64(st.Day)+rng.Float64()*float64(e.Spread))
				}
			}
		}
		for _, e := range sc.Noise {
			span := float64(obs + 360)
			expected := e.Rate * span / 365
			for m := range int(expected) + 1 {
				if m < int(expected) || rng.Float64() < expected-float64(int(expected)) {
					add(e, -360+rng.Float64()*span)
				}
			}
		}
		cases = append(cases, c)
	}
	return cases
}
