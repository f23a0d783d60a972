package graph

import (
	"context"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// DBTime adds up the time a request spends in Neo4j sessions (opened to
// closed: the round trips and reading the results), for Server-Timing and
// for measuring our overhead over the database.
type DBTime struct {
	mu    sync.Mutex
	total time.Duration
	n     int
}

// Total is the time spent in Neo4j so far, and in how many sessions.
func (t *DBTime) Total() (time.Duration, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total, t.n
}

func (t *DBTime) add(d time.Duration) {
	t.mu.Lock()
	t.total += d
	t.n++
	t.mu.Unlock()
}

type dbTimeKey struct{}

// WithDBTime returns a context whose store calls add their time to the
// returned DBTime.
func WithDBTime(ctx context.Context) (context.Context, *DBTime) {
	t := &DBTime{}
	return context.WithValue(ctx, dbTimeKey{}, t), t
}

// timedSession adds its life, open to close, to the request's DBTime. It
// embeds the session, so it is one (the driver's unexported methods come
// with it).
type timedSession struct {
	neo4j.SessionWithContext
	start time.Time
	t     *DBTime
}

func (s *timedSession) Close(ctx context.Context) error {
	err := s.SessionWithContext.Close(ctx)
	s.t.add(time.Since(s.start))
	return err
}
