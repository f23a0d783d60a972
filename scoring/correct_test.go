package scoring_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/scoring"
)

func TestCorrect(t *testing.T) {
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	// The model puts this customer at SELECTING (a tender 20 days ago) and
	// sees a replacement risk (looking for alternatives to a competitor).
	base := []ev{{kind: valuegraph.SignalTender, daysAgo: 20}, {kind: valuegraph.SignalForumPost, daysAgo: 30, trust: valuegraph.TrustL3, compet: true, intents: []string{"alternative"}}}
	fb := func(id string, kind valuegraph.FeedbackKind, daysAgo int, stage valuegraph.Stage, risk string) valuegraph.Feedback {
		return valuegraph.Feedback{ID: id, Kind: kind, CustomerID: "c", Stage: stage, Risk: risk, Author: "alice", Text: "已签合同",
			CreatedAt: now.AddDate(0, 0, -daysAgo)}
	}
	adopting := fb("fb1", valuegraph.FeedbackWrongStage, 10, valuegraph.StageAdopting, "")
	for _, tc := range []struct {
		name      string
		later     []ev // after the base history, ids s2…
		feedback  []valuegraph.Feedback
		stage     valuegraph.Stage
		endedBy   string // the stage correction's, "" while it stands
		corrected int    // corrections listed
	}{
		{"NoCorrection", nil, nil, valuegraph.StageSelecting, "", 0},
		{"StageStands", nil, []valuegraph.Feedback{adopting}, valuegraph.StageAdopting, "", 1},
		{"OlderHigherTrustEvidenceIsNotNews", []ev{{kind: valuegraph.SignalTender, daysAgo: 15}}, []valuegraph.Feedback{adopting}, valuegraph.StageAdopting, "", 1},
		{"NewerSameTrustDoesNotEndIt", []ev{{kind: valuegraph.SignalTender, daysAgo: 5, trust: valuegraph.TrustL3}}, []valuegraph.Feedback{adopting}, valuegraph.StageAdopting, "", 1},
		{"NewerHigherTrustThatAgreesKeepsIt", []ev{{kind: valuegraph.SignalERPOrder, daysAgo: 5, trust: valuegraph.TrustL1}}, []valuegraph.Feedback{adopting}, valuegraph.StageAdopting, "", 1},
		{"NewerHigherTrustThatDisagreesEndsIt", []ev{{kind: valuegraph.SignalTender, daysAgo: 5}}, []valuegraph.Feedback{adopting}, valuegraph.StageSelecting, "s2", 1},
		{"LaterCorrectionReplacesIt", nil, []valuegraph.Feedback{adopting, fb("fb2", valuegraph.FeedbackWrongStage, 2, valuegraph.StagePlanning, "")}, valuegraph.StagePlanning, "", 1},
		{"NotSaidYet", nil, []valuegraph.Feedback{fb("fb3", valuegraph.FeedbackWrongStage, -1, valuegraph.StageAdopting, "")}, valuegraph.StageSelecting, "", 0},
		{"NoIntentIsDormant", nil, []valuegraph.Feedback{fb("fb5", valuegraph.FeedbackNoIntent, 10, "", "")}, valuegraph.StageDormant, "", 1},
		{"NewerOrderEndsNoIntent", []ev{{kind: valuegraph.SignalERPOrder, daysAgo: 5, trust: valuegraph.TrustL1}}, []valuegraph.Feedback{fb("fb5", valuegraph.FeedbackNoIntent, 10, "", "")}, valuegraph.StageSelecting, "s2", 1},
		{"NoIntentReplacesWrongStage", nil, []valuegraph.Feedback{adopting, fb("fb6", valuegraph.FeedbackNoIntent, 2, "", "")}, valuegraph.StageDormant, "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sigs := history(append(append([]ev{}, base...), tc.later...)...)
			f := m.Compute(sigs, now)
			model := m.Assess("c", f, now)
			a := m.Correct(model, f, tc.feedback, sigs)
			if a.Stage != tc.stage || a.ModelStage != valuegraph.StageSelecting {
				t.Errorf("stage %s (model %s), want %s (model SELECTING)", a.Stage, a.ModelStage, tc.stage)
			}
			if a.StageWhy.Score != model.StageWhy.Score {
				t.Errorf("stageWhy changed: %v, the model's %v", a.StageWhy.Score, model.StageWhy.Score)
			}
			if len(a.Corrections) != tc.corrected {
				t.Fatalf("corrections %+v", a.Corrections)
			}
			if tc.corrected == 0 {
				return
			}
			c := a.Corrections[0]
			if c.By != "alice" || c.Note != "已签合同" || c.Trust != valuegraph.TrustL3 || c.EndedBy != tc.endedBy || c.Standing() != (tc.endedBy == "") {
				t.Errorf("correction %+v", c)
			}
			if tc.endedBy != "" && (!strings.Contains(c.EndedEN, "newer L"+strconv.Itoa(int(sigs[len(sigs)-1].Trust))+" evidence") || !strings.Contains(c.EndedZH, "更正不再适用") || a.StageConfidence != model.StageConfidence) {
				t.Errorf("ended: %q / %q, confidence %v", c.EndedEN, c.EndedZH, a.StageConfidence)
			}
			if tc.endedBy == "" && (a.StageConfidence <= 0 || a.StageConfidence >= model.StageConfidence) {
				t.Errorf("the model's probability of the rep's stage %v (of its own %v)", a.StageConfidence, model.StageConfidence)
			}
		})
	}

	for _, tc := range []struct {
		name     string
		kind     valuegraph.FeedbackKind
		later    []ev
		standing bool
		check    func(p float64) bool
	}{
		{"RealRaises", valuegraph.FeedbackRiskReal, nil, true, func(p float64) bool { return math.Abs(p-scoring.RiskConfirmed) < 1e-9 }},
		{"UnfoundedLowers", valuegraph.FeedbackRiskUnfounded, nil, true, func(p float64) bool { return math.Abs(p-scoring.RiskDismissed) < 1e-9 }},
		// An L2 tender naming the competitor, after the rep said there was nothing to it.
		{"UnfoundedEndedByNewerTender", valuegraph.FeedbackRiskUnfounded, []ev{{kind: valuegraph.SignalTender, daysAgo: 3, compet: true}}, false, func(p float64) bool { return p > scoring.RiskDismissed }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// One more post looking for alternatives: a risk the model takes seriously.
			evs := append(append([]ev{}, base...), ev{kind: valuegraph.SignalForumPost, daysAgo: 20, trust: valuegraph.TrustL3, compet: true, intents: []string{"alternative"}})
			sigs := history(append(evs, tc.later...)...)
			f := m.Compute(sigs, now)
			model := m.Assess("c", f, now)
			if model.Risks.Replacement <= scoring.RiskDismissed || model.Risks.Replacement >= scoring.RiskConfirmed {
				t.Fatalf("the model's replacement risk %v: between the two, or the test says nothing", model.Risks.Replacement)
			}
			a := m.Correct(model, f, []valuegraph.Feedback{fb("fb4", tc.kind, 10, "", valuegraph.RiskReplacement)}, sigs)
			e := a.RiskWhy["replacement"]
			sum, named := 0.0, false
			for _, r := range e.Reasons {
				sum += r.Contribution
				if r.Factor == valuegraph.CorrectionFactor {
					named = strings.Contains(r.SentenceEN, "rep alice") && strings.Contains(r.SentenceZH, "alice") && strings.Contains(r.SentenceEN, "L3")
				}
			}
			if math.Abs(sum-e.Score) > 1e-9 || math.Abs(1/(1+math.Exp(-e.Score))-a.Risks.Replacement) > 1e-9 {
				t.Errorf("reasons add up to %v, score %v, risk %v", sum, e.Score, a.Risks.Replacement)
			}
			if named != tc.standing || len(a.Corrections) != 1 || a.Corrections[0].Standing() != tc.standing {
				t.Errorf("a reason naming the rep: %v; corrections %+v", named, a.Corrections)
			}
			if !tc.check(a.Risks.Replacement) || a.Risks.Churn != model.Risks.Churn {
				t.Errorf("replacement %v (model %v), churn %v (model %v)", a.Risks.Replacement, model.Risks.Replacement, a.Risks.Churn, model.Risks.Churn)
			}
			for _, r := range model.RiskWhy["replacement"].Reasons {
				if r.Factor == valuegraph.CorrectionFactor {
					t.Errorf("the model's reasons were changed in place")
				}
			}
		})
	}
}
