package main

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/gate"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/web"
)

// serveApp runs every handler of serve, as newApp wires them, on a test server.
func serveApp(t *testing.T) (*httptest.Server, func(role valuegraph.AccessRole) string) {
	t.Helper()
	a := newAppFixture(t)
	return a.ts, func(role valuegraph.AccessRole) string { return a.tokenFor(t, role, "") }
}

// appFixture is the whole server (API, web app, sessions) over the real
// services, with a namespace for the test's data.
type appFixture struct {
	ts    *httptest.Server
	store *graph.Store
	ns    string
}

func newAppFixture(t *testing.T) *appFixture {
	t.Helper()
	return newAppFixtureGate(t, nil)
}

// newAppFixtureGate is newAppFixture with the risk gate's configuration
// (nil: the built-in one), as serve -gate gives it.
func newAppFixtureGate(t *testing.T, gateConfig *gate.Config) *appFixture {
	t.Helper()
	store := graphtest.MustOpen(t)
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		redisURL = "redis://127.0.0.1:6379/0"
	}
	rc, err := jobs.OpenRedis(context.Background(), redisURL)
	if err != nil {
		graphtest.Unavailable(t, "redis", err)
	}
	t.Cleanup(func() { rc.Close() })
	app, err := newApp(store, rc, redisURL, func(string) string { return "" }, slog.New(slog.DiscardHandler), gateConfig)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(app.routes())
	t.Cleanup(ts.Close)
	return &appFixture{ts: ts, store: store, ns: graphtest.Prefix(t, store)}
}

// token makes an API token of role (a rep's for repID) and revokes it when
// the test ends.
func (a *appFixture) tokenFor(t *testing.T, role valuegraph.AccessRole, repID string) string {
	t.Helper()
	tok, secret, err := a.store.CreateToken(context.Background(), a.ns+string(role), role, repID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.store.RevokeToken(context.Background(), tok.ID) })
	return secret
}

// The web app is served from the binary at /, and its own paths get
// index.html, while the server's other paths keep their handlers.
func TestServeWebApp(t *testing.T) {
	ts, _ := serveApp(t)
	index, err := fs.ReadFile(web.FS(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	fetch := func(method, path string) (int, string, string) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+path, nil)
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), string(b)
	}
	for _, path := range []string{"/", "/customers/demo-c-huaxin", "/signin"} {
		code, ct, body := fetch("GET", path)
		if code != 200 || !strings.HasPrefix(ct, "text/html") || body != string(index) {
			t.Errorf("GET %s: %d %q, embedded index.html: %v", path, code, ct, body == string(index))
		}
	}
	if code, ct, _ := fetch("GET", "/app.js"); code != 200 || !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("GET /app.js: %d %q", code, ct)
	}
	// A browser at /graphql gets GraphiQL, which loads nothing but this
	// server's own files.
	req, _ := http.NewRequest("GET", ts.URL+"/graphql", nil)
	req.Header.Set("Accept", "text/html")
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	ide, _ := fs.ReadFile(web.FS(), "graphiql.html")
	if res.StatusCode != 200 || string(page) != string(ide) || !strings.Contains(string(page), `src="/graphiql.js"`) {
		t.Errorf("GET /graphql from a browser: %d %.200s", res.StatusCode, page)
	}
	for _, ref := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(string(page), -1) {
		if !strings.HasPrefix(ref[1], "/") || strings.HasPrefix(ref[1], "//") {
			t.Errorf("GraphiQL's page loads %q: it must load only this server's files", ref[1])
		}
	}
	for _, asset := range []string{"/graphiql.js", "/graphiql.css", "/cytoscape.js"} {
		if code, _, _ := fetch("GET", asset); code != 200 {
			t.Errorf("GET %s: %d", asset, code)
		}
	}
	if code, _, body := fetch("GET", "/healthz"); code != 200 || !strings.Contains(body, `"status": "ok"`) {
		t.Errorf("GET /healthz: %d %s", code, body)
	}
	for _, path := range []string{"/v1/webhooks/signals", "/briefs/", "/session", "/readyz/x"} {
		if code, _, body := fetch("GET", path); code == 200 || strings.Contains(body, "<html") {
			t.Errorf("GET %s is not the app's, got %d %.80s", path, code, body)
		}
	}
	if code, _, body := fetch("GET", "/monitoring"); code == 200 || strings.Contains(body, "<html") {
		t.Errorf("GET /monitoring: %d %.80s", code, body)
	}
}

// A browser signs in, uses the API and the job monitor with the session
// cookie alone, and signs out.
func TestServeSession(t *testing.T) {
	ts, token := serveApp(t)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	do := func(method, path, contentType, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("X-Requested-With", "valuegraph-web") // as the app sends
		res, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	viewer := `{"query": "{ viewer { role } }"}`
	if code, _ := do("POST", "/graphql", "application/json", viewer); code != 401 {
		t.Fatalf("before sign-in: %d", code)
	}
	if code, body := do("POST", "/session", "application/json", `{"token": "vg_wrong"}`); code != 401 {
		t.Fatalf("bad token: %d %s", code, body)
	}
	if code, body := do("POST", "/session", "application/json", `{"token": "`+token(valuegraph.AccessAdmin)+`"}`); code != 200 {
		t.Fatalf("sign-in: %d %s", code, body)
	}
	if code, body := do("POST", "/graphql", "application/json", viewer); code != 200 || !strings.Contains(body, `"ADMIN"`) {
		t.Errorf("API with the cookie: %d %s", code, body)
	}
	if code, _ := do("GET", "/monitoring/", "", ""); code != 200 {
		t.Errorf("job monitor with an admin's cookie: %d", code)
	}
	if code, _ := do("DELETE", "/session", "", ""); code != 204 {
		t.Errorf("sign-out: %d", code)
	}
	if code, _ := do("POST", "/graphql", "application/json", viewer); code != 401 {
		t.Errorf("after sign-out: %d", code)
	}
}

// serve mounts the risk gate at POST /api/risk-check with the thresholds
// it was given; the app's own paths do not swallow /api/.
func TestServeRiskCheck(t *testing.T) {
	cfg, err := gate.Load([]byte("version: ours\nrisks:\n  churn: {review: 0.01, hold: 0.02}\n"), "ours.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a := newAppFixtureGate(t, cfg)
	ctx := context.Background()
	id := a.ns + "erp-customer"
	if _, err := a.store.UpsertCustomers(ctx, []valuegraph.Customer{{ID: id, Name: a.ns + "闸口测试有限公司"}}); err != nil {
		t.Fatal(err)
	}
	if err := a.store.WriteAssessment(ctx, valuegraph.Assessment{CustomerID: id, At: time.Now(), ModelVersion: "prior-1", Stage: valuegraph.StageAdopting,
		Tier: valuegraph.TierB, Risks: valuegraph.Risks{Churn: 0.05, Credit: 0.01}}); err != nil {
		t.Fatal(err)
	}
	token := a.tokenFor(t, valuegraph.AccessManager, "")
	post := func(path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", a.ts.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	status, body := post("/api/risk-check", `{"customerId": "`+id+`", "amount": 1000, "currency": "CNY"}`)
	if status != 200 || !strings.Contains(body, `"thresholds":"ours"`) || !strings.Contains(body, `"decision":"HOLD"`) || !strings.Contains(body, `"kind":"instalments"`) {
		t.Errorf("%d %s: want a HOLD on churn under the thresholds serve was given", status, body)
	}
	res, err := http.Get(a.ts.URL + "/api/risk-check")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode < 400 || strings.Contains(string(page), "<html") {
		t.Errorf("GET /api/risk-check: %d %.80s, want an error, not the web app", res.StatusCode, page)
	}
	if status, body := post("/api/other", "{}"); status < 400 || strings.Contains(body, "<html") {
		t.Errorf("/api/other: %d %.80s, want an error, not the web app", status, body)
	}
}
