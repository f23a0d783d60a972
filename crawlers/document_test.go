package crawlers_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// docSite serves pages built from the real samples in ../shared/data: an
// OCDS API (release packages of real releases, paged by links.next), an RSS
// feed in GBK, an Atom feed in two pages and a Discourse topic list in two
// (all of real forum posts), and a real customs CSV. Every page has an ETag.
type docSite struct {
	mu      sync.Mutex
	pages   map[string][]byte
	version map[string]int
	hits    map[string]int
}

func (d *docSite) set(path string, body []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pages == nil {
		d.pages, d.version, d.hits = map[string][]byte{}, map[string]int{}, map[string]int{}
	}
	d.pages[path] = body
	d.version[path]++
}

func (d *docSite) hit(path string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hits[path]
}

func (d *docSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	key := r.URL.RequestURI()
	d.hits[key]++
	body, ok := d.pages[key]
	etag := fmt.Sprintf(`"v%d"`, d.version[key])
	d.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(body)
}

// releasePackage wraps real releases in a package, with a next link.
func releasePackage(t *testing.T, files []string, next string) []byte {
	t.Helper()
	var releases []json.RawMessage
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, b)
	}
	pkg := map[string]any{"uri": "http://example.org/api", "version": "1.1", "publishedDate": "2026-11-01T00:00:00Z", "releases": releases}
	if next != "" {
		pkg["links"] = map[string]string{"next": next}
	}
	b, _ := json.Marshal(pkg)
	return b
}

type forumPost struct {
	ID      int    `json:"id"`
	URL     string `json:"url"`
	Title   string `json:"title"`
	Content string `json:"content"`
	Created int64  `json:"created"`
	Member  struct {
		Username string `json:"username"`
	} `json:"member"`
	Node struct {
		Title string `json:"title"`
	} `json:"node"`
}

func forumPosts(t *testing.T, n int) []forumPost {
	t.Helper()
	f, err := os.Open("../../shared/data/forums/v2ex_hot_topics_vendor_sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []forumPost
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() && len(out) < n {
		var p forumPost
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// parsedCount is how many records a parser reads from body: what the crawl
// must emit for it.
func parsedCount(t *testing.T, p ingest.Parser, body []byte) int {
	t.Helper()
	n := 0
	if err := p.Parse(context.Background(), bytes.NewReader(body), "x", func(ingest.Item) error { n++; return nil }, func(error) {}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCrawlAPIsFeedsAndFiles(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	ns := graphtest.Prefix(t, s)
	site := &docSite{}
	srv := httptest.NewServer(site)
	defer srv.Close()

	// OCDS API: five real releases on two pages.
	files, _ := filepath.Glob("../../shared/data/ocds/uk-contracts-finder/releases/*.json")
	if len(files) < 5 {
		t.Fatalf("want 5 UK releases, have %d", len(files))
	}
	page1, page2 := releasePackage(t, files[:3], "/api/releases?page=2"), releasePackage(t, files[3:5], "")
	site.set("/api/releases?page=1", page1)
	site.set("/api/releases?page=2", page2)
	wantOCDS := parsedCount(t, ingest.OCDS{}, page1) + parsedCount(t, ingest.OCDS{}, page2)

	// Feeds of real posts: RSS in GBK (one entry without a date), Atom on two
	// pages, a Discourse list on two pages.
	posts := forumPosts(t, 12)
	aliyun := slices.IndexFunc(posts, func(p forumPost) bool { return strings.Contains(p.Title, "阿里云") })
	if aliyun < 0 {
		posts = append(posts[:11], forumPostByID(t, 766527))
		aliyun = 11
	}
	rfc := func(p forumPost) string { return time.Unix(p.Created, 0).UTC().Format(time.RFC1123Z) }
	var rss strings.Builder
	rss.WriteString(`<?xml version="1.0" encoding="GBK"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>V2EX 云计算</title>`)
	for i, p := range []forumPost{posts[0], posts[1], posts[aliyun]} {
		date := rfc(p)
		if i == 1 {
			date = "sometime"
		}
		fmt.Fprintf(&rss, `<item><title>%s</title><link>%s</link><guid>%d</guid><description>%s</description><pubDate>%s</pubDate><dc:creator>%s</dc:creator><category>cloud</category></item>`,
			html.EscapeString(p.Title), p.URL, p.ID, html.EscapeString("<p>"+p.Content+"</p>"), date, p.Member.Username)
	}
	rss.WriteString(`</channel></rss>`)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(rss.String())
	if err != nil {
		t.Fatal(err)
	}
	site.set("/feed.rss", []byte(gbk))
	atom := func(ps []forumPost, next string) []byte {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>V2EX</title>`)
		if next != "" {
			fmt.Fprintf(&b, `<link rel="next" href="%s"/>`, next)
		}
		for _, p := range ps {
			fmt.Fprintf(&b, `<entry><id>tag:v2ex.com,2021:%d</id><title>%s</title><link rel="alternate" href="%s"/><content type="html">%s</content><published>%s</published><author><name>%s</name></author><category term="%s"/></entry>`,
				p.ID, html.EscapeString(p.Title), p.URL, html.EscapeString(p.Content), time.Unix(p.Created, 0).UTC().Format(time.RFC3339), p.Member.Username, p.Node.Title)
		}
		b.WriteString(`</feed>`)
		return []byte(b.String())
	}
	site.set("/atom.xml", atom(posts[3:5], "/atom.xml?page=2"))
	site.set("/atom.xml?page=2", atom(posts[5:6], ""))
	discourse := func(ps []forumPost, more string) []byte {
		var topics []map[string]any
		for _, p := range ps {
			topics = append(topics, map[string]any{"id": p.ID, "title": p.Title, "slug": "t", "excerpt": p.Content, "created_at": time.Unix(p.Created, 0).UTC().Format(time.RFC3339),
				"tags": []string{"vendor"}, "category_id": 4, "posters": []map[string]any{{"user_id": 1, "description": "Original Poster"}}})
		}
		b, _ := json.Marshal(map[string]any{"users": []map[string]any{{"id": 1, "username": ps[0].Member.Username}},
			"topic_list": map[string]any{"more_topics_url": more, "topics": topics}})
		return b
	}
	site.set("/latest.json", discourse(posts[6:8], "/latest?page=1"))
	site.set("/latest.json?page=1", discourse(posts[8:9], ""))

	// A real customs file over HTTP.
	csvBody, err := os.ReadFile("../../shared/data/customs/aaziko_india_import_short_hs690721.csv")
	if err != nil {
		t.Fatal(err)
	}
	site.set("/exports/india.csv", csvBody)
	wantCSV := parsedCount(t, ingest.Customs{}, csvBody)

	sources, err := crawlers.LoadSources([]byte(fmt.Sprintf(`
sources:
  - {name: %[1]socds, kind: ocds-api, seeds: ["%[2]s/api/releases?page=1"], delay: 1ms}
  - {name: %[1]srss, kind: feed, seeds: ["%[2]s/feed.rss"], delay: 1ms}
  - {name: %[1]satom, kind: feed, seeds: ["%[2]s/atom.xml"], delay: 1ms}
  - {name: %[1]sdiscourse, kind: feed, seeds: ["%[2]s/latest.json"], delay: 1ms}
  - {name: %[1]scustoms, kind: csv, seeds: ["%[2]s/exports/india.csv"], delay: 1ms}
`, ns, srv.URL)), "sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w := &ingest.Writer{Graph: s, Matcher: ingest.NewMatcher(s, ingest.MatchOptions{Namespace: ns}), Namespace: ns}
	crawl := func(src crawlers.Source) (crawlers.Report, ingest.Summary, []error) {
		t.Helper()
		var rejected []error
		c := &crawlers.Crawler{State: s}
		rep, sum, err := c.Ingest(ctx, src, w, func(e error) { rejected = append(rejected, e) })
		if err != nil {
			t.Fatal(err)
		}
		w.Matcher.Forget()
		return rep, sum, rejected
	}
	want := map[string]struct{ pages, records, rejected int }{
		"ocds": {2, wantOCDS, 0}, "rss": {1, 2, 1}, "atom": {2, 3, 0}, "discourse": {2, 3, 0}, "customs": {1, wantCSV, 0},
	}
	for _, src := range sources {
		name := strings.TrimPrefix(src.Name, ns)
		rep, sum, rejected := crawl(src)
		wt := want[name]
		if rep.Pages != wt.pages || rep.Records != wt.records || rep.Rejected != wt.rejected || len(rejected) != wt.rejected || len(rep.Errors) > 0 {
			t.Errorf("%s: %+v, rejected %v; want %d pages, %d records, %d rejected", name, rep, rejected, wt.pages, wt.records, wt.rejected)
		}
		if sum.Created == 0 {
			t.Errorf("%s: no signal created: %+v", name, sum)
		}
		if name == "rss" && (len(rejected) != 1 || !strings.Contains(rejected[0].Error(), "pubDate") || !strings.Contains(rejected[0].Error(), srv.URL+"/feed.rss:2")) {
			t.Errorf("the entry without a date is not reported with its page and place: %v", rejected)
		}
		if src.Kind == "feed" && src.Trust != int(valuegraph.TrustL3) {
			t.Errorf("feeds default to trust 3, got %d", src.Trust)
		}
	}

	// The GBK RSS post about 阿里云 is in the graph, read as Chinese, with the
	// competitor, its author and its trust level.
	sig, err := s.Signal(ctx, fmt.Sprintf("%sforum:%srss:%d", ns, ns, posts[aliyun].ID))
	if err != nil {
		t.Fatal(err)
	}
	if sig.Title != ingest.Fold(posts[aliyun].Title) || !slices.Contains(sig.CompetitorIDs, ns+"lex:aliyun") || sig.Trust != valuegraph.TrustL3 ||
		!strings.Contains(sig.Text, posts[aliyun].Member.Username) || !strings.Contains(sig.Text, "cloud") {
		t.Errorf("RSS post %+v", sig)
	}

	// A second round: every page answers 304, later pages are still asked
	// (one may change without the first), nothing new is written.
	for _, src := range sources {
		name := strings.TrimPrefix(src.Name, ns)
		rep, sum, _ := crawl(src)
		if rep.Records != 0 || sum.Created+sum.Merged != 0 || rep.NotModified != want[name].pages {
			t.Errorf("%s, second crawl: %+v %+v; want %d pages not modified and nothing new", name, rep, sum, want[name].pages)
		}
	}
	if site.hit("/api/releases?page=2") != 2 || site.hit("/atom.xml?page=2") != 2 || site.hit("/latest.json?page=1") != 2 {
		t.Errorf("second pages fetched %d, %d, %d times; want twice each (followed past a 304)",
			site.hit("/api/releases?page=2"), site.hit("/atom.xml?page=2"), site.hit("/latest.json?page=1"))
	}

	// The API's second page changes (a release is dropped): its records are
	// read again, the first page's are not.
	site.set("/api/releases?page=2", releasePackage(t, files[3:4], ""))
	rep, sum, _ := crawl(sources[0])
	if rep.NotModified != 1 || rep.Records != parsedCount(t, ingest.OCDS{}, releasePackage(t, files[3:4], "")) || sum.Created != 0 {
		t.Errorf("after page 2 changed: %+v %+v", rep, sum)
	}
}

func forumPostByID(t *testing.T, id int) forumPost {
	t.Helper()
	for _, p := range forumPosts(t, 1000) {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("post %d not in the sample", id)
	return forumPost{}
}
