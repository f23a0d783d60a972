package graph

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// SchemaRule is a constraint or index as Neo4j reports it.
type SchemaRule struct {
	Kind       string // "constraint" or "index"
	Name       string
	Type       string // UNIQUENESS, RANGE, FULLTEXT, ...
	Labels     []string
	Properties []string
	State      string // indexes: ONLINE, POPULATING, FAILED
}

func (r SchemaRule) String() string {
	s := fmt.Sprintf("%-10s %-12s %-34s (%s) {%s}", r.Kind, r.Type, r.Name, strings.Join(r.Labels, "|"), strings.Join(r.Properties, ", "))
	if r.State != "" {
		s += " " + r.State
	}
	return s
}

const (
	cypherShowConstraints = "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes, properties ORDER BY name"
	cypherShowIndexes     = "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state, owningConstraint WHERE owningConstraint IS NULL AND type <> 'LOOKUP' RETURN name, type, labelsOrTypes, properties, state ORDER BY name"
)

// Schema lists the constraints and the indexes of the database (indexes that
// only back a constraint, and the built-in token lookups, are left out).
func (s *Store) Schema(ctx context.Context) ([]SchemaRule, error) {
	var rules []SchemaRule
	for _, q := range []struct{ kind, cypher string }{{"constraint", cypherShowConstraints}, {"index", cypherShowIndexes}} {
		res, err := s.query(ctx, q.cypher, nil)
		if err != nil {
			return nil, formatError("show schema", err)
		}
		for _, rec := range res.Records {
			p := props(rec.AsMap())
			rules = append(rules, SchemaRule{Kind: q.kind, Name: p.str("name"), Type: p.str("type"),
				Labels: p.strs("labelsOrTypes"), Properties: p.strs("properties"), State: p.str("state")})
		}
	}
	return rules, nil
}

// Purge deletes label by label, a chunk at a time, each chunk in its own
// transaction: ids are found by the id indexes (STARTS WITH is an index
// seek), and one transaction over a million nodes would run out of Neo4j's
// transaction memory.
var cypherPurge = func() []string {
	// Identifiers first, while their customers still point at them: a
	// USCC's key does not hold the prefix. One another customer shares stays.
	out := []string{`MATCH (c:Customer)-[:IDENTIFIED_BY]->(n:Identifier) WHERE c.id STARTS WITH $prefix
  AND NOT EXISTS { MATCH (n)<-[:IDENTIFIED_BY]-(o:Customer) WHERE NOT o.id STARTS WITH $prefix }
WITH DISTINCT n LIMIT $chunk DETACH DELETE n RETURN count(*) AS deleted`}
	for _, label := range []string{"Signal", "ScoreSnapshot", "Alert", "Customer", "Person", "Competitor", "Product", "Need", "Offering",
		"Source", "Rep", "Territory", "Feedback", "ModelVersion", "Review", "APIToken", "CrawlPage", "Audit"} {
		out = append(out, "MATCH (n:"+label+") WHERE n.id STARTS WITH $prefix WITH n LIMIT $chunk DETACH DELETE n RETURN count(*) AS deleted")
	}
	return append(out,
		"MATCH (n:Identifier) WHERE n.key CONTAINS $prefix WITH n LIMIT $chunk DETACH DELETE n RETURN count(*) AS deleted",
		"MATCH (n:Feedback) WHERE n.customerId STARTS WITH $prefix WITH n LIMIT $chunk DETACH DELETE n RETURN count(*) AS deleted",
		"MATCH (n:Audit) WHERE n.target STARTS WITH $prefix WITH n LIMIT $chunk DETACH DELETE n RETURN count(*) AS deleted",
		"MATCH (n:PendingJob) WHERE n.key STARTS WITH $prefix WITH n LIMIT $chunk DETACH DELETE n RETURN count(*) AS deleted",
		// Subscriptions have ids of their own; their owner (a rep's id, a
		// token's name) and the actor of their audit entries hold the prefix.
		"MATCH (n:Subscription) WHERE n.owner STARTS WITH $prefix WITH n LIMIT $chunk DETACH DELETE n RETURN count(*) AS deleted",
		"MATCH (n:Audit) WHERE n.target STARTS WITH 'sub-' AND n.actor STARTS WITH $prefix WITH n LIMIT $chunk DETACH DELETE n RETURN count(*) AS deleted",
	)
}()

// Purge deletes every node whose id starts with prefix (and identifiers whose
// key holds it, feedback and audit entries about such customers), with their
// relationships. The demo and the tests keep their data under a prefix and
// clean up with it; prefix must not be empty.
func (s *Store) Purge(ctx context.Context, prefix string) error {
	if len(prefix) < 3 {
		return fmt.Errorf("purge: prefix %q is too short to be safe", prefix)
	}
	for _, cypher := range cypherPurge {
		for {
			res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, map[string]any{"prefix": prefix, "chunk": 10000},
				neo4j.EagerResultTransformer, s.write())
			if err != nil {
				return formatError("purge", err)
			}
			if n, _, _ := neo4j.GetRecordValue[int64](res.Records[0], "deleted"); n == 0 {
				break
			}
		}
	}
	return nil
}

// WarmUpStats says what WarmUp read.
type WarmUpStats struct {
	Nodes, Relationships int64
	Took                 time.Duration
}

// The warm-up's reads: every node and relationship with its properties,
// then the indexes the API looks customers and signals up by.
const (
	cypherWarmNodes         = `MATCH (n) RETURN count(properties(n)) AS n`
	cypherWarmRelationships = `MATCH ()-[r]->() RETURN count(properties(r)) AS n`
	cypherWarmCustomerIndex = `MATCH (c:Customer) WHERE c.id IS NOT NULL RETURN count(c.id) + count(c.name) AS n`
	cypherWarmSignalIndex   = `MATCH (s:Signal) WHERE s.id IS NOT NULL RETURN count(s.id) AS n`
)

// WarmUp reads the whole graph once, so that Neo4j's page cache holds it
// before requests need it. Neo4j Community starts with an empty cache: on
// the benchmark graph (1.3M nodes, 3M relationships) the first minute
// after a restart serves briefs several times slower while each one waits
// on the disk. It takes a few seconds of one core per million nodes; run
// it in the background after Neo4j starts (serve -warm).
func (s *Store) WarmUp(ctx context.Context) (WarmUpStats, error) {
	start := time.Now()
	var stats WarmUpStats
	for _, q := range []struct {
		cypher string
		into   *int64
	}{{cypherWarmNodes, &stats.Nodes}, {cypherWarmRelationships, &stats.Relationships}, {cypherWarmCustomerIndex, nil}, {cypherWarmSignalIndex, nil}} {
		res, err := s.query(ctx, q.cypher, nil)
		if err != nil {
			return stats, formatError("warm up", err)
		}
		if q.into != nil && len(res.Records) == 1 {
			n, _ := res.Records[0].Values[0].(int64)
			*q.into = n
		}
	}
	stats.Took = time.Since(start)
	return stats, nil
}

const cypherClearQueryCaches = `CALL db.clearQueryCaches()`

// ClearQueryCaches drops Neo4j's cached query plans, so that the next
// statements are planned on the graph as it is now. A bulk load into a fresh
// database calls it once the first rows are in: plans made while a label was
// empty scan it rather than seek, and cost minutes as the label fills.
func (s *Store) ClearQueryCaches(ctx context.Context) error {
	_, err := neo4j.ExecuteQuery(ctx, s.driver, cypherClearQueryCaches, nil, neo4j.EagerResultTransformer, s.write())
	return formatError("clear query caches", err)
}
