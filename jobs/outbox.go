package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
)

// Outbox keeps the jobs the queue did not take, in the graph (graph.Store).
type Outbox interface {
	HoldJobs(ctx context.Context, jobs []valuegraph.PendingJob) error
	PendingJobs(ctx context.Context, prefix, after string, limit int) (jobs []valuegraph.PendingJob, last string, err error)
	ReleaseJobs(ctx context.Context, jobs []valuegraph.PendingJob) (int, error)
}

// DefaultDrainInterval is how often the worker looks into the outbox.
const DefaultDrainInterval = 30 * time.Second

// DrainOutbox enqueues the jobs the outbox holds whose key starts with
// prefix ("" for all; tests keep to theirs), and releases each the queue
// took. A job is released only once it is in the queue, and only if it was
// not asked for again meanwhile, so none is lost; one drained twice (two
// workers at once) is coalesced by its task id or rescored twice, which
// changes nothing. It stops at the first job the queue does not take
// (Redis still down) and says how many it enqueued.
func (c *Client) DrainOutbox(ctx context.Context, prefix string) (int, error) {
	if c.outbox == nil {
		return 0, nil
	}
	const page = 500
	done, after := 0, ""
	for {
		pending, last, err := c.outbox.PendingJobs(ctx, prefix, after, page)
		if err != nil || len(pending) == 0 {
			return done, err
		}
		var taken []valuegraph.PendingJob
		var enqueueErr error
		for _, j := range pending {
			if err := c.enqueuePending(ctx, j); err != nil {
				if valuegraph.ErrorCode(err) == valuegraph.EINVALID {
					taken = append(taken, j) // it cannot be run, now or later: said in the error, not kept
					enqueueErr = errors.Join(enqueueErr, err)
					continue
				}
				enqueueErr = errors.Join(enqueueErr, err)
				break
			}
			taken = append(taken, j)
		}
		if _, err := c.outbox.ReleaseJobs(ctx, taken); err != nil {
			return done, err
		}
		done += len(taken)
		if enqueueErr != nil {
			return done, enqueueErr
		}
		if len(pending) < page {
			return done, nil
		}
		after = last
	}
}

func (c *Client) enqueuePending(ctx context.Context, j valuegraph.PendingJob) error {
	var task *asynq.Task
	var opts []asynq.Option
	switch j.Type {
	case TypeScoreCustomer:
		var err error
		if task, opts, err = NewScoreCustomerTask(j.Key, c.now(), c.window); err != nil {
			return err
		}
	case TypeRetrain:
		task, opts = NewRetrainTask(c.now())
	default:
		return valuegraph.Errorf(valuegraph.EINVALID, "outbox: no task type %q (key %q)", j.Type, j.Key)
	}
	ctx, cancel := context.WithTimeout(ctx, enqueueTimeout)
	defer cancel()
	_, err := c.c.EnqueueContext(ctx, task, append(opts, asynq.Queue(c.queue))...)
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Message: fmt.Sprintf("outbox: enqueue %s %s: %v", j.Type, j.Key, err), Err: err}
	}
	return nil
}

// RunOutbox drains the outbox (the jobs under prefix, "" for all) at once
// and then every interval (default DefaultDrainInterval) until ctx ends; the
// worker runs it.
func (c *Client) RunOutbox(ctx context.Context, prefix string, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		every = DefaultDrainInterval
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := c.DrainOutbox(ctx, prefix)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("outbox not drained", "enqueued", n, "err", err)
		case n > 0:
			log.Info("outbox drained", "enqueued", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
