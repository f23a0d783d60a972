package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// ServerOptions configure the worker's Asynq server; the zero value is usable.
type ServerOptions struct {
	Concurrency     int            // default 2×CPU, Asynq's default
	Queues          map[string]int // queue → priority; default {default: 1}
	ShutdownTimeout time.Duration  // how long running tasks get to finish; default 30s
	Logger          *slog.Logger
}

// Handlers are the task handlers the worker serves.
type Handlers struct {
	Scorer     *Scorer
	Trainer    *Trainer
	Deliverer  *Deliverer
	RescoreAll *RescoreAll
	Crawls     *Crawls
	Drift      *DriftReporter
}

// NewServer returns an Asynq server and the mux routing each task type to its
// handler, with a middleware that logs failures with the task's type and id.
func NewServer(rc redis.UniversalClient, h Handlers, opts ServerOptions) (*asynq.Server, *asynq.ServeMux) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if len(opts.Queues) == 0 {
		opts.Queues = map[string]int{QueueDefault: 1}
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 30 * time.Second
	}
	log := opts.Logger
	srv := asynq.NewServerFromRedisClient(rc, asynq.Config{
		Concurrency:     opts.Concurrency,
		Queues:          opts.Queues,
		ShutdownTimeout: opts.ShutdownTimeout,
		Logger:          slogAdapter{log.With("component", "asynq")},
		LogLevel:        asynq.WarnLevel,
	})
	mux := asynq.NewServeMux()
	mux.Use(func(next asynq.Handler) asynq.Handler {
		return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
			start := time.Now()
			err := next.ProcessTask(ctx, t)
			id, _ := asynq.GetTaskID(ctx)
			if err != nil {
				log.Error("task failed", "task", t.Type(), "id", id, "took", time.Since(start), "err", err)
			} else {
				log.Debug("task done", "task", t.Type(), "id", id, "took", time.Since(start))
			}
			return err
		})
	})
	if h.Scorer != nil {
		mux.Handle(TypeScoreCustomer, h.Scorer)
		mux.Handle(TypeScoreCustomers, h.Scorer)
	}
	if h.Trainer != nil {
		mux.Handle(TypeRetrain, h.Trainer)
	}
	if h.Deliverer != nil {
		mux.Handle(TypeDeliverAlert, h.Deliverer)
	}
	if h.RescoreAll != nil {
		mux.Handle(TypeRescoreAll, h.RescoreAll)
	}
	if h.Crawls != nil {
		mux.Handle(TypeCrawl, h.Crawls)
	}
	if h.Drift != nil {
		mux.Handle(TypeDriftReport, h.Drift)
	}
	return srv, mux
}
