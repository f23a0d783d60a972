package graph_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/graph/graphtest"
)

// loadListedCompanies writes the real SSE listing sample as customers: the
// registered full name as name, the short name and former short names as
// aliases. Status prefixes (G, ST, *ST) on former names are kept as published;
// the cjk analyzer still finds 浦发 inside G浦发.
func loadListedCompanies(t *testing.T, s *graph.Store, p string) int {
	t.Helper()
	read := func(name string) [][]string {
		b, err := os.ReadFile("../../shared/data/companies-cn/" + name)
		if err != nil {
			t.Fatalf("real sample missing: %v", err)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return rows[1:]
	}
	former := map[string][]string{}
	for _, row := range read("sina_former_short_names_sample.csv") {
		former[row[0]] = strings.Split(row[1], ",")
	}
	var cs []valuegraph.Customer
	for _, row := range read("sse_a_share_names_sample.csv") {
		code := row[1]
		if code == "" {
			continue // B-share rows repeat A-share companies
		}
		cs = append(cs, valuegraph.Customer{ID: p + code, Name: row[3], Aliases: append([]string{row[2]}, former[code]...)})
	}
	if _, err := s.UpsertCustomers(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
	return len(cs)
}

func TestSearchNames(t *testing.T) {
	s := graphtest.MustOpen(t)
	ctx := context.Background()
	p := graphtest.Prefix(t, s)
	if n := loadListedCompanies(t, s, p); n < 400 {
		t.Fatalf("loaded %d companies, want the whole sample", n)
	}
	seed(t, s, p)

	for _, tc := range []struct {
		name, query, kind, wantID string
	}{
		{"PartOfFullName", "浦东发展", "Customer", p + "600000"},
		{"ShortNameThroughAlias", "浦发", "Customer", p + "600000"},
		{"FormerShortName", "G沪机场", "Customer", p + "600009"},
		{"ExactFullName", "中国民生银行股份有限公司", "Customer", p + "600016"},
		{"CompetitorEnglishAlias", "alibaba cloud", "Competitor", p + "aliyun"},
		{"Person", "张伟", "Person", p + "zhang"},
		{"LuceneSyntaxIsText", "浦发 AND (", "Customer", p + "600000"},
		{"LuceneSpecialCharactersAreText", `浦发~ "* \ / : ^2 [a TO z] {x} -y +z ?! && ||`, "Customer", p + "600000"},
		{"AtTheBounds", strings.Repeat("浦发 ", graph.MaxSearchTerms-1) + "浦发" + strings.Repeat(" ", graph.MaxSearchChars-3*graph.MaxSearchTerms+1), "Customer", p + "600000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Other tests' data and the demo's thousands of names may
			// share the index and outrank ours: read far enough to see ours.
			hits, err := s.SearchNames(ctx, tc.query, nil, 500)
			if err != nil {
				t.Fatal(err)
			}
			var mine []valuegraph.NameHit
			for _, h := range hits {
				if strings.HasPrefix(h.ID, p) {
					mine = append(mine, h)
				}
			}
			if len(mine) == 0 || mine[0].ID != tc.wantID || mine[0].Kind != tc.kind {
				t.Fatalf("search %q: top hits %+v, want %s %s first", tc.query, mine, tc.kind, tc.wantID)
			}
		})
	}

	t.Run("KindsNarrow", func(t *testing.T) {
		hits, err := s.SearchNames(ctx, "阿里云", []string{"Customer"}, 5)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.Kind != "Customer" {
				t.Errorf("hit %+v outside the requested kinds", h)
			}
		}
	})

	// Lucene's query grows with the text: past the bounds it is refused
	// before it reaches Neo4j, by every full-text search.
	for _, tc := range []struct{ name, text, want string }{
		{"ErrTooLong", strings.Repeat("浦", graph.MaxSearchChars+1), "text: at most 200 characters, got 201"},
		{"ErrMegabyte", strings.Repeat("a", 1<<20), "text: at most 200 characters, got 1048576"},
		{"ErrTooManyWords", strings.Repeat("pu ", graph.MaxSearchTerms+1), "text: at most 32 words, got 33"},
		{"ErrTooManyWordsWithoutSpaces", strings.Repeat("a-", graph.MaxSearchTerms+1), "text: at most 32 words, got 33"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.SearchNames(ctx, tc.text, nil, 5)
			if valuegraph.ErrorCode(err) != valuegraph.EINVALID || err.Error() != tc.want {
				t.Errorf("search: err = %v, want EINVALID %q", err, tc.want)
			}
			_, err = s.ListCustomers(ctx, valuegraph.CustomerFilter{Text: tc.text}, 5, "")
			if valuegraph.ErrorCode(err) != valuegraph.EINVALID || err.Error() != tc.want {
				t.Errorf("list customers: err = %v, want EINVALID %q", err, tc.want)
			}
			// Entity resolution finds no candidates for such a name rather
			// than failing its batch.
			cands, err := s.OrgCandidates(ctx, []string{tc.text, "浦东发展银行"}, []string{"Customer"}, 5)
			if err != nil || len(cands) != 2 || len(cands[0]) != 0 || len(cands[1]) == 0 {
				t.Errorf("org candidates: %d lists, first %+v, err %v; want none for the bad name, some for the good", len(cands), cands[0], err)
			}
		})
	}

	t.Run("ErrEmpty", func(t *testing.T) {
		if _, err := s.SearchNames(ctx, "  ", nil, 5); valuegraph.ErrorCode(err) != valuegraph.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
	})
}
