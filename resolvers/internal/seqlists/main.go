// Command seqlists rewrites gqlgen's generated executor so that lists of
// objects are marshalled through resolvers.marshalList, which keeps
// gqlgen's goroutine per element only where a dataloader needs it. It runs
// after gqlgen generate (see resolvers/resolver.go) and fails if the
// generated code no longer has the call it rewrites, so a gqlgen upgrade
// that changes it is noticed.
package main

import (
	"fmt"
	"os"
	"regexp"
)

var call = regexp.MustCompile(`graphql\.MarshalSliceConcurrently\(ctx, len\(v\), \d+, (?:true|false), `)

func main() {
	path := "generated.go"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	if err := rewrite(path); err != nil {
		fmt.Fprintln(os.Stderr, "seqlists:", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	n := len(call.FindAllIndex(src, -1))
	if n == 0 {
		return fmt.Errorf("%s: no graphql.MarshalSliceConcurrently(ctx, len(v), N, B, ...) call to rewrite; has gqlgen changed its template?", path)
	}
	out := call.ReplaceAll(src, []byte("marshalList(ctx, sel, len(v), "))
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return err
	}
	fmt.Printf("seqlists: %s: %d list marshallers rewritten\n", path, n)
	return nil
}
