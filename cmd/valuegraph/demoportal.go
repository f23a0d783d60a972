package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/demo"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/ingest"
)

// The demo's tender portal: generated procurement notices in the layout of
// the real ccgp.gov.cn notices of ../shared/data/tenders-cn (a list of
// links, each notice's body in div.vT_detail_content), served on a loopback
// port for the demo's own crawl, so the crawler runs for real: robots.txt,
// list pages, notice pages with ETags (a second crawl gets 304s), the
// notice extractor, entity resolution. The notices are generated, not the
// real ones, because the demo ingests the real ones from their files: the
// same notice crawled at another URL would be a second signal.
//
// Its pages are addressed by a stable host name, portalHost, whatever port
// the server gets: the crawler's transport dials the server for it. Page
// URLs, and the ids of the signals made from them, are then the same from
// one run to the next, which is what lets a second crawl find nothing new.
const (
	portalHost     = "demo-portal.invalid" // RFC 2606: never resolves elsewhere
	portalNotices  = 40
	portalListSize = 10
	portalSource   = "portal" // the Source (under the demo's prefix): demo-portal
)

type portalNotice struct {
	Path      string
	Title     string
	Buyer     string
	Region    string
	Agency    string
	Project   string
	Code      string
	Winner    string // empty: a call for bids
	Amount    int    // yuan: the award, or the budget of a call for bids
	Published time.Time
}

// portalProjects are what the notices buy, in the words of the demo's needs.
var portalProjects = []string{"冷链温控监测系统采购", "运输管理系统升级项目", "供应链可视化平台建设", "药品追溯码赋码设备采购",
	"MES车间数字化建设项目", "设备预测性维护平台采购", "ERP系统上云服务采购", "农产品质量安全溯源平台", "安全环保监测信息化项目", "PLM系统国产化替代项目"}

// portalPublicBuyers are buyers the demo does not know yet: each notice
// about one of them makes a customer.
var portalPublicBuyers = []string{"人民医院", "疾病预防控制中心", "职业技术学院", "交通运输局", "农业农村局", "市场监督管理局", "水务集团有限公司", "公共资源交易中心"}

var portalCities = []string{"嘉兴市", "绵阳市", "襄阳市", "赣州市", "泉州市", "洛阳市", "芜湖市", "柳州市", "遵义市", "榆林市"}

// portalWinners are suppliers that win the awards: the registered names of
// the demo's competitors.
var portalWinners = []string{"用友网络科技股份有限公司", "华为云计算技术有限公司", "金蝶软件（中国）有限公司", "浪潮通用软件有限公司", "鼎捷软件股份有限公司"}

// newPortalNotices builds the portal's notices from the dataset: every
// other one names a customer of the demo as its buyer (the crawl's records
// merge into it), the others a public body the demo does not know; three in
// four are awards, the rest calls for bids. The same dataset gives the same
// notices.
func newPortalNotices(d demo.Dataset) []portalNotice {
	out := make([]portalNotice, portalNotices)
	for i := range out {
		n := &out[i]
		n.Path = fmt.Sprintf("/cggg/dfgg/t20261%03d_%d.htm", i+1, 8800100+i*37)
		n.Published = time.Date(2026, 9, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600)).AddDate(0, 0, i*2)
		city := portalCities[i%len(portalCities)]
		if i%2 == 0 && len(d.Customers) > 0 {
			c := d.Customers[(i/2*97+3)%len(d.Customers)]
			n.Buyer, n.Region = c.Name, c.Region
		} else {
			n.Buyer, n.Region = city+portalPublicBuyers[(i/2)%len(portalPublicBuyers)], city
		}
		if n.Region == "" {
			n.Region = city
		}
		n.Agency = city + "公共资源交易中心"
		if strings.HasSuffix(n.Buyer, "公共资源交易中心") {
			n.Agency = city + "政府采购中心"
		}
		n.Project = portalProjects[i%len(portalProjects)]
		n.Code = fmt.Sprintf("DP2026-%03d", i+1)
		n.Amount = 120000 + (i*7919%53)*23000
		if i%4 != 3 {
			n.Winner = portalWinners[i%len(portalWinners)]
			n.Title = n.Buyer + n.Project + "中标公告"
		} else {
			n.Title = n.Buyer + n.Project + "公开招标公告"
		}
	}
	return out
}

// portalSourceConfig is the source the demo crawls: the portal's first list
// page as seed, the selectors of docs/sources.example.yaml's ccgp source,
// a short delay (the server is our own).
func portalSourceConfig() (crawlers.Source, error) {
	yaml := `sources:
  - name: ` + portalSource + `
    kind: html
    seeds: ["http://` + portalHost + `/cggg/index.htm"]
    trust: 2
    delay: 5ms
    parallelism: 2
    timeout: 10s
    maxPages: 100
    list:
      item: "ul.c_list_bid li a"
      next: "a.next"
    detail:
      content: "div.vT_detail_content"
      title: "h2.tc"
      published: "span#pubTime"
`
	srcs, err := crawlers.LoadSources([]byte(yaml), "demo portal source")
	if err != nil {
		return crawlers.Source{}, err
	}
	return srcs[0], nil
}

// demoPortal serves the notices: /robots.txt, list pages /cggg/index.htm,
// index_2.htm, … (no validators: a portal's lists change) and each notice
// with an ETag and Last-Modified, answering 304 to a request that has them.
type demoPortal struct {
	notices []portalNotice
	pages   map[string][]byte
}

func newDemoPortal(notices []portalNotice) *demoPortal {
	p := &demoPortal{notices: notices, pages: map[string][]byte{}}
	for _, n := range notices {
		p.pages[n.Path] = []byte(n.page())
	}
	return p
}

func (n portalNotice) page() string {
	e := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title></head><body>
<div class="vT_detail_main"><h2 class="tc">%s</h2>
<p class="tc">发布时间：<span id="pubTime">%s</span> 来源：演示门户</p>
<div class="vT_detail_content w760c">
`, e(n.Title), e(n.Title), n.Published.Format("2006年01月02日 15:04"))
	if n.Winner != "" {
		fmt.Fprintf(&b, `<p>　　%s受%s的委托，就%s项目（项目编号：%s）组织采购，评标工作已经结束，中标结果如下：</p>
<p><strong>一、项目信息</strong></p><p>项目编号：%s</p><p>项目名称：%s</p>
<p><strong>二、采购单位信息</strong></p><p>采购单位名称：%s</p><p>采购单位地址：%s</p>
<p><strong>三、采购代理机构信息</strong></p><p>采购代理机构全称：%s</p>
<p><strong>四、中标信息</strong></p><p>中标日期：%s</p><p>总中标金额：%s 万元（人民币）</p>
<p>中标供应商名称：%s</p><p>中标金额：%s元</p>
<p>特此公告</p>
`, e(n.Agency), e(n.Buyer), e(n.Project), n.Code, n.Code, e(n.Project), e(n.Buyer), e(n.Region), e(n.Agency),
			n.Published.Format("2006年01月02日"), wan(n.Amount), e(n.Winner), strconv.Itoa(n.Amount))
	} else {
		fmt.Fprintf(&b, `<p>　　%s受%s的委托，对%s项目进行公开招标，欢迎合格的供应商前来投标。</p>
<p><strong>一、项目基本情况</strong></p><p>项目编号：%s</p><p>项目名称：%s</p><p>预算金额：%s 万元（人民币）</p>
<p><strong>二、采购人信息</strong></p><p>采购人名称：%s</p><p>地址：%s</p>
<p><strong>三、采购代理机构信息</strong></p><p>采购代理机构全称：%s</p>
<p><strong>四、获取招标文件</strong></p><p>时间：%s起，<a href="/files/%s/招标文件.pdf">招标文件</a></p>
`, e(n.Agency), e(n.Buyer), e(n.Project), n.Code, e(n.Project), wan(n.Amount), e(n.Buyer), e(n.Region), e(n.Agency),
			n.Published.Format("2006年01月02日"), n.Code)
	}
	b.WriteString("</div></div></body></html>\n")
	return b.String()
}

// wan writes yuan as 万元 with up to four decimals.
func wan(yuan int) string {
	return strings.TrimRight(strings.TrimRight(strconv.FormatFloat(float64(yuan)/10000, 'f', 4, 64), "0"), ".")
}

func (p *demoPortal) listPages() int {
	return (len(p.notices) + portalListSize - 1) / portalListSize
}

func (p *demoPortal) list(page int) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>地方公告 - 演示门户</title></head><body><ul class="c_list_bid">`)
	// Newest first, as portals list them.
	for i := (page - 1) * portalListSize; i < min(page*portalListSize, len(p.notices)); i++ {
		n := p.notices[len(p.notices)-1-i]
		fmt.Fprintf(&b, "\n<li><a href=\"%s\">%s</a> <em>%s</em></li>", n.Path, html.EscapeString(n.Title), n.Published.Format("2006-01-02"))
	}
	b.WriteString("\n</ul>")
	if page < p.listPages() {
		fmt.Fprintf(&b, `<a class="next" href="/cggg/index_%d.htm">下一页</a>`, page+1)
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// portalModified is the Last-Modified of every notice page.
var portalModified = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

func (p *demoPortal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	path := r.URL.Path
	switch {
	case path == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "User-agent: *\nDisallow: /files/\n")
	case path == "/cggg/index.htm":
		fmt.Fprint(w, p.list(1))
	case strings.HasPrefix(path, "/cggg/index_") && strings.HasSuffix(path, ".htm"):
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path, "/cggg/index_"), ".htm"))
		if err != nil || n < 2 || n > p.listPages() {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, p.list(n))
	default:
		body, ok := p.pages[path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		sum := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", portalModified.Format(http.TimeFormat))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(body)
	}
}

// crawlDemoPortal serves the portal on a free loopback port and runs the
// crawler on it (the code `valuegraph crawl` runs), writing what it finds
// through a writer in namespace ns, whose rescoring goes to jobs (nil: none).
// Its state and health are kept under ns+"portal", where the sources API
// shows them.
func crawlDemoPortal(ctx context.Context, store *graph.Store, d demo.Dataset, ns string, jobs ingest.Enqueuer, log *slog.Logger, onReject func(error)) (crawlers.Report, ingest.Summary, error) {
	src, err := portalSourceConfig()
	if err != nil {
		return crawlers.Report{}, ingest.Summary{}, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return crawlers.Report{}, ingest.Summary{}, fmt.Errorf("demo portal: %w", err)
	}
	srv := &http.Server{Handler: newDemoPortal(newPortalNotices(d)), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	defer func() {
		srv.Close()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("demo portal", "err", err)
		}
	}()
	addr := ln.Addr().String()
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var dl net.Dialer
			return dl.DialContext(ctx, "tcp", addr) // every host is the portal
		},
		MaxIdleConnsPerHost: 4,
	}
	defer tr.CloseIdleConnections()
	w := &ingest.Writer{Graph: store, Matcher: ingest.NewMatcher(store, ingest.MatchOptions{Namespace: ns}), Logger: log, Namespace: ns, Jobs: jobs}
	c := &crawlers.Crawler{State: store, Logger: log, Transport: tr, Backoff: func(int) time.Duration { return 50 * time.Millisecond }}
	return c.Ingest(ctx, src, w, onReject)
}
