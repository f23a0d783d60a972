package resolvers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"
)

// complexityLimit costs an operation whose page sizes are literals once, so
// the cost functions NewHandler sets must read no argument but `first`:
// every other parameter is left unnamed.
func TestCostFunctionsReadOnlyPageSizes(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "handler.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	ast.Inspect(f, func(n ast.Node) bool {
		assign, ok := n.(*ast.AssignStmt)
		if !ok || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 {
			return true
		}
		sel, ok := assign.Lhs[0].(*ast.SelectorExpr)
		if !ok {
			return true
		}
		inner, ok := sel.X.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if cfg, ok := inner.X.(*ast.SelectorExpr); !ok || cfg.Sel.Name != "Complexity" {
			return true
		}
		fn, ok := assign.Rhs[0].(*ast.FuncLit)
		if !ok {
			t.Errorf("Complexity.%s.%s is not a function literal; cannot check what it reads", inner.Sel.Name, sel.Sel.Name)
			return true
		}
		seen++
		for _, p := range fn.Type.Params.List {
			for _, name := range p.Names {
				if name.Name != "child" && name.Name != "first" && name.Name != "_" {
					t.Errorf("Complexity.%s.%s reads %s: complexityLimit would cost it once for every value", inner.Sel.Name, sel.Sel.Name, name.Name)
				}
			}
		}
		return true
	})
	if seen < 10 {
		t.Errorf("found %d cost functions in handler.go; has NewHandler moved them?", seen)
	}
}
