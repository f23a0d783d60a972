package graph_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// subsWorld writes customers in two made-up regions and industries of the
// test's own (so that no other test's signals match), owned by two reps.
func subsWorld(t *testing.T, s *graph.Store, ns string) (region, otherRegion, industry string) {
	t.Helper()
	ctx := context.Background()
	region, otherRegion, industry = ns+"广东", ns+"四川", ns+"Construction"
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{
		{ID: ns + "cA", Name: "广东建工集团", Region: region, Industry: industry, OwnerID: ns + "rep1"},
		{ID: ns + "cB", Name: "四川路桥建设", Region: otherRegion, Industry: industry, OwnerID: ns + "rep2"},
		{ID: ns + "cC", Name: "广东商贸有限公司", Region: region, Industry: ns + "retail", OwnerID: ns + "rep2"},
	}); err != nil {
		t.Fatal(err)
	}
	return region, otherRegion, industry
}

func feedIDs(ns string, f *valuegraph.Feed) []string {
	var out []string
	for _, e := range f.Entries {
		out = append(out, strings.TrimPrefix(e.Signal.ID, ns))
	}
	return out
}

// A subscription matches exactly the external signals its criteria say:
// kind, the customer's region and industry (any case), keywords in the
// title or text, buyers and trust; not a signal in another region, not
// our own CRM's, not another kind. The feed pages newest first, marks
// what names the rep's own customers, counts the unread, and a read mark
// leaves only later arrivals.
func TestSubscriptionFeed(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx := context.Background()
	region, otherRegion, industry := subsWorld(t, s, ns)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }
	sig := func(id string, kind valuegraph.SignalKind, trust valuegraph.TrustLevel, d int, title, about string) valuegraph.Signal {
		return valuegraph.Signal{ID: ns + id, Kind: kind, Trust: trust, Source: ns + "src-" + string(kind), OccurredAt: day(d), Title: title,
			CustomerIDs: []string{ns + about}}
	}
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{
		sig("award-gd", valuegraph.SignalAward, valuegraph.TrustL2, 20, "广州地铁十号线土建工程中标公告", "cA"),
		sig("award-sc", valuegraph.SignalAward, valuegraph.TrustL2, 21, "成都绕城高速改扩建中标公告", "cB"), // another region
		sig("crm-gd", valuegraph.SignalCRMNote, valuegraph.TrustL1, 22, "拜访：讨论工程中标后的系统", "cA"), // our own CRM
		sig("award-retail", valuegraph.SignalAward, valuegraph.TrustL2, 23, "商场装修中标公告", "cC"),  // another industry
		sig("tender-gd", valuegraph.SignalTender, valuegraph.TrustL2, 24, "佛山体育馆招标公告", "cA"),   // another kind
		sig("forum-kw", valuegraph.SignalForumPost, valuegraph.TrustL3, 18, "谁用过 "+ns+"coldstore 的冷库方案？", "cC"),
		sig("crm-kw", valuegraph.SignalCRMNote, valuegraph.TrustL1, 19, ns+"coldstore 方案演示", "cC"), // keyword, but internal
		sig("forum-sc", valuegraph.SignalForumPost, valuegraph.TrustL3, 17, "四川路桥的新项目", "cB"),
		sig("customs-sc", valuegraph.SignalCustoms, valuegraph.TrustL2, 25, "四川路桥进口盾构机", "cB"), // the buyer, but L2
	}); err != nil {
		t.Fatal(err)
	}
	rep1, actor := ns+"rep1", ns+"rep1-token"
	awards, err := s.CreateSubscription(ctx, valuegraph.OwnerRep, rep1, valuegraph.SubscriptionInput{Name: "广东建筑中标",
		Kinds: []valuegraph.SignalKind{valuegraph.SignalAward}, Regions: []string{" " + strings.ToUpper(region) + "省 "}, Industries: []string{strings.ToLower(industry)}}, actor)
	if err != nil {
		t.Fatal(err)
	}
	words, err := s.CreateSubscription(ctx, valuegraph.OwnerRep, rep1, valuegraph.SubscriptionInput{Name: "冷库",
		Keywords: []string{strings.ToUpper(ns) + "COLDSTORE"}}, actor)
	if err != nil {
		t.Fatal(err)
	}
	buyer, err := s.CreateSubscription(ctx, valuegraph.OwnerRep, rep1, valuegraph.SubscriptionInput{Name: "四川路桥论坛",
		CustomerIDs: []string{ns + "cB"}, Trust: []valuegraph.TrustLevel{valuegraph.TrustL3}}, actor)
	if err != nil {
		t.Fatal(err)
	}
	if awards.Regions[0] != strings.ToUpper(region)+"省" || awards.CreatedAt.IsZero() {
		t.Errorf("created %+v: want its region trimmed and a creation time", awards)
	}

	q := valuegraph.FeedQuery{OwnerKind: valuegraph.OwnerRep, Owner: rep1, RepID: rep1, First: 50}
	for _, tc := range []struct {
		name, sub string
		want      []string
	}{
		{"awards in the region (广东省 finds 广东) and industry", awards.ID, []string{"award-gd"}},
		{"a keyword in the title, any case, not in the CRM", words.ID, []string{"forum-kw"}},
		{"a buyer at one trust level", buyer.ID, []string{"forum-sc"}},
		{"all three, newest occurrence first", "", []string{"award-gd", "forum-kw", "forum-sc"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := q
			q.SubscriptionID = tc.sub
			f, err := s.Feed(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if got := feedIDs(ns, f); !slices.Equal(got, tc.want) {
				t.Errorf("feed %v, want %v", got, tc.want)
			}
			// Truncated depends on what else arrived lately (a benchmark's
			// graph in the same database): the test's signals, just
			// written, are the newest either way.
			if f.Matches != len(tc.want) || f.Unread != len(tc.want) || f.HasNext {
				t.Errorf("counts %d matches, %d unread, next %v; want %d, %d, no", f.Matches, f.Unread, f.HasNext, len(tc.want), len(tc.want))
			}
		})
	}

	f, err := s.Feed(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range f.Entries {
		own := e.Signal.ID == ns+"award-gd" // about cA, rep1's; the others are rep2's customers'
		if e.OwnCustomer != own || !e.Unread || len(e.Customers) != 1 || e.Customers[0].Own != own || e.Customers[0].Name == "" {
			t.Errorf("%s: own %v, unread %v, customers %+v; want own %v, unread, its customer named", e.Signal.ID, e.OwnCustomer, e.Unread, e.Customers, own)
		}
	}
	if f.UnreadOwn != 1 {
		t.Errorf("unread own-customer entries: %d, want 1", f.UnreadOwn)
	}
	if e := f.Entries[0]; !slices.Equal(e.SubscriptionIDs, []string{awards.ID}) {
		t.Errorf("award-gd matched %v, want only the awards subscription", e.SubscriptionIDs)
	}

	// Pages of one, resumed by cursor.
	var paged []string
	q1 := q
	q1.First = 1
	for range 5 {
		p, err := s.Feed(ctx, q1)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, feedIDs(ns, p)...)
		if p.Matches != 3 {
			t.Errorf("a page counts %d matches, want all 3", p.Matches)
		}
		if !p.HasNext {
			break
		}
		q1.After = p.Entries[len(p.Entries)-1].Cursor
	}
	if want := []string{"award-gd", "forum-kw", "forum-sc"}; !slices.Equal(paged, want) {
		t.Errorf("paged one at a time: %v, want %v", paged, want)
	}
	q1.After = "not-a-cursor"
	if _, err := s.Feed(ctx, q1); fieldOf(err) != "after" {
		t.Errorf("a bad cursor: %v, want EINVALID on after", err)
	}

	if _, err := s.MarkFeedRead(ctx, valuegraph.OwnerRep, rep1, "", time.Now().Add(time.Hour), actor); fieldOf(err) != "until" {
		t.Errorf("a read mark an hour ahead: %v, want EINVALID on until", err)
	}
	// Read up to now: nothing is unread; a new arrival is, alone.
	if _, err := s.MarkFeedRead(ctx, valuegraph.OwnerRep, rep1, "", time.Now(), actor); err != nil {
		t.Fatal(err)
	}
	if f, err := s.Feed(ctx, q); err != nil || len(f.Entries) != 0 || f.Unread != 0 {
		t.Fatalf("after marking read: %v, %v; want an empty feed", f, err)
	}
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{sig("award-gd2", valuegraph.SignalAward, valuegraph.TrustL2, 10, "深圳湾大桥中标公告", "cA")}); err != nil {
		t.Fatal(err)
	}
	f, err = s.Feed(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := feedIDs(ns, f); !slices.Equal(got, []string{"award-gd2"}) || f.Unread != 1 || f.UnreadOwn != 1 {
		t.Errorf("after a new arrival: %v, %d unread (%d own); want [award-gd2], 1 (1)", got, f.Unread, f.UnreadOwn)
	}
	since := q
	since.Since = time.Now().Add(-time.Hour)
	f, err = s.Feed(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	if got := feedIDs(ns, f); !slices.Equal(got, []string{"award-gd", "forum-kw", "forum-sc", "award-gd2"}) || f.Unread != 1 || f.Matches != 4 {
		t.Errorf("since an hour ago: %v, %d unread of %d; want all four, one unread", got, f.Unread, f.Matches)
	}
	for _, e := range f.Entries {
		if e.Unread != (e.Signal.ID == ns+"award-gd2") {
			t.Errorf("%s unread: %v", e.Signal.ID, e.Unread)
		}
	}

	// A scan cap below the window's arrivals says so.
	capped := since
	capped.Scan = 2
	if f, err := s.Feed(ctx, capped); err != nil || !f.Truncated || f.Scanned != 2 {
		t.Errorf("scan capped at 2: %+v, %v; want truncated after 2", f, err)
	}
	// A buyer's signals are read from the buyer: the cap does not crowd
	// them out.
	capped.SubscriptionID = buyer.ID
	if f, err := s.Feed(ctx, capped); err != nil || !slices.Equal(feedIDs(ns, f), []string{"forum-sc"}) || f.Scanned != 2 {
		t.Errorf("the buyer's subscription with the scan capped at 2: %v, %v; want [forum-sc] all the same", f, err)
	}

	// An award about another rep's customer that one of rep1's won names
	// rep1's customer: their own, as the winner.
	won := sig("award-won", valuegraph.SignalAward, valuegraph.TrustL2, 26, "四川路桥配套工程中标公告", "cB")
	won.Parties = []valuegraph.Party{{Role: valuegraph.PartyWinner, Kind: "Customer", ID: ns + "cA", Rule: "given", Score: 1}}
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{won}); err != nil {
		t.Fatal(err)
	}
	sichuan, err := s.CreateSubscription(ctx, valuegraph.OwnerRep, rep1, valuegraph.SubscriptionInput{Name: "四川路桥中标",
		CustomerIDs: []string{ns + "cB"}, Kinds: []valuegraph.SignalKind{valuegraph.SignalAward}}, actor)
	if err != nil {
		t.Fatal(err)
	}
	bySichuan := since
	bySichuan.SubscriptionID = sichuan.ID
	f, err = s.Feed(ctx, bySichuan)
	if err != nil {
		t.Fatal(err)
	}
	if got := feedIDs(ns, f); !slices.Equal(got, []string{"award-won", "award-sc"}) || !f.Entries[0].OwnCustomer || f.Entries[1].OwnCustomer || f.UnreadOwn != 1 {
		t.Errorf("the buyer's awards: %v, own %v; want [award-won award-sc], the first rep1's through its winner", got, f.Entries)
	} else {
		var parties []string
		for _, c := range f.Entries[0].Customers {
			parties = append(parties, fmt.Sprintf("%s:%s:%v", strings.TrimPrefix(c.ID, ns), c.Role, c.Own))
		}
		if slices.Sort(parties); !slices.Equal(parties, []string{"cA:winner:true", "cB:about:false"}) {
			t.Errorf("award-won names %v, want its buyer and its winner, rep1's", parties)
		}
	}
	if err := s.DeleteSubscription(ctx, valuegraph.OwnerRep, rep1, sichuan.ID, actor); err != nil {
		t.Fatal(err)
	}

	// Another rep sees none of it, and can neither change nor delete it.
	rep2 := ns + "rep2"
	if subs, err := s.Subscriptions(ctx, valuegraph.OwnerRep, rep2); err != nil || len(subs) != 0 {
		t.Errorf("rep2's subscriptions: %v, %v; want none", subs, err)
	}
	other := valuegraph.FeedQuery{OwnerKind: valuegraph.OwnerRep, Owner: rep2, RepID: rep2, First: 10, SubscriptionID: awards.ID}
	if _, err := s.Feed(ctx, other); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
		t.Errorf("rep2 reads rep1's feed: %v, want ENOTFOUND", err)
	}
	if _, err := s.UpdateSubscription(ctx, valuegraph.OwnerRep, rep2, awards.ID, valuegraph.SubscriptionInput{Name: "x", Keywords: []string{"x"}}, "rep2"); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
		t.Errorf("rep2 updates rep1's subscription: %v, want ENOTFOUND", err)
	}
	if err := s.DeleteSubscription(ctx, valuegraph.OwnerRep, rep2, awards.ID, "rep2"); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
		t.Errorf("rep2 deletes rep1's subscription: %v, want ENOTFOUND", err)
	}
	if _, err := s.MarkFeedRead(ctx, valuegraph.OwnerRep, rep2, awards.ID, time.Now(), "rep2"); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
		t.Errorf("rep2 marks rep1's subscription read: %v, want ENOTFOUND", err)
	}

	// Update, delete, each audited.
	upd, err := s.UpdateSubscription(ctx, valuegraph.OwnerRep, rep1, awards.ID, valuegraph.SubscriptionInput{Name: "四川建筑中标",
		Kinds: []valuegraph.SignalKind{valuegraph.SignalAward}, Regions: []string{otherRegion}}, actor)
	if err != nil || upd.Name != "四川建筑中标" || len(upd.Industries) != 0 || upd.UpdatedAt.IsZero() {
		t.Fatalf("updated: %+v, %v", upd, err)
	}
	since.SubscriptionID = awards.ID
	if f, err := s.Feed(ctx, since); err != nil || !slices.Equal(feedIDs(ns, f), []string{"award-won", "award-sc"}) {
		t.Errorf("the updated subscription's feed: %v, %v; want [award-won award-sc]", feedIDs(ns, f), err)
	}
	if err := s.DeleteSubscription(ctx, valuegraph.OwnerRep, rep1, awards.ID, actor); err != nil {
		t.Fatal(err)
	}
	if subs, _ := s.Subscriptions(ctx, valuegraph.OwnerRep, rep1); len(subs) != 2 {
		t.Errorf("after deleting one of three: %d subscriptions", len(subs))
	}
	audits, err := s.Audits(ctx, awards.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range audits {
		if a.Actor != actor {
			t.Errorf("audit %s by %q, want %q", a.Action, a.Actor, actor)
		}
		actions = append(actions, a.Action)
	}
	slices.Reverse(actions)
	if want := []string{"createSubscription", "markFeedRead", "updateSubscription", "deleteSubscription"}; !slices.Equal(actions, want) {
		t.Errorf("audited %v, want %v", actions, want)
	}
}

func fieldOf(err error) string {
	var ve *valuegraph.Error
	if errors.As(err, &ve) && ve.Code == valuegraph.EINVALID {
		return ve.Field
	}
	return "not EINVALID: " + valuegraph.ErrorCode(err)
}

// Bad subscriptions are refused with the field at fault.
func TestSubscriptionValidation(t *testing.T) {
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx := context.Background()
	many := make([]string, valuegraph.MaxKeywords+1)
	for i := range many {
		many[i] = "k" + strings.Repeat("x", i+1)
	}
	for _, tc := range []struct {
		name  string
		in    valuegraph.SubscriptionInput
		field string
	}{
		{"no name", valuegraph.SubscriptionInput{Keywords: []string{"冷库"}}, "name"},
		{"no criterion", valuegraph.SubscriptionInput{Name: "everything"}, "input"},
		{"too many keywords", valuegraph.SubscriptionInput{Name: "x", Keywords: many}, "keywords"},
		{"a keyword past the search limit", valuegraph.SubscriptionInput{Name: "x", Keywords: []string{"ok", strings.Repeat("冷", graph.MaxSearchChars+1)}}, "keywords[1]"},
		{"an empty keyword", valuegraph.SubscriptionInput{Name: "x", Keywords: []string{"  "}}, "keywords[0]"},
		{"punctuation only", valuegraph.SubscriptionInput{Name: "x", Keywords: []string{"*?"}}, "keywords[0]"},
		{"an internal kind", valuegraph.SubscriptionInput{Name: "x", Kinds: []valuegraph.SignalKind{valuegraph.SignalAward, valuegraph.SignalCRMNote}}, "kinds[1]"},
		{"L1", valuegraph.SubscriptionInput{Name: "x", Trust: []valuegraph.TrustLevel{valuegraph.TrustL1}}, "trust[0]"},
		{"an unknown customer", valuegraph.SubscriptionInput{Name: "x", CustomerIDs: []string{ns + "nobody"}}, "customerIds[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateSubscription(ctx, valuegraph.OwnerUser, ns+"analyst", tc.in, ns+"analyst")
			if got := fieldOf(err); got != tc.field {
				t.Errorf("error %v on %q, want EINVALID on %q", err, got, tc.field)
			}
		})
	}
	if valuegraph.MaxKeywords != graph.MaxSearchTerms || valuegraph.MaxKeywordChars != graph.MaxSearchChars {
		t.Error("a subscription's keyword bounds are not the full-text search's")
	}
	if subs, err := s.Subscriptions(ctx, valuegraph.OwnerUser, ns+"analyst"); err != nil || len(subs) != 0 {
		t.Errorf("refused subscriptions were stored: %v, %v", subs, err)
	}
}
