package scoring

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/valuegraph/valuegraph"
)

// independentJourneys are customer histories labelled by hand, by rules
// written at the top of the file, independently of scenarios.yaml: an
// evaluation whose labels do not come from our generator.
//
//go:embed testdata/journeys_independent.yaml
var independentJourneys []byte

// Journeys are explicit customer histories with the truth at chosen dates
// (testdata/journeys_independent.yaml).
type Journeys struct {
	Trust     map[valuegraph.SignalKind]int `yaml:"trust"` // a kind's trust level unless a signal says otherwise
	Customers []JourneyCustomer             `yaml:"customers"`
}

// JourneyCustomer is one customer's history and its labels.
type JourneyCustomer struct {
	ID       string         `yaml:"id"`
	Start    string         `yaml:"start"` // the date of day 0, YYYY-MM-DD
	Story    string         `yaml:"story"`
	Signals  []DatedSignals `yaml:"signals"`
	Evaluate []Truth        `yaml:"evaluate"`
}

// DatedSignals are signals of one kind on the days given: one day, a list,
// or every so many days from one day to another. Days count from the
// customer's start.
type DatedSignals struct {
	Kind       valuegraph.SignalKind `yaml:"kind"`
	Trust      int                   `yaml:"trust"`
	Intents    []string              `yaml:"intents"`
	Competitor bool                  `yaml:"competitor"`
	Day        *int                  `yaml:"day"`
	Days       []int                 `yaml:"days"`
	From       *int                  `yaml:"from"`
	To         *int                  `yaml:"to"`
	Every      int                   `yaml:"every"`
}

// Truth is the stage and risks a customer really had on a day.
type Truth struct {
	At          int              `yaml:"at"`
	Stage       valuegraph.Stage `yaml:"stage"`
	Replacement bool             `yaml:"replacement"`
	Churn       bool             `yaml:"churn"`
}

// days lists the days the signals fall on.
func (d DatedSignals) days() []int {
	switch {
	case d.Day != nil:
		return []int{*d.Day}
	case d.From != nil && d.To != nil && d.Every > 0:
		var out []int
		for day := *d.From; day <= *d.To; day += d.Every {
			out = append(out, day)
		}
		return out
	}
	return d.Days
}

// LoadJourneys reads labelled journeys; errors name the file and the
// field, all of them. Empty data gives the built-in independent set.
func LoadJourneys(data []byte, file string) (*Journeys, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		data, file = independentJourneys, "journeys_independent.yaml (built in)"
	}
	var j Journeys
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&j); err != nil {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
	}
	problems := &valuegraph.Problems{File: file}
	bad := problems.Add
	for k, l := range j.Trust {
		if !k.Valid() {
			bad("trust."+string(k), "unknown signal kind")
		}
		if !valuegraph.TrustLevel(l).Valid() {
			bad("trust."+string(k), "must be 1, 2 or 3")
		}
	}
	if len(j.Customers) == 0 {
		bad("customers", "at least one customer")
	}
	ids := map[string]bool{}
	for i, c := range j.Customers {
		field := fmt.Sprintf("customers[%d]", i)
		if c.ID == "" {
			bad(field+".id", "required")
		} else if ids[c.ID] {
			bad(field+".id", "%q twice", c.ID)
		}
		ids[c.ID] = true
		if _, err := time.Parse(time.DateOnly, c.Start); err != nil {
			bad(field+".start", "%q is not a date (YYYY-MM-DD)", c.Start)
		}
		for k, s := range c.Signals {
			sf := fmt.Sprintf("%s.signals[%d]", field, k)
			if !s.Kind.Valid() {
				bad(sf+".kind", "unknown signal kind %q", s.Kind)
			} else if s.Trust == 0 && j.Trust[s.Kind] == 0 {
				bad(sf+".trust", "required: the trust table has no level for %s", s.Kind)
			}
			if s.Trust != 0 && !valuegraph.TrustLevel(s.Trust).Valid() {
				bad(sf+".trust", "must be 1, 2 or 3")
			}
			ways := 0
			if s.Day != nil {
				ways++
			}
			if len(s.Days) > 0 {
				ways++
			}
			if s.From != nil || s.To != nil || s.Every != 0 {
				ways++
				if s.From == nil || s.To == nil || s.Every <= 0 || *s.To < *s.From {
					bad(sf, "from, to and every go together: every > 0 days, to not before from")
				}
			}
			if ways != 1 {
				bad(sf, "give exactly one of day, days, or from/to/every")
			}
		}
		if len(c.Evaluate) == 0 {
			bad(field+".evaluate", "at least one labelled date")
		}
		for k, e := range c.Evaluate {
			if !e.Stage.Valid() {
				bad(fmt.Sprintf("%s.evaluate[%d].stage", field, k), "unknown stage %q", e.Stage)
			}
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return &j, nil
}

// LoadJourneysFile reads labelled journeys from a file.
func LoadJourneysFile(path string) (*Journeys, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: path, Message: "empty journeys file"}
	}
	return LoadJourneys(data, path)
}

// Cases turns every labelled date into a case: the customer's signals up to
// that day (later ones are not evidence yet) and the truth then.
func (j *Journeys) Cases() []Case {
	var out []Case
	for _, c := range j.Customers {
		start, _ := time.Parse(time.DateOnly, c.Start) // checked by LoadJourneys
		var all []valuegraph.Signal
		for _, s := range c.Signals {
			trust := s.Trust
			if trust == 0 {
				trust = j.Trust[s.Kind]
			}
			for _, day := range s.days() {
				sig := valuegraph.Signal{ID: fmt.Sprintf("%s-s%d", c.ID, len(all)), Kind: s.Kind, Trust: valuegraph.TrustLevel(trust),
					OccurredAt: start.AddDate(0, 0, day), Intents: s.Intents}
				if s.Competitor {
					sig.CompetitorIDs = []string{"competitor"}
				}
				all = append(all, sig)
			}
		}
		for _, e := range c.Evaluate {
			now := start.AddDate(0, 0, e.At)
			var seen []valuegraph.Signal
			for _, s := range all {
				if !s.OccurredAt.After(now) {
					seen = append(seen, s)
				}
			}
			out = append(out, Case{Journey: c.ID, Signals: seen, Now: now, Stage: e.Stage, Replacement: e.Replacement, Churn: e.Churn})
		}
	}
	return out
}
