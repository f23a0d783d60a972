package ingest_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

func TestDecode(t *testing.T) {
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	latin1 := func(s string) []byte {
		b, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const zh = "重庆市公共资源交易中心 中标（成交）结果公告：中标人为重庆华信冷链物流有限公司，中标价（万元）：31.68。"
	const es = `{"buyer": {"name": "Alcaldía de Bogotá D.C."}, "title": "Adquisición de equipos médicos, señalización"}`
	for _, tc := range []struct {
		name, want, enc string
		in              []byte
	}{
		{"UTF8", zh, "utf-8", []byte(zh)},
		{"UTF8BOM", zh, "utf-8", append([]byte("\xef\xbb\xbf"), zh...)},
		{"GBKUndeclared", zh, "gb18030", gbk(zh)},
		{"GBKDeclared", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>` + zh,
			"gbk", gbk(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>` + zh)},
		{"Latin1JSON", es, "windows-1252", latin1(es)},
		{"UTF16BOM", zh, "utf-16", append([]byte{0xff, 0xfe}, utf16le(zh)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, enc, err := ingest.Decode(bytes.NewReader(tc.in), "f")
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want || enc != tc.enc {
				t.Errorf("decoded as %s: %q, want %s: %q", enc, got, tc.enc, tc.want)
			}
		})
	}

	t.Run("MixedEncodingsRefusedAtTheirOffset", func(t *testing.T) {
		// Valid UTF-8 for well past the sniffed start, then a GBK line.
		head := strings.Repeat("中标人：重庆华信冷链物流有限公司\n", 5000)
		in := append([]byte(head), gbk("采购人：重庆市公安局\n")...)
		r, enc, err := ingest.Decode(bytes.NewReader(in), "mixed.txt")
		if err != nil || enc != "utf-8" {
			t.Fatalf("%s, %v", enc, err)
		}
		got, err := io.ReadAll(r)
		if at := fmt.Sprintf("byte %d:", len(head)); valuegraph.ErrorCode(err) != valuegraph.EINVALID || !strings.Contains(err.Error(), at) {
			t.Fatalf("err = %v, want EINVALID at %s", err, at)
		}
		if string(got) != head {
			t.Errorf("kept %d bytes before the fault, want the %d valid ones", len(got), len(head))
		}
	})

	t.Run("Workbook", func(t *testing.T) {
		f, err := os.Open("../../shared/data/customs/aaziko_brazil_bl_import_full_raw.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, _, err := ingest.Decode(f, "raw.xlsx"); valuegraph.ErrorCode(err) != valuegraph.EINVALID || !strings.Contains(err.Error(), "save the sheet as CSV") {
			t.Errorf("err = %v, want a workbook refused with what to do", err)
		}
	})

	t.Run("SmallReadsAcrossRunes", func(t *testing.T) {
		r, _, err := ingest.Decode(io.MultiReader(strings.NewReader(zh[:1]), strings.NewReader(zh[1:5]), strings.NewReader(zh[5:])), "f")
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(oneByteReader{r})
		if err != nil || string(got) != zh {
			t.Errorf("%q, %v", got, err)
		}
	})

	t.Run("RealGBKPages", func(t *testing.T) {
		for _, name := range []string{"fuckcqcs_hubei_vaccine_chengjiao_2017.htm", "fuckcqcs_shaanxi_vaccine_cuoshang_2018.htm"} {
			f, err := os.Open("../../shared/data/tenders-cn-more/" + name)
			if err != nil {
				t.Fatal(err)
			}
			r, enc, err := ingest.Decode(f, name)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			f.Close()
			if err != nil || enc != "gbk" || !strings.Contains(string(got), "疫苗") || strings.ContainsRune(string(got), '\ufffd') {
				t.Errorf("%s: decoded as %s (%v): no 疫苗 or replacement characters", name, enc, err)
			}
		}
	})
}

type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) { return o.r.Read(p[:1]) }

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s { // the sample is all in the Basic Multilingual Plane
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
