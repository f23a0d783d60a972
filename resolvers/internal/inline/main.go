// Command inline rewrites gqlgen's generated executor so that what gqlgen
// would run in goroutines of their own runs inline unless a dataloader needs
// it concurrent: lists of objects go through resolvers.marshalList, and
// fields with resolvers through resolvers.resolveField. It runs after gqlgen
// generate (see resolvers/resolver.go) and fails if the generated code no
// longer has the calls it rewrites, so a gqlgen upgrade that changes them is
// noticed.
package main

import (
	"fmt"
	"os"
	"regexp"
)

var rewrites = []struct {
	what string
	call *regexp.Regexp
	with string
}{
	{"list marshallers", regexp.MustCompile(`graphql\.MarshalSliceConcurrently\(ctx, len\(v\), \d+, (?:true|false), `), "marshalList(ctx, sel, len(v), "},
	{"field resolutions", regexp.MustCompile(`out\.ResolveConcurrently\(ec\.OperationContext, &deferred, i,`), "resolveField(ctx, out, field, ec.OperationContext, &deferred, i,"},
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
	return os.WriteFile(path, src, 0o644)
}
