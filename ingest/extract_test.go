package ingest_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph/ingest"
)

func TestExtract(t *testing.T) {
	x, err := ingest.LoadLexicon(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text     string
		mentions []string
		intents  []string
	}{
		{"阿里云盘还是慢慢少用吧", []string{"aliyun-drive"}, []string{"comparison", "complaint"}},
		{"The laws of AWS pricing", []string{"aws"}, nil},
		{"ＡＷＳ 和 阿里云 哪个好", []string{"aws", "aliyun"}, []string{"comparison"}},
		{"SAP PLM 替换成国产的有人做过吗？国产化", []string{"sap", "domestic-replacement"}, []string{"alternative"}},
		{"程序员会被替代吗", nil, nil},
	} {
		ex := x.Extract(tc.text)
		var got []string
		for _, m := range ex.Mentions {
			got = append(got, m.Entity.ID)
		}
		if !slices.Equal(got, tc.mentions) || !slices.Equal(ex.Intents, tc.intents) {
			t.Errorf("Extract(%q) = %v %v, want %v %v", tc.text, got, ex.Intents, tc.mentions, tc.intents)
		}
	}
}

func TestLoadLexiconErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"UnknownKey", "entities:\n  a: {name: A, kind: vendor, terms: [a], color: red}\n", "field color not found"},
		{"BadKind", "entities:\n  a: {name: A, kind: person, terms: [a]}\n", "entities.a.kind: must be vendor, product or need"},
		{"SharedTerm", "entities:\n  a: {name: A, kind: vendor, terms: [云]}\n  b: {name: B, kind: vendor, terms: [云]}\n", "is also a term of"},
		{"NoTerms", "entities:\n  a: {name: A, kind: vendor}\n", "entities.a.terms: at least one term"},
		{"ExcludeUnknownIntent", "entities:\n  a: {name: A, kind: vendor, terms: [a]}\nexclude:\n  praise: [x]\n", "exclude.praise: no such intent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ingest.LoadLexicon([]byte(tc.yaml), "lex.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "lex.yaml") {
				t.Fatalf("err = %v, want one naming lex.yaml and %q", err, tc.want)
			}
		})
	}
}
