package crawlers_test

import (
	"testing"

	"github.com/valuegraph/valuegraph/crawlers"
)

func TestText(t *testing.T) {
	for _, tc := range []struct{ name, html, want string }{
		{"CellsAndRows", `<table><tr><td><p>项 目</p><p>名 称</p></td><td>冷链平台</td></tr><tr><td>金额</td><td>1 万元</td></tr></table>`, "项目名称\t冷链平台\n金额\t1 万元"},
		{"LeakedTemplateTag", `<p>总成交金额： <fmt:formatnumber pattern="￥.000000#" type="currency">9.955</fmt:formatnumber> 万元（人民币）</p>`, "总成交金额： 9.955 万元（人民币）"},
		{"BrokenHTML", `<p>项目编号：A-1<p>采购人：某局<table><tr><td>供应商<td>某公司`, "项目编号：A-1\n采购人：某局\n供应商\t某公司"},
		{"StyleDropped", `<style>h4{font-size:24px}</style><h4>结果公告</h4>`, "结果公告"},
		{"Spaces", "<p>\u00a0\u3000深圳\u00a0 宽带&nbsp;&nbsp;vs 移动</p>", "深圳宽带 vs 移动"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := crawlers.Text(tc.html); got != tc.want {
				t.Errorf("Text = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestExtractNoticeSaysWhatIsMissing(t *testing.T) {
	n := crawlers.ExtractNotice(crawlers.NoticeInput{Title: "某项目成交公告", Content: `<p>采购人：某市某局</p><p>成交供应商名称、地址及成交金额： 见公告原文</p>`})
	why := map[string]string{}
	for _, p := range n.Problems {
		why[p.Field] = p.Reason
	}
	if n.Buyer != "某市某局" || n.Type != crawlers.NoticeAward || len(n.Lots) != 0 || why["lots"] != "the notice names no winner (见公告原文)" || why["publishedAt"] == "" || why["buyer"] != "" {
		t.Errorf("%+v", n)
	}
}
