package ingest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/ingest"
)

// ocdsPublishers lists the real OCDS files by publisher folder.
func ocdsPublishers(t *testing.T) map[string][]string {
	t.Helper()
	files, _ := filepath.Glob("../../shared/data/ocds/*/*/*.json")
	if len(files) < 50 {
		t.Fatalf("found %d OCDS sample files, want the whole sample", len(files))
	}
	out := map[string][]string{}
	for _, f := range files {
		p := filepath.Base(filepath.Dir(filepath.Dir(f)))
		out[p] = append(out[p], f)
	}
	return out
}

// TestOCDSSecondIngestChangesNothing ingests each publisher's files, and
// then all of them together, twice into a fresh namespace, and compares
// everything the namespace holds after each run: nodes, relationships, the
// keys on both, reviews, and every property's value.
func TestOCDSSecondIngestChangesNothing(t *testing.T) {
	sets := ocdsPublishers(t)
	var all []string
	for _, files := range sets {
		all = append(all, files...)
	}
	slices.Sort(all)
	sets["all"] = all
	// Shapes the real files lack, built after the OCDS schema (testdata).
	fixtures, _ := filepath.Glob("testdata/ocds_*.json")
	lines, _ := filepath.Glob("testdata/ocds_*.jsonl")
	sets["fixtures"] = append(fixtures, lines...)
	names := make([]string, 0, len(sets))
	for n := range sets {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		batch := 50
		if name == "fixtures" {
			batch = 1 // a process's releases in different batches
		}
		t.Run(name, func(t *testing.T) {
			s, w, ns := sandbox(t)
			first, _ := runBatches(t, w, batch, sets[name]...)
			before := footprint(t, s, ns)
			again, _ := runBatches(t, w, batch, sets[name]...)
			after := footprint(t, s, ns)
			t.Logf("%s: %d files; first %+v; second %+v; footprint %d nodes, %d relationships, %d properties, %d reviews",
				name, len(sets[name]), first, again, before.Nodes, before.Relationships, before.Properties, before.Reviews)
			if before.Nodes != after.Nodes || before.Relationships != after.Relationships ||
				before.Properties != after.Properties || before.Reviews != after.Reviews {
				t.Errorf("second ingest changed the counts: nodes %d -> %d, relationships %d -> %d, properties %d -> %d, reviews %d -> %d",
					before.Nodes, after.Nodes, before.Relationships, after.Relationships, before.Properties, after.Properties, before.Reviews, after.Reviews)
			}
			for _, d := range diffFootprints(before, after) {
				t.Error(d)
			}
			if again.Created != 0 || again.Merged != 0 {
				t.Errorf("second ingest wrote signals: %+v", again)
			}
		})
	}
}

// runBatches ingests files in batches of n items.
func runBatches(t *testing.T, w *ingest.Writer, n int, files ...string) (ingest.Summary, []error) {
	t.Helper()
	var bad []error
	sum, err := ingest.Run(context.Background(), ingest.OCDS{}, w, files, ingest.RunOptions{BatchSize: n, Reject: func(e error) { bad = append(bad, e) }})
	if err != nil {
		t.Fatal(err)
	}
	w.Matcher.Forget()
	return sum, bad
}

func footprint(t *testing.T, s *graph.Store, ns string) graph.Footprint {
	t.Helper()
	f, err := s.Footprint(context.Background(), ns)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// diffFootprints names what was added, removed or changed, at most 20.
func diffFootprints(a, b graph.Footprint) []string {
	var out []string
	for k, v := range b.Entries {
		old, ok := a.Entries[k]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("added %s {%s}", k, strings.TrimSpace(v)))
		case old != v:
			out = append(out, fmt.Sprintf("changed %s:\n  before {%s}\n  after  {%s}", k, strings.TrimSpace(old), strings.TrimSpace(v)))
		}
	}
	for k, v := range a.Entries {
		if _, ok := b.Entries[k]; !ok {
			out = append(out, fmt.Sprintf("removed %s {%s}", k, strings.TrimSpace(v)))
		}
	}
	slices.Sort(out)
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("... and %d more", len(out)-20))
	}
	return out
}
