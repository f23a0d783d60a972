package main

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/valuegraph/valuegraph"
)

// chromium finds the browser the web app's tests run in (Debian's
// chromium, which .ci/run installs): under CI its absence fails the test,
// elsewhere it skips it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("VALUEGRAPH_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is required under CI (apt-get install chromium; .ci/run installs it)")
	}
	t.Skip("no chromium: the web app's browser test is skipped (apt-get install chromium to run it)")
	return ""
}

// browse starts chromium for a test and returns its context and a step
// runner: each step in turn, under a deadline of its own, so that a failure
// says where, with what the page shows.
func browse(t *testing.T, path string) (context.Context, func(string, chromedp.Action[chromedp.Void])) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	limit := 90 * time.Second
	if os.Getenv("VALUEGRAPH_BENCH_EXPLORER") == "1" {
		limit = 10 * time.Minute
	}
	bctx, cancel = context.WithTimeout(bctx, limit)
	t.Cleanup(cancel)
	// Start the browser on bctx itself: the first run's context owns it,
	// and each step runs under a shorter deadline of its own.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	step := func(name string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, a); err != nil {
			where, _ := chromedp.Run(bctx, chromedp.Location())
			page, _ := chromedp.Run(bctx, chromedp.Evaluate[string]("document.body ? document.body.innerText : ''"))
			t.Fatalf("%s: %v\nat %s the page shows:\n%.2000s", name, err, where, page)
		}
	}
	return bctx, step
}

// screenshot saves the page (or the element of a CSS selector) as
// docs/screenshots/NAME.png when VALUEGRAPH_SCREENSHOTS=1 (the README shows
// them); other runs skip it.
func screenshot(t *testing.T, bctx context.Context, name string, sel ...string) {
	t.Helper()
	if os.Getenv("VALUEGRAPH_SCREENSHOTS") != "1" {
		return
	}
	shot := chromedp.CaptureScreenshot()
	if len(sel) > 0 {
		shot = chromedp.Screenshot(chromedp.CSS(sel[0]))
	}
	png, err := chromedp.Run(bctx, shot)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// signIn signs in through the app's form with a token.
func signIn(step func(string, chromedp.Action[chromedp.Void]), base, secret string) {
	step("sign out first", chromedp.Navigate(base+"/signin"))
	step("the sign-in form", chromedp.WaitVisible(chromedp.CSS("#token")))
	step("type the token", chromedp.SendKeys(chromedp.CSS("#token"), secret))
	step("sign in", chromedp.Click(chromedp.CSS(`form.signin button[type="submit"]`)))
	step("signed in", chromedp.WaitVisible(chromedp.CSS(`.bar .who`)))
}

// In a real browser: a rep signs in with a token, opens a customer's
// brief, says the stage is wrong, and the brief shows the correction at
// once, with who gave it, beside what the model says.
func TestBrowserBriefFeedback(t *testing.T) {
	path := chromium(t)
	app := newAppFixture(t)
	store, ns, ts, ctx := app.store, app.ns, app.ts, context.Background()

	id := ns + "browser-c"
	if _, err := store.UpsertCustomers(ctx, []valuegraph.Customer{{ID: id, Name: "浏览器测试冷链物流有限公司", Region: "重庆", OwnerID: ns + "rep"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.UpsertSignals(ctx, []valuegraph.Signal{{ID: ns + "browser-s1", Kind: valuegraph.SignalTender, Title: "冷链监控平台招标公告",
		Source: ns + "ccgp", Trust: valuegraph.TrustL2, OccurredAt: time.Now().AddDate(0, 0, -10), CustomerIDs: []string{id}}}); err != nil {
		t.Fatal(err)
	}
	secret := app.tokenFor(t, valuegraph.AccessRep, ns+"rep") // named ns+"rep"

	bctx, step := browse(t, path)
	step("open the app", chromedp.Navigate(ts.URL+"/"))
	step("the sign-in form", chromedp.WaitVisible(chromedp.CSS("#token")))
	step("type the token", chromedp.SendKeys(chromedp.CSS("#token"), secret))
	step("sign in", chromedp.Click(chromedp.CSS(`form.signin button[type="submit"]`)))
	step("the customers page", chromedp.WaitVisible(chromedp.CSS("#q")))
	// Without the app's script, the form itself posts the token and the
	// browser lands on the app, signed in.
	step("sign out", chromedp.Evaluate[chromedp.Void](`fetch("/session", {method: "DELETE", headers: {"X-Requested-With": "valuegraph-web"}})`))
	step("open the app again", chromedp.Navigate(ts.URL+"/"))
	step("the sign-in form again", chromedp.WaitVisible(chromedp.CSS("#token")))
	step("type the token again", chromedp.SendKeys(chromedp.CSS("#token"), secret))
	step("post the form without the script", chromedp.Submit(chromedp.CSS("#token")))
	step("the customers page again", chromedp.WaitVisible(chromedp.CSS("#q")))
	step("the list", chromedp.WaitVisible(chromedp.CSS(".customer")))
	screenshot(t, bctx, "customers")
	step("open the brief", chromedp.Navigate(ts.URL+"/customers/"+url.PathEscape(id)))
	step("the feedback form", chromedp.WaitVisible(chromedp.CSS(`select[name="stage"]`)))
	step("choose the stage", chromedp.SetValue(chromedp.CSS(`select[name="stage"]`), "EXPANDING"))
	step("write a note", chromedp.SendKeys(chromedp.CSS(`input[name="note"]`), "ordering every month now"))
	step("send", chromedp.Click(chromedp.CSS(`section.feedback form button[type="submit"]`)))
	step("the correction shows", chromedp.WaitVisible(chromedp.CSS(`.correction`)))
	// The rescoring the correction made is in the score history's chart,
	// drawn with the rep's stage.
	step("the score history", chromedp.WaitVisible(chromedp.CSS(`svg.history-chart circle.point.corrected`)))
	screenshot(t, bctx, "brief")
	screenshot(t, bctx, "history", `section.history-section`)
	stage, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`section[aria-labelledby="stage"] dl`)))
	if err != nil {
		t.Fatal(err)
	}
	correction, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`.correction`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(correction, ns+"rep") || !strings.Contains(correction, "ordering every month now") {
		t.Errorf("the correction shows %q, want who gave it and the note", correction)
	}
	if !strings.Contains(stage, "扩张") && !strings.Contains(stage, "Expanding") {
		t.Errorf("the stage shows %q, want the rep's (EXPANDING)", stage)
	}
	// The brief lists the correction with what it did, and each score's
	// reasons end with the score they add up to.
	history, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`section[aria-labelledby="corrections"]`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(history, ns+"rep · WRONG_STAGE") || !strings.Contains(history, "EXPANDING") {
		t.Errorf("the brief's corrections show %q, want the rep's WRONG_STAGE with what it did", history)
	}
	total, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`section[aria-labelledby="stage"] .reasons .total`)))
	if err != nil || !strings.HasPrefix(strings.TrimSpace(total), "=") {
		t.Errorf("the stage's reasons end with %q (%v), want the score they add up to", total, err)
	}
}
