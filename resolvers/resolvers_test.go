package resolvers_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/brief"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/resolvers"
	"github.com/valuegraph/valuegraph/scoring"
)

type gqlResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

type apiClient struct {
	t   *testing.T
	url string
}

func (c apiClient) do(token, query string, vars map[string]any) (int, gqlResponse) {
	c.t.Helper()
	return c.send(token, map[string]any{"query": query, "variables": vars})
}

// send posts a request of any shape (with extensions, say).
func (c apiClient) send(token string, request map[string]any) (int, gqlResponse) {
	c.t.Helper()
	body, _ := json.Marshal(request)
	req, _ := http.NewRequest("POST", c.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		c.t.Fatal(err)
	}
	return res.StatusCode, out
}

// fixture is a small account world under a namespace, with a token per role.
type fixture struct {
	store  *graph.Store
	ns     string
	client apiClient
	tokens map[string]string // rep, rep2, analyst, manager, admin
	scorer *jobs.Scorer      // what the API rescores with in a request, and the worker would
}

func newFixture(t *testing.T, opts resolvers.Options) *fixture {
	t.Helper()
	s := graphtest.MustOpen(t)
	ns := graphtest.Prefix(t, s)
	ctx := context.Background()
	var customers []valuegraph.Customer
	for i := range 7 {
		customers = append(customers, valuegraph.Customer{ID: fmt.Sprintf("%sc%d", ns, i), Name: fmt.Sprintf("%s客户%d有限公司", ns, i), OwnerID: ns + "rep-2", Region: "江苏"})
	}
	customers = append(customers, valuegraph.Customer{ID: ns + "huaxin", Name: "重庆华信冷链物流有限公司", Aliases: []string{"华信冷链"}, OwnerID: ns + "rep-1", Region: "重庆", Industry: "logistics"})
	if _, err := s.UpsertCustomers(ctx, customers); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertCompetitors(ctx, []valuegraph.Competitor{{ID: ns + "aliyun", Name: "阿里云"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertPeople(ctx, []valuegraph.Person{
		{ID: ns + "zhao", Name: "赵明", Title: "副总经理", Role: valuegraph.RoleEconomicBuyer, CustomerID: ns + "huaxin", Phone: "023-1234", Email: "zhao@example.com"},
		{ID: ns + "sun", Name: "孙丽", Title: "信息中心主任", Role: valuegraph.RoleTechnicalLead, CustomerID: ns + "huaxin", ReportsTo: ns + "zhao"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertSignals(ctx, []valuegraph.Signal{
		{ID: ns + "s1", Kind: valuegraph.SignalTender, Title: "冷链监控平台招标公告", Source: ns + "ccgp", Trust: valuegraph.TrustL2,
			OccurredAt: time.Date(2026, 10, 8, 0, 0, 0, 0, time.UTC), Amount: 1.8e6, Currency: "CNY", CustomerIDs: []string{ns + "huaxin"}, CompetitorIDs: []string{ns + "aliyun"}},
		{ID: ns + "s2", Kind: valuegraph.SignalForumPost, Title: "阿里云的替代方案", Source: ns + "forum", Trust: valuegraph.TrustL3,
			OccurredAt: time.Date(2026, 7, 2, 0, 0, 0, 0, time.UTC), CustomerIDs: []string{ns + "huaxin"}, CompetitorIDs: []string{ns + "aliyun"}, Intents: []string{"alternative"}},
	}); err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: s, ns: ns, tokens: map[string]string{}}
	for name, spec := range map[string]struct {
		role valuegraph.AccessRole
		rep  string
	}{"rep": {valuegraph.AccessRep, ns + "rep-1"}, "rep2": {valuegraph.AccessRep, ns + "rep-2"}, "analyst": {valuegraph.AccessAnalyst, ""},
		"manager": {valuegraph.AccessManager, ""}, "admin": {valuegraph.AccessAdmin, ""}} {
		tok, secret, err := s.CreateToken(ctx, ns+name, spec.role, spec.rep)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.RevokeToken(context.Background(), tok.ID) })
		f.tokens[name] = secret
	}
	priors, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	f.scorer = &jobs.Scorer{Graph: s, Models: jobs.StaticModel{Model: priors}}
	// Model versions of the test's own kind: activating one leaves the
	// scoring models of the database alone.
	srv := httptest.NewServer(resolvers.NewHandler(&resolvers.Resolver{Graph: s, Scorer: f.scorer, ModelKind: ns + "models"}, opts))
	t.Cleanup(srv.Close)
	f.client = apiClient{t: t, url: srv.URL}
	return f
}

func get(m any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			mm, _ := m.(map[string]any)
			m = mm[k]
		case int:
			l, _ := m.([]any)
			if k >= len(l) {
				return nil
			}
			m = l[k]
		}
	}
	return m
}

const customerQuery = `query($id: ID!) {
  customer(id: $id) {
    id name aliases region industry signalCount
    owner { id }
    people { id name title role email phone reportsTo until }
    signals(first: 5) { id kind trust amount currency intents occurredAt parties { role kind id rule } }
    competitors { competitor { name } mentions lastSeen }
    stage tier risks { replacement churn credit }
  }
}`

func TestCustomerByRole(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	vars := map[string]any{"id": f.ns + "huaxin"}
	phoneOf := func(role string) any {
		code, res := f.client.do(f.tokens[role], customerQuery, vars)
		if code != 200 || len(res.Errors) > 0 {
			t.Fatalf("%s: %d %+v", role, code, res.Errors)
		}
		for _, p := range get(res.Data, "customer", "people").([]any) {
			if get(p, "name") == "赵明" {
				return get(p, "phone")
			}
		}
		t.Fatalf("%s: no 赵明 in %v", role, get(res.Data, "customer", "people"))
		return nil
	}
	for role, want := range map[string]any{"rep": "023-1234", "admin": "023-1234", "manager": "023-1234", "rep2": nil, "analyst": nil} {
		if got := phoneOf(role); got != want {
			t.Errorf("%s sees phone %v, want %v", role, got, want)
		}
	}

	_, res := f.client.do(f.tokens["rep"], customerQuery, vars)
	c := get(res.Data, "customer")
	if get(c, "owner", "id") != f.ns+"rep-1" || get(c, "region") != "重庆" || get(c, "stage") != nil {
		t.Errorf("customer %v", c)
	}
	s0 := get(c, "signals", 0)
	if get(s0, "kind") != "TENDER" || get(s0, "trust") != "L2" || get(s0, "amount") != 1.8e6 || get(s0, "occurredAt") != "2026-10-08T00:00:00Z" {
		t.Errorf("first signal %v", s0)
	}
	if get(s0, "parties", 0, "rule") != "given" || get(c, "signals", 1, "intents", 0) != "alternative" {
		t.Errorf("signals %v", get(c, "signals"))
	}
	if get(c, "competitors", 0, "competitor", "name") != "阿里云" || get(c, "competitors", 0, "mentions") != 2.0 {
		t.Errorf("competitors %v", get(c, "competitors"))
	}
	var sun any
	for _, p := range get(c, "people").([]any) {
		if get(p, "name") == "孙丽" {
			sun = p
		}
	}
	if get(sun, "reportsTo") != f.ns+"zhao" || get(sun, "role") != "technical_lead" || get(sun, "email") != nil {
		t.Errorf("孙丽 %v", sun)
	}

	t.Run("NotFoundIsNull", func(t *testing.T) {
		code, res := f.client.do(f.tokens["rep"], customerQuery, map[string]any{"id": f.ns + "nobody"})
		if code != 200 || len(res.Errors) > 0 || res.Data["customer"] != nil {
			t.Fatalf("%d %+v %v", code, res.Errors, res.Data)
		}
	})
}

func TestCustomersPagination(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	q := `query($after: String, $owner: ID) { customers(first: 3, after: $after, filter: {ownerId: $owner, region: "江苏"}) {
	  edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`
	var seen []string
	var after any
	for page := 0; ; page++ {
		code, res := f.client.do(f.tokens["manager"], q, map[string]any{"after": after, "owner": f.ns + "rep-2"})
		if code != 200 || len(res.Errors) > 0 {
			t.Fatalf("page %d: %d %+v", page, code, res.Errors)
		}
		edges := get(res.Data, "customers", "edges").([]any)
		for _, e := range edges {
			seen = append(seen, get(e, "node", "id").(string))
		}
		if get(res.Data, "customers", "pageInfo", "hasNextPage") != true {
			if page != 2 || len(edges) != 1 {
				t.Errorf("last page %d has %d customers, want page 2 with 1", page, len(edges))
			}
			break
		}
		after = get(res.Data, "customers", "pageInfo", "endCursor")
		if page > 5 {
			t.Fatal("paging does not end")
		}
	}
	want := []string{}
	for i := range 7 {
		want = append(want, fmt.Sprintf("%sc%d", f.ns, i))
	}
	if strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Errorf("pages gave %v, want %v in name order, each once", seen, want)
	}

	t.Run("TextFilter", func(t *testing.T) {
		_, res := f.client.do(f.tokens["analyst"], `{ customers(filter: {text: "华信冷链"}, first: 20) { edges { node { id } } } }`, nil)
		var ids []string
		for _, e := range get(res.Data, "customers", "edges").([]any) {
			if id := get(e, "node", "id").(string); strings.HasPrefix(id, f.ns) {
				ids = append(ids, id)
			}
		}
		if len(ids) != 1 || ids[0] != f.ns+"huaxin" {
			t.Errorf("text filter gave %v (%+v)", ids, res.Errors)
		}
	})

	ids := func(res gqlResponse) []string {
		t.Helper()
		if len(res.Errors) > 0 {
			t.Fatalf("%+v", res.Errors)
		}
		var out []string
		for _, e := range get(res.Data, "customers", "edges").([]any) {
			out = append(out, strings.TrimPrefix(get(e, "node", "id").(string), f.ns))
		}
		return out
	}
	ctx := context.Background()
	t.Run("NeedAndCompetitor", func(t *testing.T) {
		if _, err := f.store.UpsertNeeds(ctx, []valuegraph.Need{{ID: f.ns + "cold-chain", Name: "冷链监控"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.UpsertSignals(ctx, []valuegraph.Signal{{ID: f.ns + "n1", Kind: valuegraph.SignalForumPost, Title: "冷链温度监控怎么做", Source: f.ns + "forum",
			Trust: valuegraph.TrustL3, OccurredAt: time.Now(), CustomerIDs: []string{f.ns + "c3"}, NeedIDs: []string{f.ns + "cold-chain"}}}); err != nil {
			t.Fatal(err)
		}
		q := `query($f: CustomerFilter) { customers(filter: $f) { edges { node { id } } } }`
		_, res := f.client.do(f.tokens["analyst"], q, map[string]any{"f": map[string]any{"needId": f.ns + "cold-chain"}})
		if got := ids(res); strings.Join(got, ",") != "c3" {
			t.Errorf("need filter gave %v, want c3", got)
		}
		_, res = f.client.do(f.tokens["analyst"], q, map[string]any{"f": map[string]any{"competitorId": f.ns + "aliyun"}})
		if got := ids(res); strings.Join(got, ",") != "huaxin" {
			t.Errorf("competitor filter gave %v, want huaxin", got)
		}
		_, res = f.client.do(f.tokens["analyst"], q, map[string]any{"f": map[string]any{"competitorId": f.ns + "aliyun", "needId": f.ns + "cold-chain"}})
		if got := ids(res); len(got) != 0 {
			t.Errorf("need and competitor together gave %v, want none (no customer has both)", got)
		}
		_, res = f.client.do(f.tokens["analyst"], q, map[string]any{"f": map[string]any{"competitorId": f.ns + "aliyun", "text": "华信冷链"}})
		if got := ids(res); strings.Join(got, ",") != "huaxin" {
			t.Errorf("competitor and text gave %v, want huaxin", got)
		}
	})
	t.Run("RiskAndOrder", func(t *testing.T) {
		// c0…c6 scored with churn 0.1…0.7 and tier scores falling.
		for i := range 7 {
			if err := f.store.WriteAssessment(ctx, valuegraph.Assessment{CustomerID: fmt.Sprintf("%sc%d", f.ns, i), At: time.Now(), ModelVersion: "test",
				Stage: valuegraph.StageExploring, Risks: valuegraph.Risks{Churn: 0.1 * float64(i+1), Replacement: 0.05}, Tier: "B", TierScore: 70 - float64(i)}); err != nil {
				t.Fatal(err)
			}
		}
		q := `query($f: CustomerFilter, $o: CustomerOrder, $after: String) { customers(filter: $f, orderBy: $o, first: 2, after: $after) {
		  edges { node { id } } pageInfo { endCursor hasNextPage } } }`
		risky := map[string]any{"region": "江苏", "risk": map[string]any{"churn": map[string]any{"min": 0.35, "max": 0.65}}}
		var got []string
		var after any
		for range 5 {
			_, res := f.client.do(f.tokens["manager"], q, map[string]any{"f": risky, "o": "CHURN_RISK", "after": after})
			got = append(got, ids(res)...)
			if get(res.Data, "customers", "pageInfo", "hasNextPage") != true {
				break
			}
			after = get(res.Data, "customers", "pageInfo", "endCursor")
		}
		if strings.Join(got, ",") != "c5,c4,c3" {
			t.Errorf("churn 0.35–0.65, riskiest first, two a page: %v, want c5,c4,c3", got)
		}
		_, res := f.client.do(f.tokens["manager"], q, map[string]any{"f": map[string]any{"region": "江苏"}, "o": "TIER_SCORE"})
		if got := ids(res); strings.Join(got, ",") != "c0,c1" {
			t.Errorf("by tier score: %v, want c0,c1", got)
		}
		// A cursor resumes only its own order; bad ranges name the field.
		_, res = f.client.do(f.tokens["manager"], q, map[string]any{"f": risky, "o": "NAME", "after": after})
		if res.code() != "BAD_USER_INPUT" {
			t.Errorf("a churn cursor on a name list: %+v", res.Errors)
		}
		_, res = f.client.do(f.tokens["manager"], q, map[string]any{"f": map[string]any{"risk": map[string]any{"credit": map[string]any{"min": 0.9, "max": 0.2}}}})
		if res.code() != "BAD_USER_INPUT" || !strings.Contains(res.Errors[0].Message, "risk.credit") {
			t.Errorf("min above max: %+v", res.Errors)
		}
	})
}

func TestErrorsAndLimits(t *testing.T) {
	f := newFixture(t, resolvers.Options{MaxDepth: 5, MaxComplexity: 2000})
	for _, tc := range []struct {
		name, token, query string
		status             int
		code               string
	}{
		{"NoToken", "", `{ viewer { role } }`, 401, "UNAUTHENTICATED"},
		{"UnknownToken", "vg_not-a-real-token", `{ viewer { role } }`, 401, "UNAUTHENTICATED"},
		{"NotOurToken", "abc", `{ viewer { role } }`, 401, "UNAUTHENTICATED"},
		{"PageTooBig", f.tokens["admin"], `{ customers(first: 1000) { edges { cursor } } }`, 200, "BAD_USER_INPUT"},
		{"BadCursor", f.tokens["admin"], `{ customers(after: "garbage!") { edges { cursor } } }`, 200, "BAD_USER_INPUT"},
		{"RepCannotReview", f.tokens["rep"], `{ reviewQueue { id } }`, 200, "FORBIDDEN"},
		{"RepCannotSeeModels", f.tokens["rep"], `{ modelVersions { version } }`, 200, "FORBIDDEN"},
		{"AnalystSeesModels", f.tokens["analyst"], `{ modelVersions { version status accuracy } }`, 200, ""},
		{"TooDeep", f.tokens["admin"], `{ customers(first: 1) { edges { node { signals(first: 1) { parties { id } } } } } }`, 200, "QUERY_TOO_DEEP"},
		{"TooComplex", f.tokens["admin"], `{ customers(first: 500) { edges { node { id signals(first: 50) { id } } } } }`, 200, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"SchemaError", f.tokens["admin"], `{ customer { nosuchfield } }`, 422, "GRAPHQL_VALIDATION_FAILED"},
		// One JSON answer has no room for deferred parts: they would be lost.
		{"Defer", f.tokens["admin"], `{ viewer { name ... @defer { role } } }`, 200, "BAD_USER_INPUT"},
		{"DeferInFragment", f.tokens["admin"], `{ viewer { ...v } } fragment v on Viewer { name ... @defer(label: "x") { role } }`, 200, "BAD_USER_INPUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, res := f.client.do(tc.token, tc.query, nil)
			if status != tc.status || res.code() != tc.code {
				t.Fatalf("%d %s (%+v), want %d %s", status, res.code(), res.Errors, tc.status, tc.code)
			}
		})
	}
	t.Run("ComplexityWithVariables", func(t *testing.T) {
		// The same document costs what its variables make it, each time;
		// one with literal page sizes is costed once and refused each time.
		q := `query($n: Int) { customers(first: $n) { edges { node { id signals(first: 50) { id } } } } }`
		for _, c := range []struct {
			n    int
			code string
		}{{500, "COMPLEXITY_LIMIT_EXCEEDED"}, {1, ""}, {500, "COMPLEXITY_LIMIT_EXCEEDED"}, {2, ""}} {
			if _, res := f.client.do(f.tokens["admin"], q, map[string]any{"n": c.n}); res.code() != c.code {
				t.Errorf("first: %d: %q (%+v), want %q", c.n, res.code(), res.Errors, c.code)
			}
		}
		for range 2 {
			if _, res := f.client.do(f.tokens["admin"], `{ customers(first: 500) { edges { node { id signals(first: 50) { id } } } } }`, nil); res.code() != "COMPLEXITY_LIMIT_EXCEEDED" {
				t.Errorf("literal page sizes: %q, want COMPLEXITY_LIMIT_EXCEEDED", res.code())
			}
		}
	})
	t.Run("DocumentBounds", func(t *testing.T) {
		// One field repeated: validation would cost time quadratic in the
		// repeats; the parser stops at its token limit first.
		many := "{" + strings.Repeat(" viewer { name }", 2000) + " }"
		if status, res := f.client.do(f.tokens["admin"], many, nil); res.code() != "GRAPHQL_PARSE_FAILED" || !strings.Contains(res.Errors[0].Message, "token limit") {
			t.Errorf("8,000 tokens: %d %s %+v", status, res.code(), res.Errors)
		}
		// A document over 64 KiB is refused before anything keeps it: its
		// hash is not a persisted query afterwards.
		huge := "{ viewer { name } }" + strings.Repeat(" ", 70<<10)
		sum := sha256.Sum256([]byte(huge))
		ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
		if _, res := f.client.send(f.tokens["admin"], map[string]any{"query": huge, "extensions": ext}); res.code() != "BAD_USER_INPUT" || !strings.Contains(res.Errors[0].Message, "over the limit") {
			t.Errorf("70 KiB document: %s %+v", res.code(), res.Errors)
		}
		if _, res := f.client.send(f.tokens["admin"], map[string]any{"extensions": ext}); res.code() != "PERSISTED_QUERY_NOT_FOUND" {
			t.Errorf("the refused document's hash: %s %+v, want PERSISTED_QUERY_NOT_FOUND", res.code(), res.Errors)
		}
		// A time that is not one is the client's mistake.
		q := `query($id: ID!, $since: Time) { customer(id: $id) { id history(since: $since) { at } } }`
		if _, res := f.client.do(f.tokens["admin"], q, map[string]any{"id": f.ns + "huaxin", "since": "last tuesday"}); res.code() != "BAD_USER_INPUT" || !strings.Contains(res.Errors[0].Message, "RFC 3339") {
			t.Errorf("a bad Time variable: %s %+v", res.code(), res.Errors)
		}
		q = `query($id: ID!) { customer(id: $id) { id history(since: "last tuesday") { at } } }`
		if _, res := f.client.do(f.tokens["admin"], q, map[string]any{"id": f.ns + "huaxin"}); res.code() != "BAD_USER_INPUT" {
			t.Errorf("a bad Time literal: %s %+v", res.code(), res.Errors)
		}
	})
	t.Run("FormPostHasACode", func(t *testing.T) {
		req, _ := http.NewRequest("POST", f.client.url, strings.NewReader("query=%7B+viewer+%7B+role+%7D+%7D"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+f.tokens["admin"])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out gqlResponse
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 415 || out.code() != "BAD_USER_INPUT" {
			t.Errorf("a form POST: %d %s %v", res.StatusCode, out.code(), err)
		}
	})
	t.Run("BatchRefusedWithoutGoTypes", func(t *testing.T) {
		req, _ := http.NewRequest("POST", f.client.url, strings.NewReader(` [{"query": "{ viewer { role } }"}, {"query": "{ viewer { name } }"}]`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+f.tokens["admin"])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 400 || !strings.Contains(string(b), "BAD_USER_INPUT") || strings.Contains(string(b), "graphql.") {
			t.Errorf("a batch: %d %s", res.StatusCode, b)
		}
	})
	t.Run("BearerSchemeIsCaseInsensitive", func(t *testing.T) {
		for _, scheme := range []string{"bearer", "BEARER", "Bearer"} {
			body, _ := json.Marshal(map[string]any{"query": "{ viewer { role } }"})
			req, _ := http.NewRequest("POST", f.client.url, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", scheme+" "+f.tokens["admin"])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Errorf("%s: %d", scheme, res.StatusCode)
			}
		}
	})
	t.Run("PersistedQueries", func(t *testing.T) {
		q := `{ viewer { role } }`
		sum := sha256.Sum256([]byte(q))
		ext := func(hash string) map[string]any {
			return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
		}
		send := func(query string, extensions map[string]any) gqlResponse {
			_, res := f.client.send(f.tokens["admin"], map[string]any{"query": query, "extensions": extensions})
			return res
		}
		hash := hex.EncodeToString(sum[:])
		if res := send("", ext(strings.Repeat("0", 64))); res.code() != "PERSISTED_QUERY_NOT_FOUND" {
			t.Errorf("unknown hash: %q %+v", res.code(), res.Errors)
		}
		if res := send(q, ext(hash)); res.code() != "" || get(res.Data, "viewer", "role") != "ADMIN" {
			t.Errorf("document with its hash: %+v %v", res.Errors, res.Data)
		}
		if res := send("", ext(hash)); res.code() != "" || get(res.Data, "viewer", "role") != "ADMIN" {
			t.Errorf("hash alone, once known: %+v %v", res.Errors, res.Data)
		}
		if res := send(q, ext(strings.Repeat("1", 64))); res.code() != "BAD_USER_INPUT" || !strings.Contains(res.Errors[0].Message, "hash does not match") {
			t.Errorf("hash of another document: %q %+v", res.code(), res.Errors)
		}
	})
	t.Run("Viewer", func(t *testing.T) {
		_, res := f.client.do(f.tokens["rep"], `{ viewer { name role repId } }`, nil)
		if get(res.Data, "viewer", "role") != "REP" || get(res.Data, "viewer", "repId") != f.ns+"rep-1" {
			t.Fatalf("%v %+v", res.Data, res.Errors)
		}
	})
	t.Run("RevokedToken", func(t *testing.T) {
		tok, secret, err := f.store.CreateToken(context.Background(), f.ns+"temp", valuegraph.AccessAnalyst, "")
		if err != nil {
			t.Fatal(err)
		}
		if status, _ := f.client.do(secret, `{ viewer { role } }`, nil); status != 200 {
			t.Fatalf("fresh token: %d", status)
		}
		if err := f.store.RevokeToken(context.Background(), tok.ID); err != nil {
			t.Fatal(err)
		}
		if status, res := f.client.do(secret, `{ viewer { role } }`, nil); status != 401 || res.code() != "UNAUTHENTICATED" {
			t.Fatalf("revoked token: %d %s", status, res.code())
		}
	})
	t.Run("TimedOut", func(t *testing.T) {
		// A request out of time before it runs gets 503 TIMEOUT. (A field
		// whose query Neo4j stops at the deadline answers TIMEOUT
		// too: graph's TestQueryRowsAndDeadline.)
		srv := httptest.NewServer(resolvers.NewHandler(&resolvers.Resolver{Graph: f.store}, resolvers.Options{Timeout: time.Nanosecond, MaxInFlight: -1}))
		defer srv.Close()
		status, res := apiClient{t: t, url: srv.URL}.do(f.tokens["admin"], `{ viewer { role } customers(first: 1) { edges { cursor } } }`, nil)
		if status != 503 || res.code() != "TIMEOUT" {
			t.Fatalf("%d %s %v %+v, want 503 TIMEOUT", status, res.code(), res.Data, res.Errors)
		}
	})
	t.Run("Transport", func(t *testing.T) {
		post := func(body, accept string) (int, string, string) {
			req, _ := http.NewRequest("POST", f.client.url, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+f.tokens["admin"])
			if accept != "" {
				req.Header.Set("Accept", accept)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if !json.Valid(b) {
				t.Fatalf("not JSON: %s", b)
			}
			return res.StatusCode, res.Header.Get("Content-Type"), string(b)
		}
		if status, typ, body := post(`{"query": "{ viewer { role } }"}`, ""); status != 200 || typ != "application/json" || body != `{"data":{"viewer":{"role":"ADMIN"}}}` {
			t.Errorf("plain query: %d %s %s", status, typ, body)
		}
		// Errors come first, then the data (as gqlgen writes them).
		if status, _, body := post(`{"query": "{ viewer { role } reviewQueue(first: 1000) { id } }"}`, ""); status != 200 ||
			!strings.HasPrefix(body, `{"errors":[{"message":"first: must be between 1 and 500`) || !strings.HasSuffix(body, `"data":null}`) {
			t.Errorf("partial answer: %d %s", status, body)
		}
		if status, _, body := post(`{"query": "{ viewer { role } }", "variables": [1, 2]`, ""); status != 400 || !strings.Contains(body, "could not be decoded") {
			t.Errorf("broken body: %d %s", status, body)
		}
		if status, _, body := post(`{"query": "{ viewer { role } }", "variables": {"pad": "`+strings.Repeat("x", 17<<20)+`"}}`, ""); status != 413 || !strings.Contains(body, "more than 16 MiB") {
			t.Errorf("huge body: %d %.300s", status, body)
		}
		// A large answer is compressed for a client that accepts gzip.
		big := `{"query": "{ __schema { types { name description fields { name description } } } }"}`
		for _, enc := range []string{"gzip", "gzip;q=0", ""} {
			req, _ := http.NewRequest("POST", f.client.url, strings.NewReader(big))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+f.tokens["admin"])
			req.Header.Set("Accept-Encoding", enc)
			res, err := http.DefaultTransport.RoundTrip(req) // no transparent decompression
			if err != nil {
				t.Fatal(err)
			}
			var r io.Reader = res.Body
			if res.Header.Get("Content-Encoding") == "gzip" {
				if r, err = gzip.NewReader(res.Body); err != nil {
					t.Fatal(err)
				}
			}
			var out gqlResponse
			err = json.NewDecoder(r).Decode(&out)
			res.Body.Close()
			if err != nil || len(get(out.Data, "__schema", "types").([]any)) < 20 {
				t.Errorf("Accept-Encoding %q: %v %+v", enc, err, out.Errors)
			}
			if got, want := res.Header.Get("Content-Encoding"), map[string]string{"gzip": "gzip"}[enc]; got != want {
				t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", enc, got, want)
			}
		}
		// GET runs queries (a persisted one by its hash alone: a URL a cache
		// can keep), answered as POST is; it refuses mutations.
		fetch := func(params url.Values) (int, http.Header, string) {
			req, _ := http.NewRequest("GET", f.client.url+"?"+params.Encode(), nil)
			req.Header.Set("Authorization", "Bearer "+f.tokens["admin"])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, res.Header, string(b)
		}
		if status, _, body := fetch(url.Values{"query": {`query($id: ID!) { customer(id: $id) { name } }`}, "variables": {`{"id": "` + f.ns + `huaxin"}`}}); status != 200 || body != `{"data":{"customer":{"name":"重庆华信冷链物流有限公司"}}}` {
			t.Errorf("GET query: %d %s", status, body)
		}
		if status, _, body := fetch(url.Values{"query": {`{ viewer { role } }`}, "variables": {`{"id": `}}); status != 400 || !strings.Contains(body, "variables could not be decoded") {
			t.Errorf("GET with broken variables: %d %s", status, body)
		}
		if status, _, body := fetch(url.Values{"query": {`mutation { assignOwner(customerId: "x", repId: "y") { id } }`}}); status != 406 || !strings.Contains(body, "only allow query operations") {
			t.Errorf("GET mutation: %d %s", status, body)
		}
		viewer := `{ viewer { name role } }`
		sum := sha256.Sum256([]byte(viewer))
		apq := url.Values{"extensions": {`{"persistedQuery": {"version": 1, "sha256Hash": "` + hex.EncodeToString(sum[:]) + `"}}`}}
		if _, _, body := fetch(apq); !strings.Contains(body, "PERSISTED_QUERY_NOT_FOUND") {
			t.Errorf("GET by an unknown hash: %s", body)
		}
		apq.Set("query", viewer)
		fetch(apq)
		apq.Del("query")
		if status, _, body := fetch(apq); status != 200 || !strings.Contains(body, `"role":"ADMIN"`) {
			t.Errorf("GET by a known hash: %d %s", status, body)
		}
		if status, typ, body := post(`{"query": "{ nosuchfield }"}`, "application/graphql-response+json"); status != 400 || typ != "application/graphql-response+json" || !strings.Contains(body, "GRAPHQL_VALIDATION_FAILED") {
			t.Errorf("invalid query, graphql-response+json: %d %s %s", status, typ, body)
		}
	})
	t.Run("SchemaIsDocumented", func(t *testing.T) {
		_, res := f.client.do(f.tokens["admin"], `{ __type(name: "Customer") { description fields { name description } } }`, nil)
		typ := get(res.Data, "__type")
		if d, _ := get(typ, "description").(string); d == "" {
			t.Fatalf("Customer has no description: %v %+v", typ, res.Errors)
		}
		for _, fl := range get(typ, "fields").([]any) {
			if name := get(fl, "name"); name != "id" && get(fl, "description") == nil {
				t.Errorf("Customer.%v has no description", name)
			}
		}
	})
}

// Full-text search text is bounded before it reaches Neo4j, in every
// argument that searches: a megabyte of it held Neo4j at full CPU for a
// minute, and tens of kilobytes answered INTERNAL (TooManyClauses).
func TestSearchTextBounded(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	if _, err := f.store.UpsertCompetitors(context.Background(), []valuegraph.Competitor{{ID: f.ns + "aliyun", Name: "阿里云", Aliases: []string{"Alibaba Cloud"}}}); err != nil {
		t.Fatal(err)
	}
	search := `query($t: String!) { search(text: $t, first: 5) { kind id name } }`
	list := `query($t: String) { customers(first: 5, filter: {text: $t}) { edges { node { id name } } } }`
	for _, tc := range []struct{ name, text, message string }{
		{"ErrTooLong", strings.Repeat("华信", 101), "at most 200 characters, got 202"},
		{"ErrMegabyte", strings.Repeat("x", 1<<20), "at most 200 characters, got 1048576"},
		{"ErrTooManyWords", strings.Repeat("冷链 ", 33), "at most 32 words, got 33"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range []struct{ query, field string }{{search, "text"}, {list, "filter.text"}} {
				_, res := f.client.do(f.tokens["admin"], c.query, map[string]any{"t": tc.text})
				if res.code() != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != c.field || !strings.Contains(res.Errors[0].Message, tc.message) {
					t.Errorf("%s: %+v, want BAD_USER_INPUT on %s: %s", c.field, res.Errors, c.field, tc.message)
				}
			}
		})
	}
	for _, tc := range []struct{ name, text string }{
		{"Chinese", "华信冷链"},
		{"English", "ALIBABA cloud"},
		{"LuceneSyntaxIsText", `华信冷链 AND (~ "*:`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, res := f.client.do(f.tokens["admin"], search, map[string]any{"t": tc.text})
			if len(res.Errors) > 0 {
				t.Fatalf("search %q: %+v", tc.text, res.Errors)
			}
			want := map[string]string{"English": f.ns + "aliyun"}[tc.name]
			if want == "" {
				want = f.ns + "huaxin"
			}
			var found bool
			for _, h := range get(res.Data, "search").([]any) {
				found = found || get(h, "id") == want
			}
			if !found {
				t.Errorf("search %q: %v, want %s", tc.text, get(res.Data, "search"), want)
			}
			if tc.name == "English" {
				return // a competitor: not in the customer list
			}
			_, res = f.client.do(f.tokens["admin"], list, map[string]any{"t": tc.text})
			if len(res.Errors) > 0 || get(res.Data, "customers", "edges", 0, "node", "id") != f.ns+"huaxin" {
				t.Errorf("customers with text %q: %v %+v", tc.text, res.Data, res.Errors)
			}
		})
	}
}

func TestAssessmentExplains(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	m, err := scoring.Load(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
	sigs, err := f.store.ScoringSignals(ctx, f.ns+"huaxin", now.AddDate(-2, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.WriteAssessment(ctx, m.Assess(f.ns+"huaxin", m.Compute(sigs, now), now)); err != nil {
		t.Fatal(err)
	}
	q := `query($id: ID!) { customer(id: $id) { stage tier risks { replacement }
	  assessment { modelVersion stage stageConfidence
	    stageWhy { score reasons { factor contribution zh en evidence { id kind trust } } }
	    replacementWhy { score reasons { factor contribution } }
	    tierWhy { score reasons { factor contribution } } tierScore } } }`
	code, res := f.client.do(f.tokens["rep"], q, map[string]any{"id": f.ns + "huaxin"})
	if code != 200 || len(res.Errors) > 0 {
		t.Fatalf("%d %+v", code, res.Errors)
	}
	a := get(res.Data, "customer", "assessment")
	if get(a, "stage") != "SELECTING" || get(res.Data, "customer", "stage") != "SELECTING" {
		t.Errorf("stage %v (customer %v), want SELECTING after a tender", get(a, "stage"), get(res.Data, "customer", "stage"))
	}
	for _, part := range []string{"stageWhy", "replacementWhy", "tierWhy"} {
		sum := 0.0
		for _, r := range get(a, part, "reasons").([]any) {
			sum += get(r, "contribution").(float64)
		}
		if score := get(a, part, "score").(float64); math.Abs(sum-score) > 1e-9 {
			t.Errorf("%s: reasons add up to %v, score %v", part, sum, score)
		}
	}
	top := get(a, "stageWhy", "reasons", 0)
	if get(top, "factor") != "tender" || get(top, "evidence", 0, "id") != f.ns+"s1" || get(top, "evidence", 0, "trust") != "L2" {
		t.Errorf("top stage reason %v", top)
	}
	if zh, _ := get(top, "zh").(string); !strings.Contains(zh, "招标") {
		t.Errorf("reason in Chinese %q", zh)
	}
	// The replacement risk sees the forum post looking for an alternative to 阿里云.
	if r := get(res.Data, "customer", "risks", "replacement").(float64); r < 0.1 {
		t.Errorf("replacement risk %v", r)
	}
}

func TestBrief(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	if _, err := f.store.UpsertNeeds(ctx, []valuegraph.Need{{ID: f.ns + "coldchain", Name: "冷链时效"}, {ID: f.ns + "gmp", Name: "GMP合规追溯"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpsertOfferings(ctx, []valuegraph.Offering{{ID: f.ns + "o1", Name: "冷链全程温控监测", NeedIDs: []string{f.ns + "coldchain"}}}); err != nil {
		t.Fatal(err)
	}
	recent := time.Now().Add(-48 * time.Hour)
	if _, err := f.store.UpsertSignals(ctx, []valuegraph.Signal{
		{ID: f.ns + "n1", Kind: valuegraph.SignalCRMNote, Title: "拜访：关注温控实时性", Source: f.ns + "crm", Trust: 1, OccurredAt: recent.Add(-24 * time.Hour), CustomerIDs: []string{f.ns + "huaxin"}, NeedIDs: []string{f.ns + "coldchain"}},
		{ID: f.ns + "n2", Kind: valuegraph.SignalProcurementIntent, Title: "温控平台采购意向", Text: "拟采购冷链温控监测平台一套", Source: f.ns + "ccgp", Trust: 2, OccurredAt: recent, CustomerIDs: []string{f.ns + "huaxin"}, NeedIDs: []string{f.ns + "coldchain"}},
		{ID: f.ns + "n3", Kind: valuegraph.SignalForumPost, Title: "GMP 追溯怎么做", Source: f.ns + "forum", Trust: 3, OccurredAt: recent.AddDate(0, -6, 0), CustomerIDs: []string{f.ns + "huaxin"}, NeedIDs: []string{f.ns + "gmp"}},
	}); err != nil {
		t.Fatal(err)
	}
	q := `query($id: ID!) { brief(customerId: $id) {
	  customer { name } lastVisit
	  painPoints { need { name } strength bestTrust offerings { name } evidence { id } }
	  decisionMakers { person { name phone } change }
	  changes { id } talkingPoints { zh whyZh evidence { id } } markdown(lang: EN) } }`
	vars := map[string]any{"id": f.ns + "huaxin"}
	_, res := f.client.do(f.tokens["rep"], q, vars)
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	b := get(res.Data, "brief")
	if get(b, "painPoints", 0, "need", "name") != "冷链时效" || get(b, "painPoints", 0, "bestTrust") != "L1" || get(b, "painPoints", 0, "offerings", 0, "name") != "冷链全程温控监测" {
		t.Errorf("top pain point %v", get(b, "painPoints", 0))
	}
	if get(b, "painPoints", 1, "need", "name") != "GMP合规追溯" || get(b, "painPoints", 1, "offerings") == nil {
		t.Errorf("second pain point %v", get(b, "painPoints", 1))
	}
	// Since the last visit (the CRM note) only the procurement intention is new.
	if ch := get(b, "changes").([]any); len(ch) != 1 || get(ch[0], "id") != f.ns+"n2" {
		t.Errorf("changes %v (last visit %v)", ch, get(b, "lastVisit"))
	}
	// The brief reads its signals as summaries unless their text, parties or
	// products are asked for.
	_, whole := f.client.do(f.tokens["rep"], `query($id: ID!) { brief(customerId: $id) { changes { id title text parties { role id } } } }`, vars)
	if len(whole.Errors) > 0 {
		t.Fatal(whole.Errors)
	}
	if ch := get(whole.Data, "brief", "changes", 0); get(ch, "text") != "拟采购冷链温控监测平台一套" || get(ch, "title") != "温控平台采购意向" ||
		get(ch, "parties", 0, "id") != f.ns+"huaxin" {
		t.Errorf("changes read whole: %v", ch)
	}
	tp := get(b, "talkingPoints", 0)
	if zh, _ := get(tp, "zh").(string); !strings.Contains(zh, "冷链全程温控监测") || len(get(tp, "evidence").([]any)) != 2 {
		t.Errorf("first talking point %v", tp)
	}
	var alt bool
	for _, p := range get(b, "talkingPoints").([]any) {
		if strings.Contains(get(p, "zh").(string), "阿里云") {
			alt = true
		}
	}
	if !alt {
		t.Errorf("no talking point about the search for an alternative to 阿里云: %v", get(b, "talkingPoints"))
	}
	md, _ := get(b, "markdown").(string)
	for _, want := range []string{"# Pre-visit brief — 重庆华信冷链物流有限公司", "Lead with 冷链全程温控监测", "023-1234"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}

	t.Run("OtherRepForbidden", func(t *testing.T) {
		f.client.do(f.tokens["rep2"], `{ viewer { name } }`, nil) // the token checked and remembered
		before := f.store.RoundTrips()
		_, res := f.client.do(f.tokens["rep2"], q, vars)
		if res.code() != "FORBIDDEN" {
			t.Fatalf("%+v", res.Errors)
		}
		// Access is checked before the brief is read: one indexed read.
		if n := f.store.RoundTrips() - before; n != 1 {
			t.Errorf("a refused brief cost %d round trips, want 1", n)
		}
	})
	t.Run("MarkdownEndpoint", func(t *testing.T) {
		srv := httptest.NewServer(routesForBriefs(f))
		defer srv.Close()
		fetch := func(token, path string) (int, string) {
			req, _ := http.NewRequest("GET", srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var b strings.Builder
			_, _ = io.Copy(&b, res.Body)
			return res.StatusCode, b.String()
		}
		code, body := fetch(f.tokens["analyst"], "/briefs/"+f.ns+"huaxin.md")
		if code != 200 || !strings.Contains(body, "# 本次沟通价值锚点清单") || strings.Contains(body, "023-1234") {
			t.Errorf("analyst: %d, contact data shown: %v\n%s", code, strings.Contains(body, "023-1234"), body)
		}
		if code, _ := fetch(f.tokens["rep2"], "/briefs/"+f.ns+"huaxin.md"); code != 403 {
			t.Errorf("other rep: %d", code)
		}
		if code, _ := fetch(f.tokens["admin"], "/briefs/"+f.ns+"nobody.md"); code != 404 {
			t.Errorf("unknown customer: %d", code)
		}
		if code, _ := fetch("vg_nope", "/briefs/"+f.ns+"huaxin.md"); code != 401 {
			t.Errorf("bad token: %d", code)
		}
	})
}

func routesForBriefs(f *fixture) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /briefs/{file}", resolvers.NewBriefHandler(&resolvers.Resolver{Graph: f.store}))
	return mux
}

// Contact data belongs to the customer it was given for: a person who left
// a rep's customer for another rep's shows no contact data under the old
// one (listed as past), and their new contact data only under the new one,
// to those who may see that customer's; an address given for the old
// employer never follows them to the new one.
func TestContactDataStaysWithItsCustomer(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	oldCo, newCo := f.ns+"huaxin", f.ns+"c0" // rep-1's, rep-2's
	// 赵明 (023-1234, zhao@example.com at huaxin) moves with new contact
	// data; 钱进 moves without any.
	if _, err := f.store.UpsertPeople(ctx, []valuegraph.Person{
		{ID: f.ns + "qian", Name: "钱进", Title: "采购经理", CustomerID: oldCo, Phone: "023-5555", Email: "qian@huaxin.example"},
	}); err != nil {
		t.Fatal(err)
	}
	moved := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second)
	if _, err := f.store.UpsertPeople(ctx, []valuegraph.Person{
		{ID: f.ns + "zhao", Name: "赵明", CustomerID: newCo, Since: moved, Phone: "021-9999", Email: "zhao@new.example"},
		{ID: f.ns + "qian", Name: "钱进", CustomerID: newCo, Since: moved},
	}); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"021-9999", "zhao@new.example", "023-1234", "zhao@example.com", "023-5555", "qian@huaxin.example"}
	peopleQ := `query($id: ID!) { customer(id: $id) { people { name email phone until } } }`
	people := func(t *testing.T, role, customer string) map[string]any {
		t.Helper()
		code, res := f.client.do(f.tokens[role], peopleQ, map[string]any{"id": customer})
		if code != 200 || len(res.Errors) > 0 {
			t.Fatalf("%s: %d %+v", role, code, res.Errors)
		}
		out := map[string]any{}
		for _, p := range get(res.Data, "customer", "people").([]any) {
			out[get(p, "name").(string)] = p
		}
		return out
	}

	t.Run("OldCustomer", func(t *testing.T) {
		for _, role := range []string{"rep", "manager", "admin", "analyst"} {
			ps := people(t, role, oldCo)
			for _, name := range []string{"赵明", "钱进"} {
				p := ps[name]
				if p == nil || get(p, "until") == nil || get(p, "email") != nil || get(p, "phone") != nil {
					t.Errorf("%s sees %s at the customer they left as %v, want past with no contact data", role, name, p)
				}
			}
		}
	})
	t.Run("NewCustomer", func(t *testing.T) {
		for role, want := range map[string][2]any{
			"rep2": {"021-9999", "zhao@new.example"}, "manager": {"021-9999", "zhao@new.example"},
			"admin": {"021-9999", "zhao@new.example"}, "analyst": {nil, nil}, "rep": {nil, nil},
		} {
			ps := people(t, role, newCo)
			if z := ps["赵明"]; z == nil || get(z, "until") != nil || get(z, "phone") != want[0] || get(z, "email") != want[1] {
				t.Errorf("%s sees 赵明 at the new customer as %v, want current with %v", role, z, want)
			}
			// Given for huaxin: not shown under the new employer.
			if q := ps["钱进"]; q == nil || get(q, "phone") != nil || get(q, "email") != nil {
				t.Errorf("%s sees 钱进 at the new customer as %v, want no contact data", role, q)
			}
		}
	})
	t.Run("Brief", func(t *testing.T) {
		q := `query($id: ID!) { brief(customerId: $id) { decisionMakers { person { name email phone until } change } markdown(lang: EN) } }`
		_, res := f.client.do(f.tokens["rep"], q, map[string]any{"id": oldCo})
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		var left int
		for _, dm := range get(res.Data, "brief", "decisionMakers").([]any) {
			if name := get(dm, "person", "name"); name == "赵明" || name == "钱进" {
				left++
				if get(dm, "change") != "left" || get(dm, "person", "email") != nil || get(dm, "person", "phone") != nil {
					t.Errorf("brief's %v, want left with no contact data", dm)
				}
			}
		}
		if left != 2 {
			t.Errorf("brief lists %d of the 2 who left: %v", left, get(res.Data, "brief", "decisionMakers"))
		}
		md, _ := get(res.Data, "brief", "markdown").(string)
		for _, s := range secrets {
			if strings.Contains(md, s) {
				t.Errorf("brief's markdown shows %q:\n%s", s, md)
			}
		}
	})
	t.Run("MarkdownEndpoint", func(t *testing.T) {
		srv := httptest.NewServer(routesForBriefs(f))
		defer srv.Close()
		fetch := func(role, customer string) string {
			t.Helper()
			req, _ := http.NewRequest("GET", srv.URL+"/briefs/"+customer+".md?lang=en", nil)
			req.Header.Set("Authorization", "Bearer "+f.tokens[role])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != 200 {
				t.Fatalf("%s: %d %s", role, res.StatusCode, b)
			}
			return string(b)
		}
		body := fetch("rep", oldCo)
		for _, s := range secrets {
			if strings.Contains(body, s) {
				t.Errorf("rep's markdown brief of the old customer shows %q:\n%s", s, body)
			}
		}
		if body := fetch("rep2", newCo); !strings.Contains(body, "021-9999 zhao@new.example") || strings.Contains(body, "023-5555") {
			t.Errorf("rep2's markdown brief of the new customer, want 赵明's new contact data only:\n%s", body)
		}
		if body := fetch("analyst", newCo); strings.Contains(body, "021-9999") || strings.Contains(body, "zhao@new.example") {
			t.Errorf("analyst's markdown brief shows contact data:\n%s", body)
		}
	})
}

// Feedback is applied at once: the next brief no longer counts a person who
// left or a signal the rep called irrelevant.
func TestFeedbackChangesTheBrief(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	submit := `mutation($in: FeedbackInput!) { submitFeedback(input: $in) { id kind author createdAt stage } }`
	briefQ := `query($id: ID!) { brief(customerId: $id) { decisionMakers { person { name } change } competitors { competitor { name } mentions } talkingPoints { zh } } }`
	vars := map[string]any{"id": f.ns + "huaxin"}
	talks := func() string {
		_, res := f.client.do(f.tokens["rep"], briefQ, vars)
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		var out []string
		for _, tp := range get(res.Data, "brief", "talkingPoints").([]any) {
			out = append(out, get(tp, "zh").(string))
		}
		return strings.Join(out, " | ")
	}
	before := talks()
	if !strings.Contains(before, "阿里云") || strings.Contains(before, "离任") {
		t.Fatalf("talking points before: %s", before)
	}

	_, res := f.client.do(f.tokens["rep"], submit, map[string]any{"in": map[string]any{"kind": "PERSON_LEFT", "customerId": f.ns + "huaxin", "personId": f.ns + "zhao", "text": "赵总已离职"}})
	if len(res.Errors) > 0 || get(res.Data, "submitFeedback", "kind") != "PERSON_LEFT" || get(res.Data, "submitFeedback", "author") != f.ns+"rep" {
		t.Fatalf("%v %+v", res.Data, res.Errors)
	}
	_, res = f.client.do(f.tokens["rep"], submit, map[string]any{"in": map[string]any{"kind": "SIGNAL_IRRELEVANT", "customerId": f.ns + "huaxin", "signalId": f.ns + "s2"}})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	after := talks()
	if strings.Contains(after, "阿里云") || !strings.Contains(after, "确认赵明离任后的接替人") {
		t.Errorf("talking points after feedback: %s", after)
	}
	// The departure is news: an exec_change signal from the rep, which
	// scoring counts as a decision-maker change.
	n, err := f.store.Neighbourhood(context.Background(), f.ns+"huaxin", graph.NeighbourhoodOptions{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var left *valuegraph.Signal
	for i := range n.Signals {
		if n.Signals[i].Kind == valuegraph.SignalExecChange {
			left = &n.Signals[i]
		}
	}
	if left == nil || !strings.Contains(left.Title, "赵明（副总经理）") || left.Trust != valuegraph.TrustL3 || left.Source != graph.FeedbackSource ||
		len(left.PersonIDs) != 1 || left.Text != "赵总已离职" {
		t.Errorf("the departure as a signal: %+v", left)
	}
	_, res = f.client.do(f.tokens["rep"], briefQ, vars)
	if m := get(res.Data, "brief", "competitors", 0, "mentions"); m != 1.0 {
		t.Errorf("阿里云 mentioned by %v signals after one was detached, want 1", m)
	}

	_, res = f.client.do(f.tokens["manager"], submit, map[string]any{"in": map[string]any{"kind": "WRONG_STAGE", "customerId": f.ns + "huaxin", "stage": "PLANNING"}})
	if get(res.Data, "submitFeedback", "stage") != "PLANNING" {
		t.Errorf("wrong_stage: %v %+v", res.Data, res.Errors)
	}
	stored, err := f.store.Feedbacks(context.Background(), f.ns+"huaxin", nil, 10)
	if err != nil || len(stored) != 3 || stored[0].Kind != valuegraph.FeedbackWrongStage {
		t.Errorf("stored feedback %+v, %v", stored, err)
	}

	for _, tc := range []struct {
		name, token string
		in          map[string]any
		code        string
	}{
		{"NotYourCustomer", f.tokens["rep2"], map[string]any{"kind": "NO_INTENT", "customerId": f.ns + "huaxin"}, "FORBIDDEN"},
		{"StageMissing", f.tokens["admin"], map[string]any{"kind": "WRONG_STAGE", "customerId": f.ns + "huaxin"}, "BAD_USER_INPUT"},
		{"SignalNotAboutCustomer", f.tokens["admin"], map[string]any{"kind": "WRONG_ENTITY", "customerId": f.ns + "huaxin", "signalId": f.ns + "nosuch"}, "NOT_FOUND"},
		{"UnknownCustomer", f.tokens["admin"], map[string]any{"kind": "NO_INTENT", "customerId": f.ns + "nobody"}, "NOT_FOUND"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, res := f.client.do(tc.token, submit, map[string]any{"in": tc.in})
			if res.code() != tc.code {
				t.Fatalf("%+v, want %s", res.Errors, tc.code)
			}
		})
	}
}

func TestResolveReviewAndAssignOwner(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	ns := f.ns
	// An ambiguous mention left a provisional customer with a signal, and a review.
	if _, err := f.store.UpsertCustomers(ctx, []valuegraph.Customer{{ID: ns + "prov", Name: "重庆华信冷链科技物流有限公司"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpsertSignals(ctx, []valuegraph.Signal{{ID: ns + "ps", Kind: valuegraph.SignalTender, Title: "冷链车辆租赁", Source: ns + "ccgp",
		Trust: 2, OccurredAt: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), CustomerIDs: []string{ns + "prov"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpsertPeople(ctx, []valuegraph.Person{{ID: ns + "qin", Name: "秦岚", CustomerID: ns + "prov", Phone: "023-7777"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.AddReviews(ctx, []valuegraph.Review{{ID: ns + "review-1", Name: "重庆华信冷链科技物流有限公司", Key: "x", Source: "test",
		Reason: "too close to call", ProvisionalID: ns + "prov",
		Candidates: []valuegraph.ReviewCandidate{{OrgRef: valuegraph.OrgRef{Kind: "Customer", ID: ns + "huaxin"}, Score: 0.85}, {OrgRef: valuegraph.OrgRef{Kind: "Customer", ID: ns + "c1"}, Score: 0.8}}}}); err != nil {
		t.Fatal(err)
	}
	resolve := `mutation($id: ID!, $c: ID) { resolveReview(id: $id, candidateId: $c) { id status } }`
	if _, res := f.client.do(f.tokens["rep"], resolve, map[string]any{"id": ns + "review-1", "c": ns + "huaxin"}); res.code() != "FORBIDDEN" {
		t.Errorf("rep resolving a review: %+v", res.Errors)
	}
	if _, res := f.client.do(f.tokens["analyst"], resolve, map[string]any{"id": ns + "review-1", "c": ns + "nobody"}); res.code() != "BAD_USER_INPUT" {
		t.Errorf("accepting a non-candidate: %+v", res.Errors)
	}
	_, res := f.client.do(f.tokens["analyst"], resolve, map[string]any{"id": ns + "review-1", "c": ns + "huaxin"})
	if len(res.Errors) > 0 || get(res.Data, "resolveReview", "status") != "ACCEPTED" {
		t.Fatalf("%v %+v", res.Data, res.Errors)
	}
	// The provisional customer is gone; its signal and name now belong to 华信.
	if _, err := f.store.Customer(ctx, ns+"prov"); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
		t.Errorf("provisional customer still there: %v", err)
	}
	sig, err := f.store.Signal(ctx, ns+"ps")
	if err != nil || len(sig.CustomerIDs) != 1 || sig.CustomerIDs[0] != ns+"huaxin" {
		t.Errorf("moved signal %+v, %v", sig, err)
	}
	c, _ := f.store.Customer(ctx, ns+"huaxin")
	if !slices.Contains(c.Aliases, "重庆华信冷链科技物流有限公司") {
		t.Errorf("aliases %v", c.Aliases)
	}
	// Its people and the contact data given for it too, seen by 华信's owner.
	_, res = f.client.do(f.tokens["rep"], customerQuery, map[string]any{"id": ns + "huaxin"})
	var qin any
	for _, p := range get(res.Data, "customer", "people").([]any) {
		if get(p, "name") == "秦岚" {
			qin = p
		}
	}
	if get(qin, "phone") != "023-7777" || get(qin, "until") != nil {
		t.Errorf("秦岚 at 华信 after the merge: %v (%+v)", qin, res.Errors)
	}
	if _, res := f.client.do(f.tokens["analyst"], resolve, map[string]any{"id": ns + "review-1", "c": ns + "huaxin"}); res.code() != "CONFLICT" {
		t.Errorf("deciding twice: %+v", res.Errors)
	}

	assign := `mutation($c: ID!, $r: ID!) { assignOwner(customerId: $c, repId: $r) { id owner { id } } }`
	if _, res := f.client.do(f.tokens["analyst"], assign, map[string]any{"c": ns + "huaxin", "r": ns + "rep-2"}); res.code() != "FORBIDDEN" {
		t.Errorf("analyst assigning: %+v", res.Errors)
	}
	// A rep no one knows (a typo) is refused, naming the argument, and nothing changes.
	if _, res := f.client.do(f.tokens["manager"], assign, map[string]any{"c": ns + "huaxin", "r": ns + "rep-typo"}); res.code() != "BAD_USER_INPUT" ||
		!strings.Contains(fmt.Sprint(res.Errors), "repId") {
		t.Errorf("assigning an unknown rep: %+v", res.Errors)
	}
	if n, _ := f.store.Count(ctx, "Rep", ns+"rep-typo"); n != 0 {
		t.Errorf("assigning an unknown rep made %d Rep nodes", n)
	}
	_, res = f.client.do(f.tokens["manager"], assign, map[string]any{"c": ns + "huaxin", "r": ns + "rep-2"})
	if get(res.Data, "assignOwner", "owner", "id") != ns+"rep-2" {
		t.Fatalf("%v %+v", res.Data, res.Errors)
	}
	audits, err := f.store.Audits(ctx, ns+"huaxin", 10)
	if err != nil || len(audits) != 1 || audits[0].Actor != ns+"manager" || !strings.Contains(audits[0].Before, ns+"rep-1") {
		t.Errorf("audit %+v, %v", audits, err)
	}
	// The old owner's rep no longer sees contact data; the new one does.
	_, res = f.client.do(f.tokens["rep2"], customerQuery, map[string]any{"id": ns + "huaxin"})
	for _, p := range get(res.Data, "customer", "people").([]any) {
		if get(p, "name") == "赵明" && get(p, "phone") != "023-1234" {
			t.Errorf("the new owner does not see the phone: %v", p)
		}
	}

	// The merge was wrong after all: the analyst sees the merged name and
	// splits it off again, back to the provisional customer.
	_, res = f.client.do(f.tokens["analyst"], `query($c: ID!) { mergedNames(customerId: $c) { name rule links mergedFrom } }`, map[string]any{"c": ns + "huaxin"})
	names, _ := get(res.Data, "mergedNames").([]any)
	if len(names) != 1 || get(names[0], "name") != "重庆华信冷链科技物流有限公司" || get(names[0], "rule") != "review" || get(names[0], "mergedFrom") != ns+"prov" {
		t.Fatalf("merged names %v %+v", res.Data, res.Errors)
	}
	unmerge := `mutation($c: ID!, $n: String!) { unmerge(customerId: $c, name: $n) { from to { id name } links } }`
	if _, res := f.client.do(f.tokens["rep"], unmerge, map[string]any{"c": ns + "huaxin", "n": "重庆华信冷链科技物流有限公司"}); res.code() != "FORBIDDEN" {
		t.Errorf("rep unmerging: %+v", res.Errors)
	}
	if _, res := f.client.do(f.tokens["analyst"], unmerge, map[string]any{"c": ns + "huaxin", "n": "重庆华信冷链物流股份有限公司"}); res.code() != "BAD_USER_INPUT" {
		t.Errorf("unmerging the customer's own name: %+v", res.Errors)
	}
	_, res = f.client.do(f.tokens["analyst"], unmerge, map[string]any{"c": ns + "huaxin", "n": "重庆华信冷链科技物流有限公司"})
	if get(res.Data, "unmerge", "to", "id") != ns+"prov" || get(res.Data, "unmerge", "links").(float64) < 1 {
		t.Fatalf("unmerge %v %+v", res.Data, res.Errors)
	}
	if sig, err := f.store.Signal(ctx, ns+"ps"); err != nil || len(sig.CustomerIDs) != 1 || sig.CustomerIDs[0] != ns+"prov" {
		t.Errorf("signal after unmerge %+v, %v", sig, err)
	}
	if c, _ := f.store.Customer(ctx, ns+"huaxin"); slices.Contains(c.Aliases, "重庆华信冷链科技物流有限公司") || !slices.Contains(c.Aliases, "华信冷链") {
		t.Errorf("aliases after unmerge %v", c.Aliases)
	}
}

// A customer that ordered more moved up a tier; drift names it and why.
func TestDrift(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	m, _ := scoring.Load(nil, "")
	id := f.ns + "c3"
	score := func(at time.Time) {
		t.Helper()
		sigs, err := f.store.ScoringSignals(ctx, id, at.AddDate(-2, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.store.WriteAssessment(ctx, m.Assess(id, m.Compute(sigs, at), at)); err != nil {
			t.Fatal(err)
		}
	}
	then := time.Now().Add(-30 * 24 * time.Hour)
	score(then)
	var orders []valuegraph.Signal
	for i := range 12 {
		orders = append(orders, valuegraph.Signal{ID: fmt.Sprintf("%so%d", f.ns, i), Kind: valuegraph.SignalERPOrder, Source: f.ns + "erp",
			Trust: valuegraph.TrustL1, OccurredAt: time.Now().Add(-time.Duration(i*5+1) * 24 * time.Hour), CustomerIDs: []string{id}})
	}
	if _, err := f.store.UpsertSignals(ctx, orders); err != nil {
		t.Fatal(err)
	}
	score(time.Now())
	q := `query($since: Time!) { drift(since: $since) { customer { id } tierLevels stageLevels before { tier stage } after { tier stage } causes { score factor change en } } }`
	_, res := f.client.do(f.tokens["manager"], q, map[string]any{"since": then.Add(time.Hour).Format(time.RFC3339)})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	var mine any
	for _, d := range res.Data["drift"].([]any) {
		if get(d, "customer", "id") == id {
			mine = d
		}
	}
	if mine == nil || get(mine, "tierLevels").(float64) < 1 || get(mine, "causes", 0, "score") != "tier" {
		t.Fatalf("drift of %s: %v", id, mine)
	}
	if f := get(mine, "causes", 0, "factor"); f != "base" && f != "growth" {
		t.Errorf("top cause %v, want the purchase volume or growth", get(mine, "causes", 0))
	}
	if _, res := f.client.do(f.tokens["rep"], q, map[string]any{"since": then.Format(time.RFC3339)}); res.code() != "FORBIDDEN" {
		t.Errorf("rep reading drift: %+v", res.Errors)
	}

	// The same move in the customer's own history, newest first.
	hq := `query($id: ID!, $since: Time) { customer(id: $id) { history(since: $since) { at tier tierScore modelVersion } } }`
	_, res = f.client.do(f.tokens["manager"], hq, map[string]any{"id": id})
	h, _ := get(res.Data, "customer", "history").([]any)
	if len(h) != 2 || get(h[0], "tierScore").(float64) <= get(h[1], "tierScore").(float64) || get(h[0], "tier") == get(h[1], "tier") {
		t.Errorf("history %v %+v; want two snapshots, the newer higher", h, res.Errors)
	}
	_, res = f.client.do(f.tokens["manager"], hq, map[string]any{"id": id, "since": then.Add(time.Hour).Format(time.RFC3339)})
	if h, _ := get(res.Data, "customer", "history").([]any); len(h) != 1 {
		t.Errorf("history since after the first scoring: %v", h)
	}
	_, res = f.client.do(f.tokens["manager"], hq, map[string]any{"id": f.ns + "c5"})
	if h, ok := get(res.Data, "customer", "history").([]any); !ok || len(h) != 0 {
		t.Errorf("history of a customer never scored: %v %+v", res.Data, res.Errors)
	}
}

func TestExplore(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ns := f.ns
	q := `query($k: ID!, $from: ID!, $to: ID!, $c: ID!) {
	  competitorFootprint(competitorId: $k) { customer { id } signals won lastSeen }
	  paths(from: $from, to: $to, maxHops: 3) { nodes { kind id name } relationships }
	  signals(customerId: $c, kinds: [FORUM_POST]) { id kind }
	}`
	_, res := f.client.do(f.tokens["analyst"], q, map[string]any{"k": ns + "aliyun", "from": ns + "rep-1", "to": ns + "sun", "c": ns + "huaxin"})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	fp := get(res.Data, "competitorFootprint", 0)
	if get(fp, "customer", "id") != ns+"huaxin" || get(fp, "signals") != 2.0 || get(fp, "won") != false {
		t.Errorf("footprint %v", res.Data["competitorFootprint"])
	}
	path := get(res.Data, "paths", 0)
	if rels := get(path, "relationships"); fmt.Sprint(rels) != "[OWNS WORKS_AT]" || get(path, "nodes", 1, "id") != ns+"huaxin" {
		t.Errorf("path rep-1 -> 孙丽: %v", path)
	}
	if sigs := get(res.Data, "signals").([]any); len(sigs) != 1 || get(sigs[0], "id") != ns+"s2" {
		t.Errorf("forum signals %v", sigs)
	}
	// The rep owns huaxin, where 孙丽 works: the path goes rep → huaxin ← 孙丽.
	_, res = f.client.do(f.tokens["analyst"], `query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxHops: 3) { edges { from to type count } } }`,
		map[string]any{"from": ns + "rep-1", "to": ns + "sun"})
	var dirs []string
	for _, e := range get(res.Data, "paths", 0, "edges").([]any) {
		dirs = append(dirs, fmt.Sprint(strings.TrimPrefix(get(e, "from").(string), ns), "-", get(e, "type"), "->", strings.TrimPrefix(get(e, "to").(string), ns), " ", get(e, "count")))
	}
	if strings.Join(dirs, ", ") != "rep-1-OWNS->huaxin 1, sun-WORKS_AT->huaxin 1" {
		t.Errorf("path directions %v (%+v)", dirs, res.Errors)
	}
	// An unknown id is NOT_FOUND in every query around a node, not an empty list.
	for _, q := range []string{
		`{ paths(from: "nobody-x", to: "nobody-y") { relationships } }`,
		`{ neighbourhood(id: "nobody-x") { truncated } }`,
		`{ competitorFootprint(competitorId: "nobody-x") { signals } }`,
		`{ customersSharingNeed(needId: "nobody-x") { signals } }`,
		`{ signals(customerId: "nobody-x") { id } }`,
	} {
		if _, res := f.client.do(f.tokens["analyst"], q, nil); res.code() != "NOT_FOUND" {
			t.Errorf("%s: %+v", q, res.Errors)
		}
	}
	// A known node with nothing around it is an empty list.
	if _, res := f.client.do(f.tokens["analyst"], `query($c: ID!) { signals(customerId: $c) { id } }`, map[string]any{"c": ns + "c3"}); len(res.Errors) > 0 || len(get(res.Data, "signals").([]any)) != 0 {
		t.Errorf("signals of a customer without any: %v %+v", res.Data, res.Errors)
	}
	_, res = f.client.do(f.tokens["analyst"], `query($a: ID!) { paths(from: $a, to: $a, maxHops: 9) { relationships } }`, map[string]any{"a": ns + "huaxin"})
	if res.code() != "BAD_USER_INPUT" {
		t.Errorf("maxHops 9: %+v", res.Errors)
	}

	t.Run("IncompleteSignalSaysWhatItLacks", func(t *testing.T) {
		ctx := context.Background()
		sig := valuegraph.Signal{ID: ns + "inc", Kind: valuegraph.SignalAward, Title: "中标（成交）结果公告", Source: ns + "notices",
			Trust: valuegraph.TrustL2, OccurredAt: time.Now(), CustomerIDs: []string{ns + "huaxin"},
			Problems: []valuegraph.Problem{{Field: "buyer", Reason: "no buyer label in the metadata or the text"}, {Field: "amount", Reason: "no amount stated"}}}
		if _, err := f.store.UpsertSignals(ctx, []valuegraph.Signal{sig}); err != nil {
			t.Fatal(err)
		}
		_, res := f.client.do(f.tokens["analyst"], `query($s: ID!) { signal(id: $s) { problems { field reason } } }`, map[string]any{"s": ns + "inc"})
		ps, _ := get(res.Data, "signal", "problems").([]any)
		if len(ps) != 2 || get(ps[0], "field") != "buyer" || get(ps[1], "reason") != "no amount stated" {
			t.Errorf("problems %v (%+v)", ps, res.Errors)
		}
		_, res = f.client.do(f.tokens["analyst"], `query($s: ID!) { signal(id: $s) { problems { field } } }`, map[string]any{"s": ns + "s2"})
		if ps, ok := get(res.Data, "signal", "problems").([]any); !ok || len(ps) != 0 {
			t.Errorf("a whole record's problems: %v (%+v)", res.Data["signal"], res.Errors)
		}
	})

	t.Run("Products", func(t *testing.T) {
		ctx := context.Background()
		if _, err := f.store.UpsertProducts(ctx, []valuegraph.Product{{ID: ns + "ecs", Name: "阿里云ECS", Vendor: "阿里巴巴", CompetitorID: ns + "aliyun"},
			{ID: ns + "plm", Name: "我们的PLM", Ours: true}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.UpsertProducts(ctx, []valuegraph.Product{{ID: ns + "x", Name: "x", CompetitorID: ns + "nobody"}}); valuegraph.ErrorCode(err) != valuegraph.EINVALID {
			t.Errorf("a product of a competitor that does not exist: %v", err)
		}
		if _, err := f.store.UpsertSignals(ctx, []valuegraph.Signal{{ID: ns + "p1", Kind: valuegraph.SignalForumPost, Title: "ECS 换 PLM", Source: ns + "forum",
			Trust: valuegraph.TrustL3, OccurredAt: time.Now(), CustomerIDs: []string{ns + "huaxin"}, ProductIDs: []string{ns + "ecs", ns + "plm"}}}); err != nil {
			t.Fatal(err)
		}
		_, res := f.client.do(f.tokens["analyst"], `query($s: ID!, $p: ID!) { signal(id: $s) { attachments { url } products { id name vendor competitorId ours } } product(id: $p) { name ours } }`,
			map[string]any{"s": ns + "p1", "p": ns + "plm"})
		if att, ok := get(res.Data, "signal", "attachments").([]any); !ok || len(att) != 0 {
			t.Errorf("a signal without attachments: %v (%+v)", res.Data["signal"], res.Errors)
		}
		ps, _ := get(res.Data, "signal", "products").([]any)
		var got []string
		for _, p := range ps {
			got = append(got, fmt.Sprint(get(p, "name"), "|", get(p, "vendor"), "|", get(p, "competitorId"), "|", get(p, "ours")))
		}
		slices.Sort(got)
		if strings.Join(got, " ") != "我们的PLM|<nil>|<nil>|true 阿里云ECS|阿里巴巴|"+ns+"aliyun|false" || get(res.Data, "product", "ours") != true {
			t.Errorf("products %v, product %v (%+v)", got, res.Data["product"], res.Errors)
		}
	})
	t.Run("Neighbourhood", func(t *testing.T) {
		q := `query($id: ID!, $d: Int, $t: [NodeKind!], $n: Int) { neighbourhood(id: $id, depth: $d, types: $t, first: $n) {
		  root { id } nodes { kind id name } edges { from to type } truncated } }`
		_, res := f.client.do(f.tokens["analyst"], q, map[string]any{"id": ns + "aliyun", "d": 2, "t": []string{"SIGNAL", "CUSTOMER"}})
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		var nodes, edges []string
		for _, n := range get(res.Data, "neighbourhood", "nodes").([]any) {
			nodes = append(nodes, get(n, "kind").(string)+":"+strings.TrimPrefix(get(n, "id").(string), ns))
		}
		for _, e := range get(res.Data, "neighbourhood", "edges").([]any) {
			edges = append(edges, strings.TrimPrefix(get(e, "from").(string), ns)+"-"+get(e, "type").(string)+"->"+strings.TrimPrefix(get(e, "to").(string), ns))
		}
		slices.Sort(nodes[1:])
		slices.Sort(edges)
		// p1 (of the Products subtest) mentions aliyun's product, which
		// is passed through.
		if strings.Join(nodes, " ") != "Competitor:aliyun Customer:huaxin Signal:p1 Signal:s1 Signal:s2" {
			t.Errorf("nodes two hops from aliyun through signals and customers: %v", nodes)
		}
		if strings.Join(edges, " ") != "aliyun-VIA_PRODUCT->p1 s1-ABOUT->huaxin s1-MENTIONS->aliyun s2-ABOUT->huaxin s2-MENTIONS->aliyun" {
			t.Errorf("edges %v", edges)
		}
		if get(res.Data, "neighbourhood", "truncated") != false {
			t.Error("truncated without reaching the limit")
		}
		// Two hops of customers, competitors, needs and people: the
		// competitor comes through the two signals, which are not returned.
		_, res = f.client.do(f.tokens["analyst"], `query($id: ID!) { neighbourhood(id: $id, depth: 2, types: [CUSTOMER, COMPETITOR, NEED, PERSON]) {
		  nodes { kind id } edges { from to type count } } }`, map[string]any{"id": ns + "huaxin"})
		nodes, edges = nil, nil
		for _, n := range get(res.Data, "neighbourhood", "nodes").([]any) {
			nodes = append(nodes, get(n, "kind").(string)+":"+strings.TrimPrefix(get(n, "id").(string), ns))
		}
		for _, e := range get(res.Data, "neighbourhood", "edges").([]any) {
			edges = append(edges, fmt.Sprint(strings.TrimPrefix(get(e, "from").(string), ns), "-", get(e, "type"), "->", strings.TrimPrefix(get(e, "to").(string), ns), " ", get(e, "count")))
		}
		slices.Sort(nodes)
		slices.Sort(edges)
		if strings.Join(nodes, " ") != "Competitor:aliyun Customer:huaxin Person:sun Person:zhao" {
			t.Errorf("nodes two hops from huaxin through its signals: %v (%+v)", nodes, res.Errors)
		}
		if strings.Join(edges, ", ") != "huaxin-VIA_SIGNAL->aliyun 2, sun-REPORTS_TO->zhao 1, sun-WORKS_AT->huaxin 1, zhao-WORKS_AT->huaxin 1" {
			t.Errorf("edges two hops from huaxin: %v", edges)
		}
		// Counted by kind, most first: huaxin's signals (s1, s2, inc, p1), its two people, its rep.
		_, res = f.client.do(f.tokens["analyst"], `query($id: ID!) { neighbourCounts(id: $id) { kind count } }`, map[string]any{"id": ns + "huaxin"})
		var counts []string
		for _, c := range get(res.Data, "neighbourCounts").([]any) {
			counts = append(counts, fmt.Sprint(get(c, "kind"), ":", get(c, "count")))
		}
		if strings.Join(counts, " ") != "Signal:4 Person:2 Rep:1" {
			t.Errorf("neighbour counts of huaxin: %v (%+v)", counts, res.Errors)
		}
		if _, res = f.client.do(f.tokens["analyst"], `{ neighbourCounts(id: "nobody-x") { count } }`, nil); res.code() != "NOT_FOUND" {
			t.Errorf("neighbour counts of an unknown node: %+v", res.Errors)
		}
		// One hop of people only: the two who work there, not their reporting line.
		_, res = f.client.do(f.tokens["rep2"], q, map[string]any{"id": ns + "huaxin", "t": []string{"PERSON"}})
		if got := get(res.Data, "neighbourhood", "edges").([]any); len(got) != 2 || get(got[0], "type") != "WORKS_AT" {
			t.Errorf("people around huaxin: %v %+v", got, res.Errors)
		}
		_, res = f.client.do(f.tokens["analyst"], q, map[string]any{"id": ns + "huaxin", "n": 2})
		if get(res.Data, "neighbourhood", "truncated") != true || len(get(res.Data, "neighbourhood", "nodes").([]any)) != 2 {
			t.Errorf("limit 2: %v %+v", res.Data, res.Errors)
		}
		_, res = f.client.do(f.tokens["analyst"], q, map[string]any{"id": ns + "huaxin", "d": 4})
		if res.code() != "BAD_USER_INPUT" {
			t.Errorf("depth 4: %+v", res.Errors)
		}
		_, res = f.client.do(f.tokens["analyst"], q, map[string]any{"id": ns + "nobody"})
		if res.code() != "NOT_FOUND" {
			t.Errorf("unknown node: %+v", res.Errors)
		}
	})
}

// An admin activates a model version and rolls back from the web app's
// models page, as `valuegraph model activate|rollback` does: audited, and
// only admins.
func TestModelActivation(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	kind := f.ns + "models"
	for _, mv := range []valuegraph.ModelVersion{
		{Kind: kind, Version: "prior-t", TrainedAt: time.Unix(0, 0).UTC(), Status: valuegraph.ModelCandidate, Metrics: map[string]float64{"builtIn": 1}},
		{Kind: kind, Version: "v2", TrainedAt: time.Now().UTC(), TrainingSize: 120, Status: valuegraph.ModelCandidate,
			Metrics: map[string]float64{"accuracy": 0.71, "previousAccuracy": 0.64, "heldOut": 40}},
	} {
		if err := f.store.SaveModelVersion(ctx, mv); err != nil {
			t.Fatal(err)
		}
	}
	active := func() string {
		t.Helper()
		_, res := f.client.do(f.tokens["analyst"], `{ modelVersions { version status accuracy heldOut } }`, nil)
		var got []string
		for _, v := range get(res.Data, "modelVersions").([]any) {
			if get(v, "status") == "active" {
				got = append(got, get(v, "version").(string))
			}
		}
		return strings.Join(got, ",")
	}
	activate := `mutation($v: String!) { activateModel(version: $v) { version status } }`
	rollback := `mutation { rollbackModel { version status } }`
	for _, role := range []string{"rep", "analyst", "manager"} {
		if _, res := f.client.do(f.tokens[role], activate, map[string]any{"v": "v2"}); res.code() != "FORBIDDEN" {
			t.Errorf("%s activating: %+v", role, res.Errors)
		}
	}
	if got := active(); got != "" {
		t.Fatalf("active before any activation: %q", got)
	}
	_, res := f.client.do(f.tokens["admin"], activate, map[string]any{"v": "v2"})
	if get(res.Data, "activateModel", "version") != "v2" || get(res.Data, "activateModel", "status") != "active" || active() != "v2" {
		t.Errorf("activate v2: %v %+v, active %q", res.Data, res.Errors, active())
	}
	if _, res := f.client.do(f.tokens["admin"], activate, map[string]any{"v": "v9"}); res.code() != "NOT_FOUND" {
		t.Errorf("activate an unknown version: %+v", res.Errors)
	}
	// Nothing was active before v2: the rollback goes to the built-in priors.
	_, res = f.client.do(f.tokens["admin"], rollback, nil)
	if get(res.Data, "rollbackModel", "version") != "prior-t" || active() != "prior-t" {
		t.Errorf("rollback: %v %+v, active %q", res.Data, res.Errors, active())
	}
	// And back again: the version retired last.
	_, res = f.client.do(f.tokens["admin"], rollback, nil)
	if get(res.Data, "rollbackModel", "version") != "v2" || active() != "v2" {
		t.Errorf("second rollback: %v %+v, active %q", res.Data, res.Errors, active())
	}
}

// A browser asking for /graphql gets the IDE the server was given; a GET
// with a query, or a client asking for JSON, gets the API.
func TestIDEForBrowsers(t *testing.T) {
	ide := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "<title>the IDE</title>") })
	f := newFixture(t, resolvers.Options{IDE: ide})
	for _, tc := range []struct {
		name, query, accept string
		ide                 bool
	}{
		{"browser", "", "text/html,application/xhtml+xml", true},
		{"browser with a query", "?query=%7Bviewer%7Bname%7D%7D", "text/html,application/xhtml+xml", false},
		{"client", "", "application/json", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", f.client.url+tc.query, nil)
			req.Header.Set("Accept", tc.accept)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if got := strings.Contains(string(body), "the IDE"); got != tc.ide {
				t.Errorf("%d %.200s: the IDE %v, want %v", res.StatusCode, body, got, tc.ide)
			}
		})
	}
}

func TestIntegrationMutations(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ns := f.ns
	up := `mutation($in: CustomerInput!) { upsertCustomer(input: $in) { id name aliases identifiers { scheme value } region } }`
	in := map[string]any{"id": ns + "new", "name": "江苏新客户科技有限公司", "aliases": []string{"新客户"}, "uscc": "914403001922038216", "region": "江苏"}
	if _, res := f.client.do(f.tokens["rep"], up, map[string]any{"in": in}); res.code() != "FORBIDDEN" {
		t.Errorf("rep upserting: %+v", res.Errors)
	}
	_, res := f.client.do(f.tokens["admin"], up, map[string]any{"in": in})
	if len(res.Errors) > 0 || get(res.Data, "upsertCustomer", "identifiers", 0, "scheme") != "CN-USCC" || get(res.Data, "upsertCustomer", "region") != "江苏" {
		t.Fatalf("%v %+v", res.Data, res.Errors)
	}
	bad := map[string]any{"id": ns + "bad", "name": "坏", "uscc": "914403001922038217"}
	if _, res := f.client.do(f.tokens["admin"], up, map[string]any{"in": bad}); res.code() != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != "uscc" {
		t.Errorf("bad uscc: %+v", res.Errors)
	}

	// addSignal takes the webhook's path: the title is folded as a pushed one is.
	add := `mutation($in: SignalInput!) { addSignal(input: $in) { id kind trust title customerIds:parties { id rule } } }`
	sig := map[string]any{"id": "wp-1", "source": ns + "mkt", "kind": "WHITEPAPER_DOWNLOAD", "trust": "L3", "occurredAt": "2026-10-02T08:00:00Z",
		"title": "ＡＰＩ  白皮书下载", "customerName": "江苏新客户科技有限公司"}
	_, res = f.client.do(f.tokens["admin"], add, map[string]any{"in": sig})
	if len(res.Errors) > 0 || get(res.Data, "addSignal", "customerIds", 0, "id") != ns+"new" || get(res.Data, "addSignal", "trust") != "L3" ||
		get(res.Data, "addSignal", "title") != "API 白皮书下载" || get(res.Data, "addSignal", "kind") != "WHITEPAPER_DOWNLOAD" {
		t.Fatalf("%v %+v", res.Data, res.Errors)
	}
	noCustomer := map[string]any{"id": "wp-2", "source": ns + "mkt", "kind": "WHITEPAPER_DOWNLOAD", "trust": "L3", "occurredAt": "2026-10-02T08:00:00Z"}
	if _, res := f.client.do(f.tokens["admin"], add, map[string]any{"in": noCustomer}); res.code() != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != "customerId" {
		t.Errorf("a signal about no customer: %+v", res.Errors)
	}
	badUSCC := map[string]any{"id": "wp-3", "source": ns + "mkt", "kind": "WHITEPAPER_DOWNLOAD", "trust": "L3", "occurredAt": "2026-10-02T08:00:00Z", "customerUscc": "914403001922038217"}
	if _, res := f.client.do(f.tokens["admin"], add, map[string]any{"in": badUSCC}); res.code() != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != "customerUscc" {
		t.Errorf("a bad uscc: %+v", res.Errors)
	}
	if _, res = f.client.do(f.tokens["admin"], add, map[string]any{"in": sig}); len(res.Errors) > 0 {
		t.Errorf("adding the same signal again: %+v", res.Errors)
	}
	audits, _ := f.store.Audits(context.Background(), ns+"new", 5)
	if len(audits) != 1 || audits[0].Action != "upsertCustomer" {
		t.Errorf("audit %+v", audits)
	}
	// A source no one configured or crawled is named in a NOT_FOUND, not
	// answered true for a request the worker would drop.
	if _, res := f.client.do(f.tokens["admin"], `mutation { runCrawl(source: "no-such-portal") }`, nil); res.code() != "NOT_FOUND" ||
		!strings.Contains(fmt.Sprint(res.Errors[0].Message), `"no-such-portal"`) {
		t.Errorf("runCrawl of an unknown source: %+v", res.Errors)
	}
	// A configured one goes to the queue, which this server lacks.
	srv := httptest.NewServer(resolvers.NewHandler(&resolvers.Resolver{Graph: f.store, CrawlSources: []string{ns + "portal"}}, resolvers.Options{}))
	defer srv.Close()
	c := apiClient{t: t, url: srv.URL}
	if _, res := c.do(f.tokens["admin"], `mutation($s: String!) { runCrawl(source: $s) }`, map[string]any{"s": ns + "portal"}); res.code() != "UNAVAILABLE" {
		t.Errorf("runCrawl of a configured source without a queue: %+v", res.Errors)
	}
}

// With Neo4j unreachable, requests fail fast with UNAVAILABLE (503), and
// work again when it is back.
func TestUnavailableWhenNeo4jIsDown(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	cfg := graphtest.Config()
	target := strings.TrimPrefix(cfg.URI, "bolt://")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	down := false
	var conns []net.Conn
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if down {
				mu.Unlock()
				in.Close()
				continue
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				mu.Unlock()
				in.Close()
				continue
			}
			conns = append(conns, in, out)
			mu.Unlock()
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
	defer ln.Close()
	cfg.URI = "bolt://" + ln.Addr().String()
	cfg.Timeout = 2 * time.Second
	cfg.RetryTime = 3 * time.Second
	store, err := graph.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())
	srv := httptest.NewServer(resolvers.NewHandler(&resolvers.Resolver{Graph: store}, resolvers.Options{}))
	defer srv.Close()
	c := apiClient{t: t, url: srv.URL}
	if status, res := c.do(f.tokens["admin"], `{ viewer { role } }`, nil); status != 200 || len(res.Errors) > 0 {
		t.Fatalf("up: %d %+v", status, res.Errors)
	}
	mu.Lock()
	down = true
	for _, conn := range conns {
		conn.Close()
	}
	mu.Unlock()
	// A token checked a moment ago is remembered, so the query itself
	// meets the outage; a token not seen yet cannot be checked at all.
	start := time.Now()
	_, res := c.do(f.tokens["admin"], `{ customers(first: 1) { edges { node { id } } } }`, nil)
	if res.code() != "UNAVAILABLE" || time.Since(start) > 45*time.Second { // only a hang fails: retries take about 10-16 s
		t.Fatalf("down: %+v after %s", res.Errors, time.Since(start))
	}
	start = time.Now()
	status, res := c.do(f.tokens["analyst"], `{ viewer { role } }`, nil)
	if status != 503 || res.code() != "UNAVAILABLE" || time.Since(start) > 45*time.Second {
		t.Fatalf("down, unseen token: %d %+v after %s", status, res.Errors, time.Since(start))
	}
	mu.Lock()
	down = false
	mu.Unlock()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if status, res := c.do(f.tokens["admin"], `{ viewer { role } }`, nil); status == 200 && len(res.Errors) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("still failing 20s after Neo4j came back")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Every level of nesting costs at most one Cypher round trip, however many
// customers a page holds and however many fields each asks for: the
// dataloaders batch a level's fields into one read.
func TestRoundTripsPerLevel(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	count := func(query string, vars map[string]any) int64 {
		t.Helper()
		before := f.store.RoundTrips()
		if _, res := f.client.do(f.tokens["manager"], query, vars); len(res.Errors) > 0 {
			t.Fatalf("%s: %+v", query, res.Errors)
		}
		return f.store.RoundTrips() - before
	}
	trips := func(query string, vars map[string]any) int64 {
		t.Helper()
		// The token is checked again once the server's 10 s memory of it
		// ends, which a slow run reaches: check it now, outside the count.
		f.client.do(f.tokens["manager"], `{ viewer { name } }`, nil)
		return count(query, vars)
	}
	if first := count(`{ viewer { name } }`, nil); first != 1 {
		t.Errorf("checking a new token took %d round trips, want 1", first)
	}
	auth := count(`{ viewer { name } }`, nil) // a token checked lately is remembered
	if auth != 0 {
		t.Errorf("a token checked a moment ago cost %d round trips, want 0", auth)
	}
	// Three customers whose signals mention a product each, so that a page
	// reading their products is one batch only if its customers are
	// marshalled together.
	ctx := context.Background()
	var products []valuegraph.Product
	var sigs []valuegraph.Signal
	for i := range 3 {
		products = append(products, valuegraph.Product{ID: fmt.Sprintf("%sprod%d", f.ns, i), Name: fmt.Sprintf("产品%d", i)})
		sigs = append(sigs, valuegraph.Signal{ID: fmt.Sprintf("%sps%d", f.ns, i), Kind: valuegraph.SignalForumPost, Title: "产品讨论", Source: f.ns + "forum",
			Trust: valuegraph.TrustL3, OccurredAt: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), CustomerIDs: []string{fmt.Sprintf("%sc%d", f.ns, i)}, ProductIDs: []string{products[i].ID}})
	}
	if _, err := f.store.UpsertProducts(ctx, products); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpsertSignals(ctx, sigs); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		levels int64
		query  string
	}{
		{"customer", 1, `query($id: ID!) { customer(id: $id) { id name stage tier } }`},
		{"customer with every list", 2, `query($id: ID!) { customer(id: $id) { id owner { id } people { name title phone }
		   signals { id title trust } competitors { competitor { name } mentions } needs { need { name } } assessment { stage } } }`},
		{"a page of customers with every list", 2, `{ customers(first: 50) { edges { node { id owner { id } people { name }
		   signals { id } competitors { competitor { name } } needs { need { name } } assessment { stage tier } } } } }`},
		{"competitor footprint with the customers' lists", 2, `{ competitorFootprint(competitorId: "` + f.ns + `aliyun") { customer { name people { name } signals { id } assessment { stage } } signals } }`},
		{"a page of customers with their histories", 2, `{ customers(first: 50) { edges { node { id history(first: 5) { at stage tier risks { churn } } } } } }`},
		{"a page of customers with histories, assessments and people", 2, `query($since: Time) { customers(first: 50) { edges { node { id people { name }
		   assessment { stage } history(since: $since, first: 3) { at tier } } } } }`},
		{"the same with a since", 2, `{ customers(first: 50) { edges { node { id assessment { stage } history(since: "2020-01-01T08:00:00+08:00") { at } } } } }`},
		{"a page of customers with two histories", 3, `{ customers(first: 50) { edges { node { id a: history(first: 1) { at } b: history(first: 3) { at } } } } }`},
		{"a page of customers with their signals' products", 3, `{ customers(first: 50) { edges { node { id signals { id products { name } } } } } }`},
		{"the same through a fragment", 3, `{ customers(first: 50) { edges { node { ...c } } } } fragment c on Customer { people { name } signals { products { id } } }`},
		{"brief, whole", 1, `query($id: ID!) { brief(customerId: $id) { customer { name stage } assessment { stage } painPoints { need { name } evidence { id trust } offerings { name } }
		   decisionMakers { person { name title } change } competitors { competitor { name } } changes { id } talkingPoints { zh evidence { id } } markdown } }`},
	} {
		got := trips(c.query, map[string]any{"id": f.ns + "huaxin"}) - auth
		t.Logf("%s: %d round trips (+%d for the token)", c.name, got, auth)
		if got > c.levels {
			t.Errorf("%s: %d round trips for %d levels of nesting", c.name, got, c.levels)
		}
	}

	// Every answer says how long it spent in Neo4j, and in how many queries.
	f.client.do(f.tokens["manager"], `{ viewer { name } }`, nil) // the token checked outside the count
	body, _ := json.Marshal(map[string]any{"query": `query($id: ID!) { brief(customerId: $id) { customer { name } } }`, "variables": map[string]any{"id": f.ns + "huaxin"}})
	req, _ := http.NewRequest("POST", f.client.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+f.tokens["manager"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if st := res.Header.Get("Server-Timing"); !strings.HasPrefix(st, `db;desc="Neo4j n=1";dur=`) || !strings.Contains(st, ", total;dur=") {
		t.Errorf("Server-Timing %q", st)
	}
}

// A talking point whose evidence the brief did not read (calls older than
// the 50 latest signals) still shows it, read in one batch before the
// talking points are marshalled.
func TestBriefEvidenceBeyondItsSignals(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	ctx := context.Background()
	customer := f.ns + "huaxin"
	old := time.Now().AddDate(-1, 0, 0)
	sigs := []valuegraph.Signal{
		{ID: f.ns + "call1", Kind: valuegraph.SignalOutreach, Title: "电话未接", Source: f.ns + "crm", Trust: 1, OccurredAt: old, CustomerIDs: []string{customer}, Intents: []string{valuegraph.IntentUnanswered}},
		{ID: f.ns + "call2", Kind: valuegraph.SignalOutreach, Title: "邮件未回", Source: f.ns + "crm", Trust: 1, OccurredAt: old.Add(time.Hour), CustomerIDs: []string{customer}, Intents: []string{valuegraph.IntentUnanswered}},
	}
	for i := range brief.Signals {
		sigs = append(sigs, valuegraph.Signal{ID: fmt.Sprintf("%snote%02d", f.ns, i), Kind: valuegraph.SignalCRMNote, Title: "例行记录", Source: f.ns + "crm", Trust: 1,
			OccurredAt: time.Now().Add(-time.Duration(i+1) * time.Hour), CustomerIDs: []string{customer}})
	}
	if _, err := f.store.UpsertSignals(ctx, sigs); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := f.store.WriteAssessment(ctx, valuegraph.Assessment{CustomerID: customer, At: now, ModelVersion: "test", Stage: valuegraph.StageAdopting,
		Risks: valuegraph.Risks{Churn: 0.6},
		RiskWhy: map[string]valuegraph.Explained{"churn": {Score: 0.4, Reasons: []valuegraph.Reason{
			{Factor: "unanswered", Value: 2, Contribution: 0.4, SentenceZH: "两次联系未获回应", SentenceEN: "two contacts unanswered", SignalIDs: []string{f.ns + "call1", f.ns + "call2"}}}}},
		Tier: valuegraph.TierB}); err != nil {
		t.Fatal(err)
	}
	f.client.do(f.tokens["manager"], `{ viewer { name } }`, nil) // the token, checked once
	before := f.store.RoundTrips()
	_, res := f.client.do(f.tokens["manager"], `query($id: ID!) { brief(customerId: $id) { talkingPoints { en evidence { id title } } } }`, map[string]any{"id": customer})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	var found bool
	for _, tp := range get(res.Data, "brief", "talkingPoints").([]any) {
		if !strings.Contains(get(tp, "en").(string), "another channel") {
			continue
		}
		found = true
		ev := get(tp, "evidence").([]any)
		if len(ev) != 2 || get(ev[0], "id") != f.ns+"call1" || get(ev[1], "title") != "邮件未回" {
			t.Errorf("evidence of the unanswered-contacts point: %v", ev)
		}
	}
	if !found {
		t.Fatalf("no talking point about unanswered contacts: %v", get(res.Data, "brief", "talkingPoints"))
	}
	if n := f.store.RoundTrips() - before; n > 2 {
		t.Errorf("%d round trips: the brief and one batch of evidence should do", n)
	}
}
