package crawlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/ingest"
)

// noticeLabel is one hand label of testdata/notice_labels.json (its
// "_rules" say how the notices were labelled).
type noticeLabel struct {
	Buyer         string `json:"buyer"`
	Agency        string `json:"agency"`
	Project       string `json:"project"`
	ProjectNumber string `json:"projectNumber"`
	NoticeType    string `json:"noticeType"`
	PublishedAt   string `json:"publishedAt"`
	Lots          []struct {
		Winner     string   `json:"winner"`
		AmountYuan *float64 `json:"amountYuan"`
	} `json:"lots"`
}

// readNotice reads one saved notice file the way `ingest -kind notices`
// does, and returns its item.
func readNotice(t *testing.T, p crawlers.SavedNotices, path string) (ingest.Item, []error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var items []ingest.Item
	var bad []error
	err = p.Parse(context.Background(), f, filepath.Base(path), func(it ingest.Item) error { items = append(items, it); return nil }, func(e error) { bad = append(bad, e) })
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(items) > 1 {
		t.Fatalf("%s: %d items, want one per file", path, len(items))
	}
	if len(items) == 0 {
		return ingest.Item{}, bad
	}
	return items[0], bad
}

// detailOf is the notice an item's Detail holds, as a dry run would print it.
func detailOf(t *testing.T, it ingest.Item) noticeLabel {
	t.Helper()
	b, err := json.Marshal(it.Detail)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Notice *noticeLabel `json:"notice"`
	}
	if err := json.Unmarshal(b, &d); err != nil || d.Notice == nil {
		t.Fatalf("Detail %s is not {\"notice\": {...}}: %v", b, err)
	}
	return *d.Notice
}

// norm folds full-width forms and drops spaces: names are compared as the
// extractor matches labels, so （集团） and (集团) are the same name.
func norm(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFF01 + '!'
		case unicode.IsSpace(r):
			return -1
		}
		return r
	}, s)
}

// lotSet is a notice's lots as a set of "winner=amount" strings.
func lotSet(lots []struct {
	Winner     string   `json:"winner"`
	AmountYuan *float64 `json:"amountYuan"`
}) []string {
	var out []string
	for _, l := range lots {
		a := "null"
		if l.AmountYuan != nil {
			a = fmt.Sprintf("%.2f", math.Round(*l.AmountYuan*100)/100)
		}
		if s := norm(l.Winner) + "=" + a; !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

var noticeFields = []string{"buyer", "agency", "project", "projectNumber", "noticeType", "publishedAt", "lots"}

// TestNoticeExtractionAccuracy measures the extractor on every real notice
// in ../shared/data (tenders-cn and tenders-cn-more: 43 files, crawler JSON
// and saved pages, UTF-8 and GBK), against the hand labels in
// testdata/notice_labels.json.
//
// Field accuracy: per notice, seven fields are compared: buyer, agency,
// project, projectNumber, noticeType and publishedAt (as strings, after
// folding full-width forms and spaces), and the lots, compared as one field:
// the set of (winner, amount in yuan or null) pairs must be equal. Accuracy
// is the share of the 7×N fields that are right. It must be at least 0.95
// overall, and no notice may be dropped whole (each file gives one item).
func TestNoticeExtractionAccuracy(t *testing.T) {
	b, err := os.ReadFile("testdata/notice_labels.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rules   []string                   `json:"_rules"`
		Notices map[string]json.RawMessage `json:"notices"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	// Every real notice is labelled, and every label is a real notice.
	var files []string
	for _, dir := range []string{"tenders-cn", "tenders-cn-more"} {
		entries, err := os.ReadDir(filepath.Join("../../shared/data", dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != "PROVENANCE.md" {
				files = append(files, dir+"/"+e.Name())
			}
		}
	}
	if len(files) != len(doc.Notices) || len(files) != 43 {
		t.Fatalf("%d files, %d labels; want the 43 real notices, each labelled", len(files), len(doc.Notices))
	}

	type tally struct{ right, total int }
	byDir := map[string]*tally{}
	byField := map[string]*tally{}
	for _, name := range files {
		raw, ok := doc.Notices[name]
		if !ok {
			t.Errorf("%s: not labelled", name)
			continue
		}
		var want noticeLabel
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("label %s: %v", name, err)
		}
		it, bad := readNotice(t, crawlers.SavedNotices{}, filepath.Join("../../shared/data", name))
		var got noticeLabel
		refused := false
		switch {
		case it.Signal != nil:
			got = detailOf(t, it)
		case want.PublishedAt == "" && len(bad) == 1 && strings.Contains(bad[0].Error(), ": publishedAt: "):
			// A notice that gives no date at all cannot be a signal: it
			// is refused, saying so, and every field counts as missed.
			t.Logf("%s: refused for want of a date (%v)", name, bad[0])
			refused = true
		default:
			t.Errorf("%s: dropped whole (%v)", name, bad)
			continue
		}
		gotVals := map[string]string{"buyer": got.Buyer, "agency": got.Agency, "project": got.Project, "projectNumber": got.ProjectNumber,
			"noticeType": got.NoticeType, "publishedAt": got.PublishedAt, "lots": strings.Join(lotSet(got.Lots), "; ")}
		wantVals := map[string]string{"buyer": want.Buyer, "agency": want.Agency, "project": want.Project, "projectNumber": want.ProjectNumber,
			"noticeType": want.NoticeType, "publishedAt": want.PublishedAt, "lots": strings.Join(lotSet(want.Lots), "; ")}
		dir := strings.Split(name, "/")[0]
		for _, f := range noticeFields {
			for _, k := range []string{dir, "all"} {
				if byDir[k] == nil {
					byDir[k] = &tally{}
				}
				byDir[k].total++
			}
			if byField[f] == nil {
				byField[f] = &tally{}
			}
			byField[f].total++
			if !refused && norm(gotVals[f]) == norm(wantVals[f]) {
				byDir[dir].right++
				byDir["all"].right++
				byField[f].right++
			} else {
				t.Logf("%s: %s = %q, want %q", name, f, gotVals[f], wantVals[f])
			}
		}
	}
	acc := func(k string) float64 { return float64(byDir[k].right) / float64(byDir[k].total) }
	var fields []string
	for _, f := range noticeFields {
		fields = append(fields, fmt.Sprintf("%s %d/%d", f, byField[f].right, byField[f].total))
	}
	t.Logf("field accuracy: overall %.3f, tenders-cn %.3f, tenders-cn-more %.3f; %s", acc("all"), acc("tenders-cn"), acc("tenders-cn-more"), strings.Join(fields, ", "))
	if a := acc("all"); a < 0.95 {
		t.Errorf("overall field accuracy %.3f, want ≥ 0.95", a)
	}
}
