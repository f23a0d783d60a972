// Package brief assembles the pre-visit brief (《本次沟通价值锚点清单》) from
// the graph: stage and tier with why, the top pain points with what we can
// offer, the decision-makers, competitors, what changed since the last
// visit, risks, and talking points that each say why they are suggested.
package brief

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
)

// Store is what a brief reads: one round trip in all.
type Store interface {
	BriefSource(ctx context.Context, customerID string, opts graph.BriefOptions) (*graph.BriefSource, error)
}

// Weights of evidence by trust level, and how fast it fades.
var trustWeight = map[valuegraph.TrustLevel]float64{valuegraph.TrustL1: 1, valuegraph.TrustL2: 0.8, valuegraph.TrustL3: 0.5}

// Signals is how many of the newest signals a brief reads (for what
// changed and for the talking points' evidence).
const Signals = 50

// Feedback is how many of reps' latest corrections a brief lists.
const Feedback = 10

// Options are the bounds of a brief's read.
func Options(wholeSignals bool) graph.BriefOptions {
	return graph.BriefOptions{Signals: Signals, Evidence: maxEvidence, Feedback: Feedback, WholeSignals: wholeSignals}
}

const (
	painHalfLife  = 90.0 // days
	topPainPoints = 3
	maxEvidence   = 5
	recentChange  = 180 * 24 * time.Hour
)

// Build assembles the brief of a customer as of now. Its signals (what
// changed, the evidence) are summaries unless wholeSignals asks for their
// text, parties and products too.
func Build(ctx context.Context, s Store, customerID string, now time.Time, wholeSignals bool) (*valuegraph.Brief, error) {
	src, err := s.BriefSource(ctx, customerID, Options(wholeSignals))
	if err != nil {
		return nil, err
	}
	n, needs := src.Neighbourhood, src.Needs
	b := &valuegraph.Brief{Customer: n.Customer, Owner: n.Owner, GeneratedAt: now.UTC(), Assessment: n.Assessment, Competitors: n.Competitors,
		Feedback: src.Feedback}

	// Pain points: strongest trust-weighted, time-decayed evidence first.
	for _, ne := range needs {
		p := valuegraph.PainPoint{Need: ne.Need, Offerings: ne.Offerings, BestTrust: valuegraph.TrustL3}
		for _, sig := range ne.Signals {
			age := math.Max(now.Sub(sig.OccurredAt).Hours()/24, 0)
			p.Strength += trustWeight[sig.Trust] * math.Pow(0.5, age/painHalfLife)
			if sig.OccurredAt.After(p.LastSeen) {
				p.LastSeen = sig.OccurredAt
			}
			if sig.Trust < p.BestTrust {
				p.BestTrust = sig.Trust
			}
		}
		p.Evidence = ne.Evidence
		b.PainPoints = append(b.PainPoints, p)
	}
	sort.SliceStable(b.PainPoints, func(i, j int) bool { return b.PainPoints[i].Strength > b.PainPoints[j].Strength })
	if len(b.PainPoints) > topPainPoints {
		b.PainPoints = b.PainPoints[:topPainPoints]
	}

	// Decision-makers, with who joined or left lately.
	for _, p := range n.People {
		dm := valuegraph.DecisionMaker{Person: p}
		switch {
		case !p.Until.IsZero() && now.Sub(p.Until) < recentChange:
			dm.Change = "left"
		case !p.Until.IsZero():
			continue // left long ago: not part of the map any more
		case !p.Since.IsZero() && now.Sub(p.Since) < recentChange:
			dm.Change = "joined"
		}
		b.DecisionMakers = append(b.DecisionMakers, dm)
	}

	// What changed since the last visit (the latest CRM note or observation).
	for _, sig := range n.Signals {
		if (sig.Kind == valuegraph.SignalCRMNote || sig.Kind == valuegraph.SignalRepObservation) && sig.OccurredAt.After(b.LastVisit) {
			b.LastVisit = sig.OccurredAt
		}
	}
	for _, sig := range n.Signals {
		if sig.OccurredAt.After(b.LastVisit) && sig.Kind != valuegraph.SignalCRMNote && sig.Kind != valuegraph.SignalRepObservation {
			b.Changes = append(b.Changes, sig)
		}
	}
	// Signals a rep judged irrelevant stay in what changed, marked, but
	// suggest nothing.
	var counted []valuegraph.Signal
	for _, sig := range n.Signals {
		if sig.ExcludedFor(customerID) == nil {
			counted = append(counted, sig)
		}
	}
	b.TalkingPoints = talkingPoints(b, counted)

	// The evidence of each talking point, from what was read, whole.
	known := map[string]valuegraph.Signal{}
	for _, sig := range n.Signals {
		known[sig.ID] = sig
	}
	for _, p := range b.PainPoints {
		for _, sig := range p.Evidence {
			known[sig.ID] = sig
		}
	}
	for i, tp := range b.TalkingPoints {
		for _, id := range tp.SignalIDs {
			if sig, ok := known[id]; ok {
				b.TalkingPoints[i].Evidence = append(b.TalkingPoints[i].Evidence, sig)
			}
		}
	}
	return b, nil
}

// talkingPoints suggests what to raise, each with the reason and evidence.
func talkingPoints(b *valuegraph.Brief, signals []valuegraph.Signal) []valuegraph.TalkingPoint {
	var tps []valuegraph.TalkingPoint
	for _, p := range b.PainPoints {
		ids := signalIDs(p.Evidence)
		if len(p.Offerings) > 0 {
			o := p.Offerings[0]
			tps = append(tps, valuegraph.TalkingPoint{
				ZH: fmt.Sprintf("建议强调「%s」，回应「%s」", o.Name, p.Need.Name), EN: fmt.Sprintf("Lead with %s for %s", o.Name, p.Need.Name),
				WhyZH:     fmt.Sprintf("%d条信号提到「%s」，最近一次在%s", len(p.Evidence), p.Need.Name, p.LastSeen.Format("2006-01-02")),
				WhyEN:     fmt.Sprintf("%s %s, the latest on %s", signalsDo(len(p.Evidence), "mentions", "mention"), p.Need.Name, p.LastSeen.Format("2006-01-02")),
				SignalIDs: ids})
		} else {
			tps = append(tps, valuegraph.TalkingPoint{
				ZH: fmt.Sprintf("了解「%s」的具体要求", p.Need.Name), EN: fmt.Sprintf("Ask what %s requires", p.Need.Name),
				WhyZH:     fmt.Sprintf("%d条信号提到它，我们尚未配置对应方案", len(p.Evidence)),
				WhyEN:     fmt.Sprintf("%s it and no offering of ours addresses it yet", signalsDo(len(p.Evidence), "mentions", "mention")),
				SignalIDs: ids})
		}
	}
	for _, k := range b.Competitors {
		var alt []string
		for _, s := range signals {
			for _, cid := range s.CompetitorIDs {
				if cid == k.Competitor.ID && contains(s.Intents, "alternative") {
					alt = append(alt, s.ID)
				}
			}
		}
		if len(alt) > 0 {
			tps = append(tps, valuegraph.TalkingPoint{
				ZH: fmt.Sprintf("准备与%s的对比，了解替换动机", k.Competitor.Name), EN: fmt.Sprintf("Bring a comparison with %s and ask what drives the search", k.Competitor.Name),
				WhyZH: fmt.Sprintf("%d条信号在寻找%s的替代方案", len(alt), k.Competitor.Name),
				WhyEN: fmt.Sprintf("%s alternatives to %s", signalsDo(len(alt), "looks for", "look for"), k.Competitor.Name), SignalIDs: alt})
		}
	}
	for _, dm := range b.DecisionMakers {
		switch dm.Change {
		case "joined":
			tps = append(tps, valuegraph.TalkingPoint{
				ZH: fmt.Sprintf("拜会新任%s%s", dm.Person.Title, dm.Person.Name), EN: fmt.Sprintf("Meet %s, new %s", dm.Person.Name, dm.Person.Title),
				WhyZH: "近期加入，尚未建立关系", WhyEN: "joined recently; no relationship yet"})
		case "left":
			tps = append(tps, valuegraph.TalkingPoint{
				ZH: fmt.Sprintf("确认%s离任后的接替人", dm.Person.Name), EN: fmt.Sprintf("Find out who took over from %s", dm.Person.Name),
				WhyZH: "关键人离任", WhyEN: "a key person left"})
		}
	}
	if a := b.Assessment; a != nil {
		for _, r := range a.RiskWhy["churn"].Reasons {
			if r.Factor == "unanswered" && r.Contribution > 0 && len(r.SignalIDs) >= 2 {
				tps = append(tps, valuegraph.TalkingPoint{
					ZH: "换个渠道或联系人：先弄清为何联系不上", EN: "Try another channel or person, and find out why contacts go unanswered",
					WhyZH: fmt.Sprintf("最近%d次联系未获回应", len(r.SignalIDs)), WhyEN: fmt.Sprintf("the last %d contacts went unanswered", len(r.SignalIDs)),
					SignalIDs: r.SignalIDs})
			}
		}
	}
	if a := b.Assessment; a != nil && a.Risks.Churn >= 0.5 {
		tps = append(tps, valuegraph.TalkingPoint{
			ZH: "回顾服务与交付满意度", EN: "Review service and delivery satisfaction",
			WhyZH: fmt.Sprintf("流失风险%.0f%%", a.Risks.Churn*100), WhyEN: fmt.Sprintf("churn risk %.0f%%", a.Risks.Churn*100),
			SignalIDs: topSignals(a.RiskWhy["churn"])})
	}
	return tps
}

func signalIDs(ss []valuegraph.Signal) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}

func topSignals(e valuegraph.Explained) []string {
	for _, r := range e.Reasons {
		if r.Contribution > 0 && len(r.SignalIDs) > 0 {
			return r.SignalIDs
		}
	}
	return nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// signalsDo counts signals in English with the verb agreeing: "1 signal
// mentions", "3 signals mention".
func signalsDo(n int, one, many string) string {
	if n == 1 {
		return "1 signal " + one
	}
	return fmt.Sprintf("%d signals %s", n, many)
}
