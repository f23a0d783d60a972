package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/ingest"
)

// errRejected makes `valuegraph ingest` exit 3 when it finished but some
// records were rejected, so scripts can tell that from a failure.
var errRejected = errors.New("some records were rejected")

var ingestKinds = []string{"ocds", "customs", "notices", "forum", "crm-accounts", "crm-contacts", "orders", "tickets", "activities", "opportunities"}

func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	cfg.bind(fs, getenv)
	kind := fs.String("kind", "", "what the files are: "+strings.Join(ingestKinds, ", "))
	source := fs.String("source", "", "the Source id the signals are filed under (default: by kind)")
	layouts := fs.String("layouts", "", "customs: a YAML file of column layouts (default: the built-in ones)")
	layout := fs.String("layout", "", "customs: use this layout instead of matching headers")
	lexicon := fs.String("lexicon", "", "forum: a YAML lexicon of vendors, needs and intents (default: the built-in one)")
	customer := fs.String("customer", "", "forum: the customer id every post is about (a customer's own community)")
	noticeLabels := fs.String("notice-labels", "", "notices: a YAML file of label conventions laid over the built-in ones (see docs/INGEST.md)")
	batch := fs.Int("batch", 10000, "records per write")
	enqueue := fs.Bool("enqueue", true, "ask the worker to rescore the customers each batch touched (needs Redis)")
	autoT := fs.Float64("merge-threshold", 0.92, "entity resolution: fuzzy score at which names merge")
	reviewT := fs.Float64("review-threshold", 0.75, "entity resolution: fuzzy score at which a match goes to review")
	quiet := fs.Bool("quiet", false, "no progress output")
	dryRun := fs.Bool("dry-run", false, "parse, normalise and extract as an ingest would, write nothing: one JSON object per record on standard output (docs/INGEST.md), the summary on standard error")
	namespace := fs.String("namespace", "", "a trial ingest: put every id under this prefix, resolve only against what is under it (a sandbox to look at, then drop)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: valuegraph ingest -kind KIND [flags] FILE...")
		fs.PrintDefaults()
	}
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if !slices.Contains(ingestKinds, *kind) {
		fs.Usage()
		return fmt.Errorf("-kind: %q is not one of %s", *kind, strings.Join(ingestKinds, ", "))
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("ingest: no files given")
	}
	if *reviewT <= 0 || *autoT > 1 || *reviewT >= *autoT {
		return fmt.Errorf("-review-threshold (%v) must be above 0 and below -merge-threshold (%v), which is at most 1", *reviewT, *autoT)
	}
	parser, err := newParser(*kind, parserOptions{Source: *source, Layout: *layout, LayoutsFile: *layouts, LexiconFile: *lexicon,
		Customer: *customer, NoticeLabelsFile: *noticeLabels})
	if err != nil {
		return err
	}

	if *dryRun {
		return previewIngest(ctx, parser, fs.Args(), stdout, stderr)
	}

	log, store, err := cfg.connect(ctx, stderr)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	if *namespace != "" && len(*namespace) < 3 {
		return fmt.Errorf("-namespace: %q is too short to be a safe prefix (3 characters at least)", *namespace)
	}
	w := &ingest.Writer{Graph: store, Matcher: ingest.NewMatcher(store, ingest.MatchOptions{AutoThreshold: *autoT, ReviewThreshold: *reviewT, Namespace: *namespace}),
		Logger: log, Namespace: *namespace}
	closeJobs, err := cfg.rescoreFrom(ctx, w, store, *enqueue)
	if err != nil {
		return err
	}
	defer closeJobs()

	tty := isTerminal(stderr) && !*quiet
	const maxShown = 50
	shown := 0
	opts := ingest.RunOptions{
		BatchSize: *batch,
		Reject: func(err error) {
			if shown < maxShown {
				fmt.Fprintln(stderr, "rejected:", err)
			} else if shown == maxShown {
				fmt.Fprintf(stderr, "rejected: … (only the first %d are shown; the summary counts them all)\n", maxShown)
			}
			shown++
		},
		Progress: func(p ingest.Progress) {
			if *quiet || (!tty && !p.Done) {
				return
			}
			rate := float64(p.Records) / max(p.Elapsed.Seconds(), 0.001)
			line := fmt.Sprintf("%s: %d records, %.0f/s", p.File, p.Records, rate)
			if p.Size > 0 {
				line = fmt.Sprintf("%s %s %3.0f%%, %d records, %.0f/s", p.File, bar(float64(p.Bytes)/float64(p.Size), 24), 100*float64(p.Bytes)/float64(p.Size), p.Records, rate)
			}
			if tty {
				fmt.Fprintf(stderr, "\r\033[K%s", line)
				if p.Done {
					fmt.Fprintln(stderr)
				}
			} else {
				fmt.Fprintln(stderr, line)
			}
		},
	}
	start := time.Now()
	sum, err := ingest.Run(ctx, parser, w, fs.Args(), opts)
	printSummary(stdout, sum, time.Since(start))
	if err != nil {
		// The counts are of the batches seen committed; the one in flight
		// may be in the graph or not. Running again settles it exactly.
		fmt.Fprintln(stdout, "stopped: the batch being written when it failed may or may not be in the graph; run the same ingest again: it writes only what is missing")
		return err
	}
	if sum.Rejected > 0 {
		return fmt.Errorf("%d of %d records rejected (see above): %w", sum.Rejected, sum.Read, errRejected)
	}
	return nil
}

// parserOptions are ingest's flags that say how to read a kind of file;
// zero values take the built-in defaults.
type parserOptions struct {
	Source           string // the Source id the signals are filed under (default: by kind)
	Layout           string // customs: this layout instead of matching headers
	LayoutsFile      string // customs: YAML column layouts
	LexiconFile      string // forum: YAML lexicon
	Customer         string // forum: the customer every post is about
	NoticeLabelsFile string // notices: YAML label conventions over the built-in ones
}

// newParser returns the parser of one of ingestKinds.
func newParser(kind string, o parserOptions) (ingest.Parser, error) {
	switch kind {
	case "ocds":
		return ingest.OCDS{Source: o.Source}, nil
	case "customs":
		c := ingest.Customs{Source: o.Source, Layout: o.Layout}
		if o.LayoutsFile != "" {
			ls, err := ingest.LoadCustomsLayoutsFile(o.LayoutsFile)
			if err != nil {
				return nil, err
			}
			c.Layouts = ls
		}
		return c, nil
	case "notices":
		n := crawlers.SavedNotices{Source: o.Source}
		if o.NoticeLabelsFile != "" {
			l, err := crawlers.LoadNoticeLabelsFile(o.NoticeLabelsFile)
			if err != nil {
				return nil, err
			}
			n.Labels = l
		}
		return n, nil
	case "forum":
		f := ingest.Forum{Source: o.Source, CustomerID: o.Customer}
		if o.LexiconFile != "" {
			x, err := ingest.LoadLexiconFile(o.LexiconFile)
			if err != nil {
				return nil, err
			}
			f.Extractor = x
		}
		return f, nil
	}
	if !slices.Contains(ingestKinds, kind) {
		return nil, fmt.Errorf("-kind: %q is not one of %s", kind, strings.Join(ingestKinds, ", "))
	}
	return ingest.CRM{Kind: kind, Source: o.Source}, nil
}

// previewIngest is `ingest -dry-run`: no graph, no Redis; records on stdout.
func previewIngest(ctx context.Context, parser ingest.Parser, files []string, stdout, stderr io.Writer) error {
	preview := ingest.NewPreview(stdout)
	start := time.Now()
	sum, err := ingest.RunInto(ctx, parser, preview, files, ingest.RunOptions{Reject: preview.Reject})
	if ferr := preview.Flush(ctx); err == nil {
		err = ferr
	}
	fmt.Fprintf(stderr, "dry run: read %d: ok %d, incomplete %d, rejected %d in %s (nothing written)\n",
		sum.Read, sum.Created, sum.Incomplete, sum.Rejected, time.Since(start).Round(time.Millisecond))
	if err != nil {
		return err
	}
	if sum.Rejected > 0 {
		return fmt.Errorf("%d of %d records rejected: %w", sum.Rejected, sum.Read, errRejected)
	}
	return nil
}

func printSummary(w io.Writer, s ingest.Summary, took time.Duration) {
	fmt.Fprintf(w, "read %d: created %d, merged %d, unchanged %d, incomplete %d, rejected %d in %s\n",
		s.Read, s.Created, s.Merged, s.Unchanged, s.Incomplete, s.Rejected, took.Round(time.Millisecond))
	if err := s.Check(); err != nil {
		fmt.Fprintf(w, "warning: %v\n", err)
	}
	if len(s.Orgs) > 0 {
		rules := make([]string, 0, len(s.Orgs))
		for r := range s.Orgs {
			rules = append(rules, r)
		}
		sort.Strings(rules)
		parts := make([]string, len(rules))
		for i, r := range rules {
			parts[i] = fmt.Sprintf("%s %d", r, s.Orgs[r])
		}
		fmt.Fprintf(w, "organisations resolved by: %s\n", strings.Join(parts, ", "))
	}
	if s.Pending > 0 {
		fmt.Fprintf(w, "rescoring pending for %d customers: the job queue did not answer; the worker enqueues it from the graph's outbox once it does\n", s.Pending)
	}
	if s.Deferred > 0 {
		fmt.Fprintf(w, "rescoring deferred for %d customers: neither the job queue nor the outbox took it; the nightly rescore takes them\n", s.Deferred)
	}
	if s.Enqueued > 0 {
		fmt.Fprintf(w, "rescoring tasks enqueued: %d\n", s.Enqueued)
	}
}

func bar(frac float64, width int) string {
	n := int(frac*float64(width) + 0.5)
	n = min(max(n, 0), width)
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "]"
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
