package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/ingest"
)

func runShow(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	cfg.bind(fs, getenv)
	limit := fs.Int("limit", 20, "most signals, competitors and needs shown")
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: valuegraph show [flags] CUSTOMER_ID"); fs.PrintDefaults() }
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("show: want one customer id, got %d arguments", fs.NArg())
	}
	_, store, err := cfg.connect(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	n, err := store.Neighbourhood(ctx, fs.Arg(0), graph.NeighbourhoodOptions{Limit: *limit})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(n)
}

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	cfg.bind(fs, getenv)
	limit := fs.Int("limit", 10, "most hits shown")
	kinds := fs.String("kinds", "", "comma-separated: Customer, Competitor, Person (default all)")
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: valuegraph search [flags] TEXT"); fs.PrintDefaults() }
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("search: no text given")
	}
	_, store, err := cfg.connect(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	var ks []string
	if *kinds != "" {
		ks = strings.Split(*kinds, ",")
	}
	hits, err := store.SearchNames(ctx, strings.Join(fs.Args(), " "), ks, *limit)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCORE\tKIND\tID\tNAME")
	for _, h := range hits {
		fmt.Fprintf(tw, "%.2f\t%s\t%s\t%s\n", h.Score, h.Kind, h.ID, h.Name)
	}
	return tw.Flush()
}

func runReviews(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("reviews", flag.ContinueOnError)
	cfg.bind(fs, getenv)
	status := fs.String("status", "open", "open, accepted or rejected")
	limit := fs.Int("limit", 50, "most reviews shown")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	_, store, err := cfg.connect(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	reviews, err := store.Reviews(ctx, *status, *limit)
	if err != nil {
		return err
	}
	for _, r := range reviews {
		fmt.Fprintf(stdout, "%s  %q from %s: %s (provisional %s)\n", r.ID, r.Name, r.Source, r.Reason, r.ProvisionalID)
		for _, c := range r.Candidates {
			fmt.Fprintf(stdout, "    %.2f  %s %s  %s\n", c.Score, c.Kind, c.ID, c.Name)
		}
	}
	if len(reviews) == 0 {
		fmt.Fprintf(stdout, "no %s reviews\n", *status)
	}
	return nil
}

func runUnmerge(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("unmerge", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: valuegraph unmerge -customer ID [-name NAME]\n\nWithout -name, lists the names entity resolution merged into the customer;\nwith it, splits what arrived under that name off to an organisation of its own.")
		fs.PrintDefaults()
	}
	cfg.bind(fs, getenv)
	customer := fs.String("customer", "", "the customer a name was wrongly merged into")
	name := fs.String("name", "", "the name (as written) to split off; without it, list the merged names")
	actor := fs.String("actor", "cli:"+cmp.Or(getenv("USER"), "operator"), "who is recorded in the audit")
	enqueue := fs.Bool("enqueue", true, "enqueue rescoring of both customers (needs Redis)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if *customer == "" {
		fs.Usage()
		return fmt.Errorf("unmerge: -customer is required")
	}
	_, store, err := cfg.connect(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if *name == "" {
		own, merged, err := store.MergedNames(ctx, *customer)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s  %s\n", *customer, own)
		for _, m := range merged {
			from := ""
			if m.MergedFrom != "" {
				from = "  (review merge of " + m.MergedFrom + ")"
			}
			fmt.Fprintf(stdout, "  %-8s %.2f  %4d links  %s%s\n", m.Rule, m.Score, m.Links, m.Name, from)
		}
		return nil
	}
	w := &ingest.Writer{Graph: store, Matcher: ingest.NewMatcher(store, ingest.MatchOptions{})}
	closeJobs, err := cfg.rescoreFrom(ctx, w, store, *enqueue)
	if err != nil {
		return err
	}
	defer closeJobs()
	split, err := w.Unmerge(ctx, *customer, *name, *actor)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "moved %d links under %q from %s to %s\n", split.Links, split.Name, split.From, split.To)
	return nil
}
