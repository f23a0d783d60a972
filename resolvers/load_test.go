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
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
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
// case: the brief of a random customer and the first page of customers. It
// prints p50/p95/p99 and throughput for each, and for the briefs the time
// the server spent in Neo4j for each (its Server-Timing header), and our
// p99 over that.
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
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400)) // as serve runs
	}

	tok, secret, err := s.CreateToken(ctx, loadPrefix+"manager", valuegraph.AccessManager, "")
	if err != nil {
		b.Fatal(err)
	}
	defer s.RevokeToken(ctx, tok.ID)
	inflight, _ := strconv.Atoi(os.Getenv("VALUEGRAPH_LOAD_INFLIGHT")) // 0: the server's default
	srv := httptest.NewServer(resolvers.NewHandler(&resolvers.Resolver{Graph: s}, resolvers.Options{MaxInFlight: inflight}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}, Timeout: 30 * time.Second}

	const briefQuery = `query($id: ID!) { brief(customerId: $id) {
	  customer { id name stage tier } assessment { stage stageConfidence risks { replacement churn credit } }
	  painPoints { need { name } strength lastSeen bestTrust evidence { id title trust occurredAt } offerings { name } }
	  decisionMakers { person { name title role } change } competitors { competitor { name } mentions }
	  changes { id kind title occurredAt } talkingPoints { zh en whyZh whyEn evidence { id title } } } }`
	const pageQuery = `{ customers(first: 50) { edges { cursor node { id name region industry stage tier tierScore
	  risks { replacement churn } lastSignalAt owner { id } } } pageInfo { hasNextPage endCursor } } }`
	// post sends a query and returns the time the server says it spent in
	// Neo4j for it (its Server-Timing header).
	post := func(query string, vars map[string]any) (time.Duration, error) {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || bytes.Contains(out, []byte(`"errors"`)) {
			return 0, fmt.Errorf("%d %s", res.StatusCode, out)
		}
		return dbDuration(res.Header.Get("Server-Timing"))
	}
	randomCustomer := func(r *rand.Rand) string { return fmt.Sprintf("%sc%07d", loadPrefix, r.IntN(customers)) }
	// The brief's own Cypher, straight through the driver as cheaply as it
	// goes (one auto-commit transaction, all rows in one pull), from a
	// driver of its own: the raw query the API's brief is measured against.
	cfg := graphtest.Config()
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		b.Fatal(err)
	}
	defer driver.Close(ctx)
	raw := func(r *rand.Rand) error {
		cypher, params := graph.BriefQuery(randomCustomer(r), brief.Options(false))
		session := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: cfg.Database, AccessMode: neo4j.AccessModeRead, FetchSize: neo4j.FetchAll})
		defer session.Close(ctx)
		res, err := session.Run(ctx, cypher, params)
		if err != nil {
			return err
		}
		_, err = res.Collect(ctx)
		return err
	}
	var mu sync.Mutex
	var dbLat []time.Duration
	cases := []struct {
		name string
		op   func(r *rand.Rand) error
	}{
		{"brief", func(r *rand.Rand) error {
			db, err := post(briefQuery, map[string]any{"id": randomCustomer(r)})
			mu.Lock()
			dbLat = append(dbLat, db)
			mu.Unlock()
			return err
		}},
		{"brief, raw Cypher", raw},
		{"customers, first page", func(*rand.Rand) error { _, err := post(pageQuery, nil); return err }},
	}
	if only := os.Getenv("VALUEGRAPH_LOAD_CASES"); only != "" { // e.g. "brief|brief, raw Cypher"
		keep := strings.Split(only, "|")
		for i := len(cases) - 1; i >= 0; i-- {
			if !slices.Contains(keep, cases[i].name) {
				cases = slices.Delete(cases, i, i+1)
			}
		}
	}
	report := func(clients int, name string, lat []time.Duration, elapsed time.Duration) time.Duration {
		slices.Sort(lat)
		q := func(f float64) time.Duration { return lat[min(int(f*float64(len(lat))), len(lat)-1)] }
		rate := fmt.Sprintf("%7.0f req/s", float64(len(lat))/elapsed.Seconds())
		if elapsed == 0 {
			rate = "             "
		}
		b.Logf("%2d clients  %-34s  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  %s  (%d requests)",
			clients, name, ms(q(0.5)), ms(q(0.95)), ms(q(0.99)), rate, len(lat))
		return q(0.99)
	}
	for _, c := range cases { // plans compiled, pools filled, token remembered
		if _, _, err := drive(16, 2*time.Second, c.op); err != nil {
			b.Fatalf("%s: %v", c.name, err)
		}
	}
	for range b.N {
		for _, clients := range []int{16, 64} {
			var ours, db, bare time.Duration
			for _, c := range cases {
				dbLat = nil
				lat, elapsed, err := drive(clients, time.Duration(seconds)*time.Second, c.op)
				if err != nil {
					b.Fatalf("%s: %v", c.name, err)
				}
				switch c.name {
				case "brief":
					ours = report(clients, "brief (API)", lat, elapsed)
					db = report(clients, "brief (its Neo4j time)", dbLat, 0)
				case "brief, raw Cypher":
					bare = report(clients, c.name, lat, elapsed)
				default:
					report(clients, c.name+" (API)", lat, elapsed)
				}
			}
			b.Logf("%2d clients  brief p99, API over the raw Cypher: %.2f; over its own Neo4j time: %.2f", clients, float64(ours)/float64(bare), float64(ours)/float64(db))
		}
	}
}

// dbDuration reads the db entry of a Server-Timing header.
func dbDuration(header string) (time.Duration, error) {
	for _, entry := range strings.Split(header, ",") {
		parts := strings.Split(strings.TrimSpace(entry), ";")
		if parts[0] != "db" {
			continue
		}
		for _, p := range parts[1:] {
			if v, ok := strings.CutPrefix(p, "dur="); ok {
				ms, err := strconv.ParseFloat(v, 64)
				return time.Duration(ms * float64(time.Millisecond)), err
			}
		}
	}
	return 0, fmt.Errorf("no db time in Server-Timing %q", header)
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
