package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// Every mutation made through the API leaves an Audit node: who, when,
// what, and the value before.
const cypherAudit = `
CREATE (:Audit {id: $a.id, at: $a.at, actor: $a.actor, action: $a.action, target: $a.target, before: $a.before, after: $a.after})`

func audit(ctx context.Context, tx neo4j.ManagedTransaction, actor, action, target string, before, after any) error {
	b, _ := json.Marshal(before)
	a, _ := json.Marshal(after)
	now := time.Now().UTC()
	// The time alone is not unique: the risk gate audits every call, and
	// two replicas (or two goroutines) may write in the same nanosecond.
	_, err := tx.Run(ctx, cypherAudit, map[string]any{"a": map[string]any{
		"id": fmt.Sprintf("audit-%d-%08x", now.UnixNano(), rand.Uint32()), "at": now, "actor": actor, "action": action, "target": target,
		"before": string(b), "after": string(a),
	}})
	return err
}

const cypherReviewForUpdate = `
MATCH (r:Review {id: $id})
OPTIONAL MATCH (r)-[:PROVISIONAL]->(p:Customer)
RETURN r.status AS status, p.id AS provisional, p.name AS name,
       [(r)-[:CANDIDATE]->(c:Customer) | c.id] AS candidates`

// Merging the provisional customer into the chosen one moves every tie it
// has, marking each moved link with mergedFrom so the merge stays
// explainable (and can be undone by moving them back). Contact data given
// for the provisional customer was given for the same organisation: it
// moves too (see cypherUpsertPeople).
var cypherMergeInto = []string{
	`MATCH (p:Customer {id: $p})<-[r:ABOUT]-(s:Signal) MATCH (x:Customer {id: $x})
	 MERGE (s)-[n:ABOUT]->(x) SET n += properties(r), n.mergedFrom = $p, n.rule = 'review', n.asName = coalesce(r.asName, $name) DELETE r`,
	`MATCH (p:Customer {id: $p})-[r:WON]->(s:Signal) MATCH (x:Customer {id: $x})
	 MERGE (x)-[n:WON]->(s) SET n += properties(r), n.mergedFrom = $p, n.rule = 'review', n.asName = coalesce(r.asName, $name) DELETE r`,
	`MATCH (p:Customer {id: $p})-[r:SUPPLIED]->(s:Signal) MATCH (x:Customer {id: $x})
	 MERGE (x)-[n:SUPPLIED]->(s) SET n += properties(r), n.mergedFrom = $p, n.rule = 'review', n.asName = coalesce(r.asName, $name) DELETE r`,
	`MATCH (p:Customer {id: $p})-[r:IDENTIFIED_BY]->(i:Identifier) MATCH (x:Customer {id: $x})
	 MERGE (x)-[n:IDENTIFIED_BY]->(i) SET n += properties(r), n.mergedFrom = $p, n.rule = 'review', n.asName = coalesce(r.asName, $name) DELETE r`,
	`MATCH (q:Person)-[r:WORKS_AT]->(p:Customer {id: $p}) MATCH (x:Customer {id: $x})
	 MERGE (q)-[n:WORKS_AT]->(x) SET n += properties(r)
	 SET q.contactFor = CASE WHEN q.contactFor = $p THEN $x ELSE q.contactFor END DELETE r`,
	`MATCH (x:Customer {id: $x}), (p:Customer {id: $p})
	 SET x.aliases = [a IN coalesce(x.aliases, []) WHERE a <> p.name] + CASE WHEN p.name = x.name THEN [] ELSE [p.name] END, x.updatedAt = datetime()`,
	`MATCH (p:Customer {id: $p}) OPTIONAL MATCH (p)<-[:OF]-(snap:ScoreSnapshot) DETACH DELETE snap, p`,
}

// ResolveReview decides an ambiguous match. Accepting a candidate merges
// the mention's provisional customer into it (its signals, identifiers and
// people move over, its name becomes an alias); rejecting keeps the
// provisional customer as an organisation of its own. Audited; EINVALID for
// a candidate the review does not list, ECONFLICT for a decided review.
func (s *Store) ResolveReview(ctx context.Context, id, candidateID string, reject bool, actor string) (*valuegraph.Review, error) {
	if !reject && candidateID == "" {
		return nil, valuegraph.FieldError("candidateId", "give the candidate to accept, or reject")
	}
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	_, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (bool, error) {
		r, err := firstRow(ctx, tx, cypherReviewForUpdate, map[string]any{"id": id},
			valuegraph.Errorf(valuegraph.ENOTFOUND, "review %q not found", id))
		if err != nil {
			return false, err
		}
		if st := r.str("status"); st != valuegraph.ReviewOpen {
			return false, valuegraph.Errorf(valuegraph.ECONFLICT, "review %q is already %s", id, st)
		}
		status, after := valuegraph.ReviewRejected, map[string]any{"status": valuegraph.ReviewRejected}
		if !reject {
			listed := false
			for _, c := range r.strs("candidates") {
				listed = listed || c == candidateID
			}
			if !listed {
				return false, valuegraph.FieldError("candidateId", "%q is not a candidate of review %q", candidateID, id)
			}
			for _, stmt := range cypherMergeInto {
				if _, err := tx.Run(ctx, stmt, map[string]any{"p": r.str("provisional"), "x": candidateID, "name": r.str("name")}); err != nil {
					return false, err
				}
			}
			status, after = valuegraph.ReviewAccepted, map[string]any{"status": valuegraph.ReviewAccepted, "mergedInto": candidateID, "merged": r.str("provisional")}
		}
		if _, err := tx.Run(ctx, `MATCH (r:Review {id: $id}) SET r.status = $status, r.resolvedBy = $actor, r.resolvedAt = datetime(), r.acceptedId = $accepted`,
			map[string]any{"id": id, "status": status, "actor": actor, "accepted": nullable(candidateID)}); err != nil {
			return false, err
		}
		return true, audit(ctx, tx, actor, "resolveReview", id, map[string]any{"status": valuegraph.ReviewOpen, "provisional": r.str("provisional")}, after)
	})
	if err != nil {
		return nil, formatError("resolve review", err)
	}
	return s.Review(ctx, id)
}

const cypherAssignOwner = `
MATCH (c:Customer {id: $customer})
OPTIONAL MATCH (old:Rep)-[o:OWNS]->(c)
WITH c, collect(old.id) AS before, collect(o) AS rels
FOREACH (r IN rels | DELETE r)
MERGE (rep:Rep {id: $rep})
MERGE (rep)-[:OWNS]->(c)
SET c.updatedAt = datetime()
RETURN before`

// A rep is known when the CRM or a load named it (a Rep node), or when a
// rep's API token carries its id.
const cypherRepKnown = `
RETURN EXISTS { MATCH (:Rep {id: $rep}) }
    OR EXISTS { MATCH (t:APIToken {role: 'rep', repId: $rep}) WHERE t.revokedAt IS NULL } AS known`

// AssignOwner makes a rep the owner of a customer, audited with the owner
// before; ENOTFOUND for an unknown customer, EINVALID (field repId) for a
// rep no one knows, so a typo does not make a rep out of thin air.
func (s *Store) AssignOwner(ctx context.Context, customerID, repID, actor string) error {
	if repID == "" {
		return valuegraph.FieldError("repId", "required")
	}
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	_, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (bool, error) {
		known, err := firstRow(ctx, tx, cypherRepKnown, map[string]any{"rep": repID}, nil)
		if err != nil {
			return false, err
		}
		if !known.bool("known") {
			return false, valuegraph.FieldError("repId", "no rep %q: reps come from the CRM's account owners, a load of reps, or a rep's API token", repID)
		}
		row, err := firstRow(ctx, tx, cypherAssignOwner, map[string]any{"customer": customerID, "rep": repID},
			valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", customerID))
		if err != nil {
			return false, err
		}
		before := row.strs("before")
		return true, audit(ctx, tx, actor, "assignOwner", customerID, map[string]any{"owners": before}, map[string]any{"owner": repID})
	})
	return formatError("assign owner", err)
}

const cypherAudits = `
MATCH (a:Audit) WHERE $target IS NULL OR a.target = $target
RETURN a {.*} AS a ORDER BY a.at DESC LIMIT $limit`

// AuditEntry is one audited mutation.
type AuditEntry struct {
	At                    time.Time
	Actor, Action, Target string
	Before, After         string // JSON
}

// Audits lists audited mutations, newest first, of a target (all when empty).
func (s *Store) Audits(ctx context.Context, target string, limit int) ([]AuditEntry, error) {
	res, err := s.query(ctx, cypherAudits, map[string]any{"target": nullable(target), "limit": max(limit, 1)})
	if err != nil {
		return nil, formatError("read audit", err)
	}
	out := make([]AuditEntry, 0, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap()).sub("a")
		out = append(out, AuditEntry{At: p.time("at"), Actor: p.str("actor"), Action: p.str("action"), Target: p.str("target"), Before: p.str("before"), After: p.str("after")})
	}
	return out, nil
}

// RecordAudit stores an audit entry on its own, for mutations that are not
// a single transaction here.
func (s *Store) RecordAudit(ctx context.Context, actor, action, target string, before, after any) error {
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	_, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (bool, error) {
		return true, audit(ctx, tx, actor, action, target, before, after)
	})
	return formatError("audit", err)
}

// firstRow runs cypher in tx and returns its first row; notFound is the
// error when there is none.
func firstRow(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any, notFound error) (props, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, notFound
	}
	return props(recs[0].AsMap()), nil
}
