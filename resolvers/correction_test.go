package resolvers_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/brief"
	"github.com/valuegraph/valuegraph/resolvers"
	"github.com/valuegraph/valuegraph/scoring"
)

// A rep's correction of the stage shows in the very next read of the
// customer and of its brief, beside what the model says and why; a rescoring
// keeps it; newer evidence of a higher trust level that contradicts it ends
// it, and the brief says so. A rep's word on a risk moves the risk, as a
// reason naming the rep, the reasons still adding up.
func TestCorrectionsShowAtOnce(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	id := f.ns + "huaxin"
	vars := map[string]any{"id": id}
	model, err := f.scorer.Score(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	rep := valuegraph.StageAdopting
	if model.Stage == rep {
		rep = valuegraph.StagePlanning
	}
	submit := func(in map[string]any) {
		t.Helper()
		in["customerId"] = id
		_, res := f.client.do(f.tokens["rep"], `mutation($in: FeedbackInput!) { submitFeedback(input: $in) { id } }`, map[string]any{"in": in})
		if len(res.Errors) > 0 {
			t.Fatalf("submit %v: %+v", in, res.Errors)
		}
	}
	customerQ := `query($id: ID!) { customer(id: $id) { stage stageConfidence risks { replacement churn } history(first: 1) { stage modelStage stageBy }
	  assessment { stage modelStage modelStageConfidence stageWhy { score reasons { factor contribution } }
	    replacementWhy { score reasons { factor contribution zh en } } churnWhy { score reasons { factor contribution zh en } }
	    corrections { score kind by at note stage trust standing endedAt endedBy { id trust } endedEn } } } }`
	customer := func() map[string]any {
		t.Helper()
		_, res := f.client.do(f.tokens["rep"], customerQ, vars)
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		return res.Data["customer"].(map[string]any)
	}
	briefQ := `query($id: ID!) { brief(customerId: $id) { assessment { stage modelStage corrections { by note standing } } en: markdown(lang: EN) zh: markdown(lang: ZH) } }`
	briefOf := func() map[string]any {
		t.Helper()
		_, res := f.client.do(f.tokens["rep"], briefQ, vars)
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		return res.Data["brief"].(map[string]any)
	}
	addsUp := func(t *testing.T, e any) {
		t.Helper()
		sum := 0.0
		for _, r := range get(e, "reasons").([]any) {
			sum += get(r, "contribution").(float64)
		}
		if score := get(e, "score").(float64); math.Abs(sum-score) > 1e-9 {
			t.Errorf("reasons add up to %v, score %v", sum, score)
		}
	}
	// stands checks the customer and the brief show the rep's stage beside the model's.
	stands := func(t *testing.T) {
		t.Helper()
		c := customer()
		a := get(c, "assessment")
		if get(c, "stage") != string(rep) || get(a, "stage") != string(rep) || get(a, "modelStage") != string(model.Stage) {
			t.Errorf("stage %v (assessment %v, model %v), want the rep's %s beside the model's %s", get(c, "stage"), get(a, "stage"), get(a, "modelStage"), rep, model.Stage)
		}
		addsUp(t, get(a, "stageWhy"))
		if h := get(c, "history", 0); get(h, "stage") != string(rep) || get(h, "modelStage") != string(model.Stage) || get(h, "stageBy") != f.ns+"rep" {
			t.Errorf("the customer's history %v, want the rep's stage, by the rep, beside the model's", h)
		}
		corr := get(a, "corrections", 0)
		if get(corr, "by") != f.ns+"rep" || get(corr, "note") != "已签合同" || get(corr, "stage") != string(rep) || get(corr, "trust") != "L3" ||
			get(corr, "standing") != true || get(corr, "at") == nil || get(corr, "endedAt") != nil {
			t.Errorf("correction %v", corr)
		}
		b := briefOf()
		en, zh := b["en"].(string), b["zh"].(string)
		for _, want := range []string{"Stage: **" + brief.StageName(rep, false) + "** — corrected by rep " + f.ns + "rep", "已签合同", "The model says: " + brief.StageName(model.Stage, false)} {
			if !strings.Contains(en, want) {
				t.Errorf("the brief in English lacks %q:\n%s", want, en)
			}
		}
		if !strings.Contains(zh, "销售代表 "+f.ns+"rep 于") || !strings.Contains(zh, "模型判断: "+brief.StageName(model.Stage, true)) {
			t.Errorf("the brief in Chinese:\n%s", zh)
		}
		if get(b, "assessment", "stage") != string(rep) || get(b, "assessment", "corrections", 0, "standing") != true {
			t.Errorf("the brief's assessment %v", b["assessment"])
		}
	}

	t.Run("WrongStageAtOnce", func(t *testing.T) {
		submit(map[string]any{"kind": "WRONG_STAGE", "stage": string(rep), "text": "已签合同"})
		stands(t)
	})
	t.Run("RescoringKeepsIt", func(t *testing.T) {
		if _, err := f.scorer.Score(ctx, id); err != nil { // as the worker does
			t.Fatal(err)
		}
		stands(t)
	})
	t.Run("NewerHigherTrustEvidenceEndsIt", func(t *testing.T) {
		// An official tender notice (L2) after the rep's word: the customer is selecting.
		tender := valuegraph.Signal{ID: f.ns + "s-newer", Kind: valuegraph.SignalTender, Title: "二期冷链平台招标公告", Source: f.ns + "ccgp", Trust: valuegraph.TrustL2,
			OccurredAt: time.Now().UTC(), CustomerIDs: []string{id}}
		if rep == valuegraph.StagePlanning {
			tender.Kind, tender.Title = valuegraph.SignalAward, "冷链平台中标结果"
		}
		if _, err := f.store.UpsertSignals(ctx, []valuegraph.Signal{tender}); err != nil {
			t.Fatal(err)
		}
		a, err := f.scorer.Score(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		c := customer()
		corr := get(c, "assessment", "corrections", 0)
		if get(c, "stage") != string(a.ModelStage) || get(c, "stage") == string(rep) {
			t.Errorf("stage %v after newer L2 evidence, want the model's %s", get(c, "stage"), a.ModelStage)
		}
		if h := get(c, "history", 0); get(h, "stageBy") != nil || get(h, "stage") != string(a.ModelStage) {
			t.Errorf("the customer's history %v after the correction ended", h)
		}
		if get(corr, "standing") != false || get(corr, "endedBy", "id") != tender.ID || get(corr, "endedBy", "trust") != "L2" || get(corr, "endedAt") == nil {
			t.Errorf("correction %v, want ended by %s", corr, tender.ID)
		}
		b := briefOf()
		en := b["en"].(string)
		if !strings.Contains(en, "newer L2 evidence") || !strings.Contains(en, tender.ID) || !strings.Contains(en, "no longer applies") ||
			!strings.Contains(en, "Stage: **"+brief.StageName(a.ModelStage, false)+"**") {
			t.Errorf("the brief does not say the correction ended:\n%s", en)
		}
		if !strings.Contains(b["zh"].(string), "更正不再适用") {
			t.Errorf("the brief in Chinese:\n%s", b["zh"])
		}
	})

	riskReason := func(t *testing.T, c map[string]any, why string) map[string]any {
		t.Helper()
		e := get(c, "assessment", why)
		addsUp(t, e)
		for _, r := range get(e, "reasons").([]any) {
			if get(r, "factor") == valuegraph.CorrectionFactor {
				return r.(map[string]any)
			}
		}
		t.Fatalf("%s has no reason named for the rep's correction: %v", why, e)
		return nil
	}
	t.Run("RiskRealRaises", func(t *testing.T) {
		before := customer()
		submit(map[string]any{"kind": "RISK_REAL", "risk": "replacement", "text": "在测试阿里云的方案"})
		c := customer()
		r := riskReason(t, c, "replacementWhy")
		got, was := get(c, "risks", "replacement").(float64), get(before, "risks", "replacement").(float64)
		if math.Abs(got-math.Max(was, scoring.RiskConfirmed)) > 1e-9 || !strings.Contains(r["en"].(string), "rep "+f.ns+"rep confirmed") || !strings.Contains(r["en"].(string), "L3") {
			t.Errorf("replacement %v (was %v), reason %v", got, was, r)
		}
		if b := briefOf(); !strings.Contains(b["en"].(string), "rep "+f.ns+"rep confirmed this risk") {
			t.Errorf("the brief's risks do not show the rep's word:\n%s", b["en"])
		}
	})
	t.Run("RiskUnfoundedLowers", func(t *testing.T) {
		before := customer()
		submit(map[string]any{"kind": "RISK_UNFOUNDED", "risk": "replacement", "text": "只是询价"})
		c := customer()
		r := riskReason(t, c, "replacementWhy")
		got, was := get(c, "risks", "replacement").(float64), get(before, "risks", "replacement").(float64)
		if got >= was || got > scoring.RiskDismissed+1e-9 || !strings.Contains(r["en"].(string), "rep "+f.ns+"rep judged this risk unfounded") {
			t.Errorf("replacement %v (was %v), reason %v", got, was, r)
		}
		if n := len(get(c, "assessment", "corrections").([]any)); n != 2 {
			t.Errorf("%d corrections, want the stage's and the replacement risk's (the later replacing the earlier)", n)
		}
	})
}
