package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/valuegraph/valuegraph"
)

// OCDS reads Open Contracting Data Standard publications (1.0 and 1.1):
// release packages and record packages, streamed element by element so files
// of any size read in flat memory; a single release or record per file, as
// many publishers write them; a top-level array of releases; and JSON Lines
// (one release, record or package a line).
//
// Each release (or record: its compiledRelease, or its embedded releases
// merged) becomes signals about its buyer: a tender signal for its tender,
// an award signal won by the suppliers of each award, and one for each
// contract that no award of the release covers (publishers that name the
// supplier only in the contract); a planning-only release becomes a
// procurement intent. A missing field makes the signal incomplete (Item.
// Problems), not rejected: an award without a buyer still links its winner,
// an award without a currency keeps its supplier and date. Only a release
// that yields no signal at all is rejected, with its reasons.
//
// Deviations seen in real data are accepted: awards as an object (Taiwan),
// tag as a string, numeric ids, empty identifiers, parties only inline, no
// version (1.0). A syntax error costs the element it is in: the stream reads
// on from the next element of the package's array (or the next line of a
// JSON Lines file).
type OCDS struct {
	Source string // the Source node's id; default "ocds"
}

func (o OCDS) source() string {
	if o.Source == "" {
		return "ocds"
	}
	return o.Source
}

// Parse reads r and emits one item per signal. A release or record that
// cannot be read is rejected with its position and reasons; the rest of the
// file goes on. A file whose structure breaks beyond resynchronising stops
// there, after emitting everything complete before it.
func (o OCDS) Parse(ctx context.Context, r io.Reader, file string, emit func(Item) error, reject func(error)) error {
	p := &ocdsFile{o: o, file: file, emit: emit, reject: reject, idents: map[string]identOwner{}, made: map[string]madeSignal{}}
	return p.read(ctx, newJSONStream(r))
}

// identOwner is the first party that carried an identifier in a file.
type identOwner struct{ key, name string }

// ocdsFile is the state of one Parse.
type ocdsFile struct {
	o      OCDS
	file   string
	emit   func(Item) error
	reject func(error)

	// idents remembers, per identifier key, the name key of the first party
	// that carried it in this file: an identifier that a party under another
	// name carries too is a parent body's (or a placeholder), not the
	// party's own, and is not used to merge.
	idents map[string]identOwner
	// made holds the signals made so far, by id (see stabilise).
	made map[string]madeSignal
	// published is the package's publishedDate, a last resort for dates.
	published string
}

func (p *ocdsFile) fail(at jsonMark, err error) error {
	return &valuegraph.Error{Code: valuegraph.EINVALID, File: p.file, Line: at.Line, Message: err.Error(), Err: err}
}

func (p *ocdsFile) failSyntax(se *syntaxError) error {
	return &valuegraph.Error{Code: valuegraph.EINVALID, File: p.file, Line: se.Line, Message: se.Error(), Err: se}
}

func (p *ocdsFile) rejectAt(line int, path string, format string, args ...any) {
	p.reject(&valuegraph.Error{Code: valuegraph.EINVALID, File: p.file, Line: line, Field: path, Message: fmt.Sprintf(format, args...)})
}

// read dispatches on the first character: an object (a package, release or
// record, perhaps the first line of JSON Lines) or an array of them.
func (p *ocdsFile) read(ctx context.Context, s *jsonStream) error {
	if ext := strings.ToLower(filepath.Ext(p.file)); ext == ".jsonl" || ext == ".ndjson" {
		return p.jsonLines(ctx, s)
	}
	c, err := s.skipSpace()
	if err != nil {
		return p.fail(s.mark(), errors.New("empty file: not JSON"))
	}
	switch c {
	case '{':
		start := s.mark()
		if err := p.object(ctx, s); err != nil {
			return err
		}
		end := s.mark()
		c, err := s.skipSpace()
		if err != nil {
			return nil // one document: the usual case
		}
		if end.Line == start.Line && s.line > end.Line {
			return p.jsonLines(ctx, s) // one document a line
		}
		for { // documents one after the other
			if c != '{' {
				return p.failSyntax(s.syntaxAt(s.mark(), fmt.Sprintf("invalid character %s after the document, expected the end of the file or another document", quoteByte(c)), s.excerpt()))
			}
			if err := p.object(ctx, s); err != nil {
				return err
			}
			if c, err = s.skipSpace(); err != nil {
				return nil
			}
		}
	case '[':
		s.next()
		return p.array(ctx, s, "", func(raw []byte, at jsonMark, i int) error {
			return p.document(ctx, raw, at, fmt.Sprintf("[%d]", i))
		})
	}
	return p.failSyntax(s.syntaxAt(s.mark(), fmt.Sprintf("invalid character %s at the start: not JSON (an OCDS file is an object, an array or JSON Lines)", quoteByte(c)), s.excerpt()))
}

// jsonLines reads one document a line; a bad line costs that line. A line
// that ends inside its document (a pretty-printed document among the
// lines) is read on with the lines after it, until the document closes or
// a line that is a whole document of its own shows it never will.
func (p *ocdsFile) jsonLines(ctx context.Context, s *jsonStream) error {
	var pending []byte
	var pendingAt jsonMark
	flushPending := func() error {
		if pending == nil {
			return nil
		}
		raw := pending
		pending = nil
		return p.document(ctx, raw, pendingAt, "")
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		raw, at, err := s.restOfLine()
		if err != nil {
			return flushPending()
		}
		if len(bytes.TrimSpace(raw)) == 0 && pending == nil {
			continue
		}
		if pending != nil {
			if wholeDocument(raw) {
				if err := flushPending(); err != nil { // it never closed: rejected where it starts
					return err
				}
			} else {
				pending = append(pending, raw...)
				if json.Valid(pending) {
					if err := flushPending(); err != nil {
						return err
					}
				}
				continue
			}
		}
		if !json.Valid(raw) && unfinished(raw) {
			pending, pendingAt = append([]byte(nil), raw...), at
			continue
		}
		if err := p.document(ctx, raw, at, ""); err != nil {
			return err
		}
	}
}

// unfinished reports whether raw is the start of a JSON value that only
// lacks its end.
func unfinished(raw []byte) bool {
	var v any
	err := json.Unmarshal(raw, &v)
	var se *json.SyntaxError
	return errors.As(err, &se) && se.Offset >= int64(len(bytes.TrimRight(raw, " \t\r\n")))
}

// wholeDocument reports whether a line is a release, record or package by
// itself.
func wholeDocument(raw []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	_, ocid := m["ocid"]
	_, rels := m["releases"]
	_, recs := m["records"]
	return ocid || rels || recs
}

// array reads the elements of an array whose '[' has been read, passing
// each to fn as it is written; a stray or missing comma is read past.
func (p *ocdsFile) array(ctx context.Context, s *jsonStream, key string, fn func(raw []byte, at jsonMark, i int) error) error {
	for i := 0; ; {
		if err := ctx.Err(); err != nil {
			return err
		}
		c, err := s.skipSpace()
		if err != nil {
			where := "the top-level array"
			if key != "" {
				where = strconv.Quote(key)
			}
			return p.failSyntax(s.syntaxAt(s.mark(), fmt.Sprintf("unexpected end of file in %s after %d elements, expected ',' or ']' (truncated?)", where, i), ""))
		}
		switch c {
		case ']':
			s.next()
			return nil
		case ',':
			s.next() // a separator, or a stray one: nothing is lost either way
			continue
		}
		raw, at, err := s.value()
		if err != nil {
			var se *syntaxError
			if errors.As(err, &se) {
				return p.failSyntax(se)
			}
			return p.fail(at, err)
		}
		if err := fn(raw, at, i); err != nil {
			return err
		}
		i++
	}
}

// A single record's releases wait until the document says whether it is a
// record (compiledRelease, ocid) or a package, up to this many; past it,
// they are a package's.
const maxHeld = 256

type heldRelease struct {
	raw []byte
	at  jsonMark
	i   int
}

// object reads a top-level object member by member, streaming the elements
// of "releases" and "records"; what else it holds is kept to say what the
// document is once it closes.
func (p *ocdsFile) object(ctx context.Context, s *jsonStream) error {
	start := s.mark()
	s.next() // '{'
	top := map[string]json.RawMessage{}
	var topProbs problems // members of a single release or record that are not JSON
	var held []heldRelease
	streaming, sawReleases, sawRecords := false, false, false
	isRecord := func() bool {
		_, compiled := top["compiledRelease"]
		_, ocid := top["ocid"]
		return compiled || ocid
	}
	flush := func() error {
		for _, h := range held {
			if err := p.release(h.raw, h.at, fmt.Sprintf("releases[%d]", h.i)); err != nil {
				return err
			}
		}
		held = nil
		return nil
	}
	// stop ends the document at a fault: what was held is a package's
	// releases unless the document said it was a record.
	stop := func(err error) error {
		if !isRecord() {
			if ferr := flush(); ferr != nil {
				return ferr
			}
		} else if len(held) > 0 || top["compiledRelease"] != nil {
			if ferr := p.record(top, held, start, "record", topProbs); ferr != nil {
				return ferr
			}
		}
		return err
	}
	for first := true; ; first = false {
		c, err := s.skipSpace()
		if err != nil {
			return stop(p.failSyntax(s.syntaxAt(s.mark(), fmt.Sprintf("unexpected end of file, expected '}' closing the object that starts at line %d (truncated?)", start.Line), "")))
		}
		if c == '}' {
			s.next()
			break
		}
		if !first {
			if c == ',' {
				s.next()
				if c, err = s.skipSpace(); err == nil && c == '}' {
					s.next() // a trailing comma
					break
				}
			} else if c != '"' {
				return stop(p.failSyntax(s.syntaxAt(s.mark(), fmt.Sprintf("invalid character %s, expected ',' or '}' after a member", quoteByte(c)), s.excerpt())))
			}
		}
		key, err := s.str("a key in quotes")
		if err != nil {
			return stop(p.failSyntax(err.(*syntaxError)))
		}
		if err := s.expect(':', "':' after the key"); err != nil {
			return stop(p.failSyntax(err.(*syntaxError)))
		}
		if c, _ := s.skipSpace(); (key == "releases" || key == "records") && c == '[' {
			s.next()
			sawReleases = sawReleases || key == "releases"
			sawRecords = sawRecords || key == "records"
			err := p.array(ctx, s, key, func(raw []byte, at jsonMark, i int) error {
				switch {
				case key == "records":
					return p.recordElement(raw, at, i)
				case streaming:
					return p.release(raw, at, fmt.Sprintf("releases[%d]", i))
				}
				held = append(held, heldRelease{raw, at, i})
				if len(held) > maxHeld && !isRecord() {
					streaming = true
					return flush()
				}
				return nil
			})
			if err != nil {
				return stop(err)
			}
			continue
		}
		raw, vat, err := s.value()
		if err != nil {
			return stop(p.failSyntax(err.(*syntaxError)))
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			msg := "not read"
			if se := jsonSyntax(raw, vat, err); se != nil {
				msg = fmt.Sprintf("not read: line %d, %v", se.Line, se)
			}
			topProbs.add(key, msg)
			continue
		}
		top[key] = raw
		if key == "publishedDate" {
			json.Unmarshal(raw, &p.published)
		}
	}
	switch {
	case top["compiledRelease"] != nil || isRecord() && sawReleases && !streaming:
		return p.record(top, held, start, "record", topProbs)
	case sawReleases:
		return flush()
	case sawRecords:
		return nil
	}
	raw, _ := json.Marshal(top)
	return p.releaseWith(raw, start, "release", topProbs)
}

// document reads a whole document held in memory (a line of JSON Lines, an
// element of a top-level array): a package, a record or a release.
func (p *ocdsFile) document(ctx context.Context, raw []byte, at jsonMark, prefix string) error {
	name := func(s string) string {
		if prefix == "" {
			return s
		}
		return prefix + "." + s
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		e := notObject(raw, at, err)
		p.rejectAt(e.Line, firstNonEmpty(prefix, "document"), "%s", e.Msg)
		return nil
	}
	var pub string
	json.Unmarshal(top["publishedDate"], &pub)
	if pub != "" {
		p.published = pub
	}
	var recs, rels []json.RawMessage
	json.Unmarshal(top["records"], &recs)
	json.Unmarshal(top["releases"], &rels)
	_, ocid := top["ocid"]
	switch {
	case top["records"] != nil:
		for i, r := range recs {
			if err := p.recordElementAs(r, at, name(fmt.Sprintf("records[%d]", i))); err != nil {
				return err
			}
		}
		return nil
	case top["compiledRelease"] != nil || ocid && top["releases"] != nil:
		held := make([]heldRelease, len(rels))
		for i, r := range rels {
			held[i] = heldRelease{r, at, i}
		}
		delete(top, "releases")
		return p.record(top, held, at, name("record"), nil)
	case top["releases"] != nil:
		for i, r := range rels {
			if err := p.release(r, at, name(fmt.Sprintf("releases[%d]", i))); err != nil {
				return err
			}
		}
		return nil
	}
	if prefix == "" {
		prefix = "release"
	}
	return p.release(raw, at, prefix)
}

// jsonMessage makes decoder errors read as what happened to the file.
func jsonMessage(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "unexpected end of file (truncated JSON?)"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// recordElement reads one element of a record package's "records".
func (p *ocdsFile) recordElement(raw []byte, at jsonMark, i int) error {
	return p.recordElementAs(raw, at, fmt.Sprintf("records[%d]", i))
}

func (p *ocdsFile) recordElementAs(raw []byte, at jsonMark, path string) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		e := notObject(raw, at, err)
		p.rejectAt(e.Line, path, "%s", e.Msg)
		return nil
	}
	var rels []json.RawMessage
	if err := json.Unmarshal(top["releases"], &rels); err != nil && top["releases"] != nil {
		p.rejectAt(at.Line, path, "releases: not a list: %s", jsonMessage(err))
		return nil
	}
	held := make([]heldRelease, len(rels))
	for i, r := range rels {
		held[i] = heldRelease{r, at, i}
	}
	delete(top, "releases")
	return p.record(top, held, at, path, nil)
}

// release reads one release and emits its signals, or rejects it.
func (p *ocdsFile) release(raw []byte, at jsonMark, path string) error {
	return p.releaseWith(raw, at, path, nil)
}

// releaseWith reads a release with the problems already found in it.
func (p *ocdsFile) releaseWith(raw []byte, at jsonMark, path string, probs problems) error {
	rel, err := p.decodeRelease(raw, at, "", &probs)
	if err != nil {
		p.rejectAt(err.Line, path, "%s", err.Msg)
		return nil
	}
	return p.emitRelease(rel, at, path, probs)
}

// decodeError says why a document is not an object, and where.
type decodeError struct {
	Line int
	Msg  string
}

func notObject(raw []byte, at jsonMark, err error) *decodeError {
	if se := jsonSyntax(raw, at, err); se != nil {
		return &decodeError{se.Line, se.Error()}
	}
	return &decodeError{at.Line, "not an object: " + jsonMessage(err)}
}

// decodeRelease decodes a release field by field, so that one field of an
// unexpected shape costs that field only (a problem), not the release. It
// fails when raw is not a JSON object.
func (p *ocdsFile) decodeRelease(raw []byte, at jsonMark, field string, probs *problems) (rel ocdsRelease, _ *decodeError) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return rel, notObject(raw, at, err)
	}
	if field != "" {
		field += "."
	}
	get := func(key string, into any) {
		if v, ok := m[key]; ok && !bytes.Equal(v, []byte("null")) {
			if err := json.Unmarshal(v, into); err != nil {
				probs.add(field+key, "not read: "+jsonMessage(err))
			}
		}
	}
	get("ocid", &rel.OCID)
	get("id", &rel.ID)
	get("date", &rel.Date)
	get("publishedDate", &rel.Published)
	get("tag", &rel.Tag)
	get("title", &rel.Title)
	get("name", &rel.Name)
	get("buyer", &rel.Buyer)
	get("parties", &rel.Parties)
	get("planning", &rel.Planning)
	get("tender", &rel.Tender)
	var awards, contracts flexList[json.RawMessage]
	get("awards", &awards)
	get("contracts", &contracts)
	for i, a := range awards {
		var aw ocdsAward
		if err := json.Unmarshal(a, &aw); err != nil {
			probs.add(fmt.Sprintf("%sawards[%d]", field, i), "not read: "+jsonMessage(err))
			continue
		}
		aw.index = i
		rel.Awards = append(rel.Awards, aw)
	}
	for i, c := range contracts {
		var ct ocdsContract
		if err := json.Unmarshal(c, &ct); err != nil {
			probs.add(fmt.Sprintf("%scontracts[%d]", field, i), "not read: "+jsonMessage(err))
			continue
		}
		ct.index = i
		rel.Contracts = append(rel.Contracts, ct)
	}
	rel.content = len(m) > 0 && (m["tender"] != nil || m["awards"] != nil || m["contracts"] != nil ||
		m["buyer"] != nil || m["parties"] != nil || m["planning"] != nil)
	rel.link = m["url"] != nil && !rel.content
	return rel, nil
}

// record reads a record: its compiledRelease when it has one; otherwise
// its embedded releases, merged oldest first. Releases given as links only
// (url, date, tag) say nothing to read here: a record made only of them is
// rejected with that reason.
func (p *ocdsFile) record(top map[string]json.RawMessage, held []heldRelease, at jsonMark, path string, probs problems) error {
	var ocid string
	json.Unmarshal(top["ocid"], &ocid)
	if c := top["compiledRelease"]; c != nil && !bytes.Equal(c, []byte("null")) {
		rel, err := p.decodeRelease(c, at, "compiledRelease", &probs)
		if err == nil {
			if rel.OCID == "" {
				rel.OCID = ocid
			}
			return p.emitRelease(rel, at, path, probs)
		}
		probs.add("compiledRelease", err.Msg+" (line "+strconv.Itoa(err.Line)+"): the record's releases are read instead")
	}
	var rels []ocdsRelease
	var links []string
	for _, h := range held {
		rel, err := p.decodeRelease(h.raw, h.at, fmt.Sprintf("releases[%d]", h.i), &probs)
		switch {
		case err != nil:
			probs.add(fmt.Sprintf("releases[%d]", h.i), err.Msg+" (line "+strconv.Itoa(err.Line)+")")
		case rel.link || !rel.content:
			var l struct{ URL string }
			json.Unmarshal(h.raw, &l)
			links = append(links, firstNonEmpty(l.URL, fmt.Sprintf("releases[%d]", h.i)))
		default:
			rels = append(rels, rel)
		}
	}
	if len(rels) == 0 {
		why := "has neither compiledRelease nor releases"
		if len(links) > 0 {
			why = fmt.Sprintf("has no compiledRelease and its %d releases are links only (e.g. %s): nothing to read here; ingest the linked releases", len(links), clip(links[0], 100))
		}
		for _, pr := range probs {
			why += "; " + pr.Field + ": " + pr.Reason
		}
		p.rejectAt(at.Line, path, "record %s%s", quoteIf(ocid), why)
		return nil
	}
	if len(links) > 0 {
		probs.add("releases", fmt.Sprintf("%d of %d releases are links only, not read (e.g. %s)", len(links), len(links)+len(rels), clip(links[0], 100)))
	}
	rel := mergeReleases(rels)
	if rel.OCID == "" {
		rel.OCID = ocid
	}
	return p.emitRelease(rel, at, path, probs)
}

func quoteIf(s string) string {
	if s == "" {
		return ""
	}
	return strconv.Quote(s) + " "
}
