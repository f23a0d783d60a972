package ingest

import (
	"context"
	"io"
)

// Parser reads one format. Parse calls emit for every good record and reject
// for every bad one (with its file, line and field), and returns an error
// only when it cannot read on at all, after emitting what came before.
type Parser interface {
	Parse(ctx context.Context, r io.Reader, file string, emit func(Item) error, reject func(error)) error
}
