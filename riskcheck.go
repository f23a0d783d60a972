package valuegraph

import "time"

// RiskDecision is the risk gate's answer to an order another system is
// about to approve.
type RiskDecision string

const (
	RiskPass   RiskDecision = "PASS"   // let the order through
	RiskReview RiskDecision = "REVIEW" // a person looks before it goes through
	RiskHold   RiskDecision = "HOLD"   // stop it; offer the alternative instead
)

// RiskDecisions lists the decisions, mildest first.
var RiskDecisions = []RiskDecision{RiskPass, RiskReview, RiskHold}

// Rank orders decisions: PASS 0, REVIEW 1, HOLD 2.
func (d RiskDecision) Rank() int {
	for i, v := range RiskDecisions {
		if v == d {
			return i
		}
	}
	return -1
}

// RiskCheckRequest is what an order-approval step asks the gate: may this
// customer order this much?
type RiskCheckRequest struct {
	CustomerID string  `json:"customerId"`
	Amount     float64 `json:"amount"`
	Currency   string  `json:"currency"` // ISO 4217
}

// RiskCheck is the gate's answer about one order: the decision, every check
// that made it with the thresholds it applied, the credit and churn risks
// with their reasons, and what to offer instead when it holds.
type RiskCheck struct {
	CustomerID   string       `json:"customerId"`
	At           time.Time    `json:"at"`
	Decision     RiskDecision `json:"decision"`
	Amount       float64      `json:"amount"`
	Currency     string       `json:"currency"`
	BaseAmount   float64      `json:"baseAmount"` // Amount in BaseCurrency, at the configured rate
	BaseCurrency string       `json:"baseCurrency"`
	// UsualOrder is the median of the customer's recent orders in
	// BaseCurrency, over Orders orders; 0 when there were too few to judge
	// by (the amount is then judged by absolute bands).
	UsualOrder float64 `json:"usualOrder,omitempty"`
	Orders     int     `json:"orders"`
	// Checks are the credit, churn and amount checks, each with its
	// thresholds and what it decided; the decision is the strictest.
	Checks []GateCheck `json:"checks"`
	// The risks as the latest assessment explains them (log-odds and
	// reasons); empty when the customer was never scored.
	Credit       Explained `json:"credit"`
	Churn        Explained `json:"churn"`
	ScoredAt     time.Time `json:"scoredAt,omitzero"`
	ModelVersion string    `json:"modelVersion,omitempty"`
	// Alternative is what to offer when the decision is HOLD; nil otherwise.
	Alternative *Alternative `json:"alternative,omitempty"`
	// Thresholds is the version of the gate's configuration that decided.
	Thresholds string `json:"thresholds"`
}

// GateCheck is one test an order went through: a value against its review
// and hold levels.
type GateCheck struct {
	Name     string       `json:"name"`  // credit, churn, amount or scored
	Value    float64      `json:"value"` // a risk's probability, or the amount's ratio to the usual order, or the amount in the base currency
	Review   float64      `json:"review"`
	Hold     float64      `json:"hold"`
	Basis    string       `json:"basis"` // probability, usual_order or absolute
	Decision RiskDecision `json:"decision"`
	ZH       string       `json:"zh"`
	EN       string       `json:"en"`
}

// Alternative is what the gate suggests instead of an order it holds:
// prepayment, instalments, a smaller first order.
type Alternative struct {
	Kind     string  `json:"kind"`               // as configured: prepayment, instalments, smaller_first_order
	Cause    string  `json:"cause"`              // the check that held: credit, churn or amount
	Amount   float64 `json:"amount,omitempty"`   // in the request's currency: the first order, or what to prepay
	Currency string  `json:"currency,omitempty"` // the request's
	Count    int     `json:"count,omitempty"`    // instalments
	ZH       string  `json:"zh"`
	EN       string  `json:"en"`
}

// KnownUsualOrder is UsualOrder, nil when there were too few orders to
// tell one.
func (rc *RiskCheck) KnownUsualOrder() *float64 {
	if rc.UsualOrder == 0 {
		return nil
	}
	return &rc.UsualOrder
}

// StatedAmount is the alternative's amount, nil when it has none (its
// currency goes with it: AmountCurrency).
func (a *Alternative) StatedAmount() *float64 {
	if a.Amount == 0 {
		return nil
	}
	return &a.Amount
}

// AmountCurrency is the currency of the alternative's amount, empty when
// it has none.
func (a *Alternative) AmountCurrency() string {
	if a.Amount == 0 {
		return ""
	}
	return a.Currency
}

// Instalments is how many instalments the alternative splits the order
// into, nil when it does not.
func (a *Alternative) Instalments() *int {
	if a.Count == 0 {
		return nil
	}
	return &a.Count
}
