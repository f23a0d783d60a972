package ingest_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
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
//
// titleCase writes a name as people type it in title case.
var titleCase = cases.Title(language.English)

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
		cases = append(cases, nameCase{"importer in capitals and title case", titleCase.String(strings.ToLower(names[0])), id})
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
// the default thresholds, in one batch (mentions are resolved against the
// graph and against each other): precision of automatic merges ≥ 0.99, at most 5%
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
	// Mentions not in the graph are resolved against each other too: one
	// that joins another's new organisation is right when the hand labels
	// of testdata/customs_clusters.txt say they are one company.
	labels, _ := customsLabels(t)
	india := labels["aaziko_india_import_short_hs690721.csv"]
	sameCompany := func(a, b string) bool {
		ca, ok := india[a]
		if !ok {
			ca = a
		}
		cb, ok := india[b]
		if !ok {
			cb = b
		}
		return ca == cb
	}
	res, err := w.Matcher.Match(ctx, mentions)
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
		case r.Org.ID == ns+c.truth, c.truth == "" && sameCompany(c.mention, r.Org.Name):
			v.right++
			all.right++
		default:
			v.wrong++
			all.wrong++
			t.Logf("wrong merge: %q (%s) -> %q via %s %.2f", c.mention, c.variant, r.Org.Name, r.Rule, r.Score)
		}
	}
	merges := 0
	correctMerges, found := 0, 0 // found: right merges of mentions of known organisations
	for i, c := range cases {
		if !res[i].New && res[i].Rule != "review" {
			merges++
			if res[i].Org.ID == ns+c.truth || c.truth == "" && sameCompany(c.mention, res[i].Org.Name) {
				correctMerges++
			}
			if c.truth != "" && res[i].Org.ID == ns+c.truth {
				found++
			}
		}
	}
	precision := float64(correctMerges) / float64(max(merges, 1))
	recall := float64(found) / float64(max(positives, 1))
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

// customsLabels reads testdata/customs_clusters.txt: per file, each labelled
// spelling's company, and the spellings that name no company.
func customsLabels(t *testing.T) (company map[string]map[string]string, notCompany map[string]map[string]bool) {
	t.Helper()
	b, err := os.ReadFile("testdata/customs_clusters.txt")
	if err != nil {
		t.Fatal(err)
	}
	company, notCompany = map[string]map[string]string{}, map[string]map[string]bool{}
	file := ""
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "== "):
			file = strings.TrimPrefix(line, "== ")
			company[file], notCompany[file] = map[string]string{}, map[string]bool{}
		case file == "":
			t.Fatalf("customs_clusters.txt:%d: a cluster before any file", n+1)
		case strings.HasPrefix(line, "not a company:"):
			for _, s := range strings.Split(strings.TrimPrefix(line, "not a company:"), " | ") {
				notCompany[file][strings.TrimSpace(s)] = true
			}
		default:
			spellings := strings.Split(line, " | ")
			for _, s := range spellings {
				if _, dup := company[file][s]; dup {
					t.Fatalf("customs_clusters.txt:%d: %q is in two clusters", n+1, s)
				}
				company[file][s] = spellings[0]
			}
		}
	}
	return company, notCompany
}

// customsQuality is what resolution made of one file's names.
type customsQuality struct {
	spellings, companies, orgs int // distinct spellings and labelled companies; organisations summed per company
	merges, wrongMerges        int // spellings that joined another spelling's organisation; of those, another company's
	reviews                    int // spellings sent to review
}

func (q customsQuality) orgsPerCompany() float64 {
	return float64(q.orgs) / float64(max(q.companies, 1))
}
func (q customsQuality) precision() float64 {
	return 1 - float64(q.wrongMerges)/float64(max(q.merges, 1))
}
func (q customsQuality) reviewShare() float64 {
	return float64(q.reviews) / float64(max(q.spellings, 1))
}

// TestCustomsResolutionQuality ingests each real customs file into an empty
// sandbox, as a user would (one run, default batch size), and measures the
// organisations it made against the hand labels of
// testdata/customs_clusters.txt: organisations per real company ≤ 1.1,
// automatic-merge precision ≥ 0.99 (a merge of two spellings of different
// companies is an error), at most 5% of spellings sent to review, per file
// and overall. Figures go to docs/BENCHMARKS.md.
func TestCustomsResolutionQuality(t *testing.T) {
	// The default (a file in one batch), and batches of 100 rows as a
	// crawler writes them: later batches meet earlier names in the graph
	// and in what the resolver remembers of the run.
	for _, batch := range []int{0, 100} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) { customsResolutionQuality(t, batch) })
	}
}

func customsResolutionQuality(t *testing.T, batch int) {
	labels, notCompany := customsLabels(t)
	files := []struct {
		name    string
		columns map[valuegraph.PartyRole]string // the raw column of each party role
	}{
		{"aaziko_india_import_short_hs690721.csv", map[valuegraph.PartyRole]string{valuegraph.PartyAbout: "IMPORTER_NAME", valuegraph.PartySupplier: "SUPPLIER_NAME"}},
		{"aaziko_india_import_full_hs690721.csv", map[valuegraph.PartyRole]string{valuegraph.PartyAbout: "IMPORTER", valuegraph.PartySupplier: "SUPPLIER"}},
		{"aaziko_india_export_usa_full_hs690721.csv", map[valuegraph.PartyRole]string{valuegraph.PartyAbout: "EXPORTER"}},
		{"aaziko_brazil_bl_import_full.csv", map[valuegraph.PartyRole]string{valuegraph.PartyAbout: "CONSIGNEE_NAME", valuegraph.PartySupplier: "SHIPPER_NAME"}},
		{"aaziko_kenya_import_short_hs690721.csv", map[valuegraph.PartyRole]string{valuegraph.PartyAbout: "IMPORTER_NAME", valuegraph.PartySupplier: "SUPPLIER_NAME"}},
	}
	if len(files) != len(labels) {
		t.Fatalf("%d files measured, %d labelled", len(files), len(labels))
	}
	var all customsQuality
	var report strings.Builder
	fmt.Fprintf(&report, "| file | spellings | companies | organisations per company | merges | wrong merges | precision | sent to review |\n|---|---|---|---|---|---|---|---|\n")
	for _, f := range files {
		s, w, ns := sandbox(t)
		ctx := context.Background()
		path := "../../shared/data/customs/" + f.name
		if _, err := ingest.Run(ctx, ingest.Customs{}, w, []string{path}, ingest.RunOptions{BatchSize: batch}); err != nil {
			t.Fatal(err)
		}
		w.Matcher.Forget()
		items, _, err := parseFile(t, ingest.Customs{}, path)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = ns + it.Signal.ID
		}
		signals, err := s.Signals(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		raw := rawRows(t, path)
		orgsOf := map[string]map[string]bool{} // spelling -> organisations
		ruleOf := map[string]string{}
		for i, it := range items {
			sig, ok := signals[ids[i]]
			if !ok {
				t.Fatalf("%s:%d: signal not written", f.name, it.Pos.Line)
			}
			for _, p := range sig.Parties {
				spelling := raw[it.Pos.Line][f.columns[p.Role]]
				if notCompany[f.name][spelling] {
					t.Errorf("%s:%d: %q is labelled no company but became %s", f.name, it.Pos.Line, spelling, p.ID)
				}
				if orgsOf[spelling] == nil {
					orgsOf[spelling] = map[string]bool{}
					ruleOf[spelling] = p.Rule
				}
				orgsOf[spelling][p.ID] = true
			}
		}
		for s := range labels[f.name] {
			if orgsOf[s] == nil {
				t.Errorf("%s: labelled spelling %q is not a party of any signal", f.name, s)
			}
		}
		companyOf := func(s string) string {
			if c, ok := labels[f.name][s]; ok {
				return c
			}
			return s
		}
		var q customsQuality
		orgsOfCompany := map[string]map[string]bool{}
		spellingsOfOrg := map[string][]string{}
		for sp, orgs := range orgsOf {
			q.spellings++
			if ruleOf[sp] == "review" {
				q.reviews++
			}
			c := companyOf(sp)
			if orgsOfCompany[c] == nil {
				orgsOfCompany[c] = map[string]bool{}
			}
			for o := range orgs {
				orgsOfCompany[c][o] = true
				spellingsOfOrg[o] = append(spellingsOfOrg[o], sp)
			}
		}
		q.companies = len(orgsOfCompany)
		for _, orgs := range orgsOfCompany {
			q.orgs += len(orgs)
		}
		for o, sps := range spellingsOfOrg {
			byCompany := map[string]int{}
			most := 0
			for _, sp := range sps {
				byCompany[companyOf(sp)]++
				most = max(most, byCompany[companyOf(sp)])
			}
			q.merges += len(sps) - 1
			q.wrongMerges += len(sps) - most
			if len(byCompany) > 1 {
				sort.Strings(sps)
				t.Logf("%s: wrong merge into %s: %q", f.name, o, sps)
			}
		}
		for c, orgs := range orgsOfCompany {
			if len(orgs) > 1 {
				t.Logf("%s: %q split into %d organisations", f.name, c, len(orgs))
			}
		}
		// A second ingest of the file resolves every name as the first did.
		customers, reviews := count(t, s, "Customer", ns), count(t, s, "Review", ns)
		again, err := ingest.Run(ctx, ingest.Customs{}, w, []string{path}, ingest.RunOptions{BatchSize: batch})
		if err != nil {
			t.Fatal(err)
		}
		w.Matcher.Forget()
		if again.Created != 0 || again.Merged != 0 || again.Orgs["new"] != 0 || again.Orgs["review"] != 0 ||
			count(t, s, "Customer", ns) != customers || count(t, s, "Review", ns) != reviews {
			t.Errorf("%s: second ingest %+v changed the graph (%d customers, %d reviews before)", f.name, again, customers, reviews)
		}
		fmt.Fprintf(&report, "| %s | %d | %d | %.3f | %d | %d | %.3f | %.2f%% |\n", f.name, q.spellings, q.companies,
			q.orgsPerCompany(), q.merges, q.wrongMerges, q.precision(), 100*q.reviewShare())
		all.spellings += q.spellings
		all.companies += q.companies
		all.orgs += q.orgs
		all.merges += q.merges
		all.wrongMerges += q.wrongMerges
		all.reviews += q.reviews
		if q.orgsPerCompany() > 1.1 || q.precision() < 0.99 || q.reviewShare() > 0.05 {
			t.Errorf("%s: %.3f organisations per company (≤ 1.1), merge precision %.3f (≥ 0.99), %.2f%% sent to review (≤ 5%%)",
				f.name, q.orgsPerCompany(), q.precision(), 100*q.reviewShare())
		}
	}
	fmt.Fprintf(&report, "| all | %d | %d | %.3f | %d | %d | %.3f | %.2f%% |\n", all.spellings, all.companies,
		all.orgsPerCompany(), all.merges, all.wrongMerges, all.precision(), 100*all.reviewShare())
	t.Log("\n" + report.String())
	if all.orgsPerCompany() > 1.1 || all.precision() < 0.99 || all.reviewShare() > 0.05 {
		t.Errorf("overall: %.3f organisations per company, merge precision %.3f, %.2f%% sent to review", all.orgsPerCompany(), all.precision(), 100*all.reviewShare())
	}
}

// rawRows reads a CSV file as its lines hold it: line -> column -> value.
func rawRows(t *testing.T, path string) map[int]map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]map[string]string{}
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		line, _ := r.FieldPos(0)
		row := map[string]string{}
		for i, h := range header {
			if i < len(rec) {
				row[h] = rec[i]
			}
		}
		out[line] = row
	}
	return out
}

// A customs file in a layout this code was not written against, built for
// the test after the description of a Russian export (the file is
// made up; the INNs are valid numbers): importers written "INN KPP NAME", in
// Latin and Cyrillic letters; one supplier spelled fourteen ways (ФИРМА,
// COMPANY, M/S, MESSRS, a leading FROM, forwarders "X ПО ПОРУЧЕНИЮ Y" and
// "X FROM Y", CERAMIC/CERAMICA/CERAMICHE, quotes, a dangling "ON BEHALF OF");
// month-only dates; two identical rows. It needs only a layout.
func TestCustomsUnseenLayout(t *testing.T) {
	layouts, err := ingest.LoadCustomsLayouts([]byte(`
layouts:
  ru-made-up:
    match: [PERIOD, IMPORTER, EXPORTER]
    country: RU
    currency: USD
    columns: {customer: IMPORTER, supplier: EXPORTER, hsCode: HS_CODE, value: VALUE_USD, date: PERIOD, origin: COUNTRY}
`), "ru.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, w, ns := sandbox(t)
	ctx := context.Background()
	p := ingest.Customs{Layouts: layouts}
	path := "testdata/customs_ru_fixture.csv"
	sum, err := ingest.Run(ctx, p, w, []string{path}, ingest.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.Matcher.Forget()
	if sum.Created+sum.Incomplete != 20 {
		t.Errorf("%d signals created from 20 rows (two identical rows are two records): %+v", sum.Created+sum.Incomplete, sum)
	}
	items, _, err := parseFile(t, p, path)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = ns + it.Signal.ID
		if !slices.Contains(it.Problems, ingest.Problem{Field: "date", Reason: "month only: stored as the 1st"}) {
			t.Errorf("line %d: the month-only date is not said to be so: %v", it.Pos.Line, it.Problems)
		}
	}
	signals, err := s.Signals(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	raw := rawRows(t, path)
	orgs := map[string]map[string]string{} // "importer"/"supplier" firm -> org id -> rule
	for i, it := range items {
		for _, party := range signals[ids[i]].Parties {
			col := map[valuegraph.PartyRole]string{valuegraph.PartyAbout: "IMPORTER", valuegraph.PartySupplier: "EXPORTER"}[party.Role]
			firm := raw[it.Pos.Line][col]
			switch {
			case strings.Contains(firm, "7722476458"):
				firm = "YATASH"
			case strings.Contains(firm, "ATLAS") && strings.Contains(firm, "CONCORDE"):
				firm = "ATLAS CONCORDE"
			}
			if orgs[firm] == nil {
				orgs[firm] = map[string]string{}
			}
			orgs[firm][party.ID] = party.Rule
		}
	}
	// The importer is one organisation by its INN, whatever the script.
	if len(orgs["YATASH"]) != 1 {
		t.Errorf("the importer with INN 7722476458 is %d organisations: %v", len(orgs["YATASH"]), orgs["YATASH"])
	}
	t.Logf("supplier: %v; importer: %v", orgs["ATLAS CONCORDE"], orgs["YATASH"])
	// The supplier: one organisation, or one more held for review; never more.
	settled := 0
	for _, rule := range orgs["ATLAS CONCORDE"] {
		if rule != "review" {
			settled++
		}
	}
	if settled != 1 || len(orgs["ATLAS CONCORDE"]) > 2 {
		t.Errorf("the supplier spelled 14 ways is %d organisations (%d settled): %v", len(orgs["ATLAS CONCORDE"]), settled, orgs["ATLAS CONCORDE"])
	}
	// Firms that share words with it stay apart.
	for _, other := range []string{"CERAMICHE CAESAR S.P.A.", "ATLAS SHIPPING SERVICES LLC", "PORCELANOSA S.A."} {
		for id := range orgs[other] {
			if _, same := orgs["ATLAS CONCORDE"][id]; same {
				t.Errorf("%q merged with Atlas Concorde", other)
			}
		}
	}
	n, err := s.Neighbourhood(ctx, firstKey(orgs["YATASH"]), graph.NeighbourhoodOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(n.Customer.Identifiers, func(id valuegraph.Identifier) bool { return strings.HasSuffix(id.Key(), "RU-INN:7722476458") }) {
		t.Errorf("the importer's identifiers %v lack its INN", n.Customer.Identifiers)
	}
}

func firstKey(m map[string]string) string {
	for k := range m {
		return k
	}
	return ""
}

// A row that names no importer but a supplier is kept in the graph, with
// its problem; a row naming no one is rejected with its line and column.
func TestIngestIncompleteCustomsRows(t *testing.T) {
	_, w, _ := sandbox(t)
	dir := t.TempDir()
	path := dir + "/rows.csv"
	text := "IMPORTER_NAME,SUPPLIER_NAME,HS_CODE,HS_CODE_DESCRIPTION,IEC,INDIAN_PORT,PORT_OF_SHIPMENT,ORIGIN_COUNTRY,IMP_DATE,TOTAL_VALUE_USD,TOTAL_QUANTITY,AVG_UNITPRICE,MONTHYEAR\n" +
		"TO THE ORDER OF,VSOURCE LIMITED,69072100,TILES,NULL,P,P,CHINA,2025-01-19,1,1,1,Jan 2025\n" +
		"ACE IMPEX,VSOURCE LIMITED,tiles,TILES,NULL,P,P,CHINA,2025-01-19,1,1,1,Jan 2025\n" +
		"TO THE ORDER OF,AS PER SELLER,69072100,TILES,NULL,P,P,CHINA,2025-01-19,1,1,1,Jan 2025\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var bad []error
	sum, err := ingest.Run(context.Background(), ingest.Customs{}, w, []string{path}, ingest.RunOptions{Reject: func(e error) { bad = append(bad, e) }})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Incomplete != 2 || sum.Check() != nil || len(bad) != 1 || !strings.HasPrefix(bad[0].Error(), "rows.csv:4: IMPORTER_NAME: no organisation named") {
		t.Errorf("summary %+v, rejected %v", sum, bad)
	}
}
