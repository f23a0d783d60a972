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
	IntentAlternative    = "alternative"    // looking for a replacement (seeking_alternative in a dry run)
	IntentComparison     = "comparison"     // weighing vendors against each other
	IntentComplaint      = "complaint"      // unhappy with a product or vendor
	IntentRecommendation = "recommendation" // asking for or giving recommendations
)

// SeekingAlternative is the name a dry run gives IntentAlternative (the
// issue's name); signals keep "alternative", the name briefs read.
const SeekingAlternative = "seeking_alternative"

// LexiconEntity is a vendor, product or need the extractor looks for.
type LexiconEntity struct {
	ID     string   `yaml:"-"`
	Name   string   `yaml:"name"`   // canonical: English where the brand has one
	Kind   string   `yaml:"kind"`   // vendor, product or need
	Vendor string   `yaml:"vendor"` // for products: the vendor's id
	Terms  []string `yaml:"terms"`

	// Competitor marks vendors and products we compete with: signals that
	// mention them link to a Competitor node (id "lex:<id>").
	Competitor bool `yaml:"competitor"`

	// Models: a model number or a model word written after a term belongs
	// to the mention ("iPhone 12 mini", "i9 14900K", "win10").
	Models bool `yaml:"models"`

	// ModelsOf names the product a model number written after this
	// vendor's name belongs to (苹果 13 pro is an iPhone 13 Pro).
	ModelsOf string `yaml:"models_of"`

	// Brand is the dictionary the entity comes from: "" for the YAML
	// lexicon, "simple-icons" for the generated brand dictionary.
	Brand string `yaml:"-"`
}

// NodeID is the id of the graph node a lexicon entity stands for.
func (e *LexiconEntity) NodeID() string { return "lex:" + e.ID }

// Lexicon is the configuration of the extractor (业务即配置).
type Lexicon struct {
	Entities map[string]*LexiconEntity `yaml:"entities"`
	Intents  map[string][]string       `yaml:"intents"`
	Exclude  map[string][]string       `yaml:"exclude"`

	// Brands, unless false, adds the generated brand dictionary
	// (brands.tsv) under the entities; an entity's terms win over it.
	Brands *bool `yaml:"brands"`
	// Stop lists dictionary names that are never a brand in free text
	// (file formats, protocols, everyday words); see lexicon.yaml.
	Stop []string `yaml:"stop"`
	// ModelWords may follow a product's name as (part of) its model
	// ("mini", "Pro", "Max"); ModelUnits after a number say it is a size,
	// not a model ("16 寸", "8G").
	ModelWords []string `yaml:"model_words"`
	ModelUnits []string `yaml:"model_units"`
	NotModels  []string `yaml:"not_models"` // 4K, 5G: written after a name, not a model

	// Alternative decides seeking_alternative; see lexicon.yaml.
	Alternative AlternativeRules `yaml:"seeking_alternative"`
}

// AlternativeRules are the words behind "the author looks for a
// replacement": a sentence with a replacement word and a question word
// about an object (a product, a vendor, or a thing in use such as 数据库),
// or trouble with what the author uses followed by a request for a
// recommendation.
type AlternativeRules struct {
	Replace   []string `yaml:"replace"`
	Ask       []string `yaml:"ask"`
	Trouble   []string `yaml:"trouble"`
	Recommend []string `yaml:"recommend"`
	Objects   []string `yaml:"objects"`
	Used      []string `yaml:"used"`
	Exclude   []string `yaml:"exclude"`

	// NoAsk marks a sentence whose replace words ask for nothing: it tells
	// of a switch already made (换到了, 已迁移) or asks why (为什么). Report
	// marks a title that reports (笔记, 分享, 体验): a post so titled,
	// without an ask in the title, looks for nothing.
	NoAsk  []string `yaml:"no_ask"`
	Report []string `yaml:"report"`
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
	ids := make([]string, 0, len(lex.Entities))
	for id := range lex.Entities {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		e := lex.Entities[id]
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
			k := termKey(t)
			if k == "" {
				bad(field+".terms", "empty term")
				continue
			}
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
		if p, ok := lex.Entities[e.ModelsOf]; e.ModelsOf != "" && (!ok || p.Kind != "product") {
			bad("entities."+id+".models_of", "%q is not a product of the lexicon", e.ModelsOf)
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
	if lex.Brands == nil || *lex.Brands {
		addBrands(&lex, owner)
	}
	return newExtractor(&lex), nil
}

// addBrands merges the generated dictionary under the lexicon: a brand one
// of whose names is a lexicon term joins that entity (its other names
// become terms of it); names on the stop list are dropped.
func addBrands(lex *Lexicon, owner map[string]string) {
	if lex.Entities == nil {
		lex.Entities = map[string]*LexiconEntity{}
	}
	stop := map[string]bool{}
	for _, s := range lex.Stop {
		stop[termKey(s)] = true
	}
	for _, b := range brandDictionary() {
		var into string
		for _, t := range b.terms {
			if id, ok := owner[termKey(t)]; ok {
				into = id
				break
			}
		}
		var terms []string
		for _, t := range b.terms {
			k := termKey(t)
			if _, taken := owner[k]; taken || stop[k] {
				continue
			}
			terms = append(terms, t)
		}
		for _, t := range b.terms { // Product Hunt is also written ProductHunt
			if j := strings.ReplaceAll(strings.TrimPrefix(t, "="), " ", ""); j != t && len(j) >= 8 && isLatin(j) {
				if _, taken := owner[termKey(j)]; !taken && !stop[termKey(j)] {
					terms = append(terms, j)
				}
			}
		}
		if into != "" {
			e := lex.Entities[into]
			for _, t := range terms {
				owner[termKey(t)] = into
			}
			e.Terms = append(e.Terms, terms...)
			continue
		}
		if len(terms) == 0 || stop[termKey(b.name)] {
			continue
		}
		id := "brand-" + b.slug
		if _, clash := lex.Entities[id]; clash {
			continue
		}
		for _, t := range terms {
			owner[termKey(t)] = id
		}
		lex.Entities[id] = &LexiconEntity{ID: id, Name: b.name, Kind: "vendor", Terms: terms, Brand: "simple-icons"}
	}
}

func isLatin(s string) bool {
	for _, r := range s {
		if r >= unicode.MaxASCII {
			return false
		}
	}
	return true
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
	lex        *Lexicon
	terms      map[rune][]term // by first rune, longest first
	intents    map[string][]term
	exclude    map[string][]string
	modelWords map[string]string // lower case -> as written in the lexicon
	modelUnits []string
	notModels  map[string]bool
	alt        altMatcher
}

// Vendor returns the name of a product's vendor ("" when the lexicon has none).
func (x *Extractor) Vendor(e *LexiconEntity) string {
	if v := x.lex.Entities[e.Vendor]; v != nil {
		return v.Name
	}
	return e.Vendor
}

type term struct {
	text  []rune // normalised (lower case)
	orig  []rune // as written in the lexicon, for case-sensitive terms
	id    string
	exact bool // matches only as written or in capitals
}

// Extraction is what one text mentions and wants.
type Extraction struct {
	Mentions []Found // in order of appearance, each name once
	Intents  []string
}

// Found is one entity found, with the words that named it.
type Found struct {
	Entity *LexiconEntity
	Term   string // the words as written in the text
	Model  string // the model written after it ("12 mini"), if any
}

// Name is the canonical name of what was found, with its model.
func (f Found) Name() string {
	if f.Model == "" {
		return f.Entity.Name
	}
	return f.Entity.Name + " " + f.Model
}

// NodeID is the id of the graph node for what was found: the entity's, or
// for a model one of its own under it.
func (f Found) NodeID() string {
	if f.Model == "" {
		return f.Entity.NodeID()
	}
	return f.Entity.NodeID() + "/" + strings.ToLower(strings.ReplaceAll(f.Model, " ", "-"))
}

// termKey is the form terms are compared in: width and case folded, the
// spaces between Chinese and Latin characters dropped.
func termKey(s string) string {
	return string(joinScripts([]rune(strings.ToLower(Fold(strings.TrimPrefix(s, "="))))))
}

func newExtractor(lex *Lexicon) *Extractor {
	x := &Extractor{lex: lex, terms: map[rune][]term{}, intents: map[string][]term{}, exclude: map[string][]string{},
		modelWords: map[string]string{}, notModels: map[string]bool{}}
	var cjk []string
	for id, e := range lex.Entities {
		for _, t := range e.Terms {
			exact := strings.HasPrefix(t, "=")
			orig := joinScripts([]rune(Fold(strings.TrimPrefix(t, "="))))
			tm := term{text: []rune(termKey(t)), orig: orig, id: id, exact: exact}
			if len(tm.text) == 0 {
				continue
			}
			x.terms[tm.text[0]] = append(x.terms[tm.text[0]], tm)
			if isHan(tm.text[0]) || isHan(tm.text[len(tm.text)-1]) {
				cjk = append(cjk, string(tm.text))
			}
		}
	}
	for first := range x.terms {
		ts := x.terms[first]
		sort.Slice(ts, func(i, j int) bool {
			if len(ts[i].text) != len(ts[j].text) {
				return len(ts[i].text) > len(ts[j].text)
			}
			return ts[i].id < ts[j].id
		})
	}
	for intent, words := range lex.Intents {
		for _, w := range words {
			r := []rune(termKey(w))
			x.intents[intent] = append(x.intents[intent], term{text: r, id: intent})
		}
	}
	for intent, words := range lex.Exclude {
		for _, w := range words {
			x.exclude[intent] = append(x.exclude[intent], termKey(w))
		}
	}
	for _, w := range lex.ModelWords {
		x.modelWords[strings.ToLower(w)] = w
	}
	for _, m := range lex.NotModels {
		x.notModels[strings.ToLower(m)] = true
	}
	for _, u := range lex.ModelUnits {
		x.modelUnits = append(x.modelUnits, strings.ToLower(u))
	}
	x.alt = newAltMatcher(lex.Alternative)
	segmenterWords(cjk)
	return x
}

func isWordRune(r rune) bool {
	return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// text is a cleaned text ready for matching: its runes in lower case, as
// written, and where the segmenter puts word boundaries.
type text struct {
	low, orig []rune
	boundary  []bool // boundary[i]: a word starts at i (len+1 entries)
}

func newText(s string) text {
	orig := joinScripts([]rune(Fold(s)))
	low := make([]rune, len(orig))
	for i, r := range orig {
		low[i] = unicode.ToLower(r)
	}
	return text{low: low, orig: orig, boundary: wordBoundaries(orig)}
}

// at reports whether t matches at i: whole Latin words (AWS is not in
// "laws"), Chinese at the segmenter's word boundaries (我来 is not in 对我来说),
// case-sensitive terms as written or in capitals.
func (t term) at(tx text, i int) bool {
	n := len(t.text)
	if i+n > len(tx.low) {
		return false
	}
	for j, r := range t.text {
		if tx.low[i+j] != r {
			return false
		}
	}
	if t.exact {
		same, upper := true, true
		for j, r := range t.orig {
			o := tx.orig[i+j]
			same = same && o == r
			upper = upper && o == unicode.ToUpper(r)
		}
		if !same && !upper {
			return false
		}
	}
	first, last := t.text[0], t.text[n-1]
	switch {
	case isWordRune(first):
		if i > 0 && isWordRune(tx.low[i-1]) {
			return false
		}
	case isHan(first):
		if !tx.boundary[i] {
			return false
		}
	}
	end := i + n
	switch {
	case isWordRune(last):
		if end < len(tx.low) && isWordRune(tx.low[end]) {
			return false
		}
	case isHan(last):
		if !tx.boundary[end] {
			return false
		}
	}
	return true
}

// Extract finds the entities text names (longest term first, so 阿里云盘 is
// not also 阿里云) and the intents it shows. URLs, e-mail addresses, file
// names, HTML tags and code are not read.
func (x *Extractor) Extract(s string) Extraction {
	clean := CleanText(s)
	tx := newText(clean)
	var out Extraction
	seen := map[string]bool{}
	for i := 0; i < len(tx.low); {
		matched := 0
		for _, t := range x.terms[tx.low[i]] {
			if !t.at(tx, i) {
				if e := x.lex.Entities[t.id]; e.Models && isWordRune(t.text[len(t.text)-1]) {
					if model, n := x.gluedModel(tx, i, t); n > 0 { // iphone13, win10
						f := Found{Entity: e, Term: string(tx.orig[i : i+n]), Model: model}
						if !seen[f.Name()] {
							seen[f.Name()] = true
							out.Mentions = append(out.Mentions, f)
						}
						matched = n
						break
					}
				}
				continue
			}
			e := x.lex.Entities[t.id]
			f := Found{Entity: e, Term: string(tx.orig[i : i+len(t.text)])}
			matched = len(t.text)
			model, n := "", 0
			if p := x.lex.Entities[e.ModelsOf]; p != nil { // a number first: 苹果 M1 is Apple's chip
				if m, k := x.model(tx, i+len(t.text)); k > 0 && unicode.IsDigit([]rune(m)[0]) {
					f.Entity, model, n = p, m, k
				}
			}
			switch {
			case n > 0:
			case e.Models:
				model, n = x.model(tx, i+len(t.text))
			case e.Kind != "need" && isWordRune(t.text[len(t.text)-1]): // not 联想 965 (a work schedule)
				model, n = x.version(tx, i+len(t.text))
			}
			if n > 0 {
				f.Model = model
				f.Term = string(tx.orig[i : i+len(t.text)+n])
				matched += n
			}
			if !seen[f.Name()] {
				seen[f.Name()] = true
				out.Mentions = append(out.Mentions, f)
			}
			break
		}
		i += max(matched, 1)
	}
	norm := string(tx.low)
	intents := make([]string, 0, len(x.intents))
	for intent := range x.intents {
		intents = append(intents, intent)
	}
	sort.Strings(intents)
	for _, intent := range intents {
		if intent == IntentAlternative && len(x.alt.replace) > 0 {
			continue // decided by the rules below
		}
		cleaned := norm
		for _, ex := range x.exclude[intent] {
			cleaned = strings.ReplaceAll(cleaned, ex, " ")
		}
		cr := looseText(cleaned)
		found := false
		for _, t := range x.intents[intent] {
			for i := range cr.low {
				if cr.low[i] == t.text[0] && t.at(cr, i) {
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
	if len(x.alt.replace) > 0 && x.alt.seeking(clean, out.Mentions) {
		out.Intents = append(out.Intents, IntentAlternative)
		sort.Strings(out.Intents)
	}
	return out
}

// model reads a model written after a product's name at i: an optional
// space or hyphen, then model words (Note, mini, Pro Max) and at most one
// model number (12, 4A, 14900K, 20.04), in any order. It returns the model
// as written (numbers in capitals) and the runes it took.
func (x *Extractor) model(tx text, i int) (string, int) {
	j := i
	var parts []string
	number := false
	for {
		k := j
		if k < len(tx.low) && (tx.low[k] == ' ' || tx.low[k] == '-') {
			k++
		}
		if w, n := x.modelWord(tx, k); n > 0 {
			parts = append(parts, w)
			j = k + n
			continue
		}
		if !number {
			if num, n := x.modelNumber(tx, k); n > 0 {
				parts = append(parts, num)
				number = true
				j = k + n
				continue
			}
		}
		break
	}
	if len(parts) == 0 {
		return "", 0
	}
	return strings.Join(parts, " "), j - i
}

// version reads a version or model written after any name (DeepSeek V4,
// Python 3.12, Claude 4.5): a space or nothing, then a number with an
// optional "v" (not a year, not a size, not 4K or 5G), as written.
func (x *Extractor) version(tx text, i int) (string, int) {
	j := i
	if j < len(tx.low) && tx.low[j] == ' ' {
		j++
	}
	k := j
	if k < len(tx.low) && tx.low[k] == 'v' {
		k++
	}
	if k >= len(tx.low) || !unicode.IsDigit(tx.low[k]) {
		return "", 0
	}
	num, n := x.modelNumber(tx, k)
	if n == 0 {
		return "", 0
	}
	w := string(tx.low[k : k+n])
	if len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) {
		return "", 0 // a year
	}
	for _, r := range w {
		if !unicode.IsDigit(r) && r != '.' {
			return "", 0 // 2fa, 2h4g: not a version
		}
	}
	if k > j {
		num = "V" + num
	}
	return num, k + n - i
}

// gluedModel matches a term with its model glued on (iphone13, win10,
// 小米2s is matched by the plain path: a script change is a boundary).
func (x *Extractor) gluedModel(tx text, i int, t term) (string, int) {
	n := len(t.text)
	if i+n >= len(tx.low) || !unicode.IsDigit(tx.low[i+n]) {
		return "", 0
	}
	if i > 0 && isWordRune(tx.low[i-1]) {
		return "", 0
	}
	for j, r := range t.text {
		if tx.low[i+j] != r {
			return "", 0
		}
	}
	model, m := x.model(tx, i+n)
	if m == 0 {
		if x.sizeAt(tx, i+n) { // macbook16 寸: the name with its size
			return "", n
		}
		return "", 0
	}
	return model, n + m
}

// sizeAt reports whether digits at i are followed by a unit of size.
func (x *Extractor) sizeAt(tx text, i int) bool {
	j := i
	for j < len(tx.low) && unicode.IsDigit(tx.low[j]) {
		j++
	}
	if j == i {
		return false
	}
	rest := strings.TrimLeft(string(tx.low[j:min(j+6, len(tx.low))]), " ")
	for _, u := range x.modelUnits {
		if strings.HasPrefix(rest, u) {
			return true
		}
	}
	return false
}

// modelNumber reads a word with a digit (12, 4A, 14900K, 20.04, 2S) not
// followed by a unit of size (16 寸, 8G, 2T).
func (x *Extractor) modelNumber(tx text, i int) (string, int) {
	j := i
	digits := 0
	for j < len(tx.low) && (isWordRune(tx.low[j]) || tx.low[j] == '.' && j+1 < len(tx.low) && unicode.IsDigit(tx.low[j+1])) {
		if unicode.IsDigit(tx.low[j]) {
			digits++
		}
		j++
	}
	if digits == 0 || j-i > 10 || !unicode.IsDigit(tx.low[i]) && j-i < 2 {
		return "", 0
	}
	w := string(tx.low[i:j])
	if !unicode.IsDigit(tx.low[i]) { // a letter first: only short prefixes (a14, x1, x200s)
		if digits == 0 || !unicode.IsDigit(tx.low[j-1]) && (j-i > 6 || digits < 2) {
			return "", 0
		}
	}
	rest := []rune(strings.TrimLeft(string(tx.low[j:min(j+6, len(tx.low))]), " "))
	for _, u := range x.modelUnits {
		ur := []rune(u)
		if u == "+" && (len(rest) < 2 || !unicode.IsDigit(rest[1])) {
			continue // DS220+ is a model; 8+256 is a size
		}
		if len(rest) >= len(ur) && string(rest[:len(ur)]) == u && (len(rest) == len(ur) || !isWordRune(ur[len(ur)-1]) || !isWordRune(rest[len(ur)])) {
			return "", 0 // 16 寸, 8 G: a size
		}
	}
	for _, u := range x.modelUnits { // units glued on: 16g, 256gb
		if strings.HasSuffix(w, u) && unicode.IsDigit([]rune(w)[0]) && isLatin(u) {
			if allDigits(strings.Replace(strings.TrimSuffix(w, u), ".", "", 1)) {
				return "", 0
			}
		}
	}
	if x.notModels[w] || listMarker(tx, j) {
		return "", 0
	}
	if model, ok := x.modelWords[w]; ok {
		return model, j - i
	}
	if j < len(tx.low) && tx.low[j] == '+' && (j+1 == len(tx.low) || !isWordRune(tx.low[j+1])) {
		return strings.ToUpper(w) + "+", j + 1 - i // DS220+
	}
	return strings.ToUpper(w), j - i
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// listMarker reports whether a number ending at j numbers a list item
// ("1. 小火箭 Shadowrocket 2. Quantumult X") or starts a range (2-5), not a
// model.
func listMarker(tx text, j int) bool {
	if j >= len(tx.low) {
		return false
	}
	switch tx.low[j] {
	case '.':
		return j+1 == len(tx.low) || tx.low[j+1] == ' ' || tx.low[j+1] == '\n'
	case '-':
		return j+1 < len(tx.low) && unicode.IsDigit(tx.low[j+1])
	}
	return false
}

// modelWord reads one of the lexicon's model words as a whole word.
func (x *Extractor) modelWord(tx text, i int) (string, int) {
	j := i
	for j < len(tx.low) && isWordRune(tx.low[j]) {
		j++
	}
	if j == i {
		return "", 0
	}
	if w, ok := x.modelWords[string(tx.low[i:j])]; ok {
		if j < len(tx.low) && tx.low[j] == '+' {
			return w + "+", j + 1 - i // Pro+
		} else if j+1 < len(tx.low) && tx.low[j] == ' ' && tx.low[j+1] == '+' && (j+2 == len(tx.low) || !isWordRune(tx.low[j+2])) {
			return w + "+", j + 2 - i // "pro +"
		}
		return w, j - i
	}
	return "", 0
}

// Entity returns a lexicon entity by id.
func (x *Extractor) Entity(id string) *LexiconEntity { return x.lex.Entities[id] }
