package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/ingest"
)

// sharedKinds says how `valuegraph ingest` reads each folder of the real
// samples in ../shared/data (the demo ingests them all). Every file there
// is either here or in notIngested, with the reason: TestEveryRealFile
// fails on a file that is neither, so a new sample cannot be skipped by
// accident.
var sharedKinds = []struct{ kind, glob string }{
	{"notices", "tenders-cn/*"},
	{"notices", "tenders-cn-more/*"},
	{"ocds", "ocds/*/*/*"},
	{"customs", "customs/*"},
	{"forum", "forums/*"},
}

var notIngested = map[string]string{
	"companies-cn": "lists of listed companies' names: the reference entity resolution is measured against (ingest's TestResolutionQuality), not a source",
	"brands":       "brand dictionaries the forum extractor is built from, not a source",
}

// realSources names the Source the demo files a kind of sample under where
// ingest's default would share one with demo.json's invented signals
// (demo-customs, demo-forum): the real ones are the publishers' (the customs
// samples are aaziko exports, the posts V2EX's; see each PROVENANCE.md).
// Notices keep their site's name, OCDS "ocds".
var realSources = map[string]string{"customs": "aaziko", "forum": "v2ex"}

// realKindFiles are the files of one kind of real sample.
type realKindFiles struct {
	Kind  string
	Files []string
}

// realFiles lists, kind by kind in the order of sharedKinds, the files of
// dir that `valuegraph ingest` reads: those sharedKinds selects, without
// their PROVENANCE.md and LICENSE files. A kind none of whose globs match
// is an error naming the folder, so a moved sample does not go quietly
// missing from the demo.
func realFiles(dir string) ([]realKindFiles, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("real data %s: not a directory", dir)
	}
	var out []realKindFiles
	for _, sk := range sharedKinds {
		files, err := filepath.Glob(filepath.Join(dir, sk.glob))
		if err != nil {
			return nil, fmt.Errorf("real data %s: %w", sk.glob, err)
		}
		files = slices.DeleteFunc(files, func(f string) bool {
			st, err := os.Stat(f)
			return err != nil || !st.Mode().IsRegular() || strings.HasSuffix(f, ".md") || filepath.Base(f) == "LICENSE"
		})
		if len(files) == 0 {
			return nil, fmt.Errorf("real data %s: no file matches %s", dir, sk.glob)
		}
		if n := len(out); n > 0 && out[n-1].Kind == sk.kind {
			out[n-1].Files = append(out[n-1].Files, files...)
			continue
		}
		out = append(out, realKindFiles{Kind: sk.kind, Files: files})
	}
	return out, nil
}

// realStep is what ingesting one kind of real sample did.
type realStep struct {
	Kind     string
	Files    int
	Summary  ingest.Summary
	Rejected []string // the first few rejections, with file and position
	Took     time.Duration
}

// loadRealData ingests every real sample file under dir, kind by kind, as
// `valuegraph ingest -kind K -namespace ns` would, asking jobs (nil: no
// one) to rescore the customers each batch touched. A second load of the
// same files reports every record unchanged and changes nothing.
func loadRealData(ctx context.Context, store *graph.Store, dir, ns string, jobs ingest.Enqueuer, log *slog.Logger) ([]realStep, error) {
	kinds, err := realFiles(dir)
	if err != nil {
		return nil, err
	}
	var out []realStep
	for _, k := range kinds {
		parser, err := newParser(k.Kind, parserOptions{Source: realSources[k.Kind]})
		if err != nil {
			return out, err
		}
		w := &ingest.Writer{Graph: store, Matcher: ingest.NewMatcher(store, ingest.MatchOptions{Namespace: ns}), Jobs: jobs, Logger: log, Namespace: ns}
		step := realStep{Kind: k.Kind, Files: len(k.Files)}
		start := time.Now()
		sum, err := ingest.Run(ctx, parser, w, k.Files, ingest.RunOptions{Reject: func(err error) {
			if len(step.Rejected) < 3 {
				step.Rejected = append(step.Rejected, err.Error())
			}
		}})
		step.Summary, step.Took = sum, time.Since(start)
		out = append(out, step)
		if err != nil {
			return out, fmt.Errorf("real %s: %w", k.Kind, err)
		}
	}
	return out, nil
}

// printRealSteps prints one line per kind, with the counts `valuegraph
// ingest` prints, and a few of the rejections.
func printRealSteps(w io.Writer, dir string, steps []realStep) {
	for _, s := range steps {
		fmt.Fprintf(w, "real %-7s %d files of %s: read %d: created %d, merged %d, unchanged %d, incomplete %d, rejected %d in %s\n",
			s.Kind, s.Files, dir, s.Summary.Read, s.Summary.Created, s.Summary.Merged, s.Summary.Unchanged, s.Summary.Incomplete,
			s.Summary.Rejected, s.Took.Round(time.Millisecond))
		for _, r := range s.Rejected {
			fmt.Fprintf(w, "  rejected: %s\n", r)
		}
		if s.Summary.Rejected > len(s.Rejected) {
			fmt.Fprintf(w, "  … %d rejected in all: valuegraph ingest -kind %s -dry-run FILE says why for each\n", s.Summary.Rejected, s.Kind)
		}
	}
}
