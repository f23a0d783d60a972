package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

// parseFile runs a parser over one file and returns what it emitted and rejected.
func parseFile(t *testing.T, p ingest.Parser, path string) ([]ingest.Item, []error, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return parseReader(t, p, f, filepath.Base(path))
}

func parseString(t *testing.T, p ingest.Parser, name, text string) ([]ingest.Item, []error, error) {
	t.Helper()
	return parseReader(t, p, strings.NewReader(text), name)
}

func parseReader(t *testing.T, p ingest.Parser, r interface{ Read([]byte) (int, error) }, name string) ([]ingest.Item, []error, error) {
	var items []ingest.Item
	var bad []error
	err := p.Parse(context.Background(), r, name, func(it ingest.Item) error { items = append(items, it); return nil }, func(err error) { bad = append(bad, err) })
	return items, bad, err
}

// ocdsDocuments lists the releases and records a file holds, read with
// encoding/json independently of the parser: "releases[i]" and "records[i]"
// in packages, "release" or "record" for a file that is one of them.
func ocdsDocuments(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var list []json.RawMessage
	switch {
	case top["records"] != nil:
		json.Unmarshal(top["records"], &list)
		return indexed("records", len(list))
	case top["compiledRelease"] != nil, top["ocid"] != nil && top["releases"] != nil:
		return []string{"record"}
	case top["releases"] != nil:
		json.Unmarshal(top["releases"], &list)
		return indexed("releases", len(list))
	}
	return []string{"release"}
}

func indexed(key string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s[%d]", key, i)
	}
	return out
}

// ocdsOutcome says what became of each release or record of a parse: the
// items it made (by Detail's path) and whether it was rejected.
func ocdsOutcome(t *testing.T, items []ingest.Item, bad []error) (made map[string][]ingest.Item, rejected map[string]error) {
	t.Helper()
	made, rejected = map[string][]ingest.Item{}, map[string]error{}
	for _, it := range items {
		d, ok := it.Detail.(map[string]any)
		if !ok {
			t.Fatalf("%s: Detail %T, want a map", it.Signal.ID, it.Detail)
		}
		path, _ := d["path"].(string)
		made[path] = append(made[path], it)
	}
	for _, e := range bad {
		var ve *valuegraph.Error
		if !errors.As(e, &ve) || ve.Field == "" {
			t.Fatalf("rejection without the element it is about: %v", e)
		}
		rejected[ve.Field] = e
	}
	return made, rejected
}

// TestOCDSRealPublishers reads every real OCDS file: each release or record
// ends as signals (complete or incomplete) or as one rejection, never
// silently, and never both.
func TestOCDSRealPublishers(t *testing.T) {
	type tally struct{ files, read, ok, incomplete, rejected, items int }
	figures := map[string]*tally{}
	kinds := map[string]map[valuegraph.SignalKind]int{}
	for publisher, files := range ocdsPublishers(t) {
		figures[publisher] = &tally{}
		kinds[publisher] = map[valuegraph.SignalKind]int{}
		for _, f := range files {
			items, bad, err := parseFile(t, ingest.OCDS{}, f)
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			docs := ocdsDocuments(t, f)
			made, rejected := ocdsOutcome(t, items, bad)
			tl := figures[publisher]
			tl.files++
			tl.read += len(docs)
			tl.items += len(items)
			for _, d := range docs {
				its, rej := made[d], rejected[d]
				switch {
				case len(its) == 0 && rej == nil:
					t.Errorf("%s: %s silently dropped", f, d)
				case len(its) > 0 && rej != nil:
					t.Errorf("%s: %s both made signals and was rejected (%v)", f, d, rej)
				case rej != nil:
					tl.rejected++
				default:
					incomplete := false
					for _, it := range its {
						incomplete = incomplete || len(it.Problems) > 0
					}
					if incomplete {
						tl.incomplete++
					} else {
						tl.ok++
					}
				}
				delete(made, d)
				delete(rejected, d)
			}
			for d := range made {
				t.Errorf("%s: signals from %q, which the file does not hold", f, d)
			}
			for d, e := range rejected {
				t.Errorf("%s: rejected %q, which the file does not hold: %v", f, d, e)
			}
			for _, it := range items {
				kinds[publisher][it.Signal.Kind]++
				if err := it.Signal.Validate(); err != nil {
					t.Errorf("%s: invalid signal %s: %v", f, it.Signal.ID, err)
				}
				if len(it.About)+len(it.Winners) == 0 {
					t.Errorf("%s: %s names no organisation", f, it.Signal.ID)
				}
				if _, err := json.Marshal(it.Detail); err != nil {
					t.Errorf("%s: Detail does not encode: %v", f, err)
				}
			}
			for _, e := range bad {
				if !strings.HasPrefix(e.Error(), filepath.Base(f)+":") {
					t.Errorf("rejection without the file's name: %v", e)
				}
			}
		}
	}
	for publisher, want := range map[string][]valuegraph.SignalKind{
		"taiwan":              {valuegraph.SignalTender, valuegraph.SignalAward},
		"colombia":            {valuegraph.SignalTender, valuegraph.SignalAward},
		"uk-contracts-finder": {valuegraph.SignalTender},
	} {
		for _, k := range want {
			if kinds[publisher][k] == 0 {
				t.Errorf("%s: no %s signals (%v)", publisher, k, kinds[publisher])
			}
		}
	}
	for publisher, tl := range figures {
		t.Logf("%s: %d files, %d releases/records read: %d complete, %d incomplete, %d rejected; %d signals %v",
			publisher, tl.files, tl.read, tl.ok, tl.incomplete, tl.rejected, tl.items, kinds[publisher])
	}
}

func TestOCDSTaiwanAward(t *testing.T) {
	items, bad, err := parseFile(t, ingest.OCDS{}, "../../shared/data/ocds/taiwan/releases/ocid-6as3t2-51179519-ocid-6as3t2-51179519.json")
	if err != nil || len(bad) > 0 {
		t.Fatalf("err %v, rejected %v", err, bad)
	}
	var award *ingest.Item
	for i := range items {
		if items[i].Signal.Kind == valuegraph.SignalAward {
			award = &items[i]
		}
	}
	if award == nil {
		t.Fatal("no award")
	}
	s := award.Signal
	if s.Amount != 326600 || s.Currency != "TWD" || s.OccurredAt.Format("2006-01-02") != "2013-10-29" {
		t.Errorf("award = %v %s on %v", s.Amount, s.Currency, s.OccurredAt)
	}
	if s.Title != "102年全國中小學客家藝文競賽總決賽之場地布置採購" {
		t.Errorf("title %q", s.Title)
	}
	w := award.Winners[0]
	if w.Name != "普羅文化股份有限公司" || len(w.Identifiers) != 1 || w.Identifiers[0].Key() != "OCDS:ocid-6as3t2:53374962" {
		t.Errorf("winner = %+v", w)
	}
	if b := award.About[0]; b.Name != "南投縣魚池鄉五城國民小學" {
		t.Errorf("buyer = %+v", b)
	}
}

func TestOCDSPackagesAndBadInput(t *testing.T) {
	release := func(ocid, buyer, extra string) string {
		return `{"ocid":"` + ocid + `","id":"1","date":"2024-05-01T00:00:00Z","tag":["tender"],
		"buyer":{"name":"` + buyer + `","identifier":{"scheme":"CN-USCC","id":"914403001922038216"}},
		"tender":{"title":"服务器采购","value":{"amount":1800000,"currency":"CNY"}}` + extra + `}`
	}
	t.Run("ReleasePackage", func(t *testing.T) {
		pkg := `{"uri":"x","publisher":{"name":"p"},"releases":[` + release("ocds-a-1", "甲公司", "") + `,` + release("ocds-a-2", "乙公司", "") + `]}`
		items, bad, err := parseString(t, ingest.OCDS{}, "pkg.json", pkg)
		if err != nil || len(bad) > 0 || len(items) != 2 {
			t.Fatalf("items %d, rejected %v, err %v", len(items), bad, err)
		}
		if id := items[0].About[0].Identifiers[0]; id.Scheme != valuegraph.SchemeUSCC {
			t.Errorf("identifier %v", id)
		}
	})
	t.Run("RecordPackageUsesCompiledRelease", func(t *testing.T) {
		pkg := `{"records":[{"ocid":"ocds-a-3","releases":[{"url":"http://x"}],"compiledRelease":` + release("ocds-a-3", "丙公司", "") + `}]}`
		items, bad, err := parseString(t, ingest.OCDS{}, "records.json", pkg)
		if err != nil || len(bad) > 0 || len(items) != 1 || items[0].About[0].Name != "丙公司" {
			t.Fatalf("items %+v, rejected %v, err %v", items, bad, err)
		}
	})
	t.Run("TruncatedKeepsEarlierReleases", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"releases":[`)
		for i := range 300 { // more than the parser holds back, so they stream
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(release("ocds-a-"+string(rune('a'+i%26))+strings.Repeat("x", i/26), "甲公司", ""))
		}
		text := b.String()
		items, _, err := parseString(t, ingest.OCDS{}, "cut.json", text[:len(text)-40])
		if err == nil || !strings.HasPrefix(err.Error(), "cut.json:900: column 34: unexpected end of file") || !strings.Contains(err.Error(), "starts at line 898, column 1 is not closed (truncated?)") {
			t.Fatalf("err = %v, want the file, the line and column where it ends, and where the cut release starts", err)
		}
		if len(items) != 299 {
			t.Errorf("kept %d releases before the cut, want 299", len(items))
		}
	})
	t.Run("BadReleaseRejectedOthersKept", func(t *testing.T) {
		pkg := `{"releases":[` + release("ocds-a-1", "甲公司", "") + `,
{"id":"no-ocid","buyer":{"name":"x"}},
` + release("ocds-a-2", "乙公司", `,"awards":[{"id":"a1","date":"2024-06-01","suppliers":[{"name":"某供应商","identifier":{"scheme":"CN-USCC","id":"914403001922038217"}}]}]`) + `]}`
		items, bad, err := parseString(t, ingest.OCDS{}, "mixed.json", pkg)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 3 {
			t.Errorf("%d items, want 2 tenders and 1 award", len(items))
		}
		want := "mixed.json:4: releases[1]: ocid: required (and no release id to stand in)"
		if len(bad) != 1 || !strings.HasPrefix(bad[0].Error(), "mixed.json:4: releases[1]: release \"noocid-mixed.json-no-ocid\" yields no signal") {
			t.Fatalf("rejected %v, want one like %q", bad, want)
		}
		// The supplier with the bad code is still named, by its name, and
		// the award says why it lost the identifier.
		award := items[2]
		if w := award.Winners; len(w) != 1 || w[0].Name != "某供应商" || len(w[0].Identifiers) != 0 {
			t.Errorf("winners %+v", w)
		}
		// 乙公司 carries the code 甲公司 carried first: it is not merged on.
		if len(award.Problems) != 2 || award.Problems[0].Field != "buyer.identifier" || !strings.Contains(award.Problems[0].Reason, `is also the identifier of "甲公司"`) ||
			award.Problems[1].Field != "awards[0].suppliers[0].identifier" || !strings.Contains(award.Problems[1].Reason, "unified social credit code") {
			t.Errorf("problems %+v", award.Problems)
		}
		if len(award.About[0].Identifiers) != 0 {
			t.Errorf("buyer %+v keeps the identifier another buyer carried", award.About[0])
		}
	})
	t.Run("NotJSON", func(t *testing.T) {
		_, _, err := parseString(t, ingest.OCDS{}, "x.json", "<html>")
		if valuegraph.ErrorCode(err) != valuegraph.EINVALID || err.Error() != `x.json:1: column 1: invalid character '<' at the start: not JSON (an OCDS file is an object, an array or JSON Lines) near "<html>"` {
			t.Fatalf("err = %v", err)
		}
	})
}

// ocdsByID indexes items by signal id (without the "ocds:" prefix).
func ocdsByID(items []ingest.Item) map[string]ingest.Item {
	out := map[string]ingest.Item{}
	for _, it := range items {
		out[strings.TrimPrefix(it.Signal.ID, "ocds:")] = it
	}
	return out
}

func problemFields(it ingest.Item) []string {
	var out []string
	for _, p := range it.Problems {
		out = append(out, p.Field)
	}
	return out
}

func names(ms []ingest.Mention) []string {
	var out []string
	for _, m := range ms {
		s := m.Name
		for _, id := range m.Identifiers {
			s += " " + id.Key()
		}
		out = append(out, s)
	}
	return out
}

// TestOCDSUnseenShapes reads a package built after the OCDS 1.1 schema with
// the shapes the unseen publishers took: a contract without an award, a
// contract without a buyer, a tender with only a procuring entity, {amount:
// 0} and amounts without a currency, a parent ministry's code in
// additionalIdentifiers, one identifier under two names, a cancelled award.
func TestOCDSUnseenShapes(t *testing.T) {
	items, bad, err := parseFile(t, ingest.OCDS{}, "testdata/ocds_unseen_shapes.json")
	if err != nil {
		t.Fatal(err)
	}
	got := ocdsByID(items)
	for _, tc := range []struct {
		id            string
		kind          valuegraph.SignalKind
		about, winner []string
		amount        float64
		currency      string
		problems      []string
	}{
		{"ocds-fx1-contract-only:contract:C-1", valuegraph.SignalAward, []string{"Ministerio de Salud CO-NIT:899999034"},
			[]string{"Suministros Andinos S.A.S. CO-NIT:900123456"}, 0, "", []string{"contracts[0].value.currency"}},
		{"ocds-fx1-contract-no-buyer:contract:C-2", valuegraph.SignalAward, nil,
			[]string{"Ascensores del Norte Ltda CO-NIT:800555111"}, 125000000, "COP", []string{"buyer"}},
		{"ocds-fx1-tender-only:tender", valuegraph.SignalTender, []string{"Northshire County Council GB-LAC:E10000099"},
			nil, 48000, "GBP", nil},
		{"ocds-fx1-award-zero:award:A-4", valuegraph.SignalAward, []string{"Northshire County Council GB-LAC:E10000099"},
			[]string{"Brightclean Ltd GB-COH:01234567"}, 0, "", []string{"awards[0].value.currency"}},
		{"ocds-fx1-award-no-currency:award:A-5", valuegraph.SignalAward, []string{"Northshire County Council"},
			[]string{"Brightclean Ltd GB-COH:01234567"}, 0, "", []string{"awards[0].value.currency"}},
		// The ministry's code both schools carry as an additional identifier merges nothing.
		{"ocds-fx1-parent-codes:award:A-6", valuegraph.SignalAward, []string{"Escuela Rural La Esperanza CO-DANE:105001000111"},
			[]string{"Papelería El Estudiante CÉDULA DE CIUDADANÍA:79111222"}, 2500000, "COP", nil},
		// The hospital and the clinic carry the ministry's NIT the first release gave the ministry.
		{"ocds-fx1-shared-identifier:award:A-7", valuegraph.SignalAward, []string{"Hospital Universitario del Valle"},
			[]string{"Clínica Los Andes"}, 100, "COP", []string{"buyer.identifier", "awards[0].suppliers[0].identifier"}},
	} {
		t.Run(tc.id, func(t *testing.T) {
			it, ok := got[tc.id]
			if !ok {
				t.Fatalf("no signal %s (have %v)", tc.id, slices.Sorted(maps.Keys(got)))
			}
			s := it.Signal
			if s.Kind != tc.kind || s.Amount != tc.amount || s.Currency != tc.currency || s.OccurredAt.IsZero() {
				t.Errorf("signal %s %v %s at %v, want %s %v %s", s.Kind, s.Amount, s.Currency, s.OccurredAt, tc.kind, tc.amount, tc.currency)
			}
			if err := s.Validate(); err != nil {
				t.Error(err)
			}
			if g := names(it.About); !slices.Equal(g, tc.about) {
				t.Errorf("about %q, want %q", g, tc.about)
			}
			if g := names(it.Winners); !slices.Equal(g, tc.winner) {
				t.Errorf("winners %q, want %q", g, tc.winner)
			}
			if g := problemFields(it); !slices.Equal(g, tc.problems) {
				t.Errorf("problems %+v, want fields %q", it.Problems, tc.problems)
			}
		})
	}
	if len(items) != 7 {
		t.Errorf("%d signals, want 7", len(items))
	}
	if len(bad) != 1 || !strings.HasPrefix(bad[0].Error(), `ocds_unseen_shapes.json:101: releases[7]: release "ocds-fx1-cancelled" yields no signal: buyer: no buyer`) ||
		!strings.Contains(bad[0].Error(), "awards[0]: status cancelled and no supplier: nothing was won") {
		t.Errorf("rejected %v, want the cancelled award with its reasons", bad)
	}
	// The dry run shows identifiers as they are merged on.
	if b, _ := json.Marshal(got["ocds-fx1-contract-no-buyer:contract:C-2"].Detail); !strings.Contains(string(b), `"name":"Ascensores del Norte Ltda","identifiers":[{"scheme":"CO-NIT","id":"800555111"}]`) {
		t.Errorf("detail %s", b)
	}
	// The dry run shows the parent code, as an additional identifier.
	d := got["ocds-fx1-parent-codes:award:A-6"].Detail
	b, _ := json.Marshal(d)
	for _, want := range []string{`"ocid":"ocds-fx1-parent-codes"`, `"tag":["award"]`, `"path":"releases[5]"`,
		`{"roles":["buyer"],"name":"Escuela Rural La Esperanza","identifiers":[{"scheme":"CO-DANE","id":"105001000111"}],"additionalIdentifiers":[{"scheme":"CO-NIT","id":"899999001"}]}`,
		`{"roles":["payer"],"name":"Colegio Departamental San José"`, `{"roles":["supplier"],"name":"Papelería El Estudiante"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("detail %s\nlacks %s", b, want)
		}
	}
}

// TestOCDS10InlineParties reads an OCDS 1.0 package (no version) whose
// organisations are only inline, with ids without a scheme.
func TestOCDS10InlineParties(t *testing.T) {
	items, bad, err := parseFile(t, ingest.OCDS{}, "testdata/ocds_1_0_inline.json")
	if err != nil || len(bad) > 0 {
		t.Fatalf("err %v, rejected %v", err, bad)
	}
	got := ocdsByID(items)
	tender, award := got["ocds-fx0-1:tender"], got["ocds-fx0-1:award:1-a"]
	if tender.Signal == nil || award.Signal == nil || len(items) != 2 {
		t.Fatalf("signals %v, want the tender and the award", slices.Sorted(maps.Keys(got)))
	}
	// An id without a scheme is the publisher's own.
	if g := names(tender.About); !slices.Equal(g, []string{"City of Examplefield OCDS:ocds-fx0:CITY-0042"}) {
		t.Errorf("tender about %q", g)
	}
	if g := names(award.Winners); !slices.Equal(g, []string{"Roadmasters LLC US-EIN:12-3456789"}) {
		t.Errorf("award winners %q", g)
	}
	if award.Signal.Amount != 712500.5 || award.Signal.Currency != "USD" || award.Signal.OccurredAt.Format("2006-01-02") != "2015-02-27" {
		t.Errorf("award %v %s %v", award.Signal.Amount, award.Signal.Currency, award.Signal.OccurredAt)
	}
	b, _ := json.Marshal(tender.Detail)
	for _, want := range []string{`"roles":["buyer"],"name":"City of Examplefield"`, `"roles":["tenderer"],"name":"Acme Paving Inc.","identifiers":[]`,
		`"roles":["tenderer"],"name":"Roadmasters LLC","identifiers":[{"scheme":"US-EIN","id":"12-3456789"}]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("detail %s\nlacks %s", b, want)
		}
	}
}

// TestOCDSRecordLinks reads a record package: a record whose releases are
// links only is rejected with the reason, never dropped; one with a
// compiledRelease uses it; one with embedded releases merges them.
func TestOCDSRecordLinks(t *testing.T) {
	items, bad, err := parseFile(t, ingest.OCDS{}, "testdata/ocds_record_links.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || !strings.HasPrefix(bad[0].Error(), `ocds_record_links.json:8: records[0]: record "ocds-fxr-1" has no compiledRelease and its 2 releases are links only`) {
		t.Errorf("rejected %v", bad)
	}
	got := ocdsByID(items)
	if g := slices.Sorted(maps.Keys(got)); !slices.Equal(g, []string{"ocds-fxr-2:tender", "ocds-fxr-3:award:A-3", "ocds-fxr-3:tender"}) {
		t.Fatalf("signals %q", g)
	}
	if it := got["ocds-fxr-2:tender"]; len(it.Problems) != 0 || names(it.About)[0] != "Department for Fixtures GB-GOR:PB1" {
		t.Errorf("compiled record: %+v, problems %+v", names(it.About), it.Problems)
	}
	award := got["ocds-fxr-3:award:A-3"]
	if names(award.Winners)[0] != "Sample Supplies Ltd GB-COH:07654321" || award.Signal.Amount != 99000 {
		t.Errorf("award %+v %v", names(award.Winners), award.Signal.Amount)
	}
	if g := problemFields(award); !slices.Equal(g, []string{"releases"}) || !strings.Contains(award.Problems[0].Reason, "1 of 3 releases are links only") {
		t.Errorf("problems %+v", award.Problems)
	}
	if tender := got["ocds-fxr-3:tender"]; tender.Signal.Title != "Fixture printing" || tender.Signal.Amount != 120000 {
		t.Errorf("tender %+v", tender.Signal)
	}
}

// TestOCDSBrokenJSON: a syntax error costs the release it is in; the error
// names the file, line and column, what was expected, and a short excerpt.
func TestOCDSBrokenJSON(t *testing.T) {
	t.Run("BadCommaInAPackage", func(t *testing.T) {
		items, bad, err := parseFile(t, ingest.OCDS{}, "testdata/ocds_bad_comma.json")
		if err != nil {
			t.Fatal(err)
		}
		if g := slices.Sorted(maps.Keys(ocdsByID(items))); !slices.Equal(g, []string{"ocds-fxb-1:tender", "ocds-fxb-3:award:3"}) {
			t.Errorf("signals %q, want the releases before and after the bad one", g)
		}
		want := `ocds_bad_comma.json:13: releases[1]: column 87: invalid character '}' expected a key in quotes near ", \"currency\": \"GBP\",}}"`
		if len(bad) != 1 || bad[0].Error() != want {
			t.Errorf("rejected %v\nwant %s", bad, want)
		}
	})
	t.Run("JSONLines", func(t *testing.T) {
		items, bad, err := parseFile(t, ingest.OCDS{}, "testdata/ocds_lines.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		if g := slices.Sorted(maps.Keys(ocdsByID(items))); !slices.Equal(g, []string{"ocds-fxl-1:tender", "ocds-fxl-3:award:a", "ocds-fxl-5:tender"}) {
			t.Errorf("signals %q", g)
		}
		if len(bad) != 2 || bad[0].Error() != `ocds_lines.jsonl:2: document: column 101: invalid character 't' expected ',' or '}' after a member near "e\":\"Lines Borough},\"tender\":{\"title\":\"Li"` ||
			!strings.HasPrefix(bad[1].Error(), "ocds_lines.jsonl:5: document: column 130: unexpected end of the value") {
			t.Errorf("rejected %v", bad)
		}
	})
	t.Run("BadCommaInASingleRelease", func(t *testing.T) {
		// One release per file (as Taiwan and Colombia publish): a broken
		// member costs that member.
		text := `{"ocid":"ocds-fxs-1","date":"2024-01-01","buyer":{"name":"Single Release Agency"},
"planning":{"budget":{"amount":{"amount":1,,"currency":"EUR"}}},
"tender":{"title":"Kept","value":{"amount":10,"currency":"EUR"}}}`
		items, bad, err := parseString(t, ingest.OCDS{}, "single.json", text)
		if err != nil || len(bad) > 0 || len(items) != 1 {
			t.Fatalf("items %d, rejected %v, err %v", len(items), bad, err)
		}
		if p := items[0].Problems; len(p) != 1 || p[0].Field != "planning" || !strings.Contains(p[0].Reason, "line 2, column 44: invalid character ','") {
			t.Errorf("problems %+v", p)
		}
	})
}

// TestOCDSRepeatedProcess: a package holding a process's releases one after
// the other makes each signal with one content, whichever release repeats
// it, so that batches met in another order write nothing new.
func TestOCDSRepeatedProcess(t *testing.T) {
	items, bad, err := parseFile(t, ingest.OCDS{}, "testdata/ocds_repeated_ocid.json")
	if err != nil || len(bad) > 0 {
		t.Fatalf("err %v, rejected %v", err, bad)
	}
	hashes := map[string][]string{}
	for _, it := range items {
		hashes[it.Signal.ID] = append(hashes[it.Signal.ID], it.Signal.Hash())
	}
	if len(hashes) != 2 || len(hashes["ocds:ocds-fxo-1:tender"]) != 2 || len(hashes["ocds:ocds-fxo-1:award:A"]) != 2 {
		t.Fatalf("signals %v, want the tender and the award, each twice (the contract is the award's)", hashes)
	}
	for id, hs := range hashes {
		if hs[0] != hs[1] {
			t.Errorf("%s: the copies differ", id)
		}
	}
	award := items[len(items)-1].Signal
	if award.Title != "Dredging of berth 4" || award.OccurredAt.Format("2006-01-02") != "2024-09-20" || award.Amount != 385000 {
		t.Errorf("award as repeated by the contract release: %q %v %v", award.Title, award.OccurredAt, award.Amount)
	}
}

// TestOCDSContainers reads the other ways publishers lay releases out: a
// top-level array, documents one after the other, a record's releases
// before its ocid.
func TestOCDSContainers(t *testing.T) {
	rel := func(ocid string) string {
		return `{"ocid":"` + ocid + `","id":"1","date":"2024-01-01","buyer":{"name":"Container Council"},"tender":{"title":"t ` + ocid + `"}}`
	}
	for _, tc := range []struct {
		name, text string
		want       []string // signal ids
		rejected   []string // rejection prefixes
	}{
		{"Array", "[" + rel("ocds-c-1") + ",\n" + `{"ocid":,"id":"2"}` + ",\n" + rel("ocds-c-2") + "]",
			[]string{"ocds:ocds-c-1:tender", "ocds:ocds-c-2:tender"}, []string{"f.json:2: [1]: column 9: invalid character ',' expected a value"}},
		// A bracket never closed swallows what follows it in an array:
		// what came before is kept, and the error says where it starts.
		{"ArrayUnclosed", "[" + rel("ocds-c-8") + ",\n" + `{"ocid":"x",` + ",\n" + rel("ocds-c-9") + "]",
			[]string{"ocds:ocds-c-8:tender"}, []string{"f.json:2: [1]: column 13: invalid character ','"}},
		{"JSONLinesThenPretty", rel("ocds-c-10") + "\n" + rel("ocds-c-11")[:30] + "\n" + rel("ocds-c-12") + "\n{\n" + rel("ocds-c-13")[1:] + "\n",
			[]string{"ocds:ocds-c-10:tender", "ocds:ocds-c-12:tender", "ocds:ocds-c-13:tender"}, []string{"f.json:2: document: column 31: invalid character '\\n' in a string (control characters must be escaped; a quote missing?)"}},
		{"Concatenated", rel("ocds-c-3") + "\n\n" + `{"releases":[` + "\n" + rel("ocds-c-4") + "]}",
			[]string{"ocds:ocds-c-3:tender", "ocds:ocds-c-4:tender"}, nil},
		{"PrettyDocumentsOneAfterAnother", "{\n" + rel("ocds-c-5")[1:] + "\n{\n" + rel("ocds-c-6")[1:],
			[]string{"ocds:ocds-c-5:tender", "ocds:ocds-c-6:tender"}, nil},
		{"RecordReleasesBeforeOcid", `{"releases":[` + rel("ocds-c-7") + `],"ocid":"ocds-c-7"}`,
			[]string{"ocds:ocds-c-7:tender"}, nil},
		{"EmptyPackage", `{"version":"1.1","releases":[]}`, nil, nil},
		{"NotOCDS", `{"data":{"x":1}}`, nil, []string{"f.json:1: release: not an OCDS release, record or package"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, bad, err := parseString(t, ingest.OCDS{}, "f.json", tc.text)
			if tc.name == "ArrayUnclosed" {
				if err == nil || err.Error() != `f.json:3: column 119: unexpected end of file in the top-level array after 2 elements, expected ',' or ']' (truncated?)` {
					t.Errorf("err %v", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, it := range items {
				ids = append(ids, it.Signal.ID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("signals %q, want %q", ids, tc.want)
			}
			if len(bad) != len(tc.rejected) {
				t.Fatalf("rejected %v, want %q", bad, tc.rejected)
			}
			for i, w := range tc.rejected {
				if !strings.HasPrefix(bad[i].Error(), w) {
					t.Errorf("rejection %q, want it to start %q", bad[i], w)
				}
			}
		})
	}
}
