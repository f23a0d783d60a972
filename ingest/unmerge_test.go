package ingest_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

func TestUnmerge(t *testing.T) {
	s, w, ns := sandbox(t)
	ctx := context.Background()
	// A lower merge threshold so a plain fuzzy merge happens on names close
	// enough to be plausible and wrong: the case unmerge is for.
	w.Matcher = ingest.NewMatcher(s, ingest.MatchOptions{Namespace: ns, AutoThreshold: 0.85, ReviewThreshold: 0.8})
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{
		{ID: ns + "a", Name: "重庆华信冷链物流有限公司"},
		{ID: ns + "b", Name: "重庆华信冷链科技有限公司"},
	}); err != nil {
		t.Fatal(err)
	}
	signal := func(id, about string) ingest.Item {
		return ingest.Item{Pos: ingest.Position{File: "t", Line: 1}, About: []ingest.Mention{{Name: about, Source: "test"}},
			Signal: &valuegraph.Signal{ID: id, Kind: valuegraph.SignalTender, Source: "test", Trust: 2, OccurredAt: time.Now()}}
	}
	write := func(items ...ingest.Item) {
		t.Helper()
		if _, bad, err := w.Write(ctx, items); err != nil || len(bad) > 0 {
			t.Fatal(err, bad)
		}
		w.Matcher.Forget()
	}
	party := func(id string) valuegraph.Party {
		t.Helper()
		sig, err := s.Signal(ctx, ns+id)
		if err != nil || len(sig.Parties) != 1 {
			t.Fatalf("signal %s: %v %+v", id, err, sig)
		}
		return sig.Parties[0]
	}
	const wrong = "重庆华信冷链物流运输有限公司"
	write(signal("s1", wrong), signal("s2", "重庆华信冷链物流股份有限公司"), signal("s3", "重庆华信冷链物流有限公司"))
	if p := party("s1"); p.ID != ns+"a" || p.Rule != "fuzzy" || p.AsName != wrong {
		t.Fatalf("s1 party %+v, want a fuzzy merge into a", p)
	}

	_, merged, err := s.MergedNames(ctx, ns+"a")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(merged, func(m valuegraph.MergedName) bool { return m.Name == wrong })
	if i < 0 || merged[i].Rule != "fuzzy" || merged[i].Links != 2 { // ABOUT from s1, IDENTIFIED_BY its name key
		t.Fatalf("merged names %+v, want %s by fuzzy with 2 links", merged, wrong)
	}

	// Wrong requests say what is wrong and change nothing.
	if _, err := w.Unmerge(ctx, ns+"a", "重庆华信冷链物流股份有限公司", "tester"); valuegraph.ErrorCode(err) != valuegraph.EINVALID {
		t.Errorf("unmerging the customer's own name: %v, want EINVALID", err)
	}
	if _, err := w.Unmerge(ctx, ns+"a", "北京某某公司", "tester"); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND || !strings.Contains(err.Error(), wrong) {
		t.Errorf("unmerging a name never merged: %v, want ENOTFOUND listing the merged names", err)
	}
	if _, err := w.Unmerge(ctx, ns+"nobody", wrong, "tester"); valuegraph.ErrorCode(err) != valuegraph.ENOTFOUND {
		t.Errorf("unknown customer: %v", err)
	}

	split, err := w.Unmerge(ctx, ns+"a", wrong, "tester")
	if err != nil {
		t.Fatal(err)
	}
	if split.To == ns+"a" || !strings.HasPrefix(split.To, ns) || split.Links < 2 {
		t.Fatalf("split %+v", split)
	}
	if p := party("s1"); p.ID != split.To || p.Rule != "fuzzy" || p.AsName != wrong {
		t.Errorf("after unmerge s1 party %+v, want %s keeping rule and name", p, split.To)
	}
	if p := party("s2"); p.ID != ns+"a" {
		t.Errorf("s2 (same key as a) moved: %+v", p)
	}
	c, err := s.Customer(ctx, split.To)
	if err != nil || c.Name != wrong {
		t.Fatalf("split customer %+v %v", c, err)
	}
	a, _ := s.Customer(ctx, ns+"a")
	if slices.Contains(a.Aliases, wrong) {
		t.Errorf("a keeps the alias %s: %v", wrong, a.Aliases)
	}
	audits, _ := s.Audits(ctx, ns+"a", 5)
	if len(audits) == 0 || audits[0].Action != "unmerge" || audits[0].Actor != "tester" {
		t.Errorf("audit %+v", audits)
	}

	// The name now resolves to the split organisation: no second merge.
	write(signal("s4", wrong))
	if p := party("s4"); p.ID != split.To {
		t.Errorf("re-ingest resolved %s to %+v, want the split %s", wrong, p, split.To)
	}

	// A review's merge is undone to the provisional organisation it merged.
	const between = "重庆华信冷链物流科技有限公司"
	w.Matcher = ingest.NewMatcher(s, ingest.MatchOptions{Namespace: ns}) // defaults: between a and b is a review
	write(signal("s5", between))
	p := party("s5")
	reviews, err := s.Reviews(ctx, valuegraph.ReviewOpen, 500)
	if err != nil {
		t.Fatal(err)
	}
	var review *valuegraph.Review
	for i := range reviews {
		if reviews[i].ProvisionalID == p.ID {
			review = &reviews[i]
		}
	}
	if review == nil {
		t.Fatalf("no review for %s (party %+v)", between, p)
	}
	if _, err := s.ResolveReview(ctx, review.ID, ns+"b", false, "tester"); err != nil {
		t.Fatal(err)
	}
	if q := party("s5"); q.ID != ns+"b" {
		t.Fatalf("accepted review left s5 on %+v", q)
	}
	back, err := w.Unmerge(ctx, ns+"b", between, "tester")
	if err != nil {
		t.Fatal(err)
	}
	if back.To != p.ID {
		t.Errorf("review merge undone to %s, want the provisional %s", back.To, p.ID)
	}
	if q := party("s5"); q.ID != p.ID {
		t.Errorf("s5 after undoing the review merge: %+v, want %s", q, p.ID)
	}
}
