package crawlers_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph/crawlers"
)

type noticeLabel struct {
	Type      string   `json:"type"`
	Buyer     string   `json:"buyer"`
	Agency    string   `json:"agency"`
	Project   string   `json:"project"`
	Number    string   `json:"number"`
	Suppliers []string `json:"suppliers"`
	Amount    *float64 `json:"amount"`
	Date      string   `json:"date"`
}

// LoadSavedNotice reads a notice as the tenders-cn crawler saved it.
func loadSavedNotice(t *testing.T, path string) crawlers.NoticeInput {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	s := func(k string) string { v, _ := raw[k].(string); return v }
	return crawlers.NoticeInput{URL: s("url"), Title: s("title"), AnnounceType: s("announce_type"), PurchaserName: s("purchaser_name"),
		AgentName: s("agent_name"), ProjectName: s("project_name"), PublishedAt: s("published_ts"), Content: s("content")}
}

// TestNoticeExtractionAccuracy measures field-level accuracy on the 13 real
// notices, labelled by hand in testdata/notice_labels.json.
func TestNoticeExtractionAccuracy(t *testing.T) {
	b, err := os.ReadFile("testdata/notice_labels.json")
	if err != nil {
		t.Fatal(err)
	}
	var labels map[string]json.RawMessage
	if err := json.Unmarshal(b, &labels); err != nil {
		t.Fatal(err)
	}
	fields := []string{"type", "buyer", "agency", "project", "number", "suppliers", "amount", "date"}
	right := map[string]int{}
	n := 0
	var names []string
	for name := range labels {
		if !strings.HasPrefix(name, "_") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		var want noticeLabel
		if err := json.Unmarshal(labels[name], &want); err != nil {
			t.Fatal(err)
		}
		got := crawlers.ExtractNotice(loadSavedNotice(t, filepath.Join("../../shared/data/tenders-cn", name)))
		n++
		sup := got.Suppliers()
		wantAmount := 0.0
		if want.Amount != nil {
			wantAmount = *want.Amount
		}
		checks := map[string]bool{
			"type": got.Type == want.Type, "buyer": got.Buyer == want.Buyer, "agency": got.Agency == want.Agency,
			"project": got.Project == want.Project, "number": got.Number == want.Number,
			"suppliers": slices.Equal(sup, want.Suppliers) || (len(sup) == 0 && len(want.Suppliers) == 0),
			"amount":    math.Abs(got.Amount-wantAmount) < 0.01,
			"date":      got.PublishedAt.In(cst).Format("2006-01-02") == want.Date,
		}
		for _, f := range fields {
			if checks[f] {
				right[f]++
			} else {
				t.Logf("%s: %s = %v, want %v", name, f, map[string]any{"type": got.Type, "buyer": got.Buyer, "agency": got.Agency,
					"project": got.Project, "number": got.Number, "suppliers": sup, "amount": got.Amount, "date": got.PublishedAt}[f],
					map[string]any{"type": want.Type, "buyer": want.Buyer, "agency": want.Agency, "project": want.Project,
						"number": want.Number, "suppliers": want.Suppliers, "amount": wantAmount, "date": want.Date}[f])
			}
		}
		for f, why := range got.Missing {
			if (f == "suppliers" && len(want.Suppliers) > 0) || why == "" {
				t.Errorf("%s: %s reported missing (%s) but the notice has it", name, f, why)
			}
		}
	}
	var report []string
	total := 0
	for _, f := range fields {
		report = append(report, fmt.Sprintf("%s %d/%d", f, right[f], n))
		total += right[f]
	}
	acc := float64(total) / float64(n*len(fields))
	t.Logf("field accuracy on %d notices: %s; overall %.3f", n, strings.Join(report, ", "), acc)
	if acc < 0.9 {
		t.Errorf("overall field accuracy %.3f, want ≥ 0.9", acc)
	}
}
