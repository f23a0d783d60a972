package crawlers

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/valuegraph/valuegraph/ingest"
)

// NoticeInput is a notice as a crawler or a saved page gives it: the fields
// the site's own metadata gave (any may be empty), and the notice body as
// HTML (a fragment or a whole page).
type NoticeInput struct {
	URL           string
	Title         string
	AnnounceType  string // 成交公告, 结果公告, 中标公示, …
	PurchaserName string
	AgentName     string
	ProjectName   string
	PublishedAt   string // "2016-11-30 15:58:59"
	TotalAmount   string // the total awarded as the metadata gives it, with its unit: "528000 元"
	Content       string // HTML
}

// Notice is what the extractor read from a notice. A field it could not
// find is empty, with the reason in Problems; nothing is guessed.
type Notice struct {
	Type        string // NoticeAward, NoticeCandidates, …; "" when neither title nor content says
	Title       string
	Buyer       string
	Agency      string
	Project     string
	Number      string
	PublishedAt time.Time // zero when the notice gives no publication date
	Lots        []Lot     // one per winner (per first-ranked candidate in a candidates notice)
	Amount      float64   // total awarded, yuan; 0 when not given
	// LatestDate is the latest date the text states (an award or review
	// date): what a notice without a publication date can be dated by.
	LatestDate time.Time
	Problems   []ingest.Problem
}

// Lot is one winner and what it was awarded.
type Lot struct {
	Winner string
	Amount *float64 // yuan; nil when the notice states none (a candidate list, a rate, a unit price)
}

// Suppliers lists the winners, each once.
func (n Notice) Suppliers() []string {
	var out []string
	for _, l := range n.Lots {
		if !slices.Contains(out, l.Winner) {
			out = append(out, l.Winner)
		}
	}
	return out
}

// NoticeDetail is a notice as a dry run prints it.
type NoticeDetail struct {
	Buyer         string      `json:"buyer"`
	Agency        string      `json:"agency"`
	Project       string      `json:"project"`
	ProjectNumber string      `json:"projectNumber"`
	NoticeType    string      `json:"noticeType"`
	PublishedAt   string      `json:"publishedAt"` // YYYY-MM-DD in China Standard Time, "" when not given
	Lots          []LotDetail `json:"lots"`
}

// LotDetail is one lot of a NoticeDetail.
type LotDetail struct {
	Winner     string   `json:"winner"`
	AmountYuan *float64 `json:"amountYuan"`
}

// Detail is the notice in the shape a dry run prints.
func (n Notice) Detail() NoticeDetail {
	d := NoticeDetail{Buyer: n.Buyer, Agency: n.Agency, Project: n.Project, ProjectNumber: n.Number, NoticeType: n.Type, Lots: []LotDetail{}}
	if !n.PublishedAt.IsZero() {
		d.PublishedAt = n.PublishedAt.In(chinaTime).Format("2006-01-02")
	}
	for _, l := range n.Lots {
		d.Lots = append(d.Lots, LotDetail{Winner: l.Winner, AmountYuan: l.Amount})
	}
	return d
}

var chinaTime = time.FixedZone("CST", 8*3600)

// ExtractNotice reads a notice by the built-in label conventions.
func ExtractNotice(in NoticeInput) Notice { return defaultNoticeLabels().Extract(in) }

// Extract reads a notice: each field from the site's metadata first, then
// from the text by the conventions' labels. It never fails: what it cannot
// find is left empty and said in Problems.
func (l *NoticeLabels) Extract(in NoticeInput) Notice {
	lines := strings.Split(Text(in.Content), "\n")
	r := reading{l: l, lines: lines, pairs: l.pairs(lines)}
	n := Notice{Title: squeeze(in.Title)}
	if n.Title == "" {
		n.Title = r.title()
	}

	n.Buyer = firstOf(cleanName(in.PurchaserName, l), r.field("buyer", l.Fields.Buyer), r.section("buyer"))
	agency := firstOf(cleanName(in.AgentName, l), r.field("agency", l.Fields.Agency), r.section("agency"))
	if agency == n.Buyer {
		// The buyer ran it itself; the text may still name its own agency.
		agency = firstOf(r.field("agency", l.Fields.Agency), r.section("agency"))
	}
	if b, a := r.entrusted(); b != "" {
		n.Buyer = firstOf(n.Buyer, b)
		agency = firstOf(agency, a)
	}
	if agency != n.Buyer {
		n.Agency = agency
	}
	n.Project = firstOf(clean(in.ProjectName), r.field("project", l.Fields.Project))
	if n.Project == "" {
		n.Project = l.projectFromTitle(n.Title)
	}
	n.Number = cutNumber(r.field("projectNumber", l.Fields.ProjectNumber))
	n.PublishedAt = firstDate(in.PublishedAt)
	if n.PublishedAt.IsZero() {
		n.PublishedAt = r.published(n.Title)
	}
	n.LatestDate = r.latestDate()

	lots, candidates := r.lots()
	n.Type = l.noticeType(in.AnnounceType, n.Title, r.lines)
	switch {
	case n.Type == NoticeCandidates || (len(lots) == 0 && len(candidates) > 0 && (n.Type == NoticeAward || n.Type == "")):
		n.Type = NoticeCandidates
		if len(lots) == 0 {
			lots = candidates
		}
		for i := range lots {
			lots[i].Amount = nil // a bid is not an award
		}
	case n.Type == "" && len(lots) > 0:
		n.Type = NoticeAward
	case n.Type == NoticeTender || n.Type == NoticeTermination:
		lots = nil // nobody won: names in a call for bids or a failed procurement are not winners
	}
	n.Lots = lots
	for _, lot := range lots {
		if lot.Amount != nil {
			n.Amount += *lot.Amount
		}
	}
	if n.Amount == 0 && n.Type == NoticeAward {
		// The lots give no amount: the notice's total, in the text or the
		// site's metadata (where 0 means the crawler found none).
		v, ok := r.total()
		if !ok {
			v, ok = amount(in.TotalAmount, "")
		}
		if ok {
			n.Amount = v
			if len(lots) == 1 {
				lots[0].Amount = &v
			}
		}
	}
	n.Amount = round2(n.Amount)
	n.Problems = r.problems(n)
	return n
}

// reading is one notice being read.
type reading struct {
	l     *NoticeLabels
	lines []string
	pairs []pair
}

// pair is a label found in the text and the value beside it.
type pair struct {
	label, role, unit string // unit from the label: 万元, 元, perUnit
	key               string // the key as written, normalised
	value             string
}

var (
	// A date as notices write them: 2016-11-30, 2016/11/14, 2016年11月16日, 2016.11.3.
	dateRe = regexp.MustCompile(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)
	// A line that is only a date: how a notice signs off.
	dateLineRe = regexp.MustCompile(`^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$`)
	// A line that opens with a date, perhaps after a site's name: a repost's date line.
	datelineRe = regexp.MustCompile(`^(?:[A-Za-z0-9.\-]+\s+)?\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}`)
	// Amounts: ￥1,283,000.00, ￥513万元, 31.68万元, 99，550.00元, RMB1256772.03元.
	moneyRe = regexp.MustCompile(`[￥¥]\s*[:：]?\s*([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(万元|万)?|([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(万元|万|元)`)
	// Spaces between digits ("28 293 076.46元") and a unit in brackets ("12.5(万元)").
	digitSpaceRe  = regexp.MustCompile(`([0-9,，.])\s+([0-9])`)
	bracketUnitRe = regexp.MustCompile(`\((万元|元|人民币元)\)`)
	// A bare number, the whole cell (a column's header gives the unit).
	bareNumberRe = regexp.MustCompile(`^[0-9][0-9,，]*(?:\.[0-9]+)?$`)
	noneRe       = regexp.MustCompile(`见公告原文|详见公告|无供应商报价|废标|流标`)
	enumeratorRe = regexp.MustCompile(`^(?:\(?[一二三四五六七八九十]{1,3}[)、.]|[0-9]{1,2}[、.)]|\([0-9]{1,2}\)|第[一二三四五六七八九十]{1,3}[、,])\s*`)
	// "X受Y(的)委托": X is the agency, Y the buyer; or "受Y委托，X于…".
	entrustedRe  = regexp.MustCompile(`^(.{4,40}?)受(?:采购人|招标人)?(.{2,40}?)的?委托`)
	entrustedRe2 = regexp.MustCompile(`受(?:采购人|招标人)?(.{2,40}?)的?委托[，,]\s*(.{4,40}?)(?:于|就|对|在)`)
	// "X为第一中标候选人".
	rankedNameRe  = regexp.MustCompile(`([^，,。；;：:\s]{4,60}?)为(第一\S{0,8}候选人|第一名)`)
	phoneTail     = regexp.MustCompile(`\s*[0-9][0-9\- ]{6,}$`)
	titleNumberRe = regexp.MustCompile(`\([0-9A-Za-z,，\-]+\)$`)
	lotEndRe      = regexp.MustCompile(`^(?:分包号|包号|[一二三四五六七八九十]+[、.．])`)
)

// problems says what the notice lacks that a signal needs.
func (r *reading) problems(n Notice) []ingest.Problem {
	var out []ingest.Problem
	add := func(field, reason string) { out = append(out, ingest.Problem{Field: field, Reason: reason}) }
	if n.Type == "" {
		add("noticeType", "neither the title nor the text says what kind of notice this is")
	}
	if n.Buyer == "" {
		add("buyer", "no buyer label in the metadata or the text")
	}
	if n.Project == "" {
		add("project", "no project label and no title to take it from")
	}
	if n.PublishedAt.IsZero() {
		reason := "no publication date in the metadata or the text"
		if !n.LatestDate.IsZero() {
			reason += "; dated by the latest date the text gives, " + n.LatestDate.In(chinaTime).Format("2006-01-02")
		}
		add("publishedAt", reason)
	}
	if n.Type == NoticeAward || n.Type == NoticeCandidates {
		if len(n.Lots) == 0 {
			if m := noneRe.FindString(strings.Join(r.lines, "\n")); m != "" {
				add("lots", "the notice names no winner ("+m+")")
			} else {
				add("lots", "no winner found in the text")
			}
		} else if n.Type == NoticeAward && n.Amount == 0 {
			add("amount", "no award amount stated (or only a rate or unit prices)")
		}
	}
	return out
}

// isOrg says whether s reads as an organisation's name: it ends like one,
// or holds a word only names hold (有限, 股份), and is not a placeholder.
func (l *NoticeLabels) isOrg(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 4 || n > 60 || noneRe.MatchString(s) || strings.ContainsAny(s, ":：") {
		return false
	}
	for _, e := range l.OrganisationEndings {
		if strings.HasSuffix(s, e) {
			return true
		}
	}
	for _, w := range l.OrganisationWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// cleanName cuts a name out of its value: before a comma, a slash, a date,
// a phone number, or a word that starts another field (地址, 联系人, …).
func cleanName(s string, l *NoticeLabels) string {
	s = clean(stripEnumerator(strings.TrimSpace(s)))
	if i := strings.IndexAny(s, "，,。；;/\t"); i > 0 {
		s = s[:i]
	}
	if m := dateRe.FindStringIndex(s); m != nil && m[0] > 0 {
		s = s[:m[0]] // "招标人：某学校 2017年1月6日（单位公章）"
	}
	s = cutAtLabel(s, l)
	return clean(stripPhone(s))
}

// cutAtLabel cuts a value where a stop word or another label begins
// ("上海某公司地址…", "某项目项目编号：…").
func cutAtLabel(s string, l *NoticeLabels) string {
	cut := len(s)
	for _, w := range l.StopWords {
		if i := strings.Index(s, w); i > 0 && i < cut {
			cut = i
		}
	}
	return strings.TrimSpace(s[:cut])
}

// cutNumber keeps a project number up to the first space, sentence
// punctuation or unbalanced closing bracket ("16184）组织采购…").
func cutNumber(s string) string {
	depth := 0
	for i, r := range s {
		switch r {
		case '(', '（', '[', '【':
			depth++
		case ')', '）', ']', '】':
			if depth == 0 {
				return strings.TrimSpace(s[:i])
			}
			depth--
		case ' ', '，', '。', '；', ';', '\t':
			return strings.TrimSpace(s[:i])
		}
	}
	return strings.TrimSpace(s)
}

func cellAt(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// clean trims a value and drops "None" and placeholders.
func clean(s string) string {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "：:;；。，,.．"))
	if s == "None" || s == "null" || s == "/" || s == "--" || s == "无" {
		return ""
	}
	return s
}

func stripPhone(s string) string { return strings.TrimSpace(phoneTail.ReplaceAllString(s, "")) }

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func firstDate(ss ...string) time.Time {
	for _, s := range ss {
		if s == "" {
			continue
		}
		if t, err := ingest.Date(s, nil); err == nil {
			return t
		}
		if t := textDate(s); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
