package scoring_test

import (
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/scoring"
)

// TestIndependentJourneys: the built-in independent set loads, has the
// evaluation points the issue asks for (at least 60, every stage, both
// risks true and false), and each case sees no signal from its future.
func TestIndependentJourneys(t *testing.T) {
	j, err := scoring.LoadJourneys(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	cases := j.Cases()
	if len(cases) < 60 {
		t.Errorf("%d evaluation points, want at least 60", len(cases))
	}
	stages := map[valuegraph.Stage]int{}
	var rep, churn [2]int
	for _, c := range cases {
		stages[c.Stage]++
		rep[b2i(c.Replacement)]++
		churn[b2i(c.Churn)]++
		for _, s := range c.Signals {
			if s.OccurredAt.After(c.Now) {
				t.Errorf("%s at %s sees signal %s of %s", c.Journey, c.Now.Format("2006-01-02"), s.ID, s.OccurredAt.Format("2006-01-02"))
			}
		}
	}
	for _, s := range valuegraph.Stages {
		if stages[s] == 0 {
			t.Errorf("no evaluation point at %s", s)
		}
	}
	if rep[0] == 0 || rep[1] == 0 || churn[0] == 0 || churn[1] == 0 {
		t.Errorf("replacement false/true %v, churn %v: want both of each", rep, churn)
	}
	t.Logf("%d customers, %d points; stages %v; replacement false/true %v, churn %v", len(j.Customers), len(cases), stages, rep, churn)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestLoadJourneysErrors: every problem is reported with its field.
func TestLoadJourneysErrors(t *testing.T) {
	_, err := scoring.LoadJourneys([]byte(`
trust: {erp_order: 1, nonsense: 2}
customers:
  - id: a
    start: 2025-13-01
    signals:
      - {kind: erp_order, day: 1, days: [2]}
      - {kind: forum_post, from: 5, every: 3}
      - {kind: telepathy, day: 0}
    evaluate:
      - {at: 3, stage: BORED}
  - id: a
    start: 2025-01-01
`), "bad.yaml")
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"trust.nonsense", "customers[0].start", "customers[0].signals[0]: give exactly one",
		"customers[0].signals[1]: from, to and every", "customers[0].signals[1].trust", "customers[0].signals[2].kind",
		"customers[0].evaluate[0].stage", "customers[1].id", "customers[1].evaluate",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}
