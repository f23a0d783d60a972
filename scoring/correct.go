package scoring

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/valuegraph/valuegraph"
)

// A rep's word moves a risk to at least RiskConfirmed (risk_real) or at
// most RiskDismissed (risk_unfounded), not to 1 or 0: it is an observation
// (L3), not a record.
const (
	RiskConfirmed = 0.8
	RiskDismissed = 0.2
)

// Correct applies reps' corrections to an assessment made from features f
// and signals, after the model: the latest correction of each score (the
// stage, the replacement and churn risks) stands unless a signal newer than
// it, of a higher trust level than a rep's word (L1 or L2), contradicts it.
// A standing stage correction sets the stage to the rep's, with the model's
// probability of it; the model's own stage and reasons stay beside it
// (ModelStage, StageWhy). A standing risk correction adds a reason named
// valuegraph.CorrectionFactor whose contribution brings the risk to RiskConfirmed or
// RiskDismissed (nothing when it is there already), so the reasons still
// add up to the score. Every correction, standing or ended, is listed in
// Corrections.
func (m *Model) Correct(a valuegraph.Assessment, f Features, feedback []valuegraph.Feedback, signals []valuegraph.Signal) valuegraph.Assessment {
	latest := map[string]valuegraph.Feedback{}
	for _, fb := range feedback {
		if fb.CreatedAt.After(a.At) {
			continue // not said yet, as of the assessment
		}
		score := correctedScore(fb)
		if cur, ok := latest[score]; score != "" && (!ok || fb.CreatedAt.After(cur.CreatedAt)) {
			latest[score] = fb
		}
	}
	if len(latest) == 0 {
		return a
	}
	byID := make(map[string]valuegraph.Signal, len(signals))
	for _, s := range signals {
		byID[s.ID] = s
	}
	// newer is the earliest signal that may overrule fb: after it, not after
	// the assessment, and more trusted than a rep.
	newer := func(fb valuegraph.Feedback, ok func(valuegraph.Signal) bool) *valuegraph.Signal {
		var first *valuegraph.Signal
		for i := range signals {
			s := &signals[i]
			if s.OccurredAt.After(fb.CreatedAt) && !s.OccurredAt.After(a.At) && s.Trust.Valid() && s.Trust < valuegraph.TrustFeedback &&
				ok(*s) && (first == nil || s.OccurredAt.Before(first.OccurredAt)) {
				first = s
			}
		}
		return first
	}
	riskWhy := make(map[string]valuegraph.Explained, len(a.RiskWhy))
	for k, v := range a.RiskWhy {
		riskWhy[k] = v
	}
	a.RiskWhy = riskWhy
	a.Corrections = nil
	for _, score := range []string{"stage", valuegraph.RiskReplacement, valuegraph.RiskChurn} {
		fb, ok := latest[score]
		if !ok {
			continue
		}
		c := valuegraph.Correction{FeedbackID: fb.ID, Kind: fb.Kind, Score: score, By: fb.Author, At: fb.CreatedAt.UTC(),
			Note: fb.Text, Stage: fb.StageSaid(), Trust: valuegraph.TrustFeedback}
		if score == "stage" {
			against := newer(fb, func(s valuegraph.Signal) bool {
				shown := StagesShown(s)
				return len(shown) > 0 && !slices.Contains(shown, c.Stage)
			})
			if against != nil {
				shown := StagesShown(*against)
				end(&c, *against,
					fmt.Sprintf("%s 于 %s 将阶段更正为 %s；此后 %s 的 L%d 证据（%s，%s）表明 %s，更正不再适用，现采用模型判断", c.By, day(c.At), c.Stage, day(against.OccurredAt), against.Trust, against.Kind, against.ID, stageList(shown)),
					fmt.Sprintf("%s set the stage to %s on %s; newer L%d evidence of %s (%s, %s) shows %s, so the correction no longer applies and the model's stage stands", c.By, c.Stage, day(c.At), against.Trust, day(against.OccurredAt), against.Kind, against.ID, stageList(shown)))
			} else {
				a.Stage = c.Stage
				a.StageConfidence = m.stageProbabilities(f)[valuegraph.StageRank(c.Stage)]
			}
			a.Corrections = append(a.Corrections, c)
			continue
		}
		e := a.RiskWhy[score]
		confirmed := fb.Kind == valuegraph.FeedbackRiskReal
		against := newer(fb, func(s valuegraph.Signal) bool {
			for _, r := range e.Reasons {
				// silence cites the last signal heard, not evidence for or against
				if r.Factor != "silence" && (r.Contribution < 0) == confirmed && r.Contribution != 0 && slices.Contains(r.SignalIDs, s.ID) {
					return true
				}
			}
			return false
		})
		if against != nil {
			verb := map[bool][2]string{true: {"确认", "confirmed"}, false: {"否定", "dismissed"}}[confirmed]
			end(&c, *against,
				fmt.Sprintf("%s 于 %s %s了该风险；此后 %s 的 L%d 证据（%s，%s）与之相反，更正不再适用", c.By, day(c.At), verb[0], day(against.OccurredAt), against.Trust, against.Kind, against.ID),
				fmt.Sprintf("%s %s this risk on %s; newer L%d evidence of %s (%s, %s) says otherwise, so the correction no longer applies", c.By, verb[1], day(c.At), against.Trust, day(against.OccurredAt), against.Kind, against.ID))
			a.Corrections = append(a.Corrections, c)
			continue
		}
		r := valuegraph.Reason{Factor: valuegraph.CorrectionFactor, Value: 1}
		target := logit(RiskConfirmed)
		r.Contribution = math.Max(0, target-e.Score)
		r.SentenceZH = fmt.Sprintf("销售代表 %s 于 %s 确认该风险属实（L%d 观察）", c.By, day(c.At), c.Trust)
		r.SentenceEN = fmt.Sprintf("rep %s confirmed this risk on %s (L%d, an observation)", c.By, day(c.At), c.Trust)
		if !confirmed {
			r.Value = -1
			target = logit(RiskDismissed)
			r.Contribution = math.Min(0, target-e.Score)
			r.SentenceZH = fmt.Sprintf("销售代表 %s 于 %s 判断该风险不成立（L%d 观察）", c.By, day(c.At), c.Trust)
			r.SentenceEN = fmt.Sprintf("rep %s judged this risk unfounded on %s (L%d, an observation)", c.By, day(c.At), c.Trust)
		}
		if c.Note != "" {
			r.SentenceZH += "：" + c.Note
			r.SentenceEN += ": " + c.Note
		}
		e.Reasons = append(slices.Clone(e.Reasons), r)
		e.Score += r.Contribution
		sortReasons(e.Reasons)
		a.RiskWhy[score] = e
		p := 1 / (1 + math.Exp(-e.Score))
		if score == valuegraph.RiskReplacement {
			a.Risks.Replacement = p
		} else {
			a.Risks.Churn = p
		}
		a.Corrections = append(a.Corrections, c)
	}
	return a
}

// StagesShown are the stages a signal is evidence of (DESIGN.md's value
// stages): procurement intentions point to PLANNING, tenders and deals in
// progress to SELECTING, awards, orders, imports and deals won to ADOPTING
// or EXPANDING. Other signals say nothing of the stage.
func StagesShown(s valuegraph.Signal) []valuegraph.Stage {
	switch s.Kind {
	case valuegraph.SignalProcurementIntent:
		return []valuegraph.Stage{valuegraph.StagePlanning}
	case valuegraph.SignalTender:
		return []valuegraph.Stage{valuegraph.StageSelecting}
	case valuegraph.SignalAward, valuegraph.SignalERPOrder, valuegraph.SignalCustoms:
		return []valuegraph.Stage{valuegraph.StageAdopting, valuegraph.StageExpanding}
	case valuegraph.SignalOpportunity:
		switch {
		case slices.Contains(s.Intents, "won"):
			return []valuegraph.Stage{valuegraph.StageAdopting, valuegraph.StageExpanding}
		case slices.Contains(s.Intents, "qualification"):
			return []valuegraph.Stage{valuegraph.StagePlanning, valuegraph.StageSelecting}
		case slices.Contains(s.Intents, "proposal"), slices.Contains(s.Intents, "negotiation"):
			return []valuegraph.Stage{valuegraph.StageSelecting}
		}
	}
	return nil
}

// stageProbabilities is the model's probability of each stage, in
// valuegraph.Stages order.
func (m *Model) stageProbabilities(f Features) []float64 {
	scores := make([]float64, len(valuegraph.Stages))
	top := math.Inf(-1)
	for i, s := range valuegraph.Stages {
		scores[i] = m.linear(m.Stage[string(s)], f).Score
		top = math.Max(top, scores[i])
	}
	norm := 0.0
	for i := range scores {
		scores[i] = math.Exp(scores[i] - top)
		norm += scores[i]
	}
	for i := range scores {
		scores[i] /= norm
	}
	return scores
}

func correctedScore(fb valuegraph.Feedback) string {
	switch fb.Kind {
	case valuegraph.FeedbackWrongStage, valuegraph.FeedbackNoIntent:
		if fb.StageSaid().Valid() {
			return "stage"
		}
	case valuegraph.FeedbackRiskReal, valuegraph.FeedbackRiskUnfounded:
		if fb.Risk == valuegraph.RiskReplacement || fb.Risk == valuegraph.RiskChurn {
			return fb.Risk
		}
	}
	return ""
}

func end(c *valuegraph.Correction, by valuegraph.Signal, zh, en string) {
	c.EndedAt, c.EndedBy, c.EndedZH, c.EndedEN = by.OccurredAt.UTC(), by.ID, zh, en
}

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

func stageList(ss []valuegraph.Stage) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += "/"
		}
		out += string(s)
	}
	return out
}
