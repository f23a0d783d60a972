package resolvers

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
)

// neighbourhoodLimit is how many signals, competitors and needs a customer's
// list fields can return: what one batched read fetches per customer.
const neighbourhoodLimit = 50

// loaders are per request: a list of 500 customers asking for people,
// signals and owners costs one round trip to Neo4j, not 1,500.
type loaders struct {
	neighbourhood *dataloadgen.Loader[string, *valuegraph.Neighbourhood]
	assessment    *dataloadgen.Loader[string, *valuegraph.Assessment]
	signal        *dataloadgen.Loader[string, valuegraph.Signal]
	product       *dataloadgen.Loader[string, valuegraph.Product]
	history       *dataloadgen.Loader[historyKey, []valuegraph.ScoreSnapshot]
	feedback      *dataloadgen.Loader[feedbackKey, []valuegraph.Feedback]
}

// feedbackKey asks for a customer's latest feedback, at most First.
type feedbackKey struct {
	ID    string
	First int
}

// historyKey asks for a customer's history with a field's arguments.
type historyKey struct {
	ID    string
	Since time.Time
	First int
}

type loadersKey struct{}

func newLoaders(g Loads) *loaders {
	return &loaders{
		neighbourhood: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*valuegraph.Neighbourhood, error) {
			ns, err := g.Neighbourhoods(ctx, ids, graph.NeighbourhoodOptions{Limit: neighbourhoodLimit})
			if err != nil {
				return nil, err
			}
			out := make(map[string]*valuegraph.Neighbourhood, len(ns))
			for _, n := range ns {
				out[n.Customer.ID] = n
			}
			return out, nil
		}, dataloadgen.WithWait(2*time.Millisecond)),
		assessment: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*valuegraph.Assessment, error) {
			return g.LatestAssessments(ctx, ids)
		}, dataloadgen.WithWait(2*time.Millisecond)),
		signal: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]valuegraph.Signal, error) {
			return g.Signals(ctx, ids)
		}, dataloadgen.WithWait(2*time.Millisecond)),
		product: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]valuegraph.Product, error) {
			return g.Products(ctx, ids)
		}, dataloadgen.WithWait(2*time.Millisecond)),
		history: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []historyKey) (map[historyKey][]valuegraph.ScoreSnapshot, error) {
			// Keys of one list share the field's arguments: one read each.
			type args struct {
				since time.Time
				first int
			}
			groups := map[args][]string{}
			for _, k := range keys {
				a := args{k.Since, k.First}
				groups[a] = append(groups[a], k.ID)
			}
			out := make(map[historyKey][]valuegraph.ScoreSnapshot, len(keys))
			for a, ids := range groups {
				h, err := g.ScoreHistory(ctx, ids, a.since, a.first)
				if err != nil {
					return nil, err
				}
				for _, id := range ids {
					out[historyKey{id, a.since, a.first}] = append([]valuegraph.ScoreSnapshot{}, h[id]...)
				}
			}
			return out, nil
		}, dataloadgen.WithWait(2*time.Millisecond)),
		feedback: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []feedbackKey) (map[feedbackKey][]valuegraph.Feedback, error) {
			groups := map[int][]string{}
			for _, k := range keys {
				groups[k.First] = append(groups[k.First], k.ID)
			}
			out := make(map[feedbackKey][]valuegraph.Feedback, len(keys))
			for first, ids := range groups {
				fs, err := g.CustomerFeedback(ctx, ids, first)
				if err != nil {
					return nil, err
				}
				for _, id := range ids {
					out[feedbackKey{id, first}] = append([]valuegraph.Feedback{}, fs[id]...)
				}
			}
			return out, nil
		}, dataloadgen.WithWait(2*time.Millisecond)),
	}
}

// withLoaders puts fresh loaders in every request's context.
func withLoaders(g Loads, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), loadersKey{}, newLoaders(g))))
	})
}

func loadersFrom(ctx context.Context) *loaders { return ctx.Value(loadersKey{}).(*loaders) }

// neighbourhood loads a customer's neighbourhood through the request's loader.
func neighbourhood(ctx context.Context, id string) (*valuegraph.Neighbourhood, error) {
	n, err := loadersFrom(ctx).neighbourhood.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) || (err == nil && n == nil) {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", id)
	}
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", id)
	}
	return n, nil
}

// loadSignals loads signals by id through the request's loader, in order;
// ids whose signal is gone (detached since) are left out.
func loadSignals(ctx context.Context, ids []string) ([]valuegraph.Signal, error) {
	if len(ids) == 0 {
		return []valuegraph.Signal{}, nil
	}
	sigs, err := loadersFrom(ctx).signal.LoadAll(ctx, ids)
	var missing dataloadgen.ErrorSlice
	if errors.As(err, &missing) {
		for _, e := range missing {
			if e != nil && !errors.Is(e, dataloadgen.ErrNotFound) {
				return nil, e
			}
		}
	} else if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(sigs, func(s valuegraph.Signal) bool { return s.ID == "" }), nil
}

// prefetchCustomers loads, ahead of the field resolvers, what the fields
// selected on a page of customers will ask the loaders for, in one round
// trip: neighbourhoods (owner, people, signals, competitors, needs), latest
// assessments and score histories, whichever are selected, so a page costs
// one more round trip however many of them each customer asks for. list is
// the field below the current one that holds the page ("edges"; "" when the
// current field is the list) and customer the field of each element that
// holds its customer ("node").
func prefetchCustomers(ctx context.Context, g Loads, ids []string, list, customer string) error {
	if len(ids) == 0 {
		return nil
	}
	path := []string{customer}
	if list != "" {
		path = []string{list, customer}
	}
	return prefetchSelected(ctx, g, ids, path)
}

// prefetchSelected loads what the fields selected at path will ask the
// loaders for, so that the field resolvers of a page's elements, which gqlgen
// runs concurrently, find it there: neighbourhoods, assessments, each set of
// history arguments, and the products of the signals. Nothing is left to a
// loader's batch window, which a busy machine can split.
func prefetchSelected(ctx context.Context, g Loads, ids []string, path []string) error {
	fields := selectedFields(ctx, path...)
	l := loadersFrom(ctx)
	owner := fields["owner"] && !onlyID(selectedFields(ctx, append(path, "owner")...))
	near := owner || fields["people"] || fields["signals"] || fields["competitors"] || fields["needs"]
	assess := fields["assessment"]
	hists := historyArgs(ctx, path)
	var ns []*valuegraph.Neighbourhood
	switch {
	case near || (assess && len(hists) > 0):
		// One read for the neighbourhoods with the assessments and the first
		// history when they are asked for too.
		opts := graph.NeighbourhoodOptions{Limit: neighbourhoodLimit, WithAssessment: assess}
		if len(hists) > 0 {
			opts.History = &graph.HistoryOptions{Since: hists[0].Since, Limit: hists[0].First}
		}
		var err error
		if ns, err = g.Neighbourhoods(ctx, ids, opts); err != nil {
			return err
		}
		found := map[string]*valuegraph.Neighbourhood{}
		for _, n := range ns {
			found[n.Customer.ID] = n
			l.neighbourhood.Prime(n.Customer.ID, n)
		}
		for _, id := range ids {
			n := found[id]
			if n == nil {
				// Gone since the page was read (deleted, merged away): its
				// lists are empty rather than an error on every field.
				l.neighbourhood.Prime(id, &valuegraph.Neighbourhood{Customer: valuegraph.Customer{ID: id}})
				if assess {
					l.assessment.Prime(id, nil)
				}
				if len(hists) > 0 {
					key := hists[0]
					key.ID = id
					l.history.Prime(key, nil)
				}
				continue
			}
			if assess {
				l.assessment.Prime(id, n.Assessment) // nil: never scored, null, not another read
			}
			if len(hists) > 0 {
				key := hists[0]
				key.ID = id
				l.history.Prime(key, n.History)
			}
		}
		if len(hists) > 0 {
			hists = hists[1:]
		}
	case assess:
		if _, err := l.assessment.LoadAll(ctx, ids); ignoreNotFound(err) != nil {
			return err
		}
	}
	for _, hist := range hists {
		keys := make([]historyKey, len(ids))
		for i, id := range ids {
			keys[i] = hist
			keys[i].ID = id
		}
		if _, err := l.history.LoadAll(ctx, keys); ignoreNotFound(err) != nil {
			return err
		}
	}
	if fields["signals"] && selectedFields(ctx, append(path, "signals")...)["products"] {
		var products []string
		for _, n := range ns {
			for _, sig := range n.Signals {
				products = append(products, sig.ProductIDs...)
			}
		}
		slices.Sort(products)
		if products = slices.Compact(products); len(products) > 0 {
			if _, err := l.product.LoadAll(ctx, products); ignoreNotFound(err) != nil {
				return err
			}
		}
	}
	return nil
}

// historyArgs reads the arguments of each history field selected at path
// (aliases may ask with other arguments), as its resolver will, defaults
// included; each distinct set once.
func historyArgs(ctx context.Context, path []string) []historyKey {
	op := graphql.GetOperationContext(ctx)
	var keys []historyKey
	for _, f := range collectedAt(ctx, path...) {
		if f.Name != "history" {
			continue
		}
		args := f.ArgumentMap(op.Variables)
		key := historyKey{First: 20}
		switch v := args["first"].(type) {
		case int64:
			key.First = int(v)
		case int:
			key.First = v
		case float64:
			key.First = int(v)
		case json.Number:
			n, _ := v.Int64()
			key.First = int(n)
		}
		if v, ok := args["since"].(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				key.Since = t.UTC()
			}
		}
		if key.First < 1 || key.First > 200 || slices.Contains(keys, key) {
			continue // out of range: the resolver reports it
		}
		keys = append(keys, key)
	}
	return keys
}

// ignoreNotFound drops the not-found errors of a LoadAll: customers gone
// since the page was read, or never scored.
func ignoreNotFound(err error) error {
	var each dataloadgen.ErrorSlice
	if errors.As(err, &each) {
		for _, e := range each {
			if e != nil && !errors.Is(e, dataloadgen.ErrNotFound) {
				return e
			}
		}
		return nil
	}
	return err
}

// selectedFields names the fields the query selects at path below the
// current field ("edges", "node" for a connection's nodes).
func selectedFields(ctx context.Context, path ...string) map[string]bool {
	fields := collectedAt(ctx, path...)
	out := make(map[string]bool, len(fields))
	for _, f := range fields {
		out[f.Name] = true
	}
	return out
}

// collectedAt is the selection at path below the current field.
func collectedAt(ctx context.Context, path ...string) []graphql.CollectedField {
	return collectedBelow(graphql.GetOperationContext(ctx), graphql.CollectFieldsCtx(ctx, nil), path...)
}

// collectedBelow is the selection at path below fields.
func collectedBelow(op *graphql.OperationContext, fields []graphql.CollectedField, path ...string) []graphql.CollectedField {
	for _, name := range path {
		var next []graphql.CollectedField
		for _, f := range fields {
			if f.Name == name {
				next = append(next, graphql.CollectFields(op, f.Selections, nil)...)
			}
		}
		fields = next
	}
	return fields
}

// prefetchPresence prefetches what a list of presences' customers select.
func prefetchPresence(ctx context.Context, g Loads) func([]graph.Presence, error) ([]graph.Presence, error) {
	return func(ps []graph.Presence, err error) ([]graph.Presence, error) {
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(ps))
		for i, p := range ps {
			ids[i] = p.Customer.ID
		}
		if err := prefetchCustomers(ctx, g, ids, "", "customer"); err != nil {
			return nil, err
		}
		return ps, nil
	}
}

// onlyID reports whether a selection asks for nothing but the id.
func onlyID(fields map[string]bool) bool {
	for f := range fields {
		if f != "id" && f != "__typename" {
			return false
		}
	}
	return true
}
