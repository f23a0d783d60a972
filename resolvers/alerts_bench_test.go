package resolvers_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/resolvers"
)

// What recording a brief read costs the brief: the same brief query by two
// managers, one whose token names a rep (its reads are recorded, and
// follow up that rep's alerts) and one whose does not, taken in turns;
// and the recording's write alone. VALUEGRAPH_BENCH_BRIEF_OPEN=1 runs it
// (N reads each, default 200); the times are logged, for the report.
func TestBriefOpenCost(t *testing.T) {
	if os.Getenv("VALUEGRAPH_BENCH_BRIEF_OPEN") != "1" {
		t.Skip("VALUEGRAPH_BENCH_BRIEF_OPEN=1 measures what recording a brief read costs")
	}
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	id := f.ns + "huaxin"
	// Its owner has alerts on it to follow up: score, move, score again.
	if _, err := f.scorer.Score(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpsertSignals(ctx, []valuegraph.Signal{{ID: f.ns + "bo-award", Kind: valuegraph.SignalAward, Title: "中标公告",
		Source: f.ns + "ccgp", Trust: valuegraph.TrustL2, OccurredAt: time.Now().Add(-24 * time.Hour), CustomerIDs: []string{id}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.scorer.Score(ctx, id); err != nil {
		t.Fatal(err)
	}
	tok, recorded, err := f.store.CreateToken(ctx, f.ns+"manager-rep", valuegraph.AccessManager, f.ns+"rep-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.store.RevokeToken(context.Background(), tok.ID) })
	q := `query($id: ID!) { brief(customerId: $id) {
	  customer { id name } assessment { stage tier risks { replacement churn credit } stageWhy { reasons { factor en } } }
	  painPoints { need { name } evidence { id title } } decisionMakers { person { name title } } competitors { competitor { name } mentions }
	  changes { id title } talkingPoints { en evidence { id } } } }`
	n := 200
	times := map[string][]time.Duration{}
	for i := range n + 10 {
		for _, who := range []struct{ name, token string }{{"plain", f.tokens["manager"]}, {"recorded", recorded}} {
			start := time.Now()
			_, res := f.client.do(who.token, q, map[string]any{"id": id})
			took := time.Since(start)
			if len(res.Errors) > 0 {
				t.Fatal(res.Errors)
			}
			if i >= 10 { // after a warm-up
				times[who.name] = append(times[who.name], took)
			}
		}
	}
	for range n {
		start := time.Now()
		if err := f.store.RecordBriefOpen(ctx, f.ns+"rep-1", id, time.Now()); err != nil {
			t.Fatal(err)
		}
		times["write alone"] = append(times["write alone"], time.Since(start))
	}
	for _, name := range []string{"plain", "recorded", "write alone"} {
		d := times[name]
		slices.Sort(d)
		t.Logf("brief %-12s p50 %5.1f ms  p95 %5.1f ms  (%d)", name, ms(d[len(d)/2]), ms(d[len(d)*95/100]), len(d))
	}
	page, err := f.store.ListAlerts(ctx, valuegraph.AlertFilter{Owner: f.ns + "rep-1"}, 10, "")
	if err != nil || len(page.Alerts) == 0 || !page.Alerts[0].FollowUp.Followed() {
		t.Errorf("the owner's alerts after the recorded reads: %+v %v", page.Alerts, err)
	}
}
