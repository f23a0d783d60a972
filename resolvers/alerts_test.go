package resolvers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/resolvers"
)

const alertsQuery = `query($filter: AlertFilter, $first: Int, $after: String) {
  alerts(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id kind from to risk at customer { id name owner { id } } owner { id } causes { factor en zh }
      followUp { followed by at } } }
    pageInfo { hasNextPage endCursor }
  }
}`

// Alerts through the API: a rep sees only the alerts of the customers they
// own, every other role all of them; reading the brief follows an alert up
// only when its owner reads it; managers get the count per owner.
func TestAlerts(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	start := time.Now()
	mine, theirs := f.ns+"al-mine", f.ns+"c1" // rep-1's, rep-2's
	if _, err := f.store.UpsertCustomers(ctx, []valuegraph.Customer{{ID: mine, Name: "告警测试有限公司", OwnerID: f.ns + "rep-1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.scorer.ScoreBatch(ctx, []string{mine, theirs}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpsertSignals(ctx, []valuegraph.Signal{
		{ID: f.ns + "al-t1", Kind: valuegraph.SignalTender, Title: "招标", Source: f.ns + "ccgp", Trust: valuegraph.TrustL2,
			OccurredAt: time.Now().Add(-48 * time.Hour), CustomerIDs: []string{mine, theirs}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.scorer.ScoreBatch(ctx, []string{mine, theirs}); err != nil {
		t.Fatal(err)
	}

	list := func(token string, filter map[string]any) ([]any, gqlResponse) {
		t.Helper()
		_, res := f.client.do(f.tokens[token], alertsQuery, map[string]any{"filter": filter, "first": 100})
		edges, _ := get(res.Data, "alerts", "edges").([]any)
		return edges, res
	}
	customersOf := func(edges []any) []string {
		var ids []string
		for _, e := range edges {
			if id := get(e, "node", "customer", "id").(string); !slices.Contains(ids, id) && (id == mine || id == theirs) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		return ids
	}
	for _, tc := range []struct {
		token string
		want  []string
	}{{"rep", []string{mine}}, {"rep2", []string{theirs}}, {"manager", []string{mine, theirs}}, {"analyst", []string{mine, theirs}}} {
		// Since the test began: the database is shared with other tests.
		edges, res := list(tc.token, map[string]any{"since": start.Format(time.RFC3339Nano)})
		if len(res.Errors) > 0 {
			t.Fatalf("%s: %+v", tc.token, res.Errors)
		}
		if got := customersOf(edges); !slices.Equal(got, tc.want) {
			t.Errorf("%s sees the alerts of %v, want %v", tc.token, got, tc.want)
		}
		if tc.token == "rep" || tc.token == "rep2" {
			for _, e := range edges {
				if get(e, "node", "customer", "owner", "id") != f.ns+"rep-"+map[string]string{"rep": "1", "rep2": "2"}[tc.token] {
					t.Errorf("%s sees an alert of another rep's customer: %v", tc.token, get(e, "node"))
				}
			}
		}
	}
	// A rep filtering for another rep's alerts gets none of them.
	if edges, res := list("rep", map[string]any{"owner": f.ns + "rep-2"}); len(edges) != 0 || len(res.Errors) > 0 {
		t.Errorf("rep filtering for rep-2's alerts: %v %+v", edges, res.Errors)
	}

	mineStage := func() any {
		t.Helper()
		edges, res := list("manager", map[string]any{"kinds": []string{"STAGE_CHANGED"}, "owner": f.ns + "rep-1"})
		if len(res.Errors) > 0 || len(edges) != 1 {
			t.Fatalf("rep-1's stage alerts: %v %+v; want one", edges, res.Errors)
		}
		return get(edges[0], "node")
	}
	a := mineStage()
	if get(a, "from") != "DORMANT" || get(a, "to") != "SELECTING" || get(a, "owner", "id") != f.ns+"rep-1" ||
		get(a, "causes", 0, "factor") != "tender" || get(a, "causes", 0, "zh") == "" || get(a, "followUp", "followed") != false || get(a, "followUp", "by") != nil {
		t.Fatalf("the stage alert: %v", a)
	}

	// Reading the brief: another rep may not, a manager without a rep id
	// is nobody's follow-up, the owner's Markdown read is.
	briefQ := `query($id: ID!) { brief(customerId: $id) { customer { id } } }`
	if _, res := f.client.do(f.tokens["rep2"], briefQ, map[string]any{"id": mine}); res.code() != "FORBIDDEN" {
		t.Fatalf("rep2 reading rep-1's brief: %+v", res.Errors)
	}
	if _, res := f.client.do(f.tokens["manager"], briefQ, map[string]any{"id": mine}); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	// A manager's token may name a rep; the manager's reading is still not
	// the rep's follow-up.
	mtok, managerAsRep, err := f.store.CreateToken(ctx, f.ns+"manager-rep-1", valuegraph.AccessManager, f.ns+"rep-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.store.RevokeToken(context.Background(), mtok.ID) })
	if _, res := f.client.do(managerAsRep, briefQ, map[string]any{"id": mine}); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	time.Sleep(300 * time.Millisecond) // a brief open is recorded in the background
	if fu := get(mineStage(), "followUp", "followed"); fu != false {
		t.Fatalf("followed after reads by others: %v", get(mineStage(), "followUp"))
	}
	before := time.Now()
	srv := httptest.NewServer(routesForBriefs(f))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/briefs/"+mine+".md", nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens["rep"])
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("rep-1 reading the Markdown brief: %v %v", res, err)
	}
	res.Body.Close()
	// The read is recorded in the background: it lands a moment later.
	var fu any
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if fu = get(mineStage(), "followUp"); get(fu, "followed") == true || time.Now().After(deadline) {
			break
		}
	}
	at, _ := time.Parse(time.RFC3339, get(fu, "at").(string))
	if get(fu, "followed") != true || get(fu, "by") != "BRIEF_OPENED" || at.Before(before.Add(-time.Second)) {
		t.Errorf("after the owner read the brief: %v", fu)
	}
	if edges, _ := list("manager", map[string]any{"followed": false, "owner": f.ns + "rep-1", "kinds": []string{"STAGE_CHANGED"}}); len(edges) != 0 {
		t.Errorf("followed: false lists %v", edges)
	}
	if edges, _ := list("manager", map[string]any{"followed": false, "owner": f.ns + "rep-2", "kinds": []string{"STAGE_CHANGED"}}); len(edges) != 1 {
		t.Errorf("rep-2's unfollowed stage alerts: %v, want one", edges)
	}

	// Per owner, for managers.
	sumQ := `query($since: Time) { alertSummary(since: $since) { owner { id } raised followed unfollowed lastAt } }`
	_, sres := f.client.do(f.tokens["manager"], sumQ, map[string]any{"since": before.Add(-time.Hour).Format(time.RFC3339)})
	if len(sres.Errors) > 0 {
		t.Fatal(sres.Errors)
	}
	got := map[any][3]float64{}
	for _, o := range sres.Data["alertSummary"].([]any) {
		got[get(o, "owner", "id")] = [3]float64{get(o, "raised").(float64), get(o, "followed").(float64), get(o, "unfollowed").(float64)}
	}
	if s1, s2 := got[f.ns+"rep-1"], got[f.ns+"rep-2"]; s1[0] < 1 || s1[1] != s1[0] || s1[2] != 0 || s2[0] < 1 || s2[1] != 0 || s2[2] != s2[0] {
		t.Errorf("summary: rep-1 %v, rep-2 %v; want rep-1's all followed, rep-2's none", s1, s2)
	}
	if _, res := f.client.do(f.tokens["rep"], sumQ, nil); res.code() != "FORBIDDEN" {
		t.Errorf("a rep reading the summary: %+v", res.Errors)
	}

	// Paging, and bad input named.
	// rep-1's and rep-2's alerts: at least two, so a page of one has a next.
	_, res1 := f.client.do(f.tokens["manager"], alertsQuery, map[string]any{"filter": map[string]any{"kinds": []string{"STAGE_CHANGED"}}, "first": 1})
	if get(res1.Data, "alerts", "pageInfo", "hasNextPage") != true {
		t.Fatalf("two stage alerts at least, yet a page of one says there is no next: %v %+v", res1.Data, res1.Errors)
	}
	cur := get(res1.Data, "alerts", "pageInfo", "endCursor")
	_, res2 := f.client.do(f.tokens["manager"], alertsQuery, map[string]any{"filter": map[string]any{"kinds": []string{"STAGE_CHANGED"}}, "first": 1, "after": cur})
	if id := get(res2.Data, "alerts", "edges", 0, "node", "id"); id == nil || id == get(res1.Data, "alerts", "edges", 0, "node", "id") || len(res2.Errors) > 0 {
		t.Errorf("the second page repeats the first or is empty: %v %+v", res2.Data, res2.Errors)
	}
	for _, vars := range []map[string]any{{"after": "nope"}, {"first": 0}} {
		_, res := f.client.do(f.tokens["manager"], alertsQuery, vars)
		if res.code() != "BAD_USER_INPUT" || len(res.Errors) == 0 {
			t.Errorf("%v: %+v", vars, res.Errors)
			continue
		}
		if field := res.Errors[0].Extensions["field"]; field != "after" && field != "first" {
			t.Errorf("%v: field %v", vars, field)
		}
	}
}
