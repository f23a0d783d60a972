package jobs

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/scoring"
)

// A batched rescoring that moves customers stores their alerts with the
// assessments, with the owner of each customer then; the same run tried
// again (Asynq delivers at least once) raises the same alerts and stores
// none twice. Each alert is then followed up by the first thing its owner
// does after it: opening the brief, logging an activity or giving
// feedback; nothing another rep does counts.
func TestAlertsStoredOnceAndFollowedUp(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	rep, other := p+"rep", p+"rep-other"
	ids := []string{p + "brief", p + "activity", p + "feedback"}
	var cs []valuegraph.Customer
	for _, id := range ids {
		cs = append(cs, valuegraph.Customer{ID: id, Name: id, OwnerID: rep})
	}
	cs = append(cs, valuegraph.Customer{ID: p + "theirs", Name: "theirs", OwnerID: other})
	if _, err := s.UpsertCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	// Scored an hour ago: what the owner does since is after the alerts.
	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	var posted []Alert
	sc := &Scorer{Graph: s, Models: StaticModel{Model: m}, Now: func() time.Time { return base },
		Alert: func(_ context.Context, a Alert) error { posted = append(posted, a); return nil }}
	if _, err := sc.scoreBatch(ctx, ids, p+"run-0"); err != nil {
		t.Fatal(err)
	}
	if n := countAlerts(t, s, valuegraph.AlertFilter{Owner: rep}); n != 0 || len(posted) != 0 {
		t.Fatalf("a first assessment raised %d alerts (%d posted)", n, len(posted))
	}
	var tenders []valuegraph.Signal
	for _, id := range ids {
		tenders = append(tenders, valuegraph.Signal{ID: id + "-tender", Kind: valuegraph.SignalTender, Source: p + "ccgp", Trust: valuegraph.TrustL2,
			OccurredAt: base.Add(-48 * time.Hour), CustomerIDs: []string{id}})
	}
	if _, err := s.UpsertSignals(ctx, tenders); err != nil {
		t.Fatal(err)
	}
	base = base.Add(time.Minute)
	raisedAt := base
	var stored []valuegraph.Alert
	for try := range 2 {
		posted = nil
		if _, err := sc.scoreBatch(ctx, ids, p+"run-1"); err != nil {
			t.Fatal(err)
		}
		page, err := s.ListAlerts(ctx, valuegraph.AlertFilter{Owner: rep}, 100, "")
		if err != nil {
			t.Fatal(err)
		}
		var postedIDs, storedIDs []string
		for _, a := range posted {
			postedIDs = append(postedIDs, a.ID)
		}
		for _, a := range page.Alerts {
			storedIDs = append(storedIDs, a.ID)
		}
		slices.Sort(postedIDs)
		slices.Sort(storedIDs)
		// The second try compares with the scores before the run, not with
		// what the first try wrote: it raises the very same alerts.
		if !slices.Equal(postedIDs, storedIDs) {
			t.Fatalf("try %d raised %v, the graph holds %v", try+1, postedIDs, storedIDs)
		}
		stages := 0
		for _, a := range page.Alerts {
			if a.Kind == valuegraph.AlertStageChanged {
				stages++
				if a.From != "DORMANT" || a.To != "SELECTING" || len(a.Causes) == 0 || a.Causes[0].Factor != "tender" || a.Causes[0].EN == "" {
					t.Errorf("try %d: alert %+v; want DORMANT to SELECTING because of the tender", try+1, a)
				}
			}
			if a.Owner == nil || a.Owner.ID != rep || a.FollowUp.Followed() || !a.At.Equal(raisedAt) || a.Customer == nil || a.Customer.ID != a.CustomerID {
				t.Errorf("try %d: alert %+v (owner %+v); want %s's, unfollowed, at %v, with its customer", try+1, a, a.Owner, rep, raisedAt)
			}
		}
		if stages != len(ids) {
			t.Fatalf("try %d: %d stage alerts stored, want one per customer (%d): %v", try+1, stages, len(ids), storedIDs)
		}
		stored = page.Alerts
		base = base.Add(time.Minute) // the retry scores a little later; the alerts keep their first time
	}

	followUp := func(customer string) valuegraph.FollowUp {
		t.Helper()
		page, err := s.ListAlerts(ctx, valuegraph.AlertFilter{Owner: rep}, 100, "")
		if err != nil {
			t.Fatal(err)
		}
		var fu []valuegraph.FollowUp
		for _, a := range page.Alerts {
			if a.CustomerID == customer {
				fu = append(fu, a.FollowUp)
			}
		}
		if len(fu) == 0 {
			t.Fatalf("no alert of %s", customer)
		}
		for _, f := range fu[1:] {
			if f != fu[0] {
				t.Errorf("alerts of %s followed up differently: %v", customer, fu)
			}
		}
		return fu[0]
	}
	now := time.Now().Truncate(time.Millisecond)

	// Someone else reading the brief follows nothing up; the owner does.
	if err := s.RecordBriefOpen(ctx, other, p+"brief", now); err != nil {
		t.Fatal(err)
	}
	if fu := followUp(p + "brief"); fu.Followed() {
		t.Fatalf("another rep's brief read followed up the owner's alert: %+v", fu)
	}
	if err := s.RecordBriefOpen(ctx, rep, p+"brief", now.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if fu := followUp(p + "brief"); fu.By != valuegraph.FollowedByBriefOpened || !fu.At.Equal(now.Add(time.Second)) {
		t.Fatalf("after the owner read the brief: %+v", fu)
	}
	// A later act leaves the first one be.
	if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{Kind: valuegraph.FeedbackNoIntent, CustomerID: p + "brief", Author: "rep", AuthorRep: rep,
		CreatedAt: now.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if fu := followUp(p + "brief"); fu.By != valuegraph.FollowedByBriefOpened {
		t.Errorf("a later feedback replaced the first follow-up: %+v", fu)
	}

	// An activity: a call the owner logged, in the CRM, after the alert;
	// one another rep logged counts for nothing.
	call := func(id, by string, at time.Time) valuegraph.Signal {
		return valuegraph.Signal{ID: p + id, Kind: valuegraph.SignalOutreach, Source: p + "crm", Trust: valuegraph.TrustL1, OccurredAt: at,
			CustomerIDs: []string{p + "activity"}, RepID: by}
	}
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{call("call-other", other, now), call("call-before", rep, stored[0].At.Add(-time.Hour))}); err != nil {
		t.Fatal(err)
	}
	if fu := followUp(p + "activity"); fu.Followed() {
		t.Fatalf("another rep's call, or the owner's before the alert, followed it up: %+v", fu)
	}
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{call("call-later", rep, now.Add(2*time.Minute))}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{call("call", rep, now)}); err != nil {
		t.Fatal(err)
	}
	// Ingested after a later one, it happened first: it is the follow-up.
	if fu := followUp(p + "activity"); fu.By != valuegraph.FollowedByActivity || !fu.At.Equal(now) {
		t.Fatalf("after the owner's calls: %+v, want the activity at %v", fu, now)
	}

	// Feedback: another rep's counts for nothing, the owner's does.
	for _, by := range []string{other, rep} {
		if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{Kind: valuegraph.FeedbackRiskUnfounded, Risk: valuegraph.RiskChurn, CustomerID: p + "feedback",
			Author: by, AuthorRep: by, CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		if fu := followUp(p + "feedback"); fu.Followed() != (by == rep) || (by == rep && (fu.By != valuegraph.FollowedByFeedback || !fu.At.Equal(now))) {
			t.Fatalf("after feedback from %s: %+v", by, fu)
		}
	}

	// The summary counts them, and the filter finds them.
	sum, err := s.AlertSummary(ctx, base.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(sum, func(o valuegraph.AlertOwnerSummary) bool { return o.Owner != nil && o.Owner.ID == rep })
	if i < 0 || sum[i].Raised != len(stored) || sum[i].Followed != len(stored) || sum[i].Unfollowed != 0 {
		t.Errorf("summary %+v, want %d raised, all followed", sum, len(stored))
	}
	unfollowed := false
	if n := countAlerts(t, s, valuegraph.AlertFilter{Owner: rep, Followed: &unfollowed}); n != 0 {
		t.Errorf("%d unfollowed alerts listed, want none", n)
	}
}

// countAlerts pages through a list of alerts two at a time.
func countAlerts(t *testing.T, s *graph.Store, f valuegraph.AlertFilter) int {
	t.Helper()
	n, after := 0, ""
	for {
		page, err := s.ListAlerts(context.Background(), f, 2, after)
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Alerts)
		if !page.HasNext {
			return n
		}
		after = page.Cursors[len(page.Cursors)-1]
	}
}

// What storing alerts costs a page of rescoring: a page of 1,000 customers
// where every one moves (a stage alert each, their previous assessments
// read whole, the alerts in the page's one write) against the same page
// rescored with nothing moving. VALUEGRAPH_BENCH_ALERTS=1 runs it; the
// times are logged.
func TestAlertPageCost(t *testing.T) {
	if os.Getenv("VALUEGRAPH_BENCH_ALERTS") != "1" {
		t.Skip("VALUEGRAPH_BENCH_ALERTS=1 measures a page of rescoring that raises an alert per customer")
	}
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	var cs []valuegraph.Customer
	var ids []string
	for i := range 1000 {
		id := fmt.Sprintf("%sc%04d", p, i)
		ids = append(ids, id)
		cs = append(cs, valuegraph.Customer{ID: id, Name: id, OwnerID: fmt.Sprintf("%srep%d", p, i%20)})
	}
	if _, err := s.UpsertCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	sc := &Scorer{Graph: s, Models: StaticModel{Model: m}}
	if _, err := sc.scoreBatch(ctx, ids, p+"r0"); err != nil {
		t.Fatal(err)
	}
	var tenders []valuegraph.Signal
	for _, id := range ids {
		tenders = append(tenders, valuegraph.Signal{ID: id + "-t", Kind: valuegraph.SignalTender, Source: p + "ccgp", Trust: valuegraph.TrustL2,
			OccurredAt: time.Now().Add(-48 * time.Hour), CustomerIDs: []string{id}})
	}
	if _, err := s.UpsertSignals(ctx, tenders); err != nil {
		t.Fatal(err)
	}
	for i, run := range []string{"moving", "still"} {
		start := time.Now()
		if _, err := sc.scoreBatch(ctx, ids, p+run); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		sum, err := s.AlertSummary(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, o := range sum {
			if o.Owner != nil && strings.HasPrefix(o.Owner.ID, p) {
				n += o.Raised
			}
		}
		t.Logf("a page of 1,000 customers, %s: %v (%d alerts stored in all)", run, took.Round(time.Millisecond), n)
		if i == 0 && n < 1000 {
			t.Errorf("%d alerts stored, want one per customer at least", n)
		}
	}
	// Of the moving page's extra time, the read of the previous
	// assessments whole (as before alerts were kept, when a webhook was set).
	start := time.Now()
	if _, err := s.PreviousAssessments(ctx, ids, p+"still"); err != nil {
		t.Fatal(err)
	}
	t.Logf("reading 1,000 previous assessments whole: %v", time.Since(start).Round(time.Millisecond))
}
