package resolvers

import (
	"errors"
	"strings"

	"github.com/valuegraph/valuegraph"
)

// Helpers for resolvers: argument checks, the schema's API-only enums, and
// the fields of an error as the API names them. (Nullable fields need no
// conversion: an empty string or zero time is null by the scalars, see
// scalars.go.)

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

// inFilter names the field of a customer list's error as the argument
// holds it: filter.text, filter.risk.churn.
func inFilter(err error) error {
	var ve *valuegraph.Error
	if errors.As(err, &ve) && (ve.Field == "text" || strings.HasPrefix(ve.Field, "risk.")) {
		return &valuegraph.Error{Code: ve.Code, Field: "filter." + ve.Field, Message: ve.Message, Err: err}
	}
	return err
}

// prefixed names the input field an error is about.
func prefixed(err error, field string) error {
	return &valuegraph.Error{Code: valuegraph.ErrorCode(err), Field: field, Message: strings.TrimPrefix(valuegraph.ErrorMessage(err), field+": "), Err: err}
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
