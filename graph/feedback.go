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
RETURN c.id AS customer, c.name AS customerName, p.id AS person, p.name AS personName, s.id AS signal, s.title AS signalTitle,
       p {.title, .role, until: w.until} AS personBefore, a {.*} AS aboutBefore`

	cypherCreateFeedback = `
MATCH (c:Customer {id: $customerId})
CREATE (fb:Feedback {id: $f.id, kind: $f.kind, customerId: $f.customerId, signalId: $f.signalId,
  personId: $f.personId, stage: $f.stage, title: $f.title, role: $f.role, risk: $f.risk, text: $f.text,
  author: $f.author, authorRep: $f.authorRep, createdAt: $f.createdAt, previous: $previous,
  effectZh: $effectZh, effectEn: $effectEn, reviewId: $reviewId})
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

	// An irrelevant signal stays about the customer, marked: the brief and
	// the customer's signals still show it, and who excluded it; scoring,
	// pain points, competitors and talking points leave it out.
	cypherExcludeSignal = `
MATCH (s:Signal {id: $signalId})-[a:ABOUT]->(c:Customer {id: $customerId})
SET a.excludedAt = $f.createdAt, a.excludedBy = $f.author, a.excludedFeedback = $f.id, a.excludedNote = $f.text, s:Excluded`

	// A signal about another organisation is split off at once to a
	// provisional organisation of its own (as entity resolution does with a
	// mention it cannot place), and a review in the entity-resolution queue
	// lists the customer it was at as the candidate: accepting it merges the
	// split back (cypherMergeInto), rejecting keeps it apart.
	cypherSplitSignal = `
MATCH (s:Signal {id: $signalId})-[a:ABOUT]->(c:Customer {id: $customerId})
MERGE (p:Customer {id: $provisionalId})
ON CREATE SET p.name = coalesce(a.asName, c.name), p.createdAt = datetime(), p.signalCount = 1, p.aliases = [],
              p.lastSignalAt = s.occurredAt
SET p.splitFrom = c.id
CREATE (s)-[m:ABOUT]->(p)
SET m += properties(a), m.rule = 'review', m.splitFrom = c.id, m.mergedFrom = null, m.feedback = $f.id,
    m.excludedAt = null, m.excludedBy = null, m.excludedFeedback = null, m.excludedNote = null
CREATE (r:Review {id: $reviewId, name: p.name, key: '', source: $feedbackSource, status: 'open', createdAt: datetime(), feedbackId: $f.id,
  reason: 'wrong_entity: ' + $f.author + ' says signal ' + s.id + ' is about another organisation than ' + c.name + ' (' + c.id + ')' +
          CASE WHEN $f.text IS NULL THEN '' ELSE ': ' + $f.text END})
CREATE (r)-[:PROVISIONAL]->(p)
CREATE (r)-[:CANDIDATE {score: coalesce(a.score, 1.0)}]->(c)
DELETE a`
)

// Feedback from the rep who owned a customer when an alert was raised
// follows the alert up.
const cypherFeedbackFollowsUp = `
MATCH (:Customer {id: $customerId})<-[:FOR]-(a:Alert {owner: $f.authorRep})` + stampFollowUp

// FeedbackSource is the source of the signals reps' feedback creates.
const FeedbackSource = "rep-feedback"

// SubmitFeedback stores a rep's feedback and applies it at once, in one
// transaction: a person who left stops working at the customer, a changed
// role is updated, an irrelevant signal is excluded from the customer's
// scores (kept and shown, marked), a misattributed one is split off to a
// provisional organisation with an unmerge review open. It returns the
// stored feedback with what it did (Effect); ENOTFOUND when the customer, or
// the person or signal it names there, does not exist.
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
		"role": nullable(string(f.Role)), "risk": nullable(f.Risk), "text": nullable(f.Text), "author": f.Author, "authorRep": nullable(f.AuthorRep), "createdAt": f.CreatedAt.UTC(),
	}, "at": f.CreatedAt.UTC(), "by": string(valuegraph.FollowedByFeedback)}
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
		target := valuegraph.FeedbackTarget{Customer: t.str("customerName"), Person: t.str("personName"), Signal: t.str("signalTitle")}
		params["reviewId"], params["provisionalId"] = nil, nil
		if f.Kind == valuegraph.FeedbackWrongEntity {
			f.ReviewID, target.ProvisionalID = "review-"+f.ID, f.CustomerID+"/split/"+f.ID
			params["reviewId"], params["provisionalId"] = f.ReviewID, target.ProvisionalID
		}
		f.EffectZH, f.EffectEN = f.Effect(target)
		params["effectZh"], params["effectEn"] = f.EffectZH, f.EffectEN
		if _, err := tx.Run(ctx, cypherCreateFeedback, params); err != nil {
			return false, err
		}
		apply := map[valuegraph.FeedbackKind]string{
			valuegraph.FeedbackPersonLeft: cypherPersonLeft, valuegraph.FeedbackRoleChanged: cypherRoleChanged,
			valuegraph.FeedbackSignalIrrelevant: cypherExcludeSignal, valuegraph.FeedbackWrongEntity: cypherSplitSignal,
		}[f.Kind]
		if apply != "" {
			if _, err := tx.Run(ctx, apply, params); err != nil {
				return false, err
			}
		}
		if f.AuthorRep != "" {
			if _, err := tx.Run(ctx, cypherFeedbackFollowsUp, params); err != nil {
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
		p := props(rec.AsMap()).sub("feedback")
		out = append(out, decodeFeedback(p))
	}
	return out
}

func decodeFeedback(p props) valuegraph.Feedback {
	f := valuegraph.Feedback{ID: p.str("id"), Kind: valuegraph.FeedbackKind(p.str("kind")), CustomerID: p.str("customerId"),
		SignalID: p.str("signalId"), PersonID: p.str("personId"), Stage: valuegraph.Stage(p.str("stage")), Title: p.str("title"),
		Role: valuegraph.DecisionRole(p.str("role")), Risk: p.str("risk"), Text: p.str("text"), Author: p.str("author"), AuthorRep: p.str("authorRep"), CreatedAt: p.time("createdAt"),
		EffectZH: p.str("effectZh"), EffectEN: p.str("effectEn"), ReviewID: p.str("reviewId")}
	switch {
	case f.EffectEN != "":
	case f.Kind == valuegraph.FeedbackSignalIrrelevant || f.Kind == valuegraph.FeedbackWrongEntity:
		// Given before feedback kept what it did, when such a signal was
		// detached (a DETACHED link in place of ABOUT).
		f.EffectZH, f.EffectEN = "信号 "+f.SignalID+" 已与该客户解除关联", "signal "+f.SignalID+" was detached from this customer"
	default:
		f.EffectZH, f.EffectEN = f.Effect(valuegraph.FeedbackTarget{})
	}
	return f
}

// Newest first, per customer, by the customers' ON links.
const cypherCustomerFeedback = `
UNWIND $ids AS id
CALL (id) {
  MATCH (:Customer {id: id})<-[:ON]-(fb:Feedback)
  RETURN fb ORDER BY fb.createdAt DESC LIMIT $limit
}
RETURN id, fb {.*} AS feedback`

// CustomerFeedback returns each customer's feedback, newest first, at most
// limit each, with what each did, in one round trip: the corrections in a
// customer's history.
func (s *Store) CustomerFeedback(ctx context.Context, ids []string, limit int) (map[string][]valuegraph.Feedback, error) {
	res, err := s.query(ctx, cypherCustomerFeedback, map[string]any{"ids": ids, "limit": max(limit, 1)})
	if err != nil {
		return nil, formatError("read customer feedback", err)
	}
	out := make(map[string][]valuegraph.Feedback, len(ids))
	for _, rec := range res.Records {
		row := props(rec.AsMap())
		out[row.str("id")] = append(out[row.str("id")], decodeFeedback(row.sub("feedback")))
	}
	return out, nil
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
