package resolvers

import (
	"context"
	"math"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// gqlgen runs every field that has a resolver, and every element of a list
// of objects, in a goroutine of its own, so that fields read through
// dataloaders (marked @batched in the schema) ask for their keys within one
// batch window. Everywhere else the goroutines buy nothing and cost, each, a
// start, a stack grown by copying and a wake-up: before this, a brief started
// 25 of them, and growing their stacks alone took a tenth of its CPU. The
// generated code calls marshalList and resolveField in place of
// graphql.MarshalSliceConcurrently and FieldSet.ResolveConcurrently
// (internal/inline rewrites it after gqlgen generate); they keep gqlgen's
// way where a @batched field is involved and run the rest inline. The same
// rewrite makes leaf fields skip gqlgen's per-field machinery where nothing
// can fail (plainly, resolvedPlainly) and objects skip their @defer group
// (deferredGroup).

// marshalList marshals the elements of a list of objects, concurrently only
// when the selection under the list reaches a @batched field that is not
// already loaded: a page of customers whose fields a prefetch has read
// (prefetchCustomers) is marshalled in turn unless something deeper (the
// products of their signals, say) still goes through a loader.
func marshalList(ctx context.Context, sel ast.SelectionSet, n int, marshal func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	if n > 1 && selectsBatched(sel, primedCustomer(ctx)) {
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
// @batched field. primed, when not "", names a field of the selection (the
// element's customer) whose own @batched fields are loaded already: those
// do not count, what lies below them does.
func selectsBatched(sel ast.SelectionSet, primed string) bool {
	found := false
	eachField(sel, func(f *ast.Field) bool {
		switch {
		case primed != "" && f.Name == primed:
			eachField(f.SelectionSet, func(g *ast.Field) bool {
				found = selectsBatched(g.SelectionSet, "")
				return !found
			})
		case f.Definition != nil && f.Definition.Directives.ForName(batchedDirective) != nil:
			found = true
		default:
			found = selectsBatched(f.SelectionSet, "")
		}
		return !found
	})
	return found
}

// eachField calls fn for the fields of a selection, those of its fragments
// included, until fn returns false.
func eachField(sel ast.SelectionSet, fn func(*ast.Field) bool) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if !fn(s) {
				return false
			}
		case *ast.InlineFragment:
			if !eachField(s.SelectionSet, fn) {
				return false
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && !eachField(s.Definition.SelectionSet, fn) {
				return false
			}
		}
	}
	return true
}

// resolveField resolves field i of an object. A @batched field, or one the
// query defers, is scheduled as gqlgen does (run at the object's Dispatch,
// concurrently with its siblings); any other runs now, with the same panic
// guard and the same count of invalid results.
func resolveField(ctx context.Context, out *graphql.FieldSet, field graphql.CollectedField, oc *graphql.OperationContext, deferred *graphql.DeferredGroup, i int, recoverFromPanic, nonNull bool, resolve func(ctx context.Context) graphql.Marshaler) {
	if field.IsDeferred() || (field.Definition != nil && field.Definition.Directives.ForName(batchedDirective) != nil) {
		out.ResolveConcurrently(oc, deferred, i, recoverFromPanic, nonNull, resolve)
		return
	}
	v := resolveInline(ctx, oc, recoverFromPanic, resolve)
	out.Values[i] = v
	if (nonNull && v == graphql.Null) || (!nonNull && v == graphql.RequiredNull) {
		atomic.AddUint32(&out.Invalids, 1)
	}
}

func resolveInline(ctx context.Context, oc *graphql.OperationContext, recoverFromPanic bool, resolve func(ctx context.Context) graphql.Marshaler) (v graphql.Marshaler) {
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				oc.Error(ctx, oc.Recover(ctx, r))
				v = graphql.Null
			}
		}()
	}
	return resolve(ctx)
}

// plainly reports whether the value of a scalar field read straight off its
// struct marshals without fail: a string, an ID, an int or a bool always
// does; a float unless NaN or infinite; a time unless zero (which marshals
// as null, an error in a non-null field). The generated code marshals such
// a value directly (internal/inline rewrites it so) instead of through
// graphql.ResolveField, which for every field makes a field context and a
// context holding it, sets up a recover, boxes the value and runs the
// resolver middleware: a third of the fields of a brief or a page of
// customers, and nothing there can fail, panic or need a path. Values that
// could fail take gqlgen's way, so that their error names the field. (The
// handler installs no field middleware; one that must see every field
// would need this rewrite gone.)
func plainly[T string | int | bool | float64 | time.Time](v T) bool {
	switch v := any(v).(type) {
	case float64:
		return !math.IsNaN(v) && !math.IsInf(v, 0)
	case time.Time:
		return !v.IsZero()
	}
	return true
}

// deferredGroup is graphql.NewDeferredGroup for an object's fields, made
// only when one of them is deferred. gqlgen makes one for every object it
// marshals, and with it the object's whole path from the root, a field set
// and a map: a twentieth of a brief's CPU, for a directive (@defer) that
// none of our fields carry in most queries. An empty group has no Defers,
// so the object then has nothing deferred to process, as it would have.
func deferredGroup(ctx context.Context, fields []graphql.CollectedField) graphql.DeferredGroup {
	for _, f := range fields {
		if f.IsDeferred() {
			return graphql.NewDeferredGroup(ctx)
		}
	}
	return graphql.DeferredGroup{}
}

// resolvedPlainly reports whether the answer of a leaf field's resolver (a
// scalar or enum field without arguments) can be marshalled straight away:
// no error, and a value that marshals without fail (as plainly; a nil
// pointer is null, which such a field may be unless the generated code
// checks it is not). The generated code then skips graphql.ResolveField
// for it, as for plain fields: in a page of 50 customers, their region,
// industry, stage, tier, score and last signal are 300 such fields. An
// error, or a value that may fail, goes gqlgen's way, which calls the
// resolver again with the field's own context and reports it with the
// field's path. So leaf resolvers must be cheap, read only their object
// and not look for their field in the context: TestLeafResolversArePure
// holds them to that.
func resolvedPlainly[T any](v T, err error) bool {
	if err != nil {
		return false
	}
	switch v := any(v).(type) {
	case float64:
		return plainly(v)
	case *float64:
		return v == nil || plainly(*v)
	case time.Time:
		return plainly(v)
	}
	return true
}
