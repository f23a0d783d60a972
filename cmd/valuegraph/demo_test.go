package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/demo"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// TestDemoLoadTwice writes a small generated dataset into a namespace twice:
// the second load reports every entity unchanged and leaves the namespace
// exactly as the first did.
func TestDemoLoadTwice(t *testing.T) {
	store := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, store)
	ctx := context.Background()
	d, err := demo.Generate(demo.Options{Customers: 50, Prefix: ns, LargeBuyers: 1, LargeSignals: 1000})
	if err != nil {
		t.Fatal(err)
	}
	first, err := loadDemo(ctx, store, d)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"reps": len(d.Reps), "customers": len(d.Customers), "competitors": len(d.Competitors),
		"products": len(d.Products), "needs": len(d.Needs), "offerings": len(d.Offerings), "people": len(d.People), "signals": len(d.Signals)}
	for _, step := range first {
		if step.Summary.Created != want[step.What] {
			t.Errorf("first load: %s created %d, want %d", step.What, step.Summary.Created, want[step.What])
		}
	}
	if n, err := store.Count(ctx, "Signal", ns); err != nil || n != len(d.Signals) || n < 1000 {
		t.Errorf("%d signals in the graph (%v), want %d (at least 1,000)", n, err, len(d.Signals))
	}
	before, err := store.Footprint(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}

	second, err := loadDemo(ctx, store, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range second {
		if s := step.Summary; s.Created != 0 || s.Updated != 0 || s.Unchanged != want[step.What] {
			t.Errorf("second load: %s created %d, updated %d, unchanged %d; want all %d unchanged", step.What, s.Created, s.Updated, s.Unchanged, want[step.What])
		}
	}
	after, err := store.Footprint(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	if diff := before.Diff(after); len(diff) > 0 || before.Nodes != after.Nodes || before.Relationships != after.Relationships {
		t.Errorf("the second load changed the graph (%d nodes, %d relationships before; %d, %d after):", before.Nodes, before.Relationships, after.Nodes, after.Relationships)
		for i, line := range diff {
			if i == 20 {
				t.Errorf("… and %d more", len(diff)-20)
				break
			}
			t.Error(line)
		}
	}
}

// TestDemoRealDataAndPortal loads the demo as `valuegraph demo` does, with
// a few generated customers, the real samples of ../shared/data and the
// crawl of the demo portal, into a namespace: every kind of sample is read
// and accounted for, a real buyer of tenders-cn is a customer with its
// award, the portal's source shows the pages and records of its crawl and a
// generated customer a portal notice names has that award. A second load
// reports nothing created or merged, the crawl gets 304s, and the graph is
// as it was but for the crawl's own bookkeeping (when pages were fetched,
// the source's last run).
func TestDemoRealDataAndPortal(t *testing.T) {
	if st, err := os.Stat(sharedData); err != nil || !st.IsDir() {
		t.Fatalf("the real samples are not at %s (beside the repository): %v", sharedData, err)
	}
	store := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, store)
	ctx := context.Background()
	d, err := demo.Generate(demo.Options{Customers: 20, Prefix: ns, LargeBuyers: -1})
	if err != nil {
		t.Fatal(err)
	}
	o := demoOptions{Prefix: ns, RealDir: sharedData, Portal: true, Log: slog.New(slog.DiscardHandler)}
	var first strings.Builder
	if err := demoLoad(ctx, store, d, o, &first); err != nil {
		t.Fatalf("%v\n%s", err, first.String())
	}
	t.Logf("first load:\n%s", first.String())
	firstReal := realLines(t, first.String())
	for kind, n := range firstReal {
		if n[1] == 0 || n[2]+n[3] == 0 {
			t.Errorf("real %s: read %d, created %d, merged %d: the first load wrote nothing", kind, n[1], n[2], n[3])
		}
	}

	// A buyer of a real notice (jlxxlj_ccgp_t20161130_7658293.json) is a
	// customer, with the award signal the notice is.
	buyer := customerNamed(t, ctx, store, ns, "巴林左旗农牧业局")
	const realURL = "http://www.ccgp.gov.cn/cggg/dfgg/cjgg/201611/t20161130_7658293.htm"
	if sig := signalAt(t, ctx, store, buyer, realURL); sig == nil {
		t.Errorf("customer %s (巴林左旗农牧业局) has no award signal from %s", buyer, realURL)
	} else if sig.Trust != valuegraph.TrustL2 || sig.Amount != 99550 {
		t.Errorf("its award: trust %v, amount %v; want L2, 99550", sig.Trust, sig.Amount)
	}

	// The samples are filed under their publishers, not under demo.json's
	// invented demo-customs and demo-forum.
	for _, src := range []string{"ocds", "aaziko", "v2ex"} {
		if h := sourceHealth(t, ctx, store, ns+src); h.Crawled {
			t.Errorf("source %s: crawled, want an ingested one", h.ID)
		}
	}

	// The portal's crawl: its source's health, and an award it found on a
	// generated customer.
	health := sourceHealth(t, ctx, store, ns+portalSource)
	notices := newPortalNotices(d)
	lists := (len(notices) + portalListSize - 1) / portalListSize
	if !health.Crawled || health.Pages != lists+len(notices) || health.Records != len(notices) || health.Errors != 0 || health.Flagged != "" {
		t.Errorf("source %s after the first crawl: %+v; want crawled, %d pages, %d records, no errors", ns+portalSource, health, lists+len(notices), len(notices))
	}
	var named *portalNotice
	for i, n := range notices {
		if n.Winner != "" && strings.HasPrefix(customerByName(d, n.Buyer), ns) {
			named = &notices[i]
			break
		}
	}
	if named == nil {
		t.Fatal("no portal award names a generated customer")
	}
	id := customerByName(d, named.Buyer)
	if sig := signalAt(t, ctx, store, id, "http://"+portalHost+named.Path); sig == nil || sig.Source != ns+portalSource {
		t.Errorf("generated customer %s (%s): the portal's award at %s is not among its signals (%+v)", id, named.Buyer, named.Path, sig)
	}

	before, err := store.Footprint(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	var second strings.Builder
	if err := demoLoad(ctx, store, d, o, &second); err != nil {
		t.Fatalf("%v\n%s", err, second.String())
	}
	t.Logf("second load:\n%s", second.String())
	for kind, n := range realLines(t, second.String()) {
		if n[2] != 0 || n[3] != 0 || n[1] != firstReal[kind][1] || n[4]+n[5]+n[6] != n[1] {
			t.Errorf("real %s, second load: read %d, created %d, merged %d; want the %d of the first, none created or merged", kind, n[1], n[2], n[3], firstReal[kind][1])
		}
	}
	for _, line := range strings.Split(second.String(), "\n") {
		if m := regexp.MustCompile(`^\w+ +created (\d+), updated (\d+)`).FindStringSubmatch(line); m != nil && (m[1] != "0" || m[2] != "0") {
			t.Errorf("second load: %s", line)
		}
	}
	wantCrawl := fmt.Sprintf("%d pages fetched, %d not modified, 0 unchanged, 0 records read", lists, len(notices))
	if !strings.Contains(second.String(), wantCrawl) {
		t.Errorf("the second crawl did not find every notice as it was (want %q)", wantCrawl)
	}
	after, err := store.Footprint(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	if before.Nodes != after.Nodes || before.Relationships != after.Relationships {
		t.Errorf("the second load changed the graph: %d nodes, %d relationships before; %d, %d after", before.Nodes, before.Relationships, after.Nodes, after.Relationships)
	}
	for _, line := range before.Diff(after) {
		// What a crawl keeps about itself: when each list page was fetched,
		// the source's last run.
		if strings.HasPrefix(line, "CrawlPage "+ns+portalSource+"|") || strings.HasPrefix(line, "Source "+ns+portalSource+":") {
			continue
		}
		t.Errorf("the second load changed %s", line)
	}
	if h := sourceHealth(t, ctx, store, ns+portalSource); h.Pages != lists || h.Records != 0 || h.Errors != 0 || h.Flagged != "" {
		t.Errorf("source %s after the second crawl: %+v; want %d pages (the lists), no records, not flagged", ns+portalSource, h, lists)
	}
}

var realLineRe = regexp.MustCompile(`(?m)^real (\w+) +\d+ files of .*: read (\d+): created (\d+), merged (\d+), unchanged (\d+), incomplete (\d+), rejected (\d+)`)

// realLines reads demoLoad's line per kind of real sample: read, created,
// merged, unchanged, incomplete, rejected (at 1 to 6), each adding up.
func realLines(t *testing.T, out string) map[string][]int {
	t.Helper()
	got := map[string][]int{}
	for _, m := range realLineRe.FindAllStringSubmatch(out, -1) {
		n := atois(m[1:])
		if n[1] != n[2]+n[3]+n[4]+n[5]+n[6] {
			t.Errorf("real %s: %q does not add up", m[1], m[0])
		}
		got[m[1]] = n
	}
	for _, kind := range []string{"notices", "ocds", "customs", "forum"} {
		if _, ok := got[kind]; !ok {
			t.Errorf("no line for the real %s in:\n%s", kind, out)
		}
	}
	return got
}

func customerNamed(t *testing.T, ctx context.Context, store *graph.Store, ns, name string) string {
	t.Helper()
	hits, err := store.SearchNames(ctx, name, []string{"Customer"}, 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if strings.HasPrefix(h.ID, ns) && h.Name == name {
			return h.ID
		}
	}
	t.Fatalf("no customer named %s under %s", name, ns)
	return ""
}

func customerByName(d demo.Dataset, name string) string {
	for _, c := range d.Customers {
		if c.Name == name {
			return c.ID
		}
	}
	return ""
}

// signalAt returns the customer's award signal from url, or nil.
func signalAt(t *testing.T, ctx context.Context, store *graph.Store, customer, url string) *valuegraph.Signal {
	t.Helper()
	sigs, err := store.CustomerSignals(ctx, customer, []valuegraph.SignalKind{valuegraph.SignalAward}, time.Time{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sigs {
		if sigs[i].URL == url {
			return &sigs[i]
		}
	}
	return nil
}

func sourceHealth(t *testing.T, ctx context.Context, store *graph.Store, id string) valuegraph.SourceHealth {
	t.Helper()
	all, err := store.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no source %s", id)
	return valuegraph.SourceHealth{}
}

// TestDemoHistory scores a small demo as it stood 60 and 30 days before the
// dataset's day, as `valuegraph demo` does for score history and drift:
// each customer gets one snapshot per day, resting only on signals that had
// happened by then; the customer carries the newest; scored now, then the
// history scored again, nothing changes (the same snapshots, and the
// current scores are not pushed back by older ones).
func TestDemoHistory(t *testing.T) {
	store := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, store)
	ctx := context.Background()
	d, err := demo.Generate(demo.Options{Customers: 30, Prefix: ns, LargeBuyers: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadDemo(ctx, store, d); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(d.Customers))
	for i, c := range d.Customers {
		ids[i] = c.ID
	}
	occurred := map[string]time.Time{}
	for _, s := range d.Signals {
		occurred[s.ID] = s.OccurredAt
	}
	if err := scoreDemoHistory(ctx, store, ids, []int{60, 30}); err != nil {
		t.Fatal(err)
	}
	days := []time.Time{demo.DefaultNow.AddDate(0, 0, -60), demo.DefaultNow.AddDate(0, 0, -30)}
	hist, err := store.ScoreHistory(ctx, ids, time.Time{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	later := 0 // signals the dataset holds after the first day, left out of its scores
	for _, s := range d.Signals {
		if s.OccurredAt.After(days[0]) {
			later++
		}
	}
	if later == 0 {
		t.Fatal("the generated signals all happened before the first history day: the test says nothing")
	}
	for _, id := range ids {
		snaps := hist[id]
		if len(snaps) != 2 {
			t.Fatalf("%s: %d snapshots, want one per history day: %+v", id, len(snaps), snaps)
		}
		for _, snap := range snaps {
			if !snap.At.Equal(days[0]) && !snap.At.Equal(days[1]) {
				t.Errorf("%s: a snapshot at %s, want %s or %s", id, snap.At, days[0], days[1])
			}
		}
	}
	// No reason of a past day rests on a signal after it.
	as, err := store.LatestAssessments(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for id, a := range as {
		if !a.At.Equal(days[1]) {
			t.Errorf("%s carries the assessment of %s, want the newest history day %s", id, a.At, days[1])
		}
		whys := []valuegraph.Explained{a.StageWhy, a.TierWhy}
		for _, w := range a.RiskWhy {
			whys = append(whys, w)
		}
		for _, w := range whys {
			for _, r := range w.Reasons {
				for _, sid := range r.SignalIDs {
					if occurred[sid].After(a.At) {
						t.Errorf("%s as of %s: %s rests on %s, which happened %s", id, a.At.Format(time.DateOnly), r.Factor, sid, occurred[sid])
					}
				}
			}
		}
	}

	// The admin's subscription, made once, finds the demo's tenders and awards.
	admin := ns + "admin"
	for range 2 {
		if err := seedDemoSubscription(ctx, store, admin); err != nil {
			t.Fatal(err)
		}
	}
	kind, owner := valuegraph.SubscriptionOwner(&valuegraph.Caller{Role: valuegraph.AccessAdmin, Name: admin})
	if subs, err := store.Subscriptions(ctx, kind, owner); err != nil || len(subs) != 1 {
		t.Fatalf("%d subscriptions after seeding twice (%v), want 1", len(subs), err)
	}
	feed, err := store.Feed(ctx, valuegraph.FeedQuery{OwnerKind: kind, Owner: owner, First: 5})
	if err != nil || feed.Matches == 0 {
		t.Fatalf("the seeded subscription's feed: %+v, %v; want the demo's tenders and awards", feed, err)
	}
	for _, e := range feed.Entries {
		if k := e.Signal.Kind; k != valuegraph.SignalTender && k != valuegraph.SignalAward {
			t.Errorf("the feed holds a %s signal (%s)", k, e.Signal.ID)
		}
	}

	// Scored now, then the history again: the same graph.
	scorer, err := newDemoScorer(store)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scorer.ScoreBatch(ctx, ids); err != nil {
		t.Fatal(err)
	}
	before, err := store.Footprint(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	if err := scoreDemoHistory(ctx, store, ids, []int{60, 30}); err != nil {
		t.Fatal(err)
	}
	after, err := store.Footprint(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	if diff := before.Diff(after); len(diff) > 0 || before.Nodes != after.Nodes || before.Relationships != after.Relationships {
		t.Errorf("scoring the history again changed the graph (%d nodes, %d relationships before; %d, %d after): %v",
			before.Nodes, before.Relationships, after.Nodes, after.Relationships, diff[:min(len(diff), 10)])
	}
}
