package ingest

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/valuegraph/valuegraph"
)

// table reads a CSV file with a header row, by column name. Rows with the
// wrong number of fields are reported with their line, and the reading goes
// on; the file stops only when it cannot be read at all.
type table struct {
	file     string
	r        *csv.Reader
	header   []string
	index    map[string]int
	Encoding string
}

// openTable reads up to maxPreamble rows looking for the header: the first
// row that holds every one of required (case-insensitive), as exports often
// have title rows above it.
func openTable(r io.Reader, file string, required []string) (*table, error) {
	// Run has decoded the file already; a parser called on its own (the
	// tests, the crawlers) decodes here, and UTF-8 passes as it is.
	text, enc, err := Decode(r, file)
	if err != nil {
		return nil, readError(file, err)
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	t := &table{file: file, r: cr, Encoding: enc}
	const maxPreamble = 10
	for range maxPreamble {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, t.csvError(err)
		}
		idx := map[string]int{}
		for i, h := range row {
			idx[strings.ToUpper(strings.TrimSpace(Fold(h)))] = i
		}
		missing := 0
		for _, want := range required {
			if _, ok := idx[strings.ToUpper(want)]; !ok {
				missing++
			}
		}
		if missing == 0 {
			t.header, t.index = row, idx
			return t, nil
		}
	}
	return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: 1,
		Message: fmt.Sprintf("no header row with the columns %s in the first %d rows", strings.Join(required, ", "), maxPreamble)}
}

// Has reports whether the header has a column.
func (t *table) Has(col string) bool {
	_, ok := t.index[strings.ToUpper(col)]
	return ok
}

// row is one data row; Get reads a column by name.
type row struct {
	t      *table
	fields []string
	Line   int
}

func (r row) Get(col string) string {
	if col == "" {
		return ""
	}
	i, ok := r.t.index[strings.ToUpper(col)]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// Err builds an error about a field of this row.
func (r row) Err(field, format string, args ...any) *valuegraph.Error {
	return &valuegraph.Error{Code: valuegraph.EINVALID, File: r.t.file, Line: r.Line, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Next returns the next row. rowErr is a problem with this row alone (a
// wrong field count, a stray quote): report it and go on. err is io.EOF at
// the end, or a reason the file cannot be read further.
func (t *table) Next() (r row, rowErr error, err error) {
	for {
		fields, err := t.r.Read()
		if errors.Is(err, io.EOF) {
			return row{}, nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return row{}, t.csvError(err), nil
		} else if err != nil {
			return row{}, nil, t.csvError(err)
		}
		line, _ := t.r.FieldPos(0)
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue // blank line
		}
		r := row{t: t, fields: fields, Line: line}
		if len(fields) != len(t.header) {
			return r, &valuegraph.Error{Code: valuegraph.EINVALID, File: t.file, Line: line,
				Message: fmt.Sprintf("%d fields, the header has %d", len(fields), len(t.header))}, nil
		}
		return r, nil, nil
	}
}

func (t *table) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: t.file, Line: pe.Line, Message: pe.Err.Error(), Err: err}
	}
	return &valuegraph.Error{Code: valuegraph.EINVALID, File: t.file, Message: err.Error(), Err: err}
}

// each calls fn for every good row, reports every bad one through reject,
// and stops at the end of the table, at a read error, or when fn fails.
func (t *table) each(ctx context.Context, reject func(error), fn func(row) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, rowErr, err := t.Next()
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if rowErr != nil {
			reject(rowErr)
			continue
		}
		if err := fn(r); err != nil {
			return err
		}
	}
}

// readError is a file that cannot be read or decoded: Decode's own error
// (it names the file and the byte), or an I/O failure.
func readError(file string, err error) error {
	var ve *valuegraph.Error
	if errors.As(err, &ve) {
		return ve
	}
	return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: "cannot read: " + err.Error(), Err: err}
}
