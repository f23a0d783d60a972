// Package jobs holds ValueGraph's background work as Asynq tasks: each task
// type, its payload, its constructor and its handler sit together. The worker
// runs them on Redis; the API and ingest enqueue them through Client.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/valuegraph/valuegraph"
)

// QueueDefault is where tasks go unless told otherwise.
const QueueDefault = "default"

// ParseRedisURL reads REDIS_URL: one Redis (redis://, rediss://,
// redis-socket://), a Sentinel-watched one (redis-sentinel://[:password@]
// host:port[,host:port…]?master=NAME, Asynq's failover client) or a Redis
// Cluster (redis-cluster://[:password@]host:port[,host:port…], any nodes of
// it; Asynq keeps each queue's keys in one slot).
func ParseRedisURL(url string) (asynq.RedisConnOpt, error) {
	rest, ok := strings.CutPrefix(url, "redis-cluster://")
	if !ok {
		return asynq.ParseRedisURI(url)
	}
	var password string
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		_, password, _ = strings.Cut(rest[:at], ":")
		rest = rest[at+1:]
	}
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		rest = rest[:i] // a cluster has no numbered databases
	}
	var addrs []string
	for _, a := range strings.Split(rest, ",") {
		if a = strings.TrimSpace(a); a != "" {
			if !strings.Contains(a, ":") {
				return nil, fmt.Errorf("redis-cluster: node %q has no port", a)
			}
			addrs = append(addrs, a)
		}
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("redis-cluster: no node given (redis-cluster://host:port,host:port)")
	}
	return asynq.RedisClusterClientOpt{Addrs: addrs, Password: password}, nil
}

// OpenRedis connects to the Redis named by REDIS_URL (ParseRedisURL) and
// checks that it answers PING. A failure names REDIS_URL and says why, in
// one line.
func OpenRedis(ctx context.Context, url string) (redis.UniversalClient, error) {
	if url == "" {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, Field: "REDIS_URL", Message: "not set"}
	}
	opt, err := ParseRedisURL(url)
	if err != nil {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, Field: "REDIS_URL", Message: err.Error(), Err: err}
	}
	rc, ok := opt.MakeRedisClient().(redis.UniversalClient)
	if !ok {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, Field: "REDIS_URL", Message: fmt.Sprintf("%q does not give a Redis client", redact(url))}
	}
	if err := Ping(ctx, rc); err != nil {
		rc.Close()
		return nil, &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Field: "REDIS_URL",
			Message: fmt.Sprintf("cannot reach Redis at %s: %v", redact(url), err), Err: err}
	}
	return rc, nil
}

// Ping reports whether Redis answers now; readiness probes call it.
func Ping(ctx context.Context, rc redis.UniversalClient) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := rc.Ping(ctx).Err(); err != nil {
		return &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Message: "redis: " + err.Error(), Err: err}
	}
	return nil
}

// redact drops a password from a Redis URL before it is shown.
func redact(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = "***@" + rest[at+1:]
	}
	return scheme + "://" + rest
}

// slogAdapter lets Asynq log through the process's slog.Logger.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a slogAdapter) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a slogAdapter) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a slogAdapter) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a slogAdapter) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)); panic(fmt.Sprint(args...)) }
