package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// query runs one read statement and returns all its rows. It is the path of
// every single-statement read, the API's included, so it is kept cheap:
//
//   - An auto-commit transaction: RUN and PULL go out together and the rows
//     come back in one network round trip. A managed transaction
//     (ExecuteQuery) costs a second one for COMMIT, which a read does not
//     need.
//   - All rows in one PULL (FetchAll): the callers want them all anyway.
//   - The caller's deadline becomes Neo4j's transaction timeout instead of
//     reaching the driver: with a deadline on the context the driver makes
//     each read of the socket (a chunk's size, then its body) in a goroutine
//     of its own to race it against the clock. Neo4j stops the query once
//     past the deadline (its transaction monitor looks every 2 s) and
//     answers, so the read still ends, and a cancelled context still stops
//     the wait for a connection.
//   - The driver's bookmark manager, as ExecuteQuery's: on a cluster a read
//     sees the writes this process made before it.
//
// A read is idempotent, so the failures a managed transaction would retry
// (Neo4j restarting, a stale pooled connection) are retried here the same
// way, for at most the store's RetryTime.
func (s *Store) query(ctx context.Context, cypher string, params map[string]any) (*neo4j.EagerResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var opts []func(*neo4j.TransactionConfig)
	if deadline, ok := ctx.Deadline(); ok {
		left := time.Until(deadline)
		if left <= 0 {
			return nil, context.DeadlineExceeded
		}
		opts = append(opts, neo4j.WithTxTimeout(left))
		ctx = withoutDeadline{ctx}
	}
	start := time.Now()
	wait := 50 * time.Millisecond
	for {
		res, err := s.queryOnce(ctx, cypher, params, opts)
		if err != nil && ctx.Err() != nil {
			// The driver reports a read it began past the deadline as a
			// connectivity error; say what it was.
			return nil, fmt.Errorf("%w (%w)", ctx.Err(), err)
		}
		if err == nil || !neo4j.IsRetryable(err) || time.Since(start)+wait > s.retry {
			return res, err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		wait = min(2*wait, time.Second)
	}
}

func (s *Store) queryOnce(ctx context.Context, cypher string, params map[string]any, opts []func(*neo4j.TransactionConfig)) (*neo4j.EagerResult, error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName:    s.db,
		AccessMode:      neo4j.AccessModeRead,
		FetchSize:       neo4j.FetchAll,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(),
	})
	defer session.Close(ctx)
	res, err := session.Run(ctx, cypher, params, opts...)
	if err != nil {
		return nil, err
	}
	records, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := res.Keys()
	if err != nil {
		return nil, err
	}
	summary, err := res.Consume(ctx)
	if err != nil {
		return nil, err
	}
	return &neo4j.EagerResult{Keys: keys, Records: records, Summary: summary}, nil
}

// withoutDeadline keeps a context's values and cancellation but hides its
// deadline from the driver (see query).
type withoutDeadline struct{ context.Context }

func (withoutDeadline) Deadline() (time.Time, bool) { return time.Time{}, false }
