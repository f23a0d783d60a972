// Package gate is the risk gate other systems call before an order goes
// through: it weighs the customer's credit and churn risks and the order's
// size against thresholds in configuration (gate.yaml) and answers PASS,
// REVIEW or HOLD, with the reasons and, when it holds, an alternative. The
// GraphQL riskCheck and POST /api/risk-check both call Gate.Check.
package gate

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
)

// Store is what the gate reads and writes (graph.Store): one read per
// check, and the audit.
type Store interface {
	GateSource(ctx context.Context, customerID string, kinds []valuegraph.SignalKind, since time.Time) (*graph.GateSource, error)
	RecordAudit(ctx context.Context, actor, action, target string, before, after any) error
}

// Gate answers risk checks and audits every one.
type Gate struct {
	Graph  Store
	Config *Config          // nil: the built-in gate.yaml
	Now    func() time.Time // nil: time.Now
}

// maxAmount bounds an order's amount: past it, float64 no longer holds
// cents, and no order is that large.
const maxAmount = 1e15

// Check decides on an order for the caller in ctx. Every role may ask;
// reps only about the customers they own (EFORBIDDEN otherwise). Errors:
// EINVALID naming the field (customerId, amount, currency), ENOTFOUND for
// an unknown customer, EUNAUTHORIZED without a caller. Every call of an
// authenticated caller is audited (action riskCheck, target the customer):
// the decision, or the code it was refused with. An audit that cannot be
// written fails the call: the gate does not answer off the record.
func (g *Gate) Check(ctx context.Context, req valuegraph.RiskCheckRequest) (*valuegraph.RiskCheck, error) {
	caller := valuegraph.CallerFrom(ctx)
	if caller == nil {
		return nil, valuegraph.Errorf(valuegraph.EUNAUTHORIZED, "not authenticated")
	}
	cfg := g.Config
	if cfg == nil {
		var err error
		if cfg, err = builtIn(); err != nil {
			return nil, err
		}
	}
	req.Currency = strings.ToUpper(strings.TrimSpace(req.Currency))
	rc, err := g.check(ctx, cfg, caller, req, time.Now().UTC())
	record := map[string]any{"amount": req.Amount, "currency": req.Currency}
	if err != nil {
		record["refused"] = valuegraph.ErrorCode(err)
	} else {
		record["decision"] = rc.Decision
		record["baseAmount"] = rc.BaseAmount
		record["thresholds"] = rc.Thresholds
		checks := map[string]valuegraph.RiskDecision{}
		for _, c := range rc.Checks {
			checks[c.Name] = c.Decision
		}
		record["checks"] = checks
		if rc.Alternative != nil {
			record["alternative"] = rc.Alternative.Kind
		}
	}
	target := req.CustomerID
	if len(target) > maxCustomerID {
		target = target[:maxCustomerID]
	}
	if aerr := g.Graph.RecordAudit(ctx, caller.Name, "riskCheck", target, nil, record); aerr != nil {
		return nil, aerr
	}
	return rc, err
}

const maxCustomerID = 200

var builtIn = sync.OnceValues(func() (*Config, error) { return Load(nil, "") })

func (g *Gate) check(ctx context.Context, cfg *Config, caller *valuegraph.Caller, req valuegraph.RiskCheckRequest, now time.Time) (*valuegraph.RiskCheck, error) {
	if err := cfg.validateRequest(req); err != nil {
		return nil, err
	}
	src, err := g.Graph.GateSource(ctx, req.CustomerID, cfg.Amount.Kinds, now.AddDate(0, 0, -cfg.Amount.Days))
	if err != nil {
		return nil, err
	}
	if caller.Role == valuegraph.AccessRep && (caller.RepID == "" || caller.RepID != src.OwnerID) {
		return nil, valuegraph.Errorf(valuegraph.EFORBIDDEN, "reps check orders of the customers they own; %s is not yours", req.CustomerID)
	}
	rc := cfg.Decide(req, src.Assessment, src.Orders)
	rc.At = now
	return &rc, nil
}

func (c *Config) validateRequest(req valuegraph.RiskCheckRequest) error {
	switch {
	case strings.TrimSpace(req.CustomerID) == "":
		return valuegraph.FieldError("customerId", "required")
	case len(req.CustomerID) > maxCustomerID:
		return valuegraph.FieldError("customerId", "over %d bytes", maxCustomerID)
	case math.IsNaN(req.Amount) || req.Amount <= 0:
		return valuegraph.FieldError("amount", "must be a positive number, got %v", req.Amount)
	case req.Amount > maxAmount:
		return valuegraph.FieldError("amount", "over %g, got %v", maxAmount, req.Amount)
	case !valuegraph.IsCurrencyCode(req.Currency):
		return valuegraph.FieldError("currency", "want a three-letter ISO 4217 code, got %q", req.Currency)
	}
	if _, ok := c.Currency.Rates[req.Currency]; !ok {
		return valuegraph.FieldError("currency", "the gate has no rate for %s: it takes %s (currency.rates in the gate's configuration)",
			req.Currency, strings.Join(c.currencies(), ", "))
	}
	return nil
}

func (c *Config) currencies() []string {
	out := make([]string, 0, len(c.Currency.Rates))
	for code := range c.Currency.Rates {
		out = append(out, code)
	}
	slices.Sort(out)
	return out
}

// Decide weighs an order against the thresholds: a customer's latest
// assessment (nil: never scored) and its recent orders (amounts with their
// currencies). The decision is the strictest of the checks. req must have
// passed validateRequest.
func (c *Config) Decide(req valuegraph.RiskCheckRequest, a *valuegraph.Assessment, orders []valuegraph.Signal) valuegraph.RiskCheck {
	rate := c.Currency.Rates[req.Currency]
	base := c.Currency.Base
	rc := valuegraph.RiskCheck{CustomerID: req.CustomerID, Amount: req.Amount, Currency: req.Currency,
		BaseAmount: req.Amount * rate, BaseCurrency: base, Thresholds: c.Version, Decision: valuegraph.RiskPass}

	if a == nil {
		rc.Checks = append(rc.Checks, valuegraph.GateCheck{Name: checkScored, Basis: "assessment", Decision: valuegraph.RiskReview,
			ZH: "该客户尚未评分：信用与流失风险未知", EN: "the customer has not been scored yet: its credit and churn risks are unknown"})
	} else {
		rc.ScoredAt, rc.ModelVersion = a.At, a.ModelVersion
		rc.Credit, rc.Churn = a.RiskWhy[checkCredit], a.RiskWhy[checkChurn]
		rc.Checks = append(rc.Checks,
			riskCheck(checkCredit, "信用风险", a.Risks.Credit, c.Risks.Credit),
			riskCheck(checkChurn, "流失风险", a.Risks.Churn, c.Risks.Churn))
	}

	var amounts []float64
	for _, o := range orders {
		if r, ok := c.Currency.Rates[strings.ToUpper(o.Currency)]; ok && o.Amount > 0 {
			amounts = append(amounts, o.Amount*r)
		}
	}
	rc.Orders = len(amounts)
	var amount valuegraph.GateCheck
	if len(amounts) >= c.Amount.MinOrders {
		rc.UsualOrder = median(amounts)
		ratio := rc.BaseAmount / rc.UsualOrder
		amount = valuegraph.GateCheck{Name: checkAmount, Value: ratio, Review: c.Amount.Usual.Review, Hold: c.Amount.Usual.Hold,
			Basis: "usual_order", Decision: level(ratio, c.Amount.Usual)}
		amount.ZH = fmt.Sprintf("订单金额 %s %s，是常规订单（近%d天%d笔的中位数 %s %s）的%.1f倍（复核线%g倍，暂缓线%g倍）",
			money(rc.BaseAmount), base, c.Amount.Days, rc.Orders, money(rc.UsualOrder), base, ratio, amount.Review, amount.Hold)
		amount.EN = fmt.Sprintf("the order of %s %s is %.1f times the usual order (median of %d in the last %d days: %s %s; review at %g times, hold at %g)",
			money(rc.BaseAmount), base, ratio, rc.Orders, c.Amount.Days, money(rc.UsualOrder), base, amount.Review, amount.Hold)
	} else {
		amount = valuegraph.GateCheck{Name: checkAmount, Value: rc.BaseAmount, Review: c.Amount.Absolute.Review, Hold: c.Amount.Absolute.Hold,
			Basis: "absolute", Decision: level(rc.BaseAmount, c.Amount.Absolute)}
		amount.ZH = fmt.Sprintf("订单金额 %s %s；近%d天订单不足%d笔，按绝对金额判断（复核线 %s，暂缓线 %s）",
			money(rc.BaseAmount), base, c.Amount.Days, c.Amount.MinOrders, money(amount.Review), money(amount.Hold))
		amount.EN = fmt.Sprintf("the order is %s %s; with fewer than %d orders in the last %d days it is judged by absolute bands (review at %s, hold at %s)",
			money(rc.BaseAmount), base, c.Amount.MinOrders, c.Amount.Days, money(amount.Review), money(amount.Hold))
	}
	rc.Checks = append(rc.Checks, amount)

	for _, ch := range rc.Checks {
		if ch.Decision.Rank() > rc.Decision.Rank() {
			rc.Decision = ch.Decision
		}
	}
	if rc.Decision == valuegraph.RiskHold {
		rc.Alternative = c.alternative(rc, rate)
	}
	return rc
}

func riskCheck(name, zh string, p float64, b Band) valuegraph.GateCheck {
	return valuegraph.GateCheck{Name: name, Value: p, Review: b.Review, Hold: b.Hold, Basis: "probability", Decision: level(p, b),
		ZH: fmt.Sprintf("%s %.1f%%（复核线 %s，暂缓线 %s）", zh, 100*p, percent(b.Review), percent(b.Hold)),
		EN: fmt.Sprintf("%s risk %.1f%% (review at %s, hold at %s)", name, 100*p, percent(b.Review), percent(b.Hold))}
}

// percent writes a threshold as it was configured: 0.3 is 30%, 0.125 12.5%.
func percent(x float64) string { return strconv.FormatFloat(math.Round(x*1e4)/100, 'f', -1, 64) + "%" }

func level(v float64, b Band) valuegraph.RiskDecision {
	switch {
	case v >= b.Hold:
		return valuegraph.RiskHold
	case v >= b.Review:
		return valuegraph.RiskReview
	}
	return valuegraph.RiskPass
}

// alternative is the first configured alternative whose check held.
func (c *Config) alternative(rc valuegraph.RiskCheck, rate float64) *valuegraph.Alternative {
	held := map[string]valuegraph.GateCheck{}
	for _, ch := range rc.Checks {
		if ch.Decision == valuegraph.RiskHold {
			held[ch.Name] = ch
		}
	}
	for _, rule := range c.Alternatives {
		ch, ok := held[rule.When]
		if !ok {
			continue
		}
		alt := &valuegraph.Alternative{Kind: rule.Kind, Cause: rule.When, Currency: rc.Currency}
		share := ""
		switch rule.Kind {
		case altPrepayment:
			alt.Amount = round2(rc.Amount * rule.Share)
			share = percent(rule.Share)
		case altInstalments:
			alt.Count = rule.Count
			alt.Amount = round2(rc.Amount / float64(rule.Count))
		case altSmallerFirstOrder:
			// The largest round amount the amount check passes.
			limit := ch.Review // absolute, in the base currency
			if ch.Basis == "usual_order" {
				limit = ch.Review * rc.UsualOrder
			}
			alt.Amount = roundBelow(limit / rate)
		}
		fill := strings.NewReplacer("{amount}", money(alt.Amount), "{currency}", rc.Currency, "{share}", share, "{count}", strconv.Itoa(alt.Count))
		alt.ZH, alt.EN = fill.Replace(rule.ZH), fill.Replace(rule.EN)
		return alt
	}
	return nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// roundBelow is the largest number below x with two significant digits:
// 1,234,567 gives 1,200,000 and 1,200,000 gives 1,100,000.
func roundBelow(x float64) float64 {
	if x <= 0 {
		return 0
	}
	step := math.Pow(10, math.Floor(math.Log10(x))-1)
	y := math.Floor(x/step) * step
	if y >= x {
		y -= step
	}
	return y
}

// money writes an amount with thousands separators and cents only when it
// has them: 1,234,567 and 1,234.50.
func money(x float64) string {
	s := strconv.FormatFloat(round2(x), 'f', 2, 64)
	s = strings.TrimSuffix(s, ".00")
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
