package resolvers_test

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/brief"
	"github.com/valuegraph/valuegraph/resolvers"
)

// Each kind of feedback changes the graph, the scores and the brief in the
// very request that submits it, says what it did, and is listed in the
// brief (GraphQL and Markdown) and in the customer's history. (WRONG_STAGE,
// RISK_REAL and RISK_UNFOUNDED: TestCorrectionsShowAtOnce.)
func TestEveryFeedbackKindAtOnce(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	id := f.ns + "huaxin"
	vars := map[string]any{"id": id}
	if _, err := f.scorer.Score(ctx, id); err != nil {
		t.Fatal(err)
	}
	why := `score reasons { factor contribution evidence { id } }`
	customerQ := `query($id: ID!) { customer(id: $id) { stage signalCount risks { replacement churn }
	  people { id title role until email phone }
	  signals(first: 20) { id exclusions { customerId feedbackId by at note } }
	  feedback(first: 1) { id kind author effectEn effectZh reviewId }
	  assessment { stage modelStage stageWhy { ` + why + ` } replacementWhy { ` + why + ` } churnWhy { ` + why + ` }
	    corrections { kind score stage by standing endedBy { id } endedEn } } } }`
	customer := func(t *testing.T) map[string]any {
		t.Helper()
		_, res := f.client.do(f.tokens["rep"], customerQ, vars)
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		return res.Data["customer"].(map[string]any)
	}
	briefQ := `query($id: ID!) { brief(customerId: $id) {
	  decisionMakers { person { id title role until email phone } change }
	  changes { id exclusions { by } } competitors { competitor { name } mentions }
	  feedback { id kind author text effectEn reviewId }
	  en: markdown(lang: EN) zh: markdown(lang: ZH) } }`
	briefOf := func(t *testing.T) map[string]any {
		t.Helper()
		_, res := f.client.do(f.tokens["rep"], briefQ, vars)
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		return res.Data["brief"].(map[string]any)
	}
	// submit sends feedback and checks the answer says what it did, and that
	// the brief, its Markdown and the customer's history list it at once.
	submit := func(t *testing.T, in map[string]any, did string) (answer, b map[string]any) {
		t.Helper()
		in["customerId"] = id
		_, res := f.client.do(f.tokens["rep"], `mutation($in: FeedbackInput!) { submitFeedback(input: $in) { id kind effectEn effectZh reviewId title role } }`,
			map[string]any{"in": in})
		if len(res.Errors) > 0 {
			t.Fatalf("submit %v: %+v", in, res.Errors)
		}
		answer = res.Data["submitFeedback"].(map[string]any)
		if !strings.Contains(answer["effectEn"].(string), did) || answer["effectZh"] == "" {
			t.Errorf("the answer says it did %q / %q, want %q", answer["effectEn"], answer["effectZh"], did)
		}
		b = briefOf(t)
		if fb := get(b, "feedback", 0); get(fb, "id") != answer["id"] || get(fb, "author") != f.ns+"rep" || get(fb, "effectEn") != answer["effectEn"] {
			t.Errorf("the brief's latest feedback %v, want %v", fb, answer)
		}
		if en := b["en"].(string); !strings.Contains(en, "· "+in["kind"].(string)) || !strings.Contains(en, answer["effectEn"].(string)) {
			t.Errorf("the Markdown brief does not list the %s feedback:\n%s", in["kind"], en)
		}
		if !strings.Contains(b["zh"].(string), answer["effectZh"].(string)) {
			t.Errorf("the Chinese brief does not list the %s feedback", in["kind"])
		}
		if h := get(customer(t), "feedback", 0); get(h, "id") != answer["id"] || get(h, "effectEn") != answer["effectEn"] {
			t.Errorf("the customer's history lists %v, want %v", h, answer)
		}
		return answer, b
	}
	cites := func(e any, signalID string) bool {
		for _, r := range get(e, "reasons").([]any) {
			for _, s := range get(r, "evidence").([]any) {
				if get(s, "id") == signalID {
					return true
				}
			}
		}
		return false
	}
	person := func(ps any, pid string) map[string]any {
		for _, p := range ps.([]any) {
			if get(p, "id") == pid || get(p, "person", "id") == pid {
				return p.(map[string]any)
			}
		}
		return nil
	}

	t.Run("PersonLeft", func(t *testing.T) {
		before := customer(t)
		if p := person(get(before, "people"), f.ns+"zhao"); get(p, "email") == nil || get(p, "until") != nil {
			t.Fatalf("赵明 before: %v", p)
		}
		_, b := submit(t, map[string]any{"kind": "PERSON_LEFT", "personId": f.ns + "zhao", "text": "赵总已离职"}, "no longer works at 重庆华信冷链物流有限公司")
		c := customer(t)
		if p := person(get(c, "people"), f.ns+"zhao"); get(p, "until") == nil || get(p, "email") != nil || get(p, "phone") != nil {
			t.Errorf("赵明 after leaving: %v, want an end date and no contact data", p)
		}
		if dm := person(get(b, "decisionMakers"), f.ns+"zhao"); get(dm, "change") != "left" || get(dm, "person", "email") != nil {
			t.Errorf("the brief's decision-makers show 赵明 as %v, want left, without contact data", dm)
		}
		if !strings.Contains(b["en"].(string), "| 赵明 | 副总经理 | economic buyer |  | left |") {
			t.Errorf("the Markdown's decision-makers:\n%s", b["en"])
		}
		// The departure is news for the churn risk, at once.
		if got, was := get(c, "risks", "churn").(float64), get(before, "risks", "churn").(float64); got <= was {
			t.Errorf("churn %v after a decision-maker left, was %v", got, was)
		}
	})
	t.Run("RoleChanged", func(t *testing.T) {
		answer, b := submit(t, map[string]any{"kind": "ROLE_CHANGED", "personId": f.ns + "sun", "title": "首席信息官", "role": "economic_buyer"}, "title now “首席信息官”, role now economic_buyer")
		if answer["title"] != "首席信息官" || answer["role"] != "economic_buyer" {
			t.Errorf("answer %v", answer)
		}
		if dm := person(get(b, "decisionMakers"), f.ns+"sun"); get(dm, "person", "title") != "首席信息官" || get(dm, "person", "role") != "economic_buyer" {
			t.Errorf("the brief shows 孙丽 as %v", dm)
		}
	})
	t.Run("SignalIrrelevant", func(t *testing.T) {
		before := customer(t)
		s2 := f.ns + "s2"
		if !cites(get(before, "assessment", "replacementWhy"), s2) {
			t.Fatalf("the replacement risk does not rest on %s before: %v", s2, get(before, "assessment", "replacementWhy"))
		}
		_, b := submit(t, map[string]any{"kind": "SIGNAL_IRRELEVANT", "signalId": s2, "text": "同名论坛账号，非本客户"}, "no longer counts in this customer's scores")
		c := customer(t)
		if cites(get(c, "assessment", "replacementWhy"), s2) {
			t.Errorf("the replacement risk still rests on %s: %v", s2, get(c, "assessment", "replacementWhy"))
		}
		if got, was := get(c, "risks", "replacement").(float64), get(before, "risks", "replacement").(float64); got >= was {
			t.Errorf("replacement %v after its forum post was excluded, was %v", got, was)
		}
		// It no longer counts among the customer's signals either.
		if got, was := get(c, "signalCount").(float64), get(before, "signalCount").(float64); got != was-1 {
			t.Errorf("signalCount %v after one signal was excluded, was %v", got, was)
		}
		// Still shown, marked with who excluded it.
		var shown any
		for _, s := range get(c, "signals").([]any) {
			if get(s, "id") == s2 {
				shown = s
			}
		}
		if x := get(shown, "exclusions", 0); get(x, "customerId") != id || get(x, "by") != f.ns+"rep" || get(x, "note") != "同名论坛账号，非本客户" || get(x, "at") == nil {
			t.Errorf("the customer's signals show %s as %v, want it kept and marked excluded", s2, shown)
		}
		if m := get(b, "competitors", 0, "mentions"); m != 1.0 {
			t.Errorf("阿里云 mentioned by %v counted signals, want 1", m)
		}
		if en := b["en"].(string); !strings.Contains(en, "excluded: "+f.ns+"rep judged it irrelevant") {
			t.Errorf("the Markdown does not mark the excluded signal:\n%s", en)
		}
	})
	t.Run("WrongEntity", func(t *testing.T) {
		s1 := f.ns + "s1"
		if !cites(get(customer(t), "assessment", "stageWhy"), s1) {
			t.Fatalf("the stage does not rest on %s before", s1)
		}
		answer, _ := submit(t, map[string]any{"kind": "WRONG_ENTITY", "signalId": s1, "text": "是华信物流，不是华信冷链"}, "review")
		c := customer(t)
		if cites(get(c, "assessment", "stageWhy"), s1) || slices.ContainsFunc(get(c, "signals").([]any), func(s any) bool { return get(s, "id") == s1 }) {
			t.Errorf("%s still about the customer or behind its stage: %v", s1, c)
		}
		// The unmerge review, in the entity-resolution queue.
		_, res := f.client.do(f.tokens["admin"], `{ reviewQueue(first: 200) { id reason provisionalId candidates { id } status } }`, nil)
		var review any
		for _, r := range get(res.Data, "reviewQueue").([]any) {
			if get(r, "id") == answer["reviewId"] {
				review = r
			}
		}
		if review == nil || get(review, "candidates", 0, "id") != id || !strings.Contains(get(review, "reason").(string), "wrong_entity") || get(review, "status") != "OPEN" {
			t.Fatalf("review %v in the queue %v", answer["reviewId"], res)
		}
		// Accepting the customer says the rep was wrong: the signal comes back.
		_, res = f.client.do(f.tokens["admin"], `mutation($id: ID!, $c: ID!) { resolveReview(id: $id, candidateId: $c) { status } }`,
			map[string]any{"id": answer["reviewId"], "c": id})
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		sig, err := f.store.Signal(ctx, s1)
		if err != nil || !slices.Contains(sig.CustomerIDs, id) || len(sig.CustomerIDs) != 1 {
			t.Errorf("%s after the review accepted %s: %+v, %v", s1, id, sig, err)
		}
	})
	t.Run("NoIntent", func(t *testing.T) {
		_, b := submit(t, map[string]any{"kind": "NO_INTENT", "text": "今年没有预算"}, "the stage shows as DORMANT")
		c := customer(t)
		corr := get(c, "assessment", "corrections", 0)
		if get(c, "stage") != "DORMANT" || get(c, "assessment", "stage") != "DORMANT" || get(corr, "kind") != "NO_INTENT" || get(corr, "stage") != "DORMANT" || get(corr, "standing") != true {
			t.Errorf("stage %v, correction %v, want DORMANT as the rep's", get(c, "stage"), corr)
		}
		if en := b["en"].(string); !strings.Contains(en, "Stage: **"+brief.StageName(valuegraph.StageDormant, false)+"** — corrected by rep "+f.ns+"rep") {
			t.Errorf("the Markdown's stage:\n%s", en)
		}
	})
	t.Run("NewerOrderEndsNoIntent", func(t *testing.T) {
		// Our own ERP (L1) records an order after the rep's word.
		order := valuegraph.Signal{ID: f.ns + "s-order", Kind: valuegraph.SignalERPOrder, Title: "订单 SO-1", Source: f.ns + "erp", Trust: valuegraph.TrustL1,
			OccurredAt: time.Now().UTC(), Amount: 2e5, Currency: "CNY", CustomerIDs: []string{id}}
		if _, err := f.store.UpsertSignals(ctx, []valuegraph.Signal{order}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.scorer.Score(ctx, id); err != nil {
			t.Fatal(err)
		}
		c := customer(t)
		corr := get(c, "assessment", "corrections", 0)
		if get(c, "stage") == "DORMANT" || get(corr, "standing") != false || get(corr, "endedBy", "id") != order.ID {
			t.Errorf("stage %v, correction %v, want the model's stage, the correction ended by %s", get(c, "stage"), corr, order.ID)
		}
		if en := briefOf(t)["en"].(string); !strings.Contains(en, "newer L1 evidence") || !strings.Contains(en, order.ID) {
			t.Errorf("the brief does not say the order ended the correction:\n%s", en)
		}
	})
}

// Every score's reasons add up to it, the baseline included, in the API
// (stage, each risk and the tier of every scored customer) and in the
// Markdown brief (the rounded contributions of each risk to its total).
func TestReasonsAddUp(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	ids := []string{f.ns + "huaxin"}
	for i := range 7 {
		ids = append(ids, f.ns+"c"+strconv.Itoa(i))
	}
	for _, id := range ids {
		if _, err := f.scorer.Score(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	// A rep's word on a risk is a reason too.
	_, res := f.client.do(f.tokens["rep"], `mutation($in: FeedbackInput!) { submitFeedback(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"kind": "RISK_REAL", "customerId": f.ns + "huaxin", "risk": "churn"}})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	e := `score reasons { factor contribution }`
	q := `query($id: ID!) { customer(id: $id) { assessment { stageWhy { ` + e + ` } replacementWhy { ` + e + ` } churnWhy { ` + e + ` }
	  creditWhy { ` + e + ` } tierWhy { ` + e + ` } tierScore risks { replacement churn credit } } } }`
	for _, id := range ids {
		_, res := f.client.do(f.tokens["admin"], q, map[string]any{"id": id})
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		a := get(res.Data, "customer", "assessment")
		for _, name := range []string{"stageWhy", "replacementWhy", "churnWhy", "creditWhy", "tierWhy"} {
			sum, baseline := 0.0, false
			for _, r := range get(a, name, "reasons").([]any) {
				sum += get(r, "contribution").(float64)
				baseline = baseline || get(r, "factor") == "baseline"
			}
			score := get(a, name, "score").(float64)
			if math.Abs(sum-score) > 1e-9 {
				t.Errorf("%s %s: reasons add up to %v, score %v", id, name, sum, score)
			}
			if name != "tierWhy" && !baseline {
				t.Errorf("%s %s: no baseline among the reasons", id, name)
			}
		}
		// The log-odds are the risks shown.
		for name, risk := range map[string]string{"replacementWhy": "replacement", "churnWhy": "churn", "creditWhy": "credit"} {
			if p := 1 / (1 + math.Exp(-get(a, name, "score").(float64))); math.Abs(p-get(a, "risks", risk).(float64)) > 1e-9 {
				t.Errorf("%s %s: the reasons make %v, the risk is %v", id, risk, p, get(a, "risks", risk))
			}
		}
		if get(a, "tierWhy", "score") != get(a, "tierScore") {
			t.Errorf("%s: tier reasons make %v, tier score %v", id, get(a, "tierWhy", "score"), get(a, "tierScore"))
		}
	}

	// The Markdown: each risk's contributions, rounded, add up to its total.
	_, res = f.client.do(f.tokens["rep"], `query($id: ID!) { brief(customerId: $id) { markdown(lang: EN) } }`, map[string]any{"id": f.ns + "huaxin"})
	md, _ := get(res.Data, "brief", "markdown").(string)
	contribution := regexp.MustCompile(`\(([+-]\d+\.\d\d)\)`)
	total := regexp.MustCompile(`in all \(log-odds\) (-?\d+\.\d\d)$`)
	risks := 0
	for _, line := range strings.Split(md, "\n") {
		m := total.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		risks++
		want, _ := strconv.ParseFloat(m[1], 64)
		parts := contribution.FindAllStringSubmatch(line, -1)
		sum := 0.0
		for _, p := range parts {
			v, _ := strconv.ParseFloat(p[1], 64)
			sum += v
		}
		if math.Abs(sum-want) > 0.005*float64(len(parts))+1e-9 || !strings.Contains(line, "baseline (") {
			t.Errorf("the Markdown's contributions add up to %.2f, its total %s: %s", sum, m[1], line)
		}
	}
	if risks != 3 || !strings.Contains(md, "rep "+f.ns+"rep confirmed this risk") {
		t.Errorf("%d risks add up in the Markdown, want 3, with the rep's word:\n%s", risks, md)
	}
}
