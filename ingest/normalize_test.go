package ingest_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

func TestOrgKey(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"上海浦东发展银行股份有限公司", "上海浦东发展银行"},
		{"江苏精华制药集团股份有限公司", "江苏精华制药"},
		{"海南航空控股股份有限公司", "海南航空控股"},
		{"某某（集团）股份有限公司", "某某(集团)有限公司"},
		{"重庆华信冷链物流（有限公司）", "重庆华信冷链物流有限公司"}, // a form in brackets is a form
		{"ＡＢＣ科技有限公司", "ABC科技"},
		{"TITANIUM VITRIFIED PRIVATE LIMITED", "Titanium Vitrified Pvt. Ltd."},
		{"FOSHAN THE GUIDER BUILDING MATERIAL CO LIMITED", "Foshan The Guider Building Material Co., Ltd."},
		{"COSENTINO GLOBAL SLU", "Cosentino Global S.L.U."},
		{"CERAMICHE ATLAS CONCORDE S P A", "Ceramiche Atlas Concorde S.p.A."},
		{"ITA LY", "ITALY"},
		{"7722476458 772201001 OOO YATASH RUS", "7722476458 772201001 YATASH RUS"},
		{"PT SURYA BANGUNAN SEMESTA", "SURYA BANGUNAN SEMESTA"},
		{"ООО «КЕРАМА ТРЕЙД»", "КЕРАМА ТРЕЙД"},
		{"CERAMIСHE ATLAS СONCORDE", "CERAMICHE ATLAS CONCORDE"}, // Cyrillic С typed inside Latin words
		{"KITCHENS & BEYOND LIMITED", "KITCHENS AND BEYOND LTD"},
		{"R A K CERAMICS PJSC", "RAK CERAMICS P.J.S.C."},
		{"DUNE CERÃ¡MICA S L", "DUNE CERAMICA S.L."},
		{"OLAYA GENERAL TRADING FZ-LLC", "OLAYA GENERAL TRADING FZ LLC"},
	} {
		if ka, kb := ingest.OrgKey(tc.a), ingest.OrgKey(tc.b); ka != kb || ka == "" {
			t.Errorf("OrgKey(%q) = %q, OrgKey(%q) = %q; want equal", tc.a, ka, tc.b, kb)
		}
	}
	for _, tc := range []struct{ a, b string }{
		{"中国民生银行股份有限公司", "中国银行股份有限公司"},
		{"ACE IMPEX", "ACE EXPORTS"},
		{"CO", "INC"}, // a bare legal form is a name, not nothing
	} {
		if ingest.OrgKey(tc.a) == ingest.OrgKey(tc.b) {
			t.Errorf("OrgKey(%q) == OrgKey(%q) = %q; want different", tc.a, tc.b, ingest.OrgKey(tc.a))
		}
	}
}

// Every company of the real SSE sample keeps a non-empty key, and its full
// name with full-width brackets keys as with ASCII ones.
func TestOrgKeyOnListedCompanies(t *testing.T) {
	b, err := os.ReadFile("../../shared/data/companies-cn/sse_a_share_names_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		full := row[3]
		key := ingest.OrgKey(full)
		if key == "" || strings.ContainsAny(key, "()（） ") {
			t.Errorf("OrgKey(%q) = %q", full, key)
		}
		wide := strings.NewReplacer("(", "（", ")", "）").Replace(full)
		if ingest.OrgKey(wide) != key {
			t.Errorf("full-width brackets change the key of %q", full)
		}
	}
}

func TestFoldAndPersonName(t *testing.T) {
	if got := ingest.Fold("\ufeff  重庆　华信（冷链）\t有限公司 "); got != "重庆 华信(冷链) 有限公司" {
		t.Errorf("Fold = %q", got)
	}
	if got := ingest.PersonName("张 伟"); got != "张伟" {
		t.Errorf("PersonName = %q", got)
	}
	if got := ingest.PersonName(" Iain  Perkins "); got != "Iain Perkins" {
		t.Errorf("PersonName = %q", got)
	}
}

func TestUSCC(t *testing.T) {
	for _, ok := range []string{"914403001922038216", "91440300192185379H", "9131000013221158XC", "９１４４０３００１９２２０３８２１６", "91110000 100010433l"} {
		if _, err := ingest.USCC(ok); err != nil {
			t.Errorf("USCC(%q): %v", ok, err)
		}
	}
	for _, tc := range []struct{ code, want string }{
		{"914403001922038217", `check character is '7', want '6'`},
		{"91440300192203821", "has 17 characters"},
		{"9144030019220382I6", "character 17 ('I') is not allowed"},
	} {
		_, err := ingest.USCC(tc.code)
		if valuegraph.ErrorCode(err) != valuegraph.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("USCC(%q) = %v, want an error saying %s", tc.code, err, tc.want)
		}
	}
}

func TestOrgIdentifier(t *testing.T) {
	id, ok, err := ingest.OrgIdentifier("统一社会信用代码", "914403001922038216")
	if err != nil || !ok || id.Scheme != valuegraph.SchemeUSCC {
		t.Errorf("USCC by scheme: %v %v %v", id, ok, err)
	}
	if id, ok, err = ingest.OrgIdentifier("NIT", "914403001922038216"); err != nil || id.Scheme != valuegraph.SchemeUSCC {
		t.Errorf("USCC by shape: %v %v %v", id, ok, err)
	}
	if _, _, err = ingest.OrgIdentifier("", "914403001922038217"); err == nil {
		t.Error("an invalid USCC passed")
	}
	if _, ok, err = ingest.OrgIdentifier("NIT", "NULL"); ok || err != nil {
		t.Error("a null identifier was kept")
	}
	if id, ok, _ = ingest.OrgIdentifier("NIT", "891801911-5"); !ok || id.Key() != "NIT:891801911-5" {
		t.Errorf("NIT: %v", id)
	}
}

func TestDate(t *testing.T) {
	utc := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2025-11-18", utc("2025-11-17T16:00:00Z")}, // midnight in Shanghai
		{"2025-03-28T18:30:00.000Z", utc("2025-03-28T18:30:00Z")},
		{"2011-03-18T23:21:02.000000Z", utc("2011-03-18T23:21:02Z")},
		{"Mar 2025", utc("2025-02-28T16:00:00Z")},
		{"2016年11月30日", utc("2016-11-29T16:00:00Z")},
		{"2016年11月30日 09:30", utc("2016-11-30T01:30:00Z")},
		{"２０１６-１１-３０", utc("2016-11-29T16:00:00Z")},
	} {
		got, err := ingest.Date(tc.in, nil)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("Date(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"yesterday", "2025-13-01", "0201-01-01", "NULL"} {
		if _, err := ingest.Date(bad, nil); valuegraph.ErrorCode(err) != valuegraph.EINVALID {
			t.Errorf("Date(%q): err = %v, want EINVALID", bad, err)
		}
	}
}

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in       string
		amount   float64
		currency string
	}{
		{"180万元", 1_800_000, "CNY"},
		{"￥1,234.56", 1234.56, "CNY"},
		{"1.2亿元", 120_000_000, "CNY"},
		{"USD 56,527.20", 56527.2, "USD"},
		{"216081", 216081, "TWD"},
		{"人民币 叁拾万元整（300000元）", 300000, "CNY"},
	} {
		m, err := ingest.ParseMoney(tc.in, "TWD")
		if err != nil || m.Amount != tc.amount || m.Currency != tc.currency {
			t.Errorf("ParseMoney(%q) = %+v, %v; want %v %s", tc.in, m, err, tc.amount, tc.currency)
		}
	}
	for _, bad := range []string{"", "面议", "-5元", "9999999亿元"} {
		if _, err := ingest.ParseMoney(bad, "CNY"); valuegraph.ErrorCode(err) != valuegraph.EINVALID {
			t.Errorf("ParseMoney(%q): err = %v, want EINVALID", bad, err)
		}
	}
}
