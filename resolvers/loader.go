package resolvers

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
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

	// primed names the lists whose customers' @batched fields a prefetch
	// has loaded: by the list's path (see listPath), the field leading from
	// an element to its customer ("node", "customer").
	primedMu sync.Mutex
	primed   map[string]string
}

// primedCustomer says, for the list being marshalled, which field of its
// elements leads to a customer whose @batched fields were all prefetched;
// "" when none were.
func primedCustomer(ctx context.Context) string {
	l, ok := ctx.Value(loadersKey{}).(*loaders)
	if !ok {
		return ""
	}
	l.primedMu.Lock()
	defer l.primedMu.Unlock()
	if len(l.primed) == 0 {
		return ""
	}
	return l.primed[listPath(ctx)]
}

// listPath names the field being resolved by its path from the root,
// aliases joined by dots, list indices left out.
func listPath(ctx context.Context) string {
	var b strings.Builder
	for _, p := range graphql.GetFieldContext(ctx).Path() {
		if name, ok := p.(ast.PathName); ok {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(name))
		}
	}
	return b.String()
}

// historyKey asks for a customer's history with a field's arguments.
type historyKey struct {
	ID    string
	Since time.Time
	First int
}

type loadersKey struct{}

func newLoaders(g *graph.Store) *loaders {
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
	}
}

// withLoaders puts fresh loaders in every request's context.
func withLoaders(g *graph.Store, next http.Handler) http.Handler {
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
// holds its customer ("node"). With every @batched field of the customers
// primed, the list's elements are then marshalled in turn (marshalList).
func prefetchCustomers(ctx context.Context, g *graph.Store, ids []string, list, customer string) error {
	if len(ids) == 0 {
		return nil
	}
	path := []string{customer}
	if list != "" {
		path = []string{list, customer}
	}
	if err := prefetchSelected(ctx, g, ids, path); err != nil {
		return err
	}
	histories := 0
	for _, f := range collectedAt(ctx, path...) {
		if f.Name == "history" {
			histories++
		}
	}
	if histories > 1 { // aliases with other arguments: only the first set is primed
		return nil
	}
	key := listPath(ctx)
	if list != "" {
		key += "." + list
	}
	l := loadersFrom(ctx)
	l.primedMu.Lock()
	defer l.primedMu.Unlock()
	if l.primed == nil {
		l.primed = map[string]string{}
	}
	l.primed[key] = customer
	return nil
}

func prefetchSelected(ctx context.Context, g *graph.Store, ids []string, path []string) error {
	fields := selectedFields(ctx, path...)
	l := loadersFrom(ctx)
	owner := fields["owner"] && !onlyID(selectedFields(ctx, append(path, "owner")...))
	near := owner || fields["people"] || fields["signals"] || fields["competitors"] || fields["needs"]
	assess := fields["assessment"]
	hist, wantHist := historyArgs(ctx, path)
	wanted := 0
	for _, w := range []bool{near, assess, wantHist} {
		if w {
			wanted++
		}
	}
	switch {
	case wanted >= 2:
		opts := graph.NeighbourhoodOptions{Limit: neighbourhoodLimit, WithAssessment: assess}
		if wantHist {
			opts.History = &graph.HistoryOptions{Since: hist.Since, Limit: hist.First}
		}
		ns, err := g.Neighbourhoods(ctx, ids, opts)
		if err != nil {
			return err
		}
		found := map[string]*valuegraph.Neighbourhood{}
		for _, n := range ns {
			found[n.Customer.ID] = n
			l.neighbourhood.Prime(n.Customer.ID, n)
		}
		for _, id := range ids {
			n := found[id]
			if assess && n != nil {
				l.assessment.Prime(id, n.Assessment) // nil: never scored, null, not another read
			}
			if wantHist && n != nil {
				key := hist
				key.ID = id
				l.history.Prime(key, n.History)
			}
		}
	case near:
		_, err := l.neighbourhood.LoadAll(ctx, ids)
		return ignoreNotFound(err)
	case assess:
		_, err := l.assessment.LoadAll(ctx, ids)
		return ignoreNotFound(err)
	case wantHist:
		keys := make([]historyKey, len(ids))
		for i, id := range ids {
			keys[i] = hist
			keys[i].ID = id
		}
		_, err := l.history.LoadAll(ctx, keys)
		return ignoreNotFound(err)
	}
	return nil
}

// historyArgs reads the arguments of the history field selected at path,
// as its resolver will (defaults included); false when it is not selected.
func historyArgs(ctx context.Context, path []string) (historyKey, bool) {
	op := graphql.GetOperationContext(ctx)
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
		if key.First < 1 || key.First > 200 {
			return historyKey{}, false // the resolver reports it
		}
		return key, true
	}
	return historyKey{}, false
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
func prefetchPresence(ctx context.Context, g *graph.Store) func([]graph.Presence, error) ([]graph.Presence, error) {
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
