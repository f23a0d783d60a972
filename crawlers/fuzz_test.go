package crawlers_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/ingest"
)

// FuzzSavedNotices holds the notice reader (crawler JSON, whole pages and
// fragments, through the extractor) to never panicking on any bytes, to
// emitting valid signals only, and to naming the file in every rejection.
// Seeds are the real notices in ../shared/data; .ci/run runs it briefly.
func FuzzSavedNotices(f *testing.F) {
	for _, g := range []string{"../../shared/data/tenders-cn/*.json", "../../shared/data/tenders-cn-more/*.htm*"} {
		files, _ := filepath.Glob(g)
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b[:min(len(b), 16<<10)])
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		text, _, err := ingest.Decode(bytes.NewReader(b), "f")
		if err != nil {
			return
		}
		err = crawlers.SavedNotices{}.Parse(context.Background(), text, "f", func(it ingest.Item) error {
			if it.Signal != nil {
				if err := it.Signal.Validate(); err != nil {
					t.Errorf("invalid signal: %v", err)
				}
			}
			return nil
		}, func(err error) {
			if !strings.HasPrefix(err.Error(), "f") {
				t.Errorf("rejection without the file: %v", err)
			}
		})
		if err != nil && !strings.HasPrefix(err.Error(), "f") {
			t.Errorf("error without the file: %v", err)
		}
	})
}
