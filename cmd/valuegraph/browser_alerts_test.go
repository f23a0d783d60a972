package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/scoring"
)

// In a real browser: a rep opens the alerts, sees their customer's stage
// alert not followed up, opens the brief from it, comes back and sees it
// followed (the brief opened); at a phone's width the page fits. A
// manager sees the count per owner above the list.
func TestBrowserAlerts(t *testing.T) {
	path := chromium(t)
	app := newAppFixture(t)
	store, ns, ts, ctx := app.store, app.ns, app.ts, context.Background()

	id := ns + "alert-c"
	if _, err := store.UpsertCustomers(ctx, []valuegraph.Customer{{ID: id, Name: "预警测试冷链物流有限公司", Region: "重庆", OwnerID: ns + "rep"}}); err != nil {
		t.Fatal(err)
	}
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	sc := &jobs.Scorer{Graph: store, Models: jobs.StaticModel{Model: m}}
	if _, err := sc.Score(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := store.UpsertSignals(ctx, []valuegraph.Signal{{ID: ns + "alert-s1", Kind: valuegraph.SignalTender, Title: "冷库温控系统招标公告",
		Source: ns + "ccgp", Trust: valuegraph.TrustL2, OccurredAt: time.Now().AddDate(0, 0, -3), CustomerIDs: []string{id}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Score(ctx, id); err != nil { // DORMANT to SELECTING: an alert
		t.Fatal(err)
	}
	rep := app.tokenFor(t, valuegraph.AccessRep, ns+"rep")
	manager := app.tokenFor(t, valuegraph.AccessManager, "")

	bctx, step := browse(t, path)
	signIn(step, ts.URL, rep)
	row := fmt.Sprintf(`li.alert[data-customer=%q]`, id)
	step("open the alerts", chromedp.Click(chromedp.CSS(`.bar nav a[href="/alerts"]`)))
	step("the customer's alert, not followed up", chromedp.WaitVisible(chromedp.CSS(row+`.unfollowed`)))
	text, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(row)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Dormant → Selecting") || !strings.Contains(text, "tender") || !strings.Contains(text, "Not followed up") {
		t.Errorf("the alert reads %q, want the stage move, its cause and no follow-up", text)
	}
	if n, _ := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(".alert-summary").length`)); n != 0 {
		t.Error("a rep sees the per-owner summary")
	}
	step("open the brief from the alert", chromedp.Click(chromedp.CSS(row+` a.brief-link`)))
	step("the brief", chromedp.WaitVisible(chromedp.CSS(`select[name="stage"]`)))
	// The read is recorded in the background: wait for it to land.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		page, err := store.ListAlerts(ctx, valuegraph.AlertFilter{Owner: ns + "rep"}, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Alerts) > 0 && page.Alerts[0].FollowUp.Followed() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5 s after the brief was drawn, its read is not recorded: %+v", page.Alerts)
		}
	}
	step("back to the alerts", chromedp.NavigateBack())
	step("the alert, followed up", chromedp.WaitVisible(chromedp.CSS(row+`.followed`)))
	text, err = chromedp.Run(bctx, chromedp.Text(chromedp.CSS(row+` .follow-up`)))
	if err != nil || !strings.Contains(text, "opened the brief") {
		t.Errorf("the follow-up reads %q (%v), want the brief opened", text, err)
	}

	// At a phone's width nothing runs off the side.
	step("a phone's width", chromedp.EmulateViewport(375, 800))
	step("reload", chromedp.Reload())
	step("the alert again", chromedp.WaitVisible(chromedp.CSS(row)))
	if wide, _ := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`)); wide {
		t.Error("the alerts page is wider than a phone")
	}
	step("back to a desk's width", chromedp.EmulateViewport(1280, 900))

	signIn(step, ts.URL, manager)
	step("the rep's unfollowed alerts, as a manager", chromedp.Navigate(ts.URL+"/alerts?owner="+url.QueryEscape(ns+"rep")))
	owner := fmt.Sprintf(`.alert-summary tr[data-owner=%q]`, ns+"rep")
	step("the count per owner", chromedp.WaitVisible(chromedp.CSS(owner)))
	step("the list", chromedp.WaitVisible(chromedp.CSS(row)))
	cells, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](fmt.Sprintf(`[...document.querySelectorAll(%q)].map((td) => td.textContent)`, owner+" td")))
	if err != nil || len(cells) < 4 || cells[1] != "1" || cells[2] != "1" || cells[3] != "0" {
		t.Errorf("the rep's row of the summary: %q (%v), want 1 raised, 1 followed, 0 not", cells, err)
	}
	if sel, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("owner").value`)); sel != ns+"rep" {
		t.Errorf("the owner filter shows %q, want %s", sel, ns+"rep")
	}
	screenshot(t, bctx, "alerts")
}
