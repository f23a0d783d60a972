package ingest_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
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
		// 3 rows have no supplier (N/A), 4 name "AS PER SELLER", a placeholder.
		{"aaziko_india_import_short_hs690721.csv", 1000, 0, 993, "5 ELEMENTS", 100},
		{"aaziko_india_import_full_hs690721.csv", 2, 0, 2, "PIDILITE GRUPO PUMA MANUFACTURING LIMITED", 1000},
		{"aaziko_india_export_usa_full_hs690721.csv", 16, 0, 0, "TITANIUM VITRIFIED PRIVATE LIMITED", 60000},
		{"aaziko_brazil_bl_import_full.csv", 2, 0, 2, "COSENTINO LATINA LTDA", 0},
		{"aaziko_kenya_import_short_hs690721.csv", 1000, 0, 1000, "KOMRADES DREAM TEAM PLC", 2000},
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
			if !strings.Contains(first.Signal.Title, "HS 690721") {
				t.Errorf("title %q", first.Signal.Title)
			}
			if b, err := json.Marshal(first.Detail); err != nil || !bytes.HasPrefix(b, []byte(`{"organisations":[{"role":`)) {
				t.Errorf("first detail %s, %v", b, err)
			} else if tc.file == "aaziko_india_import_short_hs690721.csv" && !bytes.Contains(b, []byte(`"key":"5ELEMENTS","identifiers":[{"scheme":"IN-IEC","id":"AHHPK0597L"}]`)) {
				t.Errorf("first detail %s", b)
			}
			// Month-only dates are said to be so; the Detail lists the
			// organisations with their keys.
			monthOnly := strings.Contains(tc.file, "kenya")
			for _, it := range items {
				said := slices.Contains(it.Problems, ingest.Problem{Field: "date", Reason: "month only: stored as the 1st"})
				if said != monthOnly || (monthOnly && it.Signal.OccurredAt.Day() != 1) {
					t.Fatalf("line %d: problems %v, date %v", it.Pos.Line, it.Problems, it.Signal.OccurredAt)
				}
				orgs := it.Detail.(map[string]any)["organisations"].([]ingest.CustomsOrg)
				if len(orgs) < len(it.About)+len(it.Suppliers) || orgs[0].Key == "" || orgs[0].Identifiers == nil {
					t.Fatalf("line %d: detail %+v", it.Pos.Line, orgs)
				}
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
			"TO THE ORDER OF,X,69072100,TILES,NULL,P,P,CHINA,2025-01-19,1,1,1,Jan 2025\n" + // line 6: no importer, a supplier: incomplete
			"NO HS CO,X,tiles,TILES,NULL,P,P,CHINA,2025-01-19,1,1,1,Jan 2025\n" + // line 7: no HS code: incomplete
			good + // line 8: the same row again: a second record (the layout has no id column)
			"TO THE ORDER OF,AS PER SELLER,69072100,TILES,NULL,P,P,CHINA,2025-01-19,1,1,1,Jan 2025\n" // line 9: names no one
		items, bad, err := parseString(t, ingest.Customs{}, "rows.csv", text)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"rows.csv:3: 3 fields, the header has 13",
			`rows.csv:4: IMP_DATE: "someday" is not a date`,
			`rows.csv:5: TOTAL_QUANTITY: "1e30" is out of range`,
			`rows.csv:5: TOTAL_VALUE_USD: "-5" is out of range`,
			`rows.csv:9: IMPORTER_NAME: no organisation named (importer "TO THE ORDER OF")`,
		}
		if len(bad) != len(want) {
			t.Fatalf("rejected %d: %v", len(bad), bad)
		}
		for i, w := range want {
			if !strings.HasPrefix(bad[i].Error(), w) {
				t.Errorf("rejection %d = %q, want %q", i, bad[i], w)
			}
		}
		// Lines 2, 5 (without its bad numbers), 6, 7 and 8 are kept.
		if len(items) != 5 || items[1].About[0].Name != "ABSURD CO" || items[1].Signal.Amount != 0 {
			t.Fatalf("items %+v", items)
		}
		if it := items[2]; len(it.About) != 0 || len(it.Suppliers) != 1 ||
			!reflect.DeepEqual(it.Problems, []ingest.Problem{{Field: "IMPORTER_NAME", Reason: `"TO THE ORDER OF" names no importer`}}) {
			t.Errorf("line 6: about %v, suppliers %v, problems %v", it.About, it.Suppliers, it.Problems)
		}
		if it := items[3]; !reflect.DeepEqual(it.Problems, []ingest.Problem{{Field: "HS_CODE", Reason: `"tiles" is not an HS code`}}) || strings.Contains(it.Signal.Title, "HS") {
			t.Errorf("line 7: problems %v, title %q", it.Problems, it.Signal.Title)
		}
		// Identical rows without an id column are two shipments, not one.
		if items[0].Signal.ID == items[4].Signal.ID {
			t.Error("two identical rows without an id share one id")
		}
		again, _, _ := parseString(t, ingest.Customs{}, "rows.csv", text)
		if again[4].Signal.ID != items[4].Signal.ID {
			t.Error("a second read gives the repeated row another id")
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

// Name rules of the built-in layouts file on names as unseen files write
// them: identifiers inside the name, agents and principals, decorations,
// placeholders. Each case says which rule it exercises.
func TestCustomsNameRules(t *testing.T) {
	layouts, err := ingest.LoadCustomsLayouts(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	rules := layouts[0].Names
	type id = valuegraph.Identifier
	for _, tc := range []struct {
		raw, name, agent string
		ids              []id
		problems         int
	}{
		{"7722476458 772201001 OOO YATASH RUS", "OOO YATASH RUS", "", []id{{Scheme: "RU-INN", Value: "7722476458"}}, 0}, // the KPP goes to Related
		{"7722476459 772201001 OOO YATASH RUS", "OOO YATASH RUS", "", nil, 1},                                           // INN check digit fails: a problem, no identifier
		{"ФИРМА CERAMICHE ATLAS CONCORDE S.P.A.", "CERAMICHE ATLAS CONCORDE S.P.A.", "", nil, 0},
		{"M/S DELTA EXIM", "DELTA EXIM", "", nil, 0},
		{"COMPANY PORCELANOSA S.A.", "PORCELANOSA S.A.", "", nil, 0},
		{"FROM CERAMICHE CAESAR SPA", "CERAMICHE CAESAR SPA", "", nil, 0},
		{"SPANISH TILE FROM NULES SAU", "SPANISH TILE FROM NULES SAU", "", nil, 0}, // FROM inside a name stays
		{"OOO TRANSLOGISTIK FROM KERAMA MARAZZI LLC", "KERAMA MARAZZI LLC", "OOO TRANSLOGISTIK", nil, 0},
		{"ООО ТД КЕРАМИКА ПО ПОРУЧЕНИЮ ООО ВЕСТА", "ООО ВЕСТА", "ООО ТД КЕРАМИКА", nil, 0},
		{"ALFA LLC ON ORDER OF BETA TILES LLC", "BETA TILES LLC", "ALFA LLC", nil, 0},
		{"ФИРМА \"ГАММА\" ПО ПОРУЧЕНИЮ ФИРМЫ \"CERAMICHE CAESAR S.P.A.\"", "CERAMICHE CAESAR S.P.A.", "ГАММА", nil, 0},
		{"KARGO EXPRESS ON BEHALF OF VITRA KARO SAN VE TIC A S", "VITRA KARO SAN VE TIC A S", "KARGO EXPRESS", nil, 0},
		{"TO THE ORDER OF ANATOLIA TILE AND STONE USA INC", "ANATOLIA TILE AND STONE USA INC", "", nil, 0},
		{"CARBORUNDUM UNIVERSAL LIMITED C O MONTANE SHIPPING PRIVATE LIMITED", "CARBORUNDUM UNIVERSAL LIMITED", "MONTANE SHIPPING PRIVATE LIMITED", nil, 0},
		{"MOTTO CERAMIC PRIVATE LIMITED A/C DAHNAY LOGISTICS PRIVATE LIMITED", "MOTTO CERAMIC PRIVATE LIMITED", "DAHNAY LOGISTICS PRIVATE LIMITED", nil, 0},
		{"ACURA SHIPPING PRIVATE LIMITED MOTTO CERAMIC PRIVATE LIMITED", "MOTTO CERAMIC PRIVATE LIMITED", "ACURA SHIPPING PRIVATE LIMITED", nil, 0},
		{"ATLAS SHIPPING SERVICES PRIVATE LIMITED", "ATLAS SHIPPING SERVICES PRIVATE LIMITED", "", nil, 0}, // a forwarder alone is the firm
		{"KITCHENS AND AMP BEYOND LIMITED", "KITCHENS & BEYOND LIMITED", "", nil, 0},
		{"CONSTRUTORA ALFA LTDA CNPJ 11.222.333/0001-81", "CONSTRUTORA ALFA LTDA", "", []id{{Scheme: "BR-CNPJ", Value: "11.222.333/0001-81"}}, 0},
		{"PIDILITE INDUSTRIES LIMITED GSTIN 27AAPFU0939F1ZV", "PIDILITE INDUSTRIES LIMITED", "", []id{{Scheme: "IN-GSTIN", Value: "27AAPFU0939F1ZV"}}, 0},
		{"NACS INTERNATIONAL PRIVATE LIMITED REF 56213/25", "NACS INTERNATIONAL PRIVATE LIMITED", "", nil, 0},
		{"ABC TILES LTD, 12 MAIN ROAD, NAIROBI", "ABC TILES LTD", "", nil, 0},
		{"TILES, MARBLE AND STONE LLC", "TILES, MARBLE AND STONE LLC", "", nil, 0}, // a comma inside a name stays
		{"TO THE ORDER", "", "", nil, 0},
		{"AS PER SELLER", "", "", nil, 0},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			p := rules.Parse(tc.raw)
			agent := ""
			if len(p.Agents) > 0 {
				agent = p.Agents[0].Name
			}
			if p.Name != tc.name || agent != tc.agent || !reflect.DeepEqual(p.Identifiers, tc.ids) || len(p.Problems) != tc.problems {
				t.Errorf("Parse = name %q, agent %q, ids %v, problems %v; want %q, %q, %v, %d problems", p.Name, agent, p.Identifiers, p.Problems, tc.name, tc.agent, tc.ids, tc.problems)
			}
		})
	}
	t.Run("BadPattern", func(t *testing.T) {
		_, err := ingest.LoadCustomsLayouts([]byte("names:\n  agents:\n    - {pattern: '(?P<agent>.+) VIA (.+)'}\nlayouts:\n  k:\n    match: [A]\n    currency: KES\n    columns: {customer: A, hsCode: B, date: C}\n    names:\n      decorations: ['(']\n"), "l.yaml")
		for _, want := range []string{"l.yaml", "names.agents[0].pattern: needs a group named principal", "layouts.k.names.decorations[0]: missing closing )"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v, want it to contain %q", err, want)
			}
		}
	})
}
