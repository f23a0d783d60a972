package crawlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

// SavedNotices reads notices a crawler saved as JSON (one object per file,
// as in ../shared/data/tenders-cn: title, url, announce_type,
// purchaser_name, agent_name, project_name, published_ts, content) and
// turns each into a signal through the notice extractor: award notices
// (中标, 成交, 结果) become award signals about the buyer won by the
// suppliers; tender notices become tender signals.
type SavedNotices struct {
	Source string // default: the site's name (website), else "notices"
}

type savedNotice struct {
	URL           string          `json:"url"`
	Title         string          `json:"title"`
	Website       string          `json:"website"`
	AnnounceType  string          `json:"announce_type"`
	PurchaserName json.RawMessage `json:"purchaser_name"`
	AgentName     json.RawMessage `json:"agent_name"`
	ProjectName   json.RawMessage `json:"project_name"`
	PublishedTS   string          `json:"published_ts"`
	Content       string          `json:"content"`
}

func rawString(r json.RawMessage) string {
	var s string
	if json.Unmarshal(r, &s) != nil {
		return ""
	}
	return s
}

// Parse reads one file; see ingest.Parser.
func (p SavedNotices) Parse(ctx context.Context, r io.Reader, file string, emit func(ingest.Item) error, reject func(error)) error {
	var sn savedNotice
	dec := json.NewDecoder(r)
	if err := dec.Decode(&sn); err != nil {
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: 1, Message: "not a saved notice: " + err.Error(), Err: err}
	}
	if strings.TrimSpace(sn.Content) == "" && sn.Title == "" {
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: 1, Field: "content", Message: "a notice with neither title nor content"}
	}
	n := ExtractNotice(NoticeInput{URL: sn.URL, Title: sn.Title, AnnounceType: sn.AnnounceType, PurchaserName: rawString(sn.PurchaserName),
		AgentName: rawString(sn.AgentName), ProjectName: rawString(sn.ProjectName), PublishedAt: sn.PublishedTS, Content: sn.Content})
	it, err := noticeItem(n, NoticeInput{URL: sn.URL, Title: sn.Title, Content: sn.Content}, firstOf(p.Source, sn.Website, "notices"),
		valuegraph.TrustL2, file, 1)
	if err != nil {
		reject(err)
		return nil
	}
	// An award whose winner the text does not name is kept: the buyer
	// still bought something.
	return emit(it)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// noticeItem turns an extracted notice into an ingest item: an award signal
// about the buyer won by the suppliers (a tender signal for 招标 notices),
// with an id from the notice's URL so a notice crawled again is the same
// signal.
func noticeItem(n Notice, in NoticeInput, source string, trust valuegraph.TrustLevel, file string, line int) (ingest.Item, error) {
	bad := func(field, msg string) error {
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: firstOf(file, in.URL), Line: line, Field: field, Message: msg}
	}
	if n.Buyer == "" {
		return ingest.Item{}, bad("buyer", n.Missing["buyer"])
	}
	if n.PublishedAt.IsZero() {
		return ingest.Item{}, bad("published", "no publication date")
	}
	h := sha256.Sum256([]byte(firstOf(in.URL, file)))
	kind := valuegraph.SignalAward
	if n.Type == "招标" {
		kind = valuegraph.SignalTender
	}
	sig := &valuegraph.Signal{ID: "notice:" + hex.EncodeToString(h[:12]), Kind: kind, Title: firstOf(n.Project, in.Title), URL: in.URL,
		Text: clip(Text(in.Content), 4000), Source: source, Trust: trust, OccurredAt: n.PublishedAt}
	if n.Amount > 0 {
		sig.Amount, sig.Currency = n.Amount, "CNY"
	}
	it := ingest.Item{Pos: ingest.Position{File: firstOf(file, in.URL), Line: line}, Signal: sig, About: []ingest.Mention{{Name: n.Buyer, Source: source}}}
	for _, s := range n.Suppliers() {
		it.Winners = append(it.Winners, ingest.Mention{Name: s, Source: source})
	}
	return it, nil
}
