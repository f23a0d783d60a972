package resolvers

import (
	"strings"
	"time"

	"github.com/valuegraph/valuegraph"
)

// Conversions between the domain's values and the schema's enums and
// nullable fields: an empty domain value is null in the API.

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func floatPtr(f float64) *float64 {
	if f == 0 {
		return nil
	}
	return &f
}

var tierNames = map[valuegraph.Tier]Tier{valuegraph.TierAPlus: TierAPlus, valuegraph.TierA: TierA, valuegraph.TierB: TierB, valuegraph.TierC: TierC}

func tierFromAPI(t Tier) valuegraph.Tier {
	for k, v := range tierNames {
		if v == t {
			return k
		}
	}
	return ""
}

// signalKind maps tender → TENDER and back.
func signalKind(k valuegraph.SignalKind) SignalKind { return SignalKind(strings.ToUpper(string(k))) }

func entityKind(kind string) EntityKind { return EntityKind(strings.ToUpper(kind)) }

func entityLabel(k EntityKind) string {
	switch k {
	case EntityKindCustomer:
		return "Customer"
	case EntityKindCompetitor:
		return "Competitor"
	case EntityKindPerson:
		return "Person"
	}
	return string(k)
}

func intArg(p *int, def, limit int, field string) (int, error) {
	n := def
	if p != nil {
		n = *p
	}
	if n < 1 || n > limit {
		return 0, valuegraph.FieldError(field, "must be between 1 and %d, got %d", limit, n)
	}
	return n, nil
}

// forbidUnless returns EFORBIDDEN unless the caller has one of the roles.
func forbidUnless(c *valuegraph.Caller, roles ...valuegraph.AccessRole) error {
	for _, r := range roles {
		if c != nil && c.Role == r {
			return nil
		}
	}
	return valuegraph.Errorf(valuegraph.EFORBIDDEN, "this needs one of the roles %v", roles)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// explained returns one risk's explanation as a pointer the schema can use.
func explained(a *valuegraph.Assessment, risk string) *valuegraph.Explained {
	e := a.RiskWhy[risk]
	return &e
}

// prefixed names the input field an error is about.
func prefixed(err error, field string) error {
	return &valuegraph.Error{Code: valuegraph.ErrorCode(err), Field: field, Message: strings.TrimPrefix(valuegraph.ErrorMessage(err), field+": "), Err: err}
}

func trustFromAPI(t TrustLevel) valuegraph.TrustLevel {
	switch t {
	case TrustLevelL1:
		return valuegraph.TrustL1
	case TrustLevelL2:
		return valuegraph.TrustL2
	}
	return valuegraph.TrustL3
}

var customerOrders = map[CustomerOrder]valuegraph.CustomerOrder{
	CustomerOrderName:            valuegraph.OrderByName,
	CustomerOrderTierScore:       valuegraph.OrderByTierScore,
	CustomerOrderReplacementRisk: valuegraph.OrderByReplacementRisk,
	CustomerOrderChurnRisk:       valuegraph.OrderByChurnRisk,
	CustomerOrderCreditRisk:      valuegraph.OrderByCreditRisk,
	CustomerOrderLastSignal:      valuegraph.OrderByLastSignal,
}

func orderFromAPI(o CustomerOrder) valuegraph.CustomerOrder { return customerOrders[o] }

func rangeFromAPI(r *FloatRange) valuegraph.Range {
	if r == nil {
		return valuegraph.Range{}
	}
	return valuegraph.Range{Min: r.Min, Max: r.Max}
}

// nodeLabel maps CUSTOMER to the label Customer.
func nodeLabel(k NodeKind) string {
	s := strings.ToLower(string(k))
	return strings.ToUpper(s[:1]) + s[1:]
}

// metric is a model version's metric, null when it was not measured.
func metric(mv *valuegraph.ModelVersion, name string) *float64 {
	v, ok := mv.Metrics[name]
	if !ok {
		return nil
	}
	return &v
}
