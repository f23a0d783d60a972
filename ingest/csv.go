package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/valuegraph/valuegraph"
)

// decodeText turns r into UTF-8: a UTF-8 BOM is dropped, UTF-16 (by its BOM)
// is decoded, and text that is not valid UTF-8 in its first 64 KiB is read
// as GB18030, the superset of GBK that Chinese exports are written in. It
// returns the encoding it chose.
func decodeText(r io.Reader) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br, "utf-8 (BOM)", nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		return transform.NewReader(br, dec), "utf-16", nil
	}
	// A multi-byte rune cut at the end of the peek is not an error.
	valid := head
	for i := 0; i < utf8.UTFMax && len(valid) > 0 && !utf8.Valid(valid); i++ {
		valid = valid[:len(valid)-1]
	}
	if utf8.Valid(valid) {
		return br, "utf-8", nil
	}
	return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), "gb18030", nil
}

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
	text, enc, err := decodeText(r)
	if err != nil {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: "cannot read: " + err.Error(), Err: err}
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
