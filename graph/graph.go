// Package graph owns every access to Neo4j: the connection, the schema
// migrations, the batched writes and the reads. Every line of Cypher in
// ValueGraph lives here, parameterised, next to the method that runs it; the
// package speaks domain types, never records.
package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/valuegraph/valuegraph"
)

// Config says where Neo4j is and how to log in. Its fields come from
// NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE.
type Config struct {
	URI      string // bolt://host:7687 for one server, neo4j://host:7687 for a cluster
	User     string
	Password string
	Database string // default "neo4j"

	BatchSize int           // rows per UNWIND batch and transaction; default 5000
	Writers   int           // batches of signals written at once; default 2
	Timeout   time.Duration // connect and acquisition timeout; default 5s
	RetryTime time.Duration // how long transient failures are retried; default 10s
	Logger    *slog.Logger  // nil discards
}

// Store is the graph. One per process: it holds the driver's connection pool.
type Store struct {
	driver  *countingDriver
	uri     string
	db      string
	batch   int
	writers int
	log     *slog.Logger
	tokens  tokenCache
	retry   time.Duration // how long query retries transient failures
}

// Open connects to Neo4j and checks that it answers, that the credentials are
// accepted and that the database exists. A failure names the setting to fix.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, Field: "NEO4J_URI", Message: "not set"}
	}
	u, err := url.Parse(cfg.URI)
	if err != nil || u.Host == "" {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, Field: "NEO4J_URI", Message: fmt.Sprintf("%q is not a URI like bolt://127.0.0.1:7687", cfg.URI)}
	}
	if cfg.User == "" {
		cfg.User = "neo4j"
	}
	if cfg.Password == "" {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, Field: "NEO4J_PASSWORD", Message: "not set"}
	}
	if cfg.Database == "" {
		cfg.Database = "neo4j"
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 5000
	}
	if cfg.Writers <= 0 {
		cfg.Writers = 2
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.RetryTime <= 0 {
		cfg.RetryTime = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""), func(c *config.Config) {
		c.SocketConnectTimeout = cfg.Timeout
		c.ConnectionAcquisitionTimeout = cfg.Timeout
		c.MaxTransactionRetryTime = cfg.RetryTime
		c.UserAgent = "valuegraph"
	})
	if err != nil {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, Field: "NEO4J_URI", Message: err.Error(), Err: err}
	}
	s := &Store{driver: &countingDriver{DriverWithContext: driver}, uri: redact(u), db: cfg.Database, batch: cfg.BatchSize, writers: cfg.Writers, log: cfg.Logger, retry: cfg.RetryTime}
	if err := s.check(ctx, cfg.User); err != nil {
		_ = driver.Close(ctx)
		return nil, err
	}
	return s, nil
}

// check runs a trivial query on the configured database and turns each way it
// can fail into an error naming the setting at fault.
func (s *Store) check(ctx context.Context, user string) error {
	err := s.probe(ctx)
	if err == nil {
		return nil
	}
	var n4j *neo4j.Neo4jError
	switch {
	case errors.As(err, &n4j) && strings.HasPrefix(n4j.Code, "Neo.ClientError.Security."):
		return &valuegraph.Error{Code: valuegraph.EUNAUTHORIZED, Field: "NEO4J_USER/NEO4J_PASSWORD",
			Message: fmt.Sprintf("Neo4j at %s rejected the credentials of user %q (%s)", s.uri, user, n4j.Code), Err: err}
	case errors.As(err, &n4j) && n4j.Code == "Neo.ClientError.Database.DatabaseNotFound":
		return &valuegraph.Error{Code: valuegraph.EINVALID, Field: "NEO4J_DATABASE",
			Message: fmt.Sprintf("Neo4j at %s has no database %q", s.uri, s.db), Err: err}
	case neo4j.IsConnectivityError(err) || errors.Is(err, context.DeadlineExceeded):
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Field: "NEO4J_URI",
			Message: fmt.Sprintf("cannot reach Neo4j at %s: %s", s.uri, rootCause(err)), Err: err}
	}
	return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Field: "NEO4J_URI",
		Message: fmt.Sprintf("Neo4j at %s: %v", s.uri, err), Err: err}
}

// Ping reports whether Neo4j answers now; readiness probes call it. The driver
// reconnects by itself, so a Neo4j that comes back is seen at the next Ping.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.probe(ctx); err != nil {
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE,
			Message: fmt.Sprintf("neo4j at %s: %s", s.uri, rootCause(err)), Err: err}
	}
	return nil
}

// probe runs RETURN 1 once on the database, without the retries of managed
// transactions: a down Neo4j must be reported now, not in 30 seconds.
func (s *Store) probe(ctx context.Context) error {
	session := s.session(ctx, neo4j.AccessModeRead)
	defer session.Close(ctx)
	res, err := session.Run(ctx, "RETURN 1", nil)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// countingDriver counts the sessions the store opens. A read through query
// is one session and one round trip (run and pull go together), so tests
// count the round trips a request costs with it.
type countingDriver struct {
	neo4j.DriverWithContext
	sessions atomic.Int64
}

func (d *countingDriver) NewSession(ctx context.Context, cfg neo4j.SessionConfig) neo4j.SessionWithContext {
	d.sessions.Add(1)
	session := d.DriverWithContext.NewSession(ctx, cfg)
	if t, ok := ctx.Value(dbTimeKey{}).(*DBTime); ok {
		return &timedSession{SessionWithContext: session, start: time.Now(), t: t}
	}
	return session
}

// RoundTrips is how many sessions the store has opened so far: for reads,
// the Cypher round trips. Tests take the difference across a request.
func (s *Store) RoundTrips() int64 { return s.driver.sessions.Load() }

// Close closes the driver and its connections.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

// Database is the name of the database the store works in.
func (s *Store) Database() string { return s.db }

func (s *Store) write() neo4j.ExecuteQueryConfigurationOption {
	return func(c *neo4j.ExecuteQueryConfiguration) {
		c.Database = s.db
		c.Routing = neo4j.Write
	}
}

// session opens a session on the store's database for multi-statement work
// through ExecuteRead/ExecuteWrite.
func (s *Store) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode})
}

// formatError turns a driver error into an application error with a code.
func formatError(op string, err error) error {
	if err == nil {
		return nil
	}
	var ve *valuegraph.Error
	if errors.As(err, &ve) {
		return err
	}
	var n4j *neo4j.Neo4jError
	var conn *neo4j.ConnectivityError
	var limit *neo4j.TransactionExecutionLimit
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &valuegraph.Error{Code: valuegraph.ETIMEOUT, Message: op + ": ran out of time", Err: err}
	case errors.As(err, &n4j) && strings.HasPrefix(n4j.Code, "Neo.ClientError.Transaction.TransactionTimedOut"):
		// The caller's deadline, sent as the transaction timeout (see query).
		return &valuegraph.Error{Code: valuegraph.ETIMEOUT, Message: op + ": ran out of time", Err: err}
	case errors.As(err, &conn):
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Message: op + ": neo4j unavailable: " + rootCause(err), Err: err}
	case errors.As(err, &limit):
		// Retries ran out: the database stayed unreachable or busy.
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Message: op + ": neo4j unavailable: " + err.Error(), Err: err}
	case errors.As(err, &n4j) && n4j.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
		return &valuegraph.Error{Code: valuegraph.ECONFLICT, Message: op + ": " + n4j.Msg, Err: err}
	case errors.As(err, &n4j) && strings.HasPrefix(n4j.Code, "Neo.TransientError."):
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Message: op + ": " + n4j.Msg, Err: err}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// rootCause keeps the innermost message of a wrapped error: "connection
// refused" says more than the driver's layers around it.
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

func redact(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// batches calls fn on successive slices of at most size rows.
func batches[T any](rows []T, size int, fn func([]T) error) error {
	for start := 0; start < len(rows); start += size {
		end := min(start+size, len(rows))
		if err := fn(rows[start:end]); err != nil {
			return err
		}
	}
	return nil
}
