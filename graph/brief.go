package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

const cypherUpsertOfferings = `
UNWIND $rows AS row
OPTIONAL MATCH (existing:Offering {id: row.id})
WITH row, existing IS NULL AS created
MERGE (o:Offering {id: row.id})
WITH o, row, created, ` + offeringState + ` AS before
SET o.name = row.name, o.description = row.description
WITH o, row, created, before
CALL (o, row) {
  OPTIONAL MATCH (o)-[old:ADDRESSES]->(n:Need) WHERE NOT n.id IN row.needIds
  DELETE old
}
CALL (o, row) {
  UNWIND row.needIds AS nid
  MATCH (n:Need {id: nid})
  MERGE (o)-[:ADDRESSES]->(n)
}
WITH o, row, created, before <> ` + offeringState + ` AS changed
SET o.updatedAt = CASE WHEN created OR changed THEN datetime() ELSE o.updatedAt END
RETURN row.id AS id, CASE WHEN created THEN 'created' WHEN changed THEN 'updated' ELSE 'unchanged' END AS outcome`

// offeringState is what an upsert may change on an offering: updatedAt
// moves only when it does, so a second demo load changes nothing.
const offeringState = `[coalesce(o.name, ''), coalesce(o.description, ''), COLLECT { MATCH (o)-[:ADDRESSES]->(n:Need) RETURN n.id ORDER BY n.id }]`

// UpsertOfferings creates or updates what we can propose, and the needs each
// addresses (which must exist).
func (s *Store) UpsertOfferings(ctx context.Context, offerings []valuegraph.Offering) (WriteSummary, error) {
	rows := make([]map[string]any, len(offerings))
	r := refs{}
	for i := range offerings {
		o := &offerings[i]
		if err := o.Validate(); err != nil {
			return WriteSummary{}, fmt.Errorf("offering %d (%q): %w", i, o.ID, err)
		}
		r.add("Need", o.NeedIDs...)
		rows[i] = map[string]any{"id": o.ID, "name": o.Name, "description": nullable(o.Description), "needIds": o.NeedIDs}
	}
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	sum, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (WriteSummary, error) {
		if err := r.check(ctx, tx, "needIds"); err != nil {
			return WriteSummary{}, err
		}
		return runUpsert(ctx, tx, cypherUpsertOfferings, rows)
	})
	return sum, formatError("upsert offerings", err)
}

// NeedEvidence is a need around a customer with the signals that mention it
// (newest first) and the offerings that address it.
type NeedEvidence struct {
	Need      valuegraph.Need
	Signals   []valuegraph.Signal // every one, with kind, trust and time only
	Evidence  []valuegraph.Signal // the newest few, whole
	Offerings []valuegraph.Offering
}

// The brief's whole read: the customer's neighbourhood, latest assessment
// and needs with their evidence and offerings.
const cypherBriefSource = cypherCustomerNeighbourhoodAssessed + `,
COLLECT {
  MATCH (c)<-[:ABOUT]-(s:Signal)-[:MENTIONS]->(n:Need) WHERE NOT s IN excluded
  WITH n, s ORDER BY s.occurredAt DESC
  WITH n, collect(s) AS all
  RETURN {need: n {.*}, signals: [s IN all | s {.id, .kind, .trust, .occurredAt}],
          evidence: [s IN all[..$evidence] | ` + signalProjection + `], offerings: COLLECT {
    MATCH (o:Offering)-[:ADDRESSES]->(n)
    RETURN o {.*, needIds: COLLECT { MATCH (o)-[:ADDRESSES]->(x:Need) RETURN x.id }} ORDER BY o.name
  }}
} AS needEvidence,
COLLECT { MATCH (c)<-[:ON]-(fb:Feedback) RETURN fb {.*} ORDER BY fb.createdAt DESC LIMIT $feedback } AS feedback`

// BriefSource is everything a pre-visit brief is built from.
type BriefSource struct {
	*valuegraph.Neighbourhood // with the latest assessment, and up to limit signals
	Needs                     []NeedEvidence
	Feedback                  []valuegraph.Feedback // reps' latest, newest first
}

// BriefOptions bound what BriefSource reads.
type BriefOptions struct {
	Signals  int // the newest signals read; at least 1
	Evidence int // the newest signals read per need as its evidence; at least 1
	Feedback int // the newest feedback read; at least 1
	// WholeSignals reads those signals whole: text, parties, every link.
	// Without it each is read as the brief shows and builds on it (kind,
	// title, url, source, trust, times, amount, intents, attachments, the
	// competitors and needs it mentions): texts run to many kilobytes, and
	// a brief shows none unless asked.
	WholeSignals bool
}

// The brief's read with signal summaries in place of whole signals.
var cypherBriefSourceSummaries = strings.ReplaceAll(cypherBriefSource, signalProjection, signalSummaryProjection)

// BriefSource reads what a brief needs in one round trip: the customer's
// neighbourhood (opts.Signals signals, competitors and needs), its latest
// assessment, and every need its signals mention with the evidence (the
// newest opts.Evidence) and our offerings. ENOTFOUND for an unknown
// customer.
func (s *Store) BriefSource(ctx context.Context, customerID string, opts BriefOptions) (*BriefSource, error) {
	cypher, params := BriefQuery(customerID, opts)
	res, err := s.query(ctx, cypher, params)
	if err != nil {
		return nil, formatError("read brief", err)
	}
	if len(res.Records) == 0 {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", customerID)
	}
	row := props(res.Records[0].AsMap())
	n, err := decodeAssessedNeighbourhood(row)
	if err != nil {
		return nil, err
	}
	src := &BriefSource{Neighbourhood: n}
	for _, p := range row.list("needEvidence") {
		src.Needs = append(src.Needs, decodeNeedEvidence(p))
	}
	for _, p := range row.list("feedback") {
		src.Feedback = append(src.Feedback, decodeFeedback(p))
	}
	return src, nil
}

func decodeNeedEvidence(p props) NeedEvidence {
	ne := NeedEvidence{Need: decodeNeed(p.sub("need"))}
	for _, sig := range p.list("signals") {
		ne.Signals = append(ne.Signals, decodeSignal(sig))
	}
	for _, sig := range p.list("evidence") {
		ne.Evidence = append(ne.Evidence, decodeSignal(sig))
	}
	for _, o := range p.list("offerings") {
		ne.Offerings = append(ne.Offerings, valuegraph.Offering{ID: o.str("id"), Name: o.str("name"), Description: o.str("description"), NeedIDs: o.strs("needIds")})
	}
	return ne
}

// BriefQuery is the Cypher and parameters BriefSource runs, for benchmarks
// that time the bare query beside the API serving the same brief.
func BriefQuery(customerID string, opts BriefOptions) (string, map[string]any) {
	cypher := cypherBriefSourceSummaries
	if opts.WholeSignals {
		cypher = cypherBriefSource
	}
	return cypher, map[string]any{"ids": []string{customerID}, "limit": max(opts.Signals, 1), "evidence": max(opts.Evidence, 1), "feedback": max(opts.Feedback, 1)}
}
