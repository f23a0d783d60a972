package gate

import (
	"math"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph"
)

func TestLoad(t *testing.T) {
	c, err := Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Currency.Base != "CNY" || c.Risks.Credit.Hold != 0.6 || len(c.Alternatives) != 3 {
		t.Errorf("built in: %+v", c)
	}
	// A file laid over the built-in one changes what it sets and keeps the rest.
	c, err = Load([]byte("version: ours\nrisks:\n  credit: {hold: 0.9}\ncurrency:\n  rates: {CNY: 1, SGD: 5.3}\n"), "ours.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != "ours" || c.Risks.Credit.Hold != 0.9 || c.Risks.Credit.Review != 0.30 || c.Risks.Churn.Hold != 0.8 {
		t.Errorf("override: version %q credit %+v churn %+v", c.Version, c.Risks.Credit, c.Risks.Churn)
	}
	if _, ok := c.Currency.Rates["USD"]; ok || c.Currency.Rates["SGD"] != 5.3 {
		t.Errorf("rates are replaced whole, got %v", c.Currency.Rates)
	}
}

func TestLoadBad(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"hold under review", "risks:\n  churn: {review: 0.5, hold: 0.4}\n", []string{"bad.yaml: risks.churn.hold: must be above review"}},
		{"probability over 1", "risks:\n  credit: {hold: 1.5}\n", []string{"risks.credit.hold: must be at most 1"}},
		{"base without rate", "currency:\n  base: EUR\n  rates: {CNY: 1}\n", []string{"currency.rates.EUR: the base currency's rate must be 1"}},
		{"bad rate", "currency:\n  rates: {CNY: 1, usd: -2}\n", []string{"currency.rates.usd: want a three-letter", "currency.rates.usd: must be a positive number"}},
		{"unknown kind", "amount:\n  kinds: [erp_orders]\n", []string{`amount.kinds[0]: unknown signal kind "erp_orders"`}},
		{"alternative missing", "alternatives:\n  - {when: credit, kind: prepayment, share: 0.3, zh: 预付, en: prepay}\n",
			[]string{`alternatives: none for "churn"`, `alternatives: none for "amount"`}},
		{"alternative bad", "alternatives:\n  - {when: money, kind: barter, zh: x, en: y}\n", []string{`alternatives[0].when: want one of`, `alternatives[0].kind: want one of`}},
		{"unknown field", "risk:\n  credit: {hold: 0.5}\n", []string{"bad.yaml: line 1: field risk not found"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load([]byte(tc.yaml), "bad.yaml")
			if err == nil {
				t.Fatal("loaded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v\nwant %q in it", err, w)
				}
			}
		})
	}
}

func TestDecide(t *testing.T) {
	c, err := Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	assessed := func(credit, churn float64) *valuegraph.Assessment {
		return &valuegraph.Assessment{ModelVersion: "prior-1", Risks: valuegraph.Risks{Credit: credit, Churn: churn},
			RiskWhy: map[string]valuegraph.Explained{"credit": {Score: math.Log(credit / (1 - credit))}, "churn": {Score: math.Log(churn / (1 - churn))}}}
	}
	// Four orders: a usual order (median) of 100,000 CNY, one of them in USD.
	orders := []valuegraph.Signal{{Amount: 80000, Currency: "CNY"}, {Amount: 120000, Currency: "CNY"}, {Amount: 90000, Currency: "CNY"},
		{Amount: 110000 / 7.1, Currency: "USD"}, {Amount: 5e6, Currency: "XXX"}}
	order := func(amount float64, currency string) valuegraph.RiskCheckRequest {
		return valuegraph.RiskCheckRequest{CustomerID: "c", Amount: amount, Currency: currency}
	}
	for _, tc := range []struct {
		name     string
		req      valuegraph.RiskCheckRequest
		a        *valuegraph.Assessment
		orders   []valuegraph.Signal
		want     valuegraph.RiskDecision
		checks   map[string]valuegraph.RiskDecision
		alt      string  // the alternative's kind
		altValue float64 // its amount
	}{
		{"pass", order(150000, "CNY"), assessed(0.05, 0.1), orders, valuegraph.RiskPass,
			map[string]valuegraph.RiskDecision{"credit": "PASS", "churn": "PASS", "amount": "PASS"}, "", 0},
		{"review: three times the usual order, in dollars", order(300000/7.1, "USD"), assessed(0.05, 0.1), orders, valuegraph.RiskReview,
			map[string]valuegraph.RiskDecision{"amount": "REVIEW"}, "", 0},
		{"review: credit", order(100000, "CNY"), assessed(0.3, 0.1), orders, valuegraph.RiskReview,
			map[string]valuegraph.RiskDecision{"credit": "REVIEW", "amount": "PASS"}, "", 0},
		{"hold: credit, prepay 30%", order(200000, "CNY"), assessed(0.75, 0.1), orders, valuegraph.RiskHold,
			map[string]valuegraph.RiskDecision{"credit": "HOLD"}, "prepayment", 60000},
		{"hold: churn, three instalments", order(90000, "EUR"), assessed(0.1, 0.85), orders, valuegraph.RiskHold,
			map[string]valuegraph.RiskDecision{"churn": "HOLD", "amount": "REVIEW"}, "instalments", 30000},
		{"hold: ten times the usual order, a smaller first order", order(1e6, "CNY"), assessed(0.05, 0.1), orders, valuegraph.RiskHold,
			map[string]valuegraph.RiskDecision{"amount": "HOLD"}, "smaller_first_order", 290000},
		{"hold: credit first when amount holds too", order(2e6, "CNY"), assessed(0.9, 0.1), orders, valuegraph.RiskHold,
			map[string]valuegraph.RiskDecision{"amount": "HOLD", "credit": "HOLD"}, "prepayment", 600000},
		{"never scored: review", order(1000, "CNY"), nil, orders, valuegraph.RiskReview,
			map[string]valuegraph.RiskDecision{"scored": "REVIEW", "amount": "PASS"}, "", 0},
		{"few orders: absolute bands", order(1.2e6, "CNY"), assessed(0.05, 0.1), orders[:2], valuegraph.RiskReview,
			map[string]valuegraph.RiskDecision{"amount": "REVIEW"}, "", 0},
		{"few orders: absolute hold, first order in dollars", order(1e6, "USD"), assessed(0.05, 0.1), nil, valuegraph.RiskHold,
			map[string]valuegraph.RiskDecision{"amount": "HOLD"}, "smaller_first_order", 140000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc := c.Decide(tc.req, tc.a, tc.orders)
			if rc.Decision != tc.want {
				t.Errorf("decision %s, want %s: %+v", rc.Decision, tc.want, rc.Checks)
			}
			got := map[string]valuegraph.GateCheck{}
			for _, ch := range rc.Checks {
				got[ch.Name] = ch
				if ch.ZH == "" || ch.EN == "" {
					t.Errorf("check %s without sentences", ch.Name)
				}
			}
			for name, want := range tc.checks {
				if got[name].Decision != want {
					t.Errorf("check %s: %s, want %s (%s)", name, got[name].Decision, want, got[name].EN)
				}
			}
			switch {
			case tc.alt == "" && rc.Alternative != nil:
				t.Errorf("an alternative without a hold: %+v", rc.Alternative)
			case tc.alt != "" && rc.Alternative == nil:
				t.Errorf("no alternative, want %s", tc.alt)
			case tc.alt != "":
				if rc.Alternative.Kind != tc.alt || math.Abs(rc.Alternative.Amount-tc.altValue) > 0.01 || rc.Alternative.Currency != tc.req.Currency {
					t.Errorf("alternative %+v, want %s of %v %s", rc.Alternative, tc.alt, tc.altValue, tc.req.Currency)
				}
				if strings.Contains(rc.Alternative.EN+rc.Alternative.ZH, "{") {
					t.Errorf("unfilled sentence: %s / %s", rc.Alternative.EN, rc.Alternative.ZH)
				}
			}
		})
	}
	rc := c.Decide(order(100000, "CNY"), nil, orders)
	if rc.Orders != 4 || math.Abs(rc.UsualOrder-100000) > 0.01 {
		t.Errorf("usual order %v over %d orders, want 100,000 over 4 (the one in a currency without a rate left out)", rc.UsualOrder, rc.Orders)
	}
}

func TestMoneyAndRounding(t *testing.T) {
	for x, want := range map[float64]string{1234567: "1,234,567", 1234.5: "1,234.50", 999: "999", 0.25: "0.25", 1e6: "1,000,000"} {
		if got := money(x); got != want {
			t.Errorf("money(%v) = %q, want %q", x, got, want)
		}
	}
	for x, want := range map[float64]string{0.3: "30%", 0.125: "12.5%", 0.6: "60%", 0.07: "7%"} {
		if got := percent(x); got != want {
			t.Errorf("percent(%v) = %q, want %q", x, got, want)
		}
	}
	for x, want := range map[float64]float64{1234567: 1200000, 1200000: 1100000, 300000: 290000, 140845.07: 140000, 99: 98} {
		if got := roundBelow(x); math.Abs(got-want) > 1e-6 {
			t.Errorf("roundBelow(%v) = %v, want %v", x, got, want)
		}
	}
}
