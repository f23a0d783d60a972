package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Footprint is everything a namespace holds, counted and itemised, so that
// two footprints taken around an ingest tell whether it changed anything
// (a second ingest of the same file must not).
type Footprint struct {
	Nodes         int
	Relationships int // with at least one end in the namespace
	Properties    int // keys on those nodes and relationships
	Reviews       int

	// Entries holds each node ("Label id") and relationship ("TYPE from->to")
	// with its properties written out, for telling what changed.
	Entries map[string]string
}

// A node is in a namespace when its id (or, for an Identifier, its key)
// starts with the prefix; a relationship when one of its ends is.
const (
	cypherFootprintNodes = `
MATCH (n) WHERE n.id STARTS WITH $prefix OR (n:Identifier AND n.key STARTS WITH $prefix)
RETURN labels(n) AS labels, coalesce(n.id, n.key) AS id, properties(n) AS props`
	cypherFootprintRelationships = `
MATCH (a)-[r]->(b)
WHERE a.id STARTS WITH $prefix OR b.id STARTS WITH $prefix OR (b:Identifier AND b.key STARTS WITH $prefix)
RETURN type(r) AS type, coalesce(a.id, a.key) AS from, coalesce(b.id, b.key) AS to, properties(r) AS props`
)

// Footprint reads what the namespace prefix holds. It reads every node of
// the database: for tests and trial ingests, not for the API.
func (s *Store) Footprint(ctx context.Context, prefix string) (Footprint, error) {
	f := Footprint{Entries: map[string]string{}}
	var entries [][2]string
	if prefix == "" {
		return f, fmt.Errorf("footprint: an empty prefix would read the whole graph")
	}
	res, err := s.query(ctx, cypherFootprintNodes, map[string]any{"prefix": prefix})
	if err != nil {
		return f, formatError("footprint", err)
	}
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		labels := p.strs("labels")
		slices.Sort(labels)
		pr := p.sub("props")
		f.Nodes++
		f.Properties += len(pr)
		if slices.Contains(labels, "Review") {
			f.Reviews++
		}
		entries = append(entries, [2]string{strings.Join(labels, ":") + " " + p.str("id"), render(pr)})
	}
	res, err = s.query(ctx, cypherFootprintRelationships, map[string]any{"prefix": prefix})
	if err != nil {
		return f, formatError("footprint", err)
	}
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		pr := p.sub("props")
		f.Relationships++
		f.Properties += len(pr)
		entries = append(entries, [2]string{p.str("type") + " " + p.str("from") + "->" + p.str("to"), render(pr)})
	}
	// Two relationships of one type between the same nodes are numbered,
	// in the order of their properties, so duplicates show.
	slices.SortFunc(entries, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
	for i, e := range entries {
		name := e[0]
		if i > 0 && entries[i-1][0] == e[0] {
			for n := 2; ; n++ {
				name = fmt.Sprintf("%s #%d", e[0], n)
				if _, dup := f.Entries[name]; !dup {
					break
				}
			}
		}
		f.Entries[name] = e[1]
	}
	return f, nil
}

// render writes properties in key order.
func render(pr map[string]any) string {
	keys := make([]string, 0, len(pr))
	for k := range pr {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v ", k, pr[k])
	}
	return b.String()
}

// Diff lists the entries that differ between f and g, each with its
// properties on either side ("" where it is absent), in name order.
func (f Footprint) Diff(g Footprint) []string {
	var out []string
	for name, p := range f.Entries {
		if q, ok := g.Entries[name]; !ok || q != p {
			out = append(out, fmt.Sprintf("%s: %q -> %q", name, p, q))
		}
	}
	for name, q := range g.Entries {
		if _, ok := f.Entries[name]; !ok {
			out = append(out, fmt.Sprintf("%s: %q -> %q", name, "", q))
		}
	}
	slices.Sort(out)
	return out
}
