package graph_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// Open must name the setting at fault, in one line, for each way a
// configuration can be wrong.
func TestOpen(t *testing.T) {
	graphtest.MustOpen(t) // the real Neo4j must be there for the cases below to mean anything
	ctx := context.Background()
	good := graphtest.Config()

	for _, tc := range []struct {
		name     string
		edit     func(*graph.Config)
		code     string
		contains []string
	}{
		{"WrongPassword", func(c *graph.Config) { c.Password = "not-the-password" }, valuegraph.EUNAUTHORIZED,
			[]string{"NEO4J_USER/NEO4J_PASSWORD", "rejected the credentials", `"neo4j"`}},
		{"Unreachable", func(c *graph.Config) { c.URI = "bolt://127.0.0.1:1" }, valuegraph.EUNAVAILABLE,
			[]string{"NEO4J_URI", "cannot reach Neo4j at bolt://127.0.0.1:1", "refused"}},
		{"UnknownScheme", func(c *graph.Config) { c.URI = "http://127.0.0.1:7687" }, valuegraph.EINVALID,
			[]string{"NEO4J_URI"}},
		{"NotAURI", func(c *graph.Config) { c.URI = "localhost" }, valuegraph.EINVALID,
			[]string{"NEO4J_URI", `"localhost" is not a URI`}},
		{"NoPassword", func(c *graph.Config) { c.Password = "" }, valuegraph.EINVALID,
			[]string{"NEO4J_PASSWORD: not set"}},
		{"NoSuchDatabase", func(c *graph.Config) { c.Database = "nosuchdb" }, valuegraph.EINVALID,
			[]string{"NEO4J_DATABASE", `no database "nosuchdb"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := good
			tc.edit(&cfg)
			cfg.Timeout = 3 * time.Second
			s, err := graph.Open(ctx, cfg)
			if err == nil {
				s.Close(ctx)
				t.Fatal("Open succeeded")
			}
			if got := valuegraph.ErrorCode(err); got != tc.code {
				t.Errorf("code = %s, want %s (%v)", got, tc.code, err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("message spans lines: %q", msg)
			}
			if strings.Contains(msg, cfg.Password) && cfg.Password != "" {
				t.Errorf("message leaks the password: %q", msg)
			}
			for _, want := range tc.contains {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not contain %q", msg, want)
				}
			}
		})
	}
}
