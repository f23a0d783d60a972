package ingest_test

import (
	"testing"

	"github.com/valuegraph/valuegraph/ingest"
)

func TestCheckIdentifier(t *testing.T) {
	for _, tc := range []struct {
		scheme, value string
		ok            bool
	}{
		{"RU-INN", "7722476458", true}, // from the PROVENANCE example "7722476458 772201001 OOO YATASH RUS"
		{"RU-INN", "7722476459", false},
		{"RU-INN", "500100732259", true},
		{"RU-INN", "500100732258", false},
		{"BR-CNPJ", "11.222.333/0001-81", true},
		{"BR-CNPJ", "11.222.333/0001-82", false},
		{"BR-CNPJ", "00000000000000", false},
		{"BR-CPF", "111.444.777-35", true},
		{"BR-CPF", "111.444.777-36", false},
		{"IN-GSTIN", "27AAPFU0939F1ZV", true},
		{"IN-GSTIN", "27AAPFU0939F1ZW", false},
		{"CN-USCC", "91440300192185379H", true},
		{"IN-IEC", "0516981293", true}, // no check digit: kept as written
	} {
		err := ingest.CheckIdentifier(tc.scheme, tc.value)
		if (err == nil) != tc.ok {
			t.Errorf("CheckIdentifier(%s, %s) = %v, want ok=%v", tc.scheme, tc.value, err, tc.ok)
		}
	}
}
