package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/valuegraph/valuegraph"
)

const cypherDrift = `
MATCH (c:Customer) WHERE c.scoredAt >= $since
CALL (c) {
  MATCH (c)<-[:OF]-(snap:ScoreSnapshot) WHERE snap.at < $since
  RETURN snap.explanation AS before ORDER BY snap.at DESC LIMIT 1
}
CALL (c) {
  MATCH (c)<-[:OF]-(snap:ScoreSnapshot)
  RETURN snap.explanation AS after ORDER BY snap.at DESC LIMIT 1
}
RETURN c.id AS id, c.name AS name, before, after`

// Drift lists the customers whose tier or stage moved by at least
// minLevels since a time: their assessment then against now, with the
// factors that moved most. Biggest moves first.
func (s *Store) Drift(ctx context.Context, since time.Time, minLevels int) ([]valuegraph.Drift, error) {
	res, err := s.query(ctx, cypherDrift, map[string]any{"since": since.UTC()})
	if err != nil {
		return nil, formatError("drift", err)
	}
	var out []valuegraph.Drift
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		var d valuegraph.Drift
		d.CustomerID, d.CustomerName = p.str("id"), p.str("name")
		if err := json.Unmarshal([]byte(p.str("before")), &d.Before); err != nil {
			return nil, fmt.Errorf("drift of %s: %w", d.CustomerID, err)
		}
		if err := json.Unmarshal([]byte(p.str("after")), &d.After); err != nil {
			return nil, fmt.Errorf("drift of %s: %w", d.CustomerID, err)
		}
		d.TierLevels = valuegraph.TierRank(d.After.Tier) - valuegraph.TierRank(d.Before.Tier)
		d.StageLevels = valuegraph.StageRank(d.After.Stage) - valuegraph.StageRank(d.Before.Stage)
		if max(abs(d.TierLevels), abs(d.StageLevels)) < max(minLevels, 1) {
			continue
		}
		var scores []string
		if d.TierLevels != 0 {
			scores = append(scores, "tier")
		}
		if d.StageLevels != 0 {
			scores = append(scores, "stage")
		}
		d.Causes = Causes(d.Before, d.After, scores, 3)
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return max(abs(out[i].TierLevels), abs(out[i].StageLevels)) > max(abs(out[j].TierLevels), abs(out[j].StageLevels))
	})
	return out, nil
}

// Causes compares two assessments' reasons and returns, for each of the
// scores named (tier, stage, replacement, churn, credit), the n factors
// whose contributions moved most. Scores are kept apart: tier points and
// log-odds do not compare.
func Causes(before, after valuegraph.Assessment, scores []string, n int) []valuegraph.Cause {
	pick := func(score string) (valuegraph.Explained, valuegraph.Explained) {
		switch score {
		case "tier":
			return before.TierWhy, after.TierWhy
		case "stage":
			if before.Stage != after.Stage {
				return valuegraph.Explained{}, after.StageWhy // different stages: what carries the new one
			}
			return before.StageWhy, after.StageWhy
		}
		return before.RiskWhy[score], after.RiskWhy[score]
	}
	var out []valuegraph.Cause
	for _, score := range scores {
		b, a := pick(score)
		contrib := map[string]float64{}
		sentences := map[string]valuegraph.Reason{}
		for _, r := range b.Reasons {
			contrib[r.Factor] -= r.Contribution
			sentences[r.Factor] = r
		}
		for _, r := range a.Reasons {
			contrib[r.Factor] += r.Contribution
			sentences[r.Factor] = r
		}
		var causes []valuegraph.Cause
		for f, c := range contrib {
			if f != "baseline" && math.Abs(c) > 1e-9 {
				causes = append(causes, valuegraph.Cause{Score: score, Factor: f, Change: c, ZH: sentences[f].SentenceZH, EN: sentences[f].SentenceEN})
			}
		}
		sort.SliceStable(causes, func(i, j int) bool { return math.Abs(causes[i].Change) > math.Abs(causes[j].Change) })
		out = append(out, causes[:min(n, len(causes))]...)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
