package crawlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
)

// SavedNotices reads notices saved to files, one notice per file, in either
// of two forms, told apart by content (not by the file's extension):
//
//   - a crawler's JSON (as in ../shared/data/tenders-cn: title, url,
//     announce_type, purchaser_name, agent_name, project_name, published_ts,
//     content);
//   - the page as published: a whole HTML page (a repost on a news site
//     included) or a fragment of its body, in its own encoding (a page
//     declares it in a <meta> tag: GBK pages are read as such).
//
// Each becomes a signal through the notice extractor: award and candidates
// notices become award signals about the buyer won by the winners; tender
// notices tender signals. A notice that lacks a buyer, a winner or a date is
// kept, with the Problems saying what it lacks; only a file that says nothing
// (neither title nor text) is rejected.
type SavedNotices struct {
	Source string        // default: the site's name (website), else "notices"
	Labels *NoticeLabels // default: the built-in conventions
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
	Total         struct {
		Amount float64 `json:"money_amount"`
		Unit   string  `json:"money_unit"`
	} `json:"total_winning_money"`
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
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	labels := p.Labels
	if labels == nil {
		labels = defaultNoticeLabels()
	}
	var in NoticeInput
	source := p.Source
	switch trimmed := bytes.TrimSpace(b); {
	case len(trimmed) > 0 && trimmed[0] == '{':
		var sn savedNotice
		if err := json.Unmarshal(trimmed, &sn); err != nil {
			lead := bytes.Count(b[:len(b)-len(bytes.TrimLeft(b, " \t\r\n"))], []byte("\n"))
			return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: lead + jsonErrorLine(trimmed, err), Message: "not a saved notice: " + err.Error(), Err: err}
		}
		in = NoticeInput{URL: sn.URL, Title: sn.Title, AnnounceType: sn.AnnounceType, PurchaserName: rawString(sn.PurchaserName),
			AgentName: rawString(sn.AgentName), ProjectName: rawString(sn.ProjectName), PublishedAt: sn.PublishedTS, Content: sn.Content}
		if sn.Total.Amount > 0 {
			in.TotalAmount = strconv.FormatFloat(sn.Total.Amount, 'f', -1, 64) + firstOf(sn.Total.Unit, "元")
		}
		source = firstOf(source, sn.Website)
	case bytes.Contains(trimmed, []byte("<")):
		page, err := decodePage(b)
		if err != nil {
			return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: 1, Message: err.Error(), Err: err}
		}
		in = NoticeInput{Title: pageTitle(page, labels), Content: page}
	default:
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: 1, Message: "neither a crawler's JSON notice nor an HTML page"}
	}
	if strings.TrimSpace(Text(in.Content)) == "" && strings.TrimSpace(in.Title) == "" {
		reject(&valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: 1, Field: "content", Message: "a notice with neither title nor content"})
		return nil
	}
	it, err := noticeItem(labels.Extract(in), in, firstOf(source, "notices"), valuegraph.TrustL2, file, 1)
	if err != nil {
		reject(err)
		return nil
	}
	return emit(it)
}

// jsonErrorLine is the line a JSON decoding error points at (1 when it
// points nowhere).
func jsonErrorLine(b []byte, err error) int {
	var off int64
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	}
	return 1 + bytes.Count(b[:min(int(off), len(b))], []byte("\n"))
}

// decodePage turns a saved page's bytes into text: as they are when they are
// valid UTF-8 (ingest may have decoded them already), else by the charset
// the page declares (GBK, GB2312, Big5, …), else as GB18030, the usual
// encoding of a Chinese page that declares none.
func decodePage(b []byte) (string, error) {
	if utf8.Valid(b) {
		return string(b), nil
	}
	enc, name, certain := charset.DetermineEncoding(b, "text/html")
	if !certain || name == "windows-1252" {
		enc, _ = charset.Lookup("gb18030")
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// A fragment cut out of a table (it opens with a row or a cell) loses its
// rows to the HTML parser unless it is put back in a table.
var tableFragmentRe = regexp.MustCompile(`(?is)^\s*<(tr|td|th|tbody)[\s>]`)

// pageTitle is the notice's title on a saved page: the part of the page's
// <title> that the body repeats (a site's name after it dropped), else the
// title as it is; "" for a fragment, whose title the extractor guesses.
func pageTitle(page string, labels *NoticeLabels) string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return ""
	}
	var title string
	var find func(*html.Node)
	find = func(n *html.Node) {
		if title != "" {
			return
		}
		if n.Type == html.ElementNode && n.Data == "title" && n.FirstChild != nil {
			title = squeeze(n.FirstChild.Data)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if title == "" {
		return ""
	}
	body := Text(page)
	rs := []rune(title)
	for n := len(rs); n >= 6; n-- {
		if prefix := strings.TrimRight(string(rs[:n]), " -_|"); strings.Contains(body, prefix) && labels.hasTitleSuffix(prefix) {
			return prefix
		}
	}
	return ""
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// noticeItem turns an extracted notice into an ingest item: an award signal
// about the buyer won by the winners (a tender signal for tender notices),
// with an id from the notice's URL (else its file) so a notice read again is
// the same signal. What the notice lacks goes into the item's Problems; its
// reading into Detail, for dry runs. A notice that gives no date at all is
// refused: a signal is evidence at a time.
func noticeItem(n Notice, in NoticeInput, source string, trust valuegraph.TrustLevel, file string, line int) (ingest.Item, error) {
	h := sha256.Sum256([]byte(firstOf(in.URL, file)))
	// An award names who won (a corrected result may too); a call for bids,
	// a failed procurement or a correction naming nobody says the buyer is
	// buying: a tender signal.
	kind := valuegraph.SignalTender
	if n.Type == NoticeAward || n.Type == NoticeCandidates || len(n.Lots) > 0 {
		kind = valuegraph.SignalAward
	}
	occurred := n.PublishedAt
	if occurred.IsZero() {
		occurred = n.LatestDate // said in the publishedAt problem
	}
	if occurred.IsZero() {
		return ingest.Item{}, &valuegraph.Error{Code: valuegraph.EINVALID, File: firstOf(file, in.URL), Line: line, Field: "publishedAt",
			Message: "the notice gives no date at all (no publication date, no other date in its text): a signal needs one"}
	}
	sig := &valuegraph.Signal{ID: "notice:" + hex.EncodeToString(h[:12]), Kind: kind, Title: firstOf(n.Project, n.Title, file), URL: in.URL,
		Text: clip(Text(in.Content), 4000), Source: source, Trust: trust, OccurredAt: occurred}
	if n.Amount > 0 {
		sig.Amount, sig.Currency = n.Amount, "CNY"
	}
	it := ingest.Item{Pos: ingest.Position{File: firstOf(file, in.URL), Line: line}, Signal: sig, Problems: n.Problems,
		Detail: map[string]any{"notice": n.Detail()}}
	if n.Buyer != "" {
		it.About = []ingest.Mention{{Name: n.Buyer, Source: source}}
	}
	for _, s := range n.Suppliers() {
		it.Winners = append(it.Winners, ingest.Mention{Name: s, Source: source})
	}
	return it, nil
}
