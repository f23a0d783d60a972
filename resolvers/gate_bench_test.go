package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/resolvers"
)

// BenchmarkRiskCheck asks the risk gate about orders of the demo dataset's
// customers (valuegraph demo: 2,005 customers, the three large buyers
// among them), in turn, through POST /api/risk-check and the riskCheck
// query in process: authentication, the read, the decision and the audit
// write, as an ERP's call costs them. Reports each call's latency at the
// 50th, 95th and 99th percentile; "clients" runs that many at once.
// "read" and "audit" time the call's two trips to Neo4j alone. Needs the
// demo data scored (valuegraph demo, then a worker).
func BenchmarkRiskCheck(b *testing.B) {
	s := graphtest.MustOpen(b)
	ctx := context.Background()
	var ids []string
	for after := ""; ; {
		page, err := s.CustomerIDs(ctx, after, 1000)
		if err != nil {
			b.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, id := range page {
			if strings.HasPrefix(id, "demo-c-") {
				ids = append(ids, id)
			}
		}
		after = page[len(page)-1]
	}
	if len(ids) < 2000 {
		b.Skipf("%d demo customers: load them with valuegraph demo -customers 2000", len(ids))
	}
	tok, secret, err := s.CreateToken(ctx, "bench-erp", valuegraph.AccessManager, "")
	if err != nil {
		b.Fatal(err)
	}
	defer s.RevokeToken(ctx, tok.ID)
	r := &resolvers.Resolver{Graph: s}
	rest := resolvers.NewRiskCheckHandler(r)
	gql := resolvers.NewHandler(r, resolvers.Options{})
	call := func(h http.Handler, body []byte) {
		req := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
			b.Fatal(rec.Body.String())
		}
	}
	amounts := []float64{50000, 300000, 2e6}
	restBody := func(i int) []byte {
		body, _ := json.Marshal(map[string]any{"customerId": ids[i%len(ids)], "amount": amounts[i%len(amounts)], "currency": "CNY"})
		return body
	}
	const q = `query($id: ID!, $amount: Float!) { riskCheck(customerId: $id, amount: $amount, currency: "CNY") {
	  decision checks { name decision en } credit { score reasons { factor contribution en evidence { id title trust } } }
	  churn { score reasons { factor contribution en evidence { id title trust } } } alternative { kind amount en } } }`
	gqlBody := func(i int) []byte {
		body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"id": ids[i%len(ids)], "amount": amounts[i%len(amounts)]}})
		return body
	}
	// The parts of a call, alone: the one read and the audit's write.
	read := func(i int) {
		if _, err := s.GateSource(ctx, ids[i%len(ids)], []valuegraph.SignalKind{valuegraph.SignalERPOrder}, time.Now().AddDate(-1, 0, 0)); err != nil {
			b.Fatal(err)
		}
	}
	audit := func(i int) {
		if err := s.RecordAudit(ctx, "bench-erp", "riskCheck", ids[i%len(ids)], nil, map[string]any{"decision": "PASS"}); err != nil {
			b.Fatal(err)
		}
	}
	handler := func(h http.Handler, body func(int) []byte) func(int) {
		return func(i int) { call(h, body(i)) }
	}
	for _, bc := range []struct {
		name    string
		op      func(int)
		clients int
	}{
		{"rest", handler(rest, restBody), 1},
		{"graphql", handler(gql, gqlBody), 1},
		{"rest/clients=8", handler(rest, restBody), 8},
		{"read", read, 1},
		{"audit", audit, 1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			lat := make([]time.Duration, b.N)
			var next int
			var mu sync.Mutex
			var wg sync.WaitGroup
			b.ResetTimer()
			for range bc.clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						mu.Lock()
						i := next
						next++
						mu.Unlock()
						if i >= b.N {
							return
						}
						start := time.Now()
						bc.op(i)
						lat[i] = time.Since(start)
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			slices.Sort(lat)
			at := func(q float64) float64 {
				return float64(lat[min(int(q*float64(len(lat))), len(lat)-1)].Microseconds()) / 1000
			}
			b.ReportMetric(at(0.50), "p50-ms")
			b.ReportMetric(at(0.95), "p95-ms")
			b.ReportMetric(at(0.99), "p99-ms")
			b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
		})
	}
}
