// Package graphtest opens the real Neo4j for tests, as httptest opens real
// servers. Under CI (CI=true) a missing Neo4j fails the test; elsewhere the
// test is skipped with the reason, so `go test` works on a laptop without
// services and says what it did not run.
package graphtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph/graph"
)

// DefaultPassword is the documented local password scripts/services.sh sets.
const DefaultPassword = "valuegraph-dev"

// Config returns the graph configuration from the environment, with the
// local defaults of scripts/services.sh.
func Config() graph.Config {
	return graph.Config{
		URI:      getenv("NEO4J_URI", "bolt://127.0.0.1:7687"),
		User:     getenv("NEO4J_USER", "neo4j"),
		Password: getenv("NEO4J_PASSWORD", DefaultPassword),
		Database: getenv("NEO4J_DATABASE", "neo4j"),
	}
}

var migrateOnce sync.Once

// MustOpen opens the store, migrated, and closes it when the test ends.
func MustOpen(tb testing.TB) *graph.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := graph.Open(ctx, Config())
	if err != nil {
		Unavailable(tb, "neo4j", err)
	}
	tb.Cleanup(func() { s.Close(context.Background()) })
	var merr error
	migrateOnce.Do(func() { _, merr = s.Migrate(ctx) })
	if merr != nil {
		tb.Fatalf("migrate: %v", merr)
	}
	return s
}

// Unavailable fails the test under CI and skips it elsewhere.
func Unavailable(tb testing.TB, service string, err error) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s is required under CI but unavailable: %v (start it with scripts/services.sh up)", service, err)
	}
	tb.Skipf("%s unavailable, skipping (run scripts/services.sh up): %v", service, err)
}

// Prefix returns a fresh id prefix for one test's data and deletes every node
// under it when the test ends, so tests share the one database (Community
// has one) without seeing each other's data.
func Prefix(tb testing.TB, s *graph.Store) string {
	tb.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	p := "t" + hex.EncodeToString(b) + "-"
	tb.Cleanup(func() {
		if err := s.Purge(context.Background(), p); err != nil {
			tb.Errorf("purge %s: %v", p, err)
		}
	})
	return p
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
