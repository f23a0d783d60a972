package jobs_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
)

func TestAlertOnStageChange(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: p + "a", Name: "甲"}}); err != nil {
		t.Fatal(err)
	}
	var got []jobs.Alert
	sc := &jobs.Scorer{Graph: s, Models: jobs.StaticModel{Model: mustModel(t)}, Alert: func(_ context.Context, a jobs.Alert) error { got = append(got, a); return nil }}
	if _, err := sc.Score(ctx, p+"a"); err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("first assessment raised %v", got)
	}
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{{ID: p + "t", Kind: valuegraph.SignalTender, Source: p + "ccgp", Trust: 2,
		OccurredAt: time.Now().Add(-48 * time.Hour), CustomerIDs: []string{p + "a"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Score(ctx, p+"a"); err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Kind != "stage_changed" || got[0].From != "DORMANT" || got[0].To != "SELECTING" {
		t.Fatalf("alerts %+v", got)
	}
	if len(got[0].Causes) == 0 || got[0].Causes[0].Factor != "tender" {
		t.Errorf("causes %+v, want the tender first", got[0].Causes)
	}
}

func TestDeliverer(t *testing.T) {
	var body []byte
	status := http.StatusOK
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a jobs.Alert
		if err := json.NewDecoder(r.Body).Decode(&a); err != nil || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("bad post: %v", err)
		}
		body, _ = json.Marshal(a)
		w.WriteHeader(status)
	}))
	defer hook.Close()
	task, _, err := jobs.NewDeliverAlertTask(jobs.Alert{Kind: "tier_changed", CustomerID: "c", From: "B", To: "A"})
	if err != nil {
		t.Fatal(err)
	}
	d := &jobs.Deliverer{URL: hook.URL}
	if err := d.ProcessTask(context.Background(), task); err != nil || len(body) == 0 {
		t.Fatalf("delivery: %v", err)
	}
	status = http.StatusBadGateway
	if err := d.ProcessTask(context.Background(), task); err == nil {
		t.Error("a 502 from the webhook was taken as delivered")
	}
	if err := (&jobs.Deliverer{}).ProcessTask(context.Background(), asynq.NewTask(jobs.TypeDeliverAlert, nil)); err != nil {
		t.Errorf("no webhook configured: %v", err)
	}
}

// The nightly run enqueues a score task per page of customers; each page,
// run by the scorer, scores every customer on it.
func TestRescoreAllEnqueuesEveryCustomer(t *testing.T) {
	s := graphtest.MustOpen(t)
	rc := mustRedis(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	var cs []valuegraph.Customer
	for i := range 25 {
		cs = append(cs, valuegraph.Customer{ID: p + string(rune('a'+i)), Name: "客户"})
	}
	if _, err := s.UpsertCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	queue := queueName()
	client := jobs.NewClient(asynq.NewClientFromRedisClient(rc), jobs.ClientOptions{Queue: queue})
	insp := asynq.NewInspectorFromRedisClient(rc)
	defer insp.DeleteQueue(queue, true)
	// Only this test's customers: page from just before the prefix.
	lister := prefixed{s: s, prefix: p}
	h := &jobs.RescoreAll{Graph: lister, Client: client, Batch: 10}
	if err := h.ProcessTask(ctx, asynq.NewTask(jobs.TypeRescoreAll, nil)); err != nil {
		t.Fatal(err)
	}
	tasks, err := insp.ListPendingTasks(queue, asynq.PageSize(100))
	if err != nil || len(tasks) != 3 {
		t.Fatalf("%d tasks pending, %v; want 3 pages of at most 10 customers", len(tasks), err)
	}
	sc := &jobs.Scorer{Graph: s, Models: jobs.StaticModel{Model: mustModel(t)}}
	seen := map[string]int{}
	for _, task := range tasks {
		var pl jobs.ScoreCustomersPayload
		if err := json.Unmarshal(task.Payload, &pl); err != nil || task.Type != jobs.TypeScoreCustomers || len(pl.CustomerIDs) > 10 {
			t.Fatalf("task %s %s: %v", task.Type, task.Payload, err)
		}
		for _, id := range pl.CustomerIDs {
			seen[id]++
		}
		if err := sc.ProcessTask(ctx, asynq.NewTask(task.Type, task.Payload)); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cs {
		got, err := s.Customer(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if seen[c.ID] != 1 || got.Stage == "" {
			t.Errorf("%s: on %d pages, stage %q; want on one page, scored", c.ID, seen[c.ID], got.Stage)
		}
	}
	sched := asynq.NewScheduler(asynq.RedisClientOpt{Addr: "127.0.0.1:1"}, nil)
	if err := jobs.Schedule(sched, nil); err != nil {
		t.Errorf("schedule: %v", err)
	}
}

type prefixed struct {
	s interface {
		CustomerIDs(ctx context.Context, after string, limit int) ([]string, error)
	}
	prefix string
}

func (p prefixed) CustomerIDs(ctx context.Context, after string, limit int) ([]string, error) {
	if after == "" {
		after = p.prefix
	}
	ids, err := p.s.CustomerIDs(ctx, after, limit)
	return p.keep(ids), err
}

func (p prefixed) keep(ids []string) []string {
	var out []string
	for _, id := range ids {
		if strings.HasPrefix(id, p.prefix) {
			out = append(out, id)
		}
	}
	return out
}
