package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/valuegraph/valuegraph"
)

// Preview is the Sink of a dry run: it writes nothing to the graph and
// prints one JSON object per record instead (JSON Lines), so a user can see
// how a new source reads before loading it. Each object has file, position
// (the line the record starts on; 0 when a whole file is at fault), status
// (ok, incomplete or rejected) and problems ([{field, reason}]), then what
// the parser read of the record (its Detail: notice, post, organisations).
type Preview struct {
	w   *bufio.Writer
	sum Summary
	err error
}

// NewPreview prints to w.
func NewPreview(w io.Writer) *Preview {
	return &Preview{w: bufio.NewWriter(w), sum: Summary{Orgs: map[string]int{}}}
}

// Preview statuses.
const (
	StatusOK         = "ok"
	StatusIncomplete = "incomplete"
	StatusRejected   = "rejected"
)

// Add prints it. A complete record counts as created: a dry run cannot know
// what the graph already holds.
func (p *Preview) Add(_ context.Context, it Item) error {
	status := StatusOK
	if len(it.Problems) > 0 {
		status = StatusIncomplete
		p.sum.Incomplete++
	} else {
		p.sum.Created++
	}
	return p.print(it.Pos.File, it.Pos.Line, status, it.Problems, it.Detail)
}

// Reject prints a rejected record or file; give it as RunOptions.Reject.
func (p *Preview) Reject(err error) {
	var e *valuegraph.Error
	prob := Problem{Reason: valuegraph.Shorten(err.Error())}
	var file string
	var line int
	if errors.As(err, &e) {
		file, line = e.File, e.Line
		prob = Problem{Field: e.Field, Reason: valuegraph.Shorten(e.Message)}
		if prob.Reason == "" {
			prob.Reason = valuegraph.ErrorMessage(err)
		}
	}
	if perr := p.print(file, line, StatusRejected, []Problem{prob}, nil); perr != nil && p.err == nil {
		p.err = perr
	}
}

// Flush writes out what is buffered.
func (p *Preview) Flush(context.Context) error {
	if p.err != nil {
		return p.err
	}
	return p.w.Flush()
}

// Summary counts the records printed (the run adds what it read and
// rejected).
func (p *Preview) Summary() *Summary { return &p.sum }

func (p *Preview) print(file string, line int, status string, problems []Problem, detail any) error {
	if problems == nil {
		problems = []Problem{}
	}
	head, err := json.Marshal(struct {
		File     string    `json:"file"`
		Position int       `json:"position"`
		Status   string    `json:"status"`
		Problems []Problem `json:"problems"`
	}{file, line, status, problems})
	if err != nil {
		return err
	}
	out := head
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("%s:%d: dry run: %w", file, line, err)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(b, &fields); err != nil {
			return fmt.Errorf("%s:%d: dry run: a record's detail must be a JSON object: %w", file, line, err)
		}
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var buf bytes.Buffer
		buf.Write(head[:len(head)-1])
		for _, k := range keys {
			kb, _ := json.Marshal(k)
			buf.WriteByte(',')
			buf.Write(kb)
			buf.WriteByte(':')
			buf.Write(fields[k])
		}
		buf.WriteByte('}')
		out = buf.Bytes()
	}
	out = append(out, '\n')
	_, err = p.w.Write(out)
	return err
}
