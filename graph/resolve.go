package graph

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

const cypherLookupKeys = `
UNWIND $keys AS k
MATCH (i:Identifier {key: k})<-[link:IDENTIFIED_BY]-(n)
WHERE n:Customer OR n:Competitor
RETURN k AS key, CASE WHEN n:Customer THEN 'Customer' ELSE 'Competitor' END AS kind,
       n.id AS id, n.name AS name, coalesce(link.rule, CASE WHEN i.scheme = 'NAME' THEN 'name' ELSE 'identifier' END) AS rule, coalesce(link.score, 1.0) AS score`

// LookupKeys finds the customers and competitors identified by each key
// ("CN-USCC:…", "NAME:…"); a key may identify several, which callers treat as
// ambiguous. Keys that identify nothing are absent from the map.
func (s *Store) LookupKeys(ctx context.Context, keys []string) (map[string][]valuegraph.OrgRef, error) {
	out := map[string][]valuegraph.OrgRef{}
	if len(keys) == 0 {
		return out, nil
	}
	res, err := s.query(ctx, cypherLookupKeys, map[string]any{"keys": keys})
	if err != nil {
		return nil, formatError("lookup keys", err)
	}
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		out[p.str("key")] = append(out[p.str("key")], valuegraph.OrgRef{
			Kind: p.str("kind"), ID: p.str("id"), Name: p.str("name"), Rule: p.str("rule"), Score: p.float("score")})
	}
	return out, nil
}

const cypherOrgCandidates = `
UNWIND range(0, size($queries) - 1) AS i
WITH i WHERE $queries[i] <> ''
CALL db.index.fulltext.queryNodes($index, $queries[i], {limit: $limit}) YIELD node, score
WITH i, node, score WHERE (node:Customer AND 'Customer' IN $kinds) OR (node:Competitor AND 'Competitor' IN $kinds)
RETURN i, CASE WHEN node:Customer THEN 'Customer' ELSE 'Competitor' END AS kind,
       node.id AS id, node.name AS name, coalesce(node.aliases, []) AS aliases, score`

// OrgCandidates searches the name index for each name and returns, per
// name, up to limit customers or competitors (as kinds allows) with their
// names and aliases, for the caller to score. One round trip for all names.
// A name past the search bounds (MaxSearchChars, MaxSearchTerms) has none.
func (s *Store) OrgCandidates(ctx context.Context, names []string, kinds []string, limit int) ([][]valuegraph.OrgRef, error) {
	out := make([][]valuegraph.OrgRef, len(names))
	if len(names) == 0 {
		return out, nil
	}
	queries := make([]string, len(names))
	for i, n := range names {
		q, err := nameQuery("name", n, false)
		if err != nil {
			// Past the search bounds (or empty) it is no organisation's
			// name: no candidates, rather than failing the batch.
			queries[i] = ""
			continue
		}
		queries[i] = q
	}
	res, err := s.query(ctx, cypherOrgCandidates,
		map[string]any{"queries": queries, "index": nameIndex, "limit": limit, "kinds": kinds})
	if err != nil {
		return nil, formatError("org candidates", err)
	}
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		i := p.int("i")
		out[i] = append(out[i], valuegraph.OrgRef{Kind: p.str("kind"), ID: p.str("id"), Name: p.str("name"), Aliases: p.strs("aliases"), Score: p.float("score")})
	}
	return out, nil
}

const cypherAddAliases = `
UNWIND $rows AS row
CALL (row) {
  MATCH (n:Customer {id: row.id}) WHERE row.kind = 'Customer' RETURN n
  UNION
  MATCH (n:Competitor {id: row.id}) WHERE row.kind = 'Competitor' RETURN n
}
SET n.aliases = CASE WHEN row.name IN coalesce(n.aliases, []) OR row.name = n.name THEN n.aliases
                     ELSE coalesce(n.aliases, []) + row.name END
MERGE (i:Identifier {key: row.key})
ON CREATE SET i.scheme = split(row.key, ':')[0], i.value = row.value
MERGE (n)-[link:IDENTIFIED_BY]->(i)
ON CREATE SET link.rule = row.rule, link.score = row.score, link.source = row.source, link.asName = row.name, link.at = datetime()
RETURN count(*) AS n`

// AddAliases ties names to the organisations entity resolution matched them
// to: the name joins the aliases (found by search) and its key becomes an
// identifier (found by lookup next time). The link keeps rule, score and
// source, so the merge can be explained and undone.
func (s *Store) AddAliases(ctx context.Context, aliases []valuegraph.Alias) error {
	if len(aliases) == 0 {
		return nil
	}
	rows := make([]map[string]any, len(aliases))
	for i, a := range aliases {
		rows[i] = map[string]any{"kind": a.Kind, "id": a.ID, "name": a.Name, "key": a.Key,
			"value": a.Value, "rule": a.Rule, "score": a.Score, "source": nullable(a.Source)}
	}
	_, err := neo4j.ExecuteQuery(ctx, s.driver, cypherAddAliases, map[string]any{"rows": rows}, neo4j.EagerResultTransformer, s.write())
	return formatError("add aliases", err)
}

const cypherAddReviews = `
UNWIND $rows AS row
MERGE (r:Review {id: row.id})
ON CREATE SET r.name = row.name, r.key = row.key, r.source = row.source, r.reason = row.reason,
              r.status = 'open', r.createdAt = datetime()
WITH r, row
MATCH (p:Customer {id: row.provisionalId})
MERGE (r)-[:PROVISIONAL]->(p)
WITH r, row
UNWIND row.candidates AS c
CALL (r, c) {
  MATCH (n:Customer {id: c.id}) WHERE c.kind = 'Customer' RETURN n
  UNION
  MATCH (n:Competitor {id: c.id}) WHERE c.kind = 'Competitor' RETURN n
}
MERGE (r)-[k:CANDIDATE]->(n)
ON CREATE SET k.score = c.score`

// AddReviews records ambiguous matches. Review ids are derived from the
// mention, so the same ambiguity met again is the same review.
func (s *Store) AddReviews(ctx context.Context, reviews []valuegraph.Review) error {
	if len(reviews) == 0 {
		return nil
	}
	rows := make([]map[string]any, len(reviews))
	for i, r := range reviews {
		cands := make([]map[string]any, len(r.Candidates))
		for j, c := range r.Candidates {
			cands[j] = map[string]any{"kind": c.Kind, "id": c.ID, "score": c.Score}
		}
		rows[i] = map[string]any{"id": r.ID, "name": r.Name, "key": r.Key, "source": r.Source, "reason": r.Reason,
			"provisionalId": r.ProvisionalID, "candidates": cands}
	}
	_, err := neo4j.ExecuteQuery(ctx, s.driver, cypherAddReviews, map[string]any{"rows": rows}, neo4j.EagerResultTransformer, s.write())
	return formatError("add reviews", err)
}

const cypherReviews = `
MATCH (r:Review)
WHERE ($status IS NULL OR r.status = $status) AND ($id IS NULL OR r.id = $id)
OPTIONAL MATCH (r)-[:PROVISIONAL]->(p:Customer)
RETURN r {.*, provisionalId: p.id,
  candidates: COLLECT {
    MATCH (r)-[k:CANDIDATE]->(n)
    RETURN {kind: CASE WHEN n:Customer THEN 'Customer' ELSE 'Competitor' END, id: n.id, name: n.name, score: k.score}
    ORDER BY k.score DESC
  }} AS review
ORDER BY r.createdAt DESC, r.id
LIMIT $limit`

// Reviews lists reviews with a status, newest first.
func (s *Store) Reviews(ctx context.Context, status string, limit int) ([]valuegraph.Review, error) {
	if limit <= 0 {
		limit = 100
	}
	return s.reviews(ctx, map[string]any{"status": status, "id": nil, "limit": limit})
}

// Review reads one review; ENOTFOUND when there is none.
func (s *Store) Review(ctx context.Context, id string) (*valuegraph.Review, error) {
	rs, err := s.reviews(ctx, map[string]any{"status": nil, "id": id, "limit": 1})
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "review %q not found", id)
	}
	return &rs[0], nil
}

func (s *Store) reviews(ctx context.Context, params map[string]any) ([]valuegraph.Review, error) {
	res, err := s.query(ctx, cypherReviews, params)
	if err != nil {
		return nil, formatError("reviews", err)
	}
	out := make([]valuegraph.Review, 0, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap()).sub("review")
		r := valuegraph.Review{ID: p.str("id"), Name: p.str("name"), Key: p.str("key"), Source: p.str("source"),
			Reason: p.str("reason"), ProvisionalID: p.str("provisionalId"), Status: p.str("status"), CreatedAt: p.time("createdAt")}
		for _, c := range p.list("candidates") {
			r.Candidates = append(r.Candidates, valuegraph.ReviewCandidate{
				OrgRef: valuegraph.OrgRef{Kind: c.str("kind"), ID: c.str("id"), Name: c.str("name")}, Score: c.float("score")})
		}
		out = append(out, r)
	}
	return out, nil
}
