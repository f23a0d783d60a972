package ingest_test

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

func TestCustomsRealFiles(t *testing.T) {
	for _, tc := range []struct {
		file              string
		items, rejected   int
		withSupplier      int // rows naming a supplier (N/A rows do not)
		firstCustomer     string
		firstAmountAtMost float64
	}{
		{"aaziko_india_import_short_hs690721.csv", 1000, 0, 997, "5 ELEMENTS", 100},
		{"aaziko_india_import_full_hs690721.csv", 2, 0, 2, "PIDILITE GRUPO PUMA MANUFACTURING LIMITED", 1000},
		{"aaziko_india_export_usa_full_hs690721.csv", 16, 0, 0, "TITANIUM VITRIFIED PRIVATE LIMITED", 60000},
		{"aaziko_brazil_bl_import_full.csv", 2, 0, 2, "COSENTINO LATINA LTDA", 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			items, bad, err := parseFile(t, ingest.Customs{}, "../../shared/data/customs/"+tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tc.items || len(bad) != tc.rejected {
				t.Fatalf("%d items, %d rejected (%v); want %d and %d", len(items), len(bad), bad, tc.items, tc.rejected)
			}
			ids := map[string]bool{}
			suppliers := 0
			for _, it := range items {
				if err := it.Signal.Validate(); err != nil {
					t.Errorf("line %d: %v", it.Pos.Line, err)
				}
				if ids[it.Signal.ID] {
					t.Errorf("line %d: duplicate signal id %s", it.Pos.Line, it.Signal.ID)
				}
				ids[it.Signal.ID] = true
				suppliers += len(it.Suppliers)
			}
			if suppliers != tc.withSupplier {
				t.Errorf("%d rows name a supplier, want %d", suppliers, tc.withSupplier)
			}
			first := items[0]
			if first.About[0].Name != tc.firstCustomer || first.Pos.Line != 2 {
				t.Errorf("first item about %q at line %d", first.About[0].Name, first.Pos.Line)
			}
			if first.Signal.Amount > tc.firstAmountAtMost || (tc.firstAmountAtMost > 0 && first.Signal.Amount == 0) {
				t.Errorf("first amount %v %s", first.Signal.Amount, first.Signal.Currency)
			}
			if !strings.Contains(first.Signal.Title, "HS 69072100") {
				t.Errorf("title %q", first.Signal.Title)
			}
		})
	}
}

func TestCustomsBadInput(t *testing.T) {
	header := "IMPORTER_NAME,SUPPLIER_NAME,HS_CODE,HS_CODE_DESCRIPTION,IEC,INDIAN_PORT,PORT_OF_SHIPMENT,ORIGIN_COUNTRY,IMP_DATE,TOTAL_VALUE_USD,TOTAL_QUANTITY,AVG_UNITPRICE,MONTHYEAR\n"
	good := "ACE IMPEX,VSOURCE LIMITED,69072100,TILES,0516981293,CHENNAI,NANSHA,CHINA,2025-01-19T18:30:00.000Z,26.79,3.3,8.1,Jan 2025\n"
	t.Run("RowsWithProblems", func(t *testing.T) {
		text := header + good +
			"SHORT ROW,ONLY,THREE\n" + // line 3
			"BAD DATE CO,X,69072100,TILES,NULL,P,P,CHINA,someday,1,1,1,Jan 2025\n" + // line 4
			"ABSURD CO,X,69072100,TILES,NULL,P,P,CHINA,2025-01-19,-5,1e30,1,Jan 2025\n" + // line 5
			"TO THE ORDER OF,X,69072100,TILES,NULL,P,P,CHINA,2025-01-19,1,1,1,Jan 2025\n" + // line 6
			"NO HS CO,X,tiles,TILES,NULL,P,P,CHINA,2025-01-19,1,1,1,Jan 2025\n" + // line 7
			good // line 8: same record again, same id
		items, bad, err := parseString(t, ingest.Customs{}, "rows.csv", text)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"rows.csv:3: 3 fields, the header has 13",
			`rows.csv:4: IMP_DATE: "someday" is not a date`,
			`rows.csv:5: TOTAL_QUANTITY: "1e30" is out of range`,
			`rows.csv:5: TOTAL_VALUE_USD: "-5" is out of range`,
			`rows.csv:6: IMPORTER_NAME: no customer ("TO THE ORDER OF")`,
			`rows.csv:7: HS_CODE: "tiles" is not an HS code`,
		}
		if len(bad) != len(want) {
			t.Fatalf("rejected %d: %v", len(bad), bad)
		}
		for i, w := range want {
			if !strings.HasPrefix(bad[i].Error(), w) {
				t.Errorf("rejection %d = %q, want %q", i, bad[i], w)
			}
		}
		// Lines 2, 5 (without its bad numbers) and 8 are kept.
		if len(items) != 3 || items[1].About[0].Name != "ABSURD CO" || items[1].Signal.Amount != 0 {
			t.Fatalf("items %+v", items)
		}
		if items[0].Signal.ID != items[2].Signal.ID {
			t.Error("the same record twice got two ids")
		}
	})
	t.Run("GBKAndBOM", func(t *testing.T) {
		text := header + "重庆华信冷链物流有限公司,佛山某陶瓷有限公司,69072100,瓷砖,NULL,P,P,CHINA,2025-03-01,100,2,50,Mar 2025\n"
		gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string]string{"gbk.csv": gbk, "bom.csv": "\xef\xbb\xbf" + text} {
			items, bad, err := parseReader(t, ingest.Customs{}, bytes.NewReader([]byte(data)), name)
			if err != nil || len(bad) > 0 || len(items) != 1 {
				t.Fatalf("%s: %d items, rejected %v, err %v", name, len(items), bad, err)
			}
			if got := items[0].About[0].Name; got != "重庆华信冷链物流有限公司" {
				t.Errorf("%s: customer %q", name, got)
			}
		}
	})
	t.Run("UnknownLayout", func(t *testing.T) {
		_, _, err := parseString(t, ingest.Customs{}, "other.csv", "A,B,C\n1,2,3\n")
		if valuegraph.ErrorCode(err) != valuegraph.EINVALID || !strings.Contains(err.Error(), "matches no customs layout") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestLoadCustomsLayouts(t *testing.T) {
	layouts, err := ingest.LoadCustomsLayouts(nil, "")
	if err != nil || len(layouts) < 4 {
		t.Fatalf("built-in layouts: %d, %v", len(layouts), err)
	}
	for _, tc := range []struct{ name, yaml, want string }{
		{"UnknownKey", "layouts:\n  x:\n    match: [A]\n    colums: {}\n", "field colums not found"},
		{"MissingColumns", "layouts:\n  kenya:\n    match: [A]\n    currency: KES\n    columns:\n      customer: A\n", "layouts.kenya.columns.date: required"},
		{"NoCurrency", "layouts:\n  k:\n    match: [A]\n    columns: {customer: A, hsCode: B, date: C, value: D}\n", "layouts.k.currency: a layout with a value column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ingest.LoadCustomsLayouts([]byte(tc.yaml), "layouts.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "layouts.yaml") {
				t.Fatalf("err = %v, want one naming layouts.yaml and %q", err, tc.want)
			}
		})
	}
	// A new country is configuration: a layout for a made-up Kenyan export.
	ke, err := ingest.LoadCustomsLayouts([]byte("layouts:\n  kenya:\n    match: [IMPORTER, HS, DATE]\n    country: KE\n    currency: KES\n    columns: {customer: IMPORTER, hsCode: HS, date: DATE, value: VALUE}\n"), "ke.yaml")
	if err != nil {
		t.Fatal(err)
	}
	items, bad, err := parseString(t, ingest.Customs{Layouts: ke}, "ke.csv", "IMPORTER,HS,DATE,VALUE\nNAIROBI TILES LTD,6907210000,2025-02-01,1200\n")
	if err != nil || len(bad) > 0 || len(items) != 1 || items[0].Signal.Currency != "KES" {
		t.Fatalf("items %+v, rejected %v, err %v", items, bad, err)
	}
}
