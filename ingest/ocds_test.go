package ingest_test

import (
	"context"
	"os"
	"path/filepath"
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

func TestOCDSRealPublishers(t *testing.T) {
	files, _ := filepath.Glob("../../shared/data/ocds/*/*/*.json")
	if len(files) < 50 {
		t.Fatalf("found %d OCDS sample files, want the whole sample", len(files))
	}
	kinds := map[string]map[valuegraph.SignalKind]int{}
	for _, f := range files {
		items, bad, err := parseFile(t, ingest.OCDS{}, f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		publisher := strings.Split(f, "/")[5]
		if kinds[publisher] == nil {
			kinds[publisher] = map[valuegraph.SignalKind]int{}
		}
		for _, it := range items {
			kinds[publisher][it.Signal.Kind]++
			if err := it.Signal.Validate(); err != nil {
				t.Errorf("%s: invalid signal %s: %v", f, it.Signal.ID, err)
			}
			if len(it.About) != 1 || it.About[0].Name == "" {
				t.Errorf("%s: %s is about %+v, want the buyer", f, it.Signal.ID, it.About)
			}
			if it.Signal.Kind == valuegraph.SignalAward && len(it.Winners) == 0 {
				t.Errorf("%s: award %s has no winner", f, it.Signal.ID)
			}
		}
		for _, e := range bad {
			if !strings.HasPrefix(e.Error(), filepath.Base(f)+":") {
				t.Errorf("rejection without the file's name: %v", e)
			}
		}
		if len(items) == 0 {
			t.Errorf("%s: no signals (rejected: %v)", f, bad)
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
	t.Logf("signals by publisher: %v", kinds)
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
		for i := range 300 { // more than the resolver holds back, so they stream
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(release("ocds-a-"+string(rune('a'+i%26))+strings.Repeat("x", i/26), "甲公司", ""))
		}
		text := b.String()
		items, _, err := parseString(t, ingest.OCDS{}, "cut.json", text[:len(text)-40])
		if err == nil || !strings.Contains(err.Error(), "cut.json:") || !strings.Contains(err.Error(), "truncated JSON") {
			t.Fatalf("err = %v, want the file, line and 'truncated JSON'", err)
		}
		if len(items) < 290 {
			t.Errorf("kept %d releases before the cut, want 299", len(items))
		}
		if !strings.Contains(err.Error(), "cut.json:898:") {
			t.Errorf("err %q does not point at line 898, where release 299 starts", err)
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
		want := []string{"mixed.json:4: releases[1].ocid: required", "mixed.json:5: releases[2].awards[0].suppliers[0].identifier[0]: unified social credit code"}
		if len(bad) != len(want) {
			t.Fatalf("rejected %v, want %d", bad, len(want))
		}
		for i, w := range want {
			if !strings.HasPrefix(bad[i].Error(), w) {
				t.Errorf("rejection %d = %q, want it to start %q", i, bad[i], w)
			}
		}
		// The supplier with the bad code is still named, by its name.
		if w := items[2].Winners; len(w) != 1 || w[0].Name != "某供应商" || len(w[0].Identifiers) != 0 {
			t.Errorf("winners %+v", w)
		}
	})
	t.Run("NotJSON", func(t *testing.T) {
		_, _, err := parseString(t, ingest.OCDS{}, "x.json", "<html>")
		if valuegraph.ErrorCode(err) != valuegraph.EINVALID || !strings.HasPrefix(err.Error(), "x.json:1: not JSON") {
			t.Fatalf("err = %v", err)
		}
	})
}
