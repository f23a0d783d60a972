package graph

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

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
// scattered matches. kinds narrows the labels; empty means all. EINVALID on
// text when empty or past MaxSearchChars or MaxSearchTerms.
func (s *Store) SearchNames(ctx context.Context, text string, kinds []string, limit int) ([]valuegraph.NameHit, error) {
	query, err := nameQuery("text", text, true)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 20
	}
	if len(kinds) == 0 {
		kinds = SearchKinds
	}
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

// Bounds on the text of a full-text search. Lucene's query grows with the
// text, a clause per word (TooManyClauses past 1,024; a megabyte held Neo4j
// at full CPU for a minute), and no name comes near them.
const (
	MaxSearchChars = 200 // characters, not bytes
	MaxSearchTerms = 32  // words: runs of letters and digits, as the analyzer splits them
)

// nameQuery builds the Lucene query for text searched in the name index:
// any of its words, after the whole text as a phrase when phrase is set.
// Every full-text query is built here, so each is bounded: EINVALID naming
// field for empty text, or text past MaxSearchChars or MaxSearchTerms.
func nameQuery(field, text string, phrase bool) (string, error) {
	if n := utf8.RuneCountInString(text); n > MaxSearchChars {
		return "", valuegraph.FieldError(field, "at most %d characters, got %d", MaxSearchChars, n)
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return "", valuegraph.FieldError(field, "required")
	}
	terms := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(terms) > MaxSearchTerms {
		return "", valuegraph.FieldError(field, "at most %d words, got %d", MaxSearchTerms, len(terms))
	}
	// Lower case: the analyzer folds case anyway, and AND/OR/NOT in the
	// text must not become operators.
	escaped := escapeLucene(strings.ToLower(text))
	if !phrase {
		return "(" + escaped + ")", nil
	}
	return `"` + escaped + `"^4 OR (` + escaped + `)`, nil
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
