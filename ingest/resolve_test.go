package ingest_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

// emptyGraph is a graph that knows no organisation: what resolution does
// within one batch alone.
type emptyGraph struct{}

func (emptyGraph) LookupKeys(context.Context, []string) (map[string][]valuegraph.OrgRef, error) {
	return map[string][]valuegraph.OrgRef{}, nil
}
func (emptyGraph) OrgCandidates(_ context.Context, names []string, _ []string, _ int) ([][]valuegraph.OrgRef, error) {
	return make([][]valuegraph.OrgRef, len(names)), nil
}

func TestResolveWithinBatch(t *testing.T) {
	resolve := func(t *testing.T, ms ...ingest.Mention) []ingest.Resolution {
		t.Helper()
		r := ingest.NewMatcher(emptyGraph{}, ingest.MatchOptions{})
		// Other names of the file, so that words have frequencies as in a real one.
		var all []ingest.Mention
		for _, n := range []string{"FOSHAN QIAOHAN TRADING CO LIMITED", "GUANGZHOU JINGLING TRADE CO LIMITED", "CERAMICHE CAESAR SPA",
			"MARAZZI GROUP S R L", "GUANGZHOU LELE TRADING CO LIMITED", "FOSHAN AOMEIKANG CERAMICS CO LIMITED", "ITALGRANITI GROUP SPA"} {
			all = append(all, ingest.Mention{Name: n})
		}
		res, err := r.Match(context.Background(), append(all, ms...))
		if err != nil {
			t.Fatal(err)
		}
		return res[len(all):]
	}
	orgs := func(res []ingest.Resolution) (settled, reviews int) {
		ids := map[string]bool{}
		for _, x := range res {
			if x.Rule == "review" {
				reviews++
			} else if !ids[x.Org.ID] {
				ids[x.Org.ID] = true
				settled++
			}
		}
		return settled, reviews
	}
	t.Run("OneFirmFiveWays", func(t *testing.T) {
		res := resolve(t,
			ingest.Mention{Name: "GUANGZHOU ZANXUAN TRADING CO LIMITED"},
			ingest.Mention{Name: "GUANGZHOU ZANXUAN TRADING CO.,LTD"},
			ingest.Mention{Name: "GUANGZHOU ZANXUAN TRADING COMPANY"},
			ingest.Mention{Name: "GUANG ZHOU ZANXUAN TRADE CO LTD"},
			ingest.Mention{Name: "GUANGZHOU ZANXUANTRADING CO LIMITED"})
		if settled, reviews := orgs(res); settled != 1 || reviews > 1 {
			t.Errorf("five spellings: %d organisations and %d reviews: %+v", settled, reviews, res)
		}
	})
	t.Run("AlikeButTwo", func(t *testing.T) {
		for _, pair := range [][2]ingest.Mention{
			{{Name: "ACE IMPEX"}, {Name: "FACE IMPEX PRIVATE LIMITED"}},
			{{Name: "GUANGZHOU ZANXUAN TRADING CO LIMITED"}, {Name: "GUANGZHOU JUEYUE TRADING CO LIMITED"}},
			{{Name: "RIARA DELTA LIMITED"}, {Name: "RIARA PLUMERIA DEVELOPMENT LIMITED"}},
			{{Name: "CERAMICHE ATLAS CONCORDE SPA"}, {Name: "CERAMICHE CAESAR SPA"}},
			// Two IECs are two importers, however alike the names.
			{{Name: "SHREE TILES", Identifiers: []valuegraph.Identifier{{Scheme: "IN-IEC", Value: "0516981293"}}},
				{Name: "SHREE TILES PVT LTD", Identifiers: []valuegraph.Identifier{{Scheme: "IN-IEC", Value: "0708004962"}}}},
		} {
			res := resolve(t, pair[0], pair[1])
			if res[1].Org.ID == res[0].Org.ID {
				t.Errorf("%q and %q merged (%s %.2f)", pair[0].Name, pair[1].Name, res[1].Rule, res[1].Score)
			}
		}
	})
	t.Run("OtherLegalFormIsReviewed", func(t *testing.T) {
		res := resolve(t, ingest.Mention{Name: "GOLDEN GATE CARGO LIMITED"}, ingest.Mention{Name: "GOLDEN GATE CARGO LLC"},
			ingest.Mention{Name: "GOLDEN GATE CARGO"})
		if res[1].Rule != "review" || res[1].Org.ID == res[0].Org.ID || res[2].Org.ID != res[0].Org.ID {
			t.Errorf("LIMITED %s %s, LLC %s %s, bare %s %s", res[0].Rule, res[0].Org.ID, res[1].Rule, res[1].Org.ID, res[2].Rule, res[2].Org.ID)
		}
	})
}

func TestScore(t *testing.T) {
	r := ingest.NewMatcher(emptyGraph{}, ingest.MatchOptions{})
	for _, tc := range []struct {
		a, b     string
		min, max float64
	}{
		{"CERAMICHE ATLAS CONCORDE SPA", "CERAMIC ATLAS CONCORDE SPA", 0.92, 1},
		{"CERAMICA ATLAS CONCORDE", "CERAMICHE ATLAS CONCORDE", 0.92, 1},
		{"PORCELAIN TILE MAKERS", "PORCELAIN TILES MAKERS", 0.92, 1},
		{"GUANGZHOU A SU CHI TRADING COMPANY", "GUANGZHOU ASUCHI TRADING COMPANY", 1, 1},
		{"ACE IMPEX", "FACE IMPEX", 0, 0.75},
		{"MILGO TRADERS LIMITED", "MILGO VENTURES LIMITED", 0, 0.75},
		{"COLOR TILES UNIT 2", "COLOR TILES UNIT 3", 0, 0.92},
		{"上海浦东发展银行", "上海浦东发展银行股份有限公司", 1, 1},
	} {
		if s := r.Score(tc.a, tc.b); s < tc.min || s > tc.max {
			t.Errorf("Score(%q, %q) = %.3f, want in [%.2f, %.2f]", tc.a, tc.b, s, tc.min, tc.max)
		}
	}
}

// BenchmarkResolveBatch resolves 5,000 new names in one batch against an
// empty graph: the in-batch blocks and scores alone.
func BenchmarkResolveBatch(b *testing.B) {
	words := strings.Fields("FOSHAN GUANGZHOU ZANXUAN QIAOHAN TRADING TRADE CERAMIC CERAMICS CERAMICHE TILES BUILDING MATERIALS " +
		"IMPORT EXPORT INTERNATIONAL GROUP HOLDINGS ATLAS CONCORDE MARAZZI KAJARIA SIMPOLO MOTTO VITRIFIED GRANITO " +
		"PORCELANOSA NAIROBI KENYA AFRICA CARGO LOGISTICS SUPPLY CHAIN ENTERPRISES VENTURES INVESTMENT DEVELOPMENT")
	forms := []string{"LIMITED", "CO LTD", "PRIVATE LIMITED", "SPA", "S L U", "LLC", ""}
	rnd := rand.New(rand.NewPCG(1, 2))
	mentions := make([]ingest.Mention, 5000)
	for i := range mentions {
		n := 2 + rnd.IntN(3)
		var parts []string
		for range n {
			parts = append(parts, words[rnd.IntN(len(words))])
		}
		parts = append(parts, fmt.Sprintf("X%dQ", rnd.IntN(3000)), forms[rnd.IntN(len(forms))])
		mentions[i] = ingest.Mention{Name: strings.Join(parts, " ")}
	}
	b.ResetTimer()
	for range b.N {
		r := ingest.NewMatcher(emptyGraph{}, ingest.MatchOptions{})
		if _, err := r.Match(context.Background(), mentions); err != nil {
			b.Fatal(err)
		}
	}
}
