package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
)

// Position locates a record in its input: a line for CSV, a record number
// (and the line it starts on, when known) for JSON.
type Position struct {
	File string
	Line int
}

func (p Position) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// Item is one good record from a parser: a signal and the organisations it
// names, or an organisation or a person from a system of record.
type Item struct {
	Pos Position

	Signal    *valuegraph.Signal // Parties are filled in by the writer
	About     []Mention          // the customers the signal is about
	Winners   []Mention          // who won (awards)
	Suppliers []Mention          // who shipped (customs)

	Org    *OrgRecord    // a CRM account
	Person *PersonRecord // a CRM contact

	// Nodes the signal mentions that the writer makes sure exist (from the
	// extractor's lexicon).
	Competitors []valuegraph.Competitor
	Needs       []valuegraph.Need
	Products    []valuegraph.Product // after Competitors: a product may hang off one

	// Problems says what the record lacks while the rest of it still says
	// something true (an award without a buyer still names its winner): the
	// record is kept as incomplete, with these recorded on it.
	Problems []Problem

	// Detail is what a dry run shows of the record beyond its status: the
	// parser's reading of it (a notice's fields, a post's mentions, the
	// organisations of a declaration). Any JSON-encodable value; nil for none.
	Detail any
}

// Problem is one thing a kept record lacks or holds that could not be read.
type Problem = valuegraph.Problem

// OrgRecord is an organisation as a system of record describes it.
type OrgRecord struct {
	Mention  Mention
	Aliases  []string
	Industry string
	Region   string
	Size     string
	OwnerID  string
}

// PersonRecord is a person with the organisation they work at.
type PersonRecord struct {
	Person   valuegraph.Person // CustomerID is filled in by the writer
	Employer Mention
}

// Enqueuer hands touched customers to the jobs for rescoring.
type Enqueuer interface {
	RescoreCustomers(ctx context.Context, ids ...string) (valuegraph.Queued, error)
}

// Summary counts what an ingest did. Every record read has one outcome:
// created, merged (it was there and changed), unchanged, incomplete (kept,
// with what it lacks recorded on it) or rejected (reported with its
// position and reason), so the outcomes add up to Read.
type Summary struct {
	Read       int            // records read, good or bad
	Created    int            // complete records new to the graph
	Merged     int            // complete records that were there and changed
	Unchanged  int            // complete records already there as they are
	Incomplete int            // records kept with Problems, whatever the graph did with them
	Rejected   int            // bad records, each reported
	Orgs       map[string]int // organisations resolved, by rule: identifier, name, alias, fuzzy, new, review
	Enqueued   int            // rescoring tasks enqueued (coalesced requests not counted)
	Pending    int            // customers whose rescoring waits in the graph's outbox (Redis down): the worker enqueues it once Redis answers
	Deferred   int            // customers whose rescoring was neither queued nor kept (no outbox, or it failed too): the nightly rescore takes them
}

// Add adds o's counts to s.
func (s *Summary) Add(o Summary) {
	s.Read += o.Read
	s.Created += o.Created
	s.Merged += o.Merged
	s.Unchanged += o.Unchanged
	s.Incomplete += o.Incomplete
	s.Rejected += o.Rejected
	s.Enqueued += o.Enqueued
	s.Pending += o.Pending
	s.Deferred += o.Deferred
	for k, v := range o.Orgs {
		if s.Orgs == nil {
			s.Orgs = map[string]int{}
		}
		s.Orgs[k] += v
	}
}

// Check returns an error when the outcomes do not add up to the records read:
// a record was lost (or counted twice) on the way.
func (s Summary) Check() error {
	if n := s.Created + s.Merged + s.Unchanged + s.Incomplete + s.Rejected; n != s.Read {
		return fmt.Errorf("read %d records but accounted for %d (created %d, merged %d, unchanged %d, incomplete %d, rejected %d)",
			s.Read, n, s.Created, s.Merged, s.Unchanged, s.Incomplete, s.Rejected)
	}
	return nil
}

// Store is what a Writer writes to (graph.Store): upserts by id, each
// reporting what it created and changed.
type Store interface {
	UpsertCustomers(ctx context.Context, customers []valuegraph.Customer) (graph.WriteSummary, error)
	UpsertCompetitors(ctx context.Context, competitors []valuegraph.Competitor) (graph.WriteSummary, error)
	UpsertPeople(ctx context.Context, people []valuegraph.Person) (graph.WriteSummary, error)
	UpsertNeeds(ctx context.Context, needs []valuegraph.Need) (graph.WriteSummary, error)
	UpsertProducts(ctx context.Context, products []valuegraph.Product) (graph.WriteSummary, error)
	UpsertSignals(ctx context.Context, signals []valuegraph.Signal) (graph.WriteSummary, error)
	AddAliases(ctx context.Context, aliases []valuegraph.Alias) error
	AddReviews(ctx context.Context, reviews []valuegraph.Review) error
	// For Unmerge: the names merged into a customer, and the split itself.
	MergedNames(ctx context.Context, customerID string) (string, []valuegraph.MergedName, error)
	Unmerge(ctx context.Context, from, to, name, nameKey, mergedFrom string, names []string, actor string) (valuegraph.Split, error)
}

// Writer resolves and writes batches of items.
type Writer struct {
	Graph   Store
	Matcher *Matcher
	Jobs    Enqueuer // nil: nothing is enqueued
	Logger  *slog.Logger

	// Namespace, when set, is put in front of every id, identifier scheme
	// and source the writer writes (give the resolver the same one): a
	// sandbox that graph.Store.Purge removes whole.
	Namespace string
}

// namespace rewrites an item's ids into the writer's namespace.
func (w *Writer) namespace(it *Item) {
	ns := w.Namespace
	mention := func(m *Mention) {
		m.Source = ns + m.Source
		ids := slices.Clone(m.Identifiers)
		for i := range ids {
			ids[i].Scheme = ns + ids[i].Scheme
		}
		m.Identifiers = ids
	}
	for _, ms := range [][]Mention{it.About, it.Winners, it.Suppliers} {
		for i := range ms {
			mention(&ms[i])
		}
	}
	if it.Signal != nil {
		sig := *it.Signal
		sig.ID, sig.Source = ns+sig.ID, ns+sig.Source
		if sig.RepID != "" {
			sig.RepID = ns + sig.RepID
		}
		for _, ids := range []*[]string{&sig.CustomerIDs, &sig.CompetitorIDs, &sig.NeedIDs, &sig.PersonIDs, &sig.ProductIDs} {
			out := make([]string, len(*ids))
			for i, id := range *ids {
				out[i] = ns + id
			}
			*ids = out
		}
		it.Signal = &sig
	}
	if it.Org != nil {
		org := *it.Org
		mention(&org.Mention)
		if org.OwnerID != "" {
			org.OwnerID = ns + org.OwnerID
		}
		it.Org = &org
	}
	if it.Person != nil {
		p := *it.Person
		p.Person.ID = ns + p.Person.ID
		if p.Person.ReportsTo != "" {
			p.Person.ReportsTo = ns + p.Person.ReportsTo
		}
		mention(&p.Employer)
		it.Person = &p
	}
}

// Write writes one batch: organisations first (created, or tied to what they
// resolved to), then people, then signals in one transaction, then asks for
// the customers the signals touched to be rescored. An item that cannot be
// written (it names an account that does not exist, or the graph rejects it)
// comes back in rejected with its position; the rest of the batch is
// written. err is for failures that stop the whole batch (Neo4j down).
func (w *Writer) Write(ctx context.Context, items []Item) (sum Summary, rejected []error, err error) {
	sum = Summary{Orgs: map[string]int{}}
	var mentions []Mention
	var slots []*Mention // where each resolution goes back to
	for i := range items {
		it := &items[i]
		if w.Namespace != "" {
			w.namespace(it)
		}
		for j := range it.About {
			it.About[j].Kinds = []string{"Customer"}
			mentions, slots = append(mentions, it.About[j]), append(slots, &it.About[j])
		}
		for j := range it.Winners {
			mentions, slots = append(mentions, it.Winners[j]), append(slots, &it.Winners[j])
		}
		for j := range it.Suppliers {
			mentions, slots = append(mentions, it.Suppliers[j]), append(slots, &it.Suppliers[j])
		}
		if it.Org != nil {
			it.Org.Mention.Kinds = []string{"Customer"}
			mentions, slots = append(mentions, it.Org.Mention), append(slots, &it.Org.Mention)
		}
		if it.Person != nil {
			it.Person.Employer.Kinds = []string{"Customer"}
			mentions, slots = append(mentions, it.Person.Employer), append(slots, &it.Person.Employer)
		}
	}
	res, err := w.Matcher.Match(ctx, mentions)
	if err != nil {
		return sum, nil, fmt.Errorf("resolve: %w", err)
	}
	resolved := make(map[*Mention]Resolution, len(slots))
	for i, s := range slots {
		resolved[s] = res[i]
	}
	made, err := w.writeOrgs(ctx, mentions, res, &sum)
	if err != nil {
		return sum, nil, err
	}

	if err := w.writeLexiconNodes(ctx, items); err != nil {
		return sum, nil, err
	}
	// Each item ends with one outcome, whatever it holds (an account, a
	// person and the signal of their joining, ...): see Summary.
	outcomes := make([]graph.Outcome, len(items))
	failed := make([]bool, len(items))
	var customers []valuegraph.Customer
	var customerItems []int // by index in customers
	var people, signals []positioned
	for i := range items {
		it := &items[i]
		if missing := missingMentions(it, resolved); missing != "" {
			rejected = append(rejected, &valuegraph.Error{Code: valuegraph.EINVALID, File: it.Pos.File, Line: it.Pos.Line,
				Message: missing + " is not known (ingest the accounts first)"})
			failed[i] = true
			continue
		}
		if it.Org != nil {
			r := resolved[&it.Org.Mention]
			customers = append(customers, valuegraph.Customer{ID: r.Org.ID, Name: Fold(it.Org.Mention.Name),
				Aliases: it.Org.Aliases, Identifiers: it.Org.Mention.Identifiers, Industry: it.Org.Industry,
				Region: it.Org.Region, Size: it.Org.Size, OwnerID: it.Org.OwnerID})
			customerItems = append(customerItems, i)
		}
		if it.Person != nil {
			p := it.Person.Person
			p.CustomerID = resolved[&it.Person.Employer].Org.ID
			people = append(people, positioned{it.Pos, p, i})
		}
		if it.Signal != nil {
			sig := *it.Signal
			sig.Parties = nil
			add := func(role valuegraph.PartyRole, ms []Mention) {
				for j := range ms {
					r := resolved[&ms[j]]
					sig.Parties = append(sig.Parties, valuegraph.Party{Role: role, Kind: r.Org.Kind, ID: r.Org.ID,
						Rule: r.Rule, Score: r.Score, AsName: Fold(ms[j].Name)})
				}
			}
			add(valuegraph.PartyAbout, it.About)
			add(valuegraph.PartyWinner, it.Winners)
			add(valuegraph.PartySupplier, it.Suppliers)
			if len(sig.Problems) == 0 {
				sig.Problems = it.Problems
			}
			it.Problems = sig.Problems
			signals = append(signals, positioned{it.Pos, sig, i})
		}
	}
	if len(customers) > 0 {
		written, err := w.Graph.UpsertCustomers(ctx, customers)
		if err != nil {
			return sum, rejected, err
		}
		note(outcomes, written, customerItems, func(i int) string { return customers[i].ID })
		// An account whose customer resolution made in this batch (just
		// above, before its attributes were written) is created, not found
		// unchanged; a second account of it in the batch is not.
		first := map[string]bool{}
		for k, i := range customerItems {
			if id := customers[k].ID; made[id] && !first[id] {
				first[id] = true
				outcomes[i] = graph.Created
			}
		}
	}
	written, bad, err := isolate(ctx, people, failed, func(ctx context.Context, ps []positioned) (graph.WriteSummary, error) {
		return w.Graph.UpsertPeople(ctx, values[valuegraph.Person](ps))
	})
	if err != nil {
		return sum, rejected, err
	}
	note(outcomes, written, itemsOf(people), func(i int) string { return people[i].v.(valuegraph.Person).ID })
	rejected = append(rejected, bad...)

	written, bad, err = isolate(ctx, signals, failed, func(ctx context.Context, ss []positioned) (graph.WriteSummary, error) {
		return w.Graph.UpsertSignals(ctx, values[valuegraph.Signal](ss))
	})
	if err != nil {
		return sum, rejected, err
	}
	note(outcomes, written, itemsOf(signals), func(i int) string { return signals[i].v.(valuegraph.Signal).ID })
	rejected = append(rejected, bad...)

	for i := range items {
		switch {
		case failed[i] || outcomes[i] == "": // counted with the rejections
		case len(items[i].Problems) > 0:
			sum.Incomplete++
		case outcomes[i] == graph.Created:
			sum.Created++
		case outcomes[i] == graph.Updated:
			sum.Merged++
		default:
			sum.Unchanged++
		}
	}

	if w.Jobs != nil {
		touched := touchedCustomers(values[valuegraph.Signal](signals))
		for _, c := range customers {
			touched = append(touched, c.ID)
		}
		slices.Sort(touched)
		touched = slices.Compact(touched)
		q, err := w.Jobs.RescoreCustomers(ctx, touched...)
		sum.Enqueued, sum.Pending = q.Enqueued, q.Pending
		if err != nil {
			// What was written stands, and says so: the customers are
			// rescored by the nightly run (or the next write that reaches
			// the queue), not lost with the answer.
			sum.Deferred = len(touched) - q.Enqueued - q.Coalesced - q.Pending
			if w.Logger != nil {
				w.Logger.Warn("rescoring deferred: neither the queue nor the outbox took it", "customers", sum.Deferred, "err", err)
			}
		}
	}
	return sum, rejected, nil
}

// writeLexiconNodes upserts the competitors, needs and products items
// mention, once each.
func (w *Writer) writeLexiconNodes(ctx context.Context, items []Item) error {
	var ks []valuegraph.Competitor
	var ns []valuegraph.Need
	var ps []valuegraph.Product
	seen := map[string]bool{}
	for _, it := range items {
		for _, k := range it.Competitors {
			if !seen["k"+k.ID] {
				seen["k"+k.ID] = true
				k.ID = w.Namespace + k.ID
				ks = append(ks, k)
			}
		}
		for _, n := range it.Needs {
			if !seen["n"+n.ID] {
				seen["n"+n.ID] = true
				n.ID = w.Namespace + n.ID
				ns = append(ns, n)
			}
		}
		for _, p := range it.Products {
			if !seen["p"+p.ID] {
				seen["p"+p.ID] = true
				p.ID = w.Namespace + p.ID
				if p.CompetitorID != "" {
					p.CompetitorID = w.Namespace + p.CompetitorID
				}
				ps = append(ps, p)
			}
		}
	}
	if len(ks) > 0 {
		if _, err := w.Graph.UpsertCompetitors(ctx, ks); err != nil {
			return err
		}
	}
	if len(ns) > 0 {
		if _, err := w.Graph.UpsertNeeds(ctx, ns); err != nil {
			return err
		}
	}
	if len(ps) > 0 {
		if _, err := w.Graph.UpsertProducts(ctx, ps); err != nil {
			return err
		}
	}
	return nil
}

// positioned is a value to write with the position of the record it came from.
type positioned struct {
	pos  Position
	v    any
	item int // index of the item in the batch
}

func values[T any](ps []positioned) []T {
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = p.v.(T)
	}
	return out
}

// isolate writes a batch; when the graph rejects it as invalid, it splits
// the batch in halves until the records at fault stand alone, writes the
// rest, and returns those records as rejected with their positions.
func isolate(ctx context.Context, batch []positioned, failed []bool, write func(context.Context, []positioned) (graph.WriteSummary, error)) (graph.WriteSummary, []error, error) {
	if len(batch) == 0 {
		return graph.WriteSummary{}, nil, nil
	}
	sum, err := write(ctx, batch)
	if err == nil || valuegraph.ErrorCode(err) != valuegraph.EINVALID {
		return sum, nil, err
	}
	if len(batch) == 1 {
		msg := err.Error()
		if strings.HasPrefix(msg, "signal 0 (") || strings.HasPrefix(msg, "person 0 (") {
			if i := strings.Index(msg, "): "); i >= 0 {
				msg = msg[i+3:] // the index in a batch of one says nothing
			}
		}
		if !failed[batch[0].item] {
			failed[batch[0].item] = true
			return graph.WriteSummary{}, []error{&valuegraph.Error{Code: valuegraph.EINVALID, File: batch[0].pos.File, Line: batch[0].pos.Line, Message: msg, Err: err}}, nil
		}
		return graph.WriteSummary{}, nil, nil // the item's rejection is counted already
	}
	mid := len(batch) / 2
	a, badA, err := isolate(ctx, batch[:mid], failed, write)
	if err != nil {
		return a, badA, err
	}
	b, badB, err := isolate(ctx, batch[mid:], failed, write)
	a.Add(b)
	return a, append(badA, badB...), err
}

// note records what a write did to the records of items: the item at
// items[k] wrote the node idOf(k). An item's outcome is the most its records
// changed (created over updated over unchanged); a record repeating an id
// written earlier in the batch is unchanged.
// outcomeRank orders outcomes by how much they changed.
var outcomeRank = map[graph.Outcome]int{"": 0, graph.Unchanged: 1, graph.Updated: 2, graph.Created: 3}

func note(outcomes []graph.Outcome, w graph.WriteSummary, items []int, idOf func(k int) string) {
	seen := make(map[string]bool, len(items))
	for k, i := range items {
		id := idOf(k)
		out, ok := w.Outcomes[id]
		if !ok {
			continue
		}
		if seen[id] {
			out = graph.Unchanged
		}
		seen[id] = true
		if outcomeRank[out] > outcomeRank[outcomes[i]] {
			outcomes[i] = out
		}
	}
}

func itemsOf(ps []positioned) []int {
	out := make([]int, len(ps))
	for k, p := range ps {
		out[k] = p.item
	}
	return out
}

// missingMentions names the references of an item that resolved to nothing.
func missingMentions(it *Item, resolved map[*Mention]Resolution) string {
	var names []string
	check := func(m *Mention) {
		if resolved[m].Rule == "missing" {
			ids := make([]string, len(m.Identifiers))
			for i, id := range m.Identifiers {
				ids[i] = id.Key()
			}
			names = append(names, "account "+strings.Join(ids, ", "))
		}
	}
	for j := range it.About {
		check(&it.About[j])
	}
	if it.Person != nil {
		check(&it.Person.Employer)
	}
	return strings.Join(names, "; ")
}

// writeOrgs creates the organisations resolution made up, ties new names
// and identifiers to the ones it matched, and records reviews.
func (w *Writer) writeOrgs(ctx context.Context, mentions []Mention, res []Resolution, sum *Summary) (made map[string]bool, err error) {
	var created []valuegraph.Customer
	var competitors []valuegraph.Competitor
	var aliases []valuegraph.Alias
	var idents []valuegraph.Customer // identifiers newly seen on known customers
	var reviews []valuegraph.Review
	made = map[string]bool{}
	for i, r := range res {
		m := mentions[i]
		sum.Orgs[r.Rule]++
		if r.Rule == "missing" {
			continue
		}
		key := OrgKey(m.Name)
		// A later mention of an organisation this batch creates adds its
		// names and identifiers as a mention of a known one would: else
		// the next ingest, finding the organisation known, adds them.
		known := !r.New || made[r.Org.ID]
		switch {
		case r.New && !made[r.Org.ID]:
			made[r.Org.ID] = true
			ids := slices.Clone(m.Identifiers)
			if key != "" {
				ids = append(ids, valuegraph.Identifier{Scheme: w.Namespace + valuegraph.SchemeName, Value: key})
			}
			if r.Org.Kind == "Competitor" {
				competitors = append(competitors, valuegraph.Competitor{ID: r.Org.ID, Name: r.Org.Name})
			} else {
				created = append(created, valuegraph.Customer{ID: r.Org.ID, Name: r.Org.Name, Identifiers: ids})
			}
			if r.Review != nil {
				reviews = append(reviews, *r.Review)
			}
		case known && key != "" && OrgKey(r.Org.Name) != key:
			aliases = append(aliases, valuegraph.Alias{Kind: r.Org.Kind, ID: r.Org.ID, Name: Fold(m.Name), Key: w.Matcher.NameKey(key), Value: key,
				Rule: r.Rule, Score: r.Score, Source: m.Source})
		}
		if known && r.Org.Kind == "Customer" && len(m.Identifiers) > 0 {
			idents = append(idents, valuegraph.Customer{ID: r.Org.ID, Name: r.Org.Name, Identifiers: m.Identifiers})
		}
	}
	// made ends as the customers this call created, for the outcomes.
	clear(made)
	if len(created) > 0 {
		written, err := w.Graph.UpsertCustomers(ctx, created)
		if err != nil {
			return nil, fmt.Errorf("create organisations: %w", err)
		}
		for id, out := range written.Outcomes {
			if out == graph.Created {
				made[id] = true
			}
		}
	}
	if len(competitors) > 0 {
		if _, err := w.Graph.UpsertCompetitors(ctx, competitors); err != nil {
			return nil, fmt.Errorf("create competitors: %w", err)
		}
	}
	if len(idents) > 0 {
		if _, err := w.Graph.UpsertCustomers(ctx, idents); err != nil {
			return nil, fmt.Errorf("add identifiers: %w", err)
		}
	}
	if err := w.Graph.AddAliases(ctx, aliases); err != nil {
		return nil, err
	}
	return made, w.Graph.AddReviews(ctx, reviews)
}

func touchedCustomers(signals []valuegraph.Signal) []string {
	var ids []string
	for _, s := range signals {
		ids = append(ids, s.CustomerIDs...)
		for _, p := range s.Parties {
			if p.Kind == "Customer" {
				ids = append(ids, p.ID)
			}
		}
	}
	return ids
}
