package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/crawlers"
	"github.com/valuegraph/valuegraph/ingest"
)

// TypeRescoreAll asks for every customer to be rescored (nightly): a
// TypeScoreCustomers task per page of customers, so that any worker scores
// a page in two round trips.
const TypeRescoreAll = "customers:rescore-all"

// TypeCrawl runs one configured source once.
const TypeCrawl = "crawl:source"

// CrawlPayload is the payload of TypeCrawl.
type CrawlPayload struct {
	Source string `json:"source"`
}

// NewCrawlTask returns the task that crawls a source. Its id is the
// source's, so two runs of one source never wait or run at once.
func NewCrawlTask(source string) (*asynq.Task, []asynq.Option) {
	payload, _ := json.Marshal(CrawlPayload{Source: source})
	return asynq.NewTask(TypeCrawl, payload), []asynq.Option{asynq.TaskID(TypeCrawl + ":" + source), asynq.MaxRetry(2), asynq.Timeout(2 * time.Hour)}
}

// IDLister pages through customer ids.
type IDLister interface {
	CustomerIDs(ctx context.Context, after string, limit int) ([]string, error)
}

// RescoreAll handles TypeRescoreAll.
type RescoreAll struct {
	Graph  IDLister
	Client *Client
	Batch  int // customers per page, and per score task; default 1000
	Logger *slog.Logger
}

// ProcessTask enqueues a score task per page of customers.
func (h *RescoreAll) ProcessTask(ctx context.Context, _ *asynq.Task) error {
	batch := h.Batch
	if batch <= 0 {
		batch = 1000
	}
	after, total, enqueued := "", 0, 0
	for {
		ids, err := h.Graph.CustomerIDs(ctx, after, batch)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		if err := h.Client.ScoreCustomers(ctx, ids); err != nil {
			return err
		}
		total, enqueued, after = total+len(ids), enqueued+1, ids[len(ids)-1]
	}
	if h.Logger != nil {
		h.Logger.Info("nightly rescoring enqueued", "customers", total, "tasks", enqueued)
	}
	return nil
}

// CrawlStore is what a crawl reads and writes (graph.Store): the crawl's
// own state, and what ingesting its finds resolves and writes.
type CrawlStore interface {
	crawlers.StateStore
	ingest.Target
}

// Crawls handles TypeCrawl for the configured sources.
type Crawls struct {
	Sources []crawlers.Source
	Graph   CrawlStore
	Logger  *slog.Logger
	Rescore ingest.Enqueuer
}

// ProcessTask crawls one source and ingests what it finds.
func (h *Crawls) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p CrawlPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("%s: bad payload: %v: %w", TypeCrawl, err, asynq.SkipRetry)
	}
	for _, src := range h.Sources {
		if src.Name != p.Source {
			continue
		}
		w := &ingest.Writer{Graph: h.Graph, Matcher: ingest.NewMatcher(h.Graph, ingest.MatchOptions{}), Jobs: h.Rescore, Logger: h.Logger}
		c := &crawlers.Crawler{State: h.Graph, Logger: h.Logger}
		rep, sum, err := c.Ingest(ctx, src, w, nil)
		if err != nil {
			return fmt.Errorf("crawl %s: %w", src.Name, err)
		}
		if h.Logger != nil {
			h.Logger.Info("crawl done", "source", src.Name, "pages", rep.Pages, "not_modified", rep.NotModified, "records", rep.Records, "rejected", rep.Rejected,
				"created", sum.Created, "merged", sum.Merged, "incomplete", sum.Incomplete, "errors", len(rep.Errors), "flagged", rep.Flagged)
		}
		return nil
	}
	return fmt.Errorf("%s: no source %q in the configuration: %w", TypeCrawl, p.Source, asynq.SkipRetry)
}

// Schedule registers the periodic tasks: nightly rescoring of every
// customer at 02:00, the drift report at 06:00, and each source at its
// schedule. Several workers may
// run schedulers: the tasks' ids keep each run single.
func Schedule(s *asynq.Scheduler, sources []crawlers.Source) error {
	if _, err := s.Register("0 2 * * *", asynq.NewTask(TypeRescoreAll, nil), asynq.Unique(20*time.Hour), asynq.MaxRetry(3)); err != nil {
		return fmt.Errorf("schedule %s: %w", TypeRescoreAll, err)
	}
	// The day's drift, once the night's rescoring has run.
	if _, err := s.Register("0 6 * * *", asynq.NewTask(TypeDriftReport, nil), asynq.Unique(20*time.Hour), asynq.MaxRetry(3)); err != nil {
		return fmt.Errorf("schedule %s: %w", TypeDriftReport, err)
	}
	for _, src := range sources {
		if src.Schedule == "" {
			continue
		}
		task, opts := NewCrawlTask(src.Name)
		if _, err := s.Register(src.Schedule, task, opts...); err != nil {
			return fmt.Errorf("source %s: schedule %q: %w", src.Name, src.Schedule, err)
		}
	}
	return nil
}

// RescoreAll asks the worker to rescore every customer now (after a model
// is activated or rolled back), as the nightly run does.
func (c *Client) RescoreAll(ctx context.Context) error {
	_, err := c.c.EnqueueContext(ctx, asynq.NewTask(TypeRescoreAll, nil), asynq.Queue(c.queue), asynq.MaxRetry(3))
	if err != nil {
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Message: "enqueue " + TypeRescoreAll + ": " + err.Error(), Err: err}
	}
	return nil
}

// Crawl asks the worker to crawl a source now; a run already queued or
// under way counts as asked.
func (c *Client) Crawl(ctx context.Context, source string) error {
	task, opts := NewCrawlTask(source)
	_, err := c.c.EnqueueContext(ctx, task, append(opts, asynq.Queue(c.queue))...)
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Message: "enqueue " + TypeCrawl + ": " + err.Error(), Err: err}
	}
	return nil
}
