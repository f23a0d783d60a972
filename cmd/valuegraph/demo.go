package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph/demo"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/jobs"
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

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	cfg.bind(fs, getenv)
	reset := fs.Bool("reset", false, "delete the demo data first")
	enqueue := fs.Bool("enqueue", true, "enqueue a rescoring of every demo customer (needs Redis and a worker)")
	customers := fs.Int("customers", demo.DefaultCustomers, "generated customers, beside the hand-written ones of demo.json")
	seed := fs.Uint64("seed", demo.DefaultSeed, "seed of the generated data: the same seed gives the same data")
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

	if *enqueue {
		rc, err := cfg.openRedis(ctx)
		if err != nil {
			return err
		}
		defer rc.Close()
		ac := asynq.NewClientFromRedisClient(rc)
		ids := make([]string, len(d.Customers))
		for i, c := range d.Customers {
			ids[i] = c.ID
		}
		q, err := jobs.NewClient(ac, jobs.ClientOptions{Outbox: store}).RescoreCustomers(ctx, ids...)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rescoring    %d tasks enqueued, %d coalesced with pending ones, %d kept for the worker (Redis did not answer)\n", q.Enqueued, q.Coalesced, q.Pending)
	}
	fmt.Fprintf(stdout, "try: valuegraph show %s   |   valuegraph search 华信   |   GET /briefs/%s.md\n", d.Customers[0].ID, d.Customers[0].ID)
	return nil
}
