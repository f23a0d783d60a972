package scoring_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/scoring"
)

var now = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

type ev struct {
	kind    valuegraph.SignalKind
	daysAgo int
	trust   valuegraph.TrustLevel
	compet  bool
	intents []string
}

func history(evs ...ev) []valuegraph.Signal {
	var out []valuegraph.Signal
	for i, e := range evs {
		s := valuegraph.Signal{ID: fmt.Sprintf("s%d", i), Kind: e.kind, Trust: e.trust, OccurredAt: now.AddDate(0, 0, -e.daysAgo), Intents: e.intents}
		if s.Trust == 0 {
			s.Trust = valuegraph.TrustL2
		}
		if e.compet {
			s.CompetitorIDs = []string{"k"}
		}
		out = append(out, s)
	}
	return out
}

func repeat(kind valuegraph.SignalKind, trust valuegraph.TrustLevel, from, to, every int) []ev {
	var out []ev
	for d := from; d < to; d += every {
		out = append(out, ev{kind: kind, daysAgo: d, trust: trust})
	}
	return out
}

func assess(t *testing.T, evs ...ev) valuegraph.Assessment {
	t.Helper()
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	a := m.Assess("c", m.Compute(history(evs...), now), now)
	checkSums(t, a)
	return a
}

// checkSums: every score is exactly the sum of its reasons' contributions.
func checkSums(t *testing.T, a valuegraph.Assessment) {
	t.Helper()
	sum := func(e valuegraph.Explained) float64 {
		s := 0.0
		for _, r := range e.Reasons {
			s += r.Contribution
		}
		return s
	}
	if d := math.Abs(sum(a.StageWhy) - a.StageWhy.Score); d > 1e-9 {
		t.Errorf("stage reasons add up to %v, score %v", sum(a.StageWhy), a.StageWhy.Score)
	}
	for name, e := range a.RiskWhy {
		if d := math.Abs(sum(e) - e.Score); d > 1e-9 {
			t.Errorf("%s reasons add up to %v, score %v", name, sum(e), e.Score)
		}
	}
	if d := math.Abs(sum(a.TierWhy) - a.TierScore); d > 1e-9 {
		t.Errorf("tier reasons add up to %v, score %v", sum(a.TierWhy), a.TierScore)
	}
	// Each tier part is its features' contributions through the part's
	// curve: base 1 − e^−sum, growth the sum, health 1 + the sum, clipped.
	curve := map[string]func(float64) float64{
		"base":   func(x float64) float64 { return 1 - math.Exp(-x) },
		"growth": func(x float64) float64 { return math.Max(0, math.Min(1, x)) },
		"health": func(x float64) float64 { return math.Max(0, math.Min(1, 1+x)) },
	}
	for _, r := range a.TierWhy.Reasons {
		f, ok := curve[r.Factor]
		if !ok || len(r.Parts) == 0 {
			t.Errorf("tier reason %s has %d parts, want base, growth or health made of features", r.Factor, len(r.Parts))
			continue
		}
		if d := math.Abs(f(sum(valuegraph.Explained{Reasons: r.Parts})) - r.Value); d > 1e-9 {
			t.Errorf("tier part %s is %v, its features make %v", r.Factor, r.Value, f(sum(valuegraph.Explained{Reasons: r.Parts})))
		}
		for _, p := range r.Parts {
			if p.SentenceZH == "" || p.SentenceEN == "" || strings.Contains(p.SentenceEN, "{") || len(p.Parts) > 0 {
				t.Errorf("tier part %s's feature %+v has no finished sentence, or parts of its own", r.Factor, p)
			}
		}
	}
	for _, r := range a.StageWhy.Reasons {
		if r.SentenceZH == "" || r.SentenceEN == "" || strings.Contains(r.SentenceEN, "{") {
			t.Errorf("reason %+v has no finished sentence", r)
		}
	}
}

func TestStages(t *testing.T) {
	orders := func(from, to, every int) []ev {
		return repeat(valuegraph.SignalERPOrder, valuegraph.TrustL1, from, to, every)
	}
	for _, tc := range []struct {
		name string
		evs  []ev
		want valuegraph.Stage
	}{
		{"Nothing", nil, valuegraph.StageDormant},
		{"LongSilent", orders(400, 700, 30), valuegraph.StageDormant},
		{"Research", []ev{{kind: valuegraph.SignalForumPost, daysAgo: 10, trust: 3}, {kind: valuegraph.SignalWhitepaperDownload, daysAgo: 20, trust: 3}, {kind: valuegraph.SignalKBSearch, daysAgo: 30, trust: 3}}, valuegraph.StageExploring},
		{"Intention", []ev{{kind: valuegraph.SignalForumPost, daysAgo: 90, trust: 3}, {kind: valuegraph.SignalProcurementIntent, daysAgo: 15}}, valuegraph.StagePlanning},
		{"Tender", []ev{{kind: valuegraph.SignalProcurementIntent, daysAgo: 60}, {kind: valuegraph.SignalTender, daysAgo: 10}}, valuegraph.StageSelecting},
		{"Award", append([]ev{{kind: valuegraph.SignalTender, daysAgo: 80}, {kind: valuegraph.SignalAward, daysAgo: 20}}, orders(5, 10, 10)...), valuegraph.StageAdopting},
		{"GrowingOrders", append(orders(0, 90, 7), orders(90, 360, 60)...), valuegraph.StageExpanding},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := assess(t, tc.evs...)
			if a.Stage != tc.want {
				t.Fatalf("stage %s (%.2f), want %s; reasons %+v", a.Stage, a.StageConfidence, tc.want, a.StageWhy.Reasons)
			}
			if a.StageConfidence <= 1.0/6 || a.StageConfidence > 1 {
				t.Errorf("confidence %v", a.StageConfidence)
			}
		})
	}
}

func TestRisksAndTier(t *testing.T) {
	steady := repeat(valuegraph.SignalERPOrder, valuegraph.TrustL1, 0, 360, 20)
	calm := assess(t, steady...)

	replacing := append(append([]ev{}, steady...),
		ev{kind: valuegraph.SignalForumPost, daysAgo: 5, trust: 3, compet: true, intents: []string{"alternative"}},
		ev{kind: valuegraph.SignalForumPost, daysAgo: 20, trust: 3, compet: true, intents: []string{"alternative"}},
		ev{kind: valuegraph.SignalKBSearch, daysAgo: 40, trust: 3, compet: true, intents: []string{"alternative"}},
		ev{kind: valuegraph.SignalWhitepaperDownload, daysAgo: 10, trust: 3, compet: true},
		ev{kind: valuegraph.SignalWhitepaperDownload, daysAgo: 12, trust: 3, compet: true},
	)
	r := assess(t, replacing...)
	if r.Risks.Replacement < 0.5 || calm.Risks.Replacement > 0.2 {
		t.Errorf("replacement risk %.2f with alternatives, %.2f without", r.Risks.Replacement, calm.Risks.Replacement)
	}
	top := r.RiskWhy["replacement"].Reasons[0]
	if top.Factor != "alternatives" || len(top.SignalIDs) != 3 || !strings.Contains(top.SentenceZH, "3条") {
		t.Errorf("top replacement reason %+v", top)
	}

	falling := append(repeat(valuegraph.SignalERPOrder, valuegraph.TrustL1, 120, 360, 15),
		ev{kind: valuegraph.SignalServiceTicket, daysAgo: 5, trust: 1}, ev{kind: valuegraph.SignalServiceTicket, daysAgo: 15, trust: 1},
		ev{kind: valuegraph.SignalExecChange, daysAgo: 30})
	c := assess(t, falling...)
	if c.Risks.Churn < 0.5 || calm.Risks.Churn > 0.2 {
		t.Errorf("churn risk %.2f with falling orders, %.2f steady", c.Risks.Churn, calm.Risks.Churn)
	}

	growing := append(repeat(valuegraph.SignalERPOrder, valuegraph.TrustL1, 0, 90, 5), repeat(valuegraph.SignalERPOrder, valuegraph.TrustL1, 90, 360, 30)...)
	g := assess(t, growing...)
	if g.Tier != valuegraph.TierAPlus && g.Tier != valuegraph.TierA {
		t.Errorf("growing customer is tier %s (%.2f)", g.Tier, g.TierScore)
	}
	if none := assess(t); none.Tier != valuegraph.TierC {
		t.Errorf("customer with no signals is tier %s (%.2f)", none.Tier, none.TierScore)
	}
}

func TestLoadErrors(t *testing.T) {
	good, err := scoring.Load(nil, "")
	if err != nil || good.Version == "" {
		t.Fatalf("built-in model: %v", err)
	}
	for _, tc := range []struct{ name, edit, want, field string }{
		{"UnknownFeature", "EXPANDING: {bias: -3.0, weights: {orders: 2.0,", "EXPANDING: {bias: -3.0, weights: {ordrs: 2.0,", `stage.EXPANDING.weights: unknown feature "ordrs"`},
		{"TierWeights", "base: 0.40, growth: 0.35", "base: 0.50, growth: 0.35", "tier.weights: must add up to 1"},
		{"BadKind", "kinds: [tender], halfLife: 120}", "kinds: [tendr], halfLife: 120}", `features.tender.kinds: unknown signal kind "tendr"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := strings.Replace(string(scoring.DefaultModelYAML()), tc.edit, tc.want, 1)
			if data == string(scoring.DefaultModelYAML()) {
				t.Fatalf("edit %q did not apply", tc.edit)
			}
			_, err := scoring.Load([]byte(data), "m.yaml")
			if err == nil || !strings.Contains(err.Error(), "m.yaml: "+tc.field) {
				t.Fatalf("err = %v, want m.yaml: %s", err, tc.field)
			}
		})
	}
}

// Contacts nobody answers since the customer last answered raise churn; an
// answer resets the count; old ones and our own calls do not break silence.
func TestUnansweredOutreach(t *testing.T) {
	out := func(daysAgo int, intent string) ev {
		return ev{kind: valuegraph.SignalOutreach, daysAgo: daysAgo, trust: 1, intents: []string{intent}}
	}
	orders := repeat(valuegraph.SignalERPOrder, valuegraph.TrustL1, 30, 360, 12)
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	features := func(evs ...ev) scoring.Features { return m.Compute(history(evs...), now) }

	f := features(append(append([]ev{}, orders...), out(40, "answered"), out(20, "unanswered"), out(10, "unanswered"), out(120, "unanswered"))...)
	if u := f["unanswered"]; u.Value != 2 || len(u.SignalIDs) != 2 {
		t.Errorf("two unanswered since the last answer (and one before it): %+v", u)
	}
	if u := features(out(20, "unanswered"), out(10, "answered"))["unanswered"]; u.Value != 0 {
		t.Errorf("an answer after the call: %+v", u)
	}
	if u := features(out(100, "unanswered"), out(95, "unanswered"))["unanswered"]; u.Value != 0 {
		t.Errorf("calls over 90 days old: %+v", u)
	}
	quiet := features(ev{kind: valuegraph.SignalERPOrder, daysAgo: 90, trust: 1}, out(5, "unanswered"))
	if s := quiet["silence"]; s.Value != 0.5 {
		t.Errorf("silence %.2f counted our unanswered call as news", s.Value)
	}

	calm := assess(t, orders...)
	ignored := assess(t, append(append([]ev{}, orders...), out(25, "unanswered"), out(15, "unanswered"), out(5, "unanswered"))...)
	if ignored.Risks.Churn <= calm.Risks.Churn+0.05 {
		t.Errorf("churn %.2f with three unanswered calls, %.2f without", ignored.Risks.Churn, calm.Risks.Churn)
	}
	var why *valuegraph.Reason
	for i, r := range ignored.RiskWhy["churn"].Reasons {
		if r.Factor == "unanswered" {
			why = &ignored.RiskWhy["churn"].Reasons[i]
		}
	}
	if why == nil || why.Contribution <= 0 || !strings.Contains(why.SentenceZH, "3次") || len(why.SignalIDs) != 3 {
		t.Errorf("churn reasons lack the unanswered calls: %+v", ignored.RiskWhy["churn"].Reasons)
	}
}

// Our own pipeline: a deal in proposal reads as a customer selecting, a won
// deal as one adopting, a lost one as a replacement risk.
func TestPipelineStages(t *testing.T) {
	deal := func(daysAgo int, stage string) ev {
		return ev{kind: valuegraph.SignalOpportunity, daysAgo: daysAgo, trust: 1, intents: []string{stage}}
	}
	if a := assess(t, deal(10, "proposal")); a.Stage != valuegraph.StageSelecting {
		t.Errorf("a deal in proposal: %s", a.Stage)
	}
	if a := assess(t, deal(20, "won")); a.Stage != valuegraph.StageAdopting {
		t.Errorf("a deal won: %s", a.Stage)
	}
	calm := assess(t, repeat(valuegraph.SignalERPOrder, valuegraph.TrustL1, 0, 360, 20)...)
	lost := assess(t, append(repeat(valuegraph.SignalERPOrder, valuegraph.TrustL1, 0, 360, 20), deal(15, "lost"), deal(40, "lost"))...)
	if lost.Risks.Replacement <= calm.Risks.Replacement {
		t.Errorf("replacement risk %.2f after two lost deals, %.2f without", lost.Risks.Replacement, calm.Risks.Replacement)
	}
}

// A reason counts in English as English counts: one tender is "1 tender
// published", two are "2 tenders published".
func TestReasonsCountInEnglish(t *testing.T) {
	find := func(a valuegraph.Assessment) string {
		for _, r := range a.StageWhy.Reasons {
			if r.Factor == "tender" {
				return r.SentenceEN
			}
		}
		t.Fatalf("no tender reason among %v", a.StageWhy.Reasons)
		return ""
	}
	if got := find(assess(t, ev{kind: valuegraph.SignalTender, daysAgo: 3})); got != "1 tender published" {
		t.Errorf("one tender reads %q", got)
	}
	if got := find(assess(t, ev{kind: valuegraph.SignalTender, daysAgo: 3}, ev{kind: valuegraph.SignalTender, daysAgo: 9})); got != "2 tenders published" {
		t.Errorf("two tenders read %q", got)
	}
}

// The same signals give the same scores to the last bit, however often they
// are scored: batched and single rescoring are compared that way.
func TestAssessIsDeterministic(t *testing.T) {
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scoring.LoadScenarios(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sc.Generate(100, 3) {
		f := m.Compute(c.Signals, c.Now)
		first := m.Assess("c", f, c.Now)
		for range 10 {
			a := m.Assess("c", f, c.Now)
			if a.TierScore != first.TierScore || a.Risks != first.Risks || a.StageConfidence != first.StageConfidence {
				t.Fatalf("%s: tier score %v then %v, risks %+v then %+v", c.Journey, first.TierScore, a.TierScore, first.Risks, a.Risks)
			}
		}
	}
}
