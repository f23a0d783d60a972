package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
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

// ScoreStore is what scoring needs of the graph.
type ScoreStore interface {
	RefreshCustomerSummary(ctx context.Context, id string) (count int, last time.Time, err error)
	LatestAssessment(ctx context.Context, customerID string) (*valuegraph.Assessment, error)
	ScoringSignals(ctx context.Context, customerID string, since time.Time) ([]valuegraph.Signal, error)
	WriteAssessment(ctx context.Context, a valuegraph.Assessment) error
	Corrections(ctx context.Context, customerID string) ([]valuegraph.Feedback, error)
}

// Scorer handles TypeScoreCustomer.
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

// ProcessTask rescores one customer. A bad payload or a customer that no
// longer exists will not get better by retrying: both skip retries.
func (s *Scorer) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p ScoreCustomerPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.CustomerID == "" {
		return fmt.Errorf("%s: bad payload %q: %v: %w", t.Type(), t.Payload(), err, asynq.SkipRetry)
	}
	run, _ := asynq.GetTaskID(ctx)
	a, err := s.score(ctx, p.CustomerID, run)
	switch code := valuegraph.ErrorCode(err); {
	case err == nil:
	case code == valuegraph.ENOTFOUND || code == valuegraph.EINVALID:
		return fmt.Errorf("%s %s: %w: %w", t.Type(), p.CustomerID, err, asynq.SkipRetry)
	default:
		return fmt.Errorf("%s %s: %w", t.Type(), p.CustomerID, err)
	}
	if s.Logger != nil {
		s.Logger.Debug("customer scored", "customer", p.CustomerID, "stage", a.Stage, "tier", a.Tier,
			"replacement", a.Risks.Replacement, "churn", a.Risks.Churn)
	}
	return nil
}

// Score recounts, rescores and stores one customer now.
func (s *Scorer) Score(ctx context.Context, customerID string) (valuegraph.Assessment, error) {
	return s.score(ctx, customerID, "")
}

// score scores for the job run named run ("" for none): the task's id, so
// a task run again after a worker died mid-way leaves one snapshot.
func (s *Scorer) score(ctx context.Context, customerID, run string) (valuegraph.Assessment, error) {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	if _, _, err := s.Graph.RefreshCustomerSummary(ctx, customerID); err != nil {
		return valuegraph.Assessment{}, err
	}
	signals, err := s.Graph.ScoringSignals(ctx, customerID, now.Add(-lookBack))
	if err != nil {
		return valuegraph.Assessment{}, err
	}
	m, err := s.Models.Current(ctx)
	if err != nil {
		return valuegraph.Assessment{}, err
	}
	prev, err := s.Graph.LatestAssessment(ctx, customerID)
	if err != nil {
		return valuegraph.Assessment{}, err
	}
	corrections, err := s.Graph.Corrections(ctx, customerID)
	if err != nil {
		return valuegraph.Assessment{}, err
	}
	// Reps' corrections after the model: they stand until newer, more
	// trusted evidence contradicts them.
	f := m.Compute(signals, now)
	a := m.Correct(m.Assess(customerID, f, now), f, corrections, signals)
	a.Run = run
	if err := s.Graph.WriteAssessment(ctx, a); err != nil {
		return a, err
	}
	if s.Alert != nil {
		threshold := s.AlertThreshold
		if threshold <= 0 {
			threshold = 0.5
		}
		for _, al := range Alerts(prev, a, threshold) {
			if err := s.Alert(ctx, al); err != nil {
				return a, err
			}
		}
	}
	return a, nil
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
