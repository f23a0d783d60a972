package jobs_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
)

// BenchmarkRescore loads N customers (default 10,000;
// VALUEGRAPH_BENCH_CUSTOMERS=100000 for the full run), each with 12 signals,
// and rescores them all as the nightly run does: TypeRescoreAll enqueues a
// score task per page of 1,000 customers (VALUEGRAPH_BENCH_BATCH), and a
// real Asynq worker on Redis, 2 tasks at once (VALUEGRAPH_BENCH_WORKERS),
// scores each page in one read and one write against the real Neo4j. It
// runs twice: the first scoring (nothing to compare with), then the nightly
// case, every customer scored before and alerts on (the previous
// assessments read and compared). It reports customers/s of each, and the
// read alone (the read query of every page, one after the other, nothing
// scored or written) as the rate the graph allows.
//
//	go test -run '^$' -bench Rescore -benchtime 1x -timeout 30m ./jobs/
func BenchmarkRescore(b *testing.B) {
	n, batch, workers := envInt("VALUEGRAPH_BENCH_CUSTOMERS", 10_000), envInt("VALUEGRAPH_BENCH_BATCH", 1000), envInt("VALUEGRAPH_BENCH_WORKERS", 2)
	s := graphtest.MustOpen(b)
	rc := mustRedis(b)
	ctx := context.Background()
	p := graphtest.Prefix(b, s)
	kinds := []valuegraph.SignalKind{valuegraph.SignalERPOrder, valuegraph.SignalForumPost, valuegraph.SignalTender, valuegraph.SignalServiceTicket}
	now := time.Now()
	start := time.Now()
	// Loaded in slices: 1.2M signals held at once would be the benchmark's
	// own heap, not the scorer's.
	for from := 0; from < n; from += 10_000 {
		cs := make([]valuegraph.Customer, 0, 10_000)
		sigs := make([]valuegraph.Signal, 0, 120_000)
		for i := from; i < min(from+10_000, n); i++ {
			cs = append(cs, valuegraph.Customer{ID: fmt.Sprintf("%sc%07d", p, i), Name: fmt.Sprintf("客户%d", i)})
			for j := range 12 {
				sigs = append(sigs, valuegraph.Signal{ID: fmt.Sprintf("%ss%d-%d", p, i, j), Kind: kinds[(i+j)%len(kinds)], Source: p + "bench",
					Trust: valuegraph.TrustLevel(1 + j%3), OccurredAt: now.Add(-time.Duration(j*20+i%30) * 24 * time.Hour), CustomerIDs: []string{cs[len(cs)-1].ID}})
			}
		}
		if _, err := s.UpsertCustomers(ctx, cs); err != nil {
			b.Fatal(err)
		}
		if _, err := s.UpsertSignals(ctx, sigs); err != nil {
			b.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "loaded %d customers, %d signals in %s\n", n, 12*n, time.Since(start).Round(time.Second))
	runtime.GC()

	queue := queueName()
	insp := asynq.NewInspectorFromRedisClient(rc)
	defer insp.DeleteQueue(queue, true)
	client := jobs.NewClient(asynq.NewClientFromRedisClient(rc), jobs.ClientOptions{Queue: queue})
	var alerts atomic.Int64
	sc := &jobs.Scorer{Graph: s, Models: jobs.StaticModel{Model: mustModel(b)}}
	srv, mux := jobs.NewServer(rc, jobs.Handlers{Scorer: sc}, jobs.ServerOptions{Queues: map[string]int{queue: 1}, Concurrency: workers})
	if err := srv.Start(mux); err != nil {
		b.Fatal(err)
	}
	defer srv.Shutdown()
	all := &jobs.RescoreAll{Graph: prefixed{s: s, prefix: p}, Client: client, Batch: batch}

	b.ResetTimer()
	for range b.N {
		for _, run := range []string{"first", "nightly"} {
			if run == "nightly" {
				sc.Alert = func(context.Context, jobs.Alert) error { alerts.Add(1); return nil }
			}
			peak := watchHeap()
			start := time.Now()
			if err := all.ProcessTask(ctx, asynq.NewTask(jobs.TypeRescoreAll, nil)); err != nil {
				b.Fatal(err)
			}
			for {
				info, err := insp.GetQueueInfo(queue)
				if err != nil {
					b.Fatal(err)
				}
				if info.Pending+info.Active+info.Scheduled+info.Retry == 0 {
					if info.Failed > 0 || info.Archived > 0 {
						b.Fatalf("%d score tasks failed", info.Failed+info.Archived)
					}
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			took := time.Since(start)
			heap := peak()
			// Printed at once too: cleaning up a million nodes comes after.
			fmt.Fprintf(os.Stderr, "%s rescoring: %d customers in %s: %.0f customers/s (pages of %d, %d at once), %d alerts, peak heap %.0f MB\n",
				run, n, took.Round(100*time.Millisecond), float64(n)/took.Seconds(), batch, workers, alerts.Load(), float64(heap)/1e6)
			b.ReportMetric(float64(n)/took.Seconds(), run+"_customers/s")
			b.ReportMetric(took.Seconds(), run+"_s")
			b.ReportMetric(float64(heap)/1e6, run+"_peakHeapMB")
		}
		// The read alone, page after page: what the graph allows.
		start := time.Now()
		after := p
		for {
			ids, err := s.CustomerIDs(ctx, after, batch)
			if err != nil {
				b.Fatal(err)
			}
			ids = (prefixed{prefix: p}).keep(ids)
			if len(ids) == 0 {
				break
			}
			if _, err := s.ScoringInputs(ctx, ids, now.AddDate(-2, 0, 0), "", time.Time{}); err != nil {
				b.Fatal(err)
			}
			after = ids[len(ids)-1]
		}
		took := time.Since(start)
		fmt.Fprintf(os.Stderr, "read alone: %d customers in %s: %.0f customers/s\n", n, took.Round(100*time.Millisecond), float64(n)/took.Seconds())
		b.ReportMetric(float64(n)/took.Seconds(), "readOnly_customers/s")
	}
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil && v > 0 {
		return v
	}
	return def
}

// watchHeap samples the heap in use until the returned func is called, which
// gives the peak.
func watchHeap() func() uint64 {
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
	return func() uint64 { close(stop); return peak.Load() }
}
