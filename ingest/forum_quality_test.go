package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph/ingest"
)

// forumSets are the labelled sets: sample is the set the lexicon was tuned
// on, more the held-out one (labelled before its output was seen), dev the
// development part of the same file (output read before labelling).
var forumSets = []struct{ name, file string }{
	{"sample", "../../shared/data/forums/v2ex_hot_topics_vendor_sample.jsonl"},
	{"more", "../../shared/data/forums/v2ex_more_unlabelled.jsonl"},
	{"dev", "../../shared/data/forums/v2ex_more_unlabelled.jsonl"},
}

type forumLabel struct {
	set, id string
	vendors []string
	alt     bool
}

// forumLabels reads testdata/forum_labels.tsv (its rules are at its top).
func forumLabels(t *testing.T) []forumLabel {
	t.Helper()
	b, err := os.ReadFile("testdata/forum_labels.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var out []forumLabel
	seen := map[string]bool{}
	for n, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 || (cols[3] != "0" && cols[3] != "1") {
			t.Fatalf("forum_labels.tsv:%d: want set, id, vendors, 0 or 1; got %q", n+1, line)
		}
		if seen[cols[0]+cols[1]] {
			t.Fatalf("forum_labels.tsv:%d: post %s labelled twice", n+1, cols[1])
		}
		seen[cols[0]+cols[1]] = true
		l := forumLabel{set: cols[0], id: cols[1], alt: cols[3] == "1"}
		for _, v := range strings.Split(cols[2], ";") {
			if v = strings.TrimSpace(v); v != "" {
				l.vendors = append(l.vendors, v)
			}
		}
		out = append(out, l)
	}
	return out
}

// nameKey is the form names compare in (see testdata/forum_aliases.tsv).
func nameKey(aliases map[string]string, s string) string {
	k := strings.ToLower(s)
	for _, c := range []string{" ", "-", ".", "_", ":", "/"} {
		k = strings.ReplaceAll(k, c, "")
	}
	if canon, ok := aliases[k]; ok {
		return canon
	}
	return k
}

// sameThing is the key names compare by: the dictionary entity (with its
// model) that the name alone reads as, when the extractor reads it whole as
// one (Maven and Apache Maven, 福报云 and Alibaba Cloud are one node), else
// its nameKey. A product and its maker, or two models, stay apart.
func sameThing(x *ingest.Extractor, aliases map[string]string, s string) string {
	if x != nil {
		ex := x.Extract(s)
		if len(ex.Mentions) == 1 && strings.EqualFold(strings.TrimSpace(ex.Mentions[0].Term), strings.TrimSpace(s)) {
			return "node:" + ex.Mentions[0].NodeID()
		}
	}
	return nameKey(aliases, s)
}

func forumAliases(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("testdata/forum_aliases.tsv")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 2 {
			t.Fatalf("forum_aliases.tsv: %q: want canonical <TAB> aliases", line)
		}
		canon := nameKey(nil, cols[0])
		for _, a := range strings.Split(cols[1], ";") {
			out[nameKey(nil, a)] = canon
		}
	}
	return out
}

// storedPosts parses a forum file as an ingest does and returns, per post
// id, the item the writer would store.
func storedPosts(t *testing.T, file string) map[string]ingest.Item {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]ingest.Item{}
	err = ingest.Forum{}.Parse(context.Background(), f, file, func(it ingest.Item) error {
		out[strings.TrimPrefix(it.Signal.ID, "forum:forum:")] = it
		return nil
	}, func(err error) { t.Errorf("rejected: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// storedVendors are the names of the vendor, product and competitor nodes
// an item links its signal to: what the graph gets.
func storedVendors(it ingest.Item) []string {
	var out []string
	for _, k := range it.Competitors {
		out = append(out, k.Name)
	}
	for _, p := range it.Products {
		out = append(out, p.Name)
	}
	return out
}

type tally struct{ tp, fp, fn int }

func (p tally) precision() float64 { return float64(p.tp) / float64(max(p.tp+p.fp, 1)) }
func (p tally) recall() float64    { return float64(p.tp) / float64(max(p.tp+p.fn, 1)) }
func (p tally) String() string {
	return fmt.Sprintf("P %.3f R %.3f (tp %d, fp %d, fn %d)", p.precision(), p.recall(), p.tp, p.fp, p.fn)
}

// TestForumMentionQuality measures, over every labelled post (title and
// body), the vendor mentions as stored (the names of the nodes a signal
// MENTIONS) and seeking_alternative, per set and together. The issue's
// thresholds are asserted over all labelled posts.
func TestForumMentionQuality(t *testing.T) {
	labels := forumLabels(t)
	aliases := forumAliases(t)
	var x *ingest.Extractor
	if os.Getenv("VALUEGRAPH_FORUM_NAMES_ONLY") == "" { // the comparison by name alone, as before
		var err error
		if x, err = ingest.LoadLexicon(nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	items := map[string]map[string]ingest.Item{}
	for _, s := range forumSets {
		items[s.name] = storedPosts(t, s.file)
	}
	type figures struct {
		posts        int
		vendors, alt tally
	}
	by := map[string]*figures{"sample": {}, "more": {}, "dev": {}, "all": {}}
	var misses []string
	for _, l := range labels {
		it, ok := items[l.set][l.id]
		if !ok {
			t.Fatalf("labelled post %s/%s is not in its file", l.set, l.id)
		}
		want := map[string]string{}
		for _, v := range l.vendors {
			want[sameThing(x, aliases, v)] = v
		}
		got := map[string]string{}
		for _, v := range storedVendors(it) {
			got[sameThing(x, aliases, v)] = v
		}
		var tp, fp, fn int
		var extra, missed []string
		for k, v := range got {
			if _, ok := want[k]; ok {
				tp++
			} else {
				fp++
				extra = append(extra, v)
			}
		}
		for k, v := range want {
			if _, ok := got[k]; !ok {
				fn++
				missed = append(missed, v)
			}
		}
		seeking := slices.Contains(it.Signal.Intents, ingest.IntentAlternative)
		for _, f := range []*figures{by[l.set], by["all"]} {
			f.posts++
			f.vendors.tp += tp
			f.vendors.fp += fp
			f.vendors.fn += fn
			switch {
			case seeking && l.alt:
				f.alt.tp++
			case seeking:
				f.alt.fp++
			case l.alt:
				f.alt.fn++
			}
		}
		sort.Strings(extra)
		sort.Strings(missed)
		// The held-out posts' errors are never printed: reading them would
		// make them tuning posts. Their figures are.
		if l.set != "more" && (len(extra)+len(missed) > 0 || seeking != l.alt) {
			misses = append(misses, fmt.Sprintf("%s/%s %q: extra %q, missed %q, seeking %v want %v", l.set, l.id, it.Signal.Title, extra, missed, seeking, l.alt))
		}
	}
	if testing.Verbose() {
		for _, m := range misses {
			t.Log(m)
		}
	}
	for _, name := range []string{"sample", "dev", "more", "all"} {
		f := by[name]
		t.Logf("%-6s %3d posts: vendor mentions as stored %v; seeking_alternative %v", name, f.posts, f.vendors, f.alt)
	}
	// The targets (vendor mentions P ≥ 0.95, R ≥ 0.85; seeking_alternative
	// P, R ≥ 0.85) over all labelled posts are not met yet (docs/BENCHMARKS.md): they
	// are asserted with VALUEGRAPH_FORUM_TARGETS=1. By default the test guards the
	// figures reached, on the held-out posts and on all, so a change that loses
	// mentions or intents fails.
	all, held := by["all"], by["more"]
	if os.Getenv("VALUEGRAPH_FORUM_TARGETS") != "" {
		if all.vendors.precision() < 0.95 || all.vendors.recall() < 0.85 {
			t.Errorf("vendor mentions over all labelled posts %v, want P ≥ 0.95, R ≥ 0.85", all.vendors)
		}
		if all.alt.precision() < 0.85 || all.alt.recall() < 0.85 {
			t.Errorf("seeking_alternative over all labelled posts %v, want P ≥ 0.85, R ≥ 0.85", all.alt)
		}
	} else if all.vendors.precision() < 0.95 || all.vendors.recall() < 0.85 || all.alt.precision() < 0.85 || all.alt.recall() < 0.85 {
		t.Logf("below the issue's targets over all labelled posts (vendor P ≥ 0.95, R ≥ 0.85; seeking_alternative P, R ≥ 0.85)")
	}
	for _, g := range []struct {
		name           string
		f              *figures
		vp, vr, ap, ar float64
	}{
		{"all", all, 0.95, 0.79, 0.80, 0.76},
		{"held out", held, 0.90, 0.69, 0.45, 0.38},
	} {
		if g.f.vendors.precision() < g.vp || g.f.vendors.recall() < g.vr || g.f.alt.precision() < g.ap || g.f.alt.recall() < g.ar {
			t.Errorf("%s: vendor mentions %v, seeking_alternative %v; the floors reached are vendor P %.2f R %.2f, seeking P %.2f R %.2f",
				g.name, g.f.vendors, g.f.alt, g.vp, g.vr, g.ap, g.ar)
		}
	}
	if by["more"].posts < 100 {
		t.Errorf("%d held-out posts labelled, want ≥ 100", by["more"].posts)
	}
}

// TestForumMentionsInGraph ingests the labelled files into the real graph
// and reads back what each labelled post's signal MENTIONS: the figures
// must be those of the items the parser produced (nothing found is lost
// between the extractor and the graph).
func TestForumMentionsInGraph(t *testing.T) {
	s, w, ns := sandbox(t)
	ctx := context.Background()
	x, err := ingest.LoadLexicon(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	labels := forumLabels(t)
	aliases := forumAliases(t)
	var fromItems, fromGraph tally
	for _, set := range forumSets {
		if _, bad := run(t, ingest.Forum{}, w, set.file); len(bad) > 0 {
			t.Fatalf("%s: rejected %v", set.file, bad)
		}
		items := storedPosts(t, set.file)
		for _, l := range labels {
			if l.set != set.name {
				continue
			}
			sig, err := s.Signal(ctx, ns+"forum:forum:"+l.id)
			if err != nil {
				t.Fatalf("post %s: %v", l.id, err)
			}
			products, err := s.Products(ctx, sig.ProductIDs)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range products {
				names = append(names, p.Name)
			}
			for _, id := range sig.CompetitorIDs {
				e := x.Entity(strings.TrimPrefix(id, ns+"lex:"))
				if e == nil {
					t.Fatalf("post %s mentions competitor %s, not in the lexicon", l.id, id)
				}
				names = append(names, e.Name)
			}
			if len(products) != len(sig.ProductIDs) {
				t.Errorf("post %s: %d products linked, %d found", l.id, len(sig.ProductIDs), len(products))
			}
			add := func(tl *tally, got []string) {
				want := map[string]bool{}
				for _, v := range l.vendors {
					want[sameThing(x, aliases, v)] = true
				}
				have := map[string]bool{}
				for _, v := range got {
					have[sameThing(x, aliases, v)] = true
				}
				for k := range have {
					if want[k] {
						tl.tp++
					} else {
						tl.fp++
					}
				}
				for k := range want {
					if !have[k] {
						tl.fn++
					}
				}
			}
			add(&fromGraph, names)
			add(&fromItems, storedVendors(items[l.id]))
		}
	}
	t.Logf("vendor mentions read back from the graph over %d labelled posts: %v", len(labels), fromGraph)
	if fromGraph != fromItems {
		t.Errorf("graph %v, items %v: the graph lost or gained mentions", fromGraph, fromItems)
	}
}

// TestForumPostDetail checks what a dry run prints of a post: its id, the
// canonical names it mentions with their kinds, and its intents.
func TestForumPostDetail(t *testing.T) {
	x, err := ingest.LoadLexicon(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	it, err := ingest.PostItem(x, ingest.Post{ID: "7", Title: "阿里云太贵了，求推荐替代的云服务", Content: "现在用 iPhone 12 mini 和联通，金蝶也用过"}, "forum", "", ingest.Position{File: "p.jsonl", Line: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(it.Detail)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"post":{"id":"7","mentions":[{"name":"Alibaba Cloud","kind":"competitor"},{"name":"iPhone 12 mini","kind":"product"},{"name":"China Unicom","kind":"vendor"},{"name":"Kingdee","kind":"competitor"}],"intents":["complaint","recommendation","seeking_alternative"]}}`
	if string(b) != want {
		t.Errorf("detail\n got %s\nwant %s", b, want)
	}
	if !slices.Contains(it.Signal.ProductIDs, "lex:iphone/12-mini") || !slices.Contains(it.Signal.ProductIDs, "lex:china-unicom") || !slices.Contains(it.Signal.CompetitorIDs, "lex:kingdee") {
		t.Errorf("signal links products %v, competitors %v", it.Signal.ProductIDs, it.Signal.CompetitorIDs)
	}
}

// A line longer than the limit is reported and skipped; the good lines
// before and after it are read, each at its own line number.
func TestForumLongLine(t *testing.T) {
	good := func(id int) string {
		return fmt.Sprintf(`{"id": %d, "title": "求推荐 NAS", "content": "群晖还是威联通", "created": 1700000000}`, id)
	}
	text := good(1) + "\n" + `{"id": 2, "title": "` + strings.Repeat("长", 6<<20) + `"}` + "\n\n" + good(4) + "\r\n" + good(5)
	items, bad, err := parseString(t, ingest.Forum{}, "long.jsonl", text)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || items[0].Pos.Line != 1 || items[1].Pos.Line != 4 || items[2].Pos.Line != 5 {
		t.Fatalf("%d items %+v, want lines 1, 4 and 5", len(items), items)
	}
	if len(bad) != 1 || !strings.HasPrefix(bad[0].Error(), "long.jsonl:2: a line of more than 16 MiB") {
		t.Errorf("rejected %v", bad)
	}
	if msg := bad[0].Error(); len(msg) > 200 {
		t.Errorf("the rejection quotes %d bytes of the line", len(msg))
	}
}
