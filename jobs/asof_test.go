package jobs_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
)

// TestScoreAsOf scores a customer as it stood on past days: a signal that
// had not happened yet counts for nothing, and a signal a rep judged
// irrelevant counts on the days before the judgement, not after it.
func TestScoreAsOf(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	ns := graphtest.Prefix(t, s)
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: ns + "c", Name: ns + "客户"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertCompetitors(ctx, []valuegraph.Competitor{{ID: ns + "rival", Name: ns + "对手"}}); err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	post := func(id string, d int) valuegraph.Signal {
		return valuegraph.Signal{ID: ns + id, Kind: valuegraph.SignalForumPost, Title: "求替代方案 " + id, Source: ns + "forum", Trust: valuegraph.TrustL3,
			OccurredAt: day(d), CustomerIDs: []string{ns + "c"}, CompetitorIDs: []string{ns + "rival"}, Intents: []string{"alternative"}}
	}
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{post("early", 0), post("late", 40)}); err != nil {
		t.Fatal(err)
	}
	// A rep judges the early post irrelevant on day 20.
	if _, err := s.SubmitFeedback(ctx, valuegraph.Feedback{ID: ns + "fb", Kind: valuegraph.FeedbackSignalIrrelevant, CustomerID: ns + "c",
		SignalID: ns + "early", Author: ns + "rep", CreatedAt: day(20)}); err != nil {
		t.Fatal(err)
	}
	sc := &jobs.Scorer{Graph: s, Models: jobs.StaticModel{Model: mustModel(t)}}
	cited := func(a valuegraph.Assessment) []string {
		out := append(a.StageWhy.SignalIDs(), a.TierWhy.SignalIDs()...)
		for _, w := range a.RiskWhy {
			out = append(out, w.SignalIDs()...)
		}
		return out
	}
	for _, tc := range []struct {
		day       int
		want, not []string
	}{
		{10, []string{ns + "early"}, []string{ns + "late"}}, // before the judgement and the late post
		{30, nil, []string{ns + "early", ns + "late"}},      // judged irrelevant; the late post not yet
		{50, []string{ns + "late"}, []string{ns + "early"}}, // the late post has happened
	} {
		as, err := sc.ScoreAsOf(ctx, []string{ns + "c"}, day(tc.day), "asof-test")
		if err != nil || len(as) != 1 {
			t.Fatalf("day %d: %v %v", tc.day, as, err)
		}
		got := cited(as[0])
		for _, id := range tc.want {
			if !slices.Contains(got, id) {
				t.Errorf("day %d: the scores do not rest on %s (they cite %v)", tc.day, id, got)
			}
		}
		for _, id := range tc.not {
			if slices.Contains(got, id) {
				t.Errorf("day %d: the scores rest on %s (they cite %v)", tc.day, id, got)
			}
		}
	}
}
