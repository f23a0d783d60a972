package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph/graph/graphtest"
)

const sharedData = "../../../shared/data"

// record is one line of `ingest -dry-run`.
type record struct {
	File     string `json:"file"`
	Position int    `json:"position"`
	Status   string `json:"status"`
	Problems []struct {
		Field  string `json:"field"`
		Reason string `json:"reason"`
	} `json:"problems"`
}

var summaryRe = regexp.MustCompile(`read (\d+): created (\d+), merged (\d+), unchanged (\d+), incomplete (\d+), rejected (\d+)`)

// TestEveryRealFile reads every file in ../shared/data as a user would:
// a dry run first (every record accounted for, at its own position), then
// an ingest into a sandbox whose summary adds up, then the same ingest again,
// which must change no node, relationship or property.
func TestEveryRealFile(t *testing.T) {
	covered := map[string]bool{}
	for _, sk := range sharedKinds {
		files, _ := filepath.Glob(filepath.Join(sharedData, sk.glob))
		for _, f := range files {
			covered[f] = true
		}
	}
	filepath.WalkDir(sharedData, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".md") || filepath.Base(path) == "LICENSE" {
			return err
		}
		rel, _ := filepath.Rel(sharedData, path)
		if _, skip := notIngested[strings.Split(rel, string(filepath.Separator))[0]]; !skip && !covered[path] {
			t.Errorf("%s is in ../shared/data but no kind reads it: add it to sharedKinds or notIngested", rel)
		}
		return nil
	})

	s := graphtest.MustOpen(t)
	env := testEnv(nil)
	ctx := context.Background()
	for _, sk := range sharedKinds {
		files, _ := filepath.Glob(filepath.Join(sharedData, sk.glob))
		files = slices.DeleteFunc(files, func(f string) bool { return strings.HasSuffix(f, ".md") })
		if len(files) == 0 {
			t.Errorf("%s: no files", sk.glob)
			continue
		}
		t.Run(strings.ReplaceAll(sk.glob, "/", "_"), func(t *testing.T) {
			for _, f := range files {
				checkDryRun(t, ctx, env, sk.kind, f)
			}
			ns := graphtest.Prefix(t, s)
			args := append([]string{"ingest", "-kind", sk.kind, "-namespace", ns, "-enqueue=false", "-quiet"}, files...)
			first := ingestSummary(t, ctx, env, args)
			if first[0] == 0 {
				t.Fatalf("first ingest read nothing")
			}
			before, err := s.Footprint(ctx, ns)
			if err != nil {
				t.Fatal(err)
			}
			second := ingestSummary(t, ctx, env, args)
			if second[0] != first[0] || second[1] != 0 || second[2] != 0 {
				t.Errorf("second ingest: read %d, created %d, merged %d; want %d read, nothing created or merged", second[0], second[1], second[2], first[0])
			}
			after, err := s.Footprint(ctx, ns)
			if err != nil {
				t.Fatal(err)
			}
			if diff := before.Diff(after); len(diff) > 0 {
				t.Errorf("a second ingest changed the graph (%d nodes, %d relationships, %d properties, %d reviews before; %d, %d, %d, %d after):\n  %s",
					before.Nodes, before.Relationships, before.Properties, before.Reviews, after.Nodes, after.Relationships, after.Properties, after.Reviews, excerpt(diff))
			}
		})
	}
}

// checkDryRun runs `ingest -dry-run` on one file and checks that every
// record is on a line of its own with a status, that incomplete and rejected
// ones say why, and that no record of the file is missing from the output.
func checkDryRun(t *testing.T, ctx context.Context, env func(string) string, kind, file string) {
	t.Helper()
	var out, errOut strings.Builder
	err := Run(ctx, []string{"ingest", "-kind", kind, "-dry-run", file}, &out, &errOut, env)
	if err != nil && !errors.Is(err, errRejected) {
		t.Fatalf("%s: dry run: %v\n%s", file, err, errOut.String())
	}
	var recs []record
	positions := map[int]bool{}
	for i, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if line == "" {
			continue
		}
		var r record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%s: dry-run line %d is not JSON: %v: %.200s", file, i+1, err, line)
		}
		switch {
		case r.Status != "ok" && r.Status != "incomplete" && r.Status != "rejected":
			t.Errorf("%s:%d: status %q", file, r.Position, r.Status)
		case r.Status != "ok" && len(r.Problems) == 0:
			t.Errorf("%s:%d: %s without a problem saying why", file, r.Position, r.Status)
		}
		for _, p := range r.Problems {
			if strings.TrimSpace(p.Reason) == "" {
				t.Errorf("%s:%d: a problem without a reason (field %q)", file, r.Position, p.Field)
			}
		}
		recs = append(recs, r)
		positions[r.Position] = true
	}
	m := regexp.MustCompile(`read (\d+): ok (\d+), incomplete (\d+), rejected (\d+)`).FindStringSubmatch(errOut.String())
	if m == nil {
		t.Fatalf("%s: no dry-run summary on stderr: %s", file, errOut.String())
	}
	n := atois(m[1:])
	if n[0] != n[1]+n[2]+n[3] || n[0] != len(recs) {
		t.Errorf("%s: summary %q does not add up to the %d records printed", file, m[0], len(recs))
	}
	// Records the file holds, counted without the parser: every one must
	// be printed, as read or rejected.
	var missing []string
	for _, line := range recordLines(t, kind, file) {
		if !positions[line] {
			missing = append(missing, strconv.Itoa(line))
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s: %d records the dry run does not account for, on lines %s", file, len(missing), excerpt(missing))
	}
	if want := recordCount(t, kind, file); len(recs) < want {
		t.Errorf("%s: %d records printed, want at least the %d the file holds", file, len(recs), want)
	}
}

// recordLines lists the lines records start on, for line-based formats.
func recordLines(t *testing.T, kind, file string) []int {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []int
	switch {
	case kind == "forum":
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 64<<20)
		for n := 1; sc.Scan(); n++ {
			if strings.TrimSpace(sc.Text()) != "" {
				lines = append(lines, n)
			}
		}
	case kind == "customs" && strings.HasSuffix(file, ".csv"):
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		for i := 0; ; i++ {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if line, _ := r.FieldPos(0); i > 0 && strings.TrimSpace(strings.Join(rec, "")) != "" {
				lines = append(lines, line)
			}
		}
	}
	return lines
}

// recordCount is how many records a file holds at least: releases and
// records for OCDS, one notice per notice file.
func recordCount(t *testing.T, kind, file string) int {
	t.Helper()
	switch kind {
	case "notices":
		return 1
	case "ocds":
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var pkg struct {
			Releases []json.RawMessage `json:"releases"`
			Records  []json.RawMessage `json:"records"`
		}
		if json.Unmarshal(b, &pkg) != nil {
			return 1
		}
		return max(1, len(pkg.Releases)+len(pkg.Records))
	}
	return 0
}

func ingestSummary(t *testing.T, ctx context.Context, env func(string) string, args []string) []int {
	t.Helper()
	var out, errOut strings.Builder
	if err := Run(ctx, args, &out, &errOut, env); err != nil && !errors.Is(err, errRejected) {
		t.Fatalf("ingest: %v\n%s", err, errOut.String())
	}
	if strings.Contains(out.String(), "warning:") {
		t.Errorf("ingest: %s", out.String())
	}
	m := summaryRe.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no summary in %q", out.String())
	}
	n := atois(m[1:])
	if n[0] != n[1]+n[2]+n[3]+n[4]+n[5] {
		t.Errorf("summary %q does not add up", m[0])
	}
	return n
}

func atois(ss []string) []int {
	out := make([]int, len(ss))
	for i, s := range ss {
		out[i], _ = strconv.Atoi(s)
	}
	return out
}

func excerpt(lines []string) string {
	if len(lines) > 5 {
		return strings.Join(lines[:5], "\n  ") + "\n  … " + strconv.Itoa(len(lines)-5) + " more"
	}
	return strings.Join(lines, "\n  ")
}
