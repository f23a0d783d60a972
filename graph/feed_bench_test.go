package graph_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// BenchmarkFeed measures the feed's read on a graph of N generated signals
// (default 100k, VALUEGRAPH_BENCH_FEED_SIGNALS) about N/10 customers in 16
// regions and 12 industries, every one of them arrived just now, so the
// feed's window holds them all and its scan stops at its cap (FeedScan):
// the most a feed read costs. Each case reads the first page (20) of a
// rep's feed 40 times and logs p50/p95, for the start page's read (since
// 30 days ago) and the unread-only one. The graph is kept under the prefix
// feedbench- for the next run (graph.Store.Purge removes it).
//
//	go test -run '^$' -bench Feed -benchtime 1x ./graph/
func BenchmarkFeed(b *testing.B) {
	total := 100_000
	if v, err := strconv.Atoi(os.Getenv("VALUEGRAPH_BENCH_FEED_SIGNALS")); err == nil && v > 0 {
		total = v
	}
	s := graphtest.MustOpen(b)
	ctx := context.Background()
	const p = "feedbench-"
	regions := []string{"北京", "上海", "天津", "重庆", "江苏", "浙江", "广东", "山东", "四川", "湖北", "福建", "河南", "陕西", "辽宁", "安徽", "湖南"}
	industries := []string{"logistics", "pharma", "manufacturing", "electronics", "automotive", "retail", "food", "chemicals", "energy", "construction", "agriculture", "textiles"}
	kinds := []struct {
		kind  valuegraph.SignalKind
		trust valuegraph.TrustLevel
		word  string
	}{
		{valuegraph.SignalTender, valuegraph.TrustL2, "招标公告"}, {valuegraph.SignalAward, valuegraph.TrustL2, "中标公告"},
		{valuegraph.SignalCustoms, valuegraph.TrustL2, "进口报关"}, {valuegraph.SignalForumPost, valuegraph.TrustL3, "论坛讨论"},
		{valuegraph.SignalCRMNote, valuegraph.TrustL1, "拜访记录"}, {valuegraph.SignalERPOrder, valuegraph.TrustL1, "订单"},
		{valuegraph.SignalProcurementIntent, valuegraph.TrustL2, "采购意向"}, {valuegraph.SignalServiceTicket, valuegraph.TrustL1, "工单"},
	}
	topics := []string{"冷链监控平台", "智慧工地系统", "MES 升级", "ERP 替换", "仓储自动化", "质量追溯"}
	customers := total / 10
	if n, err := s.Count(ctx, "Signal", p); err != nil {
		b.Fatal(err)
	} else if n < total {
		start := time.Now()
		cs := make([]valuegraph.Customer, customers)
		for i := range cs {
			cs[i] = valuegraph.Customer{ID: fmt.Sprintf("%sc%d", p, i), Name: fmt.Sprintf("测试客户%d有限公司", i),
				Region: regions[i%len(regions)], Industry: industries[(i/len(regions))%len(industries)], OwnerID: fmt.Sprintf("%srep-%d", p, i%24)}
		}
		if _, err := s.UpsertCustomers(ctx, cs); err != nil {
			b.Fatal(err)
		}
		at := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
		for lo := 0; lo < total; lo += 10_000 {
			sigs := make([]valuegraph.Signal, 0, 10_000)
			for i := lo; i < min(lo+10_000, total); i++ {
				k := kinds[i%len(kinds)]
				c := (i * 7919) % customers
				sigs = append(sigs, valuegraph.Signal{ID: fmt.Sprintf("%ss%d", p, i), Kind: k.kind, Trust: k.trust, Source: p + string(k.kind),
					Title:      regions[c%len(regions)] + topics[i%len(topics)] + k.word + strconv.Itoa(i),
					OccurredAt: at.Add(-time.Duration(i%(365*24)) * time.Hour), CustomerIDs: []string{cs[c].ID}})
			}
			if _, err := s.UpsertSignals(ctx, sigs); err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("built %d customers and %d signals in %s", customers, total, time.Since(start).Round(time.Second))
	}

	rep := p + "rep-6" // owns the customers i%24 == 6: in 广东 among others
	subs, err := s.Subscriptions(ctx, valuegraph.OwnerRep, rep)
	if err != nil {
		b.Fatal(err)
	}
	for _, sub := range subs {
		if err := s.DeleteSubscription(ctx, valuegraph.OwnerRep, rep, sub.ID, p+"bench"); err != nil {
			b.Fatal(err)
		}
	}
	mk := func(in valuegraph.SubscriptionInput) string {
		sub, err := s.CreateSubscription(ctx, valuegraph.OwnerRep, rep, in, p+"bench")
		if err != nil {
			b.Fatal(err)
		}
		return sub.ID
	}
	cases := []struct{ name, sub string }{
		{"awards in 湖南 (region and kind)", mk(valuegraph.SubscriptionInput{Name: "湖南中标", Regions: []string{"湖南"}, Kinds: []valuegraph.SignalKind{valuegraph.SignalAward}})},
		{"construction in 广东 (region and industry)", mk(valuegraph.SubscriptionInput{Name: "广东建筑", Regions: []string{"广东"}, Industries: []string{"construction"}})},
		{"keyword 冷链", mk(valuegraph.SubscriptionInput{Name: "冷链", Keywords: []string{"冷链"}})},
		{"five buyers", mk(valuegraph.SubscriptionInput{Name: "五个客户", CustomerIDs: []string{p + "c6", p + "c30", p + "c54", p + "c78", p + "c102"}})},
		{"a keyword nothing has", mk(valuegraph.SubscriptionInput{Name: "无", Keywords: []string{"量子计算"}})},
		{"all five at once", ""},
	}
	for range b.N {
		for _, tc := range cases {
			for _, mode := range []string{"start page (since 30 days)", "unread only"} {
				q := valuegraph.FeedQuery{OwnerKind: valuegraph.OwnerRep, Owner: rep, RepID: rep, SubscriptionID: tc.sub, First: 20}
				if mode != "unread only" {
					q.Since = time.Now().Add(-graph.FeedWindow)
				}
				var took []time.Duration
				var f *valuegraph.Feed
				for range 40 {
					start := time.Now()
					if f, err = s.Feed(ctx, q); err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(start))
				}
				slices.Sort(took)
				b.Logf("%-45s %-28s p50 %4d ms  p95 %4d ms  (%d matches, %d unread own, scanned %d, truncated %v)", tc.name, mode,
					took[len(took)/2].Milliseconds(), took[len(took)*95/100].Milliseconds(), f.Matches, f.UnreadOwn, f.Scanned, f.Truncated)
			}
		}
	}
}
