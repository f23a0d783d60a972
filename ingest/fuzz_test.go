package ingest_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

// The fuzz targets hold every parser, and the functions that read names,
// money and dates, to what a file of any bytes may expect: no panic, no
// hang, every record emitted valid and positioned inside the file, every
// rejection naming the file. Seeds are the real samples in ../shared/data;
// .ci/run runs each for a few seconds (a crash found becomes a seed in
// testdata/fuzz and a fixed test).

// addSeeds adds the first max bytes of every file matching the globs.
func addSeeds(f *testing.F, max int, globs ...string) {
	for _, g := range globs {
		files, _ := filepath.Glob(g)
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				continue
			}
			f.Add(b[:min(len(b), max)])
		}
	}
}

// checkParse runs p over b and checks what it emits and rejects.
func checkParse(t *testing.T, p ingest.Parser, b []byte) {
	lines := bytes.Count(b, []byte("\n")) + 1
	text, _, err := ingest.Decode(bytes.NewReader(b), "f")
	if err != nil {
		return // refused as not text, with a reason: nothing to parse
	}
	err = p.Parse(context.Background(), text, "f", func(it ingest.Item) error {
		if it.Pos.File != "f" || it.Pos.Line < 0 || it.Pos.Line > lines {
			t.Errorf("item at %v, in a file of %d lines", it.Pos, lines)
		}
		if it.Signal != nil {
			if err := it.Signal.Validate(); err != nil {
				t.Errorf("invalid signal at %v: %v", it.Pos, err)
			}
			if strings.ContainsRune(it.Signal.Title+it.Signal.Text, utf8.RuneError) && !bytes.ContainsRune(b, utf8.RuneError) {
				t.Errorf("a replacement character stored at %v", it.Pos)
			}
		}
		return nil
	}, func(err error) {
		if !strings.HasPrefix(err.Error(), "f") {
			t.Errorf("rejection without the file: %v", err)
		}
		if len(err.Error()) > 2<<10 {
			t.Errorf("a rejection of %d bytes", len(err.Error()))
		}
	})
	if err != nil && valuegraph.ErrorCode(err) != valuegraph.EINVALID {
		t.Errorf("a file's fault reported as %s: %v", valuegraph.ErrorCode(err), err)
	}
}

func FuzzCustoms(f *testing.F) {
	addSeeds(f, 8<<10, "../../shared/data/customs/*.csv")
	f.Fuzz(func(t *testing.T, b []byte) { checkParse(t, ingest.Customs{}, b) })
}

func FuzzCRM(f *testing.F) {
	f.Add([]byte("order_id,account_id,order_date,amount,currency,product,quantity,status\nO-1,A-2,2026-03-11,\"180,000.00\",CNY,冷链监控平台,1,shipped\n"))
	f.Add([]byte("account_id,name,uscc,industry,region,size,owner_id,aliases\nA-2,重庆华信冷链物流有限公司,914403001922038216,logistics,重庆,500-1000,rep-wang,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, kind := range []string{"orders", "crm-accounts"} {
			checkParse(t, ingest.CRM{Kind: kind}, b)
		}
	})
}

func FuzzForum(f *testing.F) {
	addSeeds(f, 4<<10, "../../shared/data/forums/*.jsonl")
	f.Fuzz(func(t *testing.T, b []byte) { checkParse(t, ingest.Forum{}, b) })
}

func FuzzDecode(f *testing.F) {
	addSeeds(f, 4<<10, "../../shared/data/tenders-cn-more/*.htm*", "../../shared/data/ocds/colombia/releases/*.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		r, enc, err := ingest.Decode(bytes.NewReader(b), "f")
		if err != nil {
			return
		}
		out, err := io.ReadAll(r)
		if err == nil && !utf8.Valid(out) {
			t.Errorf("decoded as %s into invalid UTF-8", enc)
		}
		if enc == "utf-8" && err == nil && !bytes.Equal(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), out) {
			t.Errorf("UTF-8 text changed on the way")
		}
	})
}

func FuzzOrgKey(f *testing.F) {
	for _, s := range []string{"重庆华信冷链物流（有限公司）", "CERAMICHE ATLAS CONCORDE S P A", "7722476458 772201001 OOO YATASH RUS", "ООО «КЕРАМА ТРЕЙД»", "M/S ACE IMPEX C/O X LLC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := ingest.OrgKey(s)
		if ascii(s) && k != ingest.OrgKey(k) && ingest.OrgKey(k) != "" {
			// A key is its own key, or nothing is left of it. (Across
			// scripts it need not be: a Cyrillic word standing apart is
			// kept as written, inside a Latin one it is read as Latin.)
			t.Errorf("OrgKey(%q) = %q, but OrgKey(%q) = %q", s, k, k, ingest.OrgKey(k))
		}
		if !utf8.ValidString(k) && utf8.ValidString(s) {
			t.Errorf("OrgKey(%q) = %q: not UTF-8", s, k)
		}
	})
}

func FuzzMoneyAndDates(f *testing.F) {
	for _, s := range []string{"180,000.00", "25万元", "￥1,283,000.00", "2026-03-11", "Jan 2025", "2016年7月22日", "1.5e3", "-3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m, err := ingest.ParseMoney(s, "CNY"); err == nil && m.Amount < 0 {
			t.Errorf("ParseMoney(%q) = %v: negative", s, m)
		}
		if d, err := ingest.Date(s, time.UTC); err == nil && (d.Year() < 1 || d.Year() > 9999) {
			t.Errorf("Date(%q) = %v", s, d)
		}
	})
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
