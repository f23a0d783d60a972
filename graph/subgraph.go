package graph

import (
	"context"
	"slices"
	"strings"

	"github.com/valuegraph/valuegraph"
)

// SubgraphKinds are the node labels a neighbourhood may hold.
var SubgraphKinds = []string{"Customer", "Person", "Competitor", "Need", "Signal", "Rep", "Offering", "Product"}

// Edge is one relationship of a subgraph, in its direction, or, with Type
// "VIA_<KIND>" (VIA_SIGNAL…), a link through nodes of a kind not asked for:
// then From is the node nearer the root and Count how many such nodes join
// the two.
type Edge struct {
	From, To, Type string
	Count          int
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

// One hop from every node of the frontier at once, newest first per node:
// at most $perNode nodes of the kinds asked for, and as many of the kinds
// passed through ($through, empty on the last hop), each its own budget so
// that a customer's thousands of signals do not crowd out its people.
// Nodes are carried by element id (a direct seek), since the frontier
// mixes labels.
const cypherSubgraphHop = `
MATCH (a) WHERE elementId(a) IN $frontier
CALL (a) {
  MATCH (a)-[r:ABOUT|MENTIONS|WON|SUPPLIED|WORKS_AT|REPORTS_TO|OWNS|HAS_NEED|ADDRESSES|USES|OFFERS]-(b)
  WHERE any(l IN labels(b) WHERE l IN $kinds)
  RETURN r, b ORDER BY coalesce(b.occurredAt, b.updatedAt) DESC LIMIT $perNode
  UNION
  MATCH (a)-[r:ABOUT|MENTIONS|WON|SUPPLIED|WORKS_AT|REPORTS_TO|OWNS|HAS_NEED|ADDRESSES|USES|OFFERS]-(b)
  WHERE any(l IN labels(b) WHERE l IN $through)
  RETURN r, b ORDER BY coalesce(b.occurredAt, b.updatedAt) DESC LIMIT $perNode
}
RETURN elementId(a) AS from_eid, elementId(b) AS eid, labels(b)[0] AS kind, b.id AS id,
       coalesce(b.name, b.title) AS name, startNode(r).id AS from, endNode(r).id AS to, type(r) AS type`

// Subgraph returns the nodes within depth hops (1–3) of the node with
// id, of the given kinds (all when empty), through business relationships,
// at most limit nodes. A hop may pass through a node of a kind not asked
// for (a customer's signals, to the competitors and needs they mention):
// such nodes are not returned, and the nodes they join are linked by a
// VIA_<KIND> edge instead. One round trip per hop. Nodes carry names only,
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
	var through []string
	for _, k := range SubgraphKinds {
		if !slices.Contains(kinds, k) {
			through = append(through, k)
		}
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
	rootEID := root.str("eid")
	// shown holds the ids of the nodes returned, by element id; a node
	// passed through holds the shown nodes it was reached from instead.
	shown := map[string]string{rootEID: g.Root.ID}
	via := map[string][]string{}
	viaKind := map[string]string{}
	cut := false            // the budget of nodes passed through was spent
	edges := map[Edge]int{} // an edge (Count 0) to its index in g.Edges
	// link adds an edge, or counts one more node behind a VIA_ edge.
	link := func(e Edge, hidden string, counted map[string]bool) {
		if i, ok := edges[e]; ok {
			if hidden != "" && !counted[hidden] {
				g.Edges[i].Count++
				counted[hidden] = true
			}
			return
		}
		edges[e] = len(g.Edges)
		if hidden != "" {
			counted[hidden] = true
		}
		e.Count = 1
		g.Edges = append(g.Edges, e)
	}
	counted := map[Edge]map[string]bool{}
	frontier := []string{rootEID}
	for hop := 0; hop < depth && len(frontier) > 0 && !g.Truncated; hop++ {
		pass := through
		if hop == depth-1 {
			pass = []string{} // nothing to pass through to
		}
		res, err := s.query(ctx, cypherSubgraphHop,
			map[string]any{"frontier": frontier, "kinds": kinds, "through": pass, "perNode": limit})
		if err != nil {
			return nil, formatError("neighbourhood", err)
		}
		frontier = nil
		hidden := 0
		for _, rec := range res.Records {
			p := props(rec.AsMap())
			from, eid := p.str("from_eid"), p.str("eid")
			if eid == rootEID {
				if _, ok := shown[from]; ok {
					link(Edge{From: p.str("from"), To: p.str("to"), Type: p.str("type")}, "", nil)
				}
				continue
			}
			if !slices.Contains(kinds, p.str("kind")) {
				// Passed through: remember which shown nodes lead here.
				if _, ok := via[eid]; !ok {
					if hidden == limit {
						cut = true
						continue
					}
					hidden++
					viaKind[eid] = p.str("kind")
					frontier = append(frontier, eid)
				}
				if id, ok := shown[from]; ok {
					via[eid] = appendNew(via[eid], id)
				} else {
					for _, id := range via[from] {
						via[eid] = appendNew(via[eid], id)
					}
				}
				continue
			}
			if _, ok := shown[eid]; !ok {
				if len(g.Nodes) == limit {
					g.Truncated = true
					continue
				}
				shown[eid] = p.str("id")
				g.Nodes = append(g.Nodes, PathStep{Kind: p.str("kind"), ID: p.str("id"), Name: p.str("name")})
				frontier = append(frontier, eid)
			}
			if _, ok := shown[from]; ok {
				link(Edge{From: p.str("from"), To: p.str("to"), Type: p.str("type")}, "", nil)
				continue
			}
			kind := "VIA_" + strings.ToUpper(viaKind[from])
			for _, near := range via[from] {
				if near == shown[eid] {
					continue
				}
				e := Edge{From: near, To: shown[eid], Type: kind}
				if counted[e] == nil {
					counted[e] = map[string]bool{}
				}
				link(e, from, counted[e])
			}
		}
	}
	g.Truncated = g.Truncated || cut
	return g, nil
}

func appendNew(ids []string, id string) []string {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// KindCount is how many neighbours of one kind a node has.
type KindCount struct {
	Kind  string
	Count int
}

const cypherNeighbourCounts = `
CALL {
  MATCH (x:Customer {id: $id}) RETURN x UNION MATCH (x:Person {id: $id}) RETURN x
  UNION MATCH (x:Competitor {id: $id}) RETURN x UNION MATCH (x:Need {id: $id}) RETURN x
  UNION MATCH (x:Signal {id: $id}) RETURN x UNION MATCH (x:Rep {id: $id}) RETURN x
  UNION MATCH (x:Offering {id: $id}) RETURN x UNION MATCH (x:Product {id: $id}) RETURN x
}
OPTIONAL CALL (x) {
  MATCH (x)-[:ABOUT|MENTIONS|WON|SUPPLIED|WORKS_AT|REPORTS_TO|OWNS|HAS_NEED|ADDRESSES|USES|OFFERS]-(b)
  WHERE any(l IN labels(b) WHERE l IN $kinds)
  RETURN labels(b)[0] AS kind, count(DISTINCT b) AS n
}
RETURN kind, n ORDER BY n DESC, kind`

// NeighbourCounts counts a node's neighbours of each kind, through the
// relationships Subgraph follows, most first: what an explorer shows of a
// node with thousands of neighbours before it expands one kind of them.
// ENOTFOUND for an unknown id.
func (s *Store) NeighbourCounts(ctx context.Context, id string) ([]KindCount, error) {
	res, err := s.query(ctx, cypherNeighbourCounts, map[string]any{"id": id, "kinds": SubgraphKinds})
	if err != nil {
		return nil, formatError("neighbour counts", err)
	}
	if len(res.Records) == 0 {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "no node %q", id)
	}
	out := []KindCount{}
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		if k := p.str("kind"); k != "" {
			out = append(out, KindCount{Kind: k, Count: p.int("n")})
		}
	}
	return out, nil
}
