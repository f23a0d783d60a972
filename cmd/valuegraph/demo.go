package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/jobs"
)

//go:embed demo.json
var demoJSON []byte

// demoPrefix marks every id of the demo dataset.
const demoPrefix = "demo-"

type dataset struct {
	Customers   []valuegraph.Customer   `json:"customers"`
	Competitors []valuegraph.Competitor `json:"competitors"`
	Needs       []valuegraph.Need       `json:"needs"`
	Offerings   []valuegraph.Offering   `json:"offerings"`
	People      []valuegraph.Person     `json:"people"`
	Signals     []valuegraph.Signal     `json:"signals"`
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	cfg.bind(fs, getenv)
	reset := fs.Bool("reset", false, "delete the demo data first")
	enqueue := fs.Bool("enqueue", true, "enqueue a rescoring of every demo customer (needs Redis and a worker)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	log, err := cfg.logger(stderr)
	if err != nil {
		return err
	}
	var d dataset
	dec := json.NewDecoder(bytes.NewReader(demoJSON))
	if err := dec.Decode(&d); err != nil {
		return fmt.Errorf("demo.json: %w", err)
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

	steps := []struct {
		what  string
		write func() (graph.WriteSummary, error)
	}{
		{"customers", func() (graph.WriteSummary, error) { return store.UpsertCustomers(ctx, d.Customers) }},
		{"competitors", func() (graph.WriteSummary, error) { return store.UpsertCompetitors(ctx, d.Competitors) }},
		{"needs", func() (graph.WriteSummary, error) { return store.UpsertNeeds(ctx, d.Needs) }},
		{"offerings", func() (graph.WriteSummary, error) { return store.UpsertOfferings(ctx, d.Offerings) }},
		{"people", func() (graph.WriteSummary, error) { return store.UpsertPeople(ctx, d.People) }},
		{"signals", func() (graph.WriteSummary, error) { return store.UpsertSignals(ctx, d.Signals) }},
	}
	for _, step := range steps {
		sum, err := step.write()
		if err != nil {
			return fmt.Errorf("demo %s: %w", step.what, err)
		}
		fmt.Fprintf(stdout, "%-12s created %d, updated %d, unchanged %d\n", step.what, sum.Created, sum.Updated, sum.Unchanged)
	}

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
		n, coalesced, err := jobs.NewClient(ac, jobs.ClientOptions{}).RescoreCustomers(ctx, ids...)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rescoring    %d tasks enqueued, %d coalesced with pending ones\n", n, coalesced)
	}
	fmt.Fprintf(stdout, "try: valuegraph show %s   |   valuegraph search 华信   |   GET /briefs/%s.md\n", d.Customers[0].ID, d.Customers[0].ID)
	return nil
}
