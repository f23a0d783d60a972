package graph

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// The feed's bounds: it reads the signals that arrived in the last
// FeedWindow, newest first, at most FeedScan of them, and matches those
// against the caller's subscriptions. Older arrivals are never read, so
// the feed's cost does not grow with the graph.
const (
	FeedWindow = 30 * 24 * time.Hour
	FeedScan   = 10_000
	// FeedPerBuyer bounds what the feed reads from each subscribed buyer
	// (their newest arrivals of the window); FeedScan bounds them all too.
	FeedPerBuyer = 500
)

const subscriptionProjection = `x {.id, .name, .owner, .ownerKind, .createdAt, .updatedAt, .lastReadAt,
  .kinds, .industries, .regions, .keywords, .customerIds, .trust} AS subscription`

const (
	cypherSubscriptions = `
MATCH (x:Subscription) WHERE x.owner = $owner AND x.ownerKind = $kind
RETURN ` + subscriptionProjection + `
ORDER BY x.createdAt, x.id`

	cypherSubscriptionCount = `
MATCH (x:Subscription) WHERE x.owner = $owner AND x.ownerKind = $kind
RETURN count(x) AS n`

	cypherKnownCustomers = `
UNWIND $ids AS id
OPTIONAL MATCH (c:Customer {id: id})
RETURN id, c IS NOT NULL AS known`

	cypherCreateSubscription = `
CREATE (x:Subscription {id: $id, owner: $owner, ownerKind: $kind, createdAt: $now})
SET x += $props
RETURN ` + subscriptionProjection

	cypherOwnSubscription = `
MATCH (x:Subscription {id: $id}) WHERE x.owner = $owner AND x.ownerKind = $kind
RETURN ` + subscriptionProjection

	cypherUpdateSubscription = `
MATCH (x:Subscription {id: $id}) WHERE x.owner = $owner AND x.ownerKind = $kind
SET x += $props, x.updatedAt = $now
RETURN ` + subscriptionProjection

	cypherDeleteSubscription = `
MATCH (x:Subscription {id: $id}) WHERE x.owner = $owner AND x.ownerKind = $kind
DETACH DELETE x`

	cypherMarkRead = `
MATCH (x:Subscription) WHERE x.owner = $owner AND x.ownerKind = $kind AND ($id IS NULL OR x.id = $id)
WITH x, x.lastReadAt AS before
SET x.lastReadAt = $until
RETURN ` + subscriptionProjection + `, before
ORDER BY x.createdAt, x.id`
)

func decodeSubscription(p props) valuegraph.Subscription {
	sub := valuegraph.Subscription{ID: p.str("id"), Owner: p.str("owner"), OwnerKind: p.str("ownerKind"),
		CreatedAt: p.time("createdAt"), UpdatedAt: p.time("updatedAt"), LastReadAt: p.time("lastReadAt")}
	sub.Name = p.str("name")
	for _, k := range p.strs("kinds") {
		sub.Kinds = append(sub.Kinds, valuegraph.SignalKind(k))
	}
	sub.Industries, sub.Regions = nilIfEmpty(p.strs("industries")), nilIfEmpty(p.strs("regions"))
	sub.Keywords, sub.CustomerIDs = nilIfEmpty(p.strs("keywords")), nilIfEmpty(p.strs("customerIds"))
	if raw, ok := p["trust"].([]any); ok {
		for _, v := range raw {
			if n, ok := v.(int64); ok {
				sub.Trust = append(sub.Trust, valuegraph.TrustLevel(n))
			}
		}
	}
	return sub
}

// subscriptionProps are the properties a subscription's input sets; an
// empty criterion is removed (null), so it matches all.
func subscriptionProps(in valuegraph.SubscriptionInput) map[string]any {
	var trust []int64
	for _, t := range in.Trust {
		trust = append(trust, int64(t))
	}
	var tr any
	if len(trust) > 0 {
		tr = trust
	}
	return map[string]any{"name": in.Name, "kinds": nullList(stringsOf(in.Kinds)), "industries": nullList(in.Industries),
		"regions": nullList(in.Regions), "keywords": nullList(in.Keywords), "customerIds": nullList(in.CustomerIDs), "trust": tr}
}

// Subscriptions lists an owner's subscriptions, oldest first.
func (s *Store) Subscriptions(ctx context.Context, kind, owner string) ([]valuegraph.Subscription, error) {
	res, err := s.query(ctx, cypherSubscriptions, map[string]any{"owner": owner, "kind": kind})
	if err != nil {
		return nil, formatError("read subscriptions", err)
	}
	out := make([]valuegraph.Subscription, 0, len(res.Records))
	for _, rec := range res.Records {
		out = append(out, decodeSubscription(props(rec.AsMap()).sub("subscription")))
	}
	return out, nil
}

// CreateSubscription stores a new subscription of an owner, audited as
// actor's. EINVALID naming the field for bad input (see
// SubscriptionInput.Normalize), for a customer id that names no customer,
// or past MaxSubscriptions.
func (s *Store) CreateSubscription(ctx context.Context, kind, owner string, in valuegraph.SubscriptionInput, actor string) (*valuegraph.Subscription, error) {
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	b := make([]byte, 8)
	rand.Read(b)
	id := "sub-" + hex.EncodeToString(b)
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	sub, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (*valuegraph.Subscription, error) {
		row, err := firstRow(ctx, tx, cypherSubscriptionCount, map[string]any{"owner": owner, "kind": kind}, nil)
		if err != nil {
			return nil, err
		}
		if n := row.int("n"); n >= valuegraph.MaxSubscriptions {
			return nil, valuegraph.FieldError("input", "at most %d subscriptions each, you have %d: delete one first", valuegraph.MaxSubscriptions, n)
		}
		if err := knownCustomers(ctx, tx, in.CustomerIDs); err != nil {
			return nil, err
		}
		row, err = firstRow(ctx, tx, cypherCreateSubscription, map[string]any{"id": id, "owner": owner, "kind": kind,
			"now": time.Now().UTC(), "props": subscriptionProps(in)}, nil)
		if err != nil {
			return nil, err
		}
		sub := decodeSubscription(row.sub("subscription"))
		return &sub, audit(ctx, tx, actor, "createSubscription", id, nil, in)
	})
	if err != nil {
		return nil, formatError("create subscription", err)
	}
	return sub, nil
}

func knownCustomers(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	res, err := tx.Run(ctx, cypherKnownCustomers, map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return err
	}
	for i, rec := range recs {
		if p := props(rec.AsMap()); !p.bool("known") {
			return valuegraph.FieldError("customerIds["+strconv.Itoa(i)+"]", "no customer %q", p.str("id"))
		}
	}
	return nil
}

func notYours(id string) error {
	return &valuegraph.Error{Code: valuegraph.ENOTFOUND, Field: "id", Message: "no subscription " + strconv.Quote(id) + " of yours"}
}

// UpdateSubscription replaces a subscription's name and criteria, audited
// with what they were. ENOTFOUND when the owner has no subscription id
// (another's is not theirs to see); EINVALID as CreateSubscription.
func (s *Store) UpdateSubscription(ctx context.Context, kind, owner, id string, in valuegraph.SubscriptionInput, actor string) (*valuegraph.Subscription, error) {
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	params := map[string]any{"id": id, "owner": owner, "kind": kind}
	sub, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (*valuegraph.Subscription, error) {
		row, err := firstRow(ctx, tx, cypherOwnSubscription, params, notYours(id))
		if err != nil {
			return nil, err
		}
		before := decodeSubscription(row.sub("subscription")).SubscriptionInput
		if err := knownCustomers(ctx, tx, in.CustomerIDs); err != nil {
			return nil, err
		}
		row, err = firstRow(ctx, tx, cypherUpdateSubscription, map[string]any{"id": id, "owner": owner, "kind": kind,
			"now": time.Now().UTC(), "props": subscriptionProps(in)}, notYours(id))
		if err != nil {
			return nil, err
		}
		sub := decodeSubscription(row.sub("subscription"))
		return &sub, audit(ctx, tx, actor, "updateSubscription", id, before, in)
	})
	if err != nil {
		return nil, formatError("update subscription", err)
	}
	return sub, nil
}

// DeleteSubscription deletes one of the owner's subscriptions, audited with
// what it was. ENOTFOUND as UpdateSubscription.
func (s *Store) DeleteSubscription(ctx context.Context, kind, owner, id, actor string) error {
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	params := map[string]any{"id": id, "owner": owner, "kind": kind}
	_, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (bool, error) {
		row, err := firstRow(ctx, tx, cypherOwnSubscription, params, notYours(id))
		if err != nil {
			return false, err
		}
		if _, err := tx.Run(ctx, cypherDeleteSubscription, params); err != nil {
			return false, err
		}
		return true, audit(ctx, tx, actor, "deleteSubscription", id, decodeSubscription(row.sub("subscription")), nil)
	})
	return formatError("delete subscription", err)
}

// MarkFeedRead sets the read mark of one of the owner's subscriptions (all
// of them when id is empty) to until: later arrivals are unread. Audited
// per subscription with its mark before. ENOTFOUND for an id that is not
// the owner's, EINVALID on until for a time in the future.
func (s *Store) MarkFeedRead(ctx context.Context, kind, owner, id string, until time.Time, actor string) ([]valuegraph.Subscription, error) {
	// A mark in the future would hide arrivals nobody has seen; a minute
	// allows for clocks apart.
	now := time.Now()
	if until.After(now.Add(time.Minute)) {
		return nil, valuegraph.FieldError("until", "%s is in the future: the feed can be read up to now at most", until.UTC().Format(time.RFC3339))
	}
	// Within the minute allowed, the mark stops at now: what arrives after
	// it was not seen.
	if until.After(now) {
		until = now
	}
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	subs, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) ([]valuegraph.Subscription, error) {
		res, err := tx.Run(ctx, cypherMarkRead, map[string]any{"owner": owner, "kind": kind, "id": nullable(id), "until": until.UTC()})
		if err != nil {
			return nil, err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return nil, err
		}
		if id != "" && len(recs) == 0 {
			return nil, notYours(id)
		}
		out := make([]valuegraph.Subscription, 0, len(recs))
		for _, rec := range recs {
			p := props(rec.AsMap())
			sub := decodeSubscription(p.sub("subscription"))
			if err := audit(ctx, tx, actor, "markFeedRead", sub.ID, map[string]any{"lastReadAt": nullTime(p.time("before"))},
				map[string]any{"lastReadAt": sub.LastReadAt}); err != nil {
				return nil, err
			}
			out = append(out, sub)
		}
		return out, nil
	})
	if err != nil {
		return nil, formatError("mark feed read", err)
	}
	return subs, nil
}

// The feed, in one read: the newest arrivals of the window in index order
// (signal_ingested), at most $scan, and every arrival of the window about
// a buyer some subscription names (found from the buyer, so a buyer's
// news is never crowded out by the rest); of them the external ones (not L1, an
// external kind; only the kinds the subscriptions name when each names
// some, and their customers read only when one needs them) matched
// against each subscription, its criteria given as
// lower-cased lists (null: any); then the counts over every match, and
// the page after the cursor, newest occurrence first, with the customers
// each entry names (names only) and whether the caller owns them.
const cypherFeed = `
CALL () {
  MATCH (s:Signal) WHERE s.ingestedAt > $from
  WITH s ORDER BY s.ingestedAt DESC LIMIT $scan
  RETURN s, 1 AS w
  UNION ALL
  UNWIND $buyers AS b
  CALL (b) {
    MATCH (:Customer {id: b})<-[:ABOUT]-(s:Signal) WHERE s.ingestedAt > $from
    WITH s ORDER BY s.ingestedAt DESC LIMIT $perBuyer
    RETURN s
  }
  WITH s ORDER BY s.ingestedAt DESC LIMIT $buyerScan
  RETURN s, 0 AS w
}
WITH s, max(w) AS w
WITH s, w, CASE WHEN s.trust <> 1 AND s.kind IN $kinds THEN CASE WHEN $byCustomer THEN
  COLLECT { MATCH (s)-[:ABOUT]->(c:Customer)
            RETURN {id: c.id, industry: toLower(coalesce(c.industry, '')), region: toLower(coalesce(c.region, ''))} } ELSE [] END END AS about
WITH s, w, CASE WHEN about IS NULL THEN [] ELSE [sub IN $subs WHERE s.ingestedAt > sub.from
    AND (sub.kinds IS NULL OR s.kind IN sub.kinds)
    AND (sub.trust IS NULL OR s.trust IN sub.trust)
    AND (sub.keywords IS NULL OR any(k IN sub.keywords WHERE toLower(coalesce(s.title, '') + ' ' + coalesce(s.text, '')) CONTAINS k))
    AND (NOT sub.byCustomer OR any(c IN about WHERE (sub.industries IS NULL OR c.industry IN sub.industries)
                                              AND (sub.regions IS NULL OR any(r IN sub.regions WHERE c.region = r OR (size(r) >= 2 AND c.region <> '' AND (c.region CONTAINS r OR r CONTAINS c.region))))
                                              AND (sub.customerIds IS NULL OR c.id IN sub.customerIds)))] END AS hits
WITH sum(w) AS scanned, min(CASE WHEN w = 1 THEN s.ingestedAt END) AS oldest,
     collect(CASE WHEN size(hits) > 0 THEN {s: s, ids: [h IN hits | h.id],
       unread: any(h IN hits WHERE h.mark IS NULL OR s.ingestedAt > h.mark),
       own: $rep IS NOT NULL AND (EXISTS { MATCH (s)-[:ABOUT]->(:Customer)<-[:OWNS]-(:Rep {id: $rep}) }
                                  OR EXISTS { MATCH (s)<-[:WON|SUPPLIED]-(:Customer)<-[:OWNS]-(:Rep {id: $rep}) })} END) AS matched
CALL (matched) {
  UNWIND matched AS m
  WITH m ORDER BY m.s.occurredAt DESC, m.s.id DESC
  WHERE $afterAt IS NULL OR m.s.occurredAt < $afterAt OR (m.s.occurredAt = $afterAt AND m.s.id < $afterId)
  RETURN collect(m)[0..$limit] AS page
}
WITH scanned, oldest, size(matched) AS matches, size([m IN matched WHERE m.unread]) AS unread,
     size([m IN matched WHERE m.unread AND m.own]) AS unreadOwn, page
UNWIND CASE WHEN size(page) = 0 THEN [null] ELSE page END AS m
WITH scanned, oldest, matches, unread, unreadOwn, m, m.s AS s
RETURN scanned, oldest, matches, unread, unreadOwn,
  CASE WHEN s IS NULL THEN null ELSE {ids: m.ids, unread: m.unread, own: m.own, signal: ` + signalProjection + `,
    customers: COLLECT {
      MATCH (s)-[:ABOUT]->(c:Customer)
      RETURN {id: c.id, name: c.name, region: c.region, industry: c.industry, role: 'about', own: EXISTS { (:Rep {id: $rep})-[:OWNS]->(c) }} AS cust
      UNION
      MATCH (c:Customer)-[r:WON|SUPPLIED]->(s)
      RETURN {id: c.id, name: c.name, region: c.region, industry: c.industry, role: CASE type(r) WHEN 'WON' THEN 'winner' ELSE 'supplier' END,
              own: EXISTS { (:Rep {id: $rep})-[:OWNS]->(c) }} AS cust
    }} END AS entry`

type feedCursor struct {
	At time.Time `json:"t"`
	ID string    `json:"i"`
}

// Feed reads a page of the external signals that match an owner's
// subscriptions (or one of them), newest occurrence first, among the
// newest arrivals of the last FeedWindow (at most FeedScan of them, and
// all of those about the buyers subscriptions name), with counts over all
// its pages. Without q.Since it holds what arrived after
// each subscription's read mark (unread); with it, what arrived after
// Since, read or not. EINVALID for first out of 1–200 or a bad cursor,
// ENOTFOUND for a subscription that is not the owner's.
func (s *Store) Feed(ctx context.Context, q valuegraph.FeedQuery) (*valuegraph.Feed, error) {
	if q.First < 1 || q.First > 200 {
		return nil, valuegraph.FieldError("first", "must be between 1 and 200, got %d", q.First)
	}
	var after feedCursor
	if q.After != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.After)
		if err == nil {
			err = json.Unmarshal(b, &after)
		}
		if err != nil || after.ID == "" {
			return nil, valuegraph.FieldError("after", "not a cursor this API gave out")
		}
	}
	subs, err := s.Subscriptions(ctx, q.OwnerKind, q.Owner)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	windowStart := now.Add(-FeedWindow)
	feed := &valuegraph.Feed{WindowStart: windowStart, AsOf: now, Entries: []valuegraph.FeedEntry{}}
	var params []map[string]any
	from := now
	// The kinds any subscription can match, and whether any needs the
	// signal's customers: the query skips the rest early.
	var kinds []valuegraph.SignalKind
	buyers := []string{}
	anyKind, byCustomer := false, false
	for _, sub := range subs {
		if q.SubscriptionID != "" && sub.ID != q.SubscriptionID {
			continue
		}
		start := sub.LastReadAt.UTC()
		if !q.Since.IsZero() {
			start = q.Since.UTC()
		}
		if start.Before(windowStart) {
			start = windowStart
		}
		if start.Before(from) {
			from = start
		}
		params = append(params, feedParams(sub, start))
		anyKind = anyKind || len(sub.Kinds) == 0
		byCustomer = byCustomer || len(sub.Industries)+len(sub.Regions)+len(sub.CustomerIDs) > 0
		for _, id := range sub.CustomerIDs {
			if !slices.Contains(buyers, id) {
				buyers = append(buyers, id)
			}
		}
		for _, k := range sub.Kinds {
			if !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
	}
	if anyKind {
		kinds = valuegraph.ExternalSignalKinds
	}
	if q.SubscriptionID != "" && len(params) == 0 {
		return nil, notYours(q.SubscriptionID)
	}
	if len(params) == 0 {
		return feed, nil
	}
	scan := q.Scan
	if scan <= 0 {
		scan = FeedScan
	}
	var afterAt any
	if after.ID != "" {
		afterAt = after.At.UTC()
	}
	res, err := s.query(ctx, cypherFeed, map[string]any{"from": from, "scan": scan, "perBuyer": FeedPerBuyer, "buyerScan": FeedScan, "subs": params,
		"kinds": stringsOf(kinds), "byCustomer": byCustomer, "buyers": buyers, "rep": nullable(q.RepID),
		"afterAt": afterAt, "afterId": after.ID, "limit": q.First + 1})
	if err != nil {
		return nil, formatError("read feed", err)
	}
	for i, rec := range res.Records {
		p := props(rec.AsMap())
		if i == 0 {
			feed.Scanned, feed.Matches, feed.Unread, feed.UnreadOwn = p.int("scanned"), p.int("matches"), p.int("unread"), p.int("unreadOwn")
			// Reading as many as the cap allows means older arrivals of
			// the window were left unread.
			if feed.Truncated = feed.Scanned >= scan; feed.Truncated {
				feed.WindowStart = p.time("oldest")
			}
		}
		e := p.sub("entry")
		if e == nil {
			continue
		}
		if len(feed.Entries) == q.First {
			feed.HasNext = true
			break
		}
		entry := valuegraph.FeedEntry{Signal: decodeSignal(e.sub("signal")), SubscriptionIDs: e.strs("ids"),
			Unread: e.bool("unread"), OwnCustomer: e.bool("own")}
		for _, c := range e.list("customers") {
			entry.Customers = append(entry.Customers, valuegraph.FeedCustomer{ID: c.str("id"), Name: c.str("name"),
				Region: c.str("region"), Industry: c.str("industry"), Role: c.str("role"), Own: c.bool("own")})
		}
		cur, _ := json.Marshal(feedCursor{At: entry.Signal.OccurredAt.UTC(), ID: entry.Signal.ID})
		entry.Cursor = base64.RawURLEncoding.EncodeToString(cur)
		feed.Entries = append(feed.Entries, entry)
	}
	return feed, nil
}

// feedParams are a subscription's criteria as the feed's query matches
// them: lower-cased, null for any, and from when its arrivals count.
func feedParams(sub valuegraph.Subscription, from time.Time) map[string]any {
	lower := func(vs []string) any {
		if len(vs) == 0 {
			return nil
		}
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = strings.ToLower(v)
		}
		return out
	}
	var trust any
	if len(sub.Trust) > 0 {
		ts := make([]int64, len(sub.Trust))
		for i, t := range sub.Trust {
			ts[i] = int64(t)
		}
		trust = ts
	}
	var kinds any
	if len(sub.Kinds) > 0 {
		kinds = stringsOf(sub.Kinds)
	}
	return map[string]any{"id": sub.ID, "from": from, "mark": nullTime(sub.LastReadAt), "kinds": kinds, "trust": trust,
		"keywords": lower(sub.Keywords), "industries": lower(sub.Industries), "regions": lower(sub.Regions),
		"customerIds": nullList(sub.CustomerIDs),
		"byCustomer":  len(sub.Industries)+len(sub.Regions)+len(sub.CustomerIDs) > 0}
}
