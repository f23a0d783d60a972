package graph

import (
	"context"
	"fmt"
	"strings"

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
		res, err := neo4j.ExecuteQuery(ctx, s.driver, q.cypher, nil, neo4j.EagerResultTransformer, s.read())
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

const cypherPurge = `
MATCH (n)
WHERE n.id STARTS WITH $prefix OR n.key CONTAINS $prefix OR n.customerId STARTS WITH $prefix OR n.target STARTS WITH $prefix
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS`

// Purge deletes every node whose id starts with prefix (and identifiers whose
// key holds it), with their relationships. The demo and the tests keep their
// data under a prefix and clean up with it; prefix must not be empty.
func (s *Store) Purge(ctx context.Context, prefix string) error {
	if len(prefix) < 3 {
		return fmt.Errorf("purge: prefix %q is too short to be safe", prefix)
	}
	// CALL … IN TRANSACTIONS needs an implicit (auto-commit) transaction.
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	res, err := session.Run(ctx, cypherPurge, map[string]any{"prefix": prefix})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	return formatError("purge", err)
}
