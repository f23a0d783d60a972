package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/valuegraph/valuegraph"
)

// In a real browser: a rep opens the relationship explorer at their
// customer, sees its people and, through its signals, the competitor and
// the need; clicks the competitor, expands its signals and, through them,
// the other customer it is seen at; and sees contact data only of the
// people of their own customer.
func TestBrowserExplorer(t *testing.T) {
	path := chromium(t)
	app := newAppFixture(t)
	store, ns, ts, ctx := app.store, app.ns, app.ts, context.Background()

	mine, theirs := ns+"ex-mine", ns+"ex-theirs"
	if _, err := store.UpsertCustomers(ctx, []valuegraph.Customer{
		{ID: mine, Name: "探索测试冷链物流有限公司", Region: "重庆", OwnerID: ns + "rep"},
		{ID: theirs, Name: "别家医药集团有限公司", Region: "四川", OwnerID: ns + "other-rep"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.UpsertCompetitors(ctx, []valuegraph.Competitor{{ID: ns + "ex-k", Name: "竞对云"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.UpsertNeeds(ctx, []valuegraph.Need{{ID: ns + "ex-need", Name: "冷链时效"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.UpsertPeople(ctx, []valuegraph.Person{
		{ID: ns + "ex-li", Name: "李明", Title: "信息部经理", Role: valuegraph.RoleTechnicalLead, CustomerID: mine, Phone: "130-0000-1111"},
		{ID: ns + "ex-wu", Name: "吴芳", Title: "采购总监", Role: valuegraph.RoleProcurement, CustomerID: theirs, Phone: "130-0000-2222"},
	}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := store.UpsertSignals(ctx, []valuegraph.Signal{
		{ID: ns + "ex-s1", Kind: valuegraph.SignalForumPost, Title: "竞对云替代方案讨论", Source: ns + "forum", Trust: valuegraph.TrustL3,
			OccurredAt: now.AddDate(0, 0, -5), CustomerIDs: []string{mine}, CompetitorIDs: []string{ns + "ex-k"}},
		{ID: ns + "ex-s2", Kind: valuegraph.SignalCRMNote, Title: "拜访：关注冷链时效", Source: ns + "crm", Trust: valuegraph.TrustL1,
			OccurredAt: now.AddDate(0, 0, -3), CustomerIDs: []string{mine}, NeedIDs: []string{ns + "ex-need"}},
		{ID: ns + "ex-s3", Kind: valuegraph.SignalTender, Title: "云平台采购招标", Source: ns + "ccgp", Trust: valuegraph.TrustL2,
			OccurredAt: now.AddDate(0, 0, -20), CustomerIDs: []string{theirs}, CompetitorIDs: []string{ns + "ex-k"}},
	}); err != nil {
		t.Fatal(err)
	}
	secret := app.tokenFor(t, valuegraph.AccessRep, ns+"rep")

	bctx, step := browse(t, path)
	signIn(step, ts.URL, secret)
	nodes := func() int {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("cy").dataset.nodes || "0"`))
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(v)
		return n
	}
	shown := func(ids ...string) []string {
		t.Helper()
		js := fmt.Sprintf(`%q.split(",").filter((id) => valuegraphExplorer.cy.getElementById(id).empty())`, strings.Join(ids, ","))
		missing, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](js))
		if err != nil {
			t.Fatal(err)
		}
		return missing
	}

	step("open the explorer", chromedp.Navigate(ts.URL+"/explore?id="+url.QueryEscape(mine)))
	step("the graph is drawn", chromedp.WaitVisible(chromedp.CSS(`#cy[data-nodes]`)))
	if missing := shown(mine, ns+"ex-li", ns+"ex-k", ns+"ex-need"); len(missing) > 0 {
		t.Errorf("the first view lacks %v: the customer, its person, and through its signals its competitor and need", missing)
	}
	if missing := shown(ns + "ex-s1"); len(missing) == 0 {
		t.Error("the first view shows signals; they come only when expanded")
	}
	step("the root's details", chromedp.WaitVisible(chromedp.CSS(`.node-details button[data-kind="Signal"]`)))

	if os.Getenv("VALUEGRAPH_BENCH_EXPLORER") == "1" {
		benchExplorer(t, bctx, ts.URL+"/explore?id="+url.QueryEscape(mine), step)
		benchExplorer(t, bctx, ts.URL+"/explore?webgl=0&id="+url.QueryEscape(mine), step)
		step("open the explorer again", chromedp.Navigate(ts.URL+"/explore?id="+url.QueryEscape(mine)))
		step("the graph is drawn again", chromedp.WaitVisible(chromedp.CSS(`.node-details button[data-kind="Signal"]`)))
	}

	// Click the competitor where it is drawn.
	xy, err := chromedp.Run(bctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => {
	  const p = valuegraphExplorer.cy.getElementById(%q).renderedPosition();
	  const r = document.getElementById("cy").getBoundingClientRect();
	  return [r.left + p.x, r.top + p.y];
	})()`, ns+"ex-k")))
	if err != nil {
		t.Fatal(err)
	}
	step("click the competitor", chromedp.MouseClickXY(xy[0], xy[1]))
	step("its details", chromedp.WaitVisible(chromedp.CSS(`.node-details button[data-kind="Signal"]`)))
	step("its footprint", chromedp.WaitVisible(chromedp.CSS(`.node-details .info li`)))
	if h2, _ := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`.node-details h2`))); h2 != "竞对云" {
		t.Fatalf("clicked the competitor, the side shows %q", h2)
	}
	before := nodes()
	step("expand its signals", chromedp.Click(chromedp.CSS(`.node-details button[data-kind="Signal"]`)))
	step("new nodes drawn", chromedp.Poll[chromedp.Void](fmt.Sprintf(`Number(document.getElementById("cy").dataset.nodes) >= %d`, before+2)))
	if missing := shown(ns+"ex-s1", ns+"ex-s3"); len(missing) > 0 {
		t.Errorf("expanding the competitor's signals did not draw %v", missing)
	}
	step("expand through its signals", chromedp.Click(chromedp.CSS(`.node-details button[data-kind="through"]`)))
	step("the other customer drawn", chromedp.Poll[chromedp.Void](fmt.Sprintf(`!valuegraphExplorer.cy.getElementById(%q).empty()`, theirs)))
	step("let the view settle", chromedp.Sleep(400*time.Millisecond)) // the 200 ms fit animation
	screenshot(t, bctx, "explorer")

	// Contact data as the API gives it: the rep's own customer's person
	// with a phone, the other rep's customer's without.
	for _, tc := range []struct {
		person, phone string
		visible       bool
	}{{ns + "ex-li", "130-0000-1111", true}, {ns + "ex-wu", "130-0000-2222", false}} {
		step("explore from "+tc.person, chromedp.Navigate(ts.URL+"/explore?id="+url.QueryEscape(tc.person)))
		step("the person's details", chromedp.WaitVisible(chromedp.CSS(`.node-details .info p`)))
		text, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`main`)))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, tc.phone) != tc.visible {
			t.Errorf("explorer at %s shows the phone: %v, want %v\n%s", tc.person, !tc.visible, tc.visible, text)
		}
	}

	// GraphiQL, signed in by the session cookie: the default query runs.
	step("open GraphiQL", chromedp.Navigate(ts.URL+"/graphql"))
	step("the editor", chromedp.WaitVisible(chromedp.CSS(`.graphiql-execute-button`)))
	step("run the query", chromedp.Click(chromedp.CSS(`.graphiql-execute-button`)))
	step("the answer", chromedp.Poll[chromedp.Void](`document.querySelector(".result-window") && document.querySelector(".result-window").innerText.includes(`+"`"+`"role": "REP"`+"`"+`)`))
	screenshot(t, bctx, "graphiql")
}

// In a real browser: an admin merges an ambiguous mention from the review
// queue, and sees the model versions with what each was judged on, the
// built-in priors among them, each but the active one with Activate.
func TestBrowserReviewsAndModels(t *testing.T) {
	path := chromium(t)
	app := newAppFixture(t)
	store, ns, ts, ctx := app.store, app.ns, app.ts, context.Background()

	if _, err := store.UpsertCustomers(ctx, []valuegraph.Customer{
		{ID: ns + "rv-known", Name: "重庆华信冷链物流有限公司"},
		{ID: ns + "rv-prov", Name: "重庆华信冷链科技物流有限公司"},
	}); err != nil {
		t.Fatal(err)
	}
	if err := store.AddReviews(ctx, []valuegraph.Review{{ID: ns + "rv-1", Name: "重庆华信冷链科技物流有限公司", Key: ns + "rv", Source: ns + "ccgp",
		Reason: "two candidates too close to call", ProvisionalID: ns + "rv-prov",
		Candidates: []valuegraph.ReviewCandidate{{OrgRef: valuegraph.OrgRef{Kind: "Customer", ID: ns + "rv-known"}, Score: 0.86}}}}); err != nil {
		t.Fatal(err)
	}
	secret := app.tokenFor(t, valuegraph.AccessAdmin, "")

	bctx, step := browse(t, path)
	signIn(step, ts.URL, secret)
	review := fmt.Sprintf(`li.review[data-id=%q]`, ns+"rv-1")
	step("open the review queue", chromedp.Click(chromedp.CSS(`.bar nav a[href="/reviews"]`)))
	step("the review", chromedp.WaitVisible(chromedp.CSS(review+` button.merge`)))
	screenshot(t, bctx, "reviews")
	step("merge", chromedp.Click(chromedp.CSS(review+` button.merge`)))
	step("merged", chromedp.WaitVisible(chromedp.CSS(review+`.done`)))
	r, err := store.Review(ctx, ns+"rv-1")
	if err != nil || !strings.EqualFold(r.Status, "accepted") {
		t.Errorf("the review after merging in the browser: %+v %v", r, err)
	}
	if _, err := store.Customer(ctx, ns+"rv-prov"); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
		t.Errorf("the provisional customer is still there after the merge: %v", err)
	}

	step("open the models", chromedp.Click(chromedp.CSS(`.bar nav a[href="/models"]`)))
	step("the versions", chromedp.WaitVisible(chromedp.CSS(`table.models tbody tr`)))
	rows, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("table.models tbody tr")].map((r) => r.dataset.version + ":" + r.className + ":" + !!r.querySelector("button.activate"))`))
	if err != nil {
		t.Fatal(err)
	}
	priors := false
	for _, row := range rows {
		parts := strings.Split(row, ":")
		if active := parts[1] == "status-active"; active == (parts[2] == "true") {
			t.Errorf("model row %s: the active version has no Activate button, every other one has", row)
		}
		priors = priors || strings.HasPrefix(parts[0], "prior")
	}
	if !priors {
		t.Errorf("the models page lists %v, want the built-in priors among them", rows)
	}
	if n, _ := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("button.rollback").length`)); n != 1 {
		t.Errorf("an admin sees %d rollback buttons, want 1", n)
	}
	screenshot(t, bctx, "models")
}

// benchExplorer measures, in this chromium, how long the explorer takes to
// draw 500 and 5,000 nodes (a star around one node, as one expansion adds
// them, through the page's own draw): from adding them to the second
// animation frame after, the view fitted to them. Three runs each, on a
// freshly opened page; logged, for docs/BENCHMARKS.md.
func benchExplorer(t *testing.T, bctx context.Context, page string, step func(string, chromedp.Action[chromedp.Void])) {
	t.Helper()
	const js = `(async (n) => {
	  const ex = valuegraphExplorer, cy = ex.cy;
	  cy.elements().remove();
	  const nodes = [{ kind: "Customer", id: "bench-root", name: "root" }], edges = [];
	  for (let i = 0; i < n; i++) {
	    nodes.push({ kind: i %% 5 ? "Signal" : "Person", id: "bench-" + i, name: "节点 " + i });
	    edges.push({ from: "bench-" + i, to: "bench-root", type: "ABOUT", count: 1 });
	  }
	  const t0 = performance.now();
	  ex.draw({ nodes, edges }, null);
	  const t1 = performance.now();
	  cy.fit();
	  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
	  const drawn = performance.now() - t0;
	  // Then panned for 40 frames: the intervals between frames while the
	  // view moves (16.7 ms is 60 frames a second).
	  const gaps = [];
	  await new Promise((resolve) => {
	    let i = 0, last = 0;
	    const tick = (now) => {
	      if (i > 0) gaps.push(now - last);
	      last = now;
	      if (++i > 40) return resolve();
	      cy.panBy({ x: 6, y: 3 });
	      requestAnimationFrame(tick);
	    };
	    requestAnimationFrame(tick);
	  });
	  gaps.sort((a, b) => a - b);
	  return [drawn, cy.nodes().length, cy.renderer().webgl ? 1 : 0, t1 - t0, gaps[Math.floor(gaps.length / 2)], gaps[Math.floor(gaps.length * 0.95)]];
	})(%d)`
	for _, n := range []int{500, 5000} {
		if n > 500 && os.Getenv("VALUEGRAPH_BENCH_EXPLORER_5000") != "1" {
			continue
		}
		var runs, adds, frames, frames95 []float64
		webgl := 0.0
		for range 3 {
			step("open the explorer to measure", chromedp.Navigate(page))
			step("the graph drawn", chromedp.WaitVisible(chromedp.CSS(`#cy[data-nodes]`)))
			got, err := chromedp.Run(bctx, chromedp.Evaluate[[]float64](fmt.Sprintf(js, n), chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if int(got[1]) != n+1 {
				t.Fatalf("drew %v nodes, want %d", got[1], n+1)
			}
			runs = append(runs, got[0])
			adds = append(adds, got[3])
			frames, frames95 = append(frames, got[4]), append(frames95, got[5])
			webgl = got[2]
		}
		slices.Sort(runs)
		slices.Sort(adds)
		slices.Sort(frames)
		slices.Sort(frames95)
		t.Logf("explorer draws %d nodes in %.0f ms (median of %.0f ms; adding them %.0f ms of it; WebGL %v); panning it, a frame every %.1f ms (p95 %.1f ms; medians of 3 runs)",
			n, runs[1], runs, adds[1], webgl == 1, frames[1], frames95[1])
	}
}

// In a real browser: a rep subscribes to awards in a region from the
// subscriptions page (and to a buyer found by its name), and the start
// page's feed shows the award about
// their own customer there, marked as theirs and counted unread, with the
// alert; not the award in another region nor the CRM's note. Marking the
// feed read clears the count.
func TestBrowserSubscriptionFeed(t *testing.T) {
	path := chromium(t)
	app := newAppFixture(t)
	store, ns, ts, ctx := app.store, app.ns, app.ts, context.Background()

	region := ns + "广东"
	if _, err := store.UpsertCustomers(ctx, []valuegraph.Customer{
		{ID: ns + "sub-mine", Name: "广东订阅测试建工集团", Region: region, Industry: "construction", OwnerID: ns + "rep"},
		{ID: ns + "sub-away", Name: "四川订阅测试路桥公司", Region: ns + "四川", Industry: "construction", OwnerID: ns + "other-rep"},
	}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := store.UpsertSignals(ctx, []valuegraph.Signal{
		{ID: ns + "sub-award", Kind: valuegraph.SignalAward, Title: "订阅测试：广州地铁土建工程中标公告", Source: ns + "ccgp", Trust: valuegraph.TrustL2,
			OccurredAt: now.AddDate(0, 0, -2), CustomerIDs: []string{ns + "sub-mine"}},
		{ID: ns + "sub-away-award", Kind: valuegraph.SignalAward, Title: "订阅测试：成都高速中标公告", Source: ns + "ccgp", Trust: valuegraph.TrustL2,
			OccurredAt: now.AddDate(0, 0, -1), CustomerIDs: []string{ns + "sub-away"}},
		{ID: ns + "sub-crm", Kind: valuegraph.SignalCRMNote, Title: "订阅测试：拜访记录", Source: ns + "crm", Trust: valuegraph.TrustL1,
			OccurredAt: now.AddDate(0, 0, -1), CustomerIDs: []string{ns + "sub-mine"}},
	}); err != nil {
		t.Fatal(err)
	}
	secret := app.tokenFor(t, valuegraph.AccessRep, ns+"rep")

	bctx, step := browse(t, path)
	signIn(step, ts.URL, secret)
	step("the start page invites to subscribe", chromedp.WaitVisible(chromedp.CSS(`.feed-panel a[href="/subscriptions"]`)))
	step("open the subscriptions", chromedp.Click(chromedp.CSS(`.bar nav a[href="/subscriptions"]`)))
	step("the form", chromedp.WaitVisible(chromedp.CSS(`#sub-name`)))
	step("name it", chromedp.SendKeys(chromedp.CSS(`#sub-name`), "广东工程中标"))
	step("awards", chromedp.Click(chromedp.CSS(`input[name="kinds"][value="AWARD"]`)))
	step("the region", chromedp.SendKeys(chromedp.CSS(`#sub-regions`), region))
	step("find the buyer by name", chromedp.SendKeys(chromedp.CSS(`#sub-find`), "广东订阅测试建工"))
	step("add it", chromedp.Click(chromedp.CSS(fmt.Sprintf(`button.add-customer[data-id=%q]`, ns+"sub-mine"))))
	step("save", chromedp.Click(chromedp.CSS(`form.subscription-edit button[type="submit"]`)))
	step("saved", chromedp.WaitVisible(chromedp.CSS(`li.subscription[data-id]`)))
	subs, err := store.Subscriptions(ctx, valuegraph.OwnerRep, ns+"rep")
	if err != nil || len(subs) != 1 || subs[0].Name != "广东工程中标" || !slices.Equal(subs[0].Regions, []string{region}) ||
		!slices.Equal(subs[0].Kinds, []valuegraph.SignalKind{valuegraph.SignalAward}) || !slices.Equal(subs[0].CustomerIDs, []string{ns + "sub-mine"}) {
		t.Fatalf("the subscription saved from the page: %+v, %v", subs, err)
	}
	screenshot(t, bctx, "subscriptions", "main")
	step("the subscriptions at a phone's width", chromedp.EmulateViewport(390, 844))
	if w, _ := chromedp.Run(bctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("at 390 px the subscriptions page is %d px wide", w)
	}
	step("back to a desk's width", chromedp.EmulateViewport(1280, 900))

	entry := fmt.Sprintf(`li.feed-entry[data-id=%q]`, ns+"sub-award")
	step("back to the start page", chromedp.Click(chromedp.CSS(`.bar a.brand`)))
	step("the matching award in the feed", chromedp.WaitVisible(chromedp.CSS(entry+`.unread.own`)))
	feed, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`.feed-panel`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"订阅测试：广州地铁土建工程中标公告", "广东订阅测试建工集团", "1 unread", "New matches naming a customer you own: 1"} {
		if !strings.Contains(feed, want) {
			t.Errorf("the feed lacks %q:\n%s", want, feed)
		}
	}
	for _, not := range []string{"成都高速", "拜访记录"} {
		if strings.Contains(feed, not) {
			t.Errorf("the feed shows %q, which the subscription does not match:\n%s", not, feed)
		}
	}
	screenshot(t, bctx, "feed", ".feed-panel")

	// At a phone's width the feed fits.
	step("a phone's width", chromedp.EmulateViewport(390, 844))
	if w, _ := chromedp.Run(bctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("at 390 px the start page is %d px wide", w)
	}
	step("a desk's width", chromedp.EmulateViewport(1280, 900))

	step("mark all read", chromedp.Click(chromedp.CSS(`.feed-panel button.mark-read`)))
	step("read", chromedp.WaitNotPresent(chromedp.CSS(`.feed-panel .unread-count`)))
	if f, err := store.Feed(ctx, valuegraph.FeedQuery{OwnerKind: valuegraph.OwnerRep, Owner: ns + "rep", RepID: ns + "rep", First: 10}); err != nil || f.Unread != 0 {
		t.Errorf("after marking read in the browser: %+v, %v", f, err)
	}
}
