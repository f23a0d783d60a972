package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
)

// The day's drift: a customer whose orders took off moved up, a quiet one
// did not; the report says who, how far and why, and goes to the webhook.
func TestDriftReport(t *testing.T) {
	s := graphtest.MustOpen(t)
	rc := mustRedis(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: p + "up", Name: "甲"}, {ID: p + "still", Name: "乙"}}); err != nil {
		t.Fatal(err)
	}
	m := mustModel(t)
	now := time.Now()
	score := func(id string, at time.Time) {
		t.Helper()
		sigs, err := s.ScoringSignals(ctx, id, at.AddDate(-2, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.WriteAssessment(ctx, m.Assess(id, m.Compute(sigs, at), at)); err != nil {
			t.Fatal(err)
		}
	}
	score(p+"up", now.Add(-48*time.Hour))
	score(p+"still", now.Add(-48*time.Hour))
	var orders []valuegraph.Signal
	for i := range 12 {
		orders = append(orders, valuegraph.Signal{ID: fmt.Sprintf("%so%d", p, i), Kind: valuegraph.SignalERPOrder, Source: p + "erp",
			Trust: valuegraph.TrustL1, OccurredAt: now.Add(-time.Duration(i*5+1) * 24 * time.Hour), CustomerIDs: []string{p + "up"}})
	}
	if _, err := s.UpsertSignals(ctx, orders); err != nil {
		t.Fatal(err)
	}
	score(p+"up", now)
	score(p+"still", now)

	queue := queueName()
	client := jobs.NewClient(asynq.NewClientFromRedisClient(rc), jobs.ClientOptions{Queue: queue})
	insp := asynq.NewInspectorFromRedisClient(rc)
	defer insp.DeleteQueue(queue, true)
	h := &jobs.DriftReporter{Graph: s, Client: client, CustomerPrefix: p}
	r, err := h.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Moved != 1 || r.TierUp+r.StageForward == 0 || len(r.Customers) != 1 || r.Customers[0].CustomerID != p+"up" || len(r.Customers[0].Causes) == 0 {
		t.Fatalf("report %+v", r)
	}
	if err := h.ProcessTask(ctx, asynq.NewTask(jobs.TypeDriftReport, nil)); err != nil {
		t.Fatal(err)
	}
	tasks, err := insp.ListPendingTasks(queue)
	if err != nil || len(tasks) != 1 || tasks[0].Type != jobs.TypeDeliverAlert {
		t.Fatalf("queued %+v, %v; want one delivery", tasks, err)
	}
	var sent jobs.DriftReport
	if err := json.Unmarshal(tasks[0].Payload, &sent); err != nil || sent.Kind != "drift_report" || sent.Moved != 1 {
		t.Errorf("delivered %s (%v)", tasks[0].Payload, err)
	}

	// A quiet day: nothing is sent.
	h.Now = func() time.Time { return now.Add(72 * time.Hour) }
	h.Window = time.Hour
	if err := h.ProcessTask(ctx, asynq.NewTask(jobs.TypeDriftReport, nil)); err != nil {
		t.Fatal(err)
	}
	if tasks, _ := insp.ListPendingTasks(queue); len(tasks) != 1 {
		t.Errorf("a day without drift queued %d deliveries", len(tasks)-1)
	}
}
