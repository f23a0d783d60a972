package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
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
// customers' scoring reads, in one round trip, and their assessments, with
// the alerts they raise, written back in another.
type ScoreStore interface {
	// The previous scores are those before the run named (its own
	// snapshot, if a try of it wrote one, left out).
	ScoringInputs(ctx context.Context, ids []string, since time.Time, run string, asOf time.Time) (map[string]*valuegraph.ScoringInput, error)
	WriteAssessments(ctx context.Context, as []valuegraph.Assessment, summaries map[string]valuegraph.SignalSummary, alerts []valuegraph.Alert) (superseded []string, err error)
	// For alerts: the whole previous assessments, reasons included, of
	// the customers that moved, before the run named.
	PreviousAssessments(ctx context.Context, ids []string, run string) (map[string]*valuegraph.Assessment, error)
}

// Scorer handles TypeScoreCustomer and TypeScoreCustomers: one customer is
// a batch of one, on the same path.
type Scorer struct {
	Graph  ScoreStore
	Models Models
	// Alert, when set, receives the alerts a rescoring raises (a stage or
	// tier change, a risk crossing AlertThreshold, default 0.5), after
	// they are stored in the graph with the assessments; they are stored
	// whether it is set or not.
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
	// The task's id names the run: a task run again after a worker died
	// mid-way replaces its own snapshots rather than adding more.
	run, _ := asynq.GetTaskID(ctx)
	as, err := s.scoreBatch(ctx, ids, run)
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
	return s.scoreBatch(ctx, ids, "")
}

// scoreBatch scores for the job run named run ("" for none): the task's id,
// so a task run again after a worker died mid-way leaves one snapshot per
// customer.
func (s *Scorer) scoreBatch(ctx context.Context, ids []string, run string) ([]valuegraph.Assessment, error) {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	return s.scoreAt(ctx, ids, run, now, false)
}

// ScoreAsOf scores customers as they stood at a past time, for their score
// history: only the signals that had happened and the corrections made by
// then count. Each assessment is kept as a snapshot dated at, named by run
// (the same run again replaces it, changing nothing); the customer keeps
// the scores of a later assessment when it has one. It raises no alerts
// and leaves the signal summary alone.
func (s *Scorer) ScoreAsOf(ctx context.Context, ids []string, at time.Time, run string) ([]valuegraph.Assessment, error) {
	if run == "" {
		return nil, valuegraph.Errorf(valuegraph.EINVALID, "score as of %s: a run name is required (it keeps the snapshots from doubling)", at.Format(time.DateOnly))
	}
	return s.scoreAt(ctx, ids, run, at, true)
}

func (s *Scorer) scoreAt(ctx context.Context, ids []string, run string, now time.Time, history bool) ([]valuegraph.Assessment, error) {
	m, err := s.Models.Current(ctx)
	if err != nil {
		return nil, err
	}
	// The previous scores are read only to compare with: for alerts.
	var asOf time.Time // now: today's exclusions
	if history {
		asOf = now
	}
	inputs, err := s.Graph.ScoringInputs(ctx, ids, now.Add(-lookBack), run, asOf)
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
		signals, corrections := in.Signals, in.Corrections
		if history {
			signals = slices.DeleteFunc(slices.Clone(signals), func(x valuegraph.Signal) bool { return x.OccurredAt.After(now) })
			corrections = slices.DeleteFunc(slices.Clone(corrections), func(x valuegraph.Feedback) bool { return x.CreatedAt.After(now) })
		}
		// Reps' corrections after the model: they stand until newer, more
		// trusted evidence contradicts them.
		f := m.Compute(signals, now)
		a := m.Correct(m.Assess(id, f, now), f, corrections, signals)
		a.Run = run
		as = append(as, a)
		summaries[id] = in.Summary
	}
	if history {
		if _, err := s.Graph.WriteAssessments(ctx, as, nil, nil); err != nil {
			return nil, err
		}
		return as, valuegraph.CustomersNotFound(missing)
	}
	// Alerts explain a move by the reasons before and after: the previous
	// assessments are read whole, before they stop being the latest, for
	// the few customers whose scores moved.
	threshold := s.AlertThreshold
	if threshold <= 0 {
		threshold = 0.5
	}
	var previous map[string]*valuegraph.Assessment
	var moved []string
	for _, a := range as {
		if prev := inputs[a.CustomerID].Previous; prev != nil && moves(*prev, a, threshold) {
			moved = append(moved, a.CustomerID)
		}
	}
	if len(moved) > 0 {
		if previous, err = s.Graph.PreviousAssessments(ctx, moved, run); err != nil {
			return nil, err
		}
	}
	var alerts []Alert
	for _, a := range as {
		alerts = append(alerts, Alerts(previous[a.CustomerID], a, threshold)...)
	}
	// Stored with the assessments, in the same write: a run repeated after
	// a crash compares with the scores before it again, raises the same
	// ids, and stores none twice.
	superseded, err := s.Graph.WriteAssessments(ctx, as, summaries, alerts)
	if err != nil {
		return nil, err
	}
	if s.Alert != nil {
		// Not the alerts of an assessment a newer one had overtaken: they
		// were not stored, and the move they report did not happen.
		for _, al := range alerts {
			if slices.Contains(superseded, al.CustomerID) {
				continue
			}
			if err := s.Alert(ctx, al); err != nil {
				return as, err
			}
		}
	}
	return as, valuegraph.CustomersNotFound(missing)
}

// Client enqueues tasks. With an Outbox, a rescoring or retraining the queue
// does not take (Redis down) is kept in the graph, and the worker enqueues
// it once Redis answers (DrainOutbox): a write that stood is never left
// unscored, and the answer can say the rescoring is pending.
type Client struct {
	c      *asynq.Client
	queue  string
	window time.Duration
	outbox Outbox
	now    func() time.Time

	mu        sync.Mutex
	downUntil time.Time // after a failed enqueue, go straight to the outbox until then
}

// enqueueTimeout bounds one enqueue: with Redis gone, go-redis dials again
// and again, and the request waiting on it should not.
const enqueueTimeout = 2 * time.Second

// downFor is how long, after an enqueue failed, a Client with an outbox
// sends work straight to it, so a burst of writes while Redis is down does
// not wait on Redis once per write.
const downFor = 5 * time.Second

// enqueue enqueues one task, or fails at once while Redis was just seen down.
func (c *Client) enqueue(ctx context.Context, task *asynq.Task, opts ...asynq.Option) error {
	if c.outbox != nil {
		c.mu.Lock()
		down := c.now().Before(c.downUntil)
		c.mu.Unlock()
		if down {
			return errors.New("redis did not answer a moment ago")
		}
	}
	ctx, cancel := context.WithTimeout(ctx, enqueueTimeout)
	defer cancel()
	_, err := c.c.EnqueueContext(ctx, task, append(opts, asynq.Queue(c.queue))...)
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		c.mu.Lock()
		c.downUntil = c.now().Add(downFor)
		c.mu.Unlock()
	}
	return err
}

// ClientOptions configure a Client; the zero value is usable.
type ClientOptions struct {
	Queue          string        // default QueueDefault
	CoalesceWindow time.Duration // default DefaultCoalesceWindow
	Outbox         Outbox        // nil: a job the queue does not take is an error
}

// NewClient returns a client enqueueing on the given Asynq client.
func NewClient(c *asynq.Client, opts ClientOptions) *Client {
	if opts.Queue == "" {
		opts.Queue = QueueDefault
	}
	if opts.CoalesceWindow <= 0 {
		opts.CoalesceWindow = DefaultCoalesceWindow
	}
	return &Client{c: c, queue: opts.Queue, window: opts.CoalesceWindow, outbox: opts.Outbox, now: time.Now}
}

// RescoreCustomers asks for the given customers to be rescored. Requests
// already waiting for a customer count as coalesced, not as errors. When
// the queue does not answer, the customers not yet enqueued go to the
// outbox and count as pending; the error is for when neither took them.
func (c *Client) RescoreCustomers(ctx context.Context, ids ...string) (valuegraph.Queued, error) {
	var q valuegraph.Queued
	now := c.now()
	for i, id := range ids {
		task, opts, err := NewScoreCustomerTask(id, now, c.window)
		if err != nil {
			return q, err
		}
		err = c.enqueue(ctx, task, opts...)
		switch {
		case errors.Is(err, asynq.ErrTaskIDConflict):
			q.Coalesced++
		case err != nil:
			err = &valuegraph.Error{Code: valuegraph.EUNAVAILABLE,
				Message: fmt.Sprintf("enqueue %s for %s: %v", TypeScoreCustomer, id, err), Err: err}
			var held []valuegraph.PendingJob
			seen := map[string]bool{}
			for _, id := range ids[i:] {
				if !seen[id] {
					seen[id] = true
					held = append(held, valuegraph.PendingJob{Type: TypeScoreCustomer, Key: id})
				}
			}
			n, err := c.hold(ctx, err, held)
			q.Pending = n
			return q, err
		default:
			q.Enqueued++
		}
	}
	return q, nil
}

// hold keeps jobs the queue refused (with enqueueErr) in the outbox.
func (c *Client) hold(ctx context.Context, enqueueErr error, jobs []valuegraph.PendingJob) (int, error) {
	if c.outbox == nil {
		return 0, enqueueErr
	}
	// The write that asked for the jobs stands, so they are kept even if
	// the request that asked ends meanwhile.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := c.outbox.HoldJobs(ctx, jobs); err != nil {
		return 0, &valuegraph.Error{Code: valuegraph.EUNAVAILABLE,
			Message: fmt.Sprintf("%s; keeping %d jobs in the outbox: %v", valuegraph.ErrorMessage(enqueueErr), len(jobs), err), Err: err}
	}
	return len(jobs), nil
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
func (c *Client) RequestRetrain(ctx context.Context) (valuegraph.Queued, error) {
	task, opts := NewRetrainTask(c.now())
	err := c.enqueue(ctx, task, opts...)
	switch {
	case errors.Is(err, asynq.ErrTaskIDConflict):
		return valuegraph.Queued{Coalesced: 1}, nil
	case err != nil:
		n, err := c.hold(ctx, &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Message: "enqueue " + TypeRetrain + ": " + err.Error(), Err: err},
			[]valuegraph.PendingJob{{Type: TypeRetrain}})
		return valuegraph.Queued{Pending: n}, err
	}
	return valuegraph.Queued{Enqueued: 1}, nil
}

// Alert enqueues the delivery of an alert, once per alert id: a scoring run
// repeated does not post its alerts again while the first delivery is
// kept in the queue.
func (c *Client) Alert(ctx context.Context, a Alert) error {
	task, opts, err := NewDeliverAlertTask(a)
	if err != nil {
		return err
	}
	opts = append(opts, asynq.Queue(c.queue))
	if a.ID != "" {
		opts = append(opts, asynq.TaskID(TypeDeliverAlert+":"+a.ID))
	}
	if _, err := c.c.EnqueueContext(ctx, task, opts...); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Message: "enqueue " + TypeDeliverAlert + ": " + err.Error(), Err: err}
	}
	return nil
}

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
