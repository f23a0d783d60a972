package ingest_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

// nameCase is a mention with the organisation it truly is ("" when that
// organisation is not in the graph: the right answer is a new one).
type nameCase struct {
	variant string // which kind of spelling difference
	mention string
	truth   string
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// resolutionSet builds the labelled set from the real samples. Labels come
// from the data's own identifiers: a listing's stock code ties its full
// name, short name and former names; an importer's IEC ties its spellings.
//   - known: every other listed company (even rows) is in the graph by its
//     registered full name, every importer by its first spelling;
//   - positives: the full name without its legal form, with full-width
//     brackets, in spaced or upper/lower case; the short and former names; an
//     importer's other spellings;
//   - negatives: the full and short names of the listed companies that are
//     not in the graph (odd rows), which share regions, industries and
//     suffixes with those that are; importers and suppliers not in the graph.
func resolutionSet(t *testing.T) (known map[string]string, cases []nameCase) {
	known = map[string]string{} // id -> name
	listing := readCSV(t, "../../shared/data/companies-cn/sse_a_share_names_sample.csv")
	former := map[string][]string{}
	for _, row := range readCSV(t, "../../shared/data/companies-cn/sina_former_short_names_sample.csv") {
		former[row[0]] = strings.Split(row[1], ",")
	}
	i := 0
	for _, row := range listing {
		code, short, full := row[1], row[2], row[3]
		if code == "" {
			continue // B shares repeat A-share companies
		}
		i++
		if i%2 == 1 {
			cases = append(cases, nameCase{"other listed company (full name)", full, ""}, nameCase{"other listed company (short name)", short, ""})
			continue
		}
		id := "sse-" + code
		known[id] = full
		bare := full
		for _, suf := range []string{"股份有限公司", "有限责任公司", "有限公司"} {
			bare = strings.TrimSuffix(bare, suf)
		}
		cases = append(cases,
			nameCase{"full name without legal form", bare, id},
			nameCase{"full-width brackets and spaces", strings.NewReplacer("(", "（", ")", "）").Replace(full) + " ", id},
			nameCase{"short name (简称)", short, id},
		)
		for _, f := range former[code] {
			if f != short {
				cases = append(cases, nameCase{"former short name", f, id})
			}
		}
	}
	byIEC := map[string][]string{}
	suppliers := map[string]bool{}
	for _, row := range readCSV(t, "../../shared/data/customs/aaziko_india_import_short_hs690721.csv") {
		name, iec := row[0], row[4]
		if !containsStr(byIEC[iec], name) {
			byIEC[iec] = append(byIEC[iec], name)
		}
		suppliers[row[1]] = true
	}
	iecs := make([]string, 0, len(byIEC))
	for iec := range byIEC {
		iecs = append(iecs, iec)
	}
	sort.Strings(iecs)
	for j, iec := range iecs {
		names := byIEC[iec]
		if j%3 == 0 && len(names) == 1 {
			cases = append(cases, nameCase{"importer not in the graph", names[0], ""})
			continue
		}
		id := "iec-" + iec
		known[id] = names[0]
		cases = append(cases, nameCase{"importer in capitals and title case", strings.Title(strings.ToLower(names[0])), id})
		for _, other := range names[1:] {
			cases = append(cases, nameCase{"importer's other spelling (same IEC)", other, id})
		}
	}
	for s := range suppliers {
		if !ingest.NullValue(s) {
			cases = append(cases, nameCase{"foreign supplier not in the graph", s, ""})
		}
	}
	sort.Slice(cases, func(a, b int) bool { return cases[a].mention < cases[b].mention })
	return known, cases
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestResolutionQuality measures entity resolution on the labelled set at
// the default thresholds: precision of automatic merges ≥ 0.99, at most 5%
// of mentions sent to review. Figures go to docs/BENCHMARKS.md.
func TestResolutionQuality(t *testing.T) {
	s, w, ns := sandbox(t)
	ctx := context.Background()
	known, cases := resolutionSet(t)
	var customers []valuegraph.Customer
	for id, name := range known {
		customers = append(customers, valuegraph.Customer{ID: ns + id, Name: name,
			Identifiers: []valuegraph.Identifier{{Scheme: ns + valuegraph.SchemeName, Value: ingest.OrgKey(name)}}})
	}
	if _, err := s.UpsertCustomers(ctx, customers); err != nil {
		t.Fatal(err)
	}
	mentions := make([]ingest.Mention, len(cases))
	for i, c := range cases {
		mentions[i] = ingest.Mention{Name: c.mention, Kinds: []string{"Customer"}}
	}
	res, err := w.Resolver.Resolve(ctx, mentions)
	if err != nil {
		t.Fatal(err)
	}
	type tally struct{ n, right, wrong, review, missed int }
	byVariant := map[string]*tally{}
	var all tally
	var positives int
	for i, c := range cases {
		r := res[i]
		v := byVariant[c.variant]
		if v == nil {
			v = &tally{}
			byVariant[c.variant] = v
		}
		v.n++
		all.n++
		if c.truth != "" {
			positives++
		}
		switch {
		case r.Rule == "review":
			v.review++
			all.review++
		case r.New:
			if c.truth != "" {
				v.missed++
				all.missed++
			} else {
				v.right++
				all.right++
			}
		case r.Org.ID == ns+c.truth:
			v.right++
			all.right++
		default:
			v.wrong++
			all.wrong++
			t.Logf("wrong merge: %q (%s) -> %q via %s %.2f", c.mention, c.variant, r.Org.Name, r.Rule, r.Score)
		}
	}
	merges := 0
	correctMerges := 0
	for i, c := range cases {
		if !res[i].New && res[i].Rule != "review" {
			merges++
			if res[i].Org.ID == ns+c.truth {
				correctMerges++
			}
		}
	}
	precision := float64(correctMerges) / float64(max(merges, 1))
	recall := float64(correctMerges) / float64(max(positives, 1))
	reviewShare := float64(all.review) / float64(all.n)

	var report strings.Builder
	fmt.Fprintf(&report, "%d known organisations, %d mentions (%d of known ones)\n", len(known), all.n, positives)
	fmt.Fprintf(&report, "| variant | mentions | right | wrong merge | review | missed (new) |\n|---|---|---|---|---|---|\n")
	variants := make([]string, 0, len(byVariant))
	for v := range byVariant {
		variants = append(variants, v)
	}
	sort.Strings(variants)
	for _, name := range variants {
		v := byVariant[name]
		fmt.Fprintf(&report, "| %s | %d | %d | %d | %d | %d |\n", name, v.n, v.right, v.wrong, v.review, v.missed)
	}
	fmt.Fprintf(&report, "merge precision %.4f (%d/%d), recall %.4f, sent to review %.2f%%\n", precision, correctMerges, merges, recall, 100*reviewShare)
	t.Log("\n" + report.String())
	if precision < 0.99 {
		t.Errorf("merge precision %.4f, want ≥ 0.99", precision)
	}
	if reviewShare > 0.05 {
		t.Errorf("%.2f%% sent to review, want ≤ 5%%", 100*reviewShare)
	}
}
