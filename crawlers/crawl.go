package crawlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	neturl "net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

// StateStore keeps what crawls saw and how sources fare.
type StateStore interface {
	CrawlState(ctx context.Context, source string) (map[string]valuegraph.PageState, error)
	SaveCrawlState(ctx context.Context, source string, pages []valuegraph.PageState) error
	RecordCrawlRun(ctx context.Context, run valuegraph.CrawlRun) error
	RecordsEver(ctx context.Context, source string) (int, error)
}

// Crawler runs sources once each: politely (robots.txt, a delay and a
// parallelism per domain, retries with backoff on 429 and 5xx, timeouts, a
// page budget and depth, a size limit, a redirect limit), incrementally
// (conditional requests, and pages whose body is unchanged are not read
// again), handing a record per notice to Emit.
type Crawler struct {
	State     StateStore
	Emit      func(ingest.Item) error // called from one goroutine at a time
	Reject    func(error)             // a record a page holds that cannot be read (its file is the URL); nil: counted only
	UserAgent string                  // default ValueGraphBot
	Logger    *slog.Logger
	// Backoff is the wait before retry n (from 0) when the server gives no
	// Retry-After; default 500ms × 2ⁿ.
	Backoff func(n int) time.Duration
}

// Report is what one run of a source did.
type Report struct {
	Source      string
	Pages       int                 // fetched with a body
	NotModified int                 // answered 304
	Unchanged   int                 // body as before: not read again
	Records     int                 // records emitted: notices, releases, posts, rows
	Rejected    int                 // records a page holds that could not be read, each handed to Crawler.Reject
	Skipped     map[string][]string // reason -> URLs not fetched or not read: robots, size, budget, depth, redirects
	Errors      []string
	Flagged     string
}

func (r *Report) skip(reason, url string) {
	if r.Skipped == nil {
		r.Skipped = map[string][]string{}
	}
	r.Skipped[reason] = append(r.Skipped[reason], url)
}

// Run crawls one source.
func (c *Crawler) Run(ctx context.Context, src Source) (Report, error) {
	src.defaults()
	rep := Report{Source: src.Name}
	state, err := c.State.CrawlState(ctx, src.Name)
	if err != nil {
		return rep, err
	}
	ua := c.UserAgent
	if ua == "" {
		ua = "ValueGraphBot/1.0 (customer intelligence; respects robots.txt)"
	}
	backoff := c.Backoff
	if backoff == nil {
		backoff = func(n int) time.Duration { return 500 * time.Millisecond << n }
	}

	coll := colly.NewCollector(colly.Async(true), colly.MaxDepth(src.MaxDepth), colly.UserAgent(ua))
	coll.IgnoreRobotsTxt = false
	coll.DetectCharset = true
	coll.MaxBodySize = src.MaxBytes + 1 // one byte over tells a cut body from a whole one
	coll.MaxRequests = uint32(src.MaxPages)
	coll.Context = ctx
	coll.SetRequestTimeout(src.Timeout)
	coll.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return fmt.Errorf("more than 5 redirects")
		}
		return nil
	})
	if err := coll.Limit(&colly.LimitRule{DomainGlob: "*", Delay: src.Delay, Parallelism: src.Parallel}); err != nil {
		return rep, err
	}

	var mu sync.Mutex
	kinds := map[string]string{} // url -> list or detail
	retries := map[string]int{}
	var saved []valuegraph.PageState
	var emitErr error
	visit := func(r *colly.Request, url, kind string) {
		mu.Lock()
		if _, seen := kinds[url]; seen {
			mu.Unlock()
			return
		}
		kinds[url] = kind
		mu.Unlock()
		var err error
		if r == nil {
			err = coll.Visit(url)
		} else {
			err = r.Visit(url)
		}
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
		case errors.Is(err, colly.ErrRobotsTxtBlocked):
			rep.skip("robots.txt", url)
		case errors.Is(err, colly.ErrMaxRequests):
			rep.skip("page budget", url)
		case errors.Is(err, colly.ErrMaxDepth):
			rep.skip("depth", url)
		case errors.As(err, new(*colly.AlreadyVisitedError)):
		default:
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %v", url, err))
		}
	}

	coll.OnRequest(func(r *colly.Request) {
		mu.Lock()
		st, ok := state[r.URL.String()]
		mu.Unlock()
		if ok && st.ETag != "" {
			r.Headers.Set("If-None-Match", st.ETag)
		}
		if ok && st.LastModified != "" {
			r.Headers.Set("If-Modified-Since", st.LastModified)
		}
	})
	coll.OnResponseHeaders(func(r *colly.Response) {
		if n, err := strconv.Atoi(r.Headers.Get("Content-Length")); err == nil && n > src.MaxBytes {
			mu.Lock()
			rep.skip("larger than maxBytes", r.Request.URL.String())
			mu.Unlock()
			r.Request.Abort()
		}
	})
	emit := func(it ingest.Item) { // with mu held
		if it.Signal != nil {
			it.Signal.Trust = valuegraph.TrustLevel(src.Trust) // the source's level, as configured
		}
		if emitErr == nil {
			if emitErr = c.Emit(it); emitErr == nil {
				rep.Records++
			}
		}
	}
	coll.OnResponse(func(r *colly.Response) {
		url := r.Request.URL.String()
		mu.Lock()
		if len(r.Body) > src.MaxBytes {
			rep.skip("larger than maxBytes", url)
			mu.Unlock()
			return
		}
		rep.Pages++
		sum := sha256.Sum256(r.Body)
		hash := hex.EncodeToString(sum[:])
		ps := valuegraph.PageState{URL: url, ETag: r.Headers.Get("ETag"), LastModified: r.Headers.Get("Last-Modified"), Hash: hash, FetchedAt: time.Now()}
		saved = append(saved, ps)
		at := len(saved) - 1
		old, seen := state[url]
		unchanged := seen && old.Hash == hash
		kind := kinds[url]
		if src.Kind == "html" {
			if kind != "detail" {
				mu.Unlock()
				return
			}
			if unchanged {
				rep.Unchanged++
				mu.Unlock()
				return
			}
			mu.Unlock()
			// Pages are read in parallel; only the report and the
			// emitter are shared.
			it, err := detailItem(src, url, r.Body)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %v", url, err))
				return
			}
			emit(it)
			return
		}
		if unchanged {
			rep.Unchanged++
		}
		mu.Unlock()

		// A page of an API, a feed or a file: its records, unless it is as
		// it was, and the next page, whatever it was.
		items, rejected, next, err := c.document(ctx, src, r.Request.URL, r.Body, unchanged)
		mu.Lock()
		saved[at].Next = next
		if err != nil {
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %v", url, err))
		}
		for _, it := range items {
			emit(it)
		}
		rep.Rejected += len(rejected)
		if c.Reject != nil {
			for _, e := range rejected {
				c.Reject(e)
			}
		}
		mu.Unlock()
		if next != "" {
			visit(r.Request, next, "page")
		}
	})
	if src.Kind == "html" {
		followLinks(coll, src, &mu, kinds, visit)
	}
	coll.OnError(func(r *colly.Response, err error) {
		url := r.Request.URL.String()
		mu.Lock()
		switch {
		case r.StatusCode == http.StatusNotModified:
			rep.NotModified++
			next := state[url].Next // a page as it was still leads to the next one, which may not be
			mu.Unlock()
			if next != "" {
				visit(r.Request, next, "page")
			}
			return
		case errors.Is(err, colly.ErrAbortedAfterHeaders):
			mu.Unlock()
			return // too large: already reported
		case (r.StatusCode == http.StatusTooManyRequests || r.StatusCode >= 500) && retries[url] < src.Retries:
			n := retries[url]
			retries[url]++
			mu.Unlock()
			wait := backoff(n)
			if s, err := strconv.Atoi(r.Headers.Get("Retry-After")); err == nil && s >= 0 {
				wait = time.Duration(s) * time.Second
			}
			select {
			case <-ctx.Done():
			case <-time.After(wait):
				if err := r.Request.Retry(); err != nil {
					mu.Lock()
					rep.Errors = append(rep.Errors, fmt.Sprintf("%s: retry: %v", url, err))
					mu.Unlock()
				}
			}
			return
		}
		status := ""
		if r.StatusCode > 0 {
			status = fmt.Sprintf(" (HTTP %d)", r.StatusCode)
		}
		rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %v%s", url, err, status))
		mu.Unlock()
	})

	for _, seed := range src.Seeds {
		visit(nil, seed, "list")
	}
	coll.Wait()
	if emitErr != nil {
		return rep, emitErr
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if err := c.State.SaveCrawlState(ctx, src.Name, saved); err != nil {
		return rep, err
	}
	// A source whose pages used to give records and now give none has
	// selectors that stopped matching: say so, do not go quietly empty.
	if rep.Pages > 0 && rep.Records == 0 && rep.Unchanged == 0 && rep.NotModified == 0 {
		if ever, err := c.State.RecordsEver(ctx, src.Name); err == nil && ever > 0 {
			rep.Flagged = "pages were fetched but no notice was read from them; check the list and detail selectors"
		}
	}
	for _, urls := range rep.Skipped {
		sort.Strings(urls)
	}
	sort.Strings(rep.Errors)
	run := valuegraph.CrawlRun{Source: src.Name, Trust: valuegraph.TrustLevel(src.Trust), FinishedAt: time.Now(), Pages: rep.Pages,
		Records: rep.Records, Errors: len(rep.Errors), Flagged: rep.Flagged}
	return rep, c.State.RecordCrawlRun(ctx, run)
}

func kindOf(mu *sync.Mutex, kinds map[string]string, url string) string {
	mu.Lock()
	defer mu.Unlock()
	return kinds[url]
}

// detailItem reads a detail page through the source's selectors and the
// notice extractor.
func detailItem(src Source, url string, body []byte) (ingest.Item, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return ingest.Item{}, err
	}
	text := func(sel string) string {
		if sel == "" {
			return ""
		}
		return squeeze(doc.Find(sel).First().Text())
	}
	content, _ := doc.Find(src.Detail.Content).First().Html()
	if content == "" {
		return ingest.Item{}, fmt.Errorf("detail.content selector %q matches nothing", src.Detail.Content)
	}
	in := NoticeInput{URL: url, Title: text(src.Detail.Title), AnnounceType: text(src.Detail.Type), PurchaserName: text(src.Detail.Buyer),
		AgentName: text(src.Detail.Agency), ProjectName: text(src.Detail.Project), PublishedAt: text(src.Detail.Published), Content: content}
	it, err := noticeItem(ExtractNotice(in), in, src.Name, valuegraph.TrustLevel(src.Trust), "", 0)
	if err == nil {
		it.Signal.Attachments = attachments(doc, url, src.Detail.Attachments)
	}
	return it, err
}

// documentExt are the file types a notice's attachments come in.
var documentExt = []string{".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".7z", ".wps", ".ofd", ".et"}

// attachments lists the documents a page links: the anchors sel selects,
// or, without sel, anchors to document files. Each once, in page order.
func attachments(doc *goquery.Document, page, sel string) []valuegraph.Attachment {
	base, err := neturl.Parse(page)
	if err != nil {
		return nil
	}
	if sel == "" {
		sel = "a[href]"
	}
	var out []valuegraph.Attachment
	seen := map[string]bool{}
	doc.Find(sel).Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u, err := base.Parse(strings.TrimSpace(href))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || seen[u.String()] {
			return
		}
		if sel == "a[href]" && !slices.Contains(documentExt, strings.ToLower(path.Ext(u.Path))) {
			return
		}
		seen[u.String()] = true
		name := squeeze(a.Text())
		if name == "" {
			name = path.Base(u.Path)
		}
		out = append(out, valuegraph.Attachment{Name: name, URL: u.String()})
	})
	return out
}

// Ingest runs a source once and writes what it finds through w, in batches.
func (c *Crawler) Ingest(ctx context.Context, src Source, w *ingest.Writer, onReject func(error)) (Report, ingest.Summary, error) {
	b := ingest.NewBatcher(w, 500, onReject)
	run := *c
	run.Emit = func(it ingest.Item) error { return b.Add(ctx, it) }
	run.Reject = onReject
	rep, err := run.Run(ctx, src)
	if ferr := b.Flush(ctx); err == nil {
		err = ferr
	}
	return rep, *b.Summary(), err
}

// followLinks follows an html source's list pages to their notices and to
// the next list page.
func followLinks(coll *colly.Collector, src Source, mu *sync.Mutex, kinds map[string]string, visit func(r *colly.Request, url, kind string)) {
	coll.OnHTML(src.List.Item, func(e *colly.HTMLElement) {
		if kindOf(mu, kinds, e.Request.URL.String()) != "list" {
			return
		}
		if href := e.Request.AbsoluteURL(e.Attr("href")); href != "" {
			visit(e.Request, href, "detail")
		}
	})
	if src.List.Next != "" {
		coll.OnHTML(src.List.Next, func(e *colly.HTMLElement) {
			if kindOf(mu, kinds, e.Request.URL.String()) != "list" {
				return
			}
			if href := e.Request.AbsoluteURL(e.Attr("href")); href != "" {
				visit(e.Request, href, "list")
			}
		})
	}
}
