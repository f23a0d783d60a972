package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/ingest"
	"github.com/valuegraph/valuegraph/internal/faulttest"
	"github.com/valuegraph/valuegraph/jobs"
)

// The fault tests take services away: each kills only instances of its own
// (internal/faulttest), never the shared ones the other tests use, and they
// run side by side, as they spend most of their time waiting.

// runAsMain is set in the environment of a process the fault tests start
// from this test binary: it then runs the command its arguments name, as
// the valuegraph binary would, so a test can kill a worker process.
const runAsMain = "VALUEGRAPH_TEST_RUN_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runAsMain) != "" {
		os.Args = append([]string{"valuegraph"}, os.Args[1+indexOf(os.Args, "--"):]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func indexOf(args []string, s string) int {
	for i, a := range args {
		if a == s {
			return i
		}
	}
	return len(args) - 1
}

// startCommand runs a valuegraph subcommand as a process of its own.
func startCommand(t *testing.T, env func(string) string, args ...string) *faulttest.Process {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), runAsMain+"=1")
	for _, k := range []string{"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "REDIS_URL", "LOG_LEVEL"} {
		cmd.Env = append(cmd.Env, k+"="+env(k))
	}
	p, err := faulttest.StartProcess(t, args[0], cmd)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// snapshots counts each customer's score snapshots.
func snapshots(t *testing.T, s *graph.Store, ids ...string) map[string]int {
	t.Helper()
	h, err := s.ScoreHistory(context.Background(), ids, time.Time{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, id := range ids {
		out[id] = len(h[id])
	}
	return out
}

type gqlAnswer struct {
	Data       map[string]any
	Errors     []map[string]any
	Extensions map[string]json.RawMessage
}

func postGraphQL(t *testing.T, base, secret, query string, vars map[string]any) (int, gqlAnswer) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a gqlAnswer
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return res.StatusCode, a
}

func pendingOf(t *testing.T, a gqlAnswer) []map[string]any {
	t.Helper()
	var p []map[string]any
	if raw, ok := a.Extensions["pending"]; ok {
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// With Redis stopped, the API keeps taking writes and corrections and says
// in each answer what waits for the queue; the outbox in Neo4j holds one job
// per customer, and once Redis is back the worker rescores each customer
// once.
func TestFaultRedisDown(t *testing.T) {
	t.Parallel()
	red := faulttest.StartRedis(t)
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c1 := ns + "c1"
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: c1, Name: "故障测试冷链有限公司"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{{ID: ns + "erp:1", Kind: valuegraph.SignalERPOrder, Source: ns + "erp",
		Trust: valuegraph.TrustL1, OccurredAt: time.Now().AddDate(0, -1, 0), CustomerIDs: []string{c1}}}); err != nil {
		t.Fatal(err)
	}
	tok, secret, err := s.CreateToken(ctx, ns+"admin", valuegraph.AccessAdmin, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.RevokeToken(context.Background(), tok.ID) })
	env := testEnv(map[string]string{"REDIS_URL": red.URL, "VALUEGRAPH_WEBHOOK_TOKEN": "s3cret-" + ns})
	var serveLog syncLog
	base, served := startServeLogging(t, ctx, env, &serveLog)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("serve's log:\n%s", serveLog.String())
		}
	})

	red.Stop()

	// addSignal: the signal, and the rescoring it waits for.
	start := time.Now()
	_, a := postGraphQL(t, base, secret, `mutation($in: SignalInput!) { addSignal(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"id": "1", "source": ns + "api", "kind": "WHITEPAPER_DOWNLOAD", "trust": "L3", "occurredAt": time.Now().UTC().Format(time.RFC3339), "customerId": c1}})
	if len(a.Errors) > 0 || get(a.Data, "addSignal", "id") != ns+"api:1" {
		t.Fatalf("addSignal with Redis down: %v %v; want the signal written", a.Data, a.Errors)
	}
	if p := pendingOf(t, a); len(p) != 1 || p[0]["job"] != jobs.TypeScoreCustomer || p[0]["customerId"] != c1 || p[0]["path"] != "addSignal" {
		t.Errorf("addSignal's extensions.pending = %v, want the rescoring of %s", p, c1)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("addSignal took %v with Redis down", d)
	}

	// The webhook: 202, written, its rescoring pending.
	status, out := postPush(t, base+"/v1/webhooks/signals", "s3cret-"+ns, fmt.Sprintf(
		`{"source": %q, "signals": [{"id": "p1", "kind": "forum_post", "occurredAt": %q, "customer": {"id": %q}}]}`,
		ns+"hook", time.Now().UTC().Format(time.RFC3339), c1))
	if status != http.StatusAccepted || out["created"] != 1.0 || out["rescorePending"] != 1.0 || out["rescoreDeferred"] != 0.0 {
		t.Errorf("webhook with Redis down: %d %v; want 202, created 1, rescorePending 1", status, out)
	}

	// submitFeedback: the correction is applied in the request (the
	// customer is rescored there); only the retraining it asks for waits.
	_, a = postGraphQL(t, base, secret, `mutation($in: FeedbackInput!) { submitFeedback(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"kind": "WRONG_STAGE", "customerId": c1, "stage": "PLANNING"}})
	if len(a.Errors) > 0 || get(a.Data, "submitFeedback", "id") == nil {
		t.Fatalf("submitFeedback with Redis down: %v %v", a.Data, a.Errors)
	}
	if p := pendingOf(t, a); len(p) != 1 || p[0]["job"] != jobs.TypeRetrain {
		t.Errorf("submitFeedback's extensions.pending = %v, want the retraining only", p)
	}
	if a, err := s.LatestAssessment(ctx, c1); err != nil || a == nil || a.Stage != valuegraph.StagePlanning {
		t.Errorf("after the correction: %+v %v; want the stage the rep gave, at once", a, err)
	}

	// The outbox: one job for the customer, however often it was asked for.
	held, _, err := s.PendingJobs(ctx, ns, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(held) != 1 || held[0].Type != jobs.TypeScoreCustomer || held[0].Key != c1 {
		t.Fatalf("outbox: %+v, want one rescoring of %s", held, c1)
	}
	all, _, err := s.PendingJobs(ctx, "", "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	retrain := false
	for _, j := range all {
		if j.Type == jobs.TypeRetrain {
			retrain = true
			t.Cleanup(func() { s.ReleaseJobs(context.Background(), []valuegraph.PendingJob{j}) })
		}
	}
	if !retrain {
		t.Error("the retraining the label asked for is not in the outbox")
	}
	before := snapshots(t, s, c1)[c1]

	// Redis is back: the worker drains the outbox and rescores c1 once.
	red.Restart()
	var workerErr bytes.Buffer
	wctx, stopWorker := context.WithCancel(ctx)
	worked := make(chan error, 1)
	go func() {
		worked <- Run(wctx, []string{"worker", "-schedule=false", "-migrate=false", "-outbox-every=500ms", "-namespace", ns}, io.Discard, &workerErr, env)
	}()
	faulttest.Eventually(t, 40*time.Second, "the pending rescoring run by the worker", func() bool {
		return snapshots(t, s, c1)[c1] > before
	})
	time.Sleep(3 * time.Second) // more drains: none may enqueue it again
	if n := snapshots(t, s, c1)[c1]; n != before+1 {
		t.Errorf("%d rescorings after Redis came back, want exactly 1", n-before)
	}
	if held, _, _ := s.PendingJobs(ctx, ns, "", 100); len(held) != 0 {
		t.Errorf("outbox still holds %+v", held)
	}
	stopWorker()
	if err := <-worked; err != nil {
		t.Errorf("worker: %v\n%s", err, workerErr.String())
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// A worker killed while it scores (SIGKILL: no clean-up) loses nothing and
// doubles nothing: Asynq hands its tasks to the next worker once their
// lease ends, and a task run again replaces the snapshot of its first run,
// so each customer ends with one snapshot per rescoring asked for.
func TestFaultWorkerKilledMidTask(t *testing.T) {
	t.Parallel()
	red := faulttest.StartRedis(t)
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx := context.Background()
	const n = 80
	var customers []valuegraph.Customer
	var signals []valuegraph.Signal
	ids := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("%sc%03d", ns, i)
		customers = append(customers, valuegraph.Customer{ID: ids[i], Name: fmt.Sprintf("杀进程测试%03d有限公司", i)})
		for k := range 5 {
			signals = append(signals, valuegraph.Signal{ID: fmt.Sprintf("%serp:%d-%d", ns, i, k), Kind: valuegraph.SignalERPOrder, Source: ns + "erp",
				Trust: valuegraph.TrustL1, OccurredAt: time.Now().AddDate(0, -k-1, 0), CustomerIDs: []string{ids[i]}})
		}
	}
	if _, err := s.UpsertCustomers(ctx, customers); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertSignals(ctx, signals); err != nil {
		t.Fatal(err)
	}
	rc, err := jobs.OpenRedis(ctx, red.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	client := jobs.NewClient(asynq.NewClientFromRedisClient(rc), jobs.ClientOptions{CoalesceWindow: time.Second})
	if q, err := client.RescoreCustomers(ctx, ids...); err != nil || q.Enqueued != n {
		t.Fatalf("enqueue: %+v %v", q, err)
	}
	env := testEnv(map[string]string{"REDIS_URL": red.URL, "LOG_LEVEL": "info"})
	inspector := asynq.NewInspectorFromRedisClient(rc)
	worker := startCommand(t, env, "worker", "-schedule=false", "-migrate=false", "-concurrency=4", "-namespace", ns)

	// Kill it while it has tasks in hand, some done and some not.
	faulttest.Eventually(t, 90*time.Second, "the worker scoring", func() bool {
		info, err := inspector.GetQueueInfo(jobs.QueueDefault)
		return err == nil && info.Active > 0 && info.Completed+info.Processed > 0 && info.Pending > 0
	})
	worker.Kill()
	info, _ := inspector.GetQueueInfo(jobs.QueueDefault)
	done := 0
	for _, c := range snapshots(t, s, ids...) {
		if c > 0 {
			done++
		}
	}
	t.Logf("killed the worker with %d tasks active, %d pending, %d customers scored", info.Active, info.Pending, done)
	if done == n {
		t.Fatal("every customer was scored before the kill: nothing was cut")
	}

	startCommand(t, env, "worker", "-schedule=false", "-migrate=false", "-concurrency=4", "-namespace", ns)
	// The tasks the dead worker held come back when their lease (30 s)
	// ends and the recoverer (each minute) finds them.
	faulttest.Eventually(t, 150*time.Second, "every customer scored", func() bool {
		for _, c := range snapshots(t, s, ids...) {
			if c == 0 {
				return false
			}
		}
		info, err := inspector.GetQueueInfo(jobs.QueueDefault)
		return err == nil && info.Active == 0 && info.Pending == 0 && info.Retry == 0
	})
	for id, c := range snapshots(t, s, ids...) {
		if c != 1 {
			t.Errorf("%s has %d snapshots, want 1: a rescoring applied %d times", id, c, c)
		}
	}
}

// Neo4j killed in the middle of an ingest: the run ends with an error and
// what it committed stays; the same ingest run again once Neo4j is back
// gives exactly one signal per order, neither lost nor doubled.
func TestFaultNeo4jKilledMidIngest(t *testing.T) {
	t.Parallel()
	neo := faulttest.StartNeo4j(t)
	s := neo.Open(t)
	ctx := context.Background()
	dir := t.TempDir()

	const accounts, orders = 100, 20000
	var b strings.Builder
	b.WriteString("account_id,name\n")
	for i := range accounts {
		fmt.Fprintf(&b, "A-%d,故障注入测试%03d冷链物流有限公司\n", i, i)
	}
	accountsCSV := filepath.Join(dir, "accounts.csv")
	os.WriteFile(accountsCSV, []byte(b.String()), 0o644)
	b.Reset()
	b.WriteString("order_id,account_id,order_date,amount,currency\n")
	for i := range orders {
		fmt.Fprintf(&b, "O-%d,A-%d,2026-%02d-%02d,%d.00,CNY\n", i, i%accounts, 1+i%11, 1+i%28, 1000+i)
	}
	ordersCSV := filepath.Join(dir, "orders.csv")
	os.WriteFile(ordersCSV, []byte(b.String()), 0o644)

	newWriter := func(s *graph.Store) *ingest.Writer {
		return &ingest.Writer{Graph: s, Matcher: ingest.NewMatcher(s, ingest.MatchOptions{})}
	}
	if sum, err := ingest.Run(ctx, ingest.CRM{Kind: "crm-accounts"}, newWriter(s), []string{accountsCSV}, ingest.RunOptions{}); err != nil || sum.Created != accounts {
		t.Fatalf("accounts: %+v %v", sum, err)
	}

	// The ingest runs; Neo4j dies under it once some orders are in.
	type result struct {
		sum ingest.Summary
		err error
	}
	ran := make(chan result, 1)
	go func() {
		sum, err := ingest.Run(ctx, ingest.CRM{Kind: "orders"}, newWriter(s), []string{ordersCSV}, ingest.RunOptions{BatchSize: 500})
		ran <- result{sum, err}
	}()
	var before int
	faulttest.Eventually(t, 3*time.Minute, "some orders written", func() bool {
		before, _ = s.Count(ctx, "Signal", "erp:order:")
		return before >= orders/10
	})
	neo.Kill()
	var first result
	select {
	case first = <-ran:
	case <-time.After(2 * time.Minute):
		t.Fatal("the ingest did not end within 2 minutes of Neo4j's death")
	}
	if first.err == nil {
		t.Fatalf("the ingest under a dead Neo4j ended without an error: %+v", first.sum)
	}
	t.Logf("killed Neo4j with at least %d of %d orders in; the run said: %v (%+v)", before, orders, first.err, first.sum)

	neo.Restart()
	s2 := neo.Open(t)
	committed, err := s2.Count(ctx, "Signal", "erp:order:")
	if err != nil {
		t.Fatal(err)
	}
	if committed < before || committed >= orders {
		t.Fatalf("after the crash %d orders are in; want those seen before it (%d) and not all", committed, before)
	}
	// The dead run's summary counts every batch it saw committed; only the
	// batch in flight when Neo4j died may have been committed unseen.
	if c := first.sum.Created; c > committed || committed > c+500 {
		t.Errorf("the dead run said %d created; %d are in the graph, more than one batch (500) apart", c, committed)
	}
	sum, err := ingest.Run(ctx, ingest.CRM{Kind: "orders"}, newWriter(s2), []string{ordersCSV}, ingest.RunOptions{BatchSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != orders || sum.Created != orders-committed || sum.Unchanged != committed || sum.Check() != nil {
		t.Errorf("re-run: %+v; want %d created and %d unchanged", sum, orders-committed, committed)
	}
	if got, _ := s2.Count(ctx, "Signal", "erp:order:"); got != orders {
		t.Errorf("%d order signals after the re-run, want exactly %d", got, orders)
	}
}

// get walks a decoded JSON answer by keys and indexes; nil where the path
// leads nowhere.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// postPush posts a push to the webhook at url and decodes its JSON answer.
func postPush(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, out
}

// startServeLogging is startServe with serve's log kept in stderr.
func startServeLogging(t *testing.T, ctx context.Context, env func(string) string, stderr io.Writer) (string, <-chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "-addr=127.0.0.1:0"}, pw, stderr, env)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v (%v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	return strings.Fields(strings.TrimPrefix(line, "valuegraph: listening on "))[0], done
}

// syncLog is a log several goroutines write.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
