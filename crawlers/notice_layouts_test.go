package crawlers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph/crawlers"
)

// Layouts none of the 43 real samples uses, written after the published
// templates of Chinese portals (the labels the issue names, ccgp's 2020
// result template, candidate lists, corrections, terminations, calls for
// bids). Each says what a dry run must print for it.
func TestExtractNoticeLayouts(t *testing.T) {
	for _, tc := range []struct {
		name, title, html string
		want              string // the notice's Detail as JSON
	}{
		{"ProjectLegalPersonAndBracketedLabels", "某某大道改造工程中标结果公示",
			`<table><tr><td>项目名称</td><td>某某大道改造工程</td></tr><tr><td>招标编号</td><td>ZB-2017-001</td></tr>
<tr><td>项目法人</td><td>某某市城市建设投资有限公司</td><td>联系人</td><td>王工</td></tr>
<tr><td>招标代理机构</td><td>某某工程咨询有限公司</td></tr>
<tr><td>中标（选）人</td><td>某某建工集团有限公司</td><td>中标（选）人资质等级及类别</td><td>壹级</td></tr>
<tr><td>中标（选）价（万元）</td><td>1,234.5678</td><td>中标价说明</td><td></td></tr></table><p>公示时间：2017年3月1日至2017年3月3日</p>`,
			`{"buyer":"某某市城市建设投资有限公司","agency":"某某工程咨询有限公司","project":"某某大道改造工程","projectNumber":"ZB-2017-001","noticeType":"award","publishedAt":"2017-03-01","lots":[{"winner":"某某建工集团有限公司","amountYuan":12345678}]}`},
		{"SectionsAndUnitInBrackets", "",
			`<p>某某大学实验室设备采购项目中标（成交）结果公告</p><p>2021年03月15日 10:31 来源：某某网</p>
<p>一、项目编号：ZC2021-018</p><p>二、项目名称：实验室设备采购</p><p>三、中标（成交）信息</p>
<p>供应商名称：某某仪器有限公司</p><p>供应商地址：某某路1号</p><p>中标（成交）金额：123.45（万元）</p>
<p>九、凡对本次公告内容提出询问，请按以下方式联系。</p><p>1.采购人信息</p><p>名称：某某大学</p><p>地址：某某路2号</p>
<p>2.采购代理机构信息</p><p>名称：某某招标有限公司</p><p>联系方式：010-12345678</p>`,
			`{"buyer":"某某大学","agency":"某某招标有限公司","project":"实验室设备采购","projectNumber":"ZC2021-018","noticeType":"award","publishedAt":"2021-03-15","lots":[{"winner":"某某仪器有限公司","amountYuan":1234500}]}`},
		{"CandidatesRankedInATable", "某某学校运动场工程中标候选人公示",
			`<p>招标人：某某县第一中学</p><p>招标编号：JS-2019-77</p><p>发布日期：2019-05-06</p>
<table><tr><td>排名</td><td>中标候选人名称</td><td>投标报价（元）</td></tr>
<tr><td>2</td><td>某某乙建设有限公司</td><td>980000</td></tr><tr><td>1</td><td>某某甲建设有限公司</td><td>1000000</td></tr>
<tr><td>3</td><td>某某丙建设有限公司</td><td>990000</td></tr></table>`,
			`{"buyer":"某某县第一中学","agency":"","project":"某某学校运动场工程","projectNumber":"JS-2019-77","noticeType":"candidates","publishedAt":"2019-05-06","lots":[{"winner":"某某甲建设有限公司","amountYuan":null}]}`},
		{"CandidatesInOrderAndAsLabels", "",
			`<p>某某河道整治工程中标候选人公示</p><p>招标人：某某区水务局</p><p>第一中标候选人：某某水利工程有限公司</p><p>投标报价：356.2万元</p>
<p>第二中标候选人：某某建设集团有限公司</p><p>2018年7月2日</p>`,
			`{"buyer":"某某区水务局","agency":"","project":"某某河道整治工程","projectNumber":"","noticeType":"candidates","publishedAt":"2018-07-02","lots":[{"winner":"某某水利工程有限公司","amountYuan":null}]}`},
		{"Termination", "某某局办公家具采购项目废标公告",
			`<p>采购人：某某市财政局</p><p>项目编号：CG-2020-5</p><p>废标原因：有效投标人不足三家。</p><p>投标人：某某家具有限公司</p><p>发布时间：2020-08-08 09:00</p>`,
			`{"buyer":"某某市财政局","agency":"","project":"某某局办公家具采购项目","projectNumber":"CG-2020-5","noticeType":"termination","publishedAt":"2020-08-08","lots":[]}`},
		{"Correction", "某某医院设备采购项目更正公告",
			`<p>采购人：某某市人民医院</p><p>采购代理机构：某某招标代理有限公司</p><p>原公告的开标时间更正为2020年9月10日。</p><p>2020年9月1日</p>`,
			`{"buyer":"某某市人民医院","agency":"某某招标代理有限公司","project":"某某医院设备采购项目","projectNumber":"","noticeType":"correction","publishedAt":"2020-09-01","lots":[]}`},
		{"CallForBids", "某某中心服务器采购招标公告",
			`<p>项目编号：ZB2022-3</p><p>预算金额：200万元</p><p>采购人：某某数据中心</p><p>供应商资格：具有独立承担民事责任能力的法人</p><p>发布时间：2022年1月5日</p>`,
			`{"buyer":"某某数据中心","agency":"","project":"某某中心服务器采购","projectNumber":"ZB2022-3","noticeType":"tender","publishedAt":"2022-01-05","lots":[]}`},
		{"LabelRowOverValueRow", "采购结果公告",
			`<table><tr><td>项目名称</td><td>项目编号</td><td>采购单位</td></tr><tr><td>物业服务</td><td>WY-01</td><td>某某区人民法院</td></tr></table>
<table><tr><td>中标供应商</td><td>中标金额</td></tr><tr><td>某某物业管理有限公司</td><td>￥ 28 293 076.46</td></tr></table><p>发布日期：2019年12月2日</p>`,
			`{"buyer":"某某区人民法院","agency":"","project":"物业服务","projectNumber":"WY-01","noticeType":"award","publishedAt":"2019-12-02","lots":[{"winner":"某某物业管理有限公司","amountYuan":28293076.46}]}`},
		{"RateIsNoAmount", "某某工程监理成交公告",
			`<p>采购人：某某镇人民政府</p><p>成交供应商：某某监理有限公司</p><p>成交金额：下浮率12%</p><p>发布时间：2016-01-01</p>`,
			`{"buyer":"某某镇人民政府","agency":"","project":"某某工程监理","projectNumber":"","noticeType":"award","publishedAt":"2016-01-01","lots":[{"winner":"某某监理有限公司","amountYuan":null}]}`},
		{"LabelsWithoutColons", "某某医院检验外送服务项目中标（成交）结果公告",
			`<p>一、项目编号：442000-202009-hp059-0057</p><p>二、项目名称：某某医院检验外送服务项目</p><p>三、中标（成交）信息</p>
<p><span>1</span><span>：供应商名称 某某医学检验中心有限公司 ；供应商地址 某某路80号 ；中标（成交）金额 1267500；备注 服务期：1年 。</span></p>
<p>1.采购人信息</p><p>名 称：某某市人民医院</p><p>发布日期：2020-10-09</p>`,
			`{"buyer":"某某市人民医院","agency":"","project":"某某医院检验外送服务项目","projectNumber":"442000-202009-hp059-0057","noticeType":"award","publishedAt":"2020-10-09","lots":[{"winner":"某某医学检验中心有限公司","amountYuan":1267500}]}`},
		{"WinnersUnderAHeadingAndAChineseNumeralDate", "某某教育局电脑采购成交公告",
			`<p>采购人：某某市教育局</p><p>成交供应商名称、地址及成交金额：</p><p>1. 某某甲科技有限公司，地址：某路1号，成交金额：10万元</p>
<p>2. 某某乙科技有限公司，地址：某路2号，成交金额：￥50,000.00</p><p>二〇一六年十一月二十二日</p>`,
			`{"buyer":"某某市教育局","agency":"","project":"某某教育局电脑采购","projectNumber":"","noticeType":"award","publishedAt":"2016-11-22","lots":[{"winner":"某某甲科技有限公司","amountYuan":100000},{"winner":"某某乙科技有限公司","amountYuan":50000}]}`},
		{"AmountInCapitalsOnlyAndTwoWinnersInOneValue", "某某道路养护中标公告",
			`<p>招标人：某某县交通运输局</p><p>中标人：某某路桥有限公司、某某养护工程有限公司</p><p>中标金额：人民币贰佰叁拾万零伍仟元整</p><p>二00九年七月十五日</p>`,
			`{"buyer":"某某县交通运输局","agency":"","project":"某某道路养护","projectNumber":"","noticeType":"award","publishedAt":"2009-07-15","lots":[{"winner":"某某路桥有限公司","amountYuan":null},{"winner":"某某养护工程有限公司","amountYuan":null}]}`},
		{"BareTitleAndCandidatePeriod", "中标候选人公示",
			`<p>四、中标信息</p><p>招标人：某某市第三中学</p><p>中标候选人公示期：2019年6月3日至2019年6月5日</p><p>第一中标候选人：某某建筑有限公司</p>`,
			`{"buyer":"某某市第三中学","agency":"","project":"","projectNumber":"","noticeType":"candidates","publishedAt":"2019-06-03","lots":[{"winner":"某某建筑有限公司","amountYuan":null}]}`},
		{"LosersAreNotWinners", "某某设备采购项目中标公告",
			`<p>采购人：某某县医院</p><p>中标供应商名称：某某医疗器械有限公司</p><p>中标金额：50万元</p><p>未中标供应商名称：某某贸易有限公司，未中标理由：报价超出预算</p><p>发布时间：2021-04-01</p>`,
			`{"buyer":"某某县医院","agency":"","project":"某某设备采购项目","projectNumber":"","noticeType":"award","publishedAt":"2021-04-01","lots":[{"winner":"某某医疗器械有限公司","amountYuan":500000}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := crawlers.ExtractNotice(crawlers.NoticeInput{Title: tc.title, Content: tc.html})
			got, err := json.Marshal(n.Detail())
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s\nproblems %v", got, tc.want, n.Problems)
			}
		})
	}
}

// The site's metadata total serves when the text gives no amount; a 0 there
// is the crawler's failure, not an amount.
func TestExtractNoticeMetadataTotal(t *testing.T) {
	in := crawlers.NoticeInput{Title: "某某采购成交公告", PurchaserName: "某某局", PublishedAt: "2016-11-30 15:58:59",
		Content: `<p>成交供应商：某某科技有限公司</p><p>成交金额：见公告原文</p>`}
	for total, want := range map[string]float64{"99550 元": 99550, "9.955万元": 99550, "": 0, "0 元": 0} {
		in.TotalAmount = total
		n := crawlers.ExtractNotice(in)
		if n.Amount != want || len(n.Lots) != 1 || (want > 0) != (n.Lots[0].Amount != nil) {
			t.Errorf("total %q: amount %v, lots %+v; want %v", total, n.Amount, n.Lots, want)
		}
	}
}

func TestExtractNoticeCapitals(t *testing.T) {
	for text, want := range map[string]float64{
		"人民币贰佰叁拾万零伍仟元整":       2305000,
		"人民币伍佰壹拾叁万元整":         5130000,
		"人民币壹佰玖拾伍万万元整":        1950000, // a slip in a real notice: 万 twice
		"人民币玖万玖仟伍佰伍拾元整":       99550,
		"壹亿贰仟万元":              120000000,
		"人民币壹拾壹万捌仟贰佰玖拾柒元伍角叁分": 118297.53,
	} {
		n := crawlers.ExtractNotice(crawlers.NoticeInput{Title: "某采购成交公告", Content: "<p>成交供应商：某某有限公司</p><p>成交金额：" + text + "</p>"})
		if len(n.Lots) != 1 || n.Lots[0].Amount == nil || *n.Lots[0].Amount != want {
			t.Errorf("%s: %+v, want %v", text, n.Lots, want)
		}
	}
}

func TestLoadNoticeLabels(t *testing.T) {
	t.Run("BuiltIn", func(t *testing.T) {
		if _, err := crawlers.LoadNoticeLabels(nil, ""); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("OverlayAddsAConvention", func(t *testing.T) {
		// A portal calling its buyer 业主单位: one list in a file, no code.
		in := crawlers.NoticeInput{Title: "某某工程中标公告", Content: `<p>业主单位：某某水务集团有限公司</p><p>中标人：某某建设有限公司</p><p>发布时间：2020-01-02</p>`}
		if n := crawlers.ExtractNotice(in); n.Buyer != "" {
			t.Fatalf("built in: buyer %q; the test needs a label the built-in conventions lack", n.Buyer)
		}
		l, err := crawlers.LoadNoticeLabels([]byte("fields:\n  buyer: [采购人, 业主单位]\n"), "site.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if n := l.Extract(in); n.Buyer != "某某水务集团有限公司" || len(n.Lots) != 1 {
			t.Errorf("with site.yaml: %+v", n)
		}
	})
	for _, tc := range []struct{ name, yaml, want string }{
		{"UnknownField", "fields:\n  buyers: [采购人]\n", "site.yaml:2: field buyers not found"},
		{"UnknownType", "noticeTypes:\n  - {type: award-ish, words: [中标]}\n", `site.yaml: noticeTypes: entry 1: type "award-ish" is not one of award, candidates, correction, termination, tender`},
		{"EmptyWinner", "winner: []\n", "site.yaml: winner: must not be empty"},
		{"EmptyEntry", "fields:\n  agency: [代理机构, \"\"]\n", "site.yaml: fields.agency: entry 2 is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := crawlers.LoadNoticeLabels([]byte(tc.yaml), "site.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to say %q", err, tc.want)
			}
		})
	}
}
