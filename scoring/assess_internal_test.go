package scoring

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// Sentences are filled as a strings.Replacer over every placeholder would
// fill them, for every sentence of the built-in model.
func TestReasonSentences(t *testing.T) {
	m, err := Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range m.Sentences {
		for _, value := range []float64{0, 0.014720837080936213, 0.5, -0.25, 1.7} {
			feat := Feature{Count: 7}
			got := m.reason(name, value, 0, feat)
			for _, tc := range []struct{ got, template string }{{got.SentenceZH, s.ZH}, {got.SentenceEN, s.EN}} {
				want := strings.NewReplacer(
					"{n}", strconv.Itoa(feat.Count),
					"{value}", strconv.FormatFloat(value, 'f', 2, 64),
					"{days}", strconv.Itoa(int(math.Round(value*180))),
					"{pct}", fmt.Sprintf("%+.0f%%", value*100),
				).Replace(tc.template)
				if tc.template == "" {
					want = name
				}
				if tc.got != want {
					t.Errorf("%s at %v: %q, want %q", name, value, tc.got, want)
				}
			}
		}
	}
}
