package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/brief"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/resolvers"
)

// BenchmarkBriefServer serves one brief at a time in process (no network,
// no concurrency) beside its bare Cypher: the Go side's cost per brief.
// Needs the load graph (BenchmarkAPILoad builds it).
func BenchmarkBriefServer(b *testing.B) {
	s := graphtest.MustOpen(b)
	ctx := context.Background()
	if n, _ := s.Count(ctx, "Customer", loadPrefix); n < 1000 {
		b.Skip("no load graph: run BenchmarkAPILoad once")
	}
	tok, secret, err := s.CreateToken(ctx, loadPrefix+"bench", valuegraph.AccessManager, "")
	if err != nil {
		b.Fatal(err)
	}
	defer s.RevokeToken(ctx, tok.ID)
	h := resolvers.NewHandler(&resolvers.Resolver{Graph: s}, resolvers.Options{})
	const q = `query($id: ID!) { brief(customerId: $id) {
	  customer { id name stage tier } assessment { stage stageConfidence risks { replacement churn credit } }
	  painPoints { need { name } strength lastSeen bestTrust evidence { id title trust occurredAt } offerings { name } }
	  decisionMakers { person { name title role } change } competitors { competitor { name } mentions }
	  changes { id kind title occurredAt } talkingPoints { zh en whyZh whyEn evidence { id title } } } }`
	cfg := graphtest.Config()
	driver, _ := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	defer driver.Close(ctx)
	b.Run("api", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCost(b)()
		for i := range b.N {
			body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"id": fmt.Sprintf("%sc%07d", loadPrefix, i%1000)}})
			req := httptest.NewRequest("POST", "/", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+secret)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatal(rec.Body.String())
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCost(b)()
		for i := range b.N {
			if err := rawBrief(ctx, driver, cfg.Database, fmt.Sprintf("%sc%07d", loadPrefix, i%1000)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// rawBrief runs a brief's own Cypher straight through the driver, as
// cheaply as it goes (as the store does: one auto-commit transaction, all
// rows in one pull): what the API's brief is measured against.
func rawBrief(ctx context.Context, driver neo4j.DriverWithContext, database, customerID string) error {
	cypher, params := graph.BriefQuery(customerID, brief.Options(false))
	session := driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: database, AccessMode: neo4j.AccessModeRead, FetchSize: neo4j.FetchAll})
	defer session.Close(ctx)
	res, err := session.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	_, err = res.Collect(ctx)
	return err
}

// reportCost starts counting this process's CPU time and the goroutines it
// starts; the returned func reports both per operation. CPU per brief, not
// latency, is what the API takes from a Neo4j on the same cores.
func reportCost(b *testing.B) func() {
	cpu0, g0 := processCPU(), goroutinesCreated()
	b.ResetTimer()
	return func() {
		b.StopTimer()
		b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
		b.ReportMetric(float64(goroutinesCreated()-g0)/float64(b.N), "goroutines/op")
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func goroutinesCreated() uint64 {
	s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
