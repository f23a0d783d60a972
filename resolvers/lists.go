package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// marshalList marshals the elements of a list of objects. gqlgen marshals
// every element in a goroutine of its own, so that fields fetched through
// dataloaders (marked @batched in the schema) are asked for by all elements
// within one batch window; without any such field below the list, the
// goroutines buy nothing and cost, per element, a start, a stack grown by
// copying and a wake-up: a brief spent a fifth of its CPU there. So the
// elements are marshalled in turn unless the selection reaches a @batched
// field. The generated code calls this in place of
// graphql.MarshalSliceConcurrently (internal/seqlists rewrites it after
// gqlgen generate).
func marshalList(ctx context.Context, sel ast.SelectionSet, n int, marshal func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	if n > 1 && selectsBatched(sel) {
		return graphql.MarshalSliceConcurrently(ctx, n, 0, false, marshal)
	}
	ret := make(graphql.Array, n)
	for i := range n {
		ret[i] = marshalElement(ctx, i, marshal)
	}
	return ret
}

// marshalElement marshals element i with its own field context, as
// MarshalSliceConcurrently does: an error inside it names its index, and a
// panic becomes that element's error and a null.
func marshalElement(ctx context.Context, i int, marshal func(ctx context.Context, i int) graphql.Marshaler) (m graphql.Marshaler) {
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
	defer func() {
		if r := recover(); r != nil {
			graphql.AddError(ctx, graphql.Recover(ctx, r))
			m = graphql.Null
		}
	}()
	return marshal(ctx, i)
}

// batchedDirective marks, in the schema, the fields resolved through a
// dataloader or a per-customer prefetch.
const batchedDirective = "batched"

// selectsBatched reports whether a selection, at any depth, asks for a
// @batched field.
func selectsBatched(sel ast.SelectionSet) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if s.Definition != nil && s.Definition.Directives.ForName(batchedDirective) != nil {
				return true
			}
			if selectsBatched(s.SelectionSet) {
				return true
			}
		case *ast.InlineFragment:
			if selectsBatched(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && selectsBatched(s.Definition.SelectionSet) {
				return true
			}
		}
	}
	return false
}
