package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
)

// TypeRefreshCustomer recounts a customer's signals after new ones arrived.
const TypeRefreshCustomer = "customer:refresh"

// RefreshCustomerPayload is the payload of TypeRefreshCustomer.
type RefreshCustomerPayload struct {
	CustomerID string `json:"customerId"`
}

// DefaultCoalesceWindow is how long refresh requests for one customer are
// gathered into one task.
const DefaultCoalesceWindow = 10 * time.Second

// NewRefreshCustomerTask returns the task and the options that coalesce a
// burst: every request for the same customer in the same window gets the same
// TaskID and runs once, at the window's end. A request arriving while that
// task runs falls in the next window and gets a task of its own, so no signal
// is left uncounted.
func NewRefreshCustomerTask(customerID string, now time.Time, window time.Duration) (*asynq.Task, []asynq.Option, error) {
	if customerID == "" {
		return nil, nil, valuegraph.FieldError("customerId", "required")
	}
	if window <= 0 {
		window = DefaultCoalesceWindow
	}
	payload, err := json.Marshal(RefreshCustomerPayload{CustomerID: customerID})
	if err != nil {
		return nil, nil, err
	}
	bucket := now.UnixNano() / int64(window)
	opts := []asynq.Option{
		asynq.TaskID(TypeRefreshCustomer + ":" + customerID + ":" + strconv.FormatInt(bucket, 10)),
		asynq.ProcessAt(time.Unix(0, (bucket+1)*int64(window))),
		asynq.MaxRetry(10),
		asynq.Timeout(time.Minute),
	}
	return asynq.NewTask(TypeRefreshCustomer, payload), opts, nil
}

// SummaryStore is what the refresher needs of the graph.
type SummaryStore interface {
	RefreshCustomerSummary(ctx context.Context, id string) (count int, last time.Time, err error)
}

// Refresher handles TypeRefreshCustomer.
type Refresher struct {
	Graph  SummaryStore
	Logger *slog.Logger
}

// ProcessTask recounts one customer's signals. A bad payload or a customer
// that no longer exists will not get better by retrying: both skip retries.
func (r *Refresher) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p RefreshCustomerPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.CustomerID == "" {
		return fmt.Errorf("%s: bad payload %q: %v: %w", t.Type(), t.Payload(), err, asynq.SkipRetry)
	}
	n, last, err := r.Graph.RefreshCustomerSummary(ctx, p.CustomerID)
	switch code := valuegraph.ErrorCode(err); {
	case err == nil:
	case code == valuegraph.ENOTFOUND || code == valuegraph.EINVALID:
		return fmt.Errorf("%s %s: %w: %w", t.Type(), p.CustomerID, err, asynq.SkipRetry)
	default:
		return fmt.Errorf("%s %s: %w", t.Type(), p.CustomerID, err)
	}
	if r.Logger != nil {
		r.Logger.Debug("customer refreshed", "customer", p.CustomerID, "signals", n, "last", last)
	}
	return nil
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

// RefreshCustomers asks for the given customers to be refreshed. Requests
// already pending for a customer count as coalesced, not as errors.
func (c *Client) RefreshCustomers(ctx context.Context, ids ...string) (enqueued, coalesced int, err error) {
	now := c.now()
	for _, id := range ids {
		task, opts, err := NewRefreshCustomerTask(id, now, c.window)
		if err != nil {
			return enqueued, coalesced, err
		}
		_, err = c.c.EnqueueContext(ctx, task, append(opts, asynq.Queue(c.queue))...)
		switch {
		case errors.Is(err, asynq.ErrTaskIDConflict):
			coalesced++
		case err != nil:
			return enqueued, coalesced, &valuegraph.Error{Code: valuegraph.EUNAVAILABLE,
				Message: fmt.Sprintf("enqueue %s for %s: %v", TypeRefreshCustomer, id, err), Err: err}
		default:
			enqueued++
		}
	}
	return enqueued, coalesced, nil
}
