package jobs_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/scoring"
)

func mustRedis(t testing.TB) redis.UniversalClient {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	rc, err := jobs.OpenRedis(context.Background(), url)
	if err != nil {
		graphtest.Unavailable(t, "redis", err)
	}
	t.Cleanup(func() { rc.Close() })
	return rc
}

// queueName keeps each test's tasks away from any other worker on this Redis.
func mustModel(t testing.TB) *scoring.Model {
	t.Helper()
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func queueName() string {
	b := make([]byte, 4)
	rand.Read(b)
	return "test-" + hex.EncodeToString(b)
}

func TestNewScoreCustomerTask(t *testing.T) {
	w := 10 * time.Second
	at := func(sec int) time.Time { return time.Unix(1_800_000_000+int64(sec), 0) } // 1_800_000_000 is a multiple of 10
	id := func(sec int) string {
		t.Helper()
		task, opts, err := jobs.NewScoreCustomerTask("c1", at(sec), w)
		if err != nil {
			t.Fatal(err)
		}
		if task.Type() != jobs.TypeScoreCustomer {
			t.Fatalf("type %q", task.Type())
		}
		for _, o := range opts {
			if o.Type() == asynq.ProcessAtOpt && !o.Value().(time.Time).Equal(at(sec-sec%10+10)) {
				t.Errorf("at %ds: processed at %v, want the end of its window", sec, o.Value())
			}
			if o.Type() == asynq.TaskIDOpt {
				return o.Value().(string)
			}
		}
		t.Fatal("no TaskID option")
		return ""
	}
	if id(1) != id(9) {
		t.Error("requests in one window got different task ids")
	}
	if id(9) == id(10) {
		t.Error("requests in consecutive windows got the same task id")
	}
	if _, _, err := jobs.NewScoreCustomerTask("", at(0), w); valuegraph.ErrorCode(err) != valuegraph.EINVALID {
		t.Errorf("empty id: err = %v, want EINVALID", err)
	}
}

// A burst of rescoring requests is coalesced in Redis and run once by a real
// Asynq server against the real graph.
func TestScoreCustomersEndToEnd(t *testing.T) {
	s := graphtest.MustOpen(t)
	rc := mustRedis(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)

	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: p + "a", Name: "甲公司"}, {ID: p + "b", Name: "乙公司"}}); err != nil {
		t.Fatal(err)
	}
	last := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{
		{ID: p + "s1", Kind: valuegraph.SignalERPOrder, Source: p + "erp", Trust: valuegraph.TrustL1, OccurredAt: last.AddDate(0, -1, 0), CustomerIDs: []string{p + "a"}},
		{ID: p + "s2", Kind: valuegraph.SignalERPOrder, Source: p + "erp", Trust: valuegraph.TrustL1, OccurredAt: last, CustomerIDs: []string{p + "a", p + "b"}},
	}); err != nil {
		t.Fatal(err)
	}

	model := mustModel(t)
	queue := queueName()
	ac := asynq.NewClientFromRedisClient(rc)
	client := jobs.NewClient(ac, jobs.ClientOptions{Queue: queue, CoalesceWindow: 2 * time.Second})
	q, err := client.RescoreCustomers(ctx, p+"a", p+"a", p+"b", p+"a", p+"b")
	enq, coalesced := q.Enqueued, q.Coalesced
	if err != nil {
		t.Fatal(err)
	}
	// The burst may straddle a window boundary; then one more task per customer.
	if enq < 2 || enq > 4 || enq+coalesced != 5 {
		t.Fatalf("enqueued %d, coalesced %d; want 2 tasks for 5 requests (4 if the burst crossed a window)", enq, coalesced)
	}

	srv, mux := jobs.NewServer(rc, jobs.Handlers{Scorer: &jobs.Scorer{Graph: s, Models: jobs.StaticModel{Model: model}}}, jobs.ServerOptions{Queues: map[string]int{queue: 1}, Concurrency: 2})
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()

	deadline := time.Now().Add(20 * time.Second)
	for {
		a, err := s.Customer(ctx, p+"a")
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Customer(ctx, p+"b")
		if err != nil {
			t.Fatal(err)
		}
		if a.SignalCount == 2 && b.SignalCount == 1 && a.Stage != "" && b.Stage != "" {
			if !a.LastSignalAt.Equal(last) {
				t.Errorf("lastSignalAt = %v, want %v", a.LastSignalAt, last)
			}
			if a.Tier == "" || a.Risks.Churn <= 0 || a.Risks.Churn >= 1 {
				t.Errorf("scores not written: tier %q, churn %v", a.Tier, a.Risks.Churn)
			}
			snap, err := s.LatestAssessment(ctx, p+"a")
			if err != nil || snap == nil || snap.Stage != a.Stage || len(snap.StageWhy.Reasons) == 0 {
				t.Errorf("snapshot %+v, %v", snap, err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20s: a has %d signals, b %d; want 2 and 1", a.SignalCount, b.SignalCount)
		}
		time.Sleep(200 * time.Millisecond)
	}

	insp := asynq.NewInspectorFromRedisClient(rc)
	defer insp.DeleteQueue(queue, true)
	for {
		info, err := insp.GetQueueInfo(queue)
		if err != nil {
			t.Fatal(err)
		}
		if info.Pending+info.Scheduled+info.Active+info.Retry == 0 {
			if info.ProcessedTotal != enq || info.FailedTotal != 0 {
				t.Errorf("processed %d (failed %d), want %d tasks run once each", info.ProcessedTotal, info.FailedTotal, enq)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue not drained: %+v", info)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestScorerSkipsHopelessRetries(t *testing.T) {
	s := graphtest.MustOpen(t)
	r := &jobs.Scorer{Graph: s, Models: jobs.StaticModel{Model: mustModel(t)}}
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	for _, tc := range []struct{ name, kind, payload string }{
		{"BadPayload", jobs.TypeScoreCustomer, `{"customerId":`},
		{"NoCustomerID", jobs.TypeScoreCustomer, `{}`},
		{"UnknownCustomer", jobs.TypeScoreCustomer, `{"customerId":"` + p + `nobody"}`},
		{"BatchBadPayload", jobs.TypeScoreCustomers, `{"customerIds":"x"}`},
		{"BatchEmpty", jobs.TypeScoreCustomers, `{"customerIds":[]}`},
		{"BatchEmptyID", jobs.TypeScoreCustomers, `{"customerIds":["` + p + `a",""]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := r.ProcessTask(ctx, asynq.NewTask(tc.kind, []byte(tc.payload)))
			if !errors.Is(err, asynq.SkipRetry) {
				t.Fatalf("err = %v, want SkipRetry", err)
			}
		})
	}
}

// A page of the nightly run with a customer deleted since it was listed
// scores the others and succeeds: retrying would not bring it back.
func TestScoreBatchTaskWithCustomerGone(t *testing.T) {
	s := graphtest.MustOpen(t)
	r := &jobs.Scorer{Graph: s, Models: jobs.StaticModel{Model: mustModel(t)}}
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: p + "a", Name: "甲公司"}}); err != nil {
		t.Fatal(err)
	}
	task, _, err := jobs.NewScoreCustomersTask([]string{p + "gone", p + "a"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.ProcessTask(ctx, task); err != nil {
		t.Fatalf("err = %v, want the page done", err)
	}
	c, err := s.Customer(ctx, p+"a")
	if err != nil || c.Stage == "" {
		t.Fatalf("the customer that exists was not scored: %+v, %v", c, err)
	}
}
