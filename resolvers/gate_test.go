package resolvers_test

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/resolvers"
)

// gateWorld adds to the fixture a customer with a usual order of 100,000
// CNY and low risks (c1), one with a high credit risk (c2), both owned by
// rep-2, and one never scored (c3); the assessments are written as the
// worker writes them, with a reason resting on a signal.
func gateWorld(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	ns, now := f.ns, time.Now().UTC()
	var sigs []valuegraph.Signal
	for i, amount := range []float64{80000, 120000, 100000, 95000, 105000} {
		sigs = append(sigs, valuegraph.Signal{ID: ns + "order-" + string(rune('a'+i)), Kind: valuegraph.SignalERPOrder, Title: "销售订单", Source: ns + "erp",
			Trust: valuegraph.TrustL1, OccurredAt: now.AddDate(0, 0, -30*(i+1)), Amount: amount, Currency: "CNY", CustomerIDs: []string{ns + "c1"}})
	}
	// An order older than the window does not count.
	sigs = append(sigs, valuegraph.Signal{ID: ns + "order-old", Kind: valuegraph.SignalERPOrder, Title: "销售订单", Source: ns + "erp",
		Trust: valuegraph.TrustL1, OccurredAt: now.AddDate(-2, 0, 0), Amount: 9e6, Currency: "CNY", CustomerIDs: []string{ns + "c1"}})
	sigs = append(sigs, valuegraph.Signal{ID: ns + "registry", Kind: valuegraph.SignalCompanyChange, Title: "工商变更：法定代表人变更", Source: ns + "registry",
		Trust: valuegraph.TrustL2, OccurredAt: now.AddDate(0, 0, -10), CustomerIDs: []string{ns + "c2"}})
	if _, err := f.store.UpsertSignals(ctx, sigs); err != nil {
		t.Fatal(err)
	}
	assess := func(id string, credit, churn float64, evidence ...string) {
		t.Helper()
		logit := func(p float64) float64 { return math.Log(p / (1 - p)) }
		a := valuegraph.Assessment{CustomerID: id, At: now, ModelVersion: "prior-1", Stage: valuegraph.StageAdopting, Tier: valuegraph.TierB,
			Risks: valuegraph.Risks{Credit: credit, Churn: churn},
			RiskWhy: map[string]valuegraph.Explained{
				"credit": {Score: logit(credit), Reasons: []valuegraph.Reason{
					{Factor: "companyChange", Value: 1, Contribution: logit(credit) + 3.5, SentenceZH: "1次工商变更", SentenceEN: "1 company registry changes", SignalIDs: evidence},
					{Factor: "baseline", Contribution: -3.5, SentenceZH: "基线", SentenceEN: "baseline"}}},
				"churn": {Score: logit(churn), Reasons: []valuegraph.Reason{{Factor: "baseline", Contribution: logit(churn), SentenceZH: "基线", SentenceEN: "baseline"}}},
			}}
		if err := f.store.WriteAssessment(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	assess(ns+"c1", 0.05, 0.1)
	assess(ns+"c2", 0.72, 0.1, ns+"registry")
}

const riskCheckQuery = `query($id: ID!, $amount: Float!, $currency: String!) {
  riskCheck(customerId: $id, amount: $amount, currency: $currency) {
    customerId decision amount currency baseAmount baseCurrency usualOrder orders thresholds scoredAt modelVersion
    checks { name value review hold basis decision zh en }
    credit { score reasons { factor contribution en evidence { id kind trust } } }
    churn { score reasons { factor } }
    alternative { kind cause amount currency count zh en }
  }
}`

// The gate answers PASS, REVIEW and HOLD as its thresholds say, with the
// risks' reasons and evidence and an alternative when it holds; refuses
// unknown customers, bad amounts and currencies it has no rate for, and
// other reps' customers; and audits every call.
func TestRiskCheck(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	gateWorld(t, f)
	ns := f.ns
	ask := func(token, id string, amount float64, currency string) gqlResponse {
		t.Helper()
		_, res := f.client.do(f.tokens[token], riskCheckQuery, map[string]any{"id": id, "amount": amount, "currency": currency})
		return res
	}
	checkOf := func(rc any, name string) any {
		for _, c := range get(rc, "checks").([]any) {
			if get(c, "name") == name {
				return c
			}
		}
		return nil
	}
	for _, tc := range []struct {
		name, token, customer string
		amount                float64
		currency              string
		decision              string
		checks                map[string]string
		alternative           string
		altAmount             float64
	}{
		{"pass", "manager", "c1", 150000, "CNY", "PASS", map[string]string{"credit": "PASS", "churn": "PASS", "amount": "PASS"}, "", 0},
		{"review: four times the usual order, in dollars", "rep2", "c1", 400000 / 7.1, "usd", "REVIEW", map[string]string{"amount": "REVIEW"}, "", 0},
		{"hold: twelve times the usual order", "admin", "c1", 1.2e6, "CNY", "HOLD", map[string]string{"amount": "HOLD"}, "smaller_first_order", 290000},
		{"hold: credit risk", "analyst", "c2", 50000, "CNY", "HOLD", map[string]string{"credit": "HOLD", "amount": "PASS"}, "prepayment", 15000},
		{"review: never scored", "manager", "c3", 1000, "CNY", "REVIEW", map[string]string{"scored": "REVIEW", "amount": "PASS"}, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := ask(tc.token, ns+tc.customer, tc.amount, tc.currency)
			if len(res.Errors) > 0 {
				t.Fatal(res.Errors)
			}
			rc := res.Data["riskCheck"]
			if get(rc, "decision") != tc.decision {
				t.Errorf("decision %v, want %s: %v", get(rc, "decision"), tc.decision, get(rc, "checks"))
			}
			for name, want := range tc.checks {
				if got := get(checkOf(rc, name), "decision"); got != want {
					t.Errorf("check %s: %v, want %s", name, got, want)
				}
			}
			alt := get(rc, "alternative")
			switch {
			case tc.alternative == "" && alt != nil:
				t.Errorf("alternative %v without a hold", alt)
			case tc.alternative != "":
				if get(alt, "kind") != tc.alternative || get(alt, "amount") != tc.altAmount || get(alt, "en") == "" {
					t.Errorf("alternative %v, want %s of %v", alt, tc.alternative, tc.altAmount)
				}
			}
		})
	}

	t.Run("usual order and evidence", func(t *testing.T) {
		res := ask("manager", ns+"c1", 100000, "CNY")
		rc := res.Data["riskCheck"]
		if get(rc, "usualOrder") != 100000.0 || get(rc, "orders") != 5.0 || get(rc, "thresholds") != "gate-1" || get(rc, "modelVersion") != "prior-1" {
			t.Errorf("usual order %v over %v orders (the one of two years ago left out), thresholds %v: %+v", get(rc, "usualOrder"), get(rc, "orders"), get(rc, "thresholds"), res.Errors)
		}
		res = ask("manager", ns+"c2", 50000, "CNY")
		if ev := get(res.Data, "riskCheck", "credit", "reasons", 0, "evidence", 0, "id"); ev != ns+"registry" {
			t.Errorf("credit's evidence %v, want the registry change", ev)
		}
		if c := checkOf(res.Data["riskCheck"], "credit"); get(c, "value") != 0.72 || get(c, "review") != 0.3 || get(c, "hold") != 0.6 {
			t.Errorf("credit check %v: want the probability and the thresholds applied", c)
		}
		res = ask("manager", ns+"c3", 1000, "CNY")
		if get(res.Data, "riskCheck", "usualOrder") != nil || get(res.Data, "riskCheck", "scoredAt") != nil || get(checkOf(res.Data["riskCheck"], "amount"), "basis") != "absolute" {
			t.Errorf("never scored, no orders: %v", res.Data)
		}
	})

	t.Run("refused", func(t *testing.T) {
		for _, tc := range []struct {
			name, token, customer string
			amount                float64
			currency, code, field string
			message               string
		}{
			{"unknown customer", "manager", "nobody", 1000, "CNY", "NOT_FOUND", "", "nobody"},
			{"currency without a rate", "manager", "c1", 1000, "XYZ", "BAD_USER_INPUT", "currency", "no rate for XYZ"},
			{"not a currency", "manager", "c1", 1000, "yuan", "BAD_USER_INPUT", "currency", `"YUAN"`},
			{"negative amount", "manager", "c1", -5, "CNY", "BAD_USER_INPUT", "amount", "positive"},
			{"zero amount", "manager", "c1", 0, "CNY", "BAD_USER_INPUT", "amount", "positive"},
			{"another rep's customer", "rep", "c1", 1000, "CNY", "FORBIDDEN", "", "not yours"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := ask(tc.token, ns+tc.customer, tc.amount, tc.currency)
				if res.code() != tc.code || (tc.field != "" && res.Errors[0].Extensions["field"] != tc.field) || !strings.Contains(res.Errors[0].Message, tc.message) {
					t.Errorf("%+v, want %s on %q saying %q", res.Errors, tc.code, tc.field, tc.message)
				}
			})
		}
	})

	t.Run("audited", func(t *testing.T) {
		audits, err := f.store.Audits(context.Background(), ns+"c1", 50)
		if err != nil {
			t.Fatal(err)
		}
		var decisions, refusals []string
		for _, a := range audits {
			if a.Action != "riskCheck" {
				continue
			}
			var after map[string]any
			if err := json.Unmarshal([]byte(a.After), &after); err != nil {
				t.Fatal(err)
			}
			if d, ok := after["decision"].(string); ok {
				decisions = append(decisions, a.Actor+":"+d)
				if after["amount"] == nil || after["currency"] == nil {
					t.Errorf("audit without the amount: %s", a.After)
				}
			} else {
				refusals = append(refusals, a.Actor+":"+after["refused"].(string))
			}
		}
		// c1: pass, review, hold, usual order; then five refusals.
		want := map[string]bool{ns + "manager:PASS": true, ns + "rep2:REVIEW": true, ns + "admin:HOLD": true}
		for _, d := range decisions {
			delete(want, d)
		}
		if len(decisions) != 4 || len(want) > 0 {
			t.Errorf("audited decisions %v, missing %v", decisions, want)
		}
		if len(refusals) != 5 || !strings.Contains(strings.Join(refusals, " "), ns+"rep:forbidden") {
			t.Errorf("audited refusals %v, want 5 with the rep's", refusals)
		}
		unknown, _ := f.store.Audits(context.Background(), ns+"nobody", 5)
		if len(unknown) != 1 || !strings.Contains(unknown[0].After, "not_found") {
			t.Errorf("the unknown customer's call: %+v", unknown)
		}
	})
}

// POST /api/risk-check answers as riskCheck does, with the API's tokens,
// error body and statuses.
func TestRiskCheckREST(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	gateWorld(t, f)
	mux := http.NewServeMux()
	mux.Handle("POST /api/risk-check", resolvers.NewRiskCheckHandler(&resolvers.Resolver{Graph: f.store}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	post := func(token, contentType, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+"/api/risk-check", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, out
	}
	body := func(id string, amount float64, currency string) string {
		b, _ := json.Marshal(map[string]any{"customerId": id, "amount": amount, "currency": currency})
		return string(b)
	}
	const js = "application/json"

	status, out := post(f.tokens["manager"], js, body(f.ns+"c2", 50000, "CNY"))
	if status != 200 || out["decision"] != "HOLD" || get(out, "alternative", "kind") != "prepayment" || get(out, "evidence", 0, "id") != f.ns+"registry" ||
		get(out, "credit", "reasons", 0, "signals", 0) != f.ns+"registry" {
		t.Errorf("%d %v", status, out)
	}
	status, out = post(f.tokens["rep2"], js, body(f.ns+"c1", 150000, "CNY"))
	if status != 200 || out["decision"] != "PASS" || out["usualOrder"] != 100000.0 || len(out["checks"].([]any)) != 3 {
		t.Errorf("%d %v", status, out)
	}

	for _, tc := range []struct {
		name, token, contentType, body string
		status                         int
		code, field                    string
	}{
		{"no token", "", js, body(f.ns+"c1", 1, "CNY"), 401, "UNAUTHENTICATED", ""},
		{"unknown token", "not-a-token", js, body(f.ns+"c1", 1, "CNY"), 401, "UNAUTHENTICATED", ""},
		{"another rep's customer", f.tokens["rep"], js, body(f.ns+"c1", 1, "CNY"), 403, "FORBIDDEN", ""},
		{"unknown customer", f.tokens["manager"], js, body(f.ns+"nobody", 1, "CNY"), 404, "NOT_FOUND", ""},
		{"currency without a rate", f.tokens["manager"], js, body(f.ns+"c1", 1, "XYZ"), 400, "BAD_USER_INPUT", "currency"},
		{"amount missing", f.tokens["manager"], js, `{"customerId": "x", "currency": "CNY"}`, 400, "BAD_USER_INPUT", "amount"},
		{"amount a string", f.tokens["manager"], js, `{"customerId": "x", "amount": "10", "currency": "CNY"}`, 400, "BAD_USER_INPUT", "amount"},
		{"unknown field", f.tokens["manager"], js, `{"customerId": "x", "amount": 10, "currency": "CNY", "customer": "y"}`, 400, "BAD_USER_INPUT", "customer"},
		{"not JSON", f.tokens["manager"], js, `customerId=x`, 400, "BAD_USER_INPUT", ""},
		{"two orders", f.tokens["manager"], js, body(f.ns+"c1", 1, "CNY") + body(f.ns+"c2", 1, "CNY"), 400, "BAD_USER_INPUT", ""},
		{"an array", f.tokens["manager"], js, "[" + body(f.ns+"c1", 1, "CNY") + "]", 400, "BAD_USER_INPUT", ""},
		{"amount too large for a number", f.tokens["manager"], js, `{"customerId": "x", "amount": 1e400, "currency": "CNY"}`, 400, "BAD_USER_INPUT", "amount"},
		{"a form", f.tokens["manager"], "application/x-www-form-urlencoded", `customerId=x`, 415, "BAD_USER_INPUT", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := post(tc.token, tc.contentType, tc.body)
			if status != tc.status || get(out, "errors", 0, "extensions", "code") != tc.code || get(out, "errors", 0, "message") == "" {
				t.Errorf("%d %v, want %d %s", status, out, tc.status, tc.code)
			}
			if tc.field != "" && get(out, "errors", 0, "extensions", "field") != tc.field {
				t.Errorf("field %v, want %s", get(out, "errors", 0, "extensions", "field"), tc.field)
			}
		})
	}
	audits, _ := f.store.Audits(context.Background(), f.ns+"c2", 5)
	if len(audits) != 1 || audits[0].Action != "riskCheck" || audits[0].Actor != f.ns+"manager" || !strings.Contains(audits[0].After, `"decision":"HOLD"`) {
		t.Errorf("audit of the REST call: %+v", audits)
	}
}
