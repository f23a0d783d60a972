package resolvers

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/99designs/gqlgen/graphql"
)

// PendingExtension is the key under the answer's extensions that lists the
// background work a mutation asked for but the job queue (Redis) did not
// take: the write stands, and the worker runs the work from the graph's
// outbox once Redis answers.
const PendingExtension = "pending"

// Pending is one such piece of work.
type Pending struct {
	Path       string `json:"path"`                 // the mutation field that asked for it, as in errors' path
	Job        string `json:"job"`                  // the task type: customer:score, model:retrain
	CustomerID string `json:"customerId,omitempty"` // for customer:score
	Message    string `json:"message"`
}

type pendingList struct {
	mu    sync.Mutex
	items []Pending
}

func (l *pendingList) MarshalJSON() ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return json.Marshal(l.items)
}

// notePending adds work the queue did not take to the answer's extensions.
func notePending(ctx context.Context, p Pending) {
	if !graphql.HasOperationContext(ctx) {
		return
	}
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		p.Path = fc.Path().String()
	}
	l, ok := graphql.GetExtension(ctx, PendingExtension).(*pendingList)
	if !ok {
		l = &pendingList{}
		graphql.RegisterExtension(ctx, PendingExtension, l)
	}
	l.mu.Lock()
	l.items = append(l.items, p)
	l.mu.Unlock()
}
