package jobs_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
)

// BenchmarkRescore scores N customers (default 10,000;
// VALUEGRAPH_BENCH_CUSTOMERS=100000 for the full run), each with 12 signals,
// end to end against the real Neo4j as the worker does (recount, read
// signals, read the previous assessment, write the new one and its
// snapshot), 4 at once; it reports customers/s, the mean latency of one
// customer, and the peak heap.
//
//	go test -run '^$' -bench Rescore -benchtime 1x ./jobs/
func BenchmarkRescore(b *testing.B) {
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("VALUEGRAPH_BENCH_CUSTOMERS")); err == nil && v > 0 {
		n = v
	}
	s := graphtest.MustOpen(b)
	ctx := context.Background()
	p := graphtest.Prefix(b, s)
	cs := make([]valuegraph.Customer, n)
	var sigs []valuegraph.Signal
	kinds := []valuegraph.SignalKind{valuegraph.SignalERPOrder, valuegraph.SignalForumPost, valuegraph.SignalTender, valuegraph.SignalServiceTicket}
	now := time.Now()
	for i := range cs {
		cs[i] = valuegraph.Customer{ID: fmt.Sprintf("%sc%07d", p, i), Name: fmt.Sprintf("客户%d", i)}
		for j := range 12 {
			sigs = append(sigs, valuegraph.Signal{ID: fmt.Sprintf("%ss%d-%d", p, i, j), Kind: kinds[(i+j)%len(kinds)], Source: p + "bench",
				Trust: valuegraph.TrustLevel(1 + j%3), OccurredAt: now.Add(-time.Duration(j*20+i%30) * 24 * time.Hour), CustomerIDs: []string{cs[i].ID}})
		}
	}
	if _, err := s.UpsertCustomers(ctx, cs); err != nil {
		b.Fatal(err)
	}
	if _, err := s.UpsertSignals(ctx, sigs); err != nil {
		b.Fatal(err)
	}
	sc := &jobs.Scorer{Graph: s, Models: jobs.StaticModel{Model: mustModel(b)}}
	b.ResetTimer()
	for range b.N {
		var peak atomic.Uint64
		stop := make(chan struct{})
		go func() {
			var ms runtime.MemStats
			for {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
					runtime.ReadMemStats(&ms)
					if ms.HeapInuse > peak.Load() {
						peak.Store(ms.HeapInuse)
					}
				}
			}
		}()
		ids := make(chan string)
		var wg sync.WaitGroup
		var busy atomic.Int64
		start := time.Now()
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range ids {
					t0 := time.Now()
					if _, err := sc.Score(ctx, id); err != nil {
						b.Error(err)
					}
					busy.Add(int64(time.Since(t0)))
				}
			}()
		}
		for _, c := range cs {
			ids <- c.ID
		}
		close(ids)
		wg.Wait()
		took := time.Since(start)
		close(stop)
		// Printed at once too: cleaning up a million nodes comes after.
		fmt.Fprintf(os.Stderr, "rescored %d customers in %s: %.1f customers/s, %.2f ms/customer, peak heap %.0f MB\n",
			n, took.Round(time.Second), float64(n)/took.Seconds(), float64(busy.Load())/float64(n)/1e6, float64(peak.Load())/1e6)
		b.ReportMetric(float64(n)/took.Seconds(), "customers/s")
		b.ReportMetric(float64(busy.Load())/float64(n)/1e6, "ms/customer")
		b.ReportMetric(float64(peak.Load())/1e6, "peakHeapMB")
	}
}
