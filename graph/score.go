package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

const cypherScoringSignals = `
MATCH (c:Customer {id: $id})
OPTIONAL MATCH (c)<-[a:ABOUT]-(s:Signal)
WHERE s.occurredAt >= $since AND a.excludedAt IS NULL
RETURN c.id AS id, collect(s {.id, .kind, .trust, .occurredAt, .amount, .intents,
  competitorIds: COLLECT { MATCH (s)-[:MENTIONS]->(k:Competitor) RETURN k.id }}) AS signals`

// ScoringSignals reads what scoring needs of a customer's signals since a
// time, leaving out those a rep judged irrelevant to it; ENOTFOUND when
// there is no such customer.
func (s *Store) ScoringSignals(ctx context.Context, customerID string, since time.Time) ([]valuegraph.Signal, error) {
	res, err := s.query(ctx, cypherScoringSignals,
		map[string]any{"id": customerID, "since": since.UTC()})
	if err != nil {
		return nil, formatError("read signals for scoring", err)
	}
	if len(res.Records) == 0 {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", customerID)
	}
	var out []valuegraph.Signal
	for _, p := range props(res.Records[0].AsMap()).list("signals") {
		out = append(out, decodeSignal(p))
	}
	return out, nil
}

// The customer carries its latest scores for lists and filters; each
// assessment is also kept whole, reasons included, as a ScoreSnapshot, so
// history and drift can be asked for.
const cypherWriteAssessment = `
MATCH (c:Customer {id: $customerId})
SET c.stage = $a.stage, c.stageConfidence = $a.stageConfidence,
    c.riskReplacement = $a.replacement, c.riskChurn = $a.churn, c.riskCredit = $a.credit,
    c.tier = $a.tier, c.tierScore = $a.tierScore, c.scoredAt = $a.at, c.modelVersion = $a.modelVersion
MERGE (snap:ScoreSnapshot {id: $a.snapshotId})
SET snap += {customerId: c.id, at: $a.at, modelVersion: $a.modelVersion,
  stage: $a.stage, stageConfidence: $a.stageConfidence, modelStage: $a.modelStage, stageBy: $a.stageBy,
  riskReplacement: $a.replacement, riskChurn: $a.churn, riskCredit: $a.credit,
  tier: $a.tier, tierScore: $a.tierScore, explanation: $a.explanation}
MERGE (snap)-[:OF]->(c)
RETURN snap.id AS id`

// WriteAssessment stores an assessment on the customer and as a snapshot:
// one per job run (Assessment.Run), replaced if the run is repeated, else
// one per time.
func (s *Store) WriteAssessment(ctx context.Context, a valuegraph.Assessment) error {
	explanation, err := json.Marshal(a)
	if err != nil {
		return err
	}
	params := map[string]any{"customerId": a.CustomerID, "a": map[string]any{
		"customerId": a.CustomerID, "at": a.At.UTC(), "modelVersion": a.ModelVersion,
		"snapshotId": snapshotID(a),
		"stage":      string(a.Stage), "stageConfidence": a.StageConfidence,
		"modelStage": nullable(string(a.ModelStage)), "stageBy": nullable(a.StageBy()),
		"replacement": a.Risks.Replacement, "churn": a.Risks.Churn, "credit": a.Risks.Credit,
		"tier": string(a.Tier), "tierScore": a.TierScore, "explanation": string(explanation),
	}}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypherWriteAssessment, params, neo4j.EagerResultTransformer, s.write())
	if err != nil {
		return formatError("write assessment", err)
	}
	if len(res.Records) == 0 {
		return valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", a.CustomerID)
	}
	return nil
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
  RETURN snap.explanation AS explanation ORDER BY snap.at DESC LIMIT 1
}
RETURN id, explanation`

// LatestAssessments returns the latest assessment of each customer, with
// its reasons, in one round trip; customers never scored are absent.
func (s *Store) LatestAssessments(ctx context.Context, ids []string) (map[string]*valuegraph.Assessment, error) {
	res, err := s.query(ctx, cypherLatestAssessments, map[string]any{"ids": ids})
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
