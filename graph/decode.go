package graph

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// props reads values out of the maps our queries return (n {.*}). Missing or
// null properties read as zero values: the graph does not store empty fields.
type props map[string]any

func (p props) str(key string) string {
	s, _ := p[key].(string)
	return s
}

func (p props) strs(key string) []string {
	raw, _ := p[key].([]any)
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (p props) int(key string) int {
	switch v := p[key].(type) {
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

func (p props) float(key string) float64 {
	switch v := p[key].(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	}
	return 0
}

// floatOrNil is the number at key, nil when the property is not set.
func (p props) floatOrNil(key string) *float64 {
	switch p[key].(type) {
	case float64, int64:
		f := p.float(key)
		return &f
	}
	return nil
}

func (p props) bool(key string) bool {
	b, _ := p[key].(bool)
	return b
}

func (p props) time(key string) time.Time {
	switch v := p[key].(type) {
	case time.Time:
		return v
	case dbtype.LocalDateTime:
		return v.Time()
	case dbtype.Date:
		return v.Time()
	}
	return time.Time{}
}

func (p props) sub(key string) props {
	m, _ := p[key].(map[string]any)
	return m
}

func (p props) list(key string) []props {
	raw, _ := p[key].([]any)
	out := make([]props, 0, len(raw))
	for _, v := range raw {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Values going into Cypher: empty strings and zero times become null, so that
// coalesce(row.x, n.x) keeps what the graph already knows.

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullFloat(f float64) any {
	if f == 0 {
		return nil
	}
	return f
}

func nullList(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func list(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// jsonString keeps a small map as JSON text on a node (Neo4j properties
// cannot be maps).
func jsonString(m map[string]any) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// sprintfHops puts a checked integer hop bound into a path pattern.
func sprintfHops(cypher string, hops int) string {
	return strings.Replace(cypher, "%d", strconv.Itoa(hops), 1)
}
