package graph

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

const cypherCrawlState = `
MATCH (p:CrawlPage {source: $source})
RETURN p {.url, .etag, .lastModified, .hash, .next, .fetchedAt} AS page`

// CrawlState returns what a source's last crawls saw, by URL.
func (s *Store) CrawlState(ctx context.Context, source string) (map[string]valuegraph.PageState, error) {
	res, err := s.query(ctx, cypherCrawlState, map[string]any{"source": source})
	if err != nil {
		return nil, formatError("read crawl state", err)
	}
	out := make(map[string]valuegraph.PageState, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap()).sub("page")
		out[p.str("url")] = valuegraph.PageState{URL: p.str("url"), ETag: p.str("etag"), LastModified: p.str("lastModified"),
			Hash: p.str("hash"), Next: p.str("next"), FetchedAt: p.time("fetchedAt")}
	}
	return out, nil
}

const cypherSaveCrawlState = `
UNWIND $pages AS page
MERGE (p:CrawlPage {id: $source + '|' + page.url})
SET p.source = $source, p.url = page.url, p.etag = page.etag, p.lastModified = page.lastModified,
    p.hash = coalesce(page.hash, p.hash), p.next = page.next, p.fetchedAt = page.fetchedAt`

// SaveCrawlState records what a crawl saw.
func (s *Store) SaveCrawlState(ctx context.Context, source string, pages []valuegraph.PageState) error {
	rows := make([]map[string]any, len(pages))
	for i, p := range pages {
		rows[i] = map[string]any{"url": p.URL, "etag": nullable(p.ETag), "lastModified": nullable(p.LastModified),
			"hash": nullable(p.Hash), "next": nullable(p.Next), "fetchedAt": p.FetchedAt.UTC()}
	}
	return batches(rows, s.batch, func(b []map[string]any) error {
		_, err := neo4j.ExecuteQuery(ctx, s.driver, cypherSaveCrawlState, map[string]any{"source": source, "pages": b}, neo4j.EagerResultTransformer, s.write())
		return formatError("save crawl state", err)
	})
}

const cypherRecordCrawlRun = `
MERGE (s:Source {id: $source})
ON CREATE SET s.trust = $run.trust, s.createdAt = datetime()
SET s.kind = 'crawl', s.lastRunAt = $run.finishedAt, s.lastPages = $run.pages, s.lastRecords = $run.records,
    s.lastErrors = $run.errors, s.flagged = $run.flagged,
    s.everRecords = coalesce(s.everRecords, 0) + $run.records
RETURN s.id AS id`

const cypherPreviousRecords = `MATCH (s:Source {id: $source}) RETURN coalesce(s.everRecords, 0) AS n`

// RecordCrawlRun keeps a source's health: its last run, pages, records,
// errors, and a flag when its selectors stopped matching.
func (s *Store) RecordCrawlRun(ctx context.Context, run valuegraph.CrawlRun) error {
	_, err := neo4j.ExecuteQuery(ctx, s.driver, cypherRecordCrawlRun, map[string]any{"source": run.Source, "run": map[string]any{
		"source": run.Source, "trust": int64(run.Trust), "finishedAt": run.FinishedAt.UTC(), "pages": run.Pages,
		"records": run.Records, "errors": run.Errors, "flagged": nullable(run.Flagged),
	}}, neo4j.EagerResultTransformer, s.write())
	return formatError("record crawl run", err)
}

// RecordsEver returns how many records a source's crawls have emitted in
// all: a source that used to give records and now gives none is flagged.
func (s *Store) RecordsEver(ctx context.Context, source string) (int, error) {
	res, err := s.query(ctx, cypherPreviousRecords, map[string]any{"source": source})
	if err != nil {
		return 0, formatError("read source", err)
	}
	if len(res.Records) == 0 {
		return 0, nil
	}
	n, _, _ := neo4j.GetRecordValue[int64](res.Records[0], "n")
	return int(n), nil
}

const cypherSources = `
MATCH (s:Source)
RETURN s {.*} AS source ORDER BY s.id`

// Sources lists every source with its trust level and, for crawled ones,
// the health of the last run.
func (s *Store) Sources(ctx context.Context) ([]valuegraph.SourceHealth, error) {
	res, err := s.query(ctx, cypherSources, nil)
	if err != nil {
		return nil, formatError("list sources", err)
	}
	out := make([]valuegraph.SourceHealth, 0, len(res.Records))
	for _, rec := range res.Records {
		p := props(rec.AsMap()).sub("source")
		out = append(out, valuegraph.SourceHealth{ID: p.str("id"), Trust: valuegraph.TrustLevel(p.int("trust")), Crawled: p.str("kind") == "crawl",
			LastRunAt: p.time("lastRunAt"), Pages: p.int("lastPages"), Records: p.int("lastRecords"), Errors: p.int("lastErrors"), Flagged: p.str("flagged")})
	}
	return out, nil
}
