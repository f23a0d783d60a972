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
	bad := func(field, msg string) error {
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: 1, Field: field, Message: msg}
	}
	if n.Buyer == "" {
		reject(bad("buyer", n.Missing["buyer"]))
		return nil
	}
	if n.PublishedAt.IsZero() {
		reject(bad("published_ts", "no publication date"))
		return nil
	}
	source := firstOf(p.Source, sn.Website, "notices")
	key := sn.URL
	if key == "" {
		key = file
	}
	h := sha256.Sum256([]byte(key))
	kind := valuegraph.SignalAward
	if n.Type == "招标" {
		kind = valuegraph.SignalTender
	}
	text := Text(sn.Content)
	sig := &valuegraph.Signal{ID: "notice:" + hex.EncodeToString(h[:12]), Kind: kind, Title: firstOf(n.Project, sn.Title), URL: sn.URL,
		Text: clip(text, 4000), Source: source, Trust: valuegraph.TrustL2, OccurredAt: n.PublishedAt}
	if n.Amount > 0 {
		sig.Amount, sig.Currency = n.Amount, "CNY"
	}
	it := ingest.Item{Pos: ingest.Position{File: file, Line: 1}, Signal: sig, About: []ingest.Mention{{Name: n.Buyer, Source: source}}}
	for _, s := range n.Suppliers() {
		it.Winners = append(it.Winners, ingest.Mention{Name: s, Source: source})
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
