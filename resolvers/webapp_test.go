package resolvers_test

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/resolvers"
)

// Every GraphQL operation of the web app (web/src/queries.js) runs as the
// app sends it, with the session cookie and X-Requested-With: valid against
// the schema, within the depth and complexity limits, answered without
// errors.
func TestWebAppQueries(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	srv := sessionServer(t, f)
	src, err := os.ReadFile("../web/src/queries.js")
	if err != nil {
		t.Fatal(err)
	}
	// The subscriptions page edits and deletes one of the rep's.
	sub, err := f.store.CreateSubscription(context.Background(), valuegraph.OwnerRep, f.ns+"rep-1", valuegraph.SubscriptionInput{Name: "华信",
		CustomerIDs: []string{f.ns + "huaxin"}}, f.ns+"rep")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]map[string]any{
		"viewerQuery":    nil,
		"customersQuery": {"filter": map[string]any{"text": "华信冷链", "stage": nil, "tier": nil}, "first": 25, "after": nil},
		"briefQuery":     {"id": f.ns + "huaxin"},
		"feedbackMutation": {"input": map[string]any{"kind": "WRONG_STAGE", "customerId": f.ns + "huaxin", "stage": "EXPANDING",
			"text": "they ordered twice more this quarter"}},
		"neighbourhoodQuery":    {"id": f.ns + "huaxin", "depth": 2, "types": []string{"CUSTOMER", "PERSON", "COMPETITOR", "NEED", "REP", "OFFERING", "PRODUCT"}, "first": 150},
		"neighbourCountsQuery":  {"id": f.ns + "aliyun"},
		"exploreSearchQuery":    {"text": "华信"},
		"nodeCustomerQuery":     {"id": f.ns + "huaxin"},
		"nodeCompetitorQuery":   {"id": f.ns + "aliyun"},
		"nodeNeedQuery":         {"id": f.ns + "cold"},
		"nodeSignalQuery":       {"id": f.ns + "s1"},
		"pathsQuery":            {"from": f.ns + "rep-1", "to": f.ns + "aliyun"},
		"reviewQueueQuery":      {"status": "OPEN", "first": 100},
		"resolveReviewMutation": {"id": f.ns + "review-web", "candidateId": nil, "reject": true},
		"modelVersionsQuery":    nil,
		"activateModelMutation": {"version": "v2"},
		"rollbackModelMutation": nil,
		"historyQuery":          {"id": f.ns + "huaxin", "first": 60},
		"driftQuery":            {"since": time.Now().AddDate(0, 0, -30).UTC().Format(time.RFC3339), "minLevels": 1},
		"sourcesQuery":          nil,
		"runCrawlMutation":      {"source": f.ns + "no-such-portal"},
		"feedQuery":             {"first": 10, "after": nil, "since": time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)},
		"markFeedReadMutation":  {"until": nil},
		"subscriptionsQuery":    nil,
		"createSubscriptionMutation": {"input": map[string]any{"name": "华信", "kinds": []string{"TENDER", "AWARD"}, "industries": []string{},
			"regions": []string{"重庆"}, "keywords": []string{"冷链"}, "customerIds": []string{f.ns + "huaxin"}, "trust": []string{"L2", "L3"}}},
		"updateSubscriptionMutation": {"id": sub.ID, "input": map[string]any{"name": "华信动态", "customerIds": []string{f.ns + "huaxin"}}},
		"deleteSubscriptionMutation": {"id": sub.ID},
		"alertsQuery":                {"filter": map[string]any{"kinds": []string{"STAGE_CHANGED"}, "followed": false}, "first": 25, "after": nil},
		"alertSummaryQuery":          {"since": nil},
	}
	// Who sends each operation (the rep, unless the page is for others).
	as := map[string]string{"reviewQueueQuery": "analyst", "resolveReviewMutation": "analyst", "modelVersionsQuery": "analyst",
		"activateModelMutation": "admin", "rollbackModelMutation": "admin", "driftQuery": "manager", "sourcesQuery": "analyst",
		"runCrawlMutation": "admin", "alertSummaryQuery": "manager"}
	// What the API answers an operation the page sends and shows the error
	// of: the schema takes it (no validation error), and this server has
	// no such source to crawl.
	fails := map[string]string{"runCrawlMutation": "NOT_FOUND"}
	// The explorer's need panel asks about a need that exists; the review
	// page decides a review; the models page activates a version.
	ctx := context.Background()
	if _, err := f.store.UpsertNeeds(ctx, []valuegraph.Need{{ID: f.ns + "cold", Name: "冷链时效"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpsertCustomers(ctx, []valuegraph.Customer{{ID: f.ns + "prov-web", Name: "重庆某冷链运输公司"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.AddReviews(ctx, []valuegraph.Review{{ID: f.ns + "review-web", Name: "重庆某冷链运输公司", Key: "web", Source: "test", Reason: "too close to call",
		ProvisionalID: f.ns + "prov-web", Candidates: []valuegraph.ReviewCandidate{{OrgRef: valuegraph.OrgRef{Kind: "Customer", ID: f.ns + "huaxin"}, Score: 0.85}}}}); err != nil {
		t.Fatal(err)
	}
	for _, mv := range []valuegraph.ModelVersion{
		{Kind: f.ns + "models", Version: "prior-web", TrainedAt: time.Unix(0, 0).UTC(), Status: valuegraph.ModelCandidate, Metrics: map[string]float64{"builtIn": 1}},
		{Kind: f.ns + "models", Version: "v2", TrainedAt: time.Now().UTC(), TrainingSize: 80, Status: valuegraph.ModelCandidate, Metrics: map[string]float64{"accuracy": 0.7, "heldOut": 35}},
	} {
		if err := f.store.SaveModelVersion(ctx, mv); err != nil {
			t.Fatal(err)
		}
	}
	ops := regexp.MustCompile("(?s)export const (\\w+) = `([^`]*)`;").FindAllStringSubmatch(string(src), -1)
	if len(ops) != len(vars) {
		t.Errorf("queries.js holds %d operations, the test knows %d: give each new one its variables here", len(ops), len(vars))
	}
	byName := map[string]string{}
	// send posts an operation as the app does, signed in as the rep or as who.
	send := func(t *testing.T, query string, v map[string]any, who ...string) (int, gqlResponse, error) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query, "variables": v})
		token := f.tokens["rep"]
		if len(who) > 0 && who[0] != "" {
			token = f.tokens[who[0]]
		}
		res := browserRequest(t, "POST", srv.URL+"/graphql", "application/json", string(body),
			"Cookie", resolvers.SessionCookie+"="+token, "X-Requested-With", "valuegraph-web")
		var out gqlResponse
		err := json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out, err
	}
	for _, op := range ops {
		name, query := op[1], op[2]
		byName[name] = query
		t.Run(name, func(t *testing.T) {
			v, ok := vars[name]
			if !ok {
				t.Fatalf("no variables for %s", name)
			}
			if strings.Contains(query, "${") {
				t.Fatalf("%s interpolates: the test would not see what the app sends", name)
			}
			status, out, err := send(t, query, v, as[name])
			if code, ok := fails[name]; ok {
				if err != nil || out.code() != code {
					t.Fatalf("%d %v %+v, want %s", status, err, out.Errors, code)
				}
				return
			}
			if err != nil || status != 200 || len(out.Errors) > 0 || out.Data == nil {
				t.Fatalf("%d %v %+v", status, err, out.Errors)
			}
		})
	}
	// The brief page's feedback: after the mutation above, the brief the
	// app reads again shows the rep's stage beside the model's.
	t.Run("FeedbackShowsInTheBrief", func(t *testing.T) {
		_, out, _ := send(t, byName["briefQuery"], vars["briefQuery"])
		a := get(out.Data, "brief", "assessment")
		cs, _ := get(a, "corrections").([]any)
		if get(a, "stage") != "EXPANDING" || len(cs) == 0 || get(cs[0], "standing") != true || get(cs[0], "note") != "they ordered twice more this quarter" {
			t.Errorf("the brief after the rep's correction: %v (%+v)", a, out.Errors)
		}
	})
	t.Run("SearchFindsByAlias", func(t *testing.T) {
		_, out, _ := send(t, byName["customersQuery"], vars["customersQuery"])
		edges, _ := get(out.Data, "customers", "edges").([]any)
		if len(edges) == 0 || get(edges[0], "node", "id") != f.ns+"huaxin" {
			t.Errorf("华信冷链: %v", edges)
		}
	})
}
