package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph/ingest"
)

// FuzzOCDS holds the parser to never panicking or hanging on any bytes,
// and to returning or rejecting with the file's name.
func FuzzOCDS(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/ocds_*")
	seeds = append(seeds, "../../shared/data/ocds/taiwan/releases/ocid-6as3t2-51179519-ocid-6as3t2-51179519.json",
		"../../shared/data/ocds/uk-contracts-finder/records/ocds-b5fd17-2c435b84-adc8-11e6-9901-0019b9f3037b.json")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`[{"ocid":"x","date":"2020-01-01","buyer":{"name":"a"},"tender":{}}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		err := ingest.OCDS{}.Parse(context.Background(), strings.NewReader(string(b)), "f.json",
			func(it ingest.Item) error {
				if err := it.Signal.Validate(); err != nil {
					t.Errorf("invalid signal: %v", err)
				}
				return nil
			},
			func(err error) {
				if !strings.HasPrefix(err.Error(), "f.json:") {
					t.Errorf("rejection without the file: %v", err)
				}
			})
		if err != nil && !strings.HasPrefix(err.Error(), "f.json:") {
			t.Errorf("error without the file: %v", err)
		}
	})
}
