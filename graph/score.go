package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

const cypherScoringSignals = `
MATCH (c:Customer {id: $id})
OPTIONAL MATCH (c)<-[a:ABOUT]-(s:Signal)
WHERE s.occurredAt >= $since AND a.excludedAt IS NULL
RETURN c.id AS id, collect(` + scoringSignalProjection + `) AS signals`

// scoringSignalProjection reads what scoring weighs of a signal.
const scoringSignalProjection = `s {.id, .kind, .trust, .occurredAt, .amount, .intents,
  competitorIds: COLLECT { MATCH (s)-[:MENTIONS]->(k:Competitor) RETURN k.id }}`

// ScoringSignals reads what scoring needs of a customer's signals since a
// time, in scoring's order (time, then id), leaving out those a rep judged
// irrelevant to it; ENOTFOUND when there is no such customer.
func (s *Store) ScoringSignals(ctx context.Context, customerID string, since time.Time) ([]valuegraph.Signal, error) {
	res, err := s.query(ctx, cypherScoringSignals,
		map[string]any{"id": customerID, "since": since.UTC()})
	if err != nil {
		return nil, formatError("read signals for scoring", err)
	}
	if len(res.Records) == 0 {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", customerID)
	}
	return decodeScoringSignals(props(res.Records[0].AsMap()).list("signals")), nil
}

// decodeScoringSignals orders signals by time, then id: scoring sums
// floating-point weights in order, and a store returns them in no order.
func decodeScoringSignals(ps []props) []valuegraph.Signal {
	var out []valuegraph.Signal
	for _, p := range ps {
		out = append(out, decodeSignal(p))
	}
	slices.SortFunc(out, func(a, b valuegraph.Signal) int {
		if c := a.OccurredAt.Compare(b.OccurredAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// Everything rescoring reads of a batch of customers, in one query: each
// customer is one index seek, then its own relationships only. A signal a
// rep judged irrelevant to the customer (SIGNAL_IRRELEVANT marks the link)
// counts nowhere: not in the summary (signal count, latest signal), not in
// the scores, which weigh the others since $since. The previous snapshot
// without its explanation (the largest thing a snapshot holds): the scores
// tell whether anything moved. It is the latest before the run being
// scored: a run tried again compares with what was there before its first
// try, not with what that try wrote.
const cypherScoringInputs = `
UNWIND $ids AS id
MATCH (c:Customer {id: id})
CALL (c) {
  OPTIONAL MATCH (c)<-[a:ABOUT]-(s:Signal)
  WITH s, a, a.excludedAt IS NULL AS counts
  RETURN count(CASE WHEN counts THEN s END) AS n, max(CASE WHEN counts THEN s.occurredAt END) AS last,
    collect(CASE WHEN s.occurredAt >= $since AND (a.excludedAt IS NULL OR a.excludedAt > $asOf) THEN ` + scoringSignalProjection + ` END) AS signals
}
CALL (c) {
  OPTIONAL MATCH (c)<-[:ON]-(fb:Feedback)
  WHERE fb.kind IN $kinds
  WITH fb ORDER BY fb.createdAt DESC, fb.id
  RETURN collect(fb {.*}) AS corrections
}
CALL (c) {
  OPTIONAL MATCH (c)<-[:OF]-(snap:ScoreSnapshot)
  WHERE snap.id <> c.id + '@' + $run
  WITH snap ORDER BY snap.at DESC LIMIT 1
  RETURN CASE WHEN snap IS NULL THEN null ELSE ` + snapshotProjection + ` END AS previous
}
RETURN c.id AS id, n, last, signals, corrections, previous`

// ScoringInputs reads what rescoring needs of each of a batch of customers
// in one round trip: signal summary, the signals since a time, corrections,
// and the previous scores, before the job run named run ("" for none).
// Customers that do not exist are absent from the answer.
//
// asOf, when set, reads them as they stood then, for a past day's scores:
// a signal a rep judged irrelevant only after asOf still counts.
func (s *Store) ScoringInputs(ctx context.Context, ids []string, since time.Time, run string, asOf time.Time) (map[string]*valuegraph.ScoringInput, error) {
	res, err := s.query(ctx, cypherScoringInputs, map[string]any{"ids": list(ids), "since": since.UTC(),
		"kinds": stringsOf(valuegraph.CorrectionKinds), "run": run, "asOf": nullTime(asOf)})
	if err != nil {
		return nil, formatError("read scoring inputs", err)
	}
	out := make(map[string]*valuegraph.ScoringInput, len(res.Records))
	for _, rec := range res.Records {
		row := props(rec.AsMap())
		in := &valuegraph.ScoringInput{CustomerID: row.str("id"),
			Summary: valuegraph.SignalSummary{Count: row.int("n"), Last: row.time("last")},
			Signals: decodeScoringSignals(row.list("signals"))}
		for _, fb := range row.list("corrections") {
			in.Corrections = append(in.Corrections, decodeFeedback(fb))
		}
		if prev := row.sub("previous"); prev != nil {
			snap := decodeSnapshot(in.CustomerID, prev)
			in.Previous = &snap
		}
		out[in.CustomerID] = in
	}
	return out, nil
}

// The customer carries its latest scores for lists and filters (and, from a
// rescoring, its signal summary): an assessment older than the one it
// carries (a past day scored for history, a stale retry) only adds its
// snapshot; each assessment is also kept whole,
// reasons included, as a ScoreSnapshot, so history and drift can be asked
// for: one per job run (Assessment.Run), replaced if the run is repeated,
// else one per time. One row per customer: a batch is one transaction.
// The alerts the assessment raised come in its row (see cypherWriteAlerts).
const cypherWriteAssessments = `
UNWIND $rows AS row
MATCH (c:Customer {id: row.customerId})
WITH c, row, c.scoredAt IS NULL OR row.at >= c.scoredAt AS latest
CALL (c, row, latest) {
  WITH c, row WHERE latest
  SET c.stage = row.stage, c.stageConfidence = row.stageConfidence,
      c.riskReplacement = row.replacement, c.riskChurn = row.churn, c.riskCredit = row.credit,
      c.tier = row.tier, c.tierScore = row.tierScore, c.scoredAt = row.at, c.modelVersion = row.modelVersion,
      c.signalCount = CASE WHEN row.summarised THEN row.signalCount ELSE c.signalCount END,
      c.lastSignalAt = CASE WHEN row.summarised THEN row.lastSignalAt ELSE c.lastSignalAt END,
      c.summarisedAt = CASE WHEN row.summarised THEN datetime() ELSE c.summarisedAt END
}
MERGE (snap:ScoreSnapshot {id: row.snapshotId})
SET snap += {customerId: c.id, at: row.at, modelVersion: row.modelVersion,
  stage: row.stage, stageConfidence: row.stageConfidence, modelStage: row.modelStage, stageBy: row.stageBy,
  riskReplacement: row.replacement, riskChurn: row.churn, riskCredit: row.credit,
  tier: row.tier, tierScore: row.tierScore, explanation: row.explanation}
MERGE (snap)-[:OF]->(c)
WITH c, row, latest` + cypherWriteAlerts + `
RETURN collect(c.id) AS written, collect(CASE WHEN NOT latest THEN c.id END) AS superseded`

// WriteAssessment stores an assessment on the customer and as a snapshot;
// ENOTFOUND when there is no such customer.
func (s *Store) WriteAssessment(ctx context.Context, a valuegraph.Assessment) error {
	_, err := s.WriteAssessments(ctx, []valuegraph.Assessment{a}, nil, nil)
	return err
}

// WriteAssessments stores a batch of assessments in one transaction, each
// on its customer and as a snapshot, with the customer's signal summary
// when summaries has one for it, and the alerts they raised (an alert
// already stored, from a try of the same run, is left as it is). The
// customers that no longer exist are named in an ENOTFOUND error; the
// others are written all the same. It returns the customers whose
// assessment was older than the one they carry (superseded): only its
// snapshot was kept, and none of its alerts.
func (s *Store) WriteAssessments(ctx context.Context, as []valuegraph.Assessment, summaries map[string]valuegraph.SignalSummary, alerts []valuegraph.Alert) (superseded []string, err error) {
	if len(as) == 0 {
		return nil, nil
	}
	alertRows, err := newAlertRows(alerts)
	if err != nil {
		return nil, err
	}
	rows := make([]map[string]any, len(as))
	for i, a := range as {
		explanation, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		sum, summarised := summaries[a.CustomerID]
		rows[i] = map[string]any{
			"customerId": a.CustomerID, "at": a.At.UTC(), "modelVersion": a.ModelVersion,
			"snapshotId": snapshotID(a),
			"stage":      string(a.Stage), "stageConfidence": a.StageConfidence,
			"modelStage": nullable(string(a.ModelStage)), "stageBy": nullable(a.StageBy()),
			"replacement": a.Risks.Replacement, "churn": a.Risks.Churn, "credit": a.Risks.Credit,
			"tier": string(a.Tier), "tierScore": a.TierScore, "explanation": string(explanation),
			"summarised": summarised, "signalCount": sum.Count, "lastSignalAt": nullTime(sum.Last),
			"alerts": alertRows[a.CustomerID],
		}
	}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypherWriteAssessments, map[string]any{"rows": rows}, neo4j.EagerResultTransformer, s.write())
	if err != nil {
		return nil, formatError("write assessments", err)
	}
	written := map[string]bool{}
	if len(res.Records) > 0 {
		p := props(res.Records[0].AsMap())
		for _, id := range p.strs("written") {
			written[id] = true
		}
		superseded = p.strs("superseded")
	}
	var missing []string
	for _, a := range as {
		if !written[a.CustomerID] {
			missing = append(missing, a.CustomerID)
		}
	}
	return superseded, valuegraph.CustomersNotFound(missing)
}

func snapshotID(a valuegraph.Assessment) string {
	if a.Run != "" {
		return a.CustomerID + "@" + a.Run
	}
	return fmt.Sprintf("%s@%d", a.CustomerID, a.At.UnixNano())
}

const cypherLatestAssessments = `
UNWIND $ids AS id
CALL (id) {
  MATCH (:Customer {id: id})<-[:OF]-(snap:ScoreSnapshot)
  WHERE snap.id <> id + '@' + $run
  RETURN snap.explanation AS explanation ORDER BY snap.at DESC LIMIT 1
}
RETURN id, explanation`

// LatestAssessments returns the latest assessment of each customer, with
// its reasons, in one round trip; customers never scored are absent.
func (s *Store) LatestAssessments(ctx context.Context, ids []string) (map[string]*valuegraph.Assessment, error) {
	return s.PreviousAssessments(ctx, ids, "")
}

// PreviousAssessments is LatestAssessments before the job run named run:
// the snapshot that run wrote, if any, is left out.
func (s *Store) PreviousAssessments(ctx context.Context, ids []string, run string) (map[string]*valuegraph.Assessment, error) {
	res, err := s.query(ctx, cypherLatestAssessments, map[string]any{"ids": ids, "run": run})
	if err != nil {
		return nil, formatError("read assessments", err)
	}
	out := make(map[string]*valuegraph.Assessment, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		var a valuegraph.Assessment
		if err := json.Unmarshal([]byte(p.str("explanation")), &a); err != nil {
			return nil, fmt.Errorf("read assessment of %s: %w", p.str("id"), err)
		}
		out[p.str("id")] = &a
	}
	return out, nil
}

// LatestAssessment returns a customer's latest assessment, or nil when it
// was never scored.
func (s *Store) LatestAssessment(ctx context.Context, customerID string) (*valuegraph.Assessment, error) {
	as, err := s.LatestAssessments(ctx, []string{customerID})
	return as[customerID], err
}

// A snapshot without its reasons: a history is a column of numbers, not of
// explanations.
const snapshotProjection = `snap {.at, .modelVersion, .stage, .stageConfidence, .modelStage, .stageBy, .riskReplacement, .riskChurn, .riskCredit, .tier, .tierScore}`

// Newest first, per customer.
const cypherScoreHistory = `
UNWIND $ids AS id
CALL (id) {
  MATCH (:Customer {id: id})<-[:OF]-(snap:ScoreSnapshot)
  WHERE $since IS NULL OR snap.at >= $since
  RETURN snap ORDER BY snap.at DESC LIMIT $limit
}
RETURN id, ` + snapshotProjection + ` AS snap`

// ScoreHistory returns each customer's snapshots since a time (all when
// zero), newest first, at most limit each, in one round trip.
func (s *Store) ScoreHistory(ctx context.Context, ids []string, since time.Time, limit int) (map[string][]valuegraph.ScoreSnapshot, error) {
	var from any
	if !since.IsZero() {
		from = since.UTC()
	}
	res, err := s.query(ctx, cypherScoreHistory, map[string]any{"ids": ids, "since": from, "limit": max(limit, 1)})
	if err != nil {
		return nil, formatError("score history", err)
	}
	out := make(map[string][]valuegraph.ScoreSnapshot, len(ids))
	for _, rec := range res.Records {
		row := props(rec.AsMap())
		out[row.str("id")] = append(out[row.str("id")], decodeSnapshot(row.str("id"), row.sub("snap")))
	}
	return out, nil
}

func decodeSnapshot(customerID string, p props) valuegraph.ScoreSnapshot {
	return valuegraph.ScoreSnapshot{CustomerID: customerID, At: p.time("at"),
		ModelVersion: p.str("modelVersion"), Stage: valuegraph.Stage(p.str("stage")), StageConfidence: p.float("stageConfidence"),
		ModelStage: valuegraph.Stage(p.str("modelStage")), StageBy: p.str("stageBy"),
		Risks: valuegraph.Risks{Replacement: p.float("riskReplacement"), Churn: p.float("riskChurn"), Credit: p.float("riskCredit")},
		Tier:  valuegraph.Tier(p.str("tier")), TierScore: p.float("tierScore")}
}
