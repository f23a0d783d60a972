// Command inline rewrites gqlgen's generated executor to do less per field:
//
//   - what gqlgen would run in goroutines of their own runs inline unless a
//     dataloader needs it concurrent: lists of objects go through
//     resolvers.marshalList, fields with resolvers through
//     resolvers.resolveField;
//   - an object's group for @defer'red fields is made only when one of its
//     fields is deferred (resolvers.deferredGroup);
//   - scalar fields read straight off a struct, and leaf fields whose
//     resolver takes no arguments, marshal their value directly when it
//     cannot fail to (resolvers.plainly, resolvers.resolvedPlainly), gqlgen's
//     way being kept as the fallback.
//
// It runs after gqlgen generate (see resolvers/resolver.go) and fails if the
// generated code no longer has the calls it rewrites, so a gqlgen upgrade
// that changes them is noticed; resolvers' TestGeneratedCodeRunsInline fails
// if generated.go was made by gqlgen alone.
package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
)

var rewrites = []struct {
	what string
	call *regexp.Regexp
	with string
}{
	{"list marshallers", regexp.MustCompile(`graphql\.MarshalSliceConcurrently\(ctx, len\(v\), \d+, (?:true|false), `), "marshalList(ctx, sel, len(v), "},
	{"field resolutions", regexp.MustCompile(`out\.ResolveConcurrently\(ec\.OperationContext, &deferred, i,`), "resolveField(ctx, out, field, ec.OperationContext, &deferred, i,"},
	// The group that collects an object's @defer'red fields is made only
	// when one of its fields is deferred (see resolvers.deferredGroup).
	{"deferred groups", regexp.MustCompile(`deferred := graphql\.NewDeferredGroup\(ctx\)`), "deferred := deferredGroup(ctx, fields)"},
	// A field read straight off its struct (no resolver, no directive) of a
	// scalar type marshals its value directly when the value cannot fail
	// to marshal (see resolvers.plainly), not through graphql.ResolveField.
	{"plain scalar fields", regexp.MustCompile(`(\(ret graphql\.Marshaler\) \{\n)` +
		`(\treturn graphql\.ResolveField\(\n\t\tctx,\n\t\tec\.OperationContext,\n\t\tfield,\n` +
		`\t\tfunc\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{\n\t\t\treturn ec\.fieldContext_\w+\(ctx, field\)\n\t\t\},\n` +
		`\t\tfunc\(ctx context\.Context\) \(any, error\) \{\n\t\t\treturn (obj\.\w+), nil\n\t\t\},\n` +
		`\t\tnil,\n` +
		`\t\tfunc\(ctx context\.Context, selections ast\.SelectionSet, v (?:string|int|bool|float64|time\.Time)\) graphql\.Marshaler \{\n` +
		`\t\t\treturn ec\.(marshalN(?:String2string|ID2string|Int2int|Boolean2bool|Float2float64|Time2timeᚐTime))\(ctx, selections, v\)\n)`),
		"${1}\tif v := ${3}; plainly(v) {\n\t\treturn ec.${4}(ctx, field.Selections, v)\n\t}\n${2}"},
}

func main() {
	path := "generated.go"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	if err := rewrite(path); err != nil {
		fmt.Fprintln(os.Stderr, "inline:", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, r := range rewrites {
		n := len(r.call.FindAllIndex(src, -1))
		if n == 0 {
			return fmt.Errorf("%s: no %s to rewrite (%s); has gqlgen changed its templates?", path, r.what, r.call)
		}
		src = r.call.ReplaceAll(src, []byte(r.with))
		fmt.Printf("inline: %s: %d %s rewritten\n", path, n, r.what)
	}
	src, n := rewriteLeafResolvers(src)
	if n == 0 {
		return fmt.Errorf("%s: no leaf resolvers to rewrite (%s); has gqlgen changed its templates?", path, leafResolver)
	}
	fmt.Printf("inline: %s: %d leaf resolvers rewritten\n", path, n)
	return os.WriteFile(path, src, 0o644)
}

// leafResolver is gqlgen's code for a field of a scalar or enum type that
// has a resolver method and no arguments.
var leafResolver = regexp.MustCompile(`(\(ret graphql\.Marshaler\) \{\n)` +
	`(\treturn graphql\.ResolveField\(\n\t\tctx,\n\t\tec\.OperationContext,\n\t\tfield,\n` +
	`\t\tfunc\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{\n\t\t\treturn ec\.(fieldContext_\w+)\(ctx, field\)\n\t\t\},\n` +
	`\t\tfunc\(ctx context\.Context\) \(any, error\) \{\n\t\t\treturn (ec\.Resolvers\.\w+\(\)\.\w+\(ctx, obj\))\n\t\t\},\n` +
	`\t\tnil,\n` +
	`\t\tfunc\(ctx context\.Context, selections ast\.SelectionSet, v (\*?(?:string|int|bool|float64|time\.Time|[A-Z]\w*))\) graphql\.Marshaler \{\n` +
	`\t\t\treturn ec\.(marshal[NO][^(\s]+)\(ctx, selections, v\)\n)`)

// rewriteLeafResolvers makes each leaf resolver (see leafResolver) first
// try its resolver with the object's context and marshal the answer
// straight away when it cannot fail to marshal (resolvers.resolvedPlainly),
// gqlgen's way being left for the rest. Fields of object types are left
// alone: their field context is not a scalar one.
func rewriteLeafResolvers(src []byte) ([]byte, int) {
	var out bytes.Buffer
	n, last := 0, 0
	for _, m := range leafResolver.FindAllSubmatchIndex(src, -1) {
		group := func(i int) string { return string(src[m[2*i]:m[2*i+1]]) }
		if !bytes.Contains(src, []byte("func (ec *executionContext) "+group(3)+"(_ context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {\n\treturn graphql.NewScalarFieldContext(")) {
			continue
		}
		typ, marshal := group(5), group(6)
		cond := "resolvedPlainly(v, err)"
		if strings.HasPrefix(typ, "*") && strings.HasPrefix(marshal, "marshalN") {
			cond = "v != nil && " + cond // nil in a non-null field is an error, gqlgen's to report
		}
		out.Write(src[last:m[3]])
		fmt.Fprintf(&out, "\tif v, err := %s; %s {\n\t\treturn ec.%s(ctx, field.Selections, v)\n\t}\n", group(4), cond, marshal)
		last = m[3]
		n++
	}
	out.Write(src[last:])
	return out.Bytes(), n
}
