// Package resolvers serves the GraphQL API of schema/ (gqlgen, schema first):
// thin resolvers that call graph/ and check what the caller may see.
package resolvers

//go:generate go tool gqlgen generate

import (
	"log/slog"

	"github.com/valuegraph/valuegraph/graph"
)

// Resolver is the root resolver; it holds what every resolver needs.
type Resolver struct {
	Graph  *graph.Store
	Logger *slog.Logger
}
