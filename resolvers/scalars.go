package resolvers

import (
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/valuegraph/valuegraph"
)

// The String and Time scalars are gqlgen's, with two rules of this API:
//
//   - An unknown value is null, never a placeholder. The domain says "none"
//     with the zero value (its JSON tags are omitempty and omitzero), so an
//     empty string and the zero time are written as null. Fields bind
//     straight to the domain's string and time.Time fields, with no
//     conversion resolvers in between.
//   - A value that is not a time is the client's mistake, BAD_USER_INPUT,
//     rather than an error without a code that reads as INTERNAL.

// MarshalString writes s, or null when it is empty.
func MarshalString(s string) graphql.Marshaler {
	if s == "" {
		return graphql.Null
	}
	return graphql.MarshalString(s)
}

// UnmarshalString reads a string as gqlgen does.
func UnmarshalString(v any) (string, error) { return graphql.UnmarshalString(v) }

// MarshalTime writes t as RFC 3339, or null when it is the zero time.
func MarshalTime(t time.Time) graphql.Marshaler {
	if t.IsZero() {
		return graphql.Null
	}
	return graphql.MarshalTime(t)
}

// UnmarshalTime reads an RFC 3339 time.
func UnmarshalTime(v any) (time.Time, error) {
	t, err := graphql.UnmarshalTime(v)
	if err != nil {
		return time.Time{}, valuegraph.Errorf(valuegraph.EINVALID, "%s is not an RFC 3339 time such as 2026-10-02T08:00:00Z", describe(v))
	}
	return t, nil
}

// describe quotes a short excerpt of a value for an error.
func describe(v any) string {
	s := fmt.Sprintf("%v", v)
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// MarshalID writes an id, or null when there is none.
func MarshalID(id string) graphql.Marshaler { return MarshalString(id) }

// UnmarshalID reads an id as gqlgen does (a string or an integer).
func UnmarshalID(v any) (string, error) { return graphql.UnmarshalID(v) }

// The domain's roles are strings with a type of their own; the schema has
// them as String.

// MarshalDecisionRole writes a person's role in a purchase.
func MarshalDecisionRole(r valuegraph.DecisionRole) graphql.Marshaler {
	return MarshalString(string(r))
}

// UnmarshalDecisionRole reads a person's role in a purchase; the resolver
// that takes one checks it is known.
func UnmarshalDecisionRole(v any) (valuegraph.DecisionRole, error) {
	s, err := graphql.UnmarshalString(v)
	return valuegraph.DecisionRole(s), err
}

// MarshalPartyRole writes the part an organisation plays in a signal.
func MarshalPartyRole(r valuegraph.PartyRole) graphql.Marshaler { return MarshalString(string(r)) }

// UnmarshalPartyRole reads the part an organisation plays in a signal.
func UnmarshalPartyRole(v any) (valuegraph.PartyRole, error) {
	s, err := graphql.UnmarshalString(v)
	return valuegraph.PartyRole(s), err
}
