package crawlers_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/ingest"
)

// The 43 real notices (crawler JSON and saved pages, UTF-8 and GBK) go
// through the extractor and ingest into Neo4j (those that lack a buyer are
// kept with their winners); a second ingest changes nothing. The one
// rejection is the writer's: the guangxi table fragment gives no date at
// all, and a signal needs one.
func TestIngestSavedNotices(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	w := &ingest.Writer{Graph: s, Matcher: ingest.NewMatcher(s, ingest.MatchOptions{Namespace: ns}), Namespace: ns}
	files, _ := filepath.Glob("../../shared/data/tenders-cn/*.json")
	more, _ := filepath.Glob("../../shared/data/tenders-cn-more/*.*")
	for _, f := range more {
		if !strings.HasSuffix(f, ".md") {
			files = append(files, f)
		}
	}
	if len(files) != 43 {
		t.Fatalf("%d notices, want the 43 samples", len(files))
	}
	var bad []error
	sum, err := ingest.Run(context.Background(), crawlers.SavedNotices{}, w, files, ingest.RunOptions{Reject: func(e error) { bad = append(bad, e) }})
	if err != nil || len(bad) != 1 || !strings.HasPrefix(bad[0].Error(), "fuckcqcs_guangxi_vaccine_ruwei_table.html:1: publishedAt: the notice gives no date at all") {
		t.Fatalf("%v %v", err, bad)
	}
	if sum.Created+sum.Incomplete != 42 || sum.Incomplete == 0 || sum.Check() != nil {
		t.Fatalf("%+v, want 42 signals, some of them incomplete (no buyer, no amount stated)", sum)
	}
	w.Matcher.Forget()
	again, err := ingest.Run(context.Background(), crawlers.SavedNotices{}, w, files, ingest.RunOptions{})
	if err != nil || again.Created != 0 || again.Merged != 0 || again.Unchanged+again.Incomplete != 42 {
		t.Fatalf("second ingest %+v, %v", again, err)
	}
	// 重庆文理学院 appears in two notices: one customer, two awards, three winners.
	hits, err := s.SearchNames(context.Background(), "重庆文理学院", []string{"Customer"}, 20)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, h := range hits {
		if strings.HasPrefix(h.ID, ns) && h.Name == "重庆文理学院" {
			id = h.ID
		}
	}
	n, err := s.Neighbourhood(context.Background(), id, graphNeighbourhoodAll)
	if err != nil {
		t.Fatal(err)
	}
	winners := map[string]bool{}
	for _, sig := range n.Signals {
		if sig.Kind != valuegraph.SignalAward || sig.Currency != "CNY" || sig.Trust != valuegraph.TrustL2 {
			t.Errorf("signal %+v", sig)
		}
		for _, p := range sig.Parties {
			if p.Role == valuegraph.PartyWinner {
				winners[p.AsName] = true
			}
		}
	}
	if len(n.Signals) != 2 || len(winners) != 3 || !winners["赛尔网络有限公司"] {
		t.Errorf("重庆文理学院: %d signals, winners %v", len(n.Signals), winners)
	}
}
