package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph"
)

// Forum reads forum posts as JSON Lines, one post per line: V2EX's API shape
// (id, url, title, content, created as epoch seconds, member.username,
// node.title) or the same fields with author, tags and an RFC 3339 created.
// Each post becomes a forum_post signal (trust L3) with the competitors,
// needs and intents the extractor finds in it.
type Forum struct {
	Extractor *Extractor // nil: the built-in lexicon
	Source    string     // default "forum"
	// CustomerID, when set, is the customer every post is about (a
	// customer's own community); otherwise posts are market signals.
	CustomerID string
}

type forumPost struct {
	ID      flexString      `json:"id"`
	URL     string          `json:"url"`
	Title   string          `json:"title"`
	Content string          `json:"content"`
	Created json.RawMessage `json:"created"`
	Author  string          `json:"author"`
	Member  *struct {
		Username string `json:"username"`
	} `json:"member"`
	Node *struct {
		Title string `json:"title"`
	} `json:"node"`
	Tags []string `json:"tags"`
}

// Parse reads one file; see Parser.
func (f Forum) Parse(ctx context.Context, r io.Reader, file string, emit func(Item) error, reject func(error)) error {
	x := f.Extractor
	if x == nil {
		var err error
		if x, err = LoadLexicon(nil, ""); err != nil {
			return err
		}
	}
	source := f.Source
	if source == "" {
		source = "forum"
	}
	text, _, err := Decode(r, file) // as openTable does
	if err != nil {
		return readError(file, err)
	}
	lines := newLineReader(text, maxLine)
	line := 0
	for {
		b, tooLong, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: line + 1, Message: err.Error(), Err: err}
		}
		line++
		if err := ctx.Err(); err != nil {
			return err
		}
		bad := func(field, format string, args ...any) {
			reject(&valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
		}
		if tooLong {
			bad("", "a line of more than %d MiB: skipped, the next lines are read", maxLine>>20)
			continue
		}
		if len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		var p forumPost
		if err := json.Unmarshal(b, &p); err != nil {
			bad("", "not a JSON object: %s", jsonMessage(err))
			continue
		}
		if p.ID == "" {
			bad("id", "required")
			continue
		}
		when, err := postTime(p.Created)
		if err != nil {
			bad("created", "%v", err)
			continue
		}
		post := Post{ID: string(p.ID), URL: p.URL, Title: p.Title, Content: p.Content, Author: p.Author, Tags: p.Tags, Created: when}
		if p.Member != nil && post.Author == "" {
			post.Author = p.Member.Username
		}
		if p.Node != nil {
			post.Thread = p.Node.Title
		}
		it, err := PostItem(x, post, source, f.CustomerID, Position{File: file, Line: line})
		if err != nil {
			bad("title", "%s", valuegraph.ErrorMessage(err))
			continue
		}
		if err := emit(it); err != nil {
			return err
		}
	}
	return nil
}

// maxLine bounds one line of a JSON Lines file: a post is a few kilobytes.
const maxLine = 16 << 20

// lineReader reads lines of at most max bytes; a longer one is read past
// and reported as too long, and the lines after it are read as usual.
type lineReader struct {
	r   *bufio.Reader
	max int
	buf []byte
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next line without its end; io.EOF after the last.
func (l *lineReader) next() (line []byte, tooLong bool, err error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.r.ReadSlice('\n')
		if !tooLong {
			if len(l.buf)+len(chunk) > l.max+1 {
				tooLong, l.buf = true, l.buf[:0]
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && (len(l.buf) > 0 || tooLong):
			return bytes.TrimRight(l.buf, "\r\n"), tooLong, nil
		case err != nil:
			return nil, false, err
		}
		return bytes.TrimRight(l.buf, "\r\n"), tooLong, nil
	}
}

// postTime reads epoch seconds or an RFC 3339 time.
func postTime(raw json.RawMessage) (time.Time, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, fmt.Errorf("required")
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		secs, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil || secs < 0 || secs > 4102444800 {
			return time.Time{}, fmt.Errorf("%s is not epoch seconds in range", n)
		}
		return time.Unix(secs, 0).UTC(), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return time.Time{}, fmt.Errorf("want epoch seconds or an RFC 3339 time, got %s", raw)
	}
	return Date(s, time.UTC)
}

// Post is one forum post or feed entry, from a file or a crawl.
type Post struct {
	ID      string // unique within the source
	URL     string
	Title   string
	Content string // text; HTML is the caller's to strip
	Author  string
	Thread  string // the board, node or category it sits in
	Tags    []string
	Created time.Time
}

// PostItem turns a post into a forum_post signal (trust L3) with the needs,
// competitors and products x finds in it and the intents behind it; the
// author, thread and tags close its text. customerID, when set, is the
// customer the post is about. EINVALID for a post with neither title nor
// content.
func PostItem(x *Extractor, p Post, source, customerID string, pos Position) (Item, error) {
	title, content := Fold(p.Title), strings.TrimSpace(strings.ReplaceAll(p.Content, "\r\n", "\n"))
	if title == "" && content == "" {
		return Item{}, valuegraph.FieldError("title", "a post with neither title nor content")
	}
	ex := x.Extract(title + "\n" + content)
	var about []string
	if p.Author != "" {
		about = append(about, "作者/author: "+p.Author)
	}
	if p.Thread != "" {
		about = append(about, "版块/thread: "+p.Thread)
	}
	if len(p.Tags) > 0 {
		about = append(about, "标签/tags: "+strings.Join(p.Tags, ", "))
	}
	text := clip(content, 4000)
	if len(about) > 0 {
		text = strings.TrimSpace(text + "\n\n" + strings.Join(about, " · "))
	}
	sig := &valuegraph.Signal{ID: "forum:" + source + ":" + p.ID, Kind: valuegraph.SignalForumPost,
		Title: firstNonEmpty(title, clip(content, 80)), Text: text, URL: p.URL, Source: source,
		Trust: valuegraph.TrustL3, OccurredAt: p.Created, Intents: ex.Intents}
	it := Item{Pos: pos, Signal: sig}
	if customerID != "" {
		sig.CustomerIDs = []string{customerID}
	}
	detail := PostDetail{ID: p.ID, Mentions: []PostMention{}, Intents: []string{}}
	for _, in := range ex.Intents {
		if in == IntentAlternative {
			in = SeekingAlternative
		}
		detail.Intents = append(detail.Intents, in)
	}
	sort.Strings(detail.Intents)
	for _, m := range ex.Mentions {
		e := m.Entity
		kind := e.Kind
		switch {
		case e.Kind == "need":
			sig.NeedIDs = append(sig.NeedIDs, e.NodeID())
			it.Needs = append(it.Needs, valuegraph.Need{ID: e.NodeID(), Name: e.Name, Aliases: terms(e)})
		case e.Competitor && e.Kind == "vendor" && m.Model == "":
			kind = "competitor"
			sig.CompetitorIDs = append(sig.CompetitorIDs, e.NodeID())
			it.Competitors = append(it.Competitors, valuegraph.Competitor{ID: e.NodeID(), Name: e.Name, Aliases: terms(e)})
		default: // every other vendor and product is kept: a Product node the signal MENTIONS
			if e.Competitor {
				kind = "competitor"
				if !slices.Contains(sig.CompetitorIDs, e.NodeID()) {
					sig.CompetitorIDs = append(sig.CompetitorIDs, e.NodeID())
					it.Competitors = append(it.Competitors, valuegraph.Competitor{ID: e.NodeID(), Name: e.Name, Aliases: terms(e)})
				}
			}
			pr := valuegraph.Product{ID: m.NodeID(), Name: m.Name(), Aliases: terms(e), Vendor: x.Vendor(e)}
			if e.Kind == "vendor" {
				pr.Vendor = e.Name // a brand named without a product stands for its own line
			}
			if m.Model != "" {
				pr.Aliases = []string{m.Term}
			}
			if e.Competitor {
				pr.CompetitorID = e.NodeID()
			}
			sig.ProductIDs = append(sig.ProductIDs, pr.ID)
			it.Products = append(it.Products, pr)
		}
		detail.Mentions = append(detail.Mentions, PostMention{Name: m.Name(), Kind: kind})
	}
	it.Detail = map[string]any{"post": detail}
	return it, nil
}

// PostDetail is what a dry run shows of a post: the canonical names it
// mentions and what the author wants.
type PostDetail struct {
	ID       string        `json:"id"`
	Mentions []PostMention `json:"mentions"`
	Intents  []string      `json:"intents"`
}

// PostMention is one vendor, product, competitor or need a post names.
type PostMention struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // vendor, product, competitor or need
}

// terms are an entity's terms as aliases (without the case marks).
func terms(e *LexiconEntity) []string {
	out := make([]string, len(e.Terms))
	for i, t := range e.Terms {
		out[i] = strings.TrimPrefix(t, "=")
	}
	return out
}
