package jobs

import (
	"math/rand/v2"
	"testing"

	"github.com/valuegraph/valuegraph"
)

// Rescoring reads the previous assessment whole only when moves says an
// alert will be raised: moves must say so exactly when Alerts raises one.
func TestMovesAgreesWithAlerts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func() valuegraph.Assessment {
		r := func() float64 { return []float64{0.1, 0.49, 0.5, 0.51, 0.9}[rng.IntN(5)] }
		return valuegraph.Assessment{CustomerID: "c", Stage: valuegraph.Stages[rng.IntN(3)], Tier: valuegraph.Tiers[rng.IntN(2)],
			Risks: valuegraph.Risks{Replacement: r(), Churn: r(), Credit: r()}}
	}
	raised := 0
	for range 5000 {
		prev, next := pick(), pick()
		snap := valuegraph.ScoreSnapshot{Stage: prev.Stage, Tier: prev.Tier, Risks: prev.Risks}
		alerts := Alerts(&prev, next, 0.5)
		if got := moves(snap, next, 0.5); got != (len(alerts) > 0) {
			t.Fatalf("moves = %v, Alerts raised %d, for %+v then %+v", got, len(alerts), prev, next)
		}
		if len(alerts) > 0 {
			raised++
		}
	}
	if raised == 0 || raised == 5000 {
		t.Fatalf("%d of 5000 pairs raised alerts: the pairs do not test both sides", raised)
	}
}
