package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/valuegraph/valuegraph"
)

// Mention is an organisation as a record names it.
type Mention struct {
	Name        string
	Identifiers []valuegraph.Identifier
	// Related are identifiers the record gives that do not identify this
	// organisation alone (a KPP, a parent body's code in OCDS
	// additionalIdentifiers): kept with the mention, never looked up, never
	// a reason to merge two organisations.
	Related  []valuegraph.Identifier
	Kinds    []string // which kinds it may resolve to; default Customer and Competitor
	Source   string
	Existing bool // resolve only to what exists (a CRM reference): never create
}

// Resolution is what a mention resolved to, and why.
type Resolution struct {
	Org    valuegraph.OrgRef
	Rule   string  // identifier, name, alias, fuzzy, new, review, missing
	Score  float64 // 1 for exact rules
	New    bool    // the organisation is created for this mention
	Review *valuegraph.Review
}

// ResolveStore is what resolution needs of the graph.
type ResolveStore interface {
	LookupKeys(ctx context.Context, keys []string) (map[string][]valuegraph.OrgRef, error)
	OrgCandidates(ctx context.Context, names []string, kinds []string, limit int) ([][]valuegraph.OrgRef, error)
}

// MatchOptions set the fuzzy thresholds; the zero value gives the defaults.
type MatchOptions struct {
	AutoThreshold   float64 // merge at or above this score; default 0.92
	ReviewThreshold float64 // send to review at or above this; default 0.75
	Margin          float64 // the best must beat a different second by this; default 0.05
	Candidates      int     // index hits scored per mention; default 8

	// Namespace, when set, is put in front of every id the resolver makes,
	// and only organisations whose id starts with it are candidates: a
	// sandbox (tests, trial ingests) that cannot touch anything else.
	Namespace string
}

// Matcher maps mentions to customers and competitors: identifier first,
// then the normalised name (and aliases), then a fuzzy score over the
// index's candidates and the names resolved earlier in the run (so one firm
// spelled five ways in a file is one organisation, not five). Ambiguous
// cases are not guessed: the mention gets a provisional organisation and a
// review. It remembers what it resolved, so a file that names one importer
// a thousand times asks the graph once. Not safe for concurrent use.
type Matcher struct {
	store ResolveStore
	opts  MatchOptions
	seen  map[string]Resolution // by the mention's strongest key

	// Word statistics over every name seen, so a rare word (ZANXUAN)
	// weighs more in the fuzzy score than a common one (TRADING).
	df      map[string]int
	counted map[string]bool // name keys already in df
	// What this resolver resolved, for the names that follow to be
	// matched against (names in one file are resolved against each other,
	// not only against the graph), found through blocks of shared words.
	entries  []batchEntry
	blocks   map[string][]int   // block key -> entries
	sims     map[uint64]float64 // by word ids
	names    map[string]*nameInfo
	wordIDs  map[string]uint32
	words    []string
	fuzzable []bool // by word id: long enough and without digits for wordSim
	weights  map[uint32]float64
}

// batchEntry is a name the resolver tied to an organisation.
type batchEntry struct {
	org  valuegraph.OrgRef
	name string
	ids  []valuegraph.Identifier
}

// NewMatcher returns a matcher over store.
func NewMatcher(store ResolveStore, opts MatchOptions) *Matcher {
	if opts.AutoThreshold <= 0 {
		opts.AutoThreshold = 0.92
	}
	if opts.ReviewThreshold <= 0 {
		opts.ReviewThreshold = 0.75
	}
	if opts.Margin <= 0 {
		opts.Margin = 0.05
	}
	if opts.Candidates <= 0 {
		opts.Candidates = 8
	}
	return &Matcher{store: store, opts: opts, seen: map[string]Resolution{}, df: map[string]int{}, counted: map[string]bool{}, blocks: map[string][]int{}, sims: map[uint64]float64{}, names: map[string]*nameInfo{}, wordIDs: map[string]uint32{}, weights: map[uint32]float64{}}
}

// Forget drops what the resolver remembers (between files, or after the
// graph changed under it). Word statistics stay: they only weigh words.
func (r *Matcher) Forget() {
	clear(r.seen)
	r.entries = nil
	clear(r.blocks)
}

// mentionKeys returns the identifier keys of a mention, strongest first, and
// its name key ("" when the name normalises to nothing).
func (r *Matcher) mentionKeys(m Mention) (ids []string, name string) {
	for _, id := range m.Identifiers {
		ids = append(ids, id.Key())
	}
	if k := OrgKey(m.Name); k != "" {
		name = r.NameKey(k)
	}
	return ids, name
}

// NameKey is the identifier key of a normalised name.
func (r *Matcher) NameKey(key string) string {
	return r.opts.Namespace + valuegraph.SchemeName + ":" + key
}

// primaryKey is the mention's strongest key; a name key carries the
// family of the name's legal form, so that GOLDEN GATE CARGO LLC is not
// taken for GOLDEN GATE CARGO LIMITED by what the resolver remembers, nor
// given its id.
func (r *Matcher) primaryKey(m Mention) string {
	ids, name := r.mentionKeys(m)
	if len(ids) > 0 {
		return ids[0]
	}
	if f := LegalFamily(m.Name); f != "" && name != "" {
		return name + "~" + f
	}
	return name
}

// formsConflict is true when both names end with legal forms of different
// families.
func (r *Matcher) formsConflict(a, b string) bool {
	fa, fb := r.name(a).family, r.name(b).family
	return fa != "" && fb != "" && fa != fb
}

// NewOrgID derives the id of an organisation created for a mention from its
// strongest key, so ingesting the same mention again finds the same id.
func NewOrgID(key string) string {
	h := sha256.Sum256([]byte(key))
	return "org-" + hex.EncodeToString(h[:8])
}

// Match resolves a batch of mentions to organisations in at most two round trips.
func (r *Matcher) Match(ctx context.Context, mentions []Mention) ([]Resolution, error) {
	out := make([]Resolution, len(mentions))
	done := make([]bool, len(mentions))
	for _, m := range mentions {
		r.observe(m.Name)
	}
	var lookup []string
	for i, m := range mentions {
		if r.primaryKey(m) == "" {
			return nil, valuegraph.FieldError("name", "mention %d has neither identifier nor a usable name (%q)", i, m.Name)
		}
		if res, ok := r.seen[r.primaryKey(m)]; ok {
			out[i], done[i] = res, true
			r.addEntry(m, res)
			continue
		}
		ids, name := r.mentionKeys(m)
		lookup = append(lookup, ids...)
		if name != "" {
			lookup = append(lookup, name)
		}
	}
	slices.Sort(lookup)
	hits, err := r.store.LookupKeys(ctx, slices.Compact(lookup))
	if err != nil {
		return nil, err
	}

	var fuzzy []int // mentions left for the index
	for i, m := range mentions {
		if done[i] {
			continue
		}
		ids, name := r.mentionKeys(m)
		var idHits []valuegraph.OrgRef
		for _, k := range ids {
			idHits = append(idHits, allowed(hits[k], m.Kinds)...)
		}
		idHits = distinct(idHits)
		nameHits := distinct(allowed(hits[name], m.Kinds))
		var otherForms []valuegraph.OrgRef // the same name under a legal form of another family
		nameHits = slices.DeleteFunc(nameHits, func(o valuegraph.OrgRef) bool {
			if r.formsConflict(m.Name, o.Name) {
				otherForms = append(otherForms, o)
				return true
			}
			return false
		})
		switch {
		case len(idHits) == 1:
			out[i] = Resolution{Org: idHits[0], Rule: "identifier", Score: 1}
		case len(idHits) > 1:
			out[i] = r.review(m, "identifier shared by several organisations", scored(idHits, 1))
		case len(nameHits) == 1:
			rule := "name"
			if nameHits[0].Rule != "" && nameHits[0].Rule != "name" && nameHits[0].Rule != "identifier" {
				rule = "alias" // a name tied earlier by a fuzzy merge or a person's decision
			}
			out[i] = Resolution{Org: nameHits[0], Rule: rule, Score: 1}
		case len(nameHits) > 1:
			out[i] = r.review(m, "name shared by several organisations", scored(nameHits, 1))
		case len(otherForms) > 0 && !m.Existing:
			out[i] = r.review(m, "the same name under another legal form", scored(otherForms, 1))
		case m.Existing:
			out[i] = Resolution{Rule: "missing"}
			continue // not remembered: the account may be ingested later in the run
		default:
			fuzzy = append(fuzzy, i)
			continue
		}
		r.remember(m, out[i])
		r.addEntry(m, out[i])
	}
	if len(fuzzy) == 0 {
		return out, nil
	}

	// Mentions of one kind set go to the index together; then every
	// mention is decided in the batch's order, so the names that come first
	// settle first, whatever their kinds, and a run gives the same result
	// each time.
	byKinds := map[string][]int{}
	var kindSets []string
	for _, i := range fuzzy {
		k := fmt.Sprint(kindsOf(mentions[i]))
		if _, ok := byKinds[k]; !ok {
			kindSets = append(kindSets, k)
		}
		byKinds[k] = append(byKinds[k], i)
	}
	graphCands := map[int][]valuegraph.OrgRef{}
	for _, k := range kindSets {
		idx := byKinds[k]
		names := make([]string, len(idx))
		for j, i := range idx {
			names[j] = Fold(mentions[i].Name)
		}
		cands, err := r.store.OrgCandidates(ctx, names, kindsOf(mentions[idx[0]]), r.opts.Candidates)
		if err != nil {
			return nil, err
		}
		for j, i := range idx {
			graphCands[i] = cands[j]
		}
	}
	for _, i := range fuzzy {
		if res, ok := r.seenAny(mentions[i]); ok { // an earlier mention in this batch created it
			out[i] = res
			r.addEntry(mentions[i], res)
			continue
		}
		out[i] = r.decide(mentions[i], append(graphCands[i], r.batchCandidates(mentions[i])...))
		r.remember(mentions[i], out[i])
		r.addEntry(mentions[i], out[i])
	}
	return out, nil
}

// decide scores the index candidates of one mention against its name.
func (r *Matcher) decide(m Mention, cands []valuegraph.OrgRef) Resolution {
	var scoredCands []valuegraph.ReviewCandidate
	at := map[string]int{} // one candidate per organisation, at its best score
	for _, c := range cands {
		if !strings.HasPrefix(c.ID, r.opts.Namespace) {
			continue
		}
		best := r.Score(m.Name, c.Name)
		for _, a := range c.Aliases {
			best = max(best, r.Score(m.Name, a))
		}
		if r.formsConflict(m.Name, c.Name) {
			best = min(best, r.opts.AutoThreshold-0.01) // another registration: a person decides
		}
		k := c.Kind + "/" + c.ID
		if j, ok := at[k]; ok {
			scoredCands[j].Score = max(scoredCands[j].Score, best)
			continue
		}
		at[k] = len(scoredCands)
		c.Aliases = nil
		scoredCands = append(scoredCands, valuegraph.ReviewCandidate{OrgRef: c, Score: best})
	}
	sort.SliceStable(scoredCands, func(a, b int) bool { return scoredCands[a].Score > scoredCands[b].Score })
	if len(scoredCands) == 0 || scoredCands[0].Score < r.opts.ReviewThreshold {
		return r.create(m)
	}
	best := scoredCands[0]
	second := 0.0
	for _, c := range scoredCands[1:] {
		if c.ID != best.ID || c.Kind != best.Kind {
			second = c.Score
			break
		}
	}
	switch {
	case best.Score >= 1 && second < 1:
		return Resolution{Org: best.OrgRef, Rule: "name", Score: 1} // same key through a name or alias the index found
	case best.Score >= r.opts.AutoThreshold && best.Score-second >= r.opts.Margin:
		return Resolution{Org: best.OrgRef, Rule: "fuzzy", Score: best.Score}
	}
	var keep []valuegraph.ReviewCandidate
	for _, c := range scoredCands {
		if c.Score >= r.opts.ReviewThreshold {
			keep = append(keep, c)
		}
	}
	reason := fmt.Sprintf("closest match %.2f is below the merge threshold %.2f", best.Score, r.opts.AutoThreshold)
	if best.Score >= r.opts.AutoThreshold {
		reason = fmt.Sprintf("two candidates too close to call (%.2f vs %.2f)", best.Score, second)
	}
	return r.review(m, reason, keep)
}

// create makes a new organisation for a mention; it is a customer unless
// the mention may only be a competitor.
func (r *Matcher) create(m Mention) Resolution {
	kind := "Customer"
	if !slices.Contains(kindsOf(m), "Customer") {
		kind = "Competitor"
	}
	return Resolution{Org: valuegraph.OrgRef{Kind: kind, ID: r.opts.Namespace + NewOrgID(r.primaryKey(m)), Name: Fold(m.Name)}, Rule: "new", Score: 1, New: true}
}

// review creates a provisional customer for the mention and a review
// listing the candidates it might be.
func (r *Matcher) review(m Mention, reason string, cands []valuegraph.ReviewCandidate) Resolution {
	res := r.create(m)
	res.Rule = "review"
	res.Review = &valuegraph.Review{
		ID: r.opts.Namespace + "review-" + NewOrgID(r.primaryKey(m))[4:], Name: Fold(m.Name), Key: OrgKey(m.Name), Source: m.Source,
		Reason: reason, ProvisionalID: res.Org.ID, Candidates: cands, Status: valuegraph.ReviewOpen,
	}
	return res
}

// seenAny finds what an earlier mention of this batch resolved to by any
// of m's identifiers, then by its primary key (the name with its legal
// form's family): as the graph lookup would once that mention is written.
// Checking the strongest key alone made two organisations of one name when
// the second mention carried another identifier, and a review of them on
// the next ingest; the bare name would merge LIMITED with LLC.
func (r *Matcher) seenAny(m Mention) (Resolution, bool) {
	ids, _ := r.mentionKeys(m)
	for _, k := range append(ids, r.primaryKey(m)) {
		if res, ok := r.seen[k]; ok && k != "" {
			return res, true
		}
	}
	return Resolution{}, false
}

func (r *Matcher) remember(m Mention, res Resolution) {
	ids, name := r.mentionKeys(m)
	for _, k := range append(ids, name, r.primaryKey(m)) {
		if k != "" {
			if _, ok := r.seen[k]; !ok {
				r.seen[k] = res
			}
		}
	}
}

func kindsOf(m Mention) []string {
	if len(m.Kinds) == 0 {
		return []string{"Customer", "Competitor"}
	}
	return m.Kinds
}

func allowed(refs []valuegraph.OrgRef, kinds []string) []valuegraph.OrgRef {
	if len(kinds) == 0 {
		return refs
	}
	return slices.DeleteFunc(slices.Clone(refs), func(o valuegraph.OrgRef) bool { return !slices.Contains(kinds, o.Kind) })
}

// distinct returns refs without repeats, in a new slice: refs may be a
// lookup's result that later mentions of the batch read again.
func distinct(refs []valuegraph.OrgRef) []valuegraph.OrgRef {
	seen := map[string]bool{}
	return slices.DeleteFunc(slices.Clone(refs), func(o valuegraph.OrgRef) bool {
		k := o.Kind + "/" + o.ID
		dup := seen[k]
		seen[k] = true
		return dup
	})
}

func scored(refs []valuegraph.OrgRef, score float64) []valuegraph.ReviewCandidate {
	out := make([]valuegraph.ReviewCandidate, len(refs))
	for i, o := range refs {
		out[i] = valuegraph.ReviewCandidate{OrgRef: o, Score: score}
	}
	return out
}

// Similarity of two name keys in [0, 1]: the Dice coefficient of their
// character bigrams (a multiset), which works alike for Chinese and Latin
// keys. Keys of one or two characters only match themselves.
func Similarity(a, b string) float64 {
	if a == b {
		return 1
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) < 3 || len(rb) < 3 {
		return 0
	}
	grams := map[[2]rune]int{}
	for i := 0; i+1 < len(ra); i++ {
		grams[[2]rune{ra[i], ra[i+1]}]++
	}
	common := 0
	for i := 0; i+1 < len(rb); i++ {
		g := [2]rune{rb[i], rb[i+1]}
		if grams[g] > 0 {
			grams[g]--
			common++
		}
	}
	return 2 * float64(common) / float64(len(ra)-1+len(rb)-1)
}

// observe counts the words of a name once.
func (r *Matcher) observe(name string) {
	tokens := OrgTokens(name)
	key := strings.Join(tokens, "")
	if key == "" || r.counted[key] {
		return
	}
	r.counted[key] = true
	clear(r.weights)
	slices.Sort(tokens)
	for _, t := range slices.Compact(tokens) {
		r.df[t]++
	}
}

// weight of a word: its inverse document frequency among the names seen.
func (r *Matcher) weight(t string) float64 {
	return math.Log(1 + float64(len(r.counted)+1)/float64(r.df[t]+1))
}

// Blocks: a name is compared with the names that share one of its rarest
// words, or the first four letters of a word or of two or three words run
// together (which finds "GUANZHOU A SU CHI" from "GUANGZHOU ASUCHI").
const (
	blockWords   = 3
	blockMaxSize = 200 // a block this large is a common word: it finds nothing
	blockCands   = 25
)

func (r *Matcher) blockKeys(name string) []string {
	n := r.name(name)
	tokens := n.tokens
	if len(tokens) == 0 || n.han {
		return nil
	}
	byRarity := slices.Clone(tokens)
	slices.SortStableFunc(byRarity, func(a, b string) int { return r.df[a] - r.df[b] })
	var keys []string
	for i, t := range byRarity {
		if i < blockWords {
			keys = append(keys, "w:"+t)
		}
	}
	for _, u := range n.units {
		if len(u) >= 5 {
			keys = append(keys, "p:"+u[:4])
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// addEntry makes a resolved name a candidate for the names that follow,
// provisional organisations (sent to review) included: a later spelling
// close to a reviewed one joins it, and that one review decides for both.
func (r *Matcher) addEntry(m Mention, res Resolution) {
	if res.Rule == "missing" || res.Org.ID == "" || OrgKey(m.Name) == "" {
		return
	}
	n := len(r.entries)
	r.entries = append(r.entries, batchEntry{org: res.Org, name: Fold(m.Name), ids: m.Identifiers})
	for _, k := range r.blockKeys(m.Name) {
		r.blocks[k] = append(r.blocks[k], n)
	}
}

// batchCandidates are the organisations of earlier names that share a
// block with m, best first by the number of blocks shared.
func (r *Matcher) batchCandidates(m Mention) []valuegraph.OrgRef {
	shared := map[int]int{}
	for _, k := range r.blockKeys(m.Name) {
		if b := r.blocks[k]; len(b) <= blockMaxSize {
			for _, e := range b {
				shared[e]++
			}
		}
	}
	order := make([]int, 0, len(shared))
	for e := range shared {
		if slices.Contains(kindsOf(m), r.entries[e].org.Kind) && !idsConflict(m.Identifiers, r.entries[e].ids) {
			order = append(order, e)
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		if shared[a] != shared[b] {
			return shared[b] - shared[a]
		}
		return a - b
	})
	var out []valuegraph.OrgRef
	for _, e := range order[:min(len(order), blockCands)] {
		c := r.entries[e].org
		c.Aliases = []string{r.entries[e].name}
		out = append(out, c)
	}
	return out
}

// idsConflict is true when two mentions hold identifiers of one scheme
// with different values: two importers with two IECs are two firms,
// however alike their names.
func idsConflict(a, b []valuegraph.Identifier) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Scheme == y.Scheme && x.Value != y.Value {
				return true
			}
		}
	}
	return false
}

// units are a name's words and its runs of two or three words written
// together, the ways an OCR split or a glued word is spelled.
func units(tokens []string) []string {
	var out []string
	for i := range tokens {
		for l := 1; l <= 3 && i+l <= len(tokens); l++ {
			out = append(out, strings.Join(tokens[i:i+l], ""))
		}
	}
	return out
}

// Score says how alike two organisation names are, in [0, 1]. Latin names
// of several words are compared word by word, each word weighed by how rare
// it is among the names seen, a word matching its closest counterpart by
// character bigrams (CERAMIC ~ CERAMICHE ~ CERAMICA, TILE ~ TILES, a typo)
// or as a run of words written apart (ITA LY, A SU CHI). Other names (Chinese,
// one word) are compared by the bigrams of their keys (Similarity).
func (r *Matcher) Score(a, b string) float64 {
	na, nb := r.name(a), r.name(b)
	switch {
	case na.key == "" || nb.key == "":
		return 0
	case na.key == nb.key:
		return 1
	case na.han || nb.han || (len(na.tokens) < 2 && len(nb.tokens) < 2):
		return Similarity(na.key, nb.key)
	}
	m1, t1 := r.matchWords(na, nb)
	m2, t2 := r.matchWords(nb, na)
	return (m1 + m2) / (t1 + t2)
}

// nameInfo is a name as scoring reads it, worked out once per name.
type nameInfo struct {
	tokens   []string
	key      string
	han      bool
	family   string          // LegalFamily
	units    []string        // words and runs of two or three words written together
	unit     map[string]bool // the same, to look up
	tokenIDs []uint32        // tokens and units as word ids, for the similarity cache
	unitIDs  []uint32
}

func (r *Matcher) name(s string) *nameInfo {
	if n, ok := r.names[s]; ok {
		return n
	}
	if len(r.names) > 1<<18 { // a long run: start the caches again
		clear(r.names)
		clear(r.sims)
		clear(r.wordIDs)
		clear(r.weights)
		r.words, r.fuzzable = r.words[:0], r.fuzzable[:0]
	}
	t := OrgTokens(s)
	n := &nameInfo{tokens: t, key: strings.Join(t, ""), units: units(t), unit: map[string]bool{}, family: LegalFamily(s)}
	n.han = hasHan(n.key)
	for _, u := range n.units {
		n.unit[u] = true
		n.unitIDs = append(n.unitIDs, r.wordID(u))
	}
	for _, w := range t {
		n.tokenIDs = append(n.tokenIDs, r.wordID(w))
	}
	r.names[s] = n
	return n
}

func (r *Matcher) wordID(w string) uint32 {
	id, ok := r.wordIDs[w]
	if !ok {
		id = uint32(len(r.words))
		r.wordIDs[w] = id
		r.words = append(r.words, w)
		r.fuzzable = append(r.fuzzable, len(w) >= 4 && !strings.ContainsAny(w, "0123456789"))
	}
	return id
}

// matchWords weighs how much of a's words b holds.
func (r *Matcher) matchWords(a, b *nameInfo) (matched, total float64) {
	for i := 0; i < len(a.tokens); {
		n, sim := 1, 0.0
		if b.unit[a.tokens[i]] {
			sim = 1
		} else {
			// Words run together exactly, not a near miss that would hide a
			// different word.
			for l := 2; l <= 3 && i+l <= len(a.tokens); l++ {
				if b.unit[strings.Join(a.tokens[i:i+l], "")] {
					n, sim = l, 1
					break
				}
			}
			if sim < 1 {
				for _, y := range b.unitIDs {
					sim = max(sim, r.wordSim(a.tokenIDs[i], y))
				}
			}
		}
		w := 0.0
		for _, t := range a.tokenIDs[i : i+n] {
			w += r.weightOf(t)
		}
		matched += w * sim
		total += w
		i += n
	}
	return matched, total
}

// wordSim remembers wordSim of word pairs: a file's names share few words.
func (r *Matcher) wordSim(x, y uint32) float64 {
	if x == y {
		return 1
	}
	if !r.fuzzable[x] || !r.fuzzable[y] {
		return 0
	}
	k := uint64(x)<<32 | uint64(y)
	if s, ok := r.sims[k]; ok {
		return s
	}
	s := wordSim(r.words[x], r.words[y])
	r.sims[k] = s
	return s
}

// weightOf is weight by word id, remembered until the next name is counted.
func (r *Matcher) weightOf(id uint32) float64 {
	if w, ok := r.weights[id]; ok {
		return w
	}
	w := r.weight(r.words[id])
	r.weights[id] = w
	return w
}

// wordSim: 1 for the same word; for words of four letters or more without
// digits, their bigram similarity when it is at least 0.7 (a typo, an
// Italian or Spanish ending: CERAMIC, CERAMICHE, CERAMICA), or, when one is
// the other's stem (they share a prefix of at least four letters and four
// fifths of the shorter: TRADE, TRADING; INDUSTRY, INDUSTRIES), 0.8 plus
// a fifth of the share of the longer word the prefix covers; else 0.
func wordSim(x, y string) float64 {
	if x == y {
		return 1
	}
	if len(x) < 4 || len(y) < 4 || strings.ContainsAny(x, "0123456789") || strings.ContainsAny(y, "0123456789") {
		return 0
	}
	if x[:4] != y[:4] && 2*min(len(x), len(y)) < max(len(x), len(y)) {
		return 0 // no stem in common, and too unequal in length for bigrams to reach 0.7
	}
	s := Similarity(x, y)
	if s < 0.7 {
		s = 0
	}
	rx, ry := []rune(x), []rune(y)
	p := 0
	for p < len(rx) && p < len(ry) && rx[p] == ry[p] {
		p++
	}
	if short, long := min(len(rx), len(ry)), max(len(rx), len(ry)); p >= 4 && float64(p) >= 0.8*float64(short) {
		s = max(s, 0.8+0.2*float64(p)/float64(long))
	}
	return s
}
