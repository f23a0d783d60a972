// Package resolvers serves the GraphQL API of schema/ (gqlgen, schema first):
// thin resolvers that call graph/ and check what the caller may see.
package resolvers

//go:generate go tool gqlgen generate

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/gate"
)

// Resolver is the root resolver; it holds what every resolver needs.
type Resolver struct {
	Graph Store
	Jobs  Rescorer // nil: corrections do not trigger rescoring
	// Scorer, when set, rescores a customer within the request that
	// corrects it, so that the correction shows in the very next read.
	Scorer Scorer
	// Gate answers riskCheck and POST /api/risk-check; nil: the built-in
	// thresholds over Graph.
	Gate *gate.Gate
	// CrawlSources are the names of the sources the worker crawls (its
	// VALUEGRAPH_SOURCES); runCrawl takes these and those crawled before.
	CrawlSources []string
	Logger       *slog.Logger
	// ModelKind is the kind of model versions modelVersions lists and
	// activateModel changes: "" for the scoring models (tests use their own).
	ModelKind string
}

// knownSource is nil for a source the worker can crawl: one configured, or
// one the graph has seen crawled; ENOTFOUND naming it and the known ones
// otherwise, rather than a request the worker would drop.
func (r *Resolver) knownSource(ctx context.Context, name string) error {
	if slices.Contains(r.CrawlSources, name) {
		return nil
	}
	known := slices.Clone(r.CrawlSources)
	sources, err := r.Graph.Sources(ctx)
	if err != nil {
		return err
	}
	for _, s := range sources {
		if s.Crawled {
			if s.ID == name {
				return nil
			}
			known = append(known, s.ID)
		}
	}
	slices.Sort(known)
	list := strings.Join(slices.Compact(known), ", ")
	if list == "" {
		list = "none (set VALUEGRAPH_SOURCES)"
	}
	return &valuegraph.Error{Code: valuegraph.ENOTFOUND, Field: "source",
		Message: valuegraph.Shorten(fmt.Sprintf("no source %q to crawl; known: %s", name, list))}
}

func (r *Resolver) gate() *gate.Gate {
	if r.Gate != nil {
		return r.Gate
	}
	return &gate.Gate{Graph: r.Graph}
}

// Rescorer asks the worker to rescore customers.
type Rescorer interface {
	RescoreCustomers(ctx context.Context, ids ...string) (valuegraph.Queued, error)
	RequestRetrain(ctx context.Context) (valuegraph.Queued, error)
	RescoreAll(ctx context.Context) error
	Crawl(ctx context.Context, source string) error
}

// Scorer rescores one customer now (jobs.Scorer).
type Scorer interface {
	Score(ctx context.Context, customerID string) (valuegraph.Assessment, error)
}
