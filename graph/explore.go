package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
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
// competitor or that awarded it a tender, most evidence first. ENOTFOUND
// for an unknown competitor.
func (s *Store) CompetitorFootprint(ctx context.Context, competitorID string, limit int) ([]Presence, error) {
	out, err := s.presence(ctx, cypherCompetitorFootprint, competitorID, limit, "competitor footprint")
	if err == nil && len(out) == 0 {
		err = s.mustExist(ctx, "Competitor", competitorID)
	}
	return out, err
}

const cypherCustomersSharingNeed = `
MATCH (n:Need {id: $id})<-[:MENTIONS]-(s:Signal)-[:ABOUT]->(c:Customer)
WITH c, count(DISTINCT s) AS n, max(s.occurredAt) AS last, false AS won
ORDER BY n DESC, last DESC LIMIT $limit
RETURN ` + customerProjection + `, n, last, won`

// CustomersSharingNeed lists the customers whose signals show a need, most
// evidence first. ENOTFOUND for an unknown need.
func (s *Store) CustomersSharingNeed(ctx context.Context, needID string, limit int) ([]Presence, error) {
	out, err := s.presence(ctx, cypherCustomersSharingNeed, needID, limit, "customers sharing a need")
	if err == nil && len(out) == 0 {
		err = s.mustExist(ctx, "Need", needID)
	}
	return out, err
}

// The label of mustExist is one of a fixed few, never input.
const cypherNodeExists = `MATCH (x:%s {id: $id}) RETURN count(x) > 0 AS found`

// mustExist answers ENOTFOUND when there is no node of a label with an id:
// a query around a node says so of an unknown one, as paths and
// neighbourhood do, rather than answer an empty list. It is asked only
// after an empty answer, so a found node costs nothing more.
func (s *Store) mustExist(ctx context.Context, label, id string) error {
	if !slices.Contains(SubgraphKinds, label) {
		return fmt.Errorf("mustExist: label %q is not a node kind", label)
	}
	res, err := s.query(ctx, fmt.Sprintf(cypherNodeExists, label), map[string]any{"id": id})
	if err != nil {
		return formatError("find "+strings.ToLower(label), err)
	}
	if len(res.Records) == 0 || res.Records[0].Values[0] != true {
		return valuegraph.Errorf(valuegraph.ENOTFOUND, "%s %q not found", strings.ToLower(label), id)
	}
	return nil
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
	Edges []Edge   // the same relationships, each in its own direction
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
       [r IN relationships(p) | type(r)] AS rels,
       [r IN relationships(p) | {from: startNode(r).id, to: endNode(r).id, type: type(r)}] AS edges
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
		for _, e := range p.list("edges") {
			path.Edges = append(path.Edges, Edge{From: e.str("from"), To: e.str("to"), Type: e.str("type"), Count: 1})
		}
		out = append(out, path)
	}
	return out, nil
}
