package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/valuegraph/valuegraph/graph"
	"github.com/valuegraph/valuegraph/ingest"
	"github.com/valuegraph/valuegraph/jobs"
)

// Config is what every subcommand may need. Each field has a flag and an
// environment variable; the flag wins. The Neo4j password has no flag, so it
// never shows in a process list.
type Config struct {
	Neo4jURI      string
	Neo4jUser     string
	Neo4jPassword string
	Neo4jDatabase string
	RedisURL      string
	LogLevel      string
	LogFormat     string
	ConnTimeout   time.Duration
}

// bind registers the shared flags on fs with defaults from the environment.
func (c *Config) bind(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.Neo4jURI, "neo4j-uri", env(getenv, "NEO4J_URI", "bolt://127.0.0.1:7687"), "Neo4j URI: bolt:// for one server, neo4j:// for a cluster (NEO4J_URI)")
	fs.StringVar(&c.Neo4jUser, "neo4j-user", env(getenv, "NEO4J_USER", "neo4j"), "Neo4j user (NEO4J_USER)")
	fs.StringVar(&c.Neo4jDatabase, "neo4j-database", env(getenv, "NEO4J_DATABASE", "neo4j"), "Neo4j database (NEO4J_DATABASE)")
	fs.StringVar(&c.RedisURL, "redis-url", env(getenv, "REDIS_URL", "redis://127.0.0.1:6379/0"), "Redis for jobs: redis://, rediss://, redis-sentinel:// or redis-cluster:// (REDIS_URL)")
	fs.StringVar(&c.LogLevel, "log-level", env(getenv, "LOG_LEVEL", "info"), "debug, info, warn or error (LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env(getenv, "LOG_FORMAT", "text"), "text or json (LOG_FORMAT)")
	fs.DurationVar(&c.ConnTimeout, "connect-timeout", 10*time.Second, "how long to wait for Neo4j and Redis at start")
	c.Neo4jPassword = getenv("NEO4J_PASSWORD")
}

func env(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

// parse parses a subcommand's flags; errors and -h go to stderr.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	return fs.Parse(args)
}

// logger builds the process logger from the configuration.
func (c *Config) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(c.LogFormat) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("LOG_FORMAT: %q is not text or json", c.LogFormat)
}

// openGraph connects to Neo4j; its errors already name the setting at fault.
func (c *Config) openGraph(ctx context.Context, log *slog.Logger) (*graph.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, c.ConnTimeout)
	defer cancel()
	return graph.Open(ctx, graph.Config{
		URI: c.Neo4jURI, User: c.Neo4jUser, Password: c.Neo4jPassword, Database: c.Neo4jDatabase,
		Logger: log.With("component", "graph"),
	})
}

func (c *Config) openRedis(ctx context.Context) (redis.UniversalClient, error) {
	ctx, cancel := context.WithTimeout(ctx, c.ConnTimeout)
	defer cancel()
	return jobs.OpenRedis(ctx, c.RedisURL)
}

// rescoreFrom has w hand the customers it touches to the jobs for
// rescoring, through Redis (what Redis does not take waits in outbox),
// unless enqueue is off; the caller calls the returned done when finished.
func (c *Config) rescoreFrom(ctx context.Context, w *ingest.Writer, outbox jobs.Outbox, enqueue bool) (done func(), err error) {
	if !enqueue {
		return func() {}, nil
	}
	rc, err := c.openRedis(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w (or pass -enqueue=false)", err)
	}
	// Redis failing mid-run keeps the rescoring in the graph's outbox.
	w.Jobs = jobs.NewClient(asynq.NewClientFromRedisClient(rc), jobs.ClientOptions{Outbox: outbox})
	return func() { rc.Close() }, nil
}

// connect builds the logger and opens the graph, as nearly every subcommand
// does first; the caller closes the store.
func (c *Config) connect(ctx context.Context, stderr io.Writer) (*slog.Logger, *graph.Store, error) {
	log, err := c.logger(stderr)
	if err != nil {
		return nil, nil, err
	}
	store, err := c.openGraph(ctx, log)
	if err != nil {
		return nil, nil, err
	}
	return log, store, nil
}

// services opens what the long-running commands need: the graph (migrated
// when migrate is set) and Redis. On error nothing is left open.
func (c *Config) services(ctx context.Context, stderr io.Writer, migrate bool) (*slog.Logger, *graph.Store, redis.UniversalClient, error) {
	log, store, err := c.connect(ctx, stderr)
	if err != nil {
		return nil, nil, nil, err
	}
	rc, err := c.openRedis(ctx)
	if err != nil {
		store.Close(context.Background())
		return nil, nil, nil, err
	}
	if migrate {
		if _, err := store.Migrate(ctx); err != nil {
			rc.Close()
			store.Close(context.Background())
			return nil, nil, nil, err
		}
	}
	return log, store, rc, nil
}
