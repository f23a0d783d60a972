package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
)

// testEnv is the environment of the real local services, with overrides.
func testEnv(overrides map[string]string) func(string) string {
	cfg := graphtest.Config()
	base := map[string]string{
		"NEO4J_URI": cfg.URI, "NEO4J_USER": cfg.User, "NEO4J_PASSWORD": cfg.Password, "NEO4J_DATABASE": cfg.Database,
		"REDIS_URL": os.Getenv("REDIS_URL"), "LOG_LEVEL": "warn",
	}
	for k, v := range overrides {
		base[k] = v
	}
	return func(k string) string { return base[k] }
}

func TestMigrateTwice(t *testing.T) {
	graphtest.MustOpen(t)
	ctx := context.Background()
	var out, errOut strings.Builder
	if err := Run(ctx, []string{"migrate"}, &out, &errOut, testEnv(nil)); err != nil {
		t.Fatalf("first migrate: %v\n%s", err, errOut.String())
	}
	out.Reset()
	if err := Run(ctx, []string{"migrate", "-list"}, &out, &errOut, testEnv(nil)); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if !strings.HasPrefix(lines[0], "nothing to do: schema is at version ") {
		t.Errorf("second migrate said %q, want nothing to do", lines[0])
	}
	var uniques int
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "constraint UNIQUENESS") {
			uniques++
		}
	}
	if uniques < 20 {
		t.Errorf("listed %d uniqueness constraints, want one per node key (20):\n%s", uniques, out.String())
	}
}

// A bad setting fails at start with one line naming it.
func TestBadConfiguration(t *testing.T) {
	graphtest.MustOpen(t)
	badGate := filepath.Join(t.TempDir(), "gate.yaml")
	if err := os.WriteFile(badGate, []byte("risks:\n  credit: {review: 0.7, hold: 0.5}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"WrongPassword", []string{"serve", "-addr=127.0.0.1:0"}, map[string]string{"NEO4J_PASSWORD": "wrong-password"}, "NEO4J_USER/NEO4J_PASSWORD: Neo4j at bolt://"},
		{"UnreachableNeo4j", []string{"worker"}, map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1"}, "NEO4J_URI: cannot reach Neo4j at bolt://127.0.0.1:1"},
		{"UnreachableRedis", []string{"serve", "-addr=127.0.0.1:0"}, map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0"}, "REDIS_URL: cannot reach Redis at redis://127.0.0.1:1/0"},
		{"BadRedisURL", []string{"worker"}, map[string]string{"REDIS_URL": "http://nowhere"}, "REDIS_URL: "},
		{"BadLogLevel", []string{"serve"}, map[string]string{"LOG_LEVEL": "loud"}, `LOG_LEVEL: "loud" is not`},
		{"NoPassword", []string{"migrate"}, map[string]string{"NEO4J_PASSWORD": ""}, "NEO4J_PASSWORD: not set"},
		{"BadGate", []string{"serve", "-addr=127.0.0.1:0", "-gate", badGate}, nil, badGate + ": risks.credit.hold: must be above review (0.7), got 0.5"},
		{"BadGateEnv", []string{"serve", "-addr=127.0.0.1:0"}, map[string]string{"VALUEGRAPH_GATE": badGate}, badGate + ": risks.credit.hold: must be above review"},
		{"NoGateFile", []string{"serve", "-addr=127.0.0.1:0", "-gate", badGate + ".missing"}, nil, badGate + ".missing: open "},
		{"NoRealData", []string{"demo", "-customers", "0", "-real", badGate + ".missing"}, nil, "-real: real data " + badGate + ".missing: not a directory"},
		{"RealDataMoved", []string{"demo", "-customers", "0", "-real", filepath.Dir(badGate)}, nil, "-real: real data " + filepath.Dir(badGate) + ": no file matches tenders-cn/*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			err := Run(ctx, tc.args, io.Discard, io.Discard, testEnv(tc.env))
			if err == nil {
				t.Fatal("started with a bad configuration")
			}
			if msg := err.Error(); !strings.HasPrefix(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q, want one line starting %q", msg, tc.want)
			}
		})
	}
}

// serve starts, answers /healthz and /readyz, and stops cleanly when its
// context ends.
func TestServeGracefulShutdown(t *testing.T) {
	graphtest.MustOpen(t)
	ctx, cancel := context.WithCancel(context.Background())
	base, done := startServe(t, ctx, testEnv(nil))
	for _, path := range []string{"/healthz", "/readyz"} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v on shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s of its context ending")
	}
}

// serve -warm reads the graph into Neo4j's page cache in the background and
// says so in its log, while already serving.
func TestServeWarmsUp(t *testing.T) {
	graphtest.MustOpen(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var logs strings.Builder
	stderr := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logs.Write(p) })
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "-addr=127.0.0.1:0", "-warm"}, pw, stderr, testEnv(map[string]string{"LOG_LEVEL": "info"}))
		pw.Close()
	}()
	if _, err := bufio.NewReader(pr).ReadString('\n'); err != nil {
		t.Fatalf("serve printed nothing: %v (%v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	deadline := time.Now().Add(60 * time.Second)
	for {
		mu.Lock()
		got := logs.String()
		mu.Unlock()
		if strings.Contains(got, "graph read into the page cache") && strings.Contains(got, "relationships=") {
			break
		}
		if strings.Contains(got, "warm-up failed") || time.Now().After(deadline) {
			t.Fatalf("no warm-up in serve's log:\n%s", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Neo4j and Redis are reached through proxies the test cuts and restores:
// /readyz reports each down with the reason and ready again once it is back,
// without restarting anything.
func TestReadinessFollowsDependencies(t *testing.T) {
	graphtest.MustOpen(t)
	cfg := graphtest.Config()
	neo := startProxy(t, hostPort(t, cfg.URI))
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		redisURL = "redis://127.0.0.1:6379/0"
	}
	red := startProxy(t, hostPort(t, redisURL))

	ctx := context.Background()
	c := Config{Neo4jURI: "bolt://" + neo.addr, Neo4jUser: cfg.User, Neo4jPassword: cfg.Password,
		Neo4jDatabase: cfg.Database, RedisURL: "redis://" + red.addr + "/0", LogLevel: "error", LogFormat: "text", ConnTimeout: 5 * time.Second}
	log, _ := c.logger(io.Discard)
	store, err := c.openGraph(ctx, log)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(ctx)
	rc, err := c.openRedis(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	ts := httptest.NewServer(newServer(store, rc, log).routes())
	defer ts.Close()

	type readiness struct {
		Status string
		Checks map[string]check
	}
	ready := func() (int, readiness) {
		t.Helper()
		res, err := http.Get(ts.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var r readiness
		if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, r
	}
	eventually := func(what string, ok func(int, readiness) bool) readiness {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			code, r := ready()
			if ok(code, r) {
				return r
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: still %d %+v after 30s", what, code, r)
			}
			time.Sleep(250 * time.Millisecond)
		}
	}

	if code, r := ready(); code != http.StatusOK || r.Status != "ready" {
		t.Fatalf("at start: %d %+v", code, r)
	}

	neo.down()
	r := eventually("neo4j down", func(code int, r readiness) bool { return code == http.StatusServiceUnavailable })
	if r.Checks["neo4j"].Status != "down" || !strings.Contains(r.Checks["neo4j"].Error, "neo4j at bolt://"+neo.addr) {
		t.Errorf("neo4j check while down: %+v", r.Checks["neo4j"])
	}
	if r.Checks["redis"].Status != "up" {
		t.Errorf("redis reported %+v while only neo4j was down", r.Checks["redis"])
	}
	neo.up()
	eventually("neo4j back", func(code int, r readiness) bool { return code == http.StatusOK })

	red.down()
	r = eventually("redis down", func(code int, r readiness) bool { return code == http.StatusServiceUnavailable })
	if r.Checks["redis"].Status != "down" || !strings.HasPrefix(r.Checks["redis"].Error, "redis: ") {
		t.Errorf("redis check while down: %+v", r.Checks["redis"])
	}
	red.up()
	eventually("redis back", func(code int, r readiness) bool { return code == http.StatusOK })
	if err := jobs.Ping(ctx, rc); err != nil {
		t.Errorf("redis client after recovery: %v", err)
	}
}

func hostPort(t *testing.T, uri string) string {
	t.Helper()
	_, rest, _ := strings.Cut(uri, "://")
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	hp, _, _ := strings.Cut(rest, "/")
	return hp
}

// proxy forwards TCP to a target; down closes the listener and every open
// connection, as a service going away does; up listens again on the same port.
type proxy struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func startProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.down)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", p.target)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			p.conns[in], p.conns[out] = true, true
			p.mu.Unlock()
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
}

func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *proxy) up() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("proxy relisten on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// The job monitor is mounted for admins only, with basic auth whose
// password is an admin API token.
func TestMonitoringIsForAdmins(t *testing.T) {
	app := newAppFixture(t)
	ts := app.ts
	adminSecret, analystSecret := app.tokenFor(t, valuegraph.AccessAdmin, ""), app.tokenFor(t, valuegraph.AccessAnalyst, "")
	get := func(secret string) int {
		req, _ := http.NewRequest("GET", ts.URL+"/monitoring/", nil)
		if secret != "" {
			req.SetBasicAuth("ops", secret)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(""); code != 401 {
		t.Errorf("no credentials: %d", code)
	}
	if code := get(analystSecret); code != 403 {
		t.Errorf("analyst: %d", code)
	}
	if code := get(adminSecret); code != 200 {
		t.Errorf("admin: %d", code)
	}
}

func TestUnmergeCommand(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx := context.Background()
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: ns + "a", Name: "重庆华信冷链物流有限公司"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAliases(ctx, []valuegraph.Alias{{Kind: "Customer", ID: ns + "a", Name: "重庆华信冷链物流运输有限公司",
		Key: ns + "NAME:重庆华信冷链物流运输", Value: "重庆华信冷链物流运输", Rule: "fuzzy", Score: 0.88}}); err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	if err := Run(ctx, []string{"unmerge", "-customer", ns + "a"}, &out, &errOut, testEnv(nil)); err != nil {
		t.Fatalf("list: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "fuzzy    0.88     1 links  重庆华信冷链物流运输有限公司") {
		t.Errorf("list printed:\n%s", out.String())
	}
	err := Run(ctx, []string{"unmerge", "-customer", ns + "a", "-name", "重庆华信冷链物流股份有限公司", "-enqueue=false"}, &out, &errOut, testEnv(nil))
	if err == nil || !strings.Contains(err.Error(), "own name") || exitCode(err) != 1 {
		t.Errorf("unmerging the own name: %v", err)
	}
}

// As a newcomer would: real award notices ingested with the command (into a
// sandbox), a token made with the command, `serve` started, and the API
// asked over HTTP for what the notices said.
func TestServeEndToEnd(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := testEnv(nil)
	files, _ := filepath.Glob("../../../shared/data/tenders-cn/*.json")
	if len(files) == 0 {
		t.Fatal("no notices in ../shared/data/tenders-cn")
	}
	var out, errOut strings.Builder
	if err := Run(ctx, append([]string{"ingest", "-kind", "notices", "-namespace", ns, "-enqueue=false", "-quiet"}, files...), &out, &errOut, env); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if err := Run(ctx, []string{"token", "create", "-name", ns + "e2e", "-role", "analyst"}, &out, &errOut, env); err != nil {
		t.Fatalf("token: %v\n%s", err, errOut.String())
	}
	secret := strings.TrimSpace(out.String())
	tokenID := strings.Fields(strings.TrimPrefix(errOut.String(), "created "))[0]
	t.Cleanup(func() { s.RevokeToken(context.Background(), tokenID) })

	base, done := startServe(t, ctx, env)

	query := func(q string, vars map[string]any) map[string]any {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
		req, _ := http.NewRequest("POST", base+"/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var r struct {
			Data   map[string]any
			Errors []any
		}
		if err := json.NewDecoder(res.Body).Decode(&r); err != nil || len(r.Errors) > 0 || res.Header.Get("Server-Timing") == "" {
			t.Fatalf("%s: %v %v (Server-Timing %q)", q, err, r.Errors, res.Header.Get("Server-Timing"))
		}
		return r.Data
	}
	// The buyer of a real notice is found by a fragment of its name, with
	// the award and the amount the notice gave.
	data := query(`{ customers(filter: {text: "巴林左旗农牧"}, first: 20) { edges { node { id name signals { kind amount currency source trust } } } } }`, nil)
	var buyer map[string]any
	for _, e := range data["customers"].(map[string]any)["edges"].([]any) {
		n := e.(map[string]any)["node"].(map[string]any)
		if strings.HasPrefix(n["id"].(string), ns) && n["name"] == "巴林左旗农牧业局" {
			buyer = n
		}
	}
	if buyer == nil {
		t.Fatalf("the buyer of notice 7658293 is not found: %v", data)
	}
	sigs := buyer["signals"].([]any)
	if len(sigs) != 1 || sigs[0].(map[string]any)["kind"] != "AWARD" || sigs[0].(map[string]any)["amount"] != 99550.0 || sigs[0].(map[string]any)["trust"] != "L2" {
		t.Errorf("the buyer's signals: %v", sigs)
	}
	// Analysts see the relationships around it, and the source's health.
	data = query(`query($id: ID!) { neighbourhood(id: $id, depth: 2) { nodes { kind name } edges { type } } }`, map[string]any{"id": buyer["id"]})
	kinds := map[string]bool{}
	for _, n := range data["neighbourhood"].(map[string]any)["nodes"].([]any) {
		kinds[n.(map[string]any)["kind"].(string)] = true
	}
	if !kinds["Signal"] || !(kinds["Competitor"] || kinds["Customer"]) {
		t.Errorf("two hops around the buyer hold %v; want its award and the winner", kinds)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// startServe runs `serve` on a free port until ctx ends; it returns the
// base URL and where serve's result arrives.
func startServe(t *testing.T, ctx context.Context, env func(string) string) (string, <-chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "-addr=127.0.0.1:0"}, pw, io.Discard, env)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v (%v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	return strings.Fields(strings.TrimPrefix(line, "valuegraph: listening on "))[0], done
}

// Help for a command with subcommands prints its usage and succeeds without
// a database; an unknown subcommand says which ones exist, also without one.
func TestSubcommandHelp(t *testing.T) {
	noDB := func(string) string { return "" }
	for _, cmd := range []string{"model", "token"} {
		for _, help := range []string{"-h", "--help", "help"} {
			var out, errOut strings.Builder
			if err := Run(context.Background(), []string{cmd, help}, &out, &errOut, noDB); err != nil {
				t.Errorf("%s %s: %v (%s)", cmd, help, err, errOut.String())
			}
			if !strings.HasPrefix(out.String(), "usage:\n  valuegraph "+cmd+" ") {
				t.Errorf("%s %s printed %q, want its usage", cmd, help, out.String())
			}
		}
		err := Run(context.Background(), []string{cmd, "frob"}, io.Discard, io.Discard, noDB)
		if err == nil || !strings.Contains(err.Error(), `unknown subcommand "frob" (want one of `) {
			t.Errorf("%s frob: %v, want the unknown subcommand named with the known ones", cmd, err)
		}
	}
}
