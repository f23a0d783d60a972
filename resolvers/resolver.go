// Package resolvers serves the GraphQL API of schema/ (gqlgen, schema first):
// thin resolvers that call graph/ and check what the caller may see.
package resolvers

//go:generate go tool gqlgen generate

import (
	"context"
	"log/slog"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
)

// Resolver is the root resolver; it holds what every resolver needs.
type Resolver struct {
	Graph *graph.Store
	Jobs  Rescorer // nil: corrections do not trigger rescoring
	// Scorer, when set, rescores a customer within the request that
	// corrects it, so that the correction shows in the very next read.
	Scorer Scorer
	Logger *slog.Logger
	// ModelKind is the kind of model versions modelVersions lists and
	// activateModel changes: "" for the scoring models (tests use their own).
	ModelKind string
}

// Rescorer asks the worker to rescore customers.
type Rescorer interface {
	RescoreCustomers(ctx context.Context, ids ...string) (enqueued, coalesced int, err error)
	RequestRetrain(ctx context.Context) error
	RescoreAll(ctx context.Context) error
	Crawl(ctx context.Context, source string) error
}

// Scorer rescores one customer now (jobs.Scorer).
type Scorer interface {
	Score(ctx context.Context, customerID string) (valuegraph.Assessment, error)
}
