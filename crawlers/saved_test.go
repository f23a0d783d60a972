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

// The real award notices go through the extractor and ingest into Neo4j;
// a second ingest changes nothing.
func TestIngestSavedNotices(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	w := &ingest.Writer{Graph: s, Resolver: ingest.NewResolver(s, ingest.ResolverOptions{Namespace: ns}), Namespace: ns}
	files, _ := filepath.Glob("../../shared/data/tenders-cn/*.json")
	if len(files) != 13 {
		t.Fatalf("%d notices, want the 13 samples", len(files))
	}
	var bad []error
	sum, err := ingest.Run(context.Background(), crawlers.SavedNotices{}, w, files, ingest.RunOptions{Reject: func(e error) { bad = append(bad, e) }})
	if err != nil || len(bad) > 0 {
		t.Fatalf("%v %v", err, bad)
	}
	if sum.Created != 13 {
		t.Fatalf("%+v, want 13 award signals", sum)
	}
	w.Resolver.Forget()
	again, err := ingest.Run(context.Background(), crawlers.SavedNotices{}, w, files, ingest.RunOptions{})
	if err != nil || again.Created != 0 || again.Unchanged != 13 {
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
