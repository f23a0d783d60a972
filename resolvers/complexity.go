package resolvers

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// complexityLimit is extension.FixedComplexityLimit that remembers the cost
// of each operation it has seen. gqlgen walks the whole operation, calling
// a cost function per field, on every request: 3% of a brief's CPU for a
// figure that is the same each time clients send the same document, as they
// do. An operation's cost depends on its variables only through the page
// sizes (`first`) the cost functions in NewHandler read, so an operation
// whose page sizes are all literals is costed once; one with `first: $n`
// is costed on every request.
type complexityLimit struct {
	limit  int
	schema graphql.ExecutableSchema
	costs  *lru.LRU[operationCost] // by operation name and document
}

type operationCost struct {
	fixed bool // no page size comes from a variable
	cost  int
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = &complexityLimit{}

func newComplexityLimit(limit int) *complexityLimit {
	return &complexityLimit{limit: limit, costs: lru.New[operationCost](1000)}
}

func (*complexityLimit) ExtensionName() string { return "ComplexityLimit" }

func (c *complexityLimit) Validate(schema graphql.ExecutableSchema) error {
	if schema == nil {
		return errors.New("complexity limit: no schema")
	}
	c.schema = schema
	return nil
}

func (c *complexityLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Operation
	if op == nil {
		return nil
	}
	key := oc.RawQuery // no copy of the document for the usual, unnamed operation
	if oc.OperationName != "" {
		key = oc.OperationName + "\x00" + key // a document holds no NUL: the parser refuses it
	}
	known, ok := c.costs.Get(ctx, key)
	if !ok || !known.fixed {
		known = operationCost{
			fixed: !pageSizeFromVariable(op.SelectionSet, oc.Doc.Fragments, 0),
			cost:  complexity.Calculate(ctx, c.schema, op, oc.Variables),
		}
		if !ok {
			c.costs.Add(ctx, key, known)
		}
	}
	oc.Stats.SetExtension("ComplexityLimit", &extension.ComplexityStats{Complexity: known.cost, ComplexityLimit: c.limit})
	if known.cost > c.limit {
		err := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d", known.cost, c.limit)
		errcode.Set(err, "COMPLEXITY_LIMIT_EXCEEDED")
		return err
	}
	return nil
}

// pageSizeFromVariable reports whether a field in the selection, at any
// depth, takes its `first` from a variable.
func pageSizeFromVariable(set ast.SelectionSet, frags ast.FragmentDefinitionList, depth int) bool {
	if depth > 64 {
		return true // cyclic fragments fail validation; cost such a thing every time
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if a := s.Arguments.ForName("first"); a != nil && a.Value != nil && a.Value.Kind == ast.Variable {
				return true
			}
			if pageSizeFromVariable(s.SelectionSet, frags, depth+1) {
				return true
			}
		case *ast.InlineFragment:
			if pageSizeFromVariable(s.SelectionSet, frags, depth+1) {
				return true
			}
		case *ast.FragmentSpread:
			if f := frags.ForName(s.Name); f != nil && pageSizeFromVariable(f.SelectionSet, frags, depth+1) {
				return true
			}
		}
	}
	return false
}
