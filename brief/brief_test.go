package brief_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/brief"
	"github.com/valuegraph/valuegraph/graph"
)

// source is a brief's read, as graph.Store.BriefSource gives it.
type source struct{ src *graph.BriefSource }

func (s source) BriefSource(context.Context, string, graph.BriefOptions) (*graph.BriefSource, error) {
	return s.src, nil
}

func TestTalkingPointForUnansweredContacts(t *testing.T) {
	now := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	calls := []valuegraph.Signal{
		{ID: "c2", Kind: valuegraph.SignalOutreach, Title: "续约跟进", Trust: 1, OccurredAt: now.AddDate(0, 0, -3), Intents: []string{"unanswered"}},
		{ID: "c1", Kind: valuegraph.SignalOutreach, Title: "续约方案", Trust: 1, OccurredAt: now.AddDate(0, 0, -10), Intents: []string{"unanswered"}},
	}
	churn := func(contribution float64) *valuegraph.Assessment {
		return &valuegraph.Assessment{Risks: valuegraph.Risks{Churn: 0.3}, RiskWhy: map[string]valuegraph.Explained{"churn": {Reasons: []valuegraph.Reason{
			{Factor: "baseline", Contribution: -3},
			{Factor: "unanswered", Value: 2, Contribution: contribution, SignalIDs: []string{"c2", "c1"}},
		}}}}
	}
	build := func(a *valuegraph.Assessment) *valuegraph.Brief {
		t.Helper()
		n := &valuegraph.Neighbourhood{Customer: valuegraph.Customer{ID: "c", Name: "华信"}, Signals: calls, Assessment: a}
		b, err := brief.Build(context.Background(), source{&graph.BriefSource{Neighbourhood: n}}, "c", now, false)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := build(churn(1.2))
	var tp *valuegraph.TalkingPoint
	for i := range b.TalkingPoints {
		if strings.Contains(b.TalkingPoints[i].ZH, "换个渠道") {
			tp = &b.TalkingPoints[i]
		}
	}
	if tp == nil || tp.WhyZH != "最近2次联系未获回应" || len(tp.Evidence) != 2 || tp.Evidence[0].ID != "c2" {
		t.Fatalf("talking points %+v", b.TalkingPoints)
	}
	for _, tp := range build(churn(0)).TalkingPoints {
		if strings.Contains(tp.ZH, "换个渠道") {
			t.Errorf("suggested with no weight behind it: %+v", tp)
		}
	}
}

// The decision-maker map says who on our side knows each person.
func TestMarkdownSaysWhoKnowsWhom(t *testing.T) {
	now := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	zhao := valuegraph.Person{ID: "p1", Name: "赵明", Title: "副总经理", Role: valuegraph.RoleEconomicBuyer,
		KnownBy: []valuegraph.Acquaintance{{RepID: "rep-wang", Contacts: 2, Answered: 1, LastContact: now.AddDate(0, 0, -20)}}}
	n := &valuegraph.Neighbourhood{Customer: valuegraph.Customer{ID: "c", Name: "华信"}, People: []valuegraph.Person{zhao}}
	b, err := brief.Build(context.Background(), source{&graph.BriefSource{Neighbourhood: n}}, "c", now, false)
	if err != nil {
		t.Fatal(err)
	}
	if md := brief.Markdown(b, "zh", false); !strings.Contains(md, "| 赵明 | 副总经理 | 经济决策人 |  |  | rep-wang（2次，回应1次，最近2026-10-21） |") {
		t.Errorf("markdown:\n%s", md)
	}
	if md := brief.Markdown(b, "en", false); !strings.Contains(md, "rep-wang (2 contacts, 1 answered, last 2026-10-21)") {
		t.Errorf("markdown:\n%s", md)
	}
}

// The Markdown shows a rep's stage beside the model's, says when newer
// evidence ended a correction, and always shows a rep's word on a risk.
func TestMarkdownShowsCorrections(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	stage := valuegraph.Correction{FeedbackID: "fb1", Kind: valuegraph.FeedbackWrongStage, Score: "stage", By: "alice", At: at, Note: "已签合同",
		Stage: valuegraph.StageAdopting, Trust: valuegraph.TrustL3}
	risk := valuegraph.Correction{FeedbackID: "fb2", Kind: valuegraph.FeedbackRiskUnfounded, Score: "replacement", By: "alice", At: at, Trust: valuegraph.TrustL3}
	assessment := func(shown valuegraph.Stage, cs ...valuegraph.Correction) *valuegraph.Assessment {
		return &valuegraph.Assessment{Stage: shown, StageConfidence: 0.05, ModelStage: valuegraph.StageSelecting, ModelStageConfidence: 0.71,
			StageWhy: valuegraph.Explained{Reasons: []valuegraph.Reason{{Factor: "tender", Contribution: 2.1, SentenceEN: "1 tenders published"}, {Factor: "baseline", Contribution: -1}}},
			RiskWhy: map[string]valuegraph.Explained{"replacement": {Score: -3.9, Reasons: []valuegraph.Reason{
				{Factor: "competitors", Contribution: 0.9, SentenceEN: "2 signals mention competitors"},
				{Factor: valuegraph.CorrectionFactor, Contribution: -1.2, SentenceEN: "rep alice judged this risk unfounded on 2026-11-20 (L3, an observation)"},
				{Factor: "alternatives", Contribution: 0.4, SentenceEN: "1 signals look for alternatives"},
				{Factor: "baseline", Contribution: -3}}}},
			Corrections: cs}
	}
	ended := stage
	ended.EndedAt, ended.EndedBy, ended.EndedEN = at.AddDate(0, 0, 3), "s9", "alice set the stage to ADOPTING on 2026-11-20; newer L2 evidence of 2026-11-23 (tender, s9) shows SELECTING, so the correction no longer applies and the model's stage stands"
	for _, tc := range []struct {
		name    string
		a       *valuegraph.Assessment
		want    []string
		notWant []string
	}{
		{"Standing", assessment(valuegraph.StageAdopting, stage, risk), []string{
			"- Stage: **Adopting** — corrected by rep alice on 2026-11-20: “已签合同” (L3)\n- The model says: Selecting (71%)",
			"- 1 tenders published (+2.10)",
			"replacement 0% — rep alice judged this risk unfounded on 2026-11-20 (L3, an observation) (-1.20); 2 signals mention competitors (+0.90); 1 signals look for alternatives (+0.40); baseline (-3.00); in all (log-odds) -3.90",
		}, []string{"no longer applies"}},
		{"Ended", assessment(valuegraph.StageSelecting, ended), []string{"- Stage: **Selecting** (71%)\n- alice set the stage to ADOPTING", "no longer applies"}, []string{"corrected by rep"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			md := brief.Markdown(&valuegraph.Brief{Customer: valuegraph.Customer{ID: "c", Name: "华信"}, Assessment: tc.a}, "en", false)
			for _, w := range tc.want {
				if !strings.Contains(md, w) {
					t.Errorf("lacks %q:\n%s", w, md)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(md, w) {
					t.Errorf("has %q:\n%s", w, md)
				}
			}
		})
	}
}
