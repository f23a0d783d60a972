package graph

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// The outbox: jobs the queue did not take, one PendingJob node per type and
// key, so that asking twice while Redis is down still makes one job.
const (
	cypherHoldJobs = `
UNWIND $jobs AS j
MERGE (p:PendingJob {id: j.type + ':' + j.key})
SET p.type = j.type, p.key = j.key, p.since = datetime(), p.token = randomUUID()`

	cypherPendingJobs = `
MATCH (p:PendingJob)
WHERE p.key STARTS WITH $prefix AND p.id > $after
RETURN p.id AS id, p.type AS type, p.key AS key, p.since AS since, p.token AS token
ORDER BY p.id LIMIT $limit`

	cypherReleaseJobs = `
UNWIND $jobs AS j
MATCH (p:PendingJob {id: j.type + ':' + j.key})
WHERE p.token = j.token
DELETE p
RETURN count(*) AS released`
)

// HoldJobs keeps jobs in the outbox until ReleaseJobs; holding a job that
// is already held renews it.
func (s *Store) HoldJobs(ctx context.Context, jobs []valuegraph.PendingJob) error {
	if len(jobs) == 0 {
		return nil
	}
	rows := make([]map[string]any, len(jobs))
	for i, j := range jobs {
		if j.Type == "" {
			return valuegraph.FieldError("type", "a pending job needs its task type")
		}
		rows[i] = map[string]any{"type": j.Type, "key": j.Key}
	}
	if _, err := neo4j.ExecuteQuery(ctx, s.driver, cypherHoldJobs, map[string]any{"jobs": rows},
		neo4j.EagerResultTransformer, s.write()); err != nil {
		return formatError("hold jobs", err)
	}
	return nil
}

// PendingJobs returns up to limit held jobs whose key starts with prefix
// ("" for all), in the order of their ids, after the one whose id is after
// ("" to start): the outbox page by page.
func (s *Store) PendingJobs(ctx context.Context, prefix, after string, limit int) (jobs []valuegraph.PendingJob, last string, err error) {
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypherPendingJobs,
		map[string]any{"prefix": prefix, "after": after, "limit": limit}, neo4j.EagerResultTransformer, s.write())
	if err != nil {
		return nil, "", formatError("pending jobs", err)
	}
	for _, rec := range res.Records {
		p := props(rec.AsMap())
		jobs = append(jobs, valuegraph.PendingJob{Type: p.str("type"), Key: p.str("key"), Since: p.time("since"), Token: p.str("token")})
		last = p.str("id")
	}
	return jobs, last, nil
}

// ReleaseJobs removes jobs from the outbox once the queue has them. A job
// asked for again since it was read (its token changed) stays, for the next
// drain.
func (s *Store) ReleaseJobs(ctx context.Context, jobs []valuegraph.PendingJob) (int, error) {
	if len(jobs) == 0 {
		return 0, nil
	}
	rows := make([]map[string]any, len(jobs))
	for i, j := range jobs {
		rows[i] = map[string]any{"type": j.Type, "key": j.Key, "token": j.Token}
	}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypherReleaseJobs, map[string]any{"jobs": rows},
		neo4j.EagerResultTransformer, s.write())
	if err != nil {
		return 0, formatError("release jobs", err)
	}
	n, _, _ := neo4j.GetRecordValue[int64](res.Records[0], "released")
	return int(n), nil
}
