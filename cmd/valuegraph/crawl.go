package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/ingest"
)

// runCrawl runs sources once and ingests what they find.
func runCrawl(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	cfg.bind(fs, getenv)
	sourcesFile := fs.String("sources", env(getenv, "VALUEGRAPH_SOURCES", "sources.yaml"), "YAML file of sources (VALUEGRAPH_SOURCES); docs/sources.example.yaml shows one")
	only := fs.String("source", "", "run only this source")
	enqueue := fs.Bool("enqueue", true, "ask the worker to rescore the customers the crawl touched (needs Redis)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	sources, err := crawlers.LoadSourcesFile(*sourcesFile)
	if err != nil {
		return err
	}
	log, store, err := cfg.connect(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	w := &ingest.Writer{Graph: store, Matcher: ingest.NewMatcher(store, ingest.MatchOptions{}), Logger: log}
	closeJobs, err := cfg.rescoreFrom(ctx, w, store, *enqueue)
	if err != nil {
		return err
	}
	defer closeJobs()
	ran := 0
	for _, src := range sources {
		if *only != "" && src.Name != *only {
			continue
		}
		ran++
		c := &crawlers.Crawler{State: store, Logger: log}
		fmt.Fprintf(stderr, "crawling %s (%s)…\n", src.Name, strings.Join(src.Seeds, ", "))
		rep, total, err := c.Ingest(ctx, src, w, func(e error) { fmt.Fprintln(stderr, "rejected:", e) })
		if err != nil {
			return fmt.Errorf("crawl %s: %w", src.Name, err)
		}
		fmt.Fprintf(stdout, "%s: %d pages fetched, %d not modified, %d unchanged, %d records read, %d rejected; records created %d, merged %d, unchanged %d, incomplete %d\n",
			src.Name, rep.Pages, rep.NotModified, rep.Unchanged, rep.Records, rep.Rejected, total.Created, total.Merged, total.Unchanged, total.Incomplete)
		reasons := make([]string, 0, len(rep.Skipped))
		for r := range rep.Skipped {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		for _, r := range reasons {
			fmt.Fprintf(stdout, "  not fetched (%s): %d, e.g. %s\n", r, len(rep.Skipped[r]), rep.Skipped[r][0])
		}
		for _, e := range rep.Errors {
			fmt.Fprintln(stdout, "  error:", e)
		}
		if rep.Flagged != "" {
			fmt.Fprintln(stdout, "  FLAGGED:", rep.Flagged)
		}
	}
	if ran == 0 {
		return fmt.Errorf("-source: no source named %q in %s", *only, *sourcesFile)
	}
	return nil
}
