package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/hibiken/asynqmon"
	"github.com/redis/go-redis/v9"

	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/gate"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/ingest"
	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/resolvers"
	"github.com/valuegraph/valuegraph/scoring"
	"github.com/valuegraph/valuegraph/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg.bind(fs, getenv)
	addr := fs.String("addr", env(getenv, "VALUEGRAPH_ADDR", "127.0.0.1:8080"), "listen address (VALUEGRAPH_ADDR)")
	migrate := fs.Bool("migrate", true, "apply pending schema migrations at start")
	gateFile := fs.String("gate", getenv("VALUEGRAPH_GATE"), "YAML of the risk gate's thresholds, laid over the built-in gate/gate.yaml (VALUEGRAPH_GATE)")
	warm := fs.Bool("warm", getenv("VALUEGRAPH_WARM") == "true", "read the whole graph once in the background at start, to fill a freshly started Neo4j's page cache (VALUEGRAPH_WARM=true)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	// A request allocates a few hundred kB and the live heap is small: a
	// laxer collector than Go's default (100) gives the CPU back to Neo4j
	// (GOGC=400: 20% more briefs a second, p99 a quarter lower at 64
	// clients; docs/BENCHMARKS.md). GOGC, when set, wins.
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// A bad gate file stops the server before it connects to anything.
	gateConfig, err := gate.Load(nil, "")
	if *gateFile != "" {
		gateConfig, err = gate.LoadFile(*gateFile)
	}
	if err != nil {
		return err
	}
	log, store, rc, err := cfg.services(ctx, stderr, *migrate)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	defer rc.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("VALUEGRAPH_ADDR: %w", err)
	}
	app, err := newApp(store, rc, cfg.RedisURL, getenv, log, gateConfig)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           app.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		// A backstop: requests carry deadlines of their own (15 s for the
		// API), which every wait on Neo4j and Redis honours.
		WriteTimeout: 2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("serving", "addr", ln.Addr().String(), "neo4j", cfg.Neo4jURI, "database", store.Database(), "version", version)
	fmt.Fprintf(stdout, "valuegraph: listening on http://%s (web app /, GraphQL /graphql, health /healthz, readiness /readyz)\n", ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if *warm {
		go func() {
			stats, err := store.WarmUp(ctx)
			if err != nil {
				log.Warn("warm-up failed; requests will fill the page cache instead", "err", err)
				return
			}
			log.Info("graph read into the page cache", "nodes", stats.Nodes, "relationships", stats.Relationships, "took", stats.Took.Round(time.Millisecond))
		}()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newApp wires every HTTP handler of serve.
func newApp(store *graph.Store, rc redis.UniversalClient, redisURL string, getenv func(string) string, log *slog.Logger, gateConfig *gate.Config) (*server, error) {
	app := newServer(store, rc, log)
	// Work Redis does not take while it is down waits in the graph's outbox.
	rescore := jobs.NewClient(asynq.NewClientFromRedisClient(rc), jobs.ClientOptions{Outbox: store})
	app.webhook = &ingest.Webhook{Graph: store, Token: getenv("VALUEGRAPH_WEBHOOK_TOKEN"), Logger: log.With("component", "webhook"), Jobs: rescore}
	api := &resolvers.Resolver{Graph: store, Logger: log.With("component", "graphql"), Jobs: rescore, Gate: &gate.Gate{Graph: store, Config: gateConfig}}
	// The worker's sources, so runCrawl refuses a name it would drop.
	if file := getenv("VALUEGRAPH_SOURCES"); file != "" {
		sources, err := crawlers.LoadSourcesFile(file)
		if err != nil {
			return nil, err
		}
		for _, src := range sources {
			api.CrawlSources = append(api.CrawlSources, src.Name)
		}
	}
	priors, err := scoring.Load(nil, "")
	if err != nil {
		return nil, err
	}
	// The built-in priors are a version like any other, listed on the
	// models page: an admin can always go back to them (saved once).
	if err := jobs.EnsurePriors(context.Background(), store, "", priors); err != nil {
		return nil, err
	}
	// A correction rescores its customer in the request, with the active
	// model version (the built-in priors until one is trained), as the worker would.
	scorer := &jobs.Scorer{Graph: store, Models: &jobs.GraphModels{Store: store, Fallback: priors}, Logger: log.With("component", "graphql")}
	if getenv("VALUEGRAPH_ALERT_WEBHOOK") != "" {
		scorer.Alert = rescore.Alert
	}
	api.Scorer = scorer
	opts := resolvers.Options{IDE: web.IDE()}
	if v := getenv("VALUEGRAPH_MAX_INFLIGHT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n == 0 {
			return nil, fmt.Errorf("VALUEGRAPH_MAX_INFLIGHT: want a number of requests (negative: no bound), got %q", v)
		}
		opts.MaxInFlight = n
	}
	app.graphql = resolvers.NewHandler(api, opts)
	app.briefs = resolvers.NewBriefHandler(api)
	app.riskCheck = resolvers.NewRiskCheckHandler(api)
	redisOpt, err := jobs.ParseRedisURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	app.monitor = resolvers.AdminOnly(api, asynqmon.New(asynqmon.Options{RootPath: "/monitoring", RedisConnOpt: redisOpt}))
	app.signIn = resolvers.NewSignIn(api)
	app.signOut = resolvers.NewSignOut()
	app.web = web.Handler(serverPaths...)
	return app, nil
}

// server holds what the HTTP handlers need.
type server struct {
	graph *graph.Store
	redis redis.UniversalClient
	log   *slog.Logger

	mu    sync.Mutex
	ready map[string]bool // last seen state per dependency, to log changes once

	webhook   http.Handler // POST /v1/webhooks/signals; nil: not mounted
	graphql   http.Handler // /graphql; nil: not mounted
	briefs    http.Handler // GET /briefs/{customerId}.md; nil: not mounted
	riskCheck http.Handler // POST /api/risk-check; nil: not mounted
	monitor   http.Handler // /monitoring/: the Asynq monitor, admins only; nil: not mounted
	signIn    http.Handler // POST /session: the web app's sign-in; nil: not mounted
	signOut   http.Handler // DELETE /session, POST /session/logout; nil: not mounted
	web       http.Handler // / : the web app (index.html for its own paths); nil: not mounted
}

// serverPaths are the paths under / that are not the web app's: there the
// app's handler answers 404, never index.html.
var serverPaths = []string{"/graphql", "/briefs/", "/healthz", "/readyz", "/monitoring/", "/v1/", "/session", "/api/"}

func newServer(g *graph.Store, rc redis.UniversalClient, log *slog.Logger) *server {
	return &server{graph: g, redis: rc, log: log, ready: map[string]bool{"neo4j": true, "redis": true}}
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	if s.webhook != nil {
		mux.Handle("POST /v1/webhooks/signals", s.webhook)
	}
	if s.graphql != nil {
		mux.Handle("/graphql", s.graphql)
	}
	if s.briefs != nil {
		mux.Handle("GET /briefs/{file}", s.briefs)
	}
	if s.riskCheck != nil {
		mux.Handle("POST /api/risk-check", s.riskCheck)
	}
	if s.monitor != nil {
		mux.Handle("/monitoring/", s.monitor)
	}
	if s.signIn != nil {
		mux.Handle("POST /session", s.signIn)
	}
	if s.signOut != nil {
		mux.Handle("DELETE /session", s.signOut)
		mux.Handle("POST /session/logout", s.signOut)
	}
	if s.web != nil {
		mux.Handle("/", s.web)
	}
	return mux
}

// handleHealth says the process is alive; it checks nothing else, so an
// orchestrator does not restart replicas because Neo4j is down.
func (s *server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": version})
}

type check struct {
	Status  string `json:"status"` // up or down
	Latency string `json:"latency"`
	Error   string `json:"error,omitempty"`
}

// handleReady checks Neo4j and Redis now, in parallel, and answers 503 with
// the reason while either is down. Nothing is cached: when a service comes
// back, the next probe sees it, without restarting the server.
func (s *server) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	probes := map[string]func(context.Context) error{
		"neo4j": s.graph.Ping,
		"redis": func(ctx context.Context) error { return jobs.Ping(ctx, s.redis) },
	}
	checks := make(map[string]check, len(probes))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, probe := range probes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			err := probe(ctx)
			c := check{Status: "up", Latency: time.Since(start).Round(time.Microsecond).String()}
			if err != nil {
				c.Status, c.Error = "down", err.Error()
			}
			mu.Lock()
			checks[name] = c
			mu.Unlock()
		}()
	}
	wg.Wait()

	status, code := "ready", http.StatusOK
	for name, c := range checks {
		s.noteChange(name, c)
		if c.Status != "up" {
			status, code = "unavailable", http.StatusServiceUnavailable
		}
	}
	writeJSON(w, code, map[string]any{"status": status, "checks": checks})
}

// noteChange logs a dependency going down or coming back, once per change.
func (s *server) noteChange(name string, c check) {
	up := c.Status == "up"
	s.mu.Lock()
	changed := s.ready[name] != up
	s.ready[name] = up
	s.mu.Unlock()
	switch {
	case changed && up:
		s.log.Info("dependency is back", "dependency", name)
	case changed:
		s.log.Warn("dependency is down", "dependency", name, "err", c.Error)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
