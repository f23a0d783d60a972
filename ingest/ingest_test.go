package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/ingest"
	"github.com/valuegraph/valuegraph/scoring"
)

// sandbox returns a writer whose every id lives under a fresh namespace,
// purged when the test ends.
func sandbox(t *testing.T) (*graph.Store, *ingest.Writer, string) {
	t.Helper()
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	w := &ingest.Writer{Graph: s, Matcher: ingest.NewMatcher(s, ingest.MatchOptions{Namespace: ns}), Namespace: ns}
	return s, w, ns
}

func run(t *testing.T, p ingest.Parser, w *ingest.Writer, files ...string) (ingest.Summary, []error) {
	t.Helper()
	var bad []error
	sum, err := ingest.Run(context.Background(), p, w, files, ingest.RunOptions{BatchSize: 50, Reject: func(e error) { bad = append(bad, e) }})
	if err != nil {
		t.Fatal(err)
	}
	w.Matcher.Forget()
	return sum, bad
}

func count(t *testing.T, s *graph.Store, label, ns string) int {
	t.Helper()
	n, err := s.Count(context.Background(), label, ns)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestIngestOCDSIntoGraph(t *testing.T) {
	s, w, ns := sandbox(t)
	ctx := context.Background()
	files, _ := filepath.Glob("../../shared/data/ocds/*/*/*.json")

	sum, bad := run(t, ingest.OCDS{}, w, files...)
	if len(bad) > 0 {
		t.Errorf("rejected: %v", bad)
	}
	// UK records repeat their releases' tenders: one signal per ocid and
	// award (Colombia repeats each award thrice in a release: read as one).
	if sum.Created != 74 || sum.Read != 95 || sum.Created+sum.Merged+sum.Unchanged != 95 {
		t.Fatalf("first ingest: %+v, want 95 read, 74 signals created, the rest repeats", sum)
	}
	signals, customers := count(t, s, "Signal", ns), count(t, s, "Customer", ns)
	if signals != 74 {
		t.Errorf("%d signals in the graph, want 74", signals)
	}

	again, bad := run(t, ingest.OCDS{}, w, files...)
	if again.Created != 0 || again.Merged != 0 || again.Unchanged != 95 || len(bad) > 0 {
		t.Errorf("second ingest: %+v, want all 95 unchanged and nothing new", again)
	}
	if got := count(t, s, "Customer", ns); got != customers {
		t.Errorf("second ingest changed the customers: %d -> %d", customers, got)
	}
	if got := count(t, s, "Signal", ns); got != signals {
		t.Errorf("second ingest changed the signals: %d -> %d", signals, got)
	}

	// The Taiwan award: about the school, won by the supplier, both explained.
	award, err := s.Signal(ctx, ns+"ocds:ocid-6as3t2-51179519:award:ocid-6as3t2-51179519-awards")
	if err != nil {
		t.Fatal(err)
	}
	if award.Amount != 326600 || award.Currency != "TWD" || award.Trust != valuegraph.TrustL2 {
		t.Errorf("award %v %s L%d", award.Amount, award.Currency, award.Trust)
	}
	roles := map[valuegraph.PartyRole]valuegraph.Party{}
	for _, p := range award.Parties {
		roles[p.Role] = p
	}
	if b := roles[valuegraph.PartyAbout]; b.AsName != "南投縣魚池鄉五城國民小學" || b.Rule == "" {
		t.Errorf("buyer party %+v", b)
	}
	winner := roles[valuegraph.PartyWinner]
	if winner.AsName != "普羅文化股份有限公司" || winner.Kind != "Customer" {
		t.Fatalf("winner party %+v", winner)
	}
	// The same supplier ingested again resolves by its identifier, to the same node.
	n, err := s.Neighbourhood(ctx, award.CustomerIDs[0], graph.NeighbourhoodOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Customer.Identifiers) != 1 || !strings.HasSuffix(n.Customer.Identifiers[0].Scheme, "OCDS:ocid-6as3t2") {
		t.Errorf("buyer identifiers %+v", n.Customer.Identifiers)
	}
}

func TestIngestCustomsIntoGraph(t *testing.T) {
	s, w, ns := sandbox(t)
	files, _ := filepath.Glob("../../shared/data/customs/*.csv")
	sum, bad := run(t, ingest.Customs{}, w, files...)
	if len(bad) > 0 {
		t.Errorf("rejected: %v", bad)
	}
	if sum.Created+sum.Incomplete != 2020 || sum.Check() != nil {
		t.Fatalf("first ingest: %+v, want 2020 signals (rows naming no supplier kept as incomplete)", sum)
	}
	customers := count(t, s, "Customer", ns)
	// Importers repeat across rows, and spellings of one firm are one
	// organisation: fewer organisations than the 1,221 distinct spellings.
	t.Logf("%d organisations for 2020 rows", customers)
	if customers == 0 || customers > 1150 {
		t.Errorf("%d organisations for 2020 rows", customers)
	}
	again, _ := run(t, ingest.Customs{}, w, files...)
	if again.Created != 0 || again.Merged != 0 || again.Unchanged+again.Incomplete != 2020 {
		t.Errorf("second ingest: %+v", again)
	}
	if got := count(t, s, "Customer", ns); got != customers {
		t.Errorf("second ingest changed the organisations: %d -> %d", customers, got)
	}
	hits, err := s.SearchNames(context.Background(), "ACE IMPEX", []string{"Customer"}, 20)
	if err != nil {
		t.Fatal(err)
	}
	var mine []valuegraph.NameHit
	for _, h := range hits {
		if strings.HasPrefix(h.ID, ns) && h.Name == "ACE IMPEX" {
			mine = append(mine, h)
		}
	}
	if len(mine) != 1 {
		t.Fatalf("ACE IMPEX is %d customers, want 1: %+v", len(mine), mine)
	}
	n, err := s.Neighbourhood(context.Background(), mine[0].ID, graph.NeighbourhoodOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Signals) < 2 {
		t.Errorf("ACE IMPEX has %d customs signals, want its several rows", len(n.Signals))
	}
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// CRM exports have no public sample; these files follow the layouts in
// docs/INGEST.md.
func TestIngestCRMIntoGraph(t *testing.T) {
	s, w, ns := sandbox(t)
	ctx := context.Background()
	dir := t.TempDir()
	// A supplier first seen in a Taiwan award notice…
	run(t, ingest.OCDS{}, w, "../../shared/data/ocds/taiwan/releases/ocid-6as3t2-51179519-ocid-6as3t2-51179519.json")

	accounts := writeFile(t, dir, "accounts.csv", "account_id,name,uscc,industry,region,size,owner_id,aliases\n"+
		"A-1,普羅文化股份有限公司,,publishing,南投縣,10-50,rep-li,普羅文化;Pro Culture\n"+ // …is an account of ours
		"A-2,重庆华信冷链物流有限公司,914403001922038216,logistics,重庆,500-1000,rep-wang,\n"+
		"A-3,坏代码公司,914403001922038217,,,,,\n") // bad check digit: kept, without the code
	sum, bad := run(t, ingest.CRM{Kind: "crm-accounts"}, w, accounts)
	if len(bad) != 0 || sum.Incomplete != 1 || sum.Check() != nil {
		t.Errorf("accounts: %+v, rejected %v; want the one with a bad code kept as incomplete", sum, bad)
	}
	// The new account is created (resolution made its customer in the same
	// batch: not "unchanged"), the one found by name merged.
	if sum.Created != 1 || sum.Merged != 1 {
		t.Errorf("accounts: created %d, merged %d; want 1 and 1", sum.Created, sum.Merged)
	}
	if sum.Orgs["name"] != 1 || sum.Orgs["new"] != 2 {
		t.Errorf("accounts resolved by %v, want the Taiwan supplier by name and two new", sum.Orgs)
	}
	hits, _ := s.SearchNames(ctx, "Pro Culture", []string{"Customer"}, 20)
	hits = slices.DeleteFunc(hits, func(h valuegraph.NameHit) bool { return !strings.HasPrefix(h.ID, ns) })
	if len(hits) != 1 {
		t.Fatalf("alias from the CRM not searchable: %+v", hits)
	}
	merged, err := s.Neighbourhood(ctx, hits[0].ID, graph.NeighbourhoodOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(merged.Signals) != 1 || merged.Signals[0].Kind != valuegraph.SignalAward || merged.Owner == nil || merged.Owner.ID != ns+"rep-li" || merged.Customer.Industry != "publishing" {
		t.Errorf("merged account: %d signals, owner %+v, industry %q; want the award it won and the CRM's data",
			len(merged.Signals), merged.Owner, merged.Customer.Industry)
	}

	contacts := writeFile(t, dir, "contacts.csv", "contact_id,account_id,name,title,decision_role,email,phone,reports_to,since,until\n"+
		"P-1,A-2,赵 明,副总经理,决策者,zhao@example.com,,,2021-03-01,\n"+
		"P-2,A-2,孙丽,信息中心主任,technical_lead,sun@example.com,,P-1,2022-06-01,\n"+
		"P-3,A-9,钱进,采购经理,procurement,,,,,\n"+ // unknown account
		"P-4,A-2,吴芳,,boss,not-an-email,,,,\n") // bad role and e-mail: kept without them
	sum, bad = run(t, ingest.CRM{Kind: "crm-contacts"}, w, contacts)
	wantBad := []string{"contacts.csv:4: account " + ns + "CRM:A-9 is not known"}
	if len(bad) != len(wantBad) {
		t.Fatalf("rejected %v", bad)
	}
	for i, w := range wantBad {
		if !strings.HasPrefix(bad[i].Error(), w) {
			t.Errorf("rejection %d = %q, want %q", i, bad[i], w)
		}
	}
	if sum.Created != 2 || sum.Incomplete != 1 || sum.Read != 4 || sum.Check() != nil {
		t.Errorf("contacts: %+v, want 2 created, 1 incomplete (bad role and e-mail, kept without them), 1 rejected", sum)
	}

	orders := writeFile(t, dir, "orders.csv", "order_id,account_id,order_date,amount,currency,product,quantity,status\n"+
		"O-1,A-2,2026-03-11,\"180,000.00\",CNY,冷链监控平台,1,shipped\n"+
		"O-2,A-2,2026-07-02,25万元,,扩容,2,shipped\n"+
		"O-3,A-2,someday,1,CNY,x,1,x\n")
	tickets := writeFile(t, dir, "tickets.csv", "ticket_id,account_id,opened_at,subject,severity,status,closed_at,contact_id\n"+
		"T-1,A-2,2026-09-03 10:00,报表导出超时,high,closed,2026-09-04 18:00,P-2\n")
	sum, bad = run(t, ingest.CRM{Kind: "orders"}, w, orders)
	if sum.Created != 2 || len(bad) != 1 || !strings.HasPrefix(bad[0].Error(), `orders.csv:4: order_date: "someday"`) {
		t.Errorf("orders: %+v, rejected %v", sum, bad)
	}
	if sum, bad = run(t, ingest.CRM{Kind: "tickets"}, w, tickets); sum.Created != 1 || len(bad) > 0 {
		t.Errorf("tickets: %+v, rejected %v", sum, bad)
	}

	hits, _ = s.SearchNames(ctx, "华信冷链", []string{"Customer"}, 20)
	hits = slices.DeleteFunc(hits, func(h valuegraph.NameHit) bool { return !strings.HasPrefix(h.ID, ns) })
	if len(hits) != 1 {
		t.Fatalf("search: %+v", hits)
	}
	n, err := s.Neighbourhood(ctx, hits[0].ID, graph.NeighbourhoodOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Two orders, a ticket, and the two decision-makers' arrivals (exec_change).
	if len(n.People) != 3 || len(n.Signals) != 5 {
		t.Errorf("华信: %d people, %d signals; want 3 and 5", len(n.People), len(n.Signals))
	}
	var changes []string
	for _, sig := range n.Signals {
		if sig.Kind == valuegraph.SignalExecChange && len(sig.PersonIDs) == 1 && sig.Trust == valuegraph.TrustL1 {
			changes = append(changes, sig.Title+" "+sig.OccurredAt.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02"))
		}
	}
	slices.Sort(changes)
	if strings.Join(changes, " | ") != "到任 / joined: 孙丽（信息中心主任） 2022-06-01 | 到任 / joined: 赵明（副总经理） 2021-03-01" {
		t.Errorf("decision-maker changes %q", changes)
	}
	var order *valuegraph.Signal
	for i := range n.Signals {
		if n.Signals[i].ID == ns+"erp:order:O-2" {
			order = &n.Signals[i]
		}
	}
	if order == nil || order.Amount != 250000 || order.Currency != "CNY" || order.Trust != valuegraph.TrustL1 {
		t.Errorf("order O-2 = %+v", order)
	}
	for _, p := range n.People {
		if p.Name == "孙丽" && p.ReportsTo != ns+"crm:contact:P-1" {
			t.Errorf("孙丽 reports to %q", p.ReportsTo)
		}
		if p.Name == "赵明" && p.Role != valuegraph.RoleEconomicBuyer {
			t.Errorf("赵明 role %q", p.Role)
		}
	}

	// CRM activities: after an answered call, two calls and an e-mail nobody
	// answered; an unknown outcome, direction and contact are reported.
	activities := writeFile(t, dir, "activities.csv", "activity_id,account_id,activity_date,type,direction,subject,outcome,contact_id,rep_id\n"+
		"C-1,A-2,2026-10-01,call,outbound,续约沟通,已接通,P-1,rep-wang\n"+
		"C-2,A-2,2026-10-20,call,outbound,续约跟进,未接通,P-1,rep-wang\n"+
		"C-3,A-2,2026-10-27,email,outbound,续约方案,no reply,P-2,rep-li\n"+
		"C-4,A-2,2026-11-03,call,,再次跟进,无人接听,,rep-wang\n"+
		"C-5,A-2,2026-11-04,call,outbound,?,maybe,,\n"+
		"C-6,A-2,2026-11-05,visit,sideways,?,,,\n"+
		"C-7,A-2,2026-11-06,call,outbound,?,no answer,P-99,\n")
	sum, bad = run(t, ingest.CRM{Kind: "activities"}, w, activities)
	if len(bad) != 1 || !strings.HasPrefix(bad[0].Error(), "activities.csv:8: ") || !strings.Contains(bad[0].Error(), "P-99") ||
		sum.Created != 4 || sum.Incomplete != 2 || sum.Check() != nil {
		t.Fatalf("activities: %+v, rejected %v; want C-5 and C-6 incomplete, C-7 (an unknown contact, named) rejected", sum, bad)
	}
	c5, err := s.Signal(ctx, ns+"crm:activity:C-5")
	if err != nil {
		t.Fatal(err)
	}
	if len(c5.Problems) != 1 || c5.Problems[0].Field != "outcome" || !strings.Contains(c5.Problems[0].Reason, `unknown outcome "maybe"`) {
		t.Errorf("C-5 problems %+v, want the unknown outcome recorded on the signal", c5.Problems)
	}
	// Who on our side knows whom: 王 called 赵明 twice (answered once).
	n, err = s.Neighbourhood(ctx, hits[0].ID, graph.NeighbourhoodOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range n.People {
		switch p.Name {
		case "赵明":
			if len(p.KnownBy) != 1 || p.KnownBy[0].RepID != ns+"rep-wang" || p.KnownBy[0].Contacts != 2 || p.KnownBy[0].Answered != 1 {
				t.Errorf("赵明 known by %+v", p.KnownBy)
			}
		case "孙丽":
			if len(p.KnownBy) != 1 || p.KnownBy[0].RepID != ns+"rep-li" || p.KnownBy[0].Answered != 0 {
				t.Errorf("孙丽 known by %+v", p.KnownBy)
			}
		}
	}
	sigs, err := s.ScoringSignals(ctx, hits[0].ID, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	model, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	f := model.Compute(sigs, time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC))["unanswered"]
	if f.Value != 3 || len(f.SignalIDs) != 3 || f.SignalIDs[0] != ns+"crm:activity:C-4" {
		t.Errorf("unanswered contacts %+v, want C-4, C-3, C-2 (C-5 and C-6 kept without an outcome do not count)", f)
	}

	// Opportunities: our pipeline, in the stage names CRMs use.
	opps := writeFile(t, dir, "opportunities.csv", "opportunity_id,account_id,name,stage,amount,currency,probability,created_at,updated_at,close_date,competitor\n"+
		"D-1,A-2,冷链监控平台二期,方案报价,120万元,,60,2026-09-01,2026-10-30,,阿里云\n"+
		"D-2,A-2,车队管理,Closed Won,\"80,000\",CNY,100,2026-03-01,,2026-05-20,\n"+
		"D-3,A-2,?,maybe later,1,CNY,,2026-01-01,,,\n"+
		"D-4,A-2,?,lead,,,,,,,\n")
	sum, bad = run(t, ingest.CRM{Kind: "opportunities"}, w, opps)
	if sum.Created != 2 || len(bad) != 2 || !strings.HasPrefix(bad[0].Error(), `opportunities.csv:4: stage: unknown pipeline stage "maybe later"`) ||
		!strings.HasPrefix(bad[1].Error(), "opportunities.csv:5: updated_at: an opportunity needs a date") {
		t.Fatalf("opportunities: %+v, rejected %v", sum, bad)
	}
	d1, err := s.Signal(ctx, ns+"crm:opportunity:D-1")
	if err != nil || d1.Kind != valuegraph.SignalOpportunity || d1.Amount != 1200000 || !slices.Equal(d1.Intents, []string{valuegraph.DealProposal}) ||
		d1.OccurredAt.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02") != "2026-10-30" || !strings.Contains(d1.Text, "competitor: 阿里云") {
		t.Errorf("D-1 = %+v, %v", d1, err)
	}
	d2, _ := s.Signal(ctx, ns+"crm:opportunity:D-2")
	if d2 == nil || !slices.Equal(d2.Intents, []string{valuegraph.DealWon}) || d2.OccurredAt.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02") != "2026-05-20" {
		t.Errorf("D-2, a won deal dated by its close: %+v", d2)
	}
}

// Names close to two organisations, or close but not close enough, are not
// guessed: they get a provisional organisation and a review.
func TestResolutionReview(t *testing.T) {
	s, w, ns := sandbox(t)
	ctx := context.Background()
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{
		{ID: ns + "a", Name: "重庆华信冷链物流有限公司"},
		{ID: ns + "b", Name: "重庆华信冷链科技有限公司"},
	}); err != nil {
		t.Fatal(err)
	}
	mentions := []ingest.Mention{
		{Name: "重庆华信冷链物流股份有限公司", Kinds: []string{"Customer"}},  // same key as a: merged by name
		{Name: "重庆华信冷链物流科技有限公司", Kinds: []string{"Customer"}},  // between a and b
		{Name: "北京完全不同的贸易公司", Kinds: []string{"Customer"}},     // nothing like either: new
		{Name: "重庆华信冷链物流股份有限公司 ", Kinds: []string{"Customer"}}, // the first again
	}
	res, err := w.Matcher.Match(ctx, mentions)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Org.ID != ns+"a" || res[0].Rule != "name" {
		t.Errorf("mention 0 -> %+v", res[0])
	}
	if res[1].Rule != "review" || res[1].Review == nil || len(res[1].Review.Candidates) != 2 {
		t.Fatalf("mention 1 -> %+v, want a review with both candidates", res[1])
	}
	if res[2].Rule != "new" || !res[2].New {
		t.Errorf("mention 2 -> %+v", res[2])
	}
	if res[3].Org.ID != res[0].Org.ID || res[3].Rule != res[0].Rule {
		t.Errorf("the same mention twice resolved differently: %+v", res[3])
	}

	// Through the writer the review lands in the queue, with its provisional
	// customer, and the signal is kept on the provisional one.
	w.Matcher.Forget()
	item := ingest.Item{Pos: ingest.Position{File: "t", Line: 1}, About: []ingest.Mention{{Name: mentions[1].Name, Source: "test"}},
		Signal: &valuegraph.Signal{ID: "s1", Kind: valuegraph.SignalTender, Source: "test", Trust: 2, OccurredAt: time.Now()}}
	if _, bad, err := w.Write(ctx, []ingest.Item{item}); err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	reviews, err := s.Reviews(ctx, valuegraph.ReviewOpen, 500)
	if err != nil {
		t.Fatal(err)
	}
	var mine *valuegraph.Review
	for i := range reviews {
		if strings.HasPrefix(reviews[i].ID, ns) {
			mine = &reviews[i]
		}
	}
	if mine == nil || mine.Name != mentions[1].Name || len(mine.Candidates) != 2 || mine.ProvisionalID == "" {
		t.Fatalf("review %+v", mine)
	}
	sig, err := s.Signal(ctx, ns+"s1")
	if err != nil {
		t.Fatal(err)
	}
	if len(sig.Parties) != 1 || sig.Parties[0].ID != mine.ProvisionalID || sig.Parties[0].Rule != "review" {
		t.Errorf("signal parties %+v, want the provisional customer, rule review", sig.Parties)
	}
}

func TestIngestForumIntoGraph(t *testing.T) {
	s, w, ns := sandbox(t)
	ctx := context.Background()
	file := "../../shared/data/forums/v2ex_hot_topics_vendor_sample.jsonl"
	sum, bad := run(t, ingest.Forum{}, w, file)
	if len(bad) > 0 || sum.Created != 150 {
		t.Fatalf("%+v, rejected %v", sum, bad)
	}
	// 阿里云 is a competitor in the built-in lexicon: posts naming it link to it.
	sig, err := s.Signal(ctx, ns+"forum:forum:766527")
	if err != nil {
		t.Fatal(err)
	}
	if len(sig.CompetitorIDs) != 1 || sig.CompetitorIDs[0] != ns+"lex:aliyun" || sig.Trust != valuegraph.TrustL3 || !slices.Contains(sig.Intents, "complaint") {
		t.Errorf("post 766527 = %+v", sig)
	}
	if sig.OccurredAt.Year() != 2021 || sig.URL != "https://www.v2ex.com/t/766527" {
		t.Errorf("post 766527 at %v from %s", sig.OccurredAt, sig.URL)
	}
	// 阿里云 is a product too (Alibaba Cloud), offered by the competitor, made by Alibaba.
	if !slices.Contains(sig.ProductIDs, ns+"lex:aliyun") {
		t.Errorf("post 766527 products %v, want lex:aliyun", sig.ProductIDs)
	}
	products, err := s.Products(ctx, []string{ns + "lex:aliyun"})
	if p := products[ns+"lex:aliyun"]; err != nil || p.Name != "Alibaba Cloud" || p.Vendor != "Alibaba" || p.CompetitorID != ns+"lex:aliyun" {
		t.Errorf("product aliyun %+v, %v", p, err)
	}
	if n := count(t, s, "Product", ns); n < 5 {
		t.Errorf("%d products from 150 posts about vendors, want several", n)
	}
	if again, _ := run(t, ingest.Forum{}, w, file); again.Created != 0 || again.Unchanged != 150 {
		t.Errorf("second ingest %+v", again)
	}
	_, bad, err = parseString(t, ingest.Forum{}, "bad.jsonl", "{\"id\": 1, \"title\": \"x\", \"created\": 1610157975}\n{\"id\": 2, \"title\": \"y\"\n{\"title\": \"z\", \"created\": 1}\n{\"id\": 4, \"title\": \"w\", \"created\": \"soon\"}\n")
	if err != nil || len(bad) != 3 {
		t.Fatalf("rejected %v, err %v", bad, err)
	}
	for i, want := range []string{"bad.jsonl:2: not a JSON object", "bad.jsonl:3: id: required", "bad.jsonl:4: created: "} {
		if !strings.HasPrefix(bad[i].Error(), want) {
			t.Errorf("rejection %d = %q, want %q", i, bad[i], want)
		}
	}
}
