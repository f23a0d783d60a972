package graph

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// BenchmarkIngestThroughput writes N generated signals (each about one of
// N/10 customers) through UpsertSignals (which runs two batches at once),
// and the same rows through the bare driver running the same UNWIND
// statements one batch after the other without our checks, in one run, and
// reports both rates. N defaults to 100k; VALUEGRAPH_BENCH_SIGNALS=1000000
// runs the 1M case. It opens the real Neo4j from the environment (like
// graphtest, which this package cannot import).
//
//	go test -run '^$' -bench IngestThroughput -benchtime 1x ./graph/
func BenchmarkIngestThroughput(b *testing.B) {
	total := 100_000
	if v, err := strconv.Atoi(os.Getenv("VALUEGRAPH_BENCH_SIGNALS")); err == nil && v > 0 {
		total = v
	}
	ctx := context.Background()
	pw := os.Getenv("NEO4J_PASSWORD")
	if pw == "" {
		pw = "valuegraph-dev"
	}
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		uri = "bolt://127.0.0.1:7687"
	}
	s, err := Open(ctx, Config{URI: uri, Password: pw})
	if err != nil {
		b.Skip("neo4j unavailable:", err)
	}
	defer s.Close(ctx)
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		for _, mode := range []string{"ours", "bare"} {
			prefix := fmt.Sprintf("bench%d%s-", time.Now().UnixNano(), mode)
			customers := make([]valuegraph.Customer, total/10)
			for i := range customers {
				customers[i] = valuegraph.Customer{ID: fmt.Sprintf("%sc%d", prefix, i), Name: fmt.Sprintf("客户%d", i)}
			}
			if _, err := s.UpsertCustomers(ctx, customers); err != nil {
				b.Fatal(err)
			}
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			batch := make([]valuegraph.Signal, 0, s.batch)
			start := time.Now()
			written := 0
			for i := range total {
				batch = append(batch, valuegraph.Signal{ID: fmt.Sprintf("%ss%d", prefix, i), Kind: valuegraph.SignalCustoms,
					Title: "Customs IN HS 69072100", Source: prefix + "customs", Trust: valuegraph.TrustL2,
					OccurredAt: at.Add(time.Duration(i) * time.Second), Amount: float64(i%5000) + 0.5, Currency: "USD",
					CustomerIDs: []string{customers[i%len(customers)].ID}})
				if len(batch) < 4*s.batch && i < total-1 {
					continue
				}
				switch mode {
				case "ours":
					sum, err := s.UpsertSignals(ctx, batch)
					if err != nil {
						b.Fatal(err)
					}
					written += sum.Created
				default: // a plain driver user: one batch after the other
					for start := 0; start < len(batch); start += s.batch {
						rows, err := NewSignalRows(batch[start:min(start+s.batch, len(batch))])
						if err != nil {
							b.Fatal(err)
						}
						written += bareWrite(ctx, b, s, rows)
					}
				}
				batch = batch[:0]
			}
			took := time.Since(start)
			if written != total {
				b.Fatalf("%s wrote %d of %d", mode, written, total)
			}
			b.ReportMetric(float64(total)/took.Seconds(), mode+"_signals/s")
			b.Logf("%s: %d signals in %s (%.0f/s)", mode, total, took.Round(time.Millisecond), float64(total)/took.Seconds())
			if err := s.Purge(ctx, prefix); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// bareWrite runs the statements a batch of new signals needs, as a driver
// user would: sources, then CREATE with EMITTED and ABOUT, in one
// transaction; no existence read, no counts, no link checks.
func bareWrite(ctx context.Context, b *testing.B, s *Store, rows *SignalRows) int {
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	now := time.Now().UTC()
	_, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (any, error) {
		if _, err := tx.Run(ctx, cypherMergeSources, map[string]any{"sources": rows.Sources, "now": now}); err != nil {
			return nil, err
		}
		res, err := tx.Run(ctx, cypherCreateSignals, map[string]any{"rows": rows.Rows, "now": now})
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	})
	if err != nil {
		b.Fatal(err)
	}
	return len(rows.Rows)
}
