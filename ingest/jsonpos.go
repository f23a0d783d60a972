package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsonStream cuts a JSON text into values without decoding them, tracking
// the line and column of every byte, so that a parser can decode one
// element of a large array at a time and a syntax error inside one element
// costs that element only. It finds where a value ends by its brackets and
// quotes alone, so after a bad element it reads on from where the next one
// starts. A raw line break cannot be inside a JSON string, so a string still
// open at the end of its line is taken as closed there: one missing quote
// does not swallow the rest of the file.
type jsonStream struct {
	r    *bufio.Reader
	line int // of the next byte, from 1
	col  int // of the next byte, in characters, from 1
}

// jsonMark is where a value starts.
type jsonMark struct{ Line, Col int }

func newJSONStream(r io.Reader) *jsonStream {
	return &jsonStream{r: bufio.NewReaderSize(r, 64<<10), line: 1, col: 1}
}

func (s *jsonStream) mark() jsonMark { return jsonMark{s.line, s.col} }

// peek returns the next byte without reading it.
func (s *jsonStream) peek() (byte, error) {
	b, err := s.r.Peek(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (s *jsonStream) next() (byte, error) {
	c, err := s.r.ReadByte()
	if err != nil {
		return 0, err
	}
	switch {
	case c == '\n':
		s.line++
		s.col = 1
	case c&0xC0 != 0x80: // not a UTF-8 continuation byte: a new character
		s.col++
	}
	return c, nil
}

// skipSpace skips white space (and a byte order mark) and returns the next
// byte without reading it; io.EOF at the end.
func (s *jsonStream) skipSpace() (byte, error) {
	for {
		c, err := s.peek()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			s.next()
			continue
		case 0xEF:
			if b, _ := s.r.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
				s.r.Discard(3)
				continue
			}
		}
		return c, nil
	}
}

// expect reads c after white space, or says what came instead.
func (s *jsonStream) expect(c byte, what string) error {
	got, err := s.skipSpace()
	if err != nil {
		return s.syntaxAt(s.mark(), "unexpected end of file, expected "+what, "")
	}
	if got != c {
		return s.syntaxAt(s.mark(), fmt.Sprintf("invalid character %s, expected %s", quoteByte(got), what), s.excerpt())
	}
	s.next()
	return nil
}

// str reads a JSON string (a key).
func (s *jsonStream) str(what string) (string, error) {
	c, err := s.skipSpace()
	if err != nil {
		return "", s.syntaxAt(s.mark(), "unexpected end of file, expected "+what, "")
	}
	at := s.mark()
	if c != '"' {
		return "", s.syntaxAt(at, fmt.Sprintf("invalid character %s, expected %s", quoteByte(c), what), s.excerpt())
	}
	raw, _, err := s.value()
	if err != nil {
		return "", err
	}
	var out string
	if err := json.Unmarshal(raw, &out); err != nil {
		if se := jsonSyntax(raw, at, err); se != nil {
			return "", se
		}
		return "", s.syntaxAt(at, "not a string: "+jsonMessage(err), excerptOf(raw))
	}
	return out, nil
}

// value reads one value as it is written: an object or array up to its
// closing bracket, a string up to its closing quote, or a literal up to the
// next delimiter. Whether the value is valid JSON is for json.Unmarshal to
// say; value only fails when the file ends before the value does.
func (s *jsonStream) value() ([]byte, jsonMark, error) {
	if _, err := s.skipSpace(); err != nil {
		return nil, s.mark(), s.syntaxAt(s.mark(), "unexpected end of file, expected a value", "")
	}
	start := s.mark()
	var buf []byte
	var open []byte // brackets not yet closed
	inStr, esc := false, false
	for {
		c, err := s.peek()
		if err != nil {
			if len(open) == 0 && !inStr && len(buf) > 0 {
				return buf, start, nil // a literal at the end of the file
			}
			what := "a string"
			if len(open) > 0 {
				what = "an " + map[byte]string{'{': "object", '[': "array"}[open[0]]
			}
			return buf, start, s.syntaxAt(s.mark(), fmt.Sprintf("unexpected end of file: %s that starts at line %d, column %d is not closed (truncated?)", what, start.Line, start.Col), "")
		}
		if !inStr && len(open) == 0 && len(buf) > 0 && bytes.IndexByte([]byte(",]}: \t\r\n"), c) >= 0 {
			return buf, start, nil // the end of a literal
		}
		s.next()
		buf = append(buf, c)
		switch {
		case inStr && esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case inStr && c == '"':
			inStr = false
		case inStr && c == '\n':
			inStr = false // see jsonStream
		case inStr:
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			open = append(open, c)
		case c == '}' || c == ']':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
		if !inStr && len(open) == 0 && (c == '"' || c == '}' || c == ']') {
			return buf, start, nil
		}
	}
}

// line reads the rest of the current line (JSON Lines).
func (s *jsonStream) restOfLine() ([]byte, jsonMark, error) {
	start := s.mark()
	raw, err := s.r.ReadBytes('\n')
	if len(raw) > 0 && raw[len(raw)-1] == '\n' {
		s.line++
		s.col = 1
	} else {
		s.col += utf8.RuneCount(raw)
	}
	if errors.Is(err, io.EOF) && len(raw) > 0 {
		err = nil
	}
	return raw, start, err
}

// excerpt is a short piece of what comes next, for an error message.
func (s *jsonStream) excerpt() string {
	b, _ := s.r.Peek(40)
	return excerptOf(b)
}

// syntaxError is a place in a JSON text where it stops being JSON.
type syntaxError struct {
	Line, Col int
	Msg       string
	Near      string // a short excerpt, as written
}

func (e *syntaxError) Error() string {
	msg := fmt.Sprintf("column %d: %s", e.Col, e.Msg)
	if e.Near != "" {
		msg += " near " + strconv.Quote(e.Near)
	}
	return msg
}

func (s *jsonStream) syntaxAt(at jsonMark, msg, near string) *syntaxError {
	return &syntaxError{Line: at.Line, Col: at.Col, Msg: msg, Near: near}
}

// jsonSyntax turns a json.Unmarshal error over raw, which starts at start,
// into a syntaxError at the offending character; nil when err is not a
// syntax error.
func jsonSyntax(raw []byte, start jsonMark, err error) *syntaxError {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end of JSON input") {
			at := advance(start, raw)
			return &syntaxError{Line: at.Line, Col: at.Col, Msg: "unexpected end of the value (truncated?)"}
		}
		return nil
	}
	off := int(se.Offset)
	if off > 0 {
		off-- // Offset is just after the bad byte
	}
	off = min(off, len(raw))
	at := advance(start, raw[:off])
	lo := max(0, off-20)
	if i := bytes.LastIndexByte(raw[lo:off], '\n'); i >= 0 {
		lo += i + 1
	}
	hi := min(len(raw), off+20)
	return &syntaxError{Line: at.Line, Col: at.Col, Msg: expectation(se.Error()), Near: excerptOf(raw[lo:hi])}
}

// expectation rewords the decoder's "looking for" as what was expected.
func expectation(msg string) string {
	msg = strings.TrimPrefix(msg, "json: ")
	for _, r := range [][2]string{
		{"looking for beginning of object key string", "expected a key in quotes"},
		{"after object key:value pair", "expected ',' or '}' after a member"},
		{"after object key", "expected ':' after a key"},
		{"after array element", "expected ',' or ']' after an element"},
		{"looking for beginning of value", "expected a value"},
		{"in string literal", "in a string (control characters must be escaped; a quote missing?)"},
		{"unexpected end of JSON input", "unexpected end of the value: a bracket or a quote is not closed (truncated?)"},
	} {
		if strings.Contains(msg, r[0]) {
			return strings.Replace(msg, r[0], r[1], 1)
		}
	}
	return msg
}

// advance returns the mark after reading b from at.
func advance(at jsonMark, b []byte) jsonMark {
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		return jsonMark{at.Line + bytes.Count(b, []byte{'\n'}), utf8.RuneCount(b[i+1:]) + 1}
	}
	return jsonMark{at.Line, at.Col + utf8.RuneCount(b)}
}

func excerptOf(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	for len(b) > 0 && !utf8.Valid(b) { // a character cut at the end
		b = b[:len(b)-1]
	}
	return strings.TrimSpace(string(b))
}

func quoteByte(c byte) string {
	if c < 0x80 {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02X", c)
}
