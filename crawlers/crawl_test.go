package crawlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/ingest"
)

// portal is a fixture tender portal modelled on the real ccgp notices: two
// list pages, detail pages with ETags, a GBK page, a path robots.txt
// forbids, a slow page, a flaky one, a rate-limited one, a redirect loop and
// an oversized page.
type portal struct {
	mu       sync.Mutex
	hits     map[string]int
	version  map[string]int // detail page -> content version (its ETag)
	renamed  bool           // the list markup changed: selectors no longer match
	failOnce map[string]bool
}

func newPortal() *portal {
	return &portal{hits: map[string]int{}, version: map[string]int{}, failOnce: map[string]bool{"/notice/5": true, "/notice/6": true}}
}

func (p *portal) detail(n int, v int) string {
	return fmt.Sprintf(`<html><head><meta charset="utf-8"><title>公告</title></head><body>
<h1>某某单位第%d号设备采购成交公告</h1><span class="time">2026-10-%02d 09:30:00</span>
<div class="content"><p>采购人：某某市第%d人民医院</p><p>项目编号：CG-%d</p><p>项目名称：第%d号设备采购</p>
<p>成交供应商：某某第%d科技有限公司 成交金额：%d.5万元</p><p>版本%d</p></div>
<p>附件：<a href="/files/%d/招标文件.pdf">招标文件</a> <a href="/files/%d/清单.xlsx"></a> <a href="/notice/%d">本页</a></p></body></html>`, n, n, n, n, n, n, n*10, v, n, n, n)
}

func (p *portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.hits[r.URL.Path]++
	hits := p.hits[r.URL.Path]
	renamed := p.renamed
	p.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	item, next := "notices", "next"
	if renamed {
		item, next = "bulletins", "more"
	}
	switch path := r.URL.Path; {
	case path == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	case path == "/list" && r.URL.Query().Get("page") != "2":
		fmt.Fprintf(w, `<ul class="%s"><li><a href="/notice/1">1</a></li><li><a href="/notice/2">2</a></li><li><a href="/private/3">3</a></li>
<li><a href="/slow/4">4</a></li><li><a href="/notice/5">5</a></li><li><a href="/notice/6">6</a></li><li><a href="/loop">loop</a></li>
<li><a href="/big">big</a></li></ul><a class="%s" href="/list?page=2">下一页</a>`, item, next)
	case path == "/list":
		fmt.Fprintf(w, `<ul class="%s"><li><a href="/gbk/7">7</a></li><li><a href="/broken/8">8</a></li><li><a href="/notice/1">1 again</a></li></ul>`, item)
	case path == "/broken/8":
		// Broken HTML as some portals serve it: unclosed paragraphs and
		// cells, a stray end tag, an unterminated attribute, no </html>.
		w.Header().Set("ETag", `"b1"`)
		if r.Header.Get("If-None-Match") == `"b1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, `<html><body><h1>某某单位第8号设备采购成交公告</h1><span class="time">2026-10-08 09:30:00</span></div>
<div class="content"><p>采购人：某某市第8人民医院<p>项目编号：CG-8<table><tr><td>项目名称：第8号设备采购
<tr><td>成交供应商：某某第8科技有限公司 成交金额：80.5万元</td><td class="x>备注</table><p>`)
	case path == "/slow/4":
		time.Sleep(2 * time.Second)
		fmt.Fprint(w, p.detail(4, 1))
	case path == "/loop":
		http.Redirect(w, r, "/loop", http.StatusFound)
	case path == "/big":
		fmt.Fprint(w, "<html><body><div class=\"content\">"+strings.Repeat("很大的页面", 20000)+"</div></body></html>")
	case path == "/gbk/7":
		w.Header().Set("Content-Type", "text/html; charset=GBK")
		page, _ := simplifiedchinese.GBK.NewEncoder().String(strings.Replace(p.detail(7, 1), `<meta charset="utf-8">`, "", 1))
		fmt.Fprint(w, page)
	case strings.HasPrefix(path, "/notice/"):
		var n int
		fmt.Sscanf(path, "/notice/%d", &n)
		p.mu.Lock()
		fail := p.failOnce[path] && hits == 1
		v := p.version[path] + 1
		p.mu.Unlock()
		if fail && n == 5 {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		if fail && n == 6 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		etag := fmt.Sprintf(`"v%d"`, v)
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, p.detail(n, v))
	default:
		http.NotFound(w, r)
	}
}

func (p *portal) hit(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[path]
}

func TestCrawlFixturePortal(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	ns := graphtest.Prefix(t, s)
	site := newPortal()
	srv := httptest.NewServer(site)
	defer srv.Close()

	sources, err := crawlers.LoadSources([]byte(fmt.Sprintf(`
sources:
  - name: %sportal
    kind: html
    seeds: [%s/list]
    delay: 1ms
    parallelism: 2
    timeout: 500ms
    retries: 2
    maxBytes: 50000
    list: {item: "ul.notices li a", next: "a.next"}
    detail: {content: "div.content", title: "h1", published: "span.time"}
`, ns, srv.URL)), "sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := sources[0]
	w := &ingest.Writer{Graph: s, Matcher: ingest.NewMatcher(s, ingest.MatchOptions{Namespace: ns}), Namespace: ns}
	crawl := func() (crawlers.Report, ingest.Summary) {
		t.Helper()
		var items []ingest.Item
		c := &crawlers.Crawler{State: s, Emit: func(it ingest.Item) error { items = append(items, it); return nil },
			Backoff: func(int) time.Duration { return time.Millisecond }}
		rep, err := c.Run(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		w.Matcher.Forget()
		sum, bad, err := w.Write(ctx, items)
		if err != nil || len(bad) > 0 {
			t.Fatal(err, bad)
		}
		return rep, sum
	}

	rep, sum := crawl()
	if rep.Records != 6 || sum.Created != 6 {
		t.Errorf("first crawl: %d records, %d signals created; want notices 1, 2, 5 (after a 500), 6 (after a 429), the GBK page 7 and the broken page 8", rep.Records, sum.Created)
	}
	if site.hit("/private/3") != 0 || !slices.Contains(rep.Skipped["robots.txt"], srv.URL+"/private/3") {
		t.Errorf("robots.txt: /private/3 fetched %d times, skipped %v", site.hit("/private/3"), rep.Skipped)
	}
	if !slices.Contains(rep.Skipped["larger than maxBytes"], srv.URL+"/big") {
		t.Errorf("the oversized page was not skipped: %v", rep.Skipped)
	}
	errs := strings.Join(rep.Errors, "\n")
	if !strings.Contains(errs, "/loop") || !strings.Contains(errs, "redirects") || !strings.Contains(errs, "/slow/4") {
		t.Errorf("errors %v, want the redirect loop and the slow page", rep.Errors)
	}
	if site.hit("/notice/5") != 2 || site.hit("/notice/6") != 2 || site.hit("/notice/1") != 1 {
		t.Errorf("hits: 5 %d, 6 %d (want a retry each), 1 %d (want once)", site.hit("/notice/5"), site.hit("/notice/6"), site.hit("/notice/1"))
	}
	// The GBK page reads as Chinese, and its buyer and supplier are in the graph.
	hits, _ := s.SearchNames(ctx, "某某市第7人民医院", []string{"Customer"}, 10)
	found := false
	for _, h := range hits {
		found = found || (strings.HasPrefix(h.ID, ns) && h.Name == "某某市第7人民医院")
	}
	if !found {
		t.Errorf("the GBK page's buyer is not in the graph: %+v", hits)
	}
	// The broken page reads as well as a clean one.
	hits, _ = s.SearchNames(ctx, "某某市第8人民医院", []string{"Customer"}, 10)
	if i := slices.IndexFunc(hits, func(h valuegraph.NameHit) bool {
		return strings.HasPrefix(h.ID, ns) && h.Name == "某某市第8人民医院"
	}); i < 0 {
		t.Errorf("the broken page's buyer is not in the graph: %+v", hits)
	} else if n, err := s.Neighbourhood(ctx, hits[i].ID, graphNeighbourhoodAll); err != nil || len(n.Signals) != 1 || n.Signals[0].Amount != 805000 ||
		!slices.ContainsFunc(n.Signals[0].Parties, func(p valuegraph.Party) bool {
			return p.Role == valuegraph.PartyWinner && p.AsName == "某某第8科技有限公司"
		}) {
		t.Errorf("the broken page's notice: %v %+v", err, n)
	}
	// Attachments are listed with their names, never fetched.
	hits, _ = s.SearchNames(ctx, "某某市第1人民医院", []string{"Customer"}, 10)
	for _, h := range hits {
		if !strings.HasPrefix(h.ID, ns) || h.Name != "某某市第1人民医院" {
			continue
		}
		n, err := s.Neighbourhood(ctx, h.ID, graphNeighbourhoodAll)
		if err != nil || len(n.Signals) != 1 {
			t.Fatalf("notice 1's buyer: %v %+v", err, n)
		}
		att := n.Signals[0].Attachments
		if len(att) != 2 || att[0].Name != "招标文件" || att[0].URL != srv.URL+"/files/1/%E6%8B%9B%E6%A0%87%E6%96%87%E4%BB%B6.pdf" || att[1].Name != "清单.xlsx" {
			t.Errorf("attachments %+v", att)
		}
	}
	if site.hit("/files/1/招标文件.pdf") != 0 {
		t.Error("an attachment was downloaded")
	}

	// Unchanged site: conditional requests, nothing new.
	rep, sum = crawl()
	// The five pages with an ETag answer 304; the GBK page has none, is
	// fetched again and found unchanged by its hash.
	if rep.Records != 0 || sum.Created != 0 || rep.NotModified != 5 || rep.Unchanged != 1 {
		t.Errorf("second crawl: %+v, %+v; want 5 not modified, 1 unchanged, nothing new", rep, sum)
	}

	// One notice changes: one signal updated.
	site.mu.Lock()
	site.version["/notice/2"] = 1
	site.mu.Unlock()
	rep, sum = crawl()
	if rep.Records != 1 || sum.Merged != 1 || sum.Created != 0 {
		t.Errorf("after a change: %d records, %+v; want one updated signal", rep.Records, sum)
	}

	// The list markup changes: the source is flagged, not quietly empty.
	site.mu.Lock()
	site.renamed = true
	site.mu.Unlock()
	rep, _ = crawl()
	if rep.Flagged == "" {
		t.Errorf("selectors stopped matching but the source is not flagged: %+v", rep)
	}
	health, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var mine *valuegraph.SourceHealth
	for i := range health {
		if health[i].ID == src.Name {
			mine = &health[i]
		}
	}
	if mine == nil || !mine.Crawled || mine.Flagged == "" || mine.Pages == 0 || mine.LastRunAt.IsZero() {
		t.Errorf("source health %+v", mine)
	}
}

func TestLoadSources(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"UnknownField", "sources:\n  - name: a\n    kind: html\n    seed: [http://x]\n", "field seed not found"},
		{"BadSeed", "sources:\n  - name: a\n    kind: html\n    seeds: [ftp://x]\n    list: {item: a}\n    detail: {content: div}\n", `sources.a.seeds: "ftp://x" is not an http(s) URL`},
		{"NoSelectors", "sources:\n  - name: a\n    kind: html\n    seeds: [http://x]\n", "sources.a.detail.content: required"},
		{"Duplicate", "sources:\n  - {name: a, kind: html, seeds: [http://x], list: {item: a}, detail: {content: d}}\n  - {name: a, kind: html, seeds: [http://y], list: {item: a}, detail: {content: d}}\n", "sources.a.name: another source has this name"},
		{"Kind", "sources:\n  - {name: a, kind: rss, seeds: [http://x]}\n", `sources.a.kind: "rss" is not a kind`},
		{"Schedule", "sources:\n  - {name: a, kind: html, seeds: [http://x], schedule: \"every day\", list: {item: a}, detail: {content: d}}\n", `sources.a.schedule: "every day" is not a schedule`},
		{"SelectorsOnAFeed", "sources:\n  - {name: a, kind: feed, seeds: [http://x], list: {item: a}}\n", "sources.a.list: list and detail selectors are for html sources"},
		{"LayoutOnAFeed", "sources:\n  - {name: a, kind: feed, seeds: [http://x], layout: india-import}\n", "sources.a.layout: only csv sources"},
		{"UnknownLayout", "sources:\n  - {name: a, kind: csv, seeds: [http://x], layout: mars}\n", `sources.a.layout: no customs layout "mars"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := crawlers.LoadSources([]byte(tc.yaml), "sources.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "sources.yaml") {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := crawlers.LoadSources([]byte("sources:\n  - {name: a, kind: html, seeds: [http://x], list: {item: a}, detail: {content: d}}\n"), "ok.yaml"); err != nil {
		t.Fatal(err)
	}
}
