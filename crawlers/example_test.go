package crawlers_test

import (
	"testing"

	"github.com/valuegraph/valuegraph/crawlers"
)

// The documented example stays a valid configuration.
func TestExampleSources(t *testing.T) {
	sources, err := crawlers.LoadSourcesFile("../docs/sources.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, s := range sources {
		kinds[s.Kind] = true
	}
	for _, k := range crawlers.Kinds {
		if !kinds[k] {
			t.Errorf("docs/sources.example.yaml has no %s source", k)
		}
	}
}
