package ingest

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/valuegraph/valuegraph"
)

// RunOptions tune Run; the zero value is usable.
type RunOptions struct {
	BatchSize int            // items per write; default 10000 (the graph writes them two batches at a time)
	Progress  func(Progress) // called about twice a second while a file is read, and at its end
	Reject    func(error)    // called for every rejected record or file
}

// Progress is how far Run has read into a file.
type Progress struct {
	File    string
	Bytes   int64 // read so far
	Size    int64 // 0 when unknown
	Records int   // emitted so far in this file
	Elapsed time.Duration
	Done    bool
}

// Run parses files one after the other and writes their items in batches.
// A file that cannot be read, or stops half-way, is reported through Reject
// (what came before its fault is kept) and the next file goes on; err is for
// failures that stop everything (the context, Neo4j down).
func Run(ctx context.Context, p Parser, w *Writer, files []string, opts RunOptions) (Summary, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 10000
	}
	return RunInto(ctx, p, NewBatcher(w, opts.BatchSize, opts.Reject), files, opts)
}

// Sink takes the items a run reads: a Batcher writes them to the graph, a
// Preview prints them.
type Sink interface {
	Add(ctx context.Context, it Item) error
	Flush(ctx context.Context) error
	Summary() *Summary
}

// RunInto parses files as Run does and hands their items to sink.
func RunInto(ctx context.Context, p Parser, sink Sink, files []string, opts RunOptions) (Summary, error) {
	if opts.Reject == nil {
		opts.Reject = func(error) {}
	}
	if opts.Progress == nil {
		opts.Progress = func(Progress) {}
	}
	total := sink.Summary()
	reject := func(err error) {
		total.Rejected++
		total.Read++
		opts.Reject(err)
	}
	for _, name := range files {
		if err := runFile(ctx, p, name, sink, opts, reject); err != nil {
			return *total, err
		}
	}
	err := sink.Flush(ctx)
	return *total, err
}

func runFile(ctx context.Context, p Parser, name string, b Sink, opts RunOptions, reject func(error)) error {
	f, err := os.Open(name)
	if err != nil {
		reject(&valuegraph.Error{Code: valuegraph.EINVALID, File: name, Message: err.Error(), Err: err})
		return nil
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	cr := &countingReader{r: f}
	start := time.Now()
	records := 0
	last := time.Now()
	report := func(done bool) {
		opts.Progress(Progress{File: name, Bytes: cr.n.Load(), Size: size, Records: records, Elapsed: time.Since(start), Done: done})
	}
	emit := func(it Item) error {
		records++
		b.Summary().Read++
		if time.Since(last) > 500*time.Millisecond {
			last = time.Now()
			report(false)
		}
		return b.Add(ctx, it)
	}
	text, _, err := Decode(cr, filepath.Base(name))
	if err != nil {
		reject(err)
		return nil
	}
	perr := p.Parse(ctx, text, filepath.Base(name), emit, reject)
	report(true)
	if perr == nil {
		return nil
	}
	if ctx.Err() != nil || valuegraph.ErrorCode(perr) != valuegraph.EINVALID {
		return perr // not the file's fault: stop
	}
	reject(perr)
	return nil
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
