package graph

import (
	"context"
	"strings"

	"github.com/valuegraph/valuegraph"
)

const cypherSearchNames = `
CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit * 4}) YIELD node, score
WITH node, score, [l IN labels(node) WHERE l IN $kinds][0] AS kind
WHERE kind IS NOT NULL
RETURN kind, node.id AS id, node.name AS name, score
ORDER BY score DESC, name
LIMIT $limit`

// SearchKinds are the labels the name index covers.
var SearchKinds = []string{"Customer", "Competitor", "Person"}

// SearchNames finds customers, competitors and people by name or alias,
// best match first. Chinese text matches by bigrams (浦东发展 finds
// 上海浦东发展银行股份有限公司); the whole query as a phrase ranks above
// scattered matches. kinds narrows the labels; empty means all.
func (s *Store) SearchNames(ctx context.Context, text string, kinds []string, limit int) ([]valuegraph.NameHit, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, valuegraph.FieldError("text", "required")
	}
	if limit <= 0 || limit > 500 {
		limit = 20
	}
	if len(kinds) == 0 {
		kinds = SearchKinds
	}
	// Lower case: the analyzer folds case anyway, and AND/OR/NOT in user
	// text must not become operators.
	escaped := escapeLucene(strings.ToLower(text))
	query := `"` + escaped + `"^4 OR (` + escaped + `)`
	res, err := s.query(ctx, cypherSearchNames,
		map[string]any{"index": nameIndex, "query": query, "limit": limit, "kinds": kinds})
	if err != nil {
		return nil, formatError("search names", err)
	}
	hits := make([]valuegraph.NameHit, 0, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		hits = append(hits, valuegraph.NameHit{Kind: p.str("kind"), ID: p.str("id"), Name: p.str("name"), Score: p.float("score")})
	}
	return hits, nil
}

// escapeLucene quotes the characters Lucene's query parser treats as syntax,
// so user text is always searched for as text.
func escapeLucene(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`+-&|!(){}[]^"~*?:\/`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
