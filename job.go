package valuegraph

import "time"

// Queued says what became of a request for background work.
type Queued struct {
	Enqueued  int // tasks handed to the job queue
	Coalesced int // requests joined to a task already waiting in the queue
	// Pending counts requests kept in the graph's outbox because the queue
	// (Redis) did not answer: the worker enqueues them once it does.
	Pending int
}

// Add adds o's counts to q.
func (q *Queued) Add(o Queued) {
	q.Enqueued += o.Enqueued
	q.Coalesced += o.Coalesced
	q.Pending += o.Pending
}

// PendingJob is a job kept in the graph's outbox until the job queue takes
// it. There is one per type and key: asking again while it waits changes
// its Since and Token, not the number of jobs.
type PendingJob struct {
	Type  string    // the task type, such as customer:score or model:retrain
	Key   string    // what the job is about: a customer's id; empty when the type says it all
	Since time.Time // when it was last asked for
	// Token changes each time the job is asked for again, so a drain that
	// read an older request does not release a newer one.
	Token string
}
