package graph

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// BenchmarkIngestThroughput writes N generated signals (each about one of
// N/10 customers; default 200k, VALUEGRAPH_BENCH_SIGNALS) three ways and
// reports each rate:
//
//   - ours: UpsertSignals, the store's writers (2) at once, with its
//     existence read, counts and link checks;
//   - bare: the same rows through the bare driver, the same UNWIND CREATE
//     statements with as many writers, and nothing else;
//   - import: the same rows as CSV through Neo4j's offline importer
//     (neo4j-admin database import full, org.neo4j.cli.AdminTool from the
//     launcher's Maven classpath) into an empty store: the physical limit.
//     Its rate is over the importer's own time ("IMPORT DONE in"); the JVM's
//     start and the CSV writing are reported apart. Without Java or the
//     classpath (scripts/services.sh builds it) it says why and is left out.
//
// It opens the real Neo4j from the environment (like graphtest, which this
// package cannot import).
//
//	go test -run '^$' -bench IngestThroughput -benchtime 1x ./graph/
func BenchmarkIngestThroughput(b *testing.B) {
	total := 200_000
	if v, err := strconv.Atoi(os.Getenv("VALUEGRAPH_BENCH_SIGNALS")); err == nil && v > 0 {
		total = v
	}
	ctx := context.Background()
	pw := os.Getenv("NEO4J_PASSWORD")
	if pw == "" {
		pw = "valuegraph-dev"
	}
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		uri = "bolt://127.0.0.1:7687"
	}
	s, err := Open(ctx, Config{URI: uri, Password: pw})
	if err != nil {
		b.Skip("neo4j unavailable:", err)
	}
	defer s.Close(ctx)
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := func(prefix string, n int) ([]valuegraph.Customer, []valuegraph.Signal) {
		customers := make([]valuegraph.Customer, max(n/10, 1))
		for i := range customers {
			customers[i] = valuegraph.Customer{ID: fmt.Sprintf("%sc%d", prefix, i), Name: fmt.Sprintf("客户%d", i)}
		}
		signals := make([]valuegraph.Signal, n)
		for i := range signals {
			signals[i] = valuegraph.Signal{ID: fmt.Sprintf("%ss%d", prefix, i), Kind: valuegraph.SignalCustoms,
				Title: "Customs IN HS 69072100", Source: prefix + "customs", Trust: valuegraph.TrustL2,
				OccurredAt: at.Add(time.Duration(i) * time.Second), Amount: float64(i%5000) + 0.5, Currency: "USD",
				CustomerIDs: []string{customers[i%len(customers)].ID}}
		}
		return customers, signals
	}
	// write writes n fresh rows the mode's way, then purges them, and
	// returns how long the writes took.
	write := func(mode string, n int) time.Duration {
		prefix := fmt.Sprintf("bench%d%s-", time.Now().UnixNano(), mode)
		customers, signals := rows(prefix, n)
		if _, err := s.UpsertCustomers(ctx, customers); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		written := 0
		switch mode {
		case "ours":
			for from := 0; from < n; from += 4 * s.batch {
				sum, err := s.UpsertSignals(ctx, signals[from:min(from+4*s.batch, n)])
				if err != nil {
					b.Fatal(err)
				}
				written += sum.Created
			}
		default: // a plain driver user with as many writers
			written = bareWrites(ctx, b, s, signals, s.writers)
		}
		took := time.Since(start)
		if written != n {
			b.Fatalf("%s wrote %d of %d", mode, written, n)
		}
		if err := s.Purge(ctx, prefix); err != nil {
			b.Fatal(err)
		}
		return took
	}
	// Both ways are warmed up first (query plans cached, the JVM's JIT and
	// the page cache warm): otherwise the first one timed pays for both.
	for _, mode := range []string{"ours", "bare"} {
		write(mode, min(total/10, 20_000))
	}
	for range b.N {
		for _, mode := range []string{"ours", "bare"} {
			took := write(mode, total)
			b.ReportMetric(float64(total)/took.Seconds(), mode+"_signals/s")
			fmt.Fprintf(os.Stderr, "%s: %d signals in %s (%.0f/s, %d writers)\n", mode, total, took.Round(time.Millisecond), float64(total)/took.Seconds(), s.writers)
		}
		customers, signals := rows("import-", total)
		imported, wall, err := offlineImport(b.TempDir(), customers, signals)
		if err != nil {
			fmt.Fprintf(os.Stderr, "import: not measured: %v\n", err)
			continue
		}
		b.ReportMetric(float64(total)/imported.Seconds(), "import_signals/s")
		b.ReportMetric(wall.Seconds(), "import_wall_s")
		fmt.Fprintf(os.Stderr, "import: %d signals in %s by the importer's clock (%.0f/s), %s with the JVM's start\n",
			total, imported.Round(time.Millisecond), float64(total)/imported.Seconds(), wall.Round(time.Millisecond))
	}
}

// bareWrites writes signals in batches of the store's size, writers at once.
func bareWrites(ctx context.Context, b *testing.B, s *Store, signals []valuegraph.Signal, writers int) int {
	batches := make(chan []valuegraph.Signal)
	var wg sync.WaitGroup
	var mu sync.Mutex
	written := 0
	for range max(writers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range batches {
				rows, err := NewSignalRows(batch)
				if err != nil {
					b.Error(err)
					continue
				}
				n := bareWrite(ctx, b, s, rows)
				mu.Lock()
				written += n
				mu.Unlock()
			}
		}()
	}
	for from := 0; from < len(signals); from += s.batch {
		batches <- signals[from:min(from+s.batch, len(signals))]
	}
	close(batches)
	wg.Wait()
	return written
}

// bareWrite runs the statements a batch of new signals needs, as a driver
// user would: sources, then CREATE with EMITTED and ABOUT, in one
// transaction; no existence read, no counts, no link checks.
func bareWrite(ctx context.Context, b *testing.B, s *Store, rows *SignalRows) int {
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	now := time.Now().UTC()
	_, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (any, error) {
		if _, err := tx.Run(ctx, cypherMergeSources, map[string]any{"sources": rows.Sources, "now": now}); err != nil {
			return nil, err
		}
		res, err := tx.Run(ctx, cypherCreateSignals, map[string]any{"rows": rows.Rows, "now": now})
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	})
	if err != nil {
		b.Error(err)
		return 0
	}
	return len(rows.Rows)
}

// offlineImport writes the rows as the importer's CSV files (customers,
// sources, signals with the properties the UNWIND sets, ABOUT and EMITTED)
// and imports them into an empty store under dir. It returns the
// importer's own time and the wall time of its process.
func offlineImport(dir string, customers []valuegraph.Customer, signals []valuegraph.Signal) (imported, wall time.Duration, err error) {
	java, err := exec.LookPath("java")
	if err != nil {
		return 0, 0, fmt.Errorf("no java on PATH: %w", err)
	}
	cp, err := os.ReadFile(filepath.Join("..", "tools", "neo4j", "target", "classpath.txt"))
	if err != nil {
		return 0, 0, fmt.Errorf("the Neo4j launcher's classpath (scripts/services.sh up builds it): %w", err)
	}
	now := time.Now().UTC().Format(time.RFC3339)
	files := map[string][][]string{
		"customers.csv": {{"id:ID(Customer-ID)", "name", ":LABEL"}},
		"sources.csv":   {{"id:ID(Source-ID)", "trust:int", "createdAt:datetime", ":LABEL"}},
		"signals.csv": {{"id:ID(Signal-ID)", "kind", "title", "source", "trust:int", "occurredAt:datetime", "contentHash",
			"amount:double", "currency", "ingestedAt:datetime", ":LABEL"}},
		"about.csv":   {{":START_ID(Signal-ID)", ":END_ID(Customer-ID)", "rule", "score:double", ":TYPE"}},
		"emitted.csv": {{":START_ID(Source-ID)", ":END_ID(Signal-ID)", ":TYPE"}},
	}
	for _, c := range customers {
		files["customers.csv"] = append(files["customers.csv"], []string{c.ID, c.Name, "Customer"})
	}
	sources := map[string]bool{}
	for _, sig := range signals {
		if !sources[sig.Source] {
			sources[sig.Source] = true
			files["sources.csv"] = append(files["sources.csv"], []string{sig.Source, strconv.Itoa(int(sig.Trust)), now, "Source"})
		}
		files["signals.csv"] = append(files["signals.csv"], []string{sig.ID, string(sig.Kind), sig.Title, sig.Source, strconv.Itoa(int(sig.Trust)),
			sig.OccurredAt.UTC().Format(time.RFC3339), sig.Hash(), strconv.FormatFloat(sig.Amount, 'f', -1, 64), sig.Currency, now, "Signal"})
		files["emitted.csv"] = append(files["emitted.csv"], []string{sig.Source, sig.ID, "EMITTED"})
		for _, c := range sig.CustomerIDs {
			files["about.csv"] = append(files["about.csv"], []string{sig.ID, c, "given", "1", "ABOUT"})
		}
	}
	for name, records := range files {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return 0, 0, err
		}
		w := bufio.NewWriter(f)
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(records); err != nil {
			f.Close()
			return 0, 0, err
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return 0, 0, err
		}
		if err := f.Close(); err != nil {
			return 0, 0, err
		}
	}
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(filepath.Join(home, "conf"), 0o755); err != nil {
		return 0, 0, err
	}
	if err := os.WriteFile(filepath.Join(home, "conf", "neo4j.conf"), nil, 0o644); err != nil {
		return 0, 0, err
	}
	// The database name before the options: --nodes takes every argument
	// after it that is not an option.
	cmd := exec.Command(java, "-Xmx1g", "-cp", strings.TrimSpace(string(cp)), "org.neo4j.cli.AdminTool",
		"database", "import", "full", "neo4j", "--report-file="+filepath.Join(dir, "import.report"),
		"--nodes="+filepath.Join(dir, "customers.csv"), "--nodes="+filepath.Join(dir, "sources.csv"), "--nodes="+filepath.Join(dir, "signals.csv"),
		"--relationships="+filepath.Join(dir, "about.csv"), "--relationships="+filepath.Join(dir, "emitted.csv"))
	cmd.Env = append(os.Environ(), "NEO4J_HOME="+home, "NEO4J_CONF="+filepath.Join(home, "conf"))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall = time.Since(start)
	if err != nil {
		return 0, wall, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args[:6], " "), err, tail(out, 2000))
	}
	m := regexp.MustCompile(`IMPORT DONE in ([0-9hms ]+)\.`).FindSubmatch(out)
	if m == nil {
		return 0, wall, fmt.Errorf("importer said no IMPORT DONE:\n%s", tail(out, 2000))
	}
	if imported, err = importerDuration(string(m[1])); err != nil {
		return 0, wall, err
	}
	if want := fmt.Sprintf("%d nodes", len(customers)+len(signals)+len(sources)); !strings.Contains(string(out), want) {
		return 0, wall, fmt.Errorf("importer did not report %s:\n%s", want, tail(out, 2000))
	}
	return imported, wall, nil
}

// importerDuration reads the importer's "1m 2s 345ms".
func importerDuration(s string) (time.Duration, error) {
	var d time.Duration
	for _, f := range strings.Fields(s) {
		unit := strings.TrimLeft(f, "0123456789")
		n, err := strconv.Atoi(strings.TrimSuffix(f, unit))
		if err != nil {
			return 0, fmt.Errorf("importer's time %q: %w", s, err)
		}
		switch unit {
		case "h":
			d += time.Duration(n) * time.Hour
		case "m":
			d += time.Duration(n) * time.Minute
		case "s":
			d += time.Duration(n) * time.Second
		case "ms":
			d += time.Duration(n) * time.Millisecond
		default:
			return 0, fmt.Errorf("importer's time %q: unit %q", s, unit)
		}
	}
	return d, nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
