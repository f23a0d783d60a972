package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
)

// TypeScoreCustomer rescores a customer after new signals arrived: it
// recounts its signals, recomputes its stage, risks and tier with their
// reasons, applies reps' standing corrections, and keeps a snapshot.
const TypeScoreCustomer = "customer:score"

// ScoreCustomerPayload is the payload of TypeScoreCustomer.
type ScoreCustomerPayload struct {
	CustomerID string `json:"customerId"`
}

// DefaultCoalesceWindow is how long rescoring requests for one customer are
// gathered into one task.
const DefaultCoalesceWindow = 10 * time.Second

// NewScoreCustomerTask returns the task and the options that coalesce a
// burst: every request for the same customer in the same window gets the same
// TaskID and runs once, at the window's end. A request arriving while that
// task runs falls in the next window and gets a task of its own, so no signal
// is left uncounted.
func NewScoreCustomerTask(customerID string, now time.Time, window time.Duration) (*asynq.Task, []asynq.Option, error) {
	if customerID == "" {
		return nil, nil, valuegraph.FieldError("customerId", "required")
	}
	if window <= 0 {
		window = DefaultCoalesceWindow
	}
	payload, err := json.Marshal(ScoreCustomerPayload{CustomerID: customerID})
	if err != nil {
		return nil, nil, err
	}
	bucket := now.UnixNano() / int64(window)
	opts := []asynq.Option{
		asynq.TaskID(TypeScoreCustomer + ":" + customerID + ":" + strconv.FormatInt(bucket, 10)),
		asynq.ProcessAt(time.Unix(0, (bucket+1)*int64(window))),
		asynq.MaxRetry(10),
		asynq.Timeout(time.Minute),
	}
	return asynq.NewTask(TypeScoreCustomer, payload), opts, nil
}

// TypeScoreCustomers rescores a batch of customers (a page of the nightly
// run) as one: one read and one write for the whole batch.
const TypeScoreCustomers = "customers:score"

// ScoreCustomersPayload is the payload of TypeScoreCustomers.
type ScoreCustomersPayload struct {
	CustomerIDs []string `json:"customerIds"`
}

// NewScoreCustomersTask returns the task that rescores a batch of customers.
func NewScoreCustomersTask(ids []string) (*asynq.Task, []asynq.Option, error) {
	if len(ids) == 0 {
		return nil, nil, valuegraph.FieldError("customerIds", "required")
	}
	payload, err := json.Marshal(ScoreCustomersPayload{CustomerIDs: ids})
	if err != nil {
		return nil, nil, err
	}
	return asynq.NewTask(TypeScoreCustomers, payload), []asynq.Option{asynq.MaxRetry(10), asynq.Timeout(10 * time.Minute)}, nil
}

// ScoreStore is what scoring needs of the graph: everything a batch of
// customers' scoring reads, in one round trip, and their assessments
// written back in another.
type ScoreStore interface {
	ScoringInputs(ctx context.Context, ids []string, since time.Time, previous bool) (map[string]*valuegraph.ScoringInput, error)
	WriteAssessments(ctx context.Context, as []valuegraph.Assessment, summaries map[string]valuegraph.SignalSummary) error
	// For alerts: the whole previous assessments, reasons included, of
	// the customers that moved.
	LatestAssessments(ctx context.Context, ids []string) (map[string]*valuegraph.Assessment, error)
}

// Scorer handles TypeScoreCustomer and TypeScoreCustomers: one customer is
// a batch of one, on the same path.
type Scorer struct {
	Graph  ScoreStore
	Models Models
	// Alert, when set, receives the alerts a rescoring raises (a stage or
	// tier change, a risk crossing AlertThreshold, default 0.5).
	Alert          func(ctx context.Context, a Alert) error
	AlertThreshold float64
	Now            func() time.Time // nil: time.Now
	Logger         *slog.Logger
}

// lookBack is how far back scoring reads signals: decay makes older ones
// weigh next to nothing, and trends look back a year.
const lookBack = 2 * 365 * 24 * time.Hour

// ProcessTask rescores one customer (TypeScoreCustomer) or a batch
// (TypeScoreCustomers). A bad payload or a customer that no longer exists
// will not get better by retrying: both skip retries; a batch scores the
// customers that exist and logs the others.
func (s *Scorer) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var ids []string
	if t.Type() == TypeScoreCustomers {
		var p ScoreCustomersPayload
		if err := json.Unmarshal(t.Payload(), &p); err != nil || len(p.CustomerIDs) == 0 || slices.Contains(p.CustomerIDs, "") {
			return fmt.Errorf("%s: bad payload %.200q: %v: %w", t.Type(), t.Payload(), err, asynq.SkipRetry)
		}
		ids = p.CustomerIDs
	} else {
		var p ScoreCustomerPayload
		if err := json.Unmarshal(t.Payload(), &p); err != nil || p.CustomerID == "" {
			return fmt.Errorf("%s: bad payload %q: %v: %w", t.Type(), t.Payload(), err, asynq.SkipRetry)
		}
		ids = []string{p.CustomerID}
	}
	as, err := s.ScoreBatch(ctx, ids)
	switch code := valuegraph.ErrorCode(err); {
	case err == nil:
	case code == valuegraph.ENOTFOUND && len(ids) > 1:
		// Deleted since the page was listed: the rest of the page is scored.
		if s.Logger != nil {
			s.Logger.Warn("customers gone before scoring", "err", err)
		}
	case code == valuegraph.ENOTFOUND || code == valuegraph.EINVALID:
		return fmt.Errorf("%s %s: %w: %w", t.Type(), ids[0], err, asynq.SkipRetry)
	default:
		return fmt.Errorf("%s %s: %w", t.Type(), ids[0], err)
	}
	if s.Logger != nil {
		for _, a := range as {
			s.Logger.Debug("customer scored", "customer", a.CustomerID, "stage", a.Stage, "tier", a.Tier,
				"replacement", a.Risks.Replacement, "churn", a.Risks.Churn)
		}
	}
	return nil
}

// Score recounts, rescores and stores one customer now: a batch of one.
func (s *Scorer) Score(ctx context.Context, customerID string) (valuegraph.Assessment, error) {
	as, err := s.ScoreBatch(ctx, []string{customerID})
	if len(as) == 0 {
		return valuegraph.Assessment{}, err
	}
	return as[0], err
}

// ScoreBatch recounts, rescores and stores a batch of customers now, in two
// round trips whatever its size: one read of everything scoring needs, one
// write of every assessment with its snapshot and the recounted summary.
// It returns the assessments in the order asked; customers that do not
// exist are left out and named in an ENOTFOUND error, the others scored
// all the same.
func (s *Scorer) ScoreBatch(ctx context.Context, ids []string) ([]valuegraph.Assessment, error) {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	m, err := s.Models.Current(ctx)
	if err != nil {
		return nil, err
	}
	// The previous scores are read only to compare with: for alerts.
	inputs, err := s.Graph.ScoringInputs(ctx, ids, now.Add(-lookBack), s.Alert != nil)
	if err != nil {
		return nil, err
	}
	as := make([]valuegraph.Assessment, 0, len(ids))
	summaries := make(map[string]valuegraph.SignalSummary, len(inputs))
	var missing []string
	for _, id := range ids {
		in, ok := inputs[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		if _, done := summaries[id]; done {
			continue // asked twice: one snapshot
		}
		// Reps' corrections after the model: they stand until newer, more
		// trusted evidence contradicts them.
		f := m.Compute(in.Signals, now)
		as = append(as, m.Correct(m.Assess(id, f, now), f, in.Corrections, in.Signals))
		summaries[id] = in.Summary
	}
	// Alerts explain a move by the reasons before and after: the previous
	// assessments are read whole, before they stop being the latest, for
	// the few customers whose scores moved.
	threshold := s.AlertThreshold
	if threshold <= 0 {
		threshold = 0.5
	}
	var previous map[string]*valuegraph.Assessment
	if s.Alert != nil {
		var moved []string
		for _, a := range as {
			if prev := inputs[a.CustomerID].Previous; prev != nil && moves(*prev, a, threshold) {
				moved = append(moved, a.CustomerID)
			}
		}
		if len(moved) > 0 {
			if previous, err = s.Graph.LatestAssessments(ctx, moved); err != nil {
				return nil, err
			}
		}
	}
	if err := s.Graph.WriteAssessments(ctx, as, summaries); err != nil {
		return nil, err
	}
	for _, a := range as {
		for _, al := range Alerts(previous[a.CustomerID], a, threshold) {
			if err := s.Alert(ctx, al); err != nil {
				return as, err
			}
		}
	}
	switch {
	case len(missing) == 1:
		return as, valuegraph.Errorf(valuegraph.ENOTFOUND, "customer %q not found", missing[0])
	case len(missing) > 1:
		return as, valuegraph.Errorf(valuegraph.ENOTFOUND, "%d customers not found: %q", len(missing), missing)
	}
	return as, nil
}

// Client enqueues tasks.
type Client struct {
	c      *asynq.Client
	queue  string
	window time.Duration
	now    func() time.Time
}

// ClientOptions configure a Client; the zero value is usable.
type ClientOptions struct {
	Queue          string        // default QueueDefault
	CoalesceWindow time.Duration // default DefaultCoalesceWindow
}

// NewClient returns a client enqueueing on the given Asynq client.
func NewClient(c *asynq.Client, opts ClientOptions) *Client {
	if opts.Queue == "" {
		opts.Queue = QueueDefault
	}
	if opts.CoalesceWindow <= 0 {
		opts.CoalesceWindow = DefaultCoalesceWindow
	}
	return &Client{c: c, queue: opts.Queue, window: opts.CoalesceWindow, now: time.Now}
}

// RescoreCustomers asks for the given customers to be rescored. Requests
// already pending for a customer count as coalesced, not as errors.
func (c *Client) RescoreCustomers(ctx context.Context, ids ...string) (enqueued, coalesced int, err error) {
	now := c.now()
	for _, id := range ids {
		task, opts, err := NewScoreCustomerTask(id, now, c.window)
		if err != nil {
			return enqueued, coalesced, err
		}
		_, err = c.c.EnqueueContext(ctx, task, append(opts, asynq.Queue(c.queue))...)
		switch {
		case errors.Is(err, asynq.ErrTaskIDConflict):
			coalesced++
		case err != nil:
			return enqueued, coalesced, &valuegraph.Error{Code: valuegraph.EUNAVAILABLE,
				Message: fmt.Sprintf("enqueue %s for %s: %v", TypeScoreCustomer, id, err), Err: err}
		default:
			enqueued++
		}
	}
	return enqueued, coalesced, nil
}

// ScoreCustomers asks for a batch of customers to be rescored as one task.
func (c *Client) ScoreCustomers(ctx context.Context, ids []string) error {
	task, opts, err := NewScoreCustomersTask(ids)
	if err != nil {
		return err
	}
	if _, err := c.c.EnqueueContext(ctx, task, append(opts, asynq.Queue(c.queue))...); err != nil {
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE,
			Message: fmt.Sprintf("enqueue %s for %d customers: %v", TypeScoreCustomers, len(ids), err), Err: err}
	}
	return nil
}

// RequestRetrain asks for a retraining run; requests within the same hour
// are one run.
func (c *Client) RequestRetrain(ctx context.Context) error {
	task, opts := NewRetrainTask(c.now())
	_, err := c.c.EnqueueContext(ctx, task, append(opts, asynq.Queue(c.queue))...)
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Message: "enqueue " + TypeRetrain + ": " + err.Error(), Err: err}
	}
	return nil
}

// Alert enqueues the delivery of an alert.
func (c *Client) Alert(ctx context.Context, a Alert) error { return c.deliver(ctx, a) }

// deliver enqueues the delivery of a payload (an alert, a report) to the
// alert webhook.
func (c *Client) deliver(ctx context.Context, payload any) error {
	task, opts, err := NewDeliverTask(payload)
	if err != nil {
		return err
	}
	if _, err := c.c.EnqueueContext(ctx, task, append(opts, asynq.Queue(c.queue))...); err != nil {
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Message: "enqueue " + TypeDeliverAlert + ": " + err.Error(), Err: err}
	}
	return nil
}
