package resolvers

import (
	"context"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/brief"
	"github.com/valuegraph/valuegraph/gate"
	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/ingest"
	"github.com/valuegraph/valuegraph/jobs"
)

// Store is everything the API reads and writes, as small interfaces by
// concern; graph.Store implements it. A resolver that needs a new query
// adds its method to the interface of its concern (or a new one here).
type Store interface {
	Access
	Customers
	Loads
	Exploring
	Learning
	Reviewing
	Subscribing
	Alerting
	brief.Store   // the pre-visit brief's one read
	gate.Store    // the risk gate's one read, and its audit
	ingest.Target // pushed signals and new customers: resolved and written as an ingest does
}

// Access is who calls, and the audit of what they change.
type Access interface {
	Authenticate(ctx context.Context, secret string) (*valuegraph.Caller, error)
	RecordAudit(ctx context.Context, actor, action, target string, before, after any) error
}

// Customers reads customers, lists and searches them, and assigns owners.
type Customers interface {
	Customer(ctx context.Context, id string) (*valuegraph.Customer, error)
	CustomerOwner(ctx context.Context, id string) (string, error)
	ListCustomers(ctx context.Context, f valuegraph.CustomerFilter, first int, after string) (valuegraph.CustomerPage, error)
	SearchNames(ctx context.Context, text string, kinds []string, limit int) ([]valuegraph.NameHit, error)
	CustomerSignals(ctx context.Context, customerID string, kinds []valuegraph.SignalKind, since time.Time, limit int) ([]valuegraph.Signal, error)
	Signal(ctx context.Context, id string) (*valuegraph.Signal, error)
	AssignOwner(ctx context.Context, customerID, repID, actor string) error
}

// Loads are the batched reads behind the dataloaders: many ids, one query.
type Loads interface {
	Neighbourhoods(ctx context.Context, ids []string, opts graph.NeighbourhoodOptions) ([]*valuegraph.Neighbourhood, error)
	LatestAssessments(ctx context.Context, ids []string) (map[string]*valuegraph.Assessment, error)
	ScoreHistory(ctx context.Context, ids []string, since time.Time, limit int) (map[string][]valuegraph.ScoreSnapshot, error)
	Signals(ctx context.Context, ids []string) (map[string]valuegraph.Signal, error)
	Products(ctx context.Context, ids []string) (map[string]valuegraph.Product, error)
	CustomerFeedback(ctx context.Context, ids []string, limit int) (map[string][]valuegraph.Feedback, error)
}

// Exploring is the analysts' view of the graph: neighbourhoods, paths,
// footprints, sources and drift.
type Exploring interface {
	Subgraph(ctx context.Context, id string, depth int, kinds []string, limit int) (*graph.Subgraph, error)
	NeighbourCounts(ctx context.Context, id string) ([]graph.KindCount, error)
	Paths(ctx context.Context, from, to string, maxHops, limit int) ([]graph.Path, error)
	CompetitorFootprint(ctx context.Context, competitorID string, limit int) ([]graph.Presence, error)
	CustomersSharingNeed(ctx context.Context, needID string, limit int) ([]graph.Presence, error)
	Sources(ctx context.Context) ([]valuegraph.SourceHealth, error)
	Drift(ctx context.Context, since time.Time, minLevels int) ([]valuegraph.Drift, error)
}

// Learning keeps the reps' feedback and the model versions it trains, and
// activates them.
type Learning interface {
	jobs.ActivationStore
	SubmitFeedback(ctx context.Context, f valuegraph.Feedback) (*valuegraph.Feedback, error)
	ModelVersions(ctx context.Context, kind string) ([]valuegraph.ModelVersion, error)
}

// Reviewing is the entity-resolution review queue.
type Reviewing interface {
	Reviews(ctx context.Context, status string, limit int) ([]valuegraph.Review, error)
	ResolveReview(ctx context.Context, id, candidateID string, reject bool, actor string) (*valuegraph.Review, error)
}

// Subscribing is the callers' subscriptions to external signals and the
// feed of their matches.
type Subscribing interface {
	Subscriptions(ctx context.Context, kind, owner string) ([]valuegraph.Subscription, error)
	CreateSubscription(ctx context.Context, kind, owner string, in valuegraph.SubscriptionInput, actor string) (*valuegraph.Subscription, error)
	UpdateSubscription(ctx context.Context, kind, owner, id string, in valuegraph.SubscriptionInput, actor string) (*valuegraph.Subscription, error)
	DeleteSubscription(ctx context.Context, kind, owner, id, actor string) error
	MarkFeedRead(ctx context.Context, kind, owner, id string, until time.Time, actor string) ([]valuegraph.Subscription, error)
	Feed(ctx context.Context, q valuegraph.FeedQuery) (*valuegraph.Feed, error)
}

// Alerting is the alerts rescoring raised, and what follows them up that
// the API sees: a rep reading a brief.
type Alerting interface {
	ListAlerts(ctx context.Context, f valuegraph.AlertFilter, first int, after string) (valuegraph.AlertPage, error)
	AlertSummary(ctx context.Context, since time.Time) ([]valuegraph.AlertOwnerSummary, error)
	RecordBriefOpen(ctx context.Context, repID, customerID string, at time.Time) error
}

var _ Store = (*graph.Store)(nil)
