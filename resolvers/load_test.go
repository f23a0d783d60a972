package resolvers_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http/httptest"
	"net/http/httputil"
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
// and 64 concurrent clients, case after case in VALUEGRAPH_LOAD_ROUNDS
// rounds (default 10) of VALUEGRAPH_LOAD_SECONDS (default 3) each: the
// brief of a random customer through the API; the same briefs' Cypher
// straight through the driver ("raw Cypher"); the first page of customers.
// It prints p50/p95/p99 and throughput for each round and for all rounds'
// requests pooled, the time the server spent in Neo4j for each brief (its
// Server-Timing header), and the API's brief p99 over the raw Cypher's and
// over its own Neo4j time.
// VALUEGRAPH_LOAD_CASES="brief|brief, raw Cypher" runs only the cases named,
// VALUEGRAPH_LOAD_CLIENTS=16 only that many clients.
//
//	go test -run '^$' -bench APILoad -benchtime 1x -timeout 60m ./resolvers/
func BenchmarkAPILoad(b *testing.B) {
	customers := 100_000
	if v, err := strconv.Atoi(os.Getenv("VALUEGRAPH_LOAD_CUSTOMERS")); err == nil && v > 0 {
		customers = v
	}
	seconds := 3
	if v, err := strconv.Atoi(os.Getenv("VALUEGRAPH_LOAD_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	s := graphtest.MustOpen(b)
	ctx := context.Background()
	buildLoadGraph(b, s, customers)
	// A Neo4j started just before holds little of the graph in its page
	// cache: the first rounds would measure the disk.
	if stats, err := s.WarmUp(ctx); err != nil {
		b.Fatal(err)
	} else {
		b.Logf("warm-up: %d nodes, %d relationships read in %s", stats.Nodes, stats.Relationships, stats.Took.Round(time.Millisecond))
	}
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

	const briefQuery = `query($id: ID!) { brief(customerId: $id) {
	  customer { id name stage tier } assessment { stage stageConfidence risks { replacement churn credit } }
	  painPoints { need { name } strength lastSeen bestTrust evidence { id title trust occurredAt } offerings { name } }
	  decisionMakers { person { name title role } change } competitors { competitor { name } mentions }
	  changes { id kind title occurredAt } talkingPoints { zh en whyZh whyEn evidence { id title } } } }`
	const pageQuery = `{ customers(first: 50) { edges { cursor node { id name region industry stage tier tierScore
	  risks { replacement churn } lastSignalAt owner { id } } } pageInfo { hasNextPage endCursor } } }`
	// post sends a query and returns the time the server says it spent in
	// Neo4j for it (its Server-Timing header), over one of a pool of lean
	// keep-alive connections (see leanConn): net/http's client costs about
	// a tenth of the CPU a brief takes, taken from the server it measures.
	conns := make(chan *leanConn, 128)
	defer func() {
		close(conns)
		for c := range conns {
			c.Close()
		}
	}()
	// Request bodies are encoded once, the customer's id spliced in: the
	// load generator shares the server's CPU.
	pageBody, _ := json.Marshal(map[string]any{"query": pageQuery})
	briefHead, _ := json.Marshal(map[string]any{"query": briefQuery, "variables": map[string]any{"id": "~"}})
	head, tail, _ := bytes.Cut(briefHead, []byte(`"~"`))
	briefBody := func(id string) []byte {
		b := make([]byte, 0, len(briefHead)+len(id))
		b = append(b, head...)
		b = strconv.AppendQuote(b, id) // as JSON would: the ids are plain ASCII
		return append(b, tail...)
	}
	post := func(body []byte) (time.Duration, error) {
		var c *leanConn
		var err error
		select {
		case c = <-conns:
		default:
			if c, err = dialLean(srv.Listener.Addr().String(), "Bearer "+secret); err != nil {
				return 0, err
			}
		}
		status, timing, out, err := c.post(body)
		if err != nil {
			c.Close()
			return 0, err
		}
		select {
		case conns <- c:
		default:
			c.Close()
		}
		if status != 200 || bytes.Contains(out, []byte(`"errors"`)) {
			return 0, fmt.Errorf("%d %s", status, out)
		}
		return dbDuration(timing)
	}
	randomCustomer := func(r *rand.Rand) string { return fmt.Sprintf("%sc%07d", loadPrefix, r.IntN(customers)) }
	// The brief's own Cypher for the same customers, from a driver of its own.
	cfg := graphtest.Config()
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		b.Fatal(err)
	}
	defer driver.Close(ctx)
	raw := func(r *rand.Rand) error { return rawBrief(ctx, driver, cfg.Database, randomCustomer(r)) }
	var mu sync.Mutex
	var dbLat []time.Duration
	cases := []struct {
		name string
		op   func(r *rand.Rand) error
	}{
		{"brief", func(r *rand.Rand) error {
			db, err := post(briefBody(randomCustomer(r)))
			mu.Lock()
			dbLat = append(dbLat, db)
			mu.Unlock()
			return err
		}},
		{"brief, raw Cypher", raw},
		{"customers, first page", func(*rand.Rand) error { _, err := post(pageBody); return err }},
	}
	if only := os.Getenv("VALUEGRAPH_LOAD_CASES"); only != "" { // e.g. "brief|brief, raw Cypher"
		keep := strings.Split(only, "|")
		for i := len(cases) - 1; i >= 0; i-- {
			if !slices.Contains(keep, cases[i].name) {
				cases = slices.Delete(cases, i, i+1)
			}
		}
	}
	levels := []int{16, 64}
	if only := os.Getenv("VALUEGRAPH_LOAD_CLIENTS"); only != "" { // e.g. "16"
		levels = nil
		for _, f := range strings.Split(only, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				b.Fatalf("VALUEGRAPH_LOAD_CLIENTS=%q: want client counts such as 16,64", only)
			}
			levels = append(levels, n)
		}
	}
	rounds := 10
	if v, err := strconv.Atoi(os.Getenv("VALUEGRAPH_LOAD_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	for _, c := range cases { // plans compiled, pools filled, token remembered
		if _, _, err := drive(16, 2*time.Second, c.op); err != nil {
			b.Fatalf("%s: %v", c.name, err)
		}
	}
	// The machine's speed drifts by ±15% from minute to minute, more than
	// what is measured here. So each case runs in short rounds taken in
	// turn (API, raw, page, API, raw, ...), and the figures are those of
	// all the rounds' requests pooled: every case sees the same drift.
	type figures struct{ p50, p95, p99, rate float64 }
	measure := func(lat []time.Duration, elapsed time.Duration) figures {
		lat = slices.Clone(lat)
		slices.Sort(lat)
		q := func(f float64) float64 { return ms(lat[min(int(f*float64(len(lat))), len(lat)-1)]) }
		f := figures{p50: q(0.5), p95: q(0.95), p99: q(0.99)}
		if elapsed > 0 {
			f.rate = float64(len(lat)) / elapsed.Seconds()
		}
		return f
	}
	line := func(clients int, name string, f figures, note string) {
		rate := "             "
		if f.rate > 0 {
			rate = fmt.Sprintf("%7.0f req/s", f.rate)
		}
		b.Logf("%2d clients  %-28s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  %s  %s", clients, name, f.p50, f.p95, f.p99, rate, note)
	}
	for range b.N {
		for _, clients := range levels {
			pooled := map[string][]time.Duration{}
			byRound := map[string][][]time.Duration{}
			took := map[string]time.Duration{}
			var overRaw []string // each round's brief p99 over its raw Cypher p99
			for round := 1; round <= rounds; round++ {
				var apiP99 float64
				for _, c := range cases {
					dbLat = nil
					lat, elapsed, err := drive(clients, time.Duration(seconds)*time.Second, c.op)
					if err != nil {
						b.Fatalf("%s: %v", c.name, err)
					}
					pooled[c.name] = append(pooled[c.name], lat...)
					byRound[c.name] = append(byRound[c.name], lat)
					took[c.name] += elapsed
					f := measure(lat, elapsed)
					line(clients, c.name, f, fmt.Sprintf("(round %d, %d requests)", round, len(lat)))
					switch c.name {
					case "brief":
						apiP99 = f.p99
						pooled["brief, its Neo4j time"] = append(pooled["brief, its Neo4j time"], dbLat...)
					case "brief, raw Cypher":
						if apiP99 > 0 {
							overRaw = append(overRaw, fmt.Sprintf("%.2f", apiP99/f.p99))
						}
					}
				}
			}
			got := map[string]figures{}
			for _, name := range []string{"brief", "brief, its Neo4j time", "brief, raw Cypher", "customers, first page"} {
				if lat := pooled[name]; len(lat) > 0 {
					got[name] = measure(lat, took[name])
					line(clients, name, got[name], fmt.Sprintf("ALL %d ROUNDS, %d requests", rounds, len(lat)))
				}
			}
			// For make bench's table: c16_brief_p99_ms, c16_raw_p99_ms, ...
			for name, key := range map[string]string{"brief": "brief", "brief, raw Cypher": "raw", "customers, first page": "page"} {
				if f, ok := got[name]; ok {
					b.ReportMetric(f.p50, fmt.Sprintf("c%d_%s_p50_ms", clients, key))
					b.ReportMetric(f.p99, fmt.Sprintf("c%d_%s_p99_ms", clients, key))
					b.ReportMetric(f.rate, fmt.Sprintf("c%d_%s_req/s", clients, key))
				}
			}
			if api, ok := got["brief"]; ok {
				ratio := func(name string) string {
					if f, ok := got[name]; ok && f.p99 > 0 {
						return fmt.Sprintf("%.2f", api.p99/f.p99)
					}
					return "-"
				}
				spread := ""
				if api, raw := byRound["brief"], byRound["brief, raw Cypher"]; len(api) > 1 && len(api) == len(raw) {
					lo, hi := ratioInterval(api, raw)
					spread = fmt.Sprintf(", 90%% of resampled runs %.2f–%.2f", lo, hi)
				}
				b.Logf("%2d clients  brief p99 over the raw Cypher's: %s (each round: %s%s); over its own Neo4j time: %s",
					clients, ratio("brief, raw Cypher"), strings.Join(overRaw, " "), spread, ratio("brief, its Neo4j time"))
			}
		}
	}
}

// ratioInterval says how much the pooled p99 ratio of api's rounds over
// raw's depends on which rounds the run happened to get: it draws as many
// rounds again at random, with replacement (round i of each case
// together, as they ran side by side), 400 times, and returns the 5th and
// 95th percentiles of the ratio over those resampled runs.
func ratioInterval(api, raw [][]time.Duration) (lo, hi float64) {
	p99 := func(rounds [][]time.Duration, pick []int) time.Duration {
		var all []time.Duration
		for _, i := range pick {
			all = append(all, rounds[i]...)
		}
		slices.Sort(all)
		return all[min(int(0.99*float64(len(all))), len(all)-1)]
	}
	r := rand.New(rand.NewPCG(7, 11))
	ratios := make([]float64, 0, 400)
	pick := make([]int, len(api))
	for range 400 {
		for j := range pick {
			pick[j] = r.IntN(len(api))
		}
		ratios = append(ratios, float64(p99(api, pick))/float64(p99(raw, pick)))
	}
	slices.Sort(ratios)
	return ratios[len(ratios)/20], ratios[len(ratios)*19/20]
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

// leanConn is one keep-alive HTTP/1.1 connection that posts JSON and reads
// the status, the Server-Timing header and the body (whole or chunked):
// just enough to drive the server without the load generator eating the
// CPU it measures.
type leanConn struct {
	net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
	auth string
	body []byte
}

func dialLean(addr, auth string) (*leanConn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &leanConn{Conn: c, r: bufio.NewReaderSize(c, 64<<10), w: bufio.NewWriterSize(c, 16<<10), auth: auth}, nil
}

func (c *leanConn) post(body []byte) (status int, timing string, out []byte, err error) {
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(c.w, "POST / HTTP/1.1\r\nHost: load\r\nContent-Type: application/json\r\nAuthorization: %s\r\nContent-Length: %d\r\n\r\n", c.auth, len(body))
	c.w.Write(body)
	if err := c.w.Flush(); err != nil {
		return 0, "", nil, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, "", nil, err
	}
	if _, err := fmt.Sscanf(string(line), "HTTP/1.1 %d", &status); err != nil {
		return 0, "", nil, fmt.Errorf("status line %q: %w", line, err)
	}
	length, chunked := -1, false
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return 0, "", nil, err
		}
		h := strings.TrimRight(string(line), "\r\n")
		if h == "" {
			break
		}
		name, value, _ := strings.Cut(h, ":")
		value = strings.TrimSpace(value)
		switch strings.ToLower(name) {
		case "content-length":
			length, _ = strconv.Atoi(value)
		case "transfer-encoding":
			chunked = value == "chunked"
		case "server-timing":
			timing = value
		}
	}
	c.body = c.body[:0]
	switch {
	case chunked:
		buf := bytes.NewBuffer(c.body)
		_, err = buf.ReadFrom(httputil.NewChunkedReader(c.r))
		if err == nil {
			_, err = c.r.Discard(2) // the CRLF after the last chunk
		}
		c.body = buf.Bytes()
	case length >= 0:
		c.body = slices.Grow(c.body, length)[:length]
		_, err = io.ReadFull(c.r, c.body)
	default:
		return 0, "", nil, fmt.Errorf("an answer with neither a length nor chunks")
	}
	return status, timing, c.body, err
}
