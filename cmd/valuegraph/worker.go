package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/jobs"
	"github.com/valuegraph/valuegraph/scoring"
)

func runWorker(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cfg Config
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	cfg.bind(fs, getenv)
	concurrency := fs.Int("concurrency", 0, "tasks run at once (default: 2 per CPU)")
	migrate := fs.Bool("migrate", true, "apply pending schema migrations at start")
	modelFile := fs.String("model", "", "scoring model YAML used until a trained version is active (default: the built-in priors)")
	minLabels := fs.Int("retrain-after", 20, "new feedback labels before a retraining run trains a new model version")
	sourcesFile := fs.String("sources", getenv("VALUEGRAPH_SOURCES"), "YAML file of sources to crawl on their schedules (VALUEGRAPH_SOURCES; none: no crawling)")
	schedule := fs.Bool("schedule", true, "run the scheduler: nightly rescoring at 02:00 and the sources' crawls")
	namespace := fs.String("namespace", "", "drain only the outbox's jobs about ids under this prefix (tests and sandboxes; default: all)")
	drainEvery := fs.Duration("outbox-every", jobs.DefaultDrainInterval, "how often to enqueue the work the graph's outbox kept while Redis was down (also at start)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if *concurrency < 0 {
		return fmt.Errorf("-concurrency: must be 0 (default) or more, got %d", *concurrency)
	}
	log, store, rc, err := cfg.services(ctx, stderr, *migrate)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	defer rc.Close()

	var sources []crawlers.Source
	if *sourcesFile != "" {
		if sources, err = crawlers.LoadSourcesFile(*sourcesFile); err != nil {
			return err
		}
	}
	model, err := scoring.Load(nil, "")
	if *modelFile != "" {
		model, err = scoring.LoadFile(*modelFile)
	}
	if err != nil {
		return err
	}
	// The active trained version in the graph wins; the priors (or -model) stand in until one exists.
	models := &jobs.GraphModels{Store: store, Fallback: model}
	client := jobs.NewClient(asynq.NewClientFromRedisClient(rc), jobs.ClientOptions{Outbox: store})
	scorer := &jobs.Scorer{Graph: store, Models: models, Logger: log.With("task", jobs.TypeScoreCustomer)}
	alertURL := getenv("VALUEGRAPH_ALERT_WEBHOOK")
	if alertURL != "" {
		scorer.Alert = client.Alert
	}
	srv, mux := jobs.NewServer(rc, jobs.Handlers{
		Scorer:     scorer,
		Deliverer:  &jobs.Deliverer{URL: alertURL},
		Trainer:    &jobs.Trainer{Graph: store, Models: models, MinLabels: *minLabels, Logger: log.With("task", jobs.TypeRetrain)},
		RescoreAll: &jobs.RescoreAll{Graph: store, Client: client, Logger: log.With("task", jobs.TypeRescoreAll)},
		Crawls:     &jobs.Crawls{Sources: sources, Graph: store, Rescore: client, Logger: log.With("task", jobs.TypeCrawl)},
		Drift:      &jobs.DriftReporter{Graph: store, Client: client, Logger: log.With("task", jobs.TypeDriftReport)},
	}, jobs.ServerOptions{Concurrency: *concurrency, Logger: log})
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	if *schedule {
		opt, err := jobs.ParseRedisURL(cfg.RedisURL)
		if err != nil {
			return fmt.Errorf("REDIS_URL: %w", err)
		}
		sched := asynq.NewScheduler(opt, &asynq.SchedulerOpts{LogLevel: asynq.WarnLevel})
		if err := jobs.Schedule(sched, sources); err != nil {
			return err
		}
		if err := sched.Start(); err != nil {
			return fmt.Errorf("start scheduler: %w", err)
		}
		defer sched.Shutdown()
	}
	drainCtx, stopDrain := context.WithCancel(ctx)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		client.RunOutbox(drainCtx, *namespace, *drainEvery, log.With("component", "outbox"))
	}()
	defer func() { stopDrain(); <-drained }()
	log.Info("worker running", "redis", cfg.RedisURL, "neo4j", cfg.Neo4jURI, "fallback_model", model.Version, "version", version)
	fmt.Fprintln(stdout, "valuegraph: worker running; Ctrl-C stops it after running tasks finish")
	<-ctx.Done()
	log.Info("worker shutting down")
	srv.Shutdown() // waits for running tasks up to the shutdown timeout
	return nil
}
