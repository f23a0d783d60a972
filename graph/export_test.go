package graph

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Query exposes the single-statement read path to the tests.
func (s *Store) Query(ctx context.Context, cypher string, params map[string]any) (*neo4j.EagerResult, error) {
	return s.query(ctx, cypher, params)
}

// FormatError exposes how the store's errors are coded.
var FormatError = formatError
