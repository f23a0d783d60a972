package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
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
	sentences, zh := map[string]string{}, map[string]string{}
	for _, r := range after.TierWhy.Reasons {
		sentences[r.Factor], zh[r.Factor] = r.SentenceEN, r.SentenceZH
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
	// In Chinese, and at a phone's width without spilling sideways.
	step("switch to Chinese", chromedp.Click(chromedp.CSS(`.lang button[lang="zh-CN"]`)))
	step("the cause in Chinese", chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector(%q) && document.querySelector(%q).textContent.includes(%q)`,
		row+` li.cause`, row+` li.cause`, zh[got["factor"]])))
	step("a phone's width", chromedp.EmulateViewport(390, 844))
	step("the row on the phone", chromedp.WaitVisible(chromedp.CSS(row)))
	if w, _ := chromedp.Run(bctx, chromedp.Evaluate[[]float64](`[document.documentElement.scrollWidth, window.innerWidth]`)); len(w) != 2 || w[0] > w[1] {
		t.Errorf("at 390 px the drift page is %v px wide", w)
	}
	step("back to a desktop's width", chromedp.EmulateViewport(1280, 900))
	step("back to English", chromedp.Click(chromedp.CSS(`.lang button[lang="en"]`)))
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

// In a real browser: a rep opens their customer's brief and sees the tier
// as a radar beside its history, each spoke's value the one the API gives
// (tierWhy's parts and their features), the same numbers in its label and
// table; in Chinese; and at a phone's width without spilling sideways.
func TestBrowserTierRadar(t *testing.T) {
	path := chromium(t)
	app := newAppFixture(t)
	store, ns, ts, ctx := app.store, app.ns, app.ts, context.Background()

	id := ns + "radar-c"
	if _, err := store.UpsertCustomers(ctx, []valuegraph.Customer{{ID: id, Name: "雷达测试医药有限公司", Region: "四川", OwnerID: ns + "rep"}}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var sigs []valuegraph.Signal
	for i := range 5 {
		sigs = append(sigs, valuegraph.Signal{ID: fmt.Sprintf("%sradar-o%d", ns, i), Kind: valuegraph.SignalERPOrder, Title: fmt.Sprintf("订单 %d", i),
			Source: ns + "erp", Trust: valuegraph.TrustL1, OccurredAt: now.AddDate(0, 0, -(i*9 + 2)), CustomerIDs: []string{id}})
	}
	sigs = append(sigs,
		valuegraph.Signal{ID: ns + "radar-t", Kind: valuegraph.SignalTender, Title: "冷库扩建招标", Source: ns + "ccgp", Trust: valuegraph.TrustL2,
			OccurredAt: now.AddDate(0, 0, -6), CustomerIDs: []string{id}},
		valuegraph.Signal{ID: ns + "radar-k", Kind: valuegraph.SignalServiceTicket, Title: "温控告警工单", Source: ns + "tickets", Trust: valuegraph.TrustL1,
			OccurredAt: now.AddDate(0, 0, -4), CustomerIDs: []string{id}})
	if _, err := store.UpsertSignals(ctx, sigs); err != nil {
		t.Fatal(err)
	}
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	scored, err := store.ScoringSignals(ctx, id, now.AddDate(-2, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	a := m.Assess(id, m.Compute(scored, now), now)
	if err := store.WriteAssessment(ctx, a); err != nil {
		t.Fatal(err)
	}

	rep := app.tokenFor(t, valuegraph.AccessRep, ns+"rep")
	bctx, step := browse(t, path)
	signIn(step, ts.URL, rep)
	step("open the brief", chromedp.Navigate(ts.URL+"/customers/"+id))
	step("the radar", chromedp.WaitVisible(chromedp.CSS(`svg.tier-radar .area`)))
	step("the history beside it", chromedp.WaitVisible(chromedp.CSS(`.tier-row svg.history-chart`)))
	// What the API says of the tier, asked as the page asks, against what
	// the radar drew.
	const compare = `(async () => {
	  const q = "query($id: ID!) { brief(customerId: $id) { assessment { tier tierScore tierWhy { reasons { factor value contribution parts { factor value contribution } } } } } }";
	  const res = await fetch("/graphql", { method: "POST", headers: { "Content-Type": "application/json", "X-Requested-With": "valuegraph-web" },
	    body: JSON.stringify({ query: q, variables: { id: %q } }) });
	  const a = (await res.json()).data.brief.assessment;
	  const want = [];
	  for (const r of a.tierWhy.reasons) {
	    want.push(r.factor + "=" + r.value.toFixed(4));
	    for (const p of r.parts) want.push(r.factor + "/" + p.factor + "=" + p.value.toFixed(4));
	  }
	  const got = [...document.querySelectorAll("svg.tier-radar g.axis-point")].map((g) =>
	    (g.classList.contains("main") ? "" : g.dataset.part + "/") + g.dataset.factor + "=" + Number(g.dataset.value).toFixed(4));
	  const rows = [...document.querySelectorAll("table.radar-table tbody tr")].map((r) =>
	    (r.classList.contains("part") ? "" : r.dataset.part + "/") + r.dataset.factor + "=" + Number(r.querySelector("td").textContent).toFixed(2));
	  return { want: want.sort().join(" "), got: got.sort().join(" "), rows: rows.sort().join(" "), label: document.querySelector("svg.tier-radar").getAttribute("aria-label"),
	    tier: a.tier, shown: document.querySelector("svg.tier-radar").dataset.tier, parts: a.tierWhy.reasons.map((r) => r.parts.length) };
	})()`
	got, err := chromedp.Run(bctx, chromedp.Evaluate[struct {
		Want, Got, Rows, Label, Tier, Shown string
		Parts                               []int
	}](fmt.Sprintf(compare, id), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if got.Want != got.Got || got.Tier != got.Shown || got.Tier != string(a.Tier) {
		t.Errorf("the radar draws %s (tier %s), the API says %s (tier %s; scored %s)", got.Got, got.Shown, got.Want, got.Tier, a.Tier)
	}
	if len(got.Parts) != 3 || slices.Contains(got.Parts, 0) {
		t.Errorf("the API gives the tier's parts with %v features each, want base, growth and health with theirs", got.Parts)
	}
	// The table has the same numbers, to two places.
	for _, pair := range strings.Fields(got.Want) {
		name, v, _ := strings.Cut(pair, "=")
		f, _ := strconv.ParseFloat(v, 64)
		if want := fmt.Sprintf("%s=%.2f", name, f); !strings.Contains(" "+got.Rows+" ", " "+want+" ") {
			t.Errorf("the radar's table lacks %s: %s", want, got.Rows)
		}
	}
	for _, want := range []string{"Tier", fmt.Sprintf("%.2f", a.TierScore), "Base", "Growth", "Health", "orders"} {
		if !strings.Contains(got.Label, want) {
			t.Errorf("the radar's label %q lacks %q", got.Label, want)
		}
	}
	screenshot(t, bctx, "radar", `.tier-row`)

	step("switch to Chinese", chromedp.Click(chromedp.CSS(`.lang button[lang="zh-CN"]`)))
	step("the radar in Chinese", chromedp.Poll[chromedp.Void](`document.querySelector("svg.tier-radar") && document.querySelector("svg.tier-radar").getAttribute("aria-label").includes("基础")`))

	step("a phone's width", chromedp.EmulateViewport(390, 844))
	step("the radar on the phone", chromedp.WaitVisible(chromedp.CSS(`svg.tier-radar`)))
	fit, err := chromedp.Run(bctx, chromedp.Evaluate[[]float64](`(() => {
	  const r = document.querySelector("svg.tier-radar").getBoundingClientRect();
	  const h = document.querySelector(".tier-row .history-section").getBoundingClientRect();
	  return [r.left, r.right, document.documentElement.scrollWidth, window.innerWidth, h.top, r.bottom];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if fit[0] < 0 || fit[1] > fit[3] || fit[2] > fit[3] {
		t.Errorf("at 390 px the radar spans %.0f–%.0f px and the page %.0f px wide, want within %.0f", fit[0], fit[1], fit[2], fit[3])
	}
	if fit[4] < fit[5] {
		t.Errorf("at 390 px the history (top %.0f) is not below the radar (bottom %.0f)", fit[4], fit[5])
	}
}
