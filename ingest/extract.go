package ingest

import (
	"bytes"
	_ "embed"
	"os"
	"sort"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/valuegraph/valuegraph"
)

//go:embed lexicon.yaml
var defaultLexicon []byte

// Intents a post can show.
const (
	IntentAlternative    = "alternative"    // looking for a replacement
	IntentComparison     = "comparison"     // weighing vendors against each other
	IntentComplaint      = "complaint"      // unhappy with a product or vendor
	IntentRecommendation = "recommendation" // asking for or giving recommendations
)

// LexiconEntity is a vendor, product or need the extractor looks for.
type LexiconEntity struct {
	ID     string   `yaml:"-"`
	Name   string   `yaml:"name"`
	Kind   string   `yaml:"kind"`   // vendor, product or need
	Vendor string   `yaml:"vendor"` // for products: the vendor's id
	Terms  []string `yaml:"terms"`

	// Competitor marks vendors and products we compete with: signals that
	// mention them link to a Competitor node (id "lex:<id>").
	Competitor bool `yaml:"competitor"`
}

// NodeID is the id of the graph node a lexicon entity stands for.
func (e *LexiconEntity) NodeID() string { return "lex:" + e.ID }

// Lexicon is the configuration of the extractor (业务即配置).
type Lexicon struct {
	Entities map[string]*LexiconEntity `yaml:"entities"`
	Intents  map[string][]string       `yaml:"intents"`
	Exclude  map[string][]string       `yaml:"exclude"`
}

// LoadLexicon reads a lexicon; unknown keys, unknown kinds, products of
// unknown vendors and terms claimed by two entities are errors naming the
// entry. Empty data gives the built-in lexicon.
func LoadLexicon(data []byte, file string) (*Extractor, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		data, file = defaultLexicon, "lexicon.yaml (built in)"
	}
	var lex Lexicon
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&lex); err != nil {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
	}
	problems := &valuegraph.Problems{File: file}
	bad := problems.Add
	owner := map[string]string{}
	for id, e := range lex.Entities {
		e.ID = id
		field := "entities." + id
		switch e.Kind {
		case "vendor", "product", "need":
		default:
			bad(field+".kind", "must be vendor, product or need, got %q", e.Kind)
		}
		if e.Name == "" {
			bad(field+".name", "required")
		}
		if len(e.Terms) == 0 {
			bad(field+".terms", "at least one term")
		}
		for _, t := range e.Terms {
			k := normText(t)
			if prev, ok := owner[k]; ok && prev != id {
				bad(field+".terms", "%q is also a term of %s", t, prev)
			}
			owner[k] = id
		}
	}
	for id, e := range lex.Entities {
		if e.Vendor != "" && e.Kind != "product" {
			bad("entities."+id+".vendor", "only products have a vendor")
		}
	}
	for intent := range lex.Exclude {
		if _, ok := lex.Intents[intent]; !ok {
			bad("exclude."+intent, "no such intent")
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return newExtractor(&lex), nil
}

// LoadLexiconFile reads a lexicon from a file.
func LoadLexiconFile(path string) (*Extractor, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: path, Message: "empty lexicon"}
	}
	return LoadLexicon(data, path)
}

// Extractor finds lexicon entities and intents in text.
type Extractor struct {
	lex     *Lexicon
	terms   map[rune][]term // by first rune, longest first
	intents map[string][]term
	exclude map[string][]string
}

// Vendor returns the name of a product's vendor ("" when the lexicon has none).
func (x *Extractor) Vendor(e *LexiconEntity) string {
	if v := x.lex.Entities[e.Vendor]; v != nil {
		return v.Name
	}
	return e.Vendor
}

type term struct {
	text  []rune
	id    string
	latin bool // whole-word match
}

// Extraction is what one text mentions and wants.
type Extraction struct {
	Mentions []Found // in order of appearance, each entity once
	Intents  []string
}

// Found is one entity found, with the words that named it.
type Found struct {
	Entity *LexiconEntity
	Term   string
}

// normText folds width and case, so matching is on one form.
func normText(s string) string { return strings.ToLower(Fold(s)) }

func newExtractor(lex *Lexicon) *Extractor {
	x := &Extractor{lex: lex, terms: map[rune][]term{}, intents: map[string][]term{}, exclude: map[string][]string{}}
	mk := func(text, id string) term {
		r := []rune(normText(text))
		return term{text: r, id: id, latin: isWordRune(r[0]) || isWordRune(r[len(r)-1])}
	}
	for id, e := range lex.Entities {
		for _, t := range e.Terms {
			tm := mk(t, id)
			x.terms[tm.text[0]] = append(x.terms[tm.text[0]], tm)
		}
	}
	for first := range x.terms {
		ts := x.terms[first]
		sort.Slice(ts, func(i, j int) bool { return len(ts[i].text) > len(ts[j].text) })
	}
	for intent, words := range lex.Intents {
		for _, w := range words {
			x.intents[intent] = append(x.intents[intent], mk(w, intent))
		}
	}
	for intent, words := range lex.Exclude {
		for _, w := range words {
			x.exclude[intent] = append(x.exclude[intent], normText(w))
		}
	}
	return x
}

func isWordRune(r rune) bool {
	return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// at reports whether t matches text at i, as a whole word if it is Latin.
func (t term) at(text []rune, i int) bool {
	if i+len(t.text) > len(text) {
		return false
	}
	for j, r := range t.text {
		if text[i+j] != r {
			return false
		}
	}
	if t.latin {
		if i > 0 && isWordRune(text[i-1]) && isWordRune(t.text[0]) {
			return false
		}
		if end := i + len(t.text); end < len(text) && isWordRune(text[end]) && isWordRune(t.text[len(t.text)-1]) {
			return false
		}
	}
	return true
}

// Extract finds the entities text names (longest term first, so 阿里云盘 is
// not also 阿里云) and the intents it shows.
func (x *Extractor) Extract(text string) Extraction {
	norm := normText(text)
	runes := []rune(norm)
	var out Extraction
	seen := map[string]bool{}
	for i := 0; i < len(runes); {
		matched := 0
		for _, t := range x.terms[runes[i]] {
			if t.at(runes, i) {
				if !seen[t.id] {
					seen[t.id] = true
					out.Mentions = append(out.Mentions, Found{Entity: x.lex.Entities[t.id], Term: string(t.text)})
				}
				matched = len(t.text)
				break
			}
		}
		i += max(matched, 1)
	}
	intents := make([]string, 0, len(x.intents))
	for intent := range x.intents {
		intents = append(intents, intent)
	}
	sort.Strings(intents)
	for _, intent := range intents {
		cleaned := norm
		for _, ex := range x.exclude[intent] {
			cleaned = strings.ReplaceAll(cleaned, ex, " ")
		}
		cr := []rune(cleaned)
		found := false
		for _, t := range x.intents[intent] {
			for i := range cr {
				if cr[i] == t.text[0] && t.at(cr, i) {
					found = true
					break
				}
			}
			if found {
				break
			}
		}
		if found {
			out.Intents = append(out.Intents, intent)
		}
	}
	return out
}

// Entity returns a lexicon entity by id.
func (x *Extractor) Entity(id string) *LexiconEntity { return x.lex.Entities[id] }
