package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
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
	text, _, err := decodeText(r)
	if err != nil {
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: err.Error(), Err: err}
	}
	sc := bufio.NewScanner(text)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if err := ctx.Err(); err != nil {
			return err
		}
		b := sc.Bytes()
		if len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		bad := func(field, format string, args ...any) {
			reject(&valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
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
		title, content := Fold(p.Title), strings.ReplaceAll(p.Content, "\r\n", "\n")
		if title == "" && strings.TrimSpace(content) == "" {
			bad("title", "a post with neither title nor content")
			continue
		}
		ex := x.Extract(title + "\n" + content)
		sig := &valuegraph.Signal{ID: "forum:" + source + ":" + string(p.ID), Kind: valuegraph.SignalForumPost,
			Title: firstNonEmpty(title, clip(content, 80)), Text: clip(content, 4000), URL: p.URL, Source: source,
			Trust: valuegraph.TrustL3, OccurredAt: when, Intents: ex.Intents}
		it := Item{Pos: Position{File: file, Line: line}, Signal: sig}
		if f.CustomerID != "" {
			sig.CustomerIDs = []string{f.CustomerID}
		}
		for _, m := range ex.Mentions {
			switch {
			case m.Entity.Kind == "need":
				sig.NeedIDs = append(sig.NeedIDs, m.Entity.NodeID())
				it.Needs = append(it.Needs, valuegraph.Need{ID: m.Entity.NodeID(), Name: m.Entity.Name, Aliases: m.Entity.Terms})
			case m.Entity.Competitor:
				sig.CompetitorIDs = append(sig.CompetitorIDs, m.Entity.NodeID())
				it.Competitors = append(it.Competitors, valuegraph.Competitor{ID: m.Entity.NodeID(), Name: m.Entity.Name, Aliases: m.Entity.Terms})
			}
			if m.Entity.Kind == "product" { // competitors' products too: 阿里云 is both
				p := valuegraph.Product{ID: m.Entity.NodeID(), Name: m.Entity.Name, Aliases: m.Entity.Terms, Vendor: x.Vendor(m.Entity)}
				if m.Entity.Competitor {
					p.CompetitorID = m.Entity.NodeID()
				}
				sig.ProductIDs = append(sig.ProductIDs, p.ID)
				it.Products = append(it.Products, p)
			}
		}
		if err := emit(it); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: line + 1, Message: err.Error(), Err: err}
	}
	return nil
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
