package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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

// ResolverOptions set the fuzzy thresholds; the zero value gives the defaults.
type ResolverOptions struct {
	AutoThreshold   float64 // merge at or above this score; default 0.92
	ReviewThreshold float64 // send to review at or above this; default 0.75
	Margin          float64 // the best must beat a different second by this; default 0.05
	Candidates      int     // index hits scored per mention; default 8

	// Namespace, when set, is put in front of every id the resolver makes,
	// and only organisations whose id starts with it are candidates: a
	// sandbox (tests, trial ingests) that cannot touch anything else.
	Namespace string
}

// Resolver maps mentions to customers and competitors: identifier first,
// then the normalised name (and aliases), then a fuzzy score over index
// candidates. Ambiguous cases are not guessed: the mention gets a
// provisional organisation and a review. It remembers what it resolved, so
// a file that names one importer a thousand times asks the graph once.
type Resolver struct {
	store ResolveStore
	opts  ResolverOptions
	seen  map[string]Resolution // by the mention's strongest key
}

// NewResolver returns a resolver over store.
func NewResolver(store ResolveStore, opts ResolverOptions) *Resolver {
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
	return &Resolver{store: store, opts: opts, seen: map[string]Resolution{}}
}

// Forget drops what the resolver remembers (between files, or after the
// graph changed under it).
func (r *Resolver) Forget() { clear(r.seen) }

// mentionKeys returns the identifier keys of a mention, strongest first, and
// its name key ("" when the name normalises to nothing).
func (r *Resolver) mentionKeys(m Mention) (ids []string, name string) {
	for _, id := range m.Identifiers {
		ids = append(ids, id.Key())
	}
	if k := OrgKey(m.Name); k != "" {
		name = r.NameKey(k)
	}
	return ids, name
}

// NameKey is the identifier key of a normalised name.
func (r *Resolver) NameKey(key string) string {
	return r.opts.Namespace + valuegraph.SchemeName + ":" + key
}

func (r *Resolver) primaryKey(m Mention) string {
	ids, name := r.mentionKeys(m)
	if len(ids) > 0 {
		return ids[0]
	}
	return name
}

// NewOrgID derives the id of an organisation created for a mention from its
// strongest key, so ingesting the same mention again finds the same id.
func NewOrgID(key string) string {
	h := sha256.Sum256([]byte(key))
	return "org-" + hex.EncodeToString(h[:8])
}

// Resolve resolves a batch of mentions in at most two round trips.
func (r *Resolver) Resolve(ctx context.Context, mentions []Mention) ([]Resolution, error) {
	out := make([]Resolution, len(mentions))
	done := make([]bool, len(mentions))
	var lookup []string
	for i, m := range mentions {
		if r.primaryKey(m) == "" {
			return nil, valuegraph.FieldError("name", "mention %d has neither identifier nor a usable name (%q)", i, m.Name)
		}
		if res, ok := r.seen[r.primaryKey(m)]; ok {
			out[i], done[i] = res, true
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
		case m.Existing:
			out[i] = Resolution{Rule: "missing"}
			continue // not remembered: the account may be ingested later in the run
		default:
			fuzzy = append(fuzzy, i)
			continue
		}
		r.remember(m, out[i])
	}
	if len(fuzzy) == 0 {
		return out, nil
	}

	// Mentions of one kind set go to the index together.
	byKinds := map[string][]int{}
	for _, i := range fuzzy {
		k := fmt.Sprint(kindsOf(mentions[i]))
		byKinds[k] = append(byKinds[k], i)
	}
	for _, idx := range byKinds {
		names := make([]string, len(idx))
		for j, i := range idx {
			names[j] = Fold(mentions[i].Name)
		}
		cands, err := r.store.OrgCandidates(ctx, names, kindsOf(mentions[idx[0]]), r.opts.Candidates)
		if err != nil {
			return nil, err
		}
		for j, i := range idx {
			if res, ok := r.seen[r.primaryKey(mentions[i])]; ok { // an earlier mention in this batch created it
				out[i] = res
				continue
			}
			out[i] = r.decide(mentions[i], cands[j])
			r.remember(mentions[i], out[i])
		}
	}
	return out, nil
}

// decide scores the index candidates of one mention against its name.
func (r *Resolver) decide(m Mention, cands []valuegraph.OrgRef) Resolution {
	key := OrgKey(m.Name)
	var scoredCands []valuegraph.ReviewCandidate
	for _, c := range cands {
		if !strings.HasPrefix(c.ID, r.opts.Namespace) {
			continue
		}
		best := Similarity(key, OrgKey(c.Name))
		for _, a := range c.Aliases {
			best = max(best, Similarity(key, OrgKey(a)))
		}
		scoredCands = append(scoredCands, valuegraph.ReviewCandidate{Org: c, Score: best})
	}
	sort.SliceStable(scoredCands, func(a, b int) bool { return scoredCands[a].Score > scoredCands[b].Score })
	if len(scoredCands) == 0 || scoredCands[0].Score < r.opts.ReviewThreshold {
		return r.create(m)
	}
	best := scoredCands[0]
	second := 0.0
	for _, c := range scoredCands[1:] {
		if c.Org.ID != best.Org.ID || c.Org.Kind != best.Org.Kind {
			second = c.Score
			break
		}
	}
	switch {
	case best.Score >= 1 && second < 1:
		return Resolution{Org: best.Org, Rule: "name", Score: 1} // same key through a name or alias the index found
	case best.Score >= r.opts.AutoThreshold && best.Score-second >= r.opts.Margin:
		return Resolution{Org: best.Org, Rule: "fuzzy", Score: best.Score}
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
func (r *Resolver) create(m Mention) Resolution {
	kind := "Customer"
	if !slices.Contains(kindsOf(m), "Customer") {
		kind = "Competitor"
	}
	return Resolution{Org: valuegraph.OrgRef{Kind: kind, ID: r.opts.Namespace + NewOrgID(r.primaryKey(m)), Name: Fold(m.Name)}, Rule: "new", Score: 1, New: true}
}

// review creates a provisional customer for the mention and a review
// listing the candidates it might be.
func (r *Resolver) review(m Mention, reason string, cands []valuegraph.ReviewCandidate) Resolution {
	res := r.create(m)
	res.Rule = "review"
	res.Review = &valuegraph.Review{
		ID: r.opts.Namespace + "review-" + NewOrgID(r.primaryKey(m))[4:], Name: Fold(m.Name), Key: OrgKey(m.Name), Source: m.Source,
		Reason: reason, ProvisionalID: res.Org.ID, Candidates: cands, Status: valuegraph.ReviewOpen,
	}
	return res
}

func (r *Resolver) remember(m Mention, res Resolution) {
	ids, name := r.mentionKeys(m)
	for _, k := range append(ids, name) {
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

func distinct(refs []valuegraph.OrgRef) []valuegraph.OrgRef {
	seen := map[string]bool{}
	return slices.DeleteFunc(refs, func(o valuegraph.OrgRef) bool {
		k := o.Kind + "/" + o.ID
		dup := seen[k]
		seen[k] = true
		return dup
	})
}

func scored(refs []valuegraph.OrgRef, score float64) []valuegraph.ReviewCandidate {
	out := make([]valuegraph.ReviewCandidate, len(refs))
	for i, o := range refs {
		out[i] = valuegraph.ReviewCandidate{Org: o, Score: score}
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
