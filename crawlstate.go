package valuegraph

import "time"

// PageState is what a crawl saw of one page, for the next crawl to ask
// only for what changed (ETag, Last-Modified) and to skip what is the same
// (the body's hash).
type PageState struct {
	URL          string
	ETag         string
	LastModified string
	Hash         string
	Next         string // the page after it (paged APIs and feeds), followed even when it answers 304
	FetchedAt    time.Time
}

// CrawlRun is one run of a source, as its health record.
type CrawlRun struct {
	Source     string
	Trust      TrustLevel
	FinishedAt time.Time
	Pages      int // fetched
	Records    int // emitted
	Errors     int
	Flagged    string // why the source needs a look: selectors that stopped matching
}

// SourceHealth is a source as the graph knows it: its trust level and, for
// crawled sources, how the last run went.
type SourceHealth struct {
	ID        string
	Trust     TrustLevel
	Crawled   bool
	LastRunAt time.Time
	Pages     int
	Records   int
	Errors    int
	Flagged   string
}
