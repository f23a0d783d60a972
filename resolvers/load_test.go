package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/brief"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/resolvers"
)

// The load graph: customers with signalsPer signals each, two people, an
// owner among 200 reps, needs and competitors mentioned by some signals. It
// stays in the database under loadPrefix (graph.Store.Purge removes it), so
// later runs reuse it.
const (
	loadPrefix = "load-"
	signalsPer = 10
)

// BenchmarkAPILoad serves the API over HTTP against the load graph (100k
// customers and 1M signals unless VALUEGRAPH_LOAD_CUSTOMERS says otherwise;
// built on the first run, which takes a few minutes) and drives it with 16
// and 64 concurrent clients for VALUEGRAPH_LOAD_SECONDS (default 10) per
// case: the brief of a random customer, the first page of customers, and
// the brief's own Cypher through the bare driver, in the same run. It
// prints p50/p95/p99 and throughput for each, and our p99 over the bare p99.
//
//	go test -run '^$' -bench APILoad -benchtime 1x -timeout 60m ./resolvers/
func BenchmarkAPILoad(b *testing.B) {
	customers := 100_000
	if v, err := strconv.Atoi(os.Getenv("VALUEGRAPH_LOAD_CUSTOMERS")); err == nil && v > 0 {
		customers = v
	}
	seconds := 10
	if v, err := strconv.Atoi(os.Getenv("VALUEGRAPH_LOAD_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	s := graphtest.MustOpen(b)
	ctx := context.Background()
	buildLoadGraph(b, s, customers)

	tok, secret, err := s.CreateToken(ctx, loadPrefix+"manager", valuegraph.AccessManager, "")
	if err != nil {
		b.Fatal(err)
	}
	defer s.RevokeToken(ctx, tok.ID)
	srv := httptest.NewServer(resolvers.NewHandler(&resolvers.Resolver{Graph: s}, resolvers.Options{}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}, Timeout: 30 * time.Second}

	cfg := graphtest.Config()
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		b.Fatal(err)
	}
	defer driver.Close(ctx)

	const briefQuery = `query($id: ID!) { brief(customerId: $id) {
	  customer { id name stage tier } assessment { stage stageConfidence risks { replacement churn credit } }
	  painPoints { need { name } strength lastSeen bestTrust evidence { id title trust occurredAt } offerings { name } }
	  decisionMakers { person { name title role } change } competitors { competitor { name } mentions }
	  changes { id kind title occurredAt } talkingPoints { zh en whyZh whyEn evidence { id title } } } }`
	const pageQuery = `{ customers(first: 50) { edges { cursor node { id name region industry stage tier tierScore
	  risks { replacement churn } lastSignalAt owner { id } } } pageInfo { hasNextPage endCursor } } }`
	post := func(query string, vars map[string]any) error {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || bytes.Contains(out, []byte(`"errors"`)) {
			return fmt.Errorf("%d %s", res.StatusCode, out)
		}
		return nil
	}
	randomCustomer := func(r *rand.Rand) string { return fmt.Sprintf("%sc%07d", loadPrefix, r.IntN(customers)) }
	bare := func(id string) error {
		cypher, params := graph.BriefQuery(id, brief.Signals, 5)
		res, err := neo4j.ExecuteQuery(ctx, driver, cypher, params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(cfg.Database), neo4j.ExecuteQueryWithReadersRouting())
		if err == nil && len(res.Records) != 1 {
			err = fmt.Errorf("brief read %d rows", len(res.Records))
		}
		return err
	}
	// The brief through the API and its bare Cypher for the same customer,
	// one after the other in every client: both see the same load, so the
	// ratio of their percentiles is our overhead over the database.
	var mu sync.Mutex
	var bareLat []time.Duration
	briefBoth := func(r *rand.Rand) error {
		id := randomCustomer(r)
		if err := post(briefQuery, map[string]any{"id": id}); err != nil {
			return err
		}
		t0 := time.Now()
		if err := bare(id); err != nil {
			return err
		}
		d := time.Since(t0)
		mu.Lock()
		bareLat = append(bareLat, d)
		mu.Unlock()
		return nil
	}
	cases := []struct {
		name string
		op   func(r *rand.Rand) error
	}{
		{"brief (API alone)", func(r *rand.Rand) error { return post(briefQuery, map[string]any{"id": randomCustomer(r)}) }},
		{"customers, first page (API)", func(*rand.Rand) error { return post(pageQuery, nil) }},
	}
	report := func(clients int, name string, lat []time.Duration, elapsed time.Duration) time.Duration {
		slices.Sort(lat)
		q := func(f float64) time.Duration { return lat[min(int(f*float64(len(lat))), len(lat)-1)] }
		b.Logf("%2d clients  %-34s  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  %7.0f req/s  (%d requests)",
			clients, name, ms(q(0.5)), ms(q(0.95)), ms(q(0.99)), float64(len(lat))/elapsed.Seconds(), len(lat))
		return q(0.99)
	}
	for _, c := range cases { // plans compiled, pools filled, token remembered
		if _, _, err := drive(16, 2*time.Second, c.op); err != nil {
			b.Fatalf("%s: %v", c.name, err)
		}
	}
	for range b.N {
		for _, clients := range []int{16, 64} {
			for _, c := range cases {
				lat, elapsed, err := drive(clients, time.Duration(seconds)*time.Second, c.op)
				if err != nil {
					b.Fatalf("%s: %v", c.name, err)
				}
				report(clients, c.name, lat, elapsed)
			}
			bareLat = nil
			lat, elapsed, err := drive(clients, time.Duration(seconds)*time.Second, briefBoth)
			if err != nil {
				b.Fatalf("brief beside its Cypher: %v", err)
			}
			ours := report(clients, "brief (API, beside bare)", lat, elapsed)
			raw := report(clients, "brief (bare Cypher, beside API)", bareLat, elapsed)
			b.Logf("%2d clients  brief p99, API over bare Cypher: %.2f", clients, float64(ours)/float64(raw))
		}
	}
}

// drive runs op from n goroutines for d and returns every latency.
func drive(n int, d time.Duration, op func(r *rand.Rand) error) ([]time.Duration, time.Duration, error) {
	var mu sync.Mutex
	var all []time.Duration
	var first error
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 7))
			var mine []time.Duration
			for time.Since(start) < d {
				t0 := time.Now()
				if err := op(r); err != nil {
					mu.Lock()
					first = cmpErr(first, err)
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, time.Since(start), first
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// buildLoadGraph writes the load graph unless it is there already.
func buildLoadGraph(b *testing.B, s *graph.Store, customers int) {
	ctx := context.Background()
	have, err := s.Count(ctx, "Customer", loadPrefix)
	if err != nil {
		b.Fatal(err)
	}
	if have >= customers {
		return
	}
	b.Logf("building the load graph: %d customers, %d signals (once; graph.Store.Purge(%q) removes it)", customers, customers*signalsPer, loadPrefix)
	t0 := time.Now()
	var needs []valuegraph.Need
	var offerings []valuegraph.Offering
	for i := range 30 {
		needs = append(needs, valuegraph.Need{ID: fmt.Sprintf("%sneed%d", loadPrefix, i), Name: fmt.Sprintf("需求%d", i)})
		offerings = append(offerings, valuegraph.Offering{ID: fmt.Sprintf("%soffer%d", loadPrefix, i), Name: fmt.Sprintf("方案%d", i), NeedIDs: []string{needs[i].ID}})
	}
	var competitors []valuegraph.Competitor
	for i := range 20 {
		competitors = append(competitors, valuegraph.Competitor{ID: fmt.Sprintf("%scomp%d", loadPrefix, i), Name: fmt.Sprintf("竞品%d", i)})
	}
	if _, err := s.UpsertNeeds(ctx, needs); err != nil {
		b.Fatal(err)
	}
	if _, err := s.UpsertOfferings(ctx, offerings); err != nil {
		b.Fatal(err)
	}
	if _, err := s.UpsertCompetitors(ctx, competitors); err != nil {
		b.Fatal(err)
	}
	regions := []string{"江苏", "浙江", "广东", "重庆", "四川", "北京", "上海"}
	kinds := []valuegraph.SignalKind{valuegraph.SignalERPOrder, valuegraph.SignalForumPost, valuegraph.SignalTender, valuegraph.SignalServiceTicket, valuegraph.SignalCRMNote}
	now := time.Now()
	const chunk = 10_000
	for lo := 0; lo < customers; lo += chunk {
		var cs []valuegraph.Customer
		var people []valuegraph.Person
		var sigs []valuegraph.Signal
		for i := lo; i < min(lo+chunk, customers); i++ {
			id := fmt.Sprintf("%sc%07d", loadPrefix, i)
			cs = append(cs, valuegraph.Customer{ID: id, Name: fmt.Sprintf("负载客户%07d有限公司", i), Region: regions[i%len(regions)],
				Industry: "manufacturing", OwnerID: fmt.Sprintf("%srep%d", loadPrefix, i%200)})
			people = append(people,
				valuegraph.Person{ID: id + "-p1", Name: fmt.Sprintf("王%d", i), Title: "信息中心主任", Role: valuegraph.RoleTechnicalLead, CustomerID: id},
				valuegraph.Person{ID: id + "-p2", Name: fmt.Sprintf("李%d", i), Title: "副总经理", Role: valuegraph.RoleEconomicBuyer, CustomerID: id, Since: now.AddDate(0, -2, 0)})
			for j := range signalsPer {
				sig := valuegraph.Signal{ID: fmt.Sprintf("%s-s%d", id, j), Kind: kinds[(i+j)%len(kinds)], Title: fmt.Sprintf("信号%d", j),
					Source: loadPrefix + "gen", Trust: valuegraph.TrustLevel(1 + j%3), OccurredAt: now.Add(-time.Duration(j*17+i%40) * 24 * time.Hour),
					CustomerIDs: []string{id}}
				if j%3 == 0 {
					sig.NeedIDs = []string{needs[(i+j)%len(needs)].ID}
				}
				if j%4 == 1 {
					sig.CompetitorIDs = []string{competitors[(i*7+j)%len(competitors)].ID}
				}
				sigs = append(sigs, sig)
			}
		}
		if _, err := s.UpsertCustomers(ctx, cs); err != nil {
			b.Fatal(err)
		}
		if _, err := s.UpsertPeople(ctx, people); err != nil {
			b.Fatal(err)
		}
		if _, err := s.UpsertSignals(ctx, sigs); err != nil {
			b.Fatal(err)
		}
		b.Logf("  %d customers written (%s)", min(lo+chunk, customers), time.Since(t0).Round(time.Second))
	}
}
