package resolvers_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/resolvers"
)

const (
	createSubscription = `mutation($input: SubscriptionInput!) {
  createSubscription(input: $input) { id name createdAt lastReadAt kinds industries regions keywords customerIds trust }
}`
	feedQuery = `query($first: Int, $after: String, $sub: ID, $since: Time) {
  feed(first: $first, after: $after, subscription: $sub, since: $since) {
    total unread unreadOwnCustomer scanned truncated windowStart asOf
    pageInfo { hasNextPage endCursor }
    edges { cursor node { subscriptions ownCustomer unread signal { id kind trust title } customers { id name role own } } }
  }
}`
)

// Through the API: each role keeps subscriptions of its own; the feed
// shows the external signals about the buyer subscribed to (not our CRM's
// note about it), marks those naming the rep's own customers, counts them
// unread until marked read; another rep can neither read, change nor
// delete the subscription; bad input names its field; each mutation is
// audited.
func TestSubscriptionsAPI(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	// The fixture's s1 (a tender, L2) and s2 (a forum post, L3) are about
	// huaxin, rep-1's. A CRM note about it is ours, not external; a forum
	// post about c0 (rep-2's) is about another buyer.
	if _, err := f.store.UpsertSignals(ctx, []valuegraph.Signal{
		{ID: f.ns + "crm", Kind: valuegraph.SignalCRMNote, Title: "拜访华信：冷链平台", Source: f.ns + "crm", Trust: valuegraph.TrustL1,
			OccurredAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), CustomerIDs: []string{f.ns + "huaxin"}},
		{ID: f.ns + "other", Kind: valuegraph.SignalForumPost, Title: "江苏客户的帖子", Source: f.ns + "forum", Trust: valuegraph.TrustL3,
			OccurredAt: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), CustomerIDs: []string{f.ns + "c0"}},
	}); err != nil {
		t.Fatal(err)
	}
	do := func(who, query string, vars map[string]any) gqlResponse {
		t.Helper()
		_, res := f.client.do(f.tokens[who], query, vars)
		return res
	}
	mustData := func(res gqlResponse) gqlResponse {
		t.Helper()
		if len(res.Errors) > 0 {
			t.Fatalf("errors: %+v", res.Errors)
		}
		return res
	}
	huaxin := map[string]any{"name": "华信动态", "customerIds": []string{f.ns + "huaxin"}}
	created := mustData(do("rep", createSubscription, map[string]any{"input": huaxin}))
	subID, _ := get(created.Data, "createSubscription", "id").(string)
	if subID == "" || get(created.Data, "createSubscription", "lastReadAt") != nil {
		t.Fatalf("created %v", created.Data)
	}

	type entry struct {
		id            string
		own, unread   bool
		subscriptions []any
	}
	feed := func(who string, vars map[string]any) (gqlResponse, []entry) {
		t.Helper()
		res := do(who, feedQuery, vars)
		var out []entry
		edges, _ := get(res.Data, "feed", "edges").([]any)
		for _, e := range edges {
			out = append(out, entry{strings.TrimPrefix(get(e, "node", "signal", "id").(string), f.ns), get(e, "node", "ownCustomer") == true,
				get(e, "node", "unread") == true, get(e, "node", "subscriptions").([]any)})
		}
		return res, out
	}
	res, entries := feed("rep", nil)
	mustData(res)
	if want := []entry{{"s1", true, true, []any{subID}}, {"s2", true, true, []any{subID}}}; !slices.EqualFunc(entries, want, func(a, b entry) bool {
		return a.id == b.id && a.own == b.own && a.unread == b.unread && slices.Equal(a.subscriptions, b.subscriptions)
	}) {
		t.Errorf("the rep's feed: %+v, want %+v", entries, want)
	}
	if get(res.Data, "feed", "total") != 2.0 || get(res.Data, "feed", "unread") != 2.0 || get(res.Data, "feed", "unreadOwnCustomer") != 2.0 {
		t.Errorf("counts: %v", get(res.Data, "feed"))
	}
	if c := get(res.Data, "feed", "edges", 0, "node", "customers", 0); get(c, "name") != "重庆华信冷链物流有限公司" || get(c, "own") != true || get(c, "role") != "about" {
		t.Errorf("the entry's customer: %v", c)
	}
	// Paged: one, then the other.
	res, page1 := feed("rep", map[string]any{"first": 1})
	cursor, _ := get(res.Data, "feed", "pageInfo", "endCursor").(string)
	if len(page1) != 1 || page1[0].id != "s1" || get(res.Data, "feed", "pageInfo", "hasNextPage") != true || cursor == "" {
		t.Errorf("first page: %+v %v", page1, get(res.Data, "feed", "pageInfo"))
	}
	res, page2 := feed("rep", map[string]any{"first": 1, "after": cursor})
	if len(page2) != 1 || page2[0].id != "s2" || get(res.Data, "feed", "pageInfo", "hasNextPage") != false {
		t.Errorf("second page: %+v %v", page2, get(res.Data, "feed", "pageInfo"))
	}

	// The other rep follows the same buyer: not their customer.
	mustData(do("rep2", createSubscription, map[string]any{"input": huaxin}))
	if _, entries := feed("rep2", nil); len(entries) != 2 || entries[0].own || entries[1].own {
		t.Errorf("rep2's feed marks rep-1's customer as theirs: %+v", entries)
	}
	// ...and cannot touch the rep's.
	for _, tc := range []struct{ name, query string }{
		{"read", `query($id: ID) { feed(subscription: $id) { total } }`},
		{"update", `mutation($id: ID!) { updateSubscription(id: $id, input: {name: "x", keywords: ["x"]}) { id } }`},
		{"delete", `mutation($id: ID!) { deleteSubscription(id: $id) }`},
		{"mark read", `mutation($id: ID) { markFeedRead(subscription: $id) { id } }`},
	} {
		if res := do("rep2", tc.query, map[string]any{"id": subID}); res.code() != "NOT_FOUND" {
			t.Errorf("rep2 may %s rep-1's subscription: %+v", tc.name, res)
		}
	}
	if res := mustData(do("rep2", `{ subscriptions { id } }`, nil)); len(get(res.Data, "subscriptions").([]any)) != 1 {
		t.Errorf("rep2 lists %v, want only their own", get(res.Data, "subscriptions"))
	}
	// An analyst subscribes too; no entry is theirs.
	mustData(do("analyst", createSubscription, map[string]any{"input": huaxin}))
	if _, entries := feed("analyst", nil); len(entries) != 2 || entries[0].own {
		t.Errorf("the analyst's feed: %+v", entries)
	}
	// Token names are not unique: an admin's token named as the analyst's
	// does not share its subscriptions.
	for _, tc := range []struct {
		role valuegraph.AccessRole
		want string // the error code; "" for an empty list
	}{{valuegraph.AccessAdmin, ""}} {
		tok, secret, err := f.store.CreateToken(ctx, f.ns+"analyst", tc.role, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.store.RevokeToken(context.Background(), tok.ID) })
		_, res := f.client.do(secret, `{ subscriptions { id } }`, nil)
		if got := res.code(); got != tc.want || (tc.want == "" && len(res.Data["subscriptions"].([]any)) != 0) {
			t.Errorf("a %s token named as the analyst's: %v %+v; want %q and no subscription", tc.role, res.Data, res.Errors, tc.want)
		}
	}

	// Bad input names the field.
	for _, tc := range []struct {
		name  string
		input map[string]any
		field string
	}{
		{"empty", map[string]any{"name": "x"}, "input"},
		{"internal kind", map[string]any{"name": "x", "kinds": []string{"TENDER", "CRM_NOTE"}}, "input.kinds[1]"},
		{"L1", map[string]any{"name": "x", "trust": []string{"L1"}}, "input.trust[0]"},
		{"too many keywords", map[string]any{"name": "x", "keywords": strings.Fields(strings.Repeat("k ", 33))}, "input.keywords"},
		{"long keyword", map[string]any{"name": "x", "keywords": []string{strings.Repeat("冷", 201)}}, "input.keywords[0]"},
		{"unknown buyer", map[string]any{"name": "x", "customerIds": []string{f.ns + "nobody"}}, "input.customerIds[0]"},
	} {
		res := do("rep", createSubscription, map[string]any{"input": tc.input})
		if res.code() != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != tc.field {
			t.Errorf("%s: %+v, want BAD_USER_INPUT on %s", tc.name, res.Errors, tc.field)
		}
	}

	// Read up to when the feed was read: nothing unread, the entries still
	// there since a time.
	res, _ = feed("rep", nil)
	asOf, _ := get(res.Data, "feed", "asOf").(string)
	marked := mustData(do("rep", `mutation($until: Time) { markFeedRead(until: $until) { id lastReadAt } }`, map[string]any{"until": asOf}))
	if at, err := time.Parse(time.RFC3339Nano, asOf); err != nil || get(marked.Data, "markFeedRead", 0, "lastReadAt") != at.UTC().Format(time.RFC3339Nano) {
		t.Errorf("marked read until the feed's asOf %q: %v", asOf, marked.Data)
	}
	if res, entries := feed("rep", nil); len(entries) != 0 || get(res.Data, "feed", "unread") != 0.0 {
		t.Errorf("after markFeedRead: %+v %v", entries, get(res.Data, "feed"))
	}
	if _, entries := feed("rep", map[string]any{"since": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}); len(entries) != 2 || entries[0].unread {
		t.Errorf("since an hour ago: %+v, want both, read", entries)
	}
	if res := do("rep", `mutation($id: ID!) { deleteSubscription(id: $id) }`, map[string]any{"id": subID}); get(res.Data, "deleteSubscription") != subID {
		t.Errorf("delete: %+v", res)
	}
	audits, err := f.store.Audits(ctx, subID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range audits {
		actions = append(actions, a.Action)
	}
	if want := []string{"deleteSubscription", "markFeedRead", "createSubscription"}; !slices.Equal(actions, want) {
		t.Errorf("audited %v, want %v", actions, want)
	}
}
