package graph

import (
	"context"
	"time"

	"github.com/valuegraph/valuegraph"
)

// Presence is a customer seen around a competitor or a need, with how much
// evidence and how recent.
type Presence struct {
	Customer valuegraph.Customer
	Signals  int
	LastSeen time.Time
	Won      bool // the competitor won one of its tenders
}

const cypherCompetitorFootprint = `
MATCH (k:Competitor {id: $id})
CALL (k) {
  MATCH (k)<-[:MENTIONS]-(s:Signal)-[:ABOUT]->(c:Customer) RETURN c, s, false AS won
  UNION
  MATCH (k)-[:WON]->(s:Signal)-[:ABOUT]->(c:Customer) RETURN c, s, true AS won
}
WITH c, count(DISTINCT s) AS n, max(s.occurredAt) AS last, any(w IN collect(won) WHERE w) AS won
ORDER BY n DESC, last DESC LIMIT $limit
RETURN ` + customerProjection + `, n, last, won`

// CompetitorFootprint lists the customers whose signals mention a
// competitor or that awarded it a tender, most evidence first.
func (s *Store) CompetitorFootprint(ctx context.Context, competitorID string, limit int) ([]Presence, error) {
	return s.presence(ctx, cypherCompetitorFootprint, competitorID, limit, "competitor footprint")
}

const cypherCustomersSharingNeed = `
MATCH (n:Need {id: $id})<-[:MENTIONS]-(s:Signal)-[:ABOUT]->(c:Customer)
WITH c, count(DISTINCT s) AS n, max(s.occurredAt) AS last, false AS won
ORDER BY n DESC, last DESC LIMIT $limit
RETURN ` + customerProjection + `, n, last, won`

// CustomersSharingNeed lists the customers whose signals show a need, most
// evidence first.
func (s *Store) CustomersSharingNeed(ctx context.Context, needID string, limit int) ([]Presence, error) {
	return s.presence(ctx, cypherCustomersSharingNeed, needID, limit, "customers sharing a need")
}

func (s *Store) presence(ctx context.Context, cypher, id string, limit int, op string) ([]Presence, error) {
	res, err := s.query(ctx, cypher, map[string]any{"id": id, "limit": max(limit, 1)})
	if err != nil {
		return nil, formatError(op, err)
	}
	out := make([]Presence, 0, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		won, _ := p["won"].(bool)
		out = append(out, Presence{Customer: decodeCustomer(p.sub("customer")), Signals: p.int("n"), LastSeen: p.time("last"), Won: won})
	}
	return out, nil
}

// PathStep is one node on a path, named but without personal data.
type PathStep struct {
	Kind, ID, Name string
}

// Path is a chain of nodes and the relationships between them.
type Path struct {
	Steps []PathStep
	Rels  []string // Rels[i] joins Steps[i] and Steps[i+1]
}

// Nodes are found by id under each label that has one, with an index seek.
const cypherEndpoints = `
CALL {
  MATCH (x:Customer {id: $id}) RETURN x UNION MATCH (x:Person {id: $id}) RETURN x
  UNION MATCH (x:Competitor {id: $id}) RETURN x UNION MATCH (x:Need {id: $id}) RETURN x
  UNION MATCH (x:Signal {id: $id}) RETURN x UNION MATCH (x:Rep {id: $id}) RETURN x
  UNION MATCH (x:Offering {id: $id}) RETURN x
}
RETURN x`

const cypherPaths = `
CALL {
  MATCH (x:Customer {id: $from}) RETURN x AS a UNION MATCH (x:Person {id: $from}) RETURN x AS a
  UNION MATCH (x:Competitor {id: $from}) RETURN x AS a UNION MATCH (x:Need {id: $from}) RETURN x AS a
  UNION MATCH (x:Rep {id: $from}) RETURN x AS a
}
CALL {
  MATCH (x:Customer {id: $to}) RETURN x AS b UNION MATCH (x:Person {id: $to}) RETURN x AS b
  UNION MATCH (x:Competitor {id: $to}) RETURN x AS b UNION MATCH (x:Need {id: $to}) RETURN x AS b
  UNION MATCH (x:Rep {id: $to}) RETURN x AS b
}
MATCH p = allShortestPaths((a)-[:ABOUT|MENTIONS|WON|SUPPLIED|WORKS_AT|REPORTS_TO|OWNS|HAS_NEED|ADDRESSES*..%d]-(b))
RETURN [n IN nodes(p) | {kind: labels(n)[0], id: n.id, name: coalesce(n.name, n.title)}] AS steps,
       [r IN relationships(p) | type(r)] AS rels
LIMIT $limit`

// Paths finds the shortest paths (at most maxHops, at most 1..6) between
// two nodes (customers, people, competitors, needs, reps) through the
// business relationships, at most limit of them.
func (s *Store) Paths(ctx context.Context, from, to string, maxHops, limit int) ([]Path, error) {
	if maxHops < 1 || maxHops > 6 {
		return nil, valuegraph.FieldError("maxHops", "must be between 1 and 6, got %d", maxHops)
	}
	for _, id := range []string{from, to} {
		res, err := s.query(ctx, cypherEndpoints, map[string]any{"id": id})
		if err != nil {
			return nil, formatError("paths", err)
		}
		if len(res.Records) == 0 {
			return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "no node %q", id)
		}
	}
	// The hop bound cannot be a parameter; it is an int checked above.
	res, err := s.query(ctx, sprintfHops(cypherPaths, maxHops),
		map[string]any{"from": from, "to": to, "limit": max(limit, 1)})
	if err != nil {
		return nil, formatError("paths", err)
	}
	out := make([]Path, 0, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		var path Path
		for _, st := range p.list("steps") {
			path.Steps = append(path.Steps, PathStep{Kind: st.str("kind"), ID: st.str("id"), Name: st.str("name")})
		}
		path.Rels = p.strs("rels")
		out = append(out, path)
	}
	return out, nil
}
