package resolvers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	gqlast "github.com/vektah/gqlparser/v2/ast"
)

// A list's elements are marshalled concurrently exactly when the selection
// under it reaches a @batched field, however the field is reached, unless
// a prefetch has loaded that field for every element's customer.
func TestSelectsBatched(t *testing.T) {
	schema := NewExecutableSchema(Config{}).Schema()
	for _, c := range []struct {
		name   string
		query  string // the list is the first field of the first field
		primed string
		want   bool
	}{
		{"plain fields", `{ customer(id: "x") { signals { id title trust } } }`, "", false},
		{"a batched field", `{ customer(id: "x") { signals { id products { name } } } }`, "", true},
		{"deeper down", `{ customer(id: "x") { signals { id attachments { name } products { name } } } }`, "", true},
		{"through a fragment", `{ customer(id: "x") { signals { ...s } } } fragment s on Signal { id products { name } }`, "", true},
		{"through an inline fragment", `{ customer(id: "x") { signals { ... on Signal { products { id } } } } }`, "", true},
		{"a fragment without one", `{ customer(id: "x") { signals { ...s } } } fragment s on Signal { id title }`, "", false},
		{"a page's customers, not prefetched", `{ customers { edges { cursor node { id people { name } } } } }`, "", true},
		{"a page's customers, prefetched", `{ customers { edges { cursor node { id owner { id } people { name } assessment { stage } } } } }`, "node", false},
		{"prefetched, through a fragment", `{ customers { edges { node { ...c } } } } fragment c on Customer { people { name } signals { id } }`, "node", false},
		{"prefetched, but a loader further down", `{ customers { edges { node { signals { products { name } } } } } }`, "node", true},
	} {
		doc, err := gqlparser.LoadQuery(schema, c.query)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		top := doc.Operations[0].SelectionSet[0].(*gqlast.Field)
		list := top.SelectionSet[0].(*gqlast.Field)
		if got := selectsBatched(list.SelectionSet, c.primed); got != c.want {
			t.Errorf("%s: selectsBatched = %v, want %v", c.name, got, c.want)
		}
	}
}

// Every field resolver that reads the graph (through a loader, the
// neighbourhood prefetch or the store) must be marked @batched in the
// schema: otherwise, in a list, its elements would be marshalled one after
// another and each would wait for a batch of its own.
func TestResolversThatReadAreBatched(t *testing.T) {
	schema := NewExecutableSchema(Config{}).Schema()
	files, err := filepath.Glob("*.resolvers.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no resolver files: %v", err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Body == nil {
				continue
			}
			recv := receiverName(fn)
			typeName, ok := strings.CutSuffix(recv, "Resolver")
			if !ok || typeName == "" || typeName == "query" || typeName == "mutation" {
				continue
			}
			if !readsGraph(fn.Body) {
				continue
			}
			checked++
			def := schema.Types[strings.ToUpper(typeName[:1])+typeName[1:]]
			if def == nil {
				t.Errorf("%s: no type for resolver %s", fset.Position(fn.Pos()), recv)
				continue
			}
			var field *gqlast.FieldDefinition
			for _, fd := range def.Fields {
				if strings.EqualFold(fd.Name, fn.Name.Name) {
					field = fd
				}
			}
			if field == nil {
				t.Errorf("%s: %s.%s is not in the schema", fset.Position(fn.Pos()), def.Name, fn.Name.Name)
				continue
			}
			if field.Directives.ForName(batchedDirective) == nil {
				t.Errorf("%s: %s.%s reads the graph but is not marked @batched in the schema", fset.Position(fn.Pos()), def.Name, field.Name)
			}
		}
	}
	t.Logf("%d field resolvers read the graph", checked)
	if checked < 10 {
		t.Errorf("only %d field resolvers read the graph; the scan is missing them", checked)
	}
}

// Leaf resolvers (fields of a scalar or enum type with no arguments) are
// tried with their object's context before gqlgen's way (resolvedPlainly),
// and run again that way when they fail: so they must not read the graph,
// nor look at the GraphQL context (their field's or the operation's),
// directly or through a function of this package.
func TestLeafResolversArePure(t *testing.T) {
	schema := NewExecutableSchema(Config{}).Schema()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var decls []*ast.FuncDecl
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") || path == "generated.go" {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Body != nil {
				decls = append(decls, fn)
			}
		}
	}
	// impure: the package's functions that touch the GraphQL context or the
	// graph, and those that call them, to a fixed point.
	impure := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, fn := range decls {
			if fn.Recv != nil || impure[fn.Name.Name] {
				continue
			}
			if touchesContext(fn.Body, impure) || readsGraph(fn.Body) {
				impure[fn.Name.Name] = true
				changed = true
			}
		}
	}
	checked := 0
	for _, fn := range decls {
		if fn.Recv == nil {
			continue
		}
		typeName, ok := strings.CutSuffix(receiverName(fn), "Resolver")
		if !ok || typeName == "" || typeName == "query" || typeName == "mutation" {
			continue
		}
		def := schema.Types[strings.ToUpper(typeName[:1])+typeName[1:]]
		if def == nil {
			continue
		}
		for _, fd := range def.Fields {
			if !strings.EqualFold(fd.Name, fn.Name.Name) || len(fd.Arguments) > 0 {
				continue
			}
			if kind := schema.Types[fd.Type.Name()].Kind; kind != gqlast.Scalar && kind != gqlast.Enum {
				continue
			}
			checked++
			if touchesContext(fn.Body, impure) || readsGraph(fn.Body) {
				t.Errorf("%s: %s.%s is a leaf resolver that reads the graph or the GraphQL context", fset.Position(fn.Pos()), def.Name, fd.Name)
			}
		}
	}
	t.Logf("%d leaf resolvers checked", checked)
	if checked < 40 {
		t.Errorf("only %d leaf resolvers checked; the scan is missing them", checked)
	}
}

// touchesContext reports whether a body uses package graphql (gqlgen's
// contexts and errors) or calls a function in impure.
func touchesContext(body *ast.BlockStmt, impure map[string]bool) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && x.Name == "graphql" {
				found = true
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && impure[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

func receiverName(fn *ast.FuncDecl) string {
	typ := fn.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// readsGraph reports whether a resolver body goes to the graph: a loader, the
// neighbourhood prefetch, or the store itself.
func readsGraph(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			switch n.Name {
			case "neighbourhood", "loadSignals", "loadersFrom", "prefetchCustomers", "prefetchPresence", "completeEvidence":
				found = true
			}
		case *ast.SelectorExpr:
			if n.Sel.Name == "Graph" {
				found = true
			}
		}
		return !found
	})
	return found
}

// The generated executor must go through marshalList and resolveField:
// regenerating with gqlgen alone, not go generate, would bring back a
// goroutine per element and per field.
func TestGeneratedCodeRunsInline(t *testing.T) {
	src, err := os.ReadFile("generated.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ gqlgen, ours string }{
		{"graphql.MarshalSliceConcurrently(", "marshalList(ctx, sel, len(v), "},
		{"out.ResolveConcurrently(", "resolveField(ctx, out, field, "},
		{"graphql.NewDeferredGroup(", "deferredGroup(ctx, fields)"},
	} {
		if n := bytes.Count(src, []byte(c.gqlgen)); n > 0 {
			t.Errorf("generated.go calls %s %d times: regenerate with `go generate ./resolvers`", c.gqlgen, n)
		}
		if !bytes.Contains(src, []byte(c.ours)) {
			t.Errorf("generated.go never calls %s", c.ours)
		}
	}
	// Customer.region has a resolver and no arguments: it is tried first.
	if !bytes.Contains(src, []byte("if v, err := ec.Resolvers.Customer().Region(ctx, obj); resolvedPlainly(v, err) {")) {
		t.Error("generated.go resolves leaf fields through graphql.ResolveField only: regenerate with `go generate ./resolvers`")
	}
	// PainPoint.strength is a plain float: gqlgen's way is only its fallback.
	if !bytes.Contains(src, []byte("if v := obj.Strength; plainly(v) {\n\t\treturn ec.marshalNFloat2float64(ctx, field.Selections, v)")) {
		t.Error("generated.go marshals plain fields through graphql.ResolveField: regenerate with `go generate ./resolvers`")
	}
}

// A plain field's value skips gqlgen's field machinery only when it cannot
// fail to marshal; the others keep gqlgen's way, whose error names the field.
func TestPlainly(t *testing.T) {
	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"string", plainly(""), true},
		{"int", plainly(-1), true},
		{"bool", plainly(false), true},
		{"float", plainly(0.25), true},
		{"NaN", plainly(math.NaN()), false},
		{"infinity", plainly(math.Inf(-1)), false},
		{"time", plainly(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)), true},
		{"zero time", plainly(time.Time{}), false},
	} {
		if c.got != c.want {
			t.Errorf("plainly(%s) = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// A leaf resolver's answer is marshalled straight away only without an
// error and when it cannot fail to marshal.
func TestResolvedPlainly(t *testing.T) {
	nan, half := math.NaN(), 0.5
	str := "x"
	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"string", resolvedPlainly("x", nil), true},
		{"nil string", resolvedPlainly((*string)(nil), nil), true},
		{"string pointer", resolvedPlainly(&str, nil), true},
		{"error", resolvedPlainly(&str, errors.New("no")), false},
		{"enum", resolvedPlainly(StageSelecting, nil), true},
		{"float pointer", resolvedPlainly(&half, nil), true},
		{"nil float", resolvedPlainly((*float64)(nil), nil), true},
		{"NaN pointer", resolvedPlainly(&nan, nil), false},
		{"NaN", resolvedPlainly(nan, nil), false},
		{"zero time", resolvedPlainly(time.Time{}, nil), false},
	} {
		if c.got != c.want {
			t.Errorf("resolvedPlainly(%s) = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// An object's deferred group is made only when one of its fields is
// deferred; the empty one has nothing to process.
func TestDeferredGroup(t *testing.T) {
	ctx := context.Background()
	plain := graphql.CollectedField{Field: &gqlast.Field{Name: "a"}}
	if g := deferredGroup(ctx, []graphql.CollectedField{plain}); g.FieldSet != nil || len(g.Defers) != 0 {
		t.Errorf("no field deferred, got a group %+v", g)
	}
	deferred := graphql.CollectedField{Field: &gqlast.Field{Name: "b"}, Deferrables: []*graphql.Deferrable{{Label: "later"}}}
	if g := deferredGroup(ctx, []graphql.CollectedField{plain, deferred}); g.FieldSet == nil || g.Defers == nil {
		t.Errorf("a deferred field, got no group: %+v", g)
	}
}

// resolveField runs a plain field now and leaves a @batched one for the
// object's Dispatch; a panic is reported, nulls the field and counts it
// invalid, as gqlgen's own scheduling does.
func TestResolveFieldInline(t *testing.T) {
	quiet := func(_ context.Context, p any) error { return fmt.Errorf("panic: %v", p) }
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, quiet)
	oc := &graphql.OperationContext{RecoverFunc: quiet}
	ctx = graphql.WithOperationContext(ctx, oc)
	field := func(name string, directives ...string) graphql.CollectedField {
		def := &gqlast.FieldDefinition{Name: name}
		for _, d := range directives {
			def.Directives = append(def.Directives, &gqlast.Directive{Name: d})
		}
		return graphql.CollectedField{Field: &gqlast.Field{Name: name, Alias: name, Definition: def}}
	}
	plain, batched, panics, nullable := field("plain"), field("loaded", "batched"), field("panics"), field("nullable")
	out := graphql.NewFieldSet([]graphql.CollectedField{plain, batched, panics, nullable})
	deferred := graphql.NewDeferredGroup(ctx)
	var ran []string
	value := func(name string) func(context.Context) graphql.Marshaler {
		return func(context.Context) graphql.Marshaler { ran = append(ran, name); return graphql.MarshalString(name) }
	}
	resolveField(ctx, out, plain, oc, &deferred, 0, true, true, value("plain"))
	resolveField(ctx, out, batched, oc, &deferred, 1, true, true, value("loaded"))
	if strings.Join(ran, ",") != "plain" {
		t.Errorf("before Dispatch ran %v, want the plain field only", ran)
	}
	resolveField(ctx, out, panics, oc, &deferred, 2, true, true, func(context.Context) graphql.Marshaler { panic("boom") })
	resolveField(ctx, out, nullable, oc, &deferred, 3, true, false, func(context.Context) graphql.Marshaler { return graphql.Null })
	out.Dispatch(ctx)
	if strings.Join(ran, ",") != "plain,loaded" {
		t.Errorf("after Dispatch ran %v", ran)
	}
	var buf bytes.Buffer
	out.MarshalGQL(&buf)
	if got := buf.String(); got != `{"plain":"plain","loaded":"loaded","panics":null,"nullable":null}` {
		t.Errorf("object %s", got)
	}
	if out.Invalids != 1 {
		t.Errorf("%d invalid fields, want 1 (the non-null one that panicked)", out.Invalids)
	}
	if errs := graphql.GetErrors(ctx); len(errs) != 1 {
		t.Errorf("errors %v, want the panic's", errs)
	}
}
