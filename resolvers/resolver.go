// Package resolvers serves the GraphQL API of schema/ (gqlgen, schema first):
// thin resolvers that call graph/ and check what the caller may see.
package resolvers

//go:generate go tool gqlgen generate

import (
	"context"
	"log/slog"

	"github.com/valuegraph/valuegraph/graph"
)

// Resolver is the root resolver; it holds what every resolver needs.
type Resolver struct {
	Graph  *graph.Store
	Jobs   Rescorer // nil: corrections do not trigger rescoring
	Logger *slog.Logger
}

// Rescorer asks the worker to rescore customers.
type Rescorer interface {
	RescoreCustomers(ctx context.Context, ids ...string) (enqueued, coalesced int, err error)
	RequestRetrain(ctx context.Context) error
	Crawl(ctx context.Context, source string) error
}
