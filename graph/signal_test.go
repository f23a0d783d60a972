package graph_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// seed writes a small account: a customer, two people (one reporting to the
// other), a competitor, a need, and three signals linking them.
func seed(t *testing.T, s *graph.Store, p string) []valuegraph.Signal {
	t.Helper()
	ctx := context.Background()
	must := func(_ graph.WriteSummary, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: p + "acme", Name: "重庆某某冷链物流有限公司", OwnerID: p + "rep-1"}}))
	must(s.UpsertCompetitors(ctx, []valuegraph.Competitor{{ID: p + "aliyun", Name: "阿里云", Aliases: []string{"Aliyun", "Alibaba Cloud"}}}))
	must(s.UpsertNeeds(ctx, []valuegraph.Need{{ID: p + "coldchain", Name: "冷链时效", Category: "logistics"}}))
	must(s.UpsertPeople(ctx, []valuegraph.Person{
		{ID: p + "zhang", Name: "张伟", Title: "信息中心主任", Role: valuegraph.RoleTechnicalLead, CustomerID: p + "acme", ReportsTo: p + "liu"},
		{ID: p + "liu", Name: "刘洋", Title: "副总经理", Role: valuegraph.RoleEconomicBuyer, CustomerID: p + "acme", Phone: "023-00000000"},
	}))
	day := func(d int) time.Time { return time.Date(2026, 10, d, 9, 0, 0, 0, time.UTC) }
	sigs := []valuegraph.Signal{
		{ID: p + "s1", Kind: valuegraph.SignalForumPost, Title: "有没有阿里云的替代方案", Source: p + "v2ex", Trust: valuegraph.TrustL3,
			OccurredAt: day(1), CustomerIDs: []string{p + "acme"}, CompetitorIDs: []string{p + "aliyun"}, PersonIDs: []string{p + "zhang"}},
		{ID: p + "s2", Kind: valuegraph.SignalProcurementIntent, Title: "冷链监控平台采购意向", Source: p + "ccgp", Trust: valuegraph.TrustL2,
			OccurredAt: day(5), CustomerIDs: []string{p + "acme"}, NeedIDs: []string{p + "coldchain"}},
		{ID: p + "s3", Kind: valuegraph.SignalTender, Title: "冷链监控平台招标公告", Source: p + "ccgp", Trust: valuegraph.TrustL2,
			OccurredAt: day(9), CustomerIDs: []string{p + "acme"}, NeedIDs: []string{p + "coldchain"}, CompetitorIDs: []string{p + "aliyun"}},
	}
	must(s.UpsertSignals(ctx, sigs))
	return sigs
}

func TestUpsertSignals(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	sigs := seed(t, s, p)

	t.Run("SameFileTwiceCreatesNothing", func(t *testing.T) {
		sum, err := s.UpsertSignals(ctx, sigs)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Created != 0 || sum.Updated != 0 || sum.Unchanged != 3 || len(sum.Outcomes) != 3 || sum.Outcomes[sigs[0].ID] != graph.Unchanged {
			t.Fatalf("rewrite: %+v, want 3 unchanged", sum)
		}
	})

	t.Run("ChangedContentUpdates", func(t *testing.T) {
		changed := sigs[2]
		changed.Title = "冷链监控平台招标公告（更正）"
		sum, err := s.UpsertSignals(ctx, []valuegraph.Signal{changed})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Created != 0 || sum.Updated != 1 || sum.Unchanged != 0 || sum.Outcomes[changed.ID] != graph.Updated {
			t.Fatalf("changed: %+v, want 1 updated", sum)
		}
		n, err := s.Neighbourhood(ctx, p+"acme", graph.NeighbourhoodOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := n.Signals[0]; got.Title != changed.Title || got.ContentHash != changed.Hash() {
			t.Errorf("latest signal = %q (%s), want the corrected title and its hash", got.Title, got.ContentHash)
		}
	})

	t.Run("ErrMissingLinkRollsBackBatch", func(t *testing.T) {
		batch := []valuegraph.Signal{
			{ID: p + "ok", Kind: valuegraph.SignalCRMNote, Source: p + "crm", Trust: valuegraph.TrustL1, OccurredAt: time.Now(), CustomerIDs: []string{p + "acme"}},
			{ID: p + "dangling", Kind: valuegraph.SignalCRMNote, Source: p + "crm", Trust: valuegraph.TrustL1, OccurredAt: time.Now(), CustomerIDs: []string{p + "ghost"}, NeedIDs: []string{p + "nothing"}},
		}
		_, err := s.UpsertSignals(ctx, batch)
		if valuegraph.ErrorCode(err) != valuegraph.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
		for _, want := range []string{`Customer "` + p + `ghost"`, `Need "` + p + `nothing"`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("err %q does not name %s", err, want)
			}
		}
		n, err := s.Neighbourhood(ctx, p+"acme", graph.NeighbourhoodOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(n.Signals) != 3 {
			t.Errorf("%d signals about the customer, want 3: the rejected batch must write nothing", len(n.Signals))
		}
	})

	t.Run("ErrInvalidSignal", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			sig   valuegraph.Signal
			field string
		}{
			{"Kind", valuegraph.Signal{ID: p + "x", Kind: "rumour", Source: "s", Trust: 2, OccurredAt: time.Now()}, "kind"},
			{"Trust", valuegraph.Signal{ID: p + "x", Kind: valuegraph.SignalTender, Source: "s", Trust: 4, OccurredAt: time.Now()}, "trust"},
			{"OccurredAt", valuegraph.Signal{ID: p + "x", Kind: valuegraph.SignalTender, Source: "s", Trust: 2}, "occurredAt"},
			{"Source", valuegraph.Signal{ID: p + "x", Kind: valuegraph.SignalTender, Trust: 2, OccurredAt: time.Now()}, "source"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.UpsertSignals(ctx, []valuegraph.Signal{tc.sig})
				if valuegraph.ErrorCode(err) != valuegraph.EINVALID || !strings.Contains(err.Error(), tc.field+": ") {
					t.Fatalf("err = %v, want EINVALID on %s", err, tc.field)
				}
			})
		}
	})
}

func TestNeighbourhood(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	seed(t, s, p)

	n, err := s.Neighbourhood(ctx, p+"acme", graph.NeighbourhoodOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n.Owner == nil || n.Owner.ID != p+"rep-1" {
		t.Errorf("owner = %+v", n.Owner)
	}
	if len(n.People) != 2 {
		t.Fatalf("people = %+v, want 2", n.People)
	}
	byID := map[string]valuegraph.Person{}
	for _, person := range n.People {
		byID[person.ID] = person
	}
	if z := byID[p+"zhang"]; z.ReportsTo != p+"liu" || z.Role != valuegraph.RoleTechnicalLead || z.CustomerID != p+"acme" {
		t.Errorf("zhang = %+v, want technical lead at acme reporting to liu", z)
	}
	if len(n.Competitors) != 1 || n.Competitors[0].Mentions != 2 || n.Competitors[0].Competitor.Name != "阿里云" {
		t.Errorf("competitors = %+v, want 阿里云 mentioned by 2 signals", n.Competitors)
	}
	if len(n.Needs) != 1 || n.Needs[0].Mentions != 2 || !n.Needs[0].LastSeen.Equal(time.Date(2026, 10, 9, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("needs = %+v, want 冷链时效 twice, last on 10-09", n.Needs)
	}
	if len(n.Signals) != 3 || n.Signals[0].ID != p+"s3" || n.Signals[2].ID != p+"s1" {
		t.Fatalf("signals not newest first: %+v", n.Signals)
	}
	if s1 := n.Signals[2]; s1.Trust != valuegraph.TrustL3 || s1.Source != p+"v2ex" || len(s1.PersonIDs) != 1 || s1.IngestedAt.IsZero() {
		t.Errorf("s1 = %+v, want L3 from v2ex mentioning zhang, with ingestedAt", s1)
	}

	t.Run("PersonMovesOn", func(t *testing.T) {
		if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: p + "other", Name: "另一家公司"}}); err != nil {
			t.Fatal(err)
		}
		moved := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		if _, err := s.UpsertPeople(ctx, []valuegraph.Person{{ID: p + "zhang", Name: "张伟", CustomerID: p + "other", Since: moved}}); err != nil {
			t.Fatal(err)
		}
		n, err := s.Neighbourhood(ctx, p+"acme", graph.NeighbourhoodOptions{})
		if err != nil {
			t.Fatal(err)
		}
		last := n.People[len(n.People)-1]
		if last.ID != p+"zhang" || !last.Until.Equal(moved) {
			t.Errorf("zhang at acme = %+v, want ended on %v and listed after current people", last, moved)
		}
	})

	t.Run("ContactDataStaysWithItsCustomer", func(t *testing.T) {
		if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: p + "next", Name: "下一家公司", OwnerID: p + "rep-2"}}); err != nil {
			t.Fatal(err)
		}
		person := func(customer, id string) valuegraph.Person {
			t.Helper()
			n, err := s.Neighbourhood(ctx, customer, graph.NeighbourhoodOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, person := range n.People {
				if person.ID == id {
					return person
				}
			}
			t.Fatalf("no %s at %s: %+v", id, customer, n.People)
			return valuegraph.Person{}
		}
		// 刘洋 (023-00000000 at acme) moves with an e-mail address only: the
		// phone given for acme does not follow.
		if _, err := s.UpsertPeople(ctx, []valuegraph.Person{{ID: p + "liu", Name: "刘洋", CustomerID: p + "next", Email: "liu@next.example"}}); err != nil {
			t.Fatal(err)
		}
		if l := person(p+"acme", p+"liu"); l.Until.IsZero() || l.Email != "" || l.Phone != "" {
			t.Errorf("liu at acme = %+v, want past with no contact data", l)
		}
		if l := person(p+"next", p+"liu"); !l.Until.IsZero() || l.Email != "liu@next.example" || l.Phone != "" {
			t.Errorf("liu at next = %+v, want current with the new e-mail only", l)
		}
		// Contact data given without a customer is for where they work now,
		// and adds to what was given for it.
		if _, err := s.UpsertPeople(ctx, []valuegraph.Person{{ID: p + "liu", Name: "刘洋", Phone: "021-11111111"}}); err != nil {
			t.Fatal(err)
		}
		if l := person(p+"next", p+"liu"); l.Email != "liu@next.example" || l.Phone != "021-11111111" {
			t.Errorf("liu at next = %+v, want both contact fields", l)
		}
		if l := person(p+"acme", p+"liu"); l.Email != "" || l.Phone != "" {
			t.Errorf("liu at acme = %+v, want no contact data", l)
		}
	})

	t.Run("ErrUnknownEmployer", func(t *testing.T) {
		_, err := s.UpsertPeople(ctx, []valuegraph.Person{{ID: p + "wu", Name: "吴敏", CustomerID: p + "ghost"}})
		if valuegraph.ErrorCode(err) != valuegraph.EINVALID || !strings.Contains(err.Error(), "customerId: ") {
			t.Fatalf("err = %v, want EINVALID on customerId", err)
		}
		hits, err := s.SearchNames(ctx, "吴敏", []string{"Person"}, 500) // the demo has its own 吴敏s
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.ID == p+"wu" {
				t.Errorf("the rejected person was written: %+v", h)
			}
		}
	})
}
