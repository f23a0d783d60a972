package crawlers_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/graph/graphtest"
	"github.com/valuegraph/valuegraph/ingest"
)

// BenchmarkCrawl crawls a local fixture portal of 10,000 notices (100 list
// pages of 100) with politeness delays off and 8 requests at once, through
// the notice extractor, and reports pages/s and the heap the crawl holds at
// its peak. The crawl state goes to the real Neo4j. Beside it, the same
// pages fetched with bare net/http GETs, 8 at once, bodies read and
// dropped (fetch_pages/s): what the portal and the loopback allow.
//
//	go test -run '^$' -bench Crawl -benchtime 1x ./crawlers/
func BenchmarkCrawl(b *testing.B) {
	s := graphtest.MustOpen(b)
	ns := graphtest.Prefix(b, s)
	const lists, perList = 100, 100
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nAllow: /\n") })
	mux.HandleFunc("/list", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		var sb strings.Builder
		sb.WriteString(`<ul class="notices">`)
		for i := range perList {
			fmt.Fprintf(&sb, `<li><a href="/notice/%d">n</a></li>`, page*perList+i)
		}
		sb.WriteString(`</ul>`)
		if page+1 < lists {
			fmt.Fprintf(&sb, `<a class="next" href="/list?page=%d">next</a>`, page+1)
		}
		fmt.Fprint(w, sb.String())
	})
	mux.HandleFunc("/notice/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		n := strings.TrimPrefix(r.URL.Path, "/notice/")
		fmt.Fprintf(w, `<html><body><h1>第%s号采购成交公告</h1><span class="time">2026-10-01 09:00:00</span><div class="content">
<p>采购人：某某市第%s人民医院</p><p>项目编号：CG-%s</p><p>项目名称：第%s号设备采购</p>
<p>成交供应商：某某科技有限公司 成交金额：12.5万元</p>%s</div></body></html>`, n, n, n, n, strings.Repeat("<p>其他说明。</p>", 40))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for i := range b.N {
		src := crawlers.Source{Name: fmt.Sprintf("%sbench%d", ns, i), Kind: "html", Seeds: []string{srv.URL + "/list?page=0"},
			Delay: time.Nanosecond, Parallel: 8, MaxPages: lists + lists*perList + 10, MaxDepth: lists + 2, Trust: 2,
			List: crawlers.ListSelectors{Item: "ul.notices li a", Next: "a.next"}, Detail: crawlers.DetailFields{Content: "div.content", Title: "h1", Published: "span.time"}}
		var records atomic.Int64
		var peak atomic.Uint64
		done := make(chan struct{})
		go func() {
			var ms runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-time.After(50 * time.Millisecond):
					runtime.ReadMemStats(&ms)
					if ms.HeapInuse > peak.Load() {
						peak.Store(ms.HeapInuse)
					}
				}
			}
		}()
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		start := time.Now()
		c := &crawlers.Crawler{State: s, Emit: func(ingest.Item) error { records.Add(1); return nil }}
		rep, err := c.Run(context.Background(), src)
		took := time.Since(start)
		close(done)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Records != lists*perList {
			b.Fatalf("%d records, %d errors (%v)", rep.Records, len(rep.Errors), rep.Errors[:min(3, len(rep.Errors))])
		}
		b.ReportMetric(float64(rep.Pages)/took.Seconds(), "pages/s")
		b.ReportMetric(float64(peak.Load()-min(peak.Load(), base.HeapInuse))/1e6, "peakHeapMB/10k")

		urls := make(chan string)
		var wg sync.WaitGroup
		start = time.Now()
		for range src.Parallel {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for u := range urls {
					res, err := srv.Client().Get(u)
					if err != nil {
						b.Error(err)
						continue
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			}()
		}
		for p := range lists {
			urls <- fmt.Sprintf("%s/list?page=%d", srv.URL, p)
			for i := range perList {
				urls <- fmt.Sprintf("%s/notice/%d", srv.URL, p*perList+i)
			}
		}
		close(urls)
		wg.Wait()
		fetch := float64(lists+lists*perList) / time.Since(start).Seconds()
		b.ReportMetric(fetch, "fetch_pages/s")
		fmt.Fprintf(os.Stderr, "crawl: %d pages in %s (%.0f/s); bare fetch of the same pages %.0f/s\n", rep.Pages, took.Round(time.Millisecond), float64(rep.Pages)/took.Seconds(), fetch)
	}
}
