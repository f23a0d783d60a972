package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"

	"github.com/valuegraph/valuegraph/demo"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/ingest"
	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/scoring"
)

//go:embed demo.json
var demoJSON []byte

// demoPrefix marks every id of the demo dataset.
const demoPrefix = "demo-"

// demoStep is what writing one kind of entity did.
type demoStep struct {
	What    string
	Summary graph.WriteSummary
	Took    time.Duration
}

// loadDemo writes the dataset, each kind after those it links to. Every
// write is an upsert and signals are compared by content hash, so loading
// the same dataset again changes nothing.
func loadDemo(ctx context.Context, store *graph.Store, d demo.Dataset) ([]demoStep, error) {
	steps := []struct {
		what  string
		write func() (graph.WriteSummary, error)
	}{
		{"reps", func() (graph.WriteSummary, error) { return store.UpsertReps(ctx, d.Reps) }},
		{"customers", func() (graph.WriteSummary, error) { return inTwo(ctx, store, d.Customers, store.UpsertCustomers) }},
		{"competitors", func() (graph.WriteSummary, error) { return store.UpsertCompetitors(ctx, d.Competitors) }},
		{"products", func() (graph.WriteSummary, error) { return store.UpsertProducts(ctx, d.Products) }},
		{"needs", func() (graph.WriteSummary, error) { return store.UpsertNeeds(ctx, d.Needs) }},
		{"offerings", func() (graph.WriteSummary, error) { return store.UpsertOfferings(ctx, d.Offerings) }},
		{"people", func() (graph.WriteSummary, error) { return inTwo(ctx, store, d.People, store.UpsertPeople) }},
		{"signals", func() (graph.WriteSummary, error) { return inTwo(ctx, store, d.Signals, store.UpsertSignals) }},
	}
	var out []demoStep
	for _, step := range steps {
		start := time.Now()
		sum, err := step.write()
		if err != nil {
			return out, fmt.Errorf("demo %s: %w", step.what, err)
		}
		out = append(out, demoStep{step.what, sum, time.Since(start)})
	}
	return out, nil
}

// inTwo writes the first few rows, has Neo4j plan its statements again on
// them, then writes the rest: into a fresh database, plans made while the
// label was empty scan it for every row (10,000 people took two minutes
// rather than seconds).
func inTwo[T any](ctx context.Context, store *graph.Store, rows []T, write func(context.Context, []T) (graph.WriteSummary, error)) (graph.WriteSummary, error) {
	n := min(len(rows), 200)
	sum, err := write(ctx, rows[:n])
	if err != nil || n == len(rows) {
		return sum, err
	}
	if err := store.ClearQueryCaches(ctx); err != nil {
		return sum, err
	}
	rest, err := write(ctx, rows[n:])
	sum.Add(rest)
	return sum, err
}

// demoOptions say what demoLoad loads beside the dataset.
type demoOptions struct {
	Prefix  string          // the namespace of the real data and the portal's crawl: demoPrefix, or a test's
	RealDir string          // the real samples (../shared/data); empty: none
	Portal  bool            // crawl the demo portal
	Jobs    ingest.Enqueuer // rescoring of what the real data and the crawl touch; nil: none
	Log     *slog.Logger
}

// demoLoad writes the dataset, then ingests the real samples of o.RealDir
// and crawls the demo portal, all under o.Prefix, printing what each step
// did. Each is idempotent: a second demoLoad finds everything unchanged.
func demoLoad(ctx context.Context, store *graph.Store, d demo.Dataset, o demoOptions, stdout io.Writer) error {
	start := time.Now()
	steps, err := loadDemo(ctx, store, d)
	for _, step := range steps {
		fmt.Fprintf(stdout, "%-12s created %d, updated %d, unchanged %d in %s\n", step.What,
			step.Summary.Created, step.Summary.Updated, step.Summary.Unchanged, step.Took.Round(time.Millisecond))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "loaded in    %s\n", time.Since(start).Round(time.Millisecond))

	if o.RealDir != "" {
		start := time.Now()
		steps, err := loadRealData(ctx, store, o.RealDir, o.Prefix, o.Jobs, o.Log)
		printRealSteps(stdout, o.RealDir, steps)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "real data in %s\n", time.Since(start).Round(time.Millisecond))
	}
	if o.Portal {
		start := time.Now()
		var rejected []string
		rep, sum, err := crawlDemoPortal(ctx, store, d, o.Prefix, o.Jobs, o.Log, func(e error) { rejected = append(rejected, e.Error()) })
		if err != nil {
			return fmt.Errorf("demo portal crawl: %w", err)
		}
		fmt.Fprintf(stdout, "portal       crawled http://%s/ (source %s%s): %d pages fetched, %d not modified, %d unchanged, %d records read, %d rejected; records created %d, merged %d, unchanged %d, incomplete %d in %s\n",
			portalHost, o.Prefix, portalSource, rep.Pages, rep.NotModified, rep.Unchanged, rep.Records, rep.Rejected,
			sum.Created, sum.Merged, sum.Unchanged, sum.Incomplete, time.Since(start).Round(time.Millisecond))
		for _, e := range append(rep.Errors, rejected...) {
			fmt.Fprintln(stdout, "  error:", e)
		}
		if rep.Flagged != "" {
			fmt.Fprintln(stdout, "  FLAGGED:", rep.Flagged)
		}
	}
	if o.RealDir != "" || o.Portal {
		// Organisations the samples and the crawl named that the demo did
		// not know are customers with ids of their own (demo-org-…).
		n, err := store.Count(ctx, "Customer", o.Prefix+"org-")
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "customers    %d from the real samples and the crawl (ids %sorg-…), beside the %d generated\n", n, o.Prefix, len(d.Customers))
	}
	return nil
}

// defaultRealDir is ../shared/data when it is there (beside the
// repository, run from its root as scripts/demo.sh does); empty otherwise.
func defaultRealDir() string {
	const dir = "../shared/data"
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return dir
	}
	return ""
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	cfg.bind(fs, getenv)
	reset := fs.Bool("reset", false, "delete the demo data first")
	enqueue := fs.Bool("enqueue", true, "enqueue a rescoring of every demo customer (needs Redis and a worker)")
	customers := fs.Int("customers", demo.DefaultCustomers, "generated customers, beside the hand-written ones of demo.json")
	seed := fs.Uint64("seed", demo.DefaultSeed, "seed of the generated data: the same seed gives the same data")
	realDir := fs.String("real", defaultRealDir(), "the real public samples to ingest beside the generated data (notices, OCDS, customs, forum posts); default ../shared/data when it is there; \"\" skips them")
	portal := fs.Bool("portal", true, "serve a small tender portal on a loopback port and crawl it")
	history := fs.String("history", "90,60,30", "score the demo customers as they stood this many days before the dataset's day (2026-11-30), comma-separated, so score history and drift have a past; \"\" scores none")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	log, err := cfg.logger(stderr)
	if err != nil {
		return err
	}
	if *customers < 0 {
		return fmt.Errorf("demo: -customers must not be negative, got %d", *customers)
	}
	historyDays, err := parseDays(*history)
	if err != nil {
		return fmt.Errorf("demo: -history: %w", err)
	}
	var d demo.Dataset
	dec := json.NewDecoder(bytes.NewReader(demoJSON))
	if err := dec.Decode(&d); err != nil {
		return fmt.Errorf("demo.json: %w", err)
	}
	if *customers > 0 {
		start := time.Now()
		gen, err := demo.Generate(demo.Options{Customers: *customers, Seed: *seed, Prefix: demoPrefix})
		if err != nil {
			return err
		}
		d.Append(gen)
		fmt.Fprintf(stdout, "generated    %d customers, %d people, %d signals (seed %d) in %s\n",
			len(gen.Customers), len(gen.People), len(gen.Signals), *seed, time.Since(start).Round(time.Millisecond))
	}
	realSet := false
	fs.Visit(func(f *flag.Flag) { realSet = realSet || f.Name == "real" })
	if *realDir == "" && !realSet {
		fmt.Fprintln(stdout, "real data:   ../shared/data is not beside the repository: only generated data (-real DIR names the samples)")
	}
	if *realDir != "" {
		// Checked before anything is written: a wrong -real would
		// otherwise fail after the generated data.
		if _, err := realFiles(*realDir); err != nil {
			return fmt.Errorf("-real: %w (-real \"\" loads the generated data alone)", err)
		}
	}
	store, err := cfg.openGraph(ctx, log)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	if *reset {
		if err := store.Purge(ctx, demoPrefix); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "demo data deleted")
	}

	o := demoOptions{Prefix: demoPrefix, RealDir: *realDir, Portal: *portal, Log: log}
	var jc *jobs.Client
	if *enqueue {
		rc, err := cfg.openRedis(ctx)
		if err != nil {
			return err
		}
		defer rc.Close()
		// Redis failing mid-run keeps the rescoring in the graph's outbox.
		jc = jobs.NewClient(asynq.NewClientFromRedisClient(rc), jobs.ClientOptions{Outbox: store})
		o.Jobs = jc
	}
	start := time.Now()
	if err := demoLoad(ctx, store, d, o, stdout); err != nil {
		return err
	}
	if err := seedDemoSubscription(ctx, store, demoAdmin); err != nil {
		return err
	}
	ids := make([]string, len(d.Customers))
	for i, c := range d.Customers {
		ids[i] = c.ID
	}
	if len(historyDays) > 0 {
		t0 := time.Now()
		if err := scoreDemoHistory(ctx, store, ids, historyDays); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "history      %d customers scored as of %v days before %s in %s\n", len(ids), historyDays, demo.DefaultNow.Format(time.DateOnly), time.Since(t0).Round(time.Millisecond))
	}
	if jc != nil {
		q, err := jc.RescoreCustomers(ctx, ids...)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rescoring    %d tasks enqueued, %d coalesced with pending ones, %d kept for the worker (Redis did not answer)\n", q.Enqueued, q.Coalesced, q.Pending)
	}
	fmt.Fprintf(stdout, "demo ready   in %s\n", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "try: valuegraph show %s   |   valuegraph search 华信   |   GET /briefs/%s.md\n", d.Customers[0].ID, d.Customers[0].ID)
	return nil
}

// parseDays reads "90,60,30": days, each positive, oldest first when
// scored.
func parseDays(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive number of days", f)
		}
		out = append(out, n)
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}

// scoreDemoHistory scores the demo customers as they stood the given days
// before the dataset's day, oldest first, each day a run of its own
// ("demo-history-2026-10-31"), so a second load replaces those snapshots
// with the same ones. The worker scores them now afterwards.
func scoreDemoHistory(ctx context.Context, store *graph.Store, ids []string, days []int) error {
	scorer, err := newDemoScorer(store)
	if err != nil {
		return err
	}
	for _, d := range days {
		at := demo.DefaultNow.AddDate(0, 0, -d)
		run := "demo-history-" + at.Format(time.DateOnly)
		for from := 0; from < len(ids); from += 1000 {
			if _, err := scorer.ScoreAsOf(ctx, ids[from:min(from+1000, len(ids))], at, run); err != nil {
				return fmt.Errorf("demo history as of %s: %w", at.Format(time.DateOnly), err)
			}
		}
	}
	return nil
}

// demoAdmin is the name of the admin token scripts/demo.sh makes: the
// subscriptions of a caller without a rep id are its token name's.
const demoAdmin = demoPrefix + "admin"

// seedDemoSubscription gives the admin token named token a subscription to
// tenders and awards, so the start page's feed shows the real notices and
// the portal's crawl; made once (a second load finds it by name).
func seedDemoSubscription(ctx context.Context, store *graph.Store, token string) error {
	const name = "招标与中标公告 · Tenders and awards"
	kind, owner := valuegraph.SubscriptionOwner(&valuegraph.Caller{Role: valuegraph.AccessAdmin, Name: token})
	subs, err := store.Subscriptions(ctx, kind, owner)
	if err != nil {
		return err
	}
	for _, s := range subs {
		if s.Name == name {
			return nil
		}
	}
	_, err = store.CreateSubscription(ctx, kind, owner, valuegraph.SubscriptionInput{Name: name,
		Kinds: []valuegraph.SignalKind{valuegraph.SignalTender, valuegraph.SignalAward}}, token)
	return err
}

// newDemoScorer scores with the active model version, or the built-in
// priors until one is trained, as the worker does.
func newDemoScorer(store *graph.Store) (*jobs.Scorer, error) {
	priors, err := scoring.Load(nil, "")
	if err != nil {
		return nil, err
	}
	return &jobs.Scorer{Graph: store, Models: &jobs.GraphModels{Store: store, Fallback: priors}}, nil
}
