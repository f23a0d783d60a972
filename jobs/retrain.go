package jobs

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/scoring"
)

// TypeRetrain fits a new version of the scoring models on the labels reps
// gave, and promotes it when it does no worse on held-out labels.
const TypeRetrain = "model:retrain"

// NewRetrainTask returns the retraining task; feedback in the same hour
// asks for one run.
func NewRetrainTask(now time.Time) (*asynq.Task, []asynq.Option) {
	return asynq.NewTask(TypeRetrain, nil), []asynq.Option{
		asynq.TaskID(TypeRetrain + ":" + strconv.FormatInt(now.Unix()/3600, 10)),
		asynq.ProcessIn(time.Minute), asynq.MaxRetry(3), asynq.Timeout(30 * time.Minute),
	}
}

// Models gives the model scoring uses now.
type Models interface {
	Current(ctx context.Context) (*scoring.Model, error)
}

// StaticModel always gives the same model.
type StaticModel struct{ Model *scoring.Model }

// Current returns the model.
func (s StaticModel) Current(context.Context) (*scoring.Model, error) { return s.Model, nil }

// ModelVersionStore is where trained versions are kept.
type ModelVersionStore interface {
	ActiveModelVersion(ctx context.Context, kind string) (*valuegraph.ModelVersion, error)
	SaveModelVersion(ctx context.Context, mv valuegraph.ModelVersion) error
	ActivateModel(ctx context.Context, kind, version string) error
}

// GraphModels gives the active version stored in the graph, or Fallback
// when none was trained yet; it reads the graph at most once a minute, and
// at once after Invalidate.
type GraphModels struct {
	Store    ModelVersionStore
	Fallback *scoring.Model
	Kind     string // of model versions; "" is "scoring" (tests use their own)

	mu      sync.Mutex
	model   *scoring.Model
	fetched time.Time
}

// Current returns the active model.
func (g *GraphModels) Current(ctx context.Context) (*scoring.Model, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.model != nil && time.Since(g.fetched) < time.Minute {
		return g.model, nil
	}
	mv, err := g.Store.ActiveModelVersion(ctx, g.Kind)
	if err != nil {
		return nil, err
	}
	m := g.Fallback
	if mv != nil {
		if m, err = scoring.Load([]byte(mv.Definition), "model version "+mv.Version); err != nil {
			return nil, err
		}
	}
	g.model, g.fetched = m, time.Now()
	return m, nil
}

// Invalidate makes the next Current read the graph.
func (g *GraphModels) Invalidate() {
	g.mu.Lock()
	g.model = nil
	g.mu.Unlock()
}

// EnsurePriors stores the built-in priors as a model version like any other
// (once: saving it again changes nothing), so that `model activate` can
// always go back to them. It activates nothing: with no active version,
// scoring uses each process's own fallback (a worker's -model file).
func EnsurePriors(ctx context.Context, store ModelVersionStore, kind string, prior *scoring.Model) error {
	def, err := prior.YAML()
	if err != nil {
		return err
	}
	mv := valuegraph.ModelVersion{Kind: kind, Version: prior.Version, TrainedAt: time.Unix(0, 0).UTC(), Status: valuegraph.ModelCandidate,
		Definition: def, Metrics: map[string]float64{"builtIn": 1}}
	return store.SaveModelVersion(ctx, mv)
}

// MinHeldOut is the fewest held-out labels a version's figures are worth
// anything on: below it, retraining says "too few labels to judge" and
// promotes nothing (a stage accuracy on 3 labels moves by a third with
// one label).
const MinHeldOut = 30

// LabelStore is where reps' labels and the signals behind them are read.
type LabelStore interface {
	Feedbacks(ctx context.Context, customerID string, kinds []valuegraph.FeedbackKind, limit int) ([]valuegraph.Feedback, error)
	ScoringSignals(ctx context.Context, customerID string, since time.Time) ([]valuegraph.Signal, error)
}

// TrainStore is what retraining reads and writes.
type TrainStore interface {
	ModelVersionStore
	LabelStore
}

// Label is a rep's label as a training example.
type Label struct {
	FeedbackID string
	Example    scoring.Example // At is when the rep gave it
}

// FeedbackLabels turns every stage and risk label reps gave (on customers
// whose id starts with prefix) into an example with the features the
// customer had when the label was given, computed by m: wrong_stage gives
// the right stage, no_intent says DORMANT, risk_real and risk_unfounded
// label their risk. Labels on customers that are gone are left out.
func FeedbackLabels(ctx context.Context, store LabelStore, m *scoring.Model, prefix string) ([]Label, error) {
	all, err := store.Feedbacks(ctx, "", valuegraph.LabelKinds, 100_000)
	if err != nil {
		return nil, err
	}
	var out []Label
	for _, fb := range all {
		if !strings.HasPrefix(fb.CustomerID, prefix) {
			continue
		}
		sigs, err := store.ScoringSignals(ctx, fb.CustomerID, fb.CreatedAt.Add(-lookBack))
		if valuegraph.ErrorCode(err) == valuegraph.ENOTFOUND {
			continue // the customer is gone; so is the label
		} else if err != nil {
			return nil, err
		}
		var then []valuegraph.Signal
		for _, s := range sigs {
			if !s.OccurredAt.After(fb.CreatedAt) {
				then = append(then, s)
			}
		}
		ex := scoring.Example{At: fb.CreatedAt, Features: m.Compute(then, fb.CreatedAt), Stage: fb.Stage}
		switch fb.Kind {
		case valuegraph.FeedbackNoIntent:
			ex.Stage = valuegraph.StageDormant
		case valuegraph.FeedbackRiskReal, valuegraph.FeedbackRiskUnfounded:
			real := fb.Kind == valuegraph.FeedbackRiskReal
			if fb.Risk == valuegraph.RiskChurn {
				ex.Churn = &real
			} else {
				ex.Replacement = &real
			}
		}
		out = append(out, Label{FeedbackID: fb.ID, Example: ex})
	}
	return out, nil
}

// Trainer handles TypeRetrain.
type Trainer struct {
	Graph  TrainStore
	Models *GraphModels // its Kind is the kind of versions trained
	// CustomerPrefix, when set, limits the labels to customers whose id
	// starts with it (a sandbox: tests).
	CustomerPrefix string
	MinLabels      int              // new labels needed before a scheduled run trains; default 20
	Now            func() time.Time // nil: time.Now
	Logger         *slog.Logger
}

// RetrainResult says what a run did.
type RetrainResult struct {
	Labels   int     // labels in all
	New      int     // labels since the active version was trained
	Trained  bool    // false: too few new labels
	Version  string  // the version trained
	Promoted bool    // it became the active one
	OldScore float64 // stage accuracy on held-out labels, active version
	NewScore float64 // the same, new version
	HeldOut  int
	// Judged: enough held-out labels (MinHeldOut) for the figures to mean
	// something; a version is promoted only then.
	Judged   bool
	From, To time.Time // when the labels it learnt from were given

	// Log loss of the risks on held-out risk labels (0 without any), active
	// and new version: lower is better.
	OldRiskLoss, NewRiskLoss float64
}

// ProcessTask runs a scheduled retraining.
func (t *Trainer) ProcessTask(ctx context.Context, _ *asynq.Task) error {
	res, err := t.Retrain(ctx, false)
	if err != nil {
		return fmt.Errorf("%s: %w", TypeRetrain, err)
	}
	if t.Logger != nil {
		t.Logger.Info("retraining", "labels", res.Labels, "new", res.New, "trained", res.Trained, "version", res.Version,
			"promoted", res.Promoted, "held_out", res.HeldOut, "old_accuracy", res.OldScore, "new_accuracy", res.NewScore,
			"old_risk_log_loss", res.OldRiskLoss, "new_risk_log_loss", res.NewRiskLoss)
	}
	return nil
}

// Retrain fits a new version on every stage label (wrong_stage gives the
// right stage; no_intent says DORMANT), each with the features the customer
// had when the label was given. One label in five (by id) is held out; the
// new version is promoted when its accuracy there is no worse than the
// active one's. Unless force, it trains only after MinLabels new labels.
func (t *Trainer) Retrain(ctx context.Context, force bool) (RetrainResult, error) {
	var res RetrainResult
	now := time.Now()
	if t.Now != nil {
		now = t.Now()
	}
	current, err := t.Models.Current(ctx)
	if err != nil {
		return res, err
	}
	active, err := t.Graph.ActiveModelVersion(ctx, t.Models.Kind)
	if err != nil {
		return res, err
	}
	labels, err := FeedbackLabels(ctx, t.Graph, current, t.CustomerPrefix)
	if err != nil {
		return res, err
	}
	minLabels := t.MinLabels
	if minLabels <= 0 {
		minLabels = 20
	}
	var train, held []scoring.Example
	for _, l := range labels {
		at := l.Example.At
		res.Labels++
		if res.From.IsZero() || at.Before(res.From) {
			res.From = at
		}
		if at.After(res.To) {
			res.To = at
		}
		if active == nil || at.After(active.TrainedAt) {
			res.New++
		}
		if h := sha256.Sum256([]byte(l.FeedbackID)); h[0]%5 == 0 {
			held = append(held, l.Example)
		} else {
			train = append(train, l.Example)
		}
	}
	if len(train) == 0 || (!force && res.New < minLabels) {
		return res, nil
	}
	res.Trained, res.HeldOut = true, len(held)
	res.Version = fmt.Sprintf("fit-%s-%d", now.UTC().Format("20060102T150405Z"), len(train))
	fitted := current.Fit(train, scoring.FitOptions{Version: res.Version})
	res.OldScore, res.NewScore = accuracy(current, held), accuracy(fitted, held)
	res.OldRiskLoss, res.NewRiskLoss = riskLoss(current, held), riskLoss(fitted, held)
	res.Judged = len(held) >= MinHeldOut
	res.Promoted = res.Judged && res.NewScore >= res.OldScore && res.NewRiskLoss <= res.OldRiskLoss
	lo, hi := scoring.Wilson(res.NewScore, len(held))
	def, err := fitted.YAML()
	if err != nil {
		return res, err
	}
	mv := valuegraph.ModelVersion{Kind: t.Models.Kind, Version: res.Version, TrainedAt: now, TrainingSize: len(train), Status: valuegraph.ModelCandidate,
		Definition: def, Metrics: map[string]float64{"heldOut": float64(len(held)), "accuracy": res.NewScore, "previousAccuracy": res.OldScore,
			"accuracyLow95": lo, "accuracyHigh95": hi, "riskLogLoss": res.NewRiskLoss, "previousRiskLogLoss": res.OldRiskLoss,
			"labels": float64(res.Labels), "labelsFrom": float64(res.From.Unix()), "labelsTo": float64(res.To.Unix())}}
	if err := t.Graph.SaveModelVersion(ctx, mv); err != nil {
		return res, err
	}
	if res.Promoted {
		if err := t.Graph.ActivateModel(ctx, t.Models.Kind, mv.Version); err != nil {
			return res, err
		}
		t.Models.Invalidate()
	}
	return res, nil
}

// accuracy is the share of stage labels m gets right (0 without any).
func accuracy(m *scoring.Model, examples []scoring.Example) float64 {
	right, n := 0, 0
	for _, e := range examples {
		if e.Stage == "" {
			continue
		}
		n++
		if m.Assess("", e.Features, time.Time{}).Stage == e.Stage {
			right++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(right) / float64(n)
}

// riskLoss is the mean log loss of m's risks on the risk labels (0
// without any).
func riskLoss(m *scoring.Model, examples []scoring.Example) float64 {
	sum, n := 0.0, 0
	for _, e := range examples {
		if e.Replacement == nil && e.Churn == nil {
			continue
		}
		r := m.Assess("", e.Features, time.Time{}).Risks
		for _, l := range []struct {
			label *bool
			p     float64
		}{{e.Replacement, r.Replacement}, {e.Churn, r.Churn}} {
			if l.label == nil {
				continue
			}
			p := math.Min(math.Max(l.p, 1e-6), 1-1e-6)
			if *l.label {
				sum -= math.Log(p)
			} else {
				sum -= math.Log(1 - p)
			}
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}
