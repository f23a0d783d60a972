package graph

import (
	"context"
	"slices"

	"github.com/valuegraph/valuegraph"
)

// SubgraphKinds are the node labels a neighbourhood may hold.
var SubgraphKinds = []string{"Customer", "Person", "Competitor", "Need", "Signal", "Rep", "Offering", "Product"}

// Edge is one relationship of a subgraph, in its direction.
type Edge struct {
	From, To, Type string
}

// Subgraph is the neighbourhood of a node: the nodes reached within some
// hops and the relationships that reached them.
type Subgraph struct {
	Root      PathStep
	Nodes     []PathStep // the root first, then by hop
	Edges     []Edge
	Truncated bool // the node limit or a node's fan-out cut it short
}

const cypherSubgraphRoot = `
CALL {
  MATCH (x:Customer {id: $id}) RETURN x UNION MATCH (x:Person {id: $id}) RETURN x
  UNION MATCH (x:Competitor {id: $id}) RETURN x UNION MATCH (x:Need {id: $id}) RETURN x
  UNION MATCH (x:Signal {id: $id}) RETURN x UNION MATCH (x:Rep {id: $id}) RETURN x
  UNION MATCH (x:Offering {id: $id}) RETURN x UNION MATCH (x:Product {id: $id}) RETURN x
}
RETURN elementId(x) AS eid, labels(x)[0] AS kind, x.id AS id, coalesce(x.name, x.title) AS name`

// One hop from every node of the frontier at once, newest first per node,
// at most $perNode each. Nodes are carried by element id (a direct seek),
// since the frontier mixes labels.
const cypherSubgraphHop = `
MATCH (a) WHERE elementId(a) IN $frontier
CALL (a) {
  MATCH (a)-[r:ABOUT|MENTIONS|WON|SUPPLIED|WORKS_AT|REPORTS_TO|OWNS|HAS_NEED|ADDRESSES|USES|OFFERS]-(b)
  WHERE any(l IN labels(b) WHERE l IN $kinds)
  RETURN r, b ORDER BY coalesce(b.occurredAt, b.updatedAt) DESC LIMIT $perNode
}
RETURN elementId(b) AS eid, labels(b)[0] AS kind, b.id AS id, coalesce(b.name, b.title) AS name,
       startNode(r).id AS from, endNode(r).id AS to, type(r) AS type`

// Subgraph returns the nodes within depth hops (1–3) of the node with
// id, of the given kinds (all when empty), through business relationships,
// at most limit nodes. One round trip per hop. Nodes carry names only,
// never contact data. ENOTFOUND for an unknown id.
func (s *Store) Subgraph(ctx context.Context, id string, depth int, kinds []string, limit int) (*Subgraph, error) {
	if depth < 1 || depth > 3 {
		return nil, valuegraph.FieldError("depth", "must be between 1 and 3, got %d", depth)
	}
	if limit < 1 || limit > 1000 {
		return nil, valuegraph.FieldError("first", "must be between 1 and 1000, got %d", limit)
	}
	for _, k := range kinds {
		if !slices.Contains(SubgraphKinds, k) {
			return nil, valuegraph.FieldError("types", "unknown node kind %q", k)
		}
	}
	if len(kinds) == 0 {
		kinds = SubgraphKinds
	}
	res, err := s.query(ctx, cypherSubgraphRoot, map[string]any{"id": id})
	if err != nil {
		return nil, formatError("neighbourhood", err)
	}
	if len(res.Records) == 0 {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "no node %q", id)
	}
	root := props(res.Records[0].AsMap())
	g := &Subgraph{Root: PathStep{Kind: root.str("kind"), ID: root.str("id"), Name: root.str("name")}}
	g.Nodes = append(g.Nodes, g.Root)
	seen := map[string]bool{root.str("eid"): true}
	edges := map[Edge]bool{}
	frontier := []string{root.str("eid")}
	for hop := 0; hop < depth && len(frontier) > 0 && !g.Truncated; hop++ {
		res, err := s.query(ctx, cypherSubgraphHop,
			map[string]any{"frontier": frontier, "kinds": kinds, "perNode": limit})
		if err != nil {
			return nil, formatError("neighbourhood", err)
		}
		frontier = nil
		for _, rec := range res.Records {
			p := props(rec.AsMap())
			eid := p.str("eid")
			if !seen[eid] {
				if len(g.Nodes) == limit {
					g.Truncated = true
					continue
				}
				seen[eid] = true
				g.Nodes = append(g.Nodes, PathStep{Kind: p.str("kind"), ID: p.str("id"), Name: p.str("name")})
				frontier = append(frontier, eid)
			}
			e := Edge{From: p.str("from"), To: p.str("to"), Type: p.str("type")}
			if !edges[e] {
				edges[e] = true
				g.Edges = append(g.Edges, e)
			}
		}
	}
	return g, nil
}
