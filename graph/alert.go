package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// An alert is an :Alert node, (a)-[:FOR]->(customer), made with the
// assessment that raised it (cypherWriteAssessments), in the same
// transaction: keyed by its id, so a run repeated stores it once. Its owner
// is the rep who owns the customer as it is written. Its follow-up
// (followedAt, followedBy) is stamped by whatever the owner does first
// after it: opening the brief (RecordBriefOpen), logging an activity (the
// Rep link of a signal write) or giving feedback (SubmitFeedback). A brief
// the owner opened between the scoring and this write counts too.
// An assessment older than the one its customer carries (two rescorings
// overlapped, the later one wrote first) stores no alert: the move it
// would report is not one the customer made.
const cypherWriteAlerts = `
CALL (c, row, latest) {
  UNWIND CASE WHEN latest THEN row.alerts ELSE [] END AS al
  WITH c, al, COLLECT { MATCH (r:Rep)-[:OWNS]->(c) RETURN r.id ORDER BY r.id }[0] AS owner
  MERGE (a:Alert {id: al.id})
  ON CREATE SET a.kind = al.kind, a.customerId = c.id, a.from = al.from, a.to = al.to, a.risk = al.risk,
    a.at = al.at, a.causes = al.causes, a.createdAt = datetime(), a.owner = owner
  MERGE (a)-[:FOR]->(c)
  WITH a, c WHERE a.followedAt IS NULL AND a.owner IS NOT NULL
  MATCH (:Rep {id: a.owner})-[o:OPENED_BRIEF]->(c) WHERE o.last >= a.at
  SET a.followedAt = o.last, a.followedBy = '` + string(valuegraph.FollowedByBriefOpened) + `'
}`

// newAlertRows turns alerts into rows of cypherWriteAlerts, by customer.
func newAlertRows(alerts []valuegraph.Alert) (map[string][]map[string]any, error) {
	out := map[string][]map[string]any{}
	for _, a := range alerts {
		if a.ID == "" || a.CustomerID == "" || !a.Kind.Valid() {
			return nil, valuegraph.Errorf(valuegraph.EINVALID, "alert %q of customer %q: an id, a customer and a known kind are required (kind %q)", a.ID, a.CustomerID, a.Kind)
		}
		causes, err := json.Marshal(a.Causes)
		if err != nil {
			return nil, err
		}
		out[a.CustomerID] = append(out[a.CustomerID], map[string]any{
			"id": a.ID, "kind": string(a.Kind), "from": a.From, "to": a.To, "risk": nullable(a.Risk),
			"at": a.At.UTC(), "causes": string(causes),
		})
	}
	return out, nil
}

// A follow-up is the first act of the owner after the alert: a later act
// leaves it be, an earlier one (an activity logged late) replaces it.
// $by, $at, and a for the alert, are bound by each statement using it.
const stampFollowUp = `
WHERE a.at <= $at AND (a.followedAt IS NULL OR a.followedAt > $at)
SET a.followedAt = $at, a.followedBy = $by`

// One relationship per rep and customer, with the last time and a count:
// one MERGE per brief read. The owner's alerts on the customer that were
// waiting get their follow-up.
const cypherRecordBriefOpen = `
MATCH (r:Rep {id: $repId}), (c:Customer {id: $customerId})
MERGE (r)-[o:OPENED_BRIEF]->(c)
SET o.last = $at, o.count = coalesce(o.count, 0) + 1
WITH r, c
CALL (r, c) {
  MATCH (c)<-[:FOR]-(a:Alert {owner: r.id})` + stampFollowUp + `
}`

// RecordBriefOpen records that a rep read a customer's brief at a time, and
// follows up the rep's alerts on it. Nothing is recorded for a rep or a
// customer the graph does not know.
func (s *Store) RecordBriefOpen(ctx context.Context, repID, customerID string, at time.Time) error {
	if repID == "" || customerID == "" {
		return nil
	}
	_, err := neo4j.ExecuteQuery(ctx, s.driver, cypherRecordBriefOpen, map[string]any{
		"repId": repID, "customerId": customerID, "at": at.UTC(), "by": string(valuegraph.FollowedByBriefOpened),
	}, neo4j.EagerResultTransformer, s.write())
	return formatError("record brief open", err)
}

// Alerts newest first, resumed after (at, id). A rep's list starts from the
// customers they own; every other list from the alerts by time (index
// alert_at).
const (
	alertFilters = `
  ($since IS NULL OR a.at >= $since)
  AND ($kinds IS NULL OR a.kind IN $kinds)
  AND ($owner IS NULL OR a.owner = $owner)
  AND ($followed IS NULL OR (a.followedAt IS NOT NULL) = $followed)
  AND ($afterAt IS NULL OR a.at < $afterAt OR (a.at = $afterAt AND a.id > $afterId))`
	fromAllAlerts = `
MATCH (a:Alert)-[:FOR]->(c:Customer) WHERE a.at IS NOT NULL AND ` + alertFilters + `
WITH a, c ORDER BY a.at DESC, a.id LIMIT $limit`
	fromOwnedAlerts = `
MATCH (:Rep {id: $customerOwner})-[:OWNS]->(c:Customer)<-[:FOR]-(a:Alert) WHERE ` + alertFilters + `
WITH a, c ORDER BY a.at DESC, a.id LIMIT $limit`
	alertProjection = `
RETURN a {.*} AS alert, ` + customerProjection + `,
  COLLECT { MATCH (r:Rep {id: a.owner}) RETURN r {.id, .name} }[0] AS owner
ORDER BY a.at DESC, a.id`
)

// ListAlerts returns a page of alerts, newest first, after the cursor of a
// previous page (""): each with its customer as it is now, its owner then
// and the owner's follow-up.
func (s *Store) ListAlerts(ctx context.Context, f valuegraph.AlertFilter, first int, after string) (valuegraph.AlertPage, error) {
	var page valuegraph.AlertPage
	if err := f.Validate(); err != nil {
		return page, err
	}
	params := map[string]any{"since": nullTime(f.Since), "kinds": nil, "owner": nullable(f.Owner), "followed": nil,
		"afterAt": nil, "afterId": nil, "limit": max(first, 1) + 1, "customerOwner": nullable(f.CustomerOwner)}
	if len(f.Kinds) > 0 {
		params["kinds"] = stringsOf(f.Kinds)
	}
	if f.Followed != nil {
		params["followed"] = *f.Followed
	}
	if after != "" {
		at, id, err := decodeAlertCursor(after)
		if err != nil {
			return page, err
		}
		params["afterAt"], params["afterId"] = at, id
	}
	cypher := fromAllAlerts + alertProjection
	if f.CustomerOwner != "" {
		cypher = fromOwnedAlerts + alertProjection
	}
	res, err := s.query(ctx, cypher, params)
	if err != nil {
		return page, formatError("list alerts", err)
	}
	for i, rec := range res.Records {
		if i == max(first, 1) {
			page.HasNext = true
			break
		}
		row := props(rec.AsMap())
		a, err := decodeAlert(row.sub("alert"))
		if err != nil {
			return page, err
		}
		c := decodeCustomer(row.sub("customer"))
		a.Customer = &c
		if o := row.sub("owner"); o != nil {
			a.Owner = &valuegraph.Rep{ID: o.str("id"), Name: o.str("name")}
		} else if id := row.sub("alert").str("owner"); id != "" {
			a.Owner = &valuegraph.Rep{ID: id}
		}
		page.Alerts = append(page.Alerts, a)
		page.Cursors = append(page.Cursors, encodeAlertCursor(a.At, a.ID))
	}
	return page, nil
}

func decodeAlert(p props) (valuegraph.Alert, error) {
	a := valuegraph.Alert{ID: p.str("id"), Kind: valuegraph.AlertKind(p.str("kind")), CustomerID: p.str("customerId"),
		From: p.str("from"), To: p.str("to"), Risk: p.str("risk"), At: p.time("at"),
		FollowUp: valuegraph.FollowUp{By: valuegraph.FollowUpKind(p.str("followedBy")), At: p.time("followedAt")}}
	if c := p.str("causes"); c != "" {
		if err := json.Unmarshal([]byte(c), &a.Causes); err != nil {
			return a, fmt.Errorf("read the causes of alert %s: %w", a.ID, err)
		}
	}
	if a.Causes == nil {
		a.Causes = []valuegraph.Cause{}
	}
	return a, nil
}

// An alert cursor is the last alert's time and id, opaque to clients.
func encodeAlertCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodeAlertCursor(s string) (time.Time, string, error) {
	bad := valuegraph.FieldError("after", "not a cursor this API gave out")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, "", bad
	}
	at, id, ok := strings.Cut(string(b), "|")
	t, err := time.Parse(time.RFC3339Nano, at)
	if !ok || err != nil || id == "" {
		return time.Time{}, "", bad
	}
	return t, id, nil
}

const cypherAlertSummary = `
MATCH (a:Alert) WHERE a.at IS NOT NULL AND ($since IS NULL OR a.at >= $since) AND EXISTS { (a)-[:FOR]->(:Customer) }
WITH a.owner AS owner, count(*) AS raised, count(a.followedAt) AS followed, max(a.at) AS last
RETURN owner, COLLECT { MATCH (r:Rep {id: owner}) RETURN r.name }[0] AS name, raised, followed, last
ORDER BY raised - followed DESC, raised DESC, owner`

// AlertSummary counts, per owner, the alerts raised since a time (all when
// zero) and how many the owner followed up; most unfollowed first. Alerts
// of customers nobody owned are counted under a nil owner.
func (s *Store) AlertSummary(ctx context.Context, since time.Time) ([]valuegraph.AlertOwnerSummary, error) {
	res, err := s.query(ctx, cypherAlertSummary, map[string]any{"since": nullTime(since)})
	if err != nil {
		return nil, formatError("alert summary", err)
	}
	out := make([]valuegraph.AlertOwnerSummary, 0, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		sum := valuegraph.AlertOwnerSummary{Raised: p.int("raised"), Followed: p.int("followed"), LastAt: p.time("last")}
		sum.Unfollowed = sum.Raised - sum.Followed
		if id := p.str("owner"); id != "" {
			sum.Owner = &valuegraph.Rep{ID: id, Name: p.str("name")}
		}
		out = append(out, sum)
	}
	return out, nil
}
