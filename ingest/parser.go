package ingest

import (
	"context"
	"errors"
	"io"

	"github.com/valuegraph/valuegraph"
)

// Parser reads one format. Parse calls emit for every good record and reject
// for every bad one (with its file, line and field), and returns an error
// only when it cannot read on at all, after emitting what came before.
type Parser interface {
	Parse(ctx context.Context, r io.Reader, file string, emit func(Item) error, reject func(error)) error
}

// asProblems turns the field errors of a record that is kept anyway into
// the problems recorded on it.
func asProblems(errs []error) []Problem {
	out := make([]Problem, 0, len(errs))
	for _, err := range errs {
		var e *valuegraph.Error
		if errors.As(err, &e) {
			out = append(out, Problem{Field: e.Field, Reason: valuegraph.Shorten(e.Message)})
			continue
		}
		out = append(out, Problem{Reason: valuegraph.Shorten(err.Error())})
	}
	return out
}
