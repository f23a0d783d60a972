package crawlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/ingest"
)

func parseNotice(t *testing.T, name string, data []byte) ([]ingest.Item, []error, error) {
	t.Helper()
	var items []ingest.Item
	var bad []error
	err := crawlers.SavedNotices{}.Parse(context.Background(), bytes.NewReader(data), name,
		func(it ingest.Item) error { items = append(items, it); return nil }, func(e error) { bad = append(bad, e) })
	return items, bad, err
}

// A saved page is read in its own encoding: as the GBK bytes it was saved
// in, and as the UTF-8 text ingest.Run may have decoded it to (its meta tag
// still saying gb2312), with the same result.
func TestSavedPageEncodings(t *testing.T) {
	raw, err := os.ReadFile("../../shared/data/tenders-cn-more/fuckcqcs_shaanxi_vaccine_cuoshang_2018.htm")
	if err != nil {
		t.Fatal(err)
	}
	utf8Page, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for name, data := range map[string][]byte{"gbk.htm": raw, "decoded.htm": utf8Page} {
		items, bad, err := parseNotice(t, name, data)
		if err != nil || len(bad) > 0 || len(items) != 1 {
			t.Fatalf("%s: %d items, %v %v", name, len(items), bad, err)
		}
		d, _ := json.Marshal(items[0].Detail)
		if !strings.Contains(string(d), "陕西省2018年二类疫苗集中采购项目") || !strings.Contains(string(d), "北京科兴生物制品有限公司") || strings.ContainsRune(string(d), '\uFFFD') {
			t.Errorf("%s: %s", name, d)
		}
		details = append(details, string(d))
	}
	if details[0] != details[1] {
		t.Errorf("the GBK page and its decoded text read differently:\n%s\n%s", details[0], details[1])
	}
}

// JSON or HTML is told by the content, not the file's name.
func TestSavedNoticeFormByContent(t *testing.T) {
	page := []byte("\ufeff<p>某某设备采购成交公告</p><p>采购人：某某市第一医院</p><p>成交供应商：某某医疗科技有限公司</p><p>成交金额：12.5万元</p><p>发布时间：2020-05-06</p>")
	js, _ := json.Marshal(map[string]string{"title": "某某设备采购成交公告", "url": "https://example.org/n/1", "content": string(page[3:]), "published_ts": "2020-05-06 10:00:00"})
	for _, tc := range []struct {
		name string
		data []byte
	}{{"saved.json", page}, {"saved.html", js}, {"saved", page}} {
		t.Run(tc.name, func(t *testing.T) {
			items, bad, err := parseNotice(t, tc.name, tc.data)
			if err != nil || len(bad) > 0 || len(items) != 1 {
				t.Fatalf("%d items, %v %v", len(items), bad, err)
			}
			it := items[0]
			if len(it.About) != 1 || it.About[0].Name != "某某市第一医院" || len(it.Winners) != 1 || it.Signal.Amount != 125000 || len(it.Problems) != 0 {
				t.Errorf("%+v %+v", it, it.Signal)
			}
		})
	}
}

// A notice that lacks a buyer is kept, incomplete, and still links its
// winner; one that says nothing is rejected with its file and reason.
func TestSavedNoticeNothingLost(t *testing.T) {
	items, bad, err := parseNotice(t, "nobuyer.html", []byte(`<table><tr><td>标段名称</td><td>某某污水厂设计</td></tr><tr><td>中标结果</td><td>某某设计院有限公司</td></tr><tr><td>中标价（万元）</td><td>37.0000</td></tr><tr><td>公示时间</td><td>2016-10-21 ～ 2016-10-24</td></tr></table>`))
	if err != nil || len(bad) > 0 || len(items) != 1 {
		t.Fatalf("%d items, %v %v", len(items), bad, err)
	}
	it := items[0]
	if len(it.About) != 0 || len(it.Winners) != 1 || it.Winners[0].Name != "某某设计院有限公司" || it.Signal.Amount != 370000 ||
		len(it.Problems) != 1 || it.Problems[0] != (ingest.Problem{Field: "buyer", Reason: "no buyer label in the metadata or the text"}) {
		t.Errorf("%+v", it)
	}
	d, err := json.Marshal(it.Detail)
	if err != nil || string(d) != `{"notice":{"buyer":"","agency":"","project":"某某污水厂设计","projectNumber":"","noticeType":"award","publishedAt":"2016-10-21","lots":[{"winner":"某某设计院有限公司","amountYuan":370000}]}}` {
		t.Errorf("Detail %s %v", d, err)
	}

	for _, tc := range []struct{ name, data, want string }{
		{"empty.html", "<html><body><script>x()</script></body></html>", "empty.html:1: content: a notice with neither title nor content"},
		{"empty.json", `{"title": "", "content": "<p> </p>"}`, "empty.json:1: content: a notice with neither title nor content"},
	} {
		items, bad, err := parseNotice(t, tc.name, []byte(tc.data))
		if err != nil || len(items) != 0 || len(bad) != 1 || bad[0].Error() != tc.want {
			t.Errorf("%s: %d items, rejected %v, err %v; want rejected %q", tc.name, len(items), bad, err, tc.want)
		}
	}
	_, _, err = parseNotice(t, "broken.json", []byte("\n{\n\"title\": \"x\",\n\"content\": 5\n}"))
	if valuegraph.ErrorCode(err) != valuegraph.EINVALID || !strings.HasPrefix(err.Error(), "broken.json:4: not a saved notice") {
		t.Errorf("broken JSON: %v", err)
	}
	_, _, err = parseNotice(t, "plain.txt", []byte("just words"))
	if err == nil || err.Error() != "plain.txt:1: neither a crawler's JSON notice nor an HTML page" {
		t.Errorf("plain text: %v", err)
	}
}
