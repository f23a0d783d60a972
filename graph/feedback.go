package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// The feedback node is created with every field it will ever have, and
// the change it asks for is applied in the same transaction; what the change
// replaced is kept on the node (previous), so it can be audited and undone.
const (
	cypherFeedbackTarget = `
MATCH (c:Customer {id: $customerId})
OPTIONAL MATCH (p:Person {id: $personId})-[w:WORKS_AT]->(c)
OPTIONAL MATCH (s:Signal {id: $signalId})-[a:ABOUT]->(c)
RETURN c.id AS customer, p.id AS person, s.id AS signal,
       p {.title, .role, until: w.until} AS personBefore, a {.*} AS aboutBefore`

	cypherCreateFeedback = `
MATCH (c:Customer {id: $customerId})
CREATE (fb:Feedback {id: $f.id, kind: $f.kind, customerId: $f.customerId, signalId: $f.signalId,
  personId: $f.personId, stage: $f.stage, title: $f.title, role: $f.role, risk: $f.risk, text: $f.text,
  author: $f.author, createdAt: $f.createdAt, previous: $previous})
CREATE (fb)-[:ON]->(c)
WITH fb
OPTIONAL MATCH (s:Signal {id: $signalId})
OPTIONAL MATCH (p:Person {id: $personId})
FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | CREATE (fb)-[:ON]->(s))
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (fb)-[:ON]->(p))
RETURN fb.id AS id`

	// A person leaving is also news about the customer: an exec_change
	// signal from the rep (trust 3, an observation), which scoring counts as
	// a decision-maker change and the brief lists as what changed.
	cypherPersonLeft = `
MATCH (p:Person {id: $personId})-[w:WORKS_AT]->(c:Customer {id: $customerId})
SET w.until = coalesce(w.until, $f.createdAt), w.endedBy = $f.id
MERGE (src:Source {id: $feedbackSource})
ON CREATE SET src.trust = 3, src.createdAt = datetime()
CREATE (s:Signal {id: c.id + '/feedback/' + $f.id, kind: 'exec_change', source: $feedbackSource, trust: 3,
  title: '离任 / left: ' + p.name + CASE WHEN coalesce(w.title, p.title, '') = '' THEN '' ELSE '（' + coalesce(w.title, p.title) + '）' END,
  text: coalesce($f.text, ''), occurredAt: $f.createdAt, ingestedAt: datetime(), contentHash: $f.id})
CREATE (src)-[:EMITTED]->(s)
CREATE (s)-[:ABOUT {rule: 'given', score: 1.0}]->(c)
CREATE (s)-[:MENTIONS]->(p)`

	cypherRoleChanged = `
MATCH (p:Person {id: $personId})-[w:WORKS_AT]->(:Customer {id: $customerId})
SET p.title = coalesce($f.title, p.title), p.role = coalesce($f.role, p.role),
    w.title = coalesce($f.title, w.title), p.updatedAt = $f.createdAt`

	// A detached signal keeps a DETACHED link in place of ABOUT, so the
	// graph still says what was undone and by which feedback.
	cypherDetachSignal = `
MATCH (s:Signal {id: $signalId})-[a:ABOUT]->(c:Customer {id: $customerId})
CREATE (s)-[:DETACHED {feedback: $f.id, kind: $f.kind, at: $f.createdAt, rule: a.rule, asName: a.asName}]->(c)
DELETE a`
)

// FeedbackSource is the source of the signals reps' feedback creates.
const FeedbackSource = "rep-feedback"

// SubmitFeedback stores a rep's feedback and applies it at once, in one
// transaction: a person who left stops working at the customer, a changed
// role is updated, an irrelevant or misattributed signal is detached. It
// returns the stored feedback; ENOTFOUND when the customer, or the person or
// signal it names there, does not exist.
func (s *Store) SubmitFeedback(ctx context.Context, f valuegraph.Feedback) (*valuegraph.Feedback, error) {
	if f.CreatedAt.IsZero() {
		f.CreatedAt = time.Now().UTC()
	}
	if f.ID == "" {
		b := make([]byte, 8)
		rand.Read(b)
		f.ID = "fb-" + hex.EncodeToString(b)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	// Node lookups take flat parameters: a map parameter's field in a
	// pattern does not get an index seek from the planner.
	params := map[string]any{"feedbackSource": FeedbackSource, "customerId": f.CustomerID, "personId": nullable(f.PersonID), "signalId": nullable(f.SignalID), "f": map[string]any{
		"id": f.ID, "kind": string(f.Kind), "customerId": f.CustomerID, "signalId": nullable(f.SignalID),
		"personId": nullable(f.PersonID), "stage": nullable(string(f.Stage)), "title": nullable(f.Title),
		"role": nullable(string(f.Role)), "risk": nullable(f.Risk), "text": nullable(f.Text), "author": f.Author, "createdAt": f.CreatedAt.UTC(),
	}}
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	_, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (bool, error) {
		t, err := firstRow(ctx, tx, cypherFeedbackTarget, params,
			valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", f.CustomerID))
		if err != nil {
			return false, err
		}
		if f.PersonID != "" && t.str("person") == "" {
			return false, valuegraph.Errorf(valuegraph.ENOTFOUND, "person %q does not work at customer %q", f.PersonID, f.CustomerID)
		}
		if f.SignalID != "" && t.str("signal") == "" {
			return false, valuegraph.Errorf(valuegraph.ENOTFOUND, "signal %q is not about customer %q", f.SignalID, f.CustomerID)
		}
		previous := ""
		switch {
		case t.sub("personBefore") != nil:
			previous = jsonString(t.sub("personBefore"))
		case t.sub("aboutBefore") != nil:
			previous = jsonString(t.sub("aboutBefore"))
		}
		params["previous"] = nullable(previous)
		if _, err := tx.Run(ctx, cypherCreateFeedback, params); err != nil {
			return false, err
		}
		apply := map[valuegraph.FeedbackKind]string{
			valuegraph.FeedbackPersonLeft: cypherPersonLeft, valuegraph.FeedbackRoleChanged: cypherRoleChanged,
			valuegraph.FeedbackSignalIrrelevant: cypherDetachSignal, valuegraph.FeedbackWrongEntity: cypherDetachSignal,
		}[f.Kind]
		if apply != "" {
			if _, err := tx.Run(ctx, apply, params); err != nil {
				return false, err
			}
		}
		return true, nil // ExecuteWrite cannot return a nil interface
	})
	if err != nil {
		return nil, formatError("submit feedback", err)
	}
	return &f, nil
}

const cypherFeedbacks = `
MATCH (fb:Feedback)
WHERE ($customer IS NULL OR fb.customerId = $customer) AND ($kinds IS NULL OR fb.kind IN $kinds)
RETURN fb {.*} AS feedback
ORDER BY fb.createdAt DESC
LIMIT $limit`

// Feedbacks lists feedback, newest first, for a customer (or all when
// customerID is empty) and of the given kinds (all when empty).
func (s *Store) Feedbacks(ctx context.Context, customerID string, kinds []valuegraph.FeedbackKind, limit int) ([]valuegraph.Feedback, error) {
	if limit <= 0 {
		limit = 100
	}
	var ks any
	if len(kinds) > 0 {
		ks = stringsOf(kinds)
	}
	res, err := s.query(ctx, cypherFeedbacks,
		map[string]any{"customer": nullable(customerID), "kinds": ks, "limit": limit})
	if err != nil {
		return nil, formatError("list feedback", err)
	}
	return decodeFeedbacks(res.Records), nil
}

func decodeFeedbacks(records []*neo4j.Record) []valuegraph.Feedback {
	out := make([]valuegraph.Feedback, 0, len(records))
	for _, rec := range records {
		out = append(out, decodeFeedback(props(rec.AsMap()).sub("feedback")))
	}
	return out
}

func decodeFeedback(p props) valuegraph.Feedback {
	return valuegraph.Feedback{ID: p.str("id"), Kind: valuegraph.FeedbackKind(p.str("kind")), CustomerID: p.str("customerId"),
		SignalID: p.str("signalId"), PersonID: p.str("personId"), Stage: valuegraph.Stage(p.str("stage")), Title: p.str("title"),
		Role: valuegraph.DecisionRole(p.str("role")), Risk: p.str("risk"), Text: p.str("text"), Author: p.str("author"), CreatedAt: p.time("createdAt")}
}

// From the customer, by its ON links: an index seek on the customer, not a
// scan of every feedback.
const cypherCorrections = `
MATCH (:Customer {id: $customer})<-[:ON]-(fb:Feedback)
WHERE fb.kind IN $kinds
RETURN fb {.*} AS feedback
ORDER BY fb.createdAt DESC, fb.id`

// Corrections lists a customer's feedback that corrects its scores
// (valuegraph.CorrectionKinds), newest first: what scoring applies after
// the model.
func (s *Store) Corrections(ctx context.Context, customerID string) ([]valuegraph.Feedback, error) {
	res, err := s.query(ctx, cypherCorrections,
		map[string]any{"customer": customerID, "kinds": stringsOf(valuegraph.CorrectionKinds)})
	if err != nil {
		return nil, formatError("read corrections", err)
	}
	return decodeFeedbacks(res.Records), nil
}
