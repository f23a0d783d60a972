package scoring

import (
	"math"
	"slices"
	"sort"
	"time"

	"github.com/valuegraph/valuegraph"
)

// Feature is one number about a customer and the signals it comes from.
type Feature struct {
	Value     float64
	Count     int      // signals that count towards it
	SignalIDs []string // the strongest of them, first
}

// Features are a customer's features by name.
type Features map[string]Feature

// maxEvidence bounds how many signal ids a feature keeps as evidence.
const maxEvidence = 5

// Compute computes a customer's features from its signals as of now.
// Signals dated after now are ignored (they are not evidence yet).
func (m *Model) Compute(signals []valuegraph.Signal, now time.Time) Features {
	out := Features{}
	type weighted struct {
		id string
		w  float64
	}
	for name, spec := range m.Features {
		sum := 0.0
		var ev []weighted
		for _, s := range signals {
			age := now.Sub(s.OccurredAt).Hours() / 24
			if age < 0 || !slices.Contains(spec.Kinds, s.Kind) {
				continue
			}
			if spec.Competitor && len(s.CompetitorIDs) == 0 {
				continue
			}
			if len(spec.Intents) > 0 && !anyOf(s.Intents, spec.Intents) {
				continue
			}
			w := m.Trust[int(s.Trust)] * math.Pow(0.5, age/spec.HalfLife)
			sum += w
			ev = append(ev, weighted{s.ID, w})
		}
		sort.SliceStable(ev, func(i, j int) bool { return ev[i].w > ev[j].w })
		f := Feature{Value: math.Log1p(sum), Count: len(ev)}
		for i := 0; i < len(ev) && i < maxEvidence; i++ {
			f.SignalIDs = append(f.SignalIDs, ev[i].id)
		}
		out[name] = f
	}

	// silence: how long since anything was heard, as a share of 180 days.
	// Our own calls nobody answered are not news from the customer.
	var last *valuegraph.Signal
	for i := range signals {
		if signals[i].Kind == valuegraph.SignalOutreach && slices.Contains(signals[i].Intents, valuegraph.IntentUnanswered) {
			continue
		}
		if !signals[i].OccurredAt.After(now) && (last == nil || signals[i].OccurredAt.After(last.OccurredAt)) {
			last = &signals[i]
		}
	}
	silence := Feature{Value: 1}
	if last != nil {
		silence.Value = math.Min(now.Sub(last.OccurredAt).Hours()/24/180, 1)
		silence.SignalIDs = []string{last.ID}
	}
	out["silence"] = silence
	out["unanswered"] = unanswered(signals, now)
	out["orderTrend"] = trend(signals, valuegraph.SignalERPOrder, now)
	out["importTrend"] = trend(signals, valuegraph.SignalCustoms, now)
	return out
}

// unansweredWindow is how far back unanswered contacts count.
const unansweredWindow = 90 * 24 * time.Hour

// unanswered counts our contacts the customer left unanswered since it last
// answered one (or reached out), within the last 90 days, at most 5: two in
// a row are a warning (DESIGN.md's trigger), five are as bad as it gets.
func unanswered(signals []valuegraph.Signal, now time.Time) Feature {
	var lastAnswer time.Time
	for _, s := range signals {
		if s.Kind == valuegraph.SignalOutreach && !s.OccurredAt.After(now) && slices.Contains(s.Intents, valuegraph.IntentAnswered) && s.OccurredAt.After(lastAnswer) {
			lastAnswer = s.OccurredAt
		}
	}
	var missed []valuegraph.Signal
	for _, s := range signals {
		if s.Kind == valuegraph.SignalOutreach && slices.Contains(s.Intents, valuegraph.IntentUnanswered) &&
			s.OccurredAt.After(lastAnswer) && !s.OccurredAt.After(now) && now.Sub(s.OccurredAt) <= unansweredWindow {
			missed = append(missed, s)
		}
	}
	sort.SliceStable(missed, func(i, j int) bool { return missed[i].OccurredAt.After(missed[j].OccurredAt) })
	f := Feature{Value: math.Min(float64(len(missed)), 5), Count: len(missed)}
	for i := 0; i < len(missed) && i < maxEvidence; i++ {
		f.SignalIDs = append(f.SignalIDs, missed[i].ID)
	}
	return f
}

// trend compares the rate of a kind of signal in the last 90 days with the
// 270 days before: +1 when it only happens now, -1 when it stopped, 0 when
// steady or never.
func trend(signals []valuegraph.Signal, kind valuegraph.SignalKind, now time.Time) Feature {
	var recent, prior []string
	for _, s := range signals {
		if s.Kind != kind {
			continue
		}
		age := now.Sub(s.OccurredAt).Hours() / 24
		switch {
		case age < 0:
		case age < 90:
			recent = append(recent, s.ID)
		case age < 360:
			prior = append(prior, s.ID)
		}
	}
	r1, r0 := float64(len(recent))/90, float64(len(prior))/270
	f := Feature{Count: len(recent) + len(prior)}
	if m := math.Max(r1, r0); m > 0 {
		f.Value = (r1 - r0) / m
	}
	f.SignalIDs = append(recent, prior...)
	if len(f.SignalIDs) > maxEvidence {
		f.SignalIDs = f.SignalIDs[:maxEvidence]
	}
	return f
}

func anyOf(have, want []string) bool {
	for _, w := range want {
		if slices.Contains(have, w) {
			return true
		}
	}
	return false
}
