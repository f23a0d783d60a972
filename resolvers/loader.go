package resolvers

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

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
