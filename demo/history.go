package demo

import (
	"fmt"
	"time"

	"github.com/valuegraph/valuegraph"
)

// history writes one customer's signals.
type history struct {
	g          *generator
	cust       valuegraph.Customer
	num        string
	ind        industry
	people     []valuegraph.Person
	needs      []string // the customer's needs, prefixed; the first is the main one
	competitor string
	shift      time.Duration // moves the scenario's observation day to Options.Now
	n          int
}

// source is where signals of a kind come from; ids without the prefix.
var sources = map[valuegraph.SignalKind]string{
	valuegraph.SignalTender: "g-ccgp", valuegraph.SignalAward: "g-ccgp", valuegraph.SignalProcurementIntent: "g-ccgp",
	valuegraph.SignalCustoms: "g-customs", valuegraph.SignalForumPost: "g-forum", valuegraph.SignalWhitepaperDownload: "g-website",
	valuegraph.SignalKBSearch: "g-website", valuegraph.SignalERPOrder: "g-erp", valuegraph.SignalServiceTicket: "g-tickets",
	valuegraph.SignalCRMNote: "g-crm", valuegraph.SignalExecChange: "g-registry", valuegraph.SignalFunding: "g-news",
	valuegraph.SignalCompanyChange: "g-registry", valuegraph.SignalRepObservation: "g-crm", valuegraph.SignalOutreach: "g-crm",
	valuegraph.SignalOpportunity: "g-crm",
}

func (h *history) needName(id string) string {
	for _, n := range h.g.d.Needs {
		if n.ID == id {
			return n.Name
		}
	}
	return id
}

func short(c valuegraph.Customer) string {
	if len(c.Aliases) > 0 {
		return c.Aliases[0]
	}
	return c.Name
}

// add writes one signal of kind at a time, with a title, amount and links
// that fit its kind.
func (h *history) add(kind valuegraph.SignalKind, trust valuegraph.TrustLevel, at time.Time, intents []string, competitor bool) {
	rng := h.g.rng
	h.n++
	at = at.Truncate(time.Minute)
	if trust == 0 {
		trust = valuegraph.TrustL2
	}
	need := h.needs[0]
	if rng.IntN(3) == 0 {
		need = h.needs[1]
	}
	nn, name := h.needName(need), short(h.cust)
	s := valuegraph.Signal{
		ID:          h.g.id(fmt.Sprintf("s-%s-%d", h.num, h.n)),
		Kind:        kind,
		Source:      h.g.id(sources[kind]),
		Trust:       trust,
		OccurredAt:  at,
		Intents:     intents,
		CustomerIDs: []string{h.cust.ID},
	}
	person := func(k int) string { return h.people[min(k, len(h.people)-1)].ID }
	someone := func() string { return pick(rng, h.people).ID }
	money := func(lo, hi int) { s.Amount, s.Currency = float64((lo+rng.IntN(hi-lo))*1000), "CNY" }
	switch kind {
	case valuegraph.SignalTender:
		s.Title, s.NeedIDs = fmt.Sprintf("%s%s项目招标公告", h.cust.Name, nn), []string{need}
		s.URL = fmt.Sprintf("https://ccgp.example.cn/notice/%s-%d", h.num, h.n)
		money(300, 5000)
	case valuegraph.SignalAward:
		s.Title, s.NeedIDs = fmt.Sprintf("%s%s项目中标结果公告", h.cust.Name, nn), []string{need}
		s.URL = fmt.Sprintf("https://ccgp.example.cn/award/%s-%d", h.num, h.n)
		money(300, 5000)
	case valuegraph.SignalProcurementIntent:
		s.Title, s.NeedIDs = fmt.Sprintf("%s%s采购意向", h.cust.Name, nn), []string{need}
		s.Text = fmt.Sprintf("预算金额：%d万元", 50+rng.IntN(500))
	case valuegraph.SignalCustoms:
		s.Title = fmt.Sprintf("%s进口报关：工业设备及配件", name)
		s.Amount, s.Currency = float64(10000+rng.IntN(500000)), "USD"
	case valuegraph.SignalForumPost:
		s.Title, s.NeedIDs = fmt.Sprintf("%s方案怎么选？（%s员工提问）", nn, name), []string{need}
	case valuegraph.SignalWhitepaperDownload:
		s.Title, s.NeedIDs, s.PersonIDs = fmt.Sprintf("《%s实践白皮书》下载", nn), []string{need}, []string{person(1)}
	case valuegraph.SignalKBSearch:
		s.Title, s.NeedIDs = "知识库搜索："+nn, []string{need}
	case valuegraph.SignalERPOrder:
		s.Title = fmt.Sprintf("销售订单 SO-%s-%04d", h.num, h.n)
		if p, ok := ourProducts[need[len(h.g.o.Prefix):]]; ok {
			s.ProductIDs = []string{h.g.id(p)}
		}
		money(20, 800)
	case valuegraph.SignalServiceTicket:
		s.Title, s.PersonIDs = pick(rng, tickets), []string{someone()}
	case valuegraph.SignalCRMNote:
		s.Title, s.NeedIDs, s.PersonIDs = "拜访纪要：讨论"+nn, []string{need}, []string{person(1)}
		s.RepID = h.cust.OwnerID
	case valuegraph.SignalExecChange:
		s.Title, s.PersonIDs = fmt.Sprintf("%s高管变更：%s调整", name, h.people[0].Title), []string{person(0)}
	case valuegraph.SignalFunding:
		s.Title = fmt.Sprintf("%s完成新一轮融资", name)
		money(10000, 200000)
	case valuegraph.SignalCompanyChange:
		s.Title = fmt.Sprintf("%s工商变更：%s", name, pick(rng, []string{"注册资本变更", "经营范围变更", "法定代表人变更"}))
	case valuegraph.SignalRepObservation:
		s.Title, s.NeedIDs = "现场观察：客户关注"+nn, []string{need}
		s.RepID = h.cust.OwnerID
	case valuegraph.SignalOutreach:
		s.Title, s.PersonIDs = "电话回访", []string{someone()}
		s.RepID = h.cust.OwnerID
	case valuegraph.SignalOpportunity:
		s.Title, s.NeedIDs = fmt.Sprintf("商机：%s %s", name, nn), []string{need}
		s.RepID = h.cust.OwnerID
		if len(s.Intents) == 0 {
			s.Intents = []string{pick(rng, []string{valuegraph.DealProspecting, valuegraph.DealQualified, valuegraph.DealProposal, valuegraph.DealNegotiation})}
		}
	}
	if competitor {
		s.CompetitorIDs = []string{h.competitor}
		if p, ok := needProducts[need[len(h.g.o.Prefix):]]; ok {
			s.ProductIDs = append(s.ProductIDs, h.g.id(p))
		}
		s.Title = fmt.Sprintf("%s（提及%s）", s.Title, h.competitorName())
	}
	h.g.d.Signals = append(h.g.d.Signals, s)
}

func (h *history) competitorName() string {
	for _, k := range h.g.d.Competitors {
		if k.ID == h.competitor {
			return k.Name
		}
	}
	return h.competitor
}

var tickets = []string{"工单：系统响应慢", "工单：报表导出失败", "工单：接口对接报错", "工单：账号权限申请", "工单：数据同步延迟"}

// extraKinds are kinds the scenarios' journeys do not bring; every customer
// gets two of them in its last year, so the demo shows every kind.
var extraKinds = []struct {
	kind  valuegraph.SignalKind
	trust valuegraph.TrustLevel
}{
	{valuegraph.SignalCustoms, valuegraph.TrustL2}, {valuegraph.SignalCRMNote, valuegraph.TrustL1},
	{valuegraph.SignalFunding, valuegraph.TrustL2}, {valuegraph.SignalCompanyChange, valuegraph.TrustL2},
	{valuegraph.SignalRepObservation, valuegraph.TrustL3}, {valuegraph.SignalOpportunity, valuegraph.TrustL1},
}

func (h *history) extras(i int) {
	for _, k := range []int{i % len(extraKinds), (i + 3) % len(extraKinds)} {
		e := extraKinds[k]
		at := h.g.o.Now.Add(-time.Duration(1+h.g.rng.IntN(360)) * 24 * time.Hour)
		h.add(e.kind, e.trust, at, nil, false)
	}
}

// bulk gives a very large buyer n signals over three years: mostly orders,
// with tickets, imports, contacts and searches.
func (h *history) bulk(n int) {
	mix := []struct {
		kind  valuegraph.SignalKind
		trust valuegraph.TrustLevel
		share int
	}{
		{valuegraph.SignalERPOrder, valuegraph.TrustL1, 50}, {valuegraph.SignalServiceTicket, valuegraph.TrustL1, 15},
		{valuegraph.SignalCustoms, valuegraph.TrustL2, 10}, {valuegraph.SignalOutreach, valuegraph.TrustL1, 10},
		{valuegraph.SignalKBSearch, valuegraph.TrustL3, 10}, {valuegraph.SignalCRMNote, valuegraph.TrustL1, 5},
	}
	for range n {
		u := h.g.rng.IntN(100)
		k := 0
		for u >= mix[k].share {
			u -= mix[k].share
			k++
		}
		at := h.g.o.Now.Add(-time.Duration(h.g.rng.IntN(3*365*24)) * time.Hour)
		var intents []string
		if mix[k].kind == valuegraph.SignalOutreach {
			intents = []string{valuegraph.IntentAnswered}
		}
		h.add(mix[k].kind, mix[k].trust, at, intents, false)
	}
}
