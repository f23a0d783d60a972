package ingest

import "context"

// Batcher gathers items and writes them through a Writer a batch at a time,
// keeping the running Summary and passing every record the Writer rejects to
// reject. Run and the crawlers share it.
type Batcher struct {
	w      *Writer
	size   int
	reject func(error)
	items  []Item
	total  Summary
}

// NewBatcher writes through w in batches of size items; reject may be nil.
func NewBatcher(w *Writer, size int, reject func(error)) *Batcher {
	if reject == nil {
		reject = func(error) {}
	}
	return &Batcher{w: w, size: size, reject: reject, total: Summary{Orgs: map[string]int{}}}
}

// Add queues it and writes the batch when it is full.
func (b *Batcher) Add(ctx context.Context, it Item) error {
	b.items = append(b.items, it)
	if len(b.items) >= b.size {
		return b.Flush(ctx)
	}
	return nil
}

// Flush writes what is queued.
func (b *Batcher) Flush(ctx context.Context) error {
	if len(b.items) == 0 {
		return nil
	}
	sum, bad, err := b.w.Write(ctx, b.items)
	b.items = b.items[:0]
	b.total.Add(sum)
	for _, e := range bad {
		b.total.Rejected++
		b.reject(e)
	}
	return err
}

// Summary is what has been written so far; callers may add what they read
// and rejected before an item reached the Batcher.
func (b *Batcher) Summary() *Summary { return &b.total }
