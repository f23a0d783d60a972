package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// A namespace's nodes are those whose id starts with its prefix and the
// identifiers whose key holds it; its snapshot takes them, every node one
// relationship away (reviews, sources, lexicon nodes) and every relationship
// that touches them, each with all its properties.
const (
	cypherSnapshotNodes = `
MATCH (n) WHERE n.id STARTS WITH $prefix OR (n:Identifier AND n.key CONTAINS $prefix)
CALL (n) {
  RETURN n AS x
  UNION
  MATCH (n)--(x) RETURN x
}
WITH DISTINCT x
RETURN labels(x) AS labels, properties(x) AS props`

	cypherSnapshotRelationships = `
MATCH (n) WHERE n.id STARTS WITH $prefix OR (n:Identifier AND n.key CONTAINS $prefix)
MATCH (n)-[r]-(m)
WITH DISTINCT r
RETURN type(r) AS type, properties(r) AS props,
       coalesce(startNode(r).id, startNode(r).key) AS from, coalesce(endNode(r).id, endNode(r).key) AS to`
)

// Snapshot is what a namespace holds, one line per node and relationship
// with its properties, sorted: two snapshots differ exactly when a node, a
// relationship or a property was added, removed or changed.
type Snapshot struct {
	Nodes, Relationships, Properties int
	Lines                            []string
}

// Diff lists the lines only in s and only in o.
func (s Snapshot) Diff(o Snapshot) (onlyS, onlyO []string) {
	in := func(lines []string, l string) bool { _, ok := slices.BinarySearch(lines, l); return ok }
	for _, l := range s.Lines {
		if !in(o.Lines, l) {
			onlyS = append(onlyS, l)
		}
	}
	for _, l := range o.Lines {
		if !in(s.Lines, l) {
			onlyO = append(onlyO, l)
		}
	}
	return onlyS, onlyO
}

// Snapshot reads what the namespace prefix holds (see Snapshot). For tests
// and trial ingests: it reads every node and relationship of the namespace.
func (s *Store) Snapshot(ctx context.Context, prefix string) (Snapshot, error) {
	var snap Snapshot
	if len(prefix) < 3 {
		return snap, fmt.Errorf("snapshot: prefix %q is too short to be a namespace", prefix)
	}
	params := map[string]any{"prefix": prefix}
	res, err := s.query(ctx, cypherSnapshotNodes, params)
	if err != nil {
		return snap, formatError("snapshot nodes", err)
	}
	for _, rec := range res.Records {
		m := rec.AsMap()
		labels, _ := m["labels"].([]any)
		p, _ := m["props"].(map[string]any)
		b, err := json.Marshal(p)
		if err != nil {
			return snap, err
		}
		snap.Nodes++
		snap.Properties += len(p)
		snap.Lines = append(snap.Lines, fmt.Sprintf("node %v %s", labels, b))
	}
	res, err = s.query(ctx, cypherSnapshotRelationships, params)
	if err != nil {
		return snap, formatError("snapshot relationships", err)
	}
	for _, rec := range res.Records {
		m := rec.AsMap()
		p, _ := m["props"].(map[string]any)
		b, err := json.Marshal(p)
		if err != nil {
			return snap, err
		}
		snap.Relationships++
		snap.Properties += len(p)
		snap.Lines = append(snap.Lines, fmt.Sprintf("rel (%v)-[%v %s]->(%v)", m["from"], m["type"], b, m["to"]))
	}
	slices.Sort(snap.Lines)
	return snap, nil
}

// String summarises the snapshot.
func (s Snapshot) String() string {
	return strings.Join([]string{fmt.Sprint(s.Nodes, " nodes"), fmt.Sprint(s.Relationships, " relationships"), fmt.Sprint(s.Properties, " properties")}, ", ")
}
