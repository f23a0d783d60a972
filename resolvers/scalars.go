package resolvers

import (
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/valuegraph/valuegraph"
)

// The Time scalar is gqlgen's (RFC 3339), except that a value that is not
// a time is the client's mistake, BAD_USER_INPUT, rather than an error
// without a code that reads as INTERNAL.

// MarshalTime writes t as RFC 3339.
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

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
