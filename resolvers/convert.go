package resolvers

import (
	"context"
	"errors"
	"strings"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/jobs"
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

// inAlertFilter names the alerts filter's fields as the API does.
func inAlertFilter(err error) error {
	var ve *valuegraph.Error
	if errors.As(err, &ve) && ve.Field == "kinds" {
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

// activateModel makes a scoring model version active ("" rolls back), as
// `valuegraph model activate|rollback` does, and asks the worker to rescore
// every customer; it answers the version now active. Admins only.
func (r *Resolver) activateModel(ctx context.Context, version string) (*valuegraph.ModelVersion, error) {
	caller := valuegraph.CallerFrom(ctx)
	if err := forbidUnless(caller, valuegraph.AccessAdmin); err != nil {
		return nil, err
	}
	versions, err := r.Graph.ModelVersions(ctx, r.ModelKind)
	if err != nil {
		return nil, err
	}
	// The built-in priors are stored as a version (jobs.EnsurePriors): a
	// rollback from the first trained version returns to them.
	var prior string
	for _, v := range versions {
		if v.Metrics["builtIn"] == 1 {
			prior = v.Version
		}
	}
	a, err := jobs.ActivateVersion(ctx, r.Graph, r.ModelKind, version, prior, caller.Name)
	if err != nil {
		return nil, err
	}
	if a.Version == "" {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "no version to roll back to")
	}
	if a.Changed && r.Jobs != nil {
		if err := r.Jobs.RescoreAll(ctx); err != nil && r.Logger != nil {
			// The nightly run rescores every customer anyway.
			r.Logger.Warn("rescoring after a model activation not requested", "err", err)
		}
	}
	versions, err = r.Graph.ModelVersions(ctx, r.ModelKind)
	if err != nil {
		return nil, err
	}
	for i := range versions {
		if versions[i].Version == a.Version {
			return &versions[i], nil
		}
	}
	return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "model version %q not found", a.Version)
}

// subscriber is the caller as the owner of subscriptions: a rep by their
// rep id, anyone else by their token's name. Every role may subscribe.
func subscriber(ctx context.Context) (*valuegraph.Caller, string, string, error) {
	caller := valuegraph.CallerFrom(ctx)
	if err := forbidUnless(caller, valuegraph.AccessRep, valuegraph.AccessManager, valuegraph.AccessAnalyst, valuegraph.AccessAdmin); err != nil {
		return nil, "", "", err
	}
	if caller.Role == valuegraph.AccessRep && caller.RepID == "" {
		return nil, "", "", valuegraph.Errorf(valuegraph.EFORBIDDEN, "this rep token names no rep: subscriptions belong to a rep")
	}
	kind, owner := valuegraph.SubscriptionOwner(caller)
	return caller, kind, owner, nil
}

// inputField places an EINVALID error's field under the mutation's input
// argument (kinds[1] → input.kinds[1]), where the caller wrote it.
func inputField(err error) error {
	var ve *valuegraph.Error
	if !errors.As(err, &ve) || ve.Code != valuegraph.EINVALID || ve.Field == "input" {
		return err
	}
	out := *ve
	out.Field = "input." + out.Field
	if ve.Field == "" {
		out.Field = "input"
	}
	return &out
}

// alertSummaryDays is how far back alertSummary looks when not told.
const alertSummaryDays = 90
