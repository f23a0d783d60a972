package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/scoring"
)

// In a real browser: a manager opens drift for the last 30 days and sees a
// customer whose tier rose (scored 40 days ago, a dozen orders since),
// with the levels and the factor that moved it in the API's own sentence,
// and follows it to the brief; a rep opening /drift is told it is not
// theirs, and has no link to it.
func TestBrowserDrift(t *testing.T) {
	path := chromium(t)
	app := newAppFixture(t)
	store, ns, ts, ctx := app.store, app.ns, app.ts, context.Background()

	id := ns + "dr-c"
	if _, err := store.UpsertCustomers(ctx, []valuegraph.Customer{{ID: id, Name: "漂移测试冷链物流有限公司", Region: "重庆", OwnerID: ns + "rep"}}); err != nil {
		t.Fatal(err)
	}
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	score := func(at time.Time) valuegraph.Assessment {
		t.Helper()
		sigs, err := store.ScoringSignals(ctx, id, at.AddDate(-2, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		a := m.Assess(id, m.Compute(sigs, at), at)
		if err := store.WriteAssessment(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	before := score(time.Now().AddDate(0, 0, -40))
	var orders []valuegraph.Signal
	for i := range 12 {
		orders = append(orders, valuegraph.Signal{ID: fmt.Sprintf("%sdr-o%d", ns, i), Kind: valuegraph.SignalERPOrder, Title: fmt.Sprintf("订单 %d", i),
			Source: ns + "erp", Trust: valuegraph.TrustL1, OccurredAt: time.Now().AddDate(0, 0, -(i*2 + 1)), CustomerIDs: []string{id}})
	}
	if _, err := store.UpsertSignals(ctx, orders); err != nil {
		t.Fatal(err)
	}
	after := score(time.Now())
	levels := valuegraph.TierRank(after.Tier) - valuegraph.TierRank(before.Tier)
	if levels < 1 {
		t.Fatalf("the fixture should raise the tier: %s → %s", before.Tier, after.Tier)
	}
	// The sentences the API gives the tier's parts now: the page shows one.
	sentences := map[string]string{}
	for _, r := range after.TierWhy.Reasons {
		sentences[r.Factor] = r.SentenceEN
	}

	manager := app.tokenFor(t, valuegraph.AccessManager, "")
	rep := app.tokenFor(t, valuegraph.AccessRep, ns+"rep")
	bctx, step := browse(t, path)
	signIn(step, ts.URL, manager)
	row := fmt.Sprintf(`tr.drift-row[data-id=%q]`, id)
	step("open drift from the bar", chromedp.Click(chromedp.CSS(`.bar nav a[href="/drift"]`)))
	step("choose 30 days", chromedp.Click(chromedp.CSS(`.drift-picker a[data-days="30"]`)))
	step("the moved customer", chromedp.WaitVisible(chromedp.CSS(row)))
	screenshot(t, bctx, "drift")
	got, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]string](fmt.Sprintf(`(() => {
	  const r = document.querySelector(%q);
	  const c = r.querySelector("li.cause");
	  return { levels: r.querySelector("td:nth-child(2) .move").dataset.levels || "", tier: r.querySelector("td:nth-child(2) .move").textContent,
	    factor: c ? c.dataset.factor : "", cause: c ? c.textContent : "" };
	})()`, row)))
	if err != nil {
		t.Fatal(err)
	}
	if got["levels"] != fmt.Sprint(levels) || !strings.Contains(got["tier"], "▲") {
		t.Errorf("the tier moves %q (levels %q), want ▲ and %d levels", got["tier"], got["levels"], levels)
	}
	if want, ok := sentences[got["factor"]]; !ok || want == "" || !strings.Contains(got["cause"], want) {
		t.Errorf("the first cause reads %q (factor %q), want the API's sentence for it (%v)", got["cause"], got["factor"], sentences)
	}
	step("open its brief", chromedp.Click(chromedp.CSS(row+` a`)))
	step("the brief", chromedp.WaitVisible(chromedp.CSS(`article.brief h1`)))
	if h1, _ := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`article.brief h1`))); !strings.Contains(h1, "漂移测试冷链物流有限公司") {
		t.Errorf("the drift row's link opens %q", h1)
	}

	signIn(step, ts.URL, rep)
	if n, _ := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll('.bar nav a[href="/drift"], .bar nav a[href="/sources"]').length`)); n != 0 {
		t.Errorf("a rep's bar links to drift or sources (%d links)", n)
	}
	step("a rep opens drift", chromedp.Navigate(ts.URL+"/drift"))
	step("the refusal", chromedp.WaitVisible(chromedp.CSS(`.drift p.error[role="alert"]`)))
	msg, _ := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`.drift p.error`)))
	if !strings.HasPrefix(msg, "Not allowed: ") {
		t.Errorf("a rep on /drift reads %q, want the forbidden message", msg)
	}
	if n, _ := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("tr.drift-row").length`)); n != 0 {
		t.Errorf("a rep sees %d drift rows", n)
	}
}

// In a real browser: an admin sees a crawled source with its last run and
// the reason it is flagged, highlighted, and asks for a crawl now, with the
// API's answer shown; an analyst sees the same list without the button.
func TestBrowserSources(t *testing.T) {
	path := chromium(t)
	app := newAppFixture(t)
	store, ns, ts, ctx := app.store, app.ns, app.ts, context.Background()

	src := ns + "portal"
	flag := "list selector matched nothing on 3 pages"
	if err := store.RecordCrawlRun(ctx, valuegraph.CrawlRun{Source: src, Trust: valuegraph.TrustL2, FinishedAt: time.Now().Add(-time.Hour),
		Pages: 7, Records: 0, Errors: 2, Flagged: flag}); err != nil {
		t.Fatal(err)
	}
	admin := app.tokenFor(t, valuegraph.AccessAdmin, "")
	analyst := app.tokenFor(t, valuegraph.AccessAnalyst, "")
	bctx, step := browse(t, path)
	row := fmt.Sprintf(`tr.source-row[data-id=%q]`, src)

	signIn(step, ts.URL, admin)
	step("open sources from the bar", chromedp.Click(chromedp.CSS(`.bar nav a[href="/sources"]`)))
	step("the source", chromedp.WaitVisible(chromedp.CSS(row+`.flagged`)))
	text, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(row)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{src, "L2", "yes", "7", "2", flag} {
		if !strings.Contains(text, want) {
			t.Errorf("the source's row reads %q, want %q in it", text, want)
		}
	}
	screenshot(t, bctx, "sources")
	step("crawl now", chromedp.Click(chromedp.CSS(row+` button.crawl`)))
	step("the answer", chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).textContent.includes("Asked the worker to crawl")`, row+` .crawl-answer`)))

	signIn(step, ts.URL, analyst)
	step("an analyst opens sources", chromedp.Navigate(ts.URL+"/sources"))
	step("the source for the analyst", chromedp.WaitVisible(chromedp.CSS(row)))
	if n, _ := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("button.crawl").length`)); n != 0 {
		t.Errorf("an analyst sees %d crawl buttons", n)
	}
}
