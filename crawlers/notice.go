package crawlers

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
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

// pairs finds every "label：value" in the text and every table cell holding
// a label followed by its value's cell.
func (l *NoticeLabels) pairs(lines []string) []pair {
	var out []pair
	for i, line := range lines {
		cells := strings.Split(line, "\t")
		if i+1 < len(lines) {
			if row := l.columnPairs(cells, strings.Split(lines[i+1], "\t")); row != nil {
				for _, p := range row {
					out = append(out, p)
				}
				continue
			}
		}
		for j, cell := range cells {
			if strings.ContainsAny(cell, ":：") {
				for _, p := range l.colonPairs(cell) {
					if p.role == "" {
						// "1：中标供应商名称广东凡人医疗器械有限公司…", "1：供应商名称 某公司 ；…":
						// the labels are in the value.
						out = append(out, l.spacedPairs(p.value)...)
						continue
					}
					if p.value == "" && j+1 < len(cells) { // "label：" then the value's cell
						p.value = cells[j+1]
					}
					out = append(out, p)
				}
				continue
			}
			label, role, unit, ok := l.match(cell)
			if !ok || role == roleWinnerColumn || role == roleCandidateColumn || role == roleRank || role == roleProduct {
				out = append(out, l.spacedPairs(cell)...)
				continue
			}
			value := ""
			switch {
			case j+1 < len(cells):
				if _, _, _, isLabel := l.match(cells[j+1]); !isLabel {
					value = cells[j+1]
				}
			case len(cells) == 1 || j == len(cells)-1:
				// The label ends its row: the value opens the next line ("公示日期" / "2016年11月15日 至 …").
				if i+1 < len(lines) {
					next := strings.Split(lines[i+1], "\t")[0]
					if _, _, _, isLabel := l.match(next); !isLabel && !strings.ContainsAny(next, ":：") {
						value = next
					}
				}
			}
			if value != "" {
				out = append(out, pair{label: label, role: role, unit: unit, key: normKey(cell), value: value})
			}
		}
	}
	return out
}

// columnPairs reads a row of field labels over a row of their values
// ("项目名称 | 项目编号 | 采购人" then "X | Y | Z"): nil when header is not
// such a row.
func (l *NoticeLabels) columnPairs(header, values []string) []pair {
	if len(header) < 2 || len(values) != len(header) {
		return nil
	}
	for _, c := range values {
		if _, _, _, isLabel := l.match(c); isLabel || strings.ContainsAny(c, ":：") {
			return nil
		}
	}
	var out []pair
	for j, h := range header {
		label, role, unit, ok := l.match(h)
		if !ok || strings.ContainsAny(h, ":：") {
			return nil
		}
		switch role {
		case "buyer", "agency", "project", "projectNumber", "publishedAt":
			out = append(out, pair{label: label, role: role, unit: unit, key: normKey(h), value: values[j]})
		}
	}
	if len(out) == 0 {
		return nil // a result table's header: read by tables
	}
	return out
}

// colonPairs reads the "key：value" runs of one cell. A key runs back from
// its colon to a space, an unbalanced bracket or punctuation. When a known
// label ends the run ("…有限公司成交金额："), only the label is the key and
// what precedes it ends the value before; an unknown key is taken to be the
// Chinese word run before its colon. Unknown keys are returned too (role
// ""), for values that carry a label glued to them.
func (l *NoticeLabels) colonPairs(cell string) []pair {
	rs := []rune(cell)
	type colon struct{ keyStart, labelStart, at int }
	var colons []colon
	for i, r := range rs {
		if r != ':' && r != '：' {
			continue
		}
		if i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]) {
			continue // 09:30
		}
		if i+2 < len(rs) && rs[i+1] == '/' && rs[i+2] == '/' {
			continue // http://
		}
		floor := 0
		if len(colons) > 0 {
			floor = colons[len(colons)-1].at + 1
		}
		start := keyStart(rs, floor, i)
		label := -1
		for k := start; k < i; k++ {
			if l.exact(string(rs[k:i])) {
				label = k
				break
			}
		}
		if label < 0 {
			// An unknown key: its run of Chinese (and brackets) before the colon.
			label = i
			for label > start && (isHan(rs[label-1]) || strings.ContainsRune("()（）", rs[label-1])) {
				label--
			}
		}
		colons = append(colons, colon{start, label, i})
	}
	var out []pair
	for c, col := range colons {
		end := len(rs)
		if c+1 < len(colons) {
			end = colons[c+1].labelStart
		}
		key := string(rs[col.keyStart:col.at])
		value := strings.TrimSpace(string(rs[col.at+1 : end]))
		label, role, unit, ok := l.match(key)
		if !ok {
			label, role, unit, ok = l.match(string(rs[col.labelStart:col.at]))
		}
		if !ok {
			role = ""
		}
		out = append(out, pair{label: label, role: role, unit: unit, key: normKey(key), value: value})
	}
	return out
}

// keyStart is where the key ending at the colon at i begins: after the last
// space, punctuation or unbalanced opening bracket, not before floor.
func keyStart(rs []rune, floor, i int) int {
	depth := 0
	k := i
	for k > floor {
		r := rs[k-1]
		switch {
		case r == ')' || r == '）':
			depth++
		case r == '(' || r == '（':
			if depth == 0 {
				return k
			}
			depth--
		case isKeyBoundary(r):
			return k
		}
		k--
	}
	return k
}

// exact says whether s is a label as it stands (a unit in brackets aside).
func (l *NoticeLabels) exact(s string) bool {
	k, _ := cutUnit(normKey(s))
	_, ok := l.roles[k]
	return k != "" && ok
}

// stripEnumerator drops a leading "一、", "3.", "(二)" (not the "1." of 1.5).
func stripEnumerator(s string) string {
	m := enumeratorRe.FindStringIndex(s)
	if m == nil {
		return s
	}
	if rest := s[m[1]:]; strings.HasSuffix(strings.TrimSpace(s[:m[1]]), ".") && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		return s
	}
	return s[m[1]:]
}

func isKeyBoundary(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("【[，,。；;、“\"", r)
}

// spacedPairs reads labels written without a colon, in a cell or a
// "；"-separated list: "供应商名称 某公司 ；中标（成交）金额 1267500", where a
// space parts the label from its value; a winner's label may also be glued
// to the name ("中标供应商名称广东某某有限公司法人代表…").
func (l *NoticeLabels) spacedPairs(cell string) []pair {
	var out []pair
	for _, seg := range strings.FieldsFunc(halfWidth(cell), func(r rune) bool { return r == ';' }) {
		seg = stripEnumerator(strings.TrimSpace(seg))
		if p, ok := l.spacedPair(seg); ok {
			out = append(out, p)
		}
	}
	return out
}

func (l *NoticeLabels) spacedPair(seg string) (pair, bool) {
	head, rest, spaced := strings.Cut(seg, " ")
	if spaced {
		label, role, unit, ok := l.match(head)
		if ok && normKey(head) == label+unitSuffix(head) && role != roleWinnerColumn && role != roleCandidateColumn && role != roleRank && role != roleProduct {
			if v := strings.TrimSpace(rest); v != "" {
				return pair{label: label, role: role, unit: unit, key: normKey(head), value: v}, true
			}
		}
	}
	k := normKey(seg)
	for _, w := range l.Winner {
		lab := normKey(w)
		if rest, ok := strings.CutPrefix(k, lab); ok && utf8.RuneCountInString(lab) >= 4 {
			if name := cleanName(rest, l); l.isOrg(name) {
				return pair{label: lab, role: roleWinner, key: lab, value: name}, true
			}
		}
	}
	return pair{}, false
}

// unitSuffix is the bracketed unit a key ends with ("(万元)"), normalised.
func unitSuffix(key string) string {
	k := normKey(key)
	if base, unit := cutUnit(k); unit != "" {
		return k[len(base):]
	}
	return ""
}

// field is the value of the first of labels (in their order) the text uses
// for role.
func (r *reading) field(role string, labels []string) string {
	for _, lab := range labels {
		k := normKey(lab)
		for _, p := range r.pairs {
			if p.role != role || p.label != k {
				continue
			}
			v := p.value
			if role == "buyer" || role == "agency" {
				v = cleanName(v, r.l)
			} else {
				v = cutAtLabel(clean(v), r.l)
			}
			if v != "" {
				return v
			}
		}
	}
	return ""
}

// section reads "名称：X" under a heading that names a role ("一、采购人").
func (r *reading) section(role string) string {
	current := ""
	for _, line := range r.lines {
		if !strings.ContainsAny(line, ":：\t") {
			if ro := r.l.headingRole(line); ro != "" {
				current = ro
				continue
			}
			if enumeratorRe.MatchString(halfWidth(line)) {
				current = ""
			}
			continue
		}
		if current != role {
			continue
		}
		if k, v, ok := strings.Cut(halfWidth(line), ":"); ok && normKey(k) == "名称" {
			return cleanName(v, r.l)
		}
	}
	return ""
}

// headingRole is the buyer or agency a short heading opens with ("一、采购人",
// "1.采购代理机构信息"), else "".
func (l *NoticeLabels) headingRole(line string) string {
	k := normKey(line)
	if utf8.RuneCountInString(k) > 20 {
		return ""
	}
	best, role := 0, ""
	for _, f := range []struct {
		role   string
		labels []string
	}{{"buyer", l.Fields.Buyer}, {"agency", l.Fields.Agency}} {
		for _, lab := range f.labels {
			if lab := normKey(lab); strings.HasPrefix(k, lab) && len(lab) > best {
				best, role = len(lab), f.role
			}
		}
	}
	return role
}

// entrusted reads "X受Y的委托" (or "受Y委托，X于…"): buyer Y, agency X.
func (r *reading) entrusted() (buyer, agency string) {
	for _, line := range r.lines {
		if m := entrustedRe.FindStringSubmatch(line); m != nil && r.l.isOrg(cleanName(m[2], r.l)) {
			return cleanName(m[2], r.l), cleanName(m[1], r.l)
		}
		if m := entrustedRe2.FindStringSubmatch(line); m != nil && r.l.isOrg(cleanName(m[1], r.l)) {
			return cleanName(m[1], r.l), cleanName(m[2], r.l)
		}
	}
	return "", ""
}

// title guesses a notice's title from its text: the first short line that
// ends like a notice's title, else the first line.
func (r *reading) title() string {
	for i, line := range r.lines {
		if i > 100 {
			break
		}
		// A section heading ("四、中标信息") is not the title.
		if isTitleLine(line) && r.l.hasTitleSuffix(line) && !enumeratorRe.MatchString(halfWidth(line)) {
			return line
		}
	}
	if len(r.lines) > 0 && isTitleLine(r.lines[0]) {
		return r.lines[0]
	}
	return ""
}

func isTitleLine(line string) bool {
	n := utf8.RuneCountInString(line)
	return n >= 6 && n <= 80 && !strings.ContainsAny(line, "\t:：|")
}

func (l *NoticeLabels) hasTitleSuffix(s string) bool {
	for _, t := range l.TitleSuffixes {
		if utf8.RuneCountInString(t) >= 2 && strings.HasSuffix(normKey(s), normKey(t)) {
			return true
		}
	}
	return false
}

// onlySuffixes says whether s is made of title suffixes alone.
func (l *NoticeLabels) onlySuffixes(s string) bool {
	for changed := true; changed && s != ""; {
		changed = false
		for _, t := range l.TitleSuffixes {
			if rest, ok := strings.CutSuffix(s, halfWidth(t)); ok {
				s, changed = strings.TrimSpace(rest), true
			}
		}
	}
	return s == ""
}

// projectFromTitle strips the notice-type words off the end of a title.
func (l *NoticeLabels) projectFromTitle(title string) string {
	s := strings.TrimSpace(halfWidth(title))
	for changed := true; changed; {
		changed = false
		for _, t := range l.TitleSuffixes {
			t = halfWidth(t)
			if rest, ok := strings.CutSuffix(s, t); ok && utf8.RuneCountInString(rest) >= 4 {
				s, changed = strings.TrimRight(rest, " -_"), true
			}
		}
		// A trailing "(16A5119)" is the project's number, not its name.
		if rest := titleNumberRe.ReplaceAllString(s, ""); rest != s {
			s, changed = rest, true
		}
	}
	if l.onlySuffixes(s) {
		return "" // "中标公告": a title that names no project
	}
	// Keep the title's own brackets as written (halfWidth keeps the length).
	return string([]rune(strings.TrimSpace(title))[:utf8.RuneCountInString(s)])
}

// published finds the notice's publication date: a labelled one, a
// repost's date line under the title, or the date that signs it off.
func (r *reading) published(title string) time.Time {
	for _, lab := range r.l.Fields.PublishedAt {
		k := normKey(lab)
		for _, p := range r.pairs {
			if p.role != "publishedAt" || p.label != k || r.l.notPublished(strings.TrimSuffix(p.key, k)) {
				continue // 招标公告发布时间 is the tender's, not this notice's
			}
			if t := textDate(p.value); !t.IsZero() {
				return t
			}
		}
	}
	if title != "" {
		for i, line := range r.lines {
			if !strings.HasPrefix(line, title) {
				continue
			}
			for _, next := range r.lines[i+1 : min(len(r.lines), i+4)] {
				if datelineRe.MatchString(next) {
					return textDate(next)
				}
			}
			break
		}
	}
	for i := len(r.lines) - 1; i >= 0; i-- {
		if line := strings.TrimSpace(r.lines[i]); dateLineRe.MatchString(line) || hanDateLineRe.MatchString(line) {
			return textDate(line)
		}
	}
	return time.Time{}
}

func (r *reading) latestDate() time.Time {
	var latest time.Time
	for _, line := range r.lines {
		for _, m := range dateRe.FindAllString(line, -1) {
			if t := textDate(m); t.After(latest) {
				latest = t
			}
		}
	}
	return latest
}

// textDate reads the first date in s (China Standard Time).
func textDate(s string) time.Time {
	m := dateRe.FindStringSubmatch(s)
	if m == nil {
		return hanDate(s)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}
	}
	return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, chinaTime).UTC()
}

// noticeType reads the type from the site's announce type, the title, or
// the first lines of the text.
func (l *NoticeLabels) noticeType(announce, title string, lines []string) string {
	srcs := []string{announce, title}
	for i := 0; i < len(lines) && i < 3; i++ {
		if utf8.RuneCountInString(lines[i]) <= 30 {
			srcs = append(srcs, lines[i])
		}
	}
	for _, s := range srcs {
		s = normKey(s)
		if s == "" {
			continue
		}
		for _, t := range l.NoticeTypes {
			for _, w := range t.Words {
				if strings.Contains(s, normKey(w)) {
					return t.Type
				}
			}
		}
	}
	return ""
}

// lots reads who won: a result table's rows, else the winner labels, else a
// heading naming the winner over its line. candidates are the first-ranked
// bidders, for a notice that names no winner.
func (r *reading) lots() (lots, candidates []Lot) {
	tables := r.tables()
	for _, t := range tables {
		if t.explicit || !t.ranked {
			lots = append(lots, t.lots...)
		} else {
			candidates = append(candidates, t.lots...)
		}
	}
	if len(lots) == 0 {
		lots = r.labelledLots(tables)
	}
	if len(lots) == 0 {
		lots = r.headingLots()
	}
	candidates = append(candidates, r.rankedNames()...)
	return byWinner(lots), byWinner(candidates)
}

// byWinner keeps one lot per winner: a winner on several rows (one per
// item it supplies) was awarded their sum; when a row has no amount, the
// winner's amount is unknown.
func byWinner(lots []Lot) []Lot {
	var out []Lot
	for _, l := range lots {
		i := slices.IndexFunc(out, func(o Lot) bool { return o.Winner == l.Winner })
		switch {
		case i < 0:
			out = append(out, l)
		case out[i].Amount != nil && l.Amount != nil:
			sum := round2(*out[i].Amount + *l.Amount)
			out[i].Amount = &sum
		default:
			out[i].Amount = nil
		}
	}
	return out
}

// table is a result table: a header naming a winner (or bidder) column and
// the rows under it.
type table struct {
	lots     []Lot
	explicit bool // the name column is a winner's (中标供应商), not a bidder's
	ranked   bool // a rank column: only the first-ranked rows are kept
	amounts  []*float64
}

// tables reads every table whose header row names its columns. Rows may
// have fewer cells than the header (merged cells, empty cells dropped):
// a cell is looked for aligned on the right first, then on the left.
func (r *reading) tables() []table {
	var out []table
	for i := 0; i < len(r.lines); i++ {
		header := strings.Split(r.lines[i], "\t")
		if len(header) < 2 {
			continue
		}
		nameCol, amountCol, rankCol := -1, -1, -1
		explicit, candidateCol, unitPrice, product, unit := false, false, false, false, ""
		for j, h := range header {
			if i := strings.LastIndexAny(h, ":："); i >= 0 {
				_, size := utf8.DecodeRuneInString(h[i:])
				h = h[i+size:] // "…结果如下： 分包": the prose before the table shares its first cell
			}
			if r.l.isOrg(cleanName(h, r.l)) {
				nameCol = -2 // a row of values, not a header
				break
			}
			_, role, u, ok := r.l.match(h)
			if !ok {
				continue
			}
			switch role {
			case roleWinner, roleWinnerColumn, roleCandidateColumn:
				if nameCol == -1 && !r.l.notWinner(h) {
					nameCol, explicit, candidateCol = j, role == roleWinner, role == roleCandidateColumn
				}
			case roleAmount:
				if (amountCol < 0 || unitPrice) && !r.l.never(h) {
					amountCol, unit, unitPrice = j, u, u == "perUnit"
				}
			case rolePerUnit:
				if amountCol < 0 {
					amountCol, unitPrice = j, true
				}
			case roleRank:
				rankCol = j
			case roleProduct:
				product = true
			}
		}
		if nameCol == -2 || (nameCol < 0 && amountCol < 0) || (nameCol < 0 && len(header) < 3) {
			continue
		}
		// A list of products with their suppliers prices units, not lots.
		perUnit := unitPrice || (product && nameCol >= 0)
		t := table{explicit: explicit, ranked: rankCol >= 0 || candidateCol}
		k := i + 1
		blank := 0
		for ; k < len(r.lines) && blank < 6; k++ {
			row := strings.Split(r.lines[k], "\t")
			if lotEndRe.MatchString(row[0]) || r.isHeader(row) {
				break
			}
			if len(row) < 2 {
				blank++
				continue
			}
			if nameCol < 0 { // an amounts-only table (报价明细)
				if a, ok := rowAmount(row, header, amountCol, unit); ok && !perUnit {
					t.amounts = append(t.amounts, a)
					blank = 0
				} else {
					blank++
				}
				continue
			}
			name := r.rowName(row, header, nameCol)
			if name == "" {
				continue // a row of a merged cell's products, or 无
			}
			blank = 0
			if rankCol >= 0 && !r.l.isFirstRank(alignedCell(row, header, rankCol)) {
				continue
			}
			if rankCol < 0 && candidateCol && len(t.lots) > 0 {
				continue // candidates listed in their order, without a rank column: the first is first
			}
			lot := Lot{Winner: name}
			if amountCol >= 0 && !perUnit {
				if a, ok := rowAmount(row, header, amountCol, unit); ok {
					lot.Amount = a
				}
			}
			t.lots = append(t.lots, lot)
		}
		if len(t.lots) > 0 || len(t.amounts) > 0 {
			out = append(out, t)
			i = k - 1
		}
	}
	return out
}

// isHeader says whether a row is another table's header (it names a
// winner column).
func (r *reading) isHeader(row []string) bool {
	if len(row) < 2 {
		return false
	}
	for _, c := range row {
		if _, role, _, ok := r.l.match(c); ok && (role == roleWinner || role == roleWinnerColumn || role == roleCandidateColumn) && !strings.ContainsAny(c, ":：") {
			return true
		}
	}
	return false
}

func alignedCell(row, header []string, col int) string {
	if c := cellAt(row, col+len(row)-len(header)); c != "" {
		return c
	}
	return cellAt(row, col)
}

// rowName is the row's organisation in the name column (aligned right, then
// left), else the one organisation the row names.
func (r *reading) rowName(row, header []string, col int) string {
	for _, c := range []string{cellAt(row, col+len(row)-len(header)), cellAt(row, col)} {
		if name := cleanName(c, r.l); r.l.isOrg(name) {
			return name
		}
	}
	only := ""
	for _, c := range row {
		if name := cleanName(c, r.l); r.l.isOrg(name) {
			if only != "" && only != name {
				return "" // two names: which one is the winner is not clear
			}
			only = name
		}
	}
	return only
}

// rowAmount reads the row's amount in the amount column: a money cell, or
// a bare number in the header's unit. A price per unit (元/支) is none.
func rowAmount(row, header []string, col int, unit string) (*float64, bool) {
	for _, c := range []string{cellAt(row, col+len(row)-len(header)), cellAt(row, col)} {
		if strings.Contains(c, "元/") {
			return nil, true
		}
		if v, ok := amount(c, unit); ok {
			return &v, true
		}
	}
	return nil, false
}

// labelledLots pairs the winners the labels name with the amounts they
// give: one each in order when they match in number, else the one amount
// of the one winner; an amounts-only table pairs by order too.
func (r *reading) labelledLots(tables []table) []Lot {
	var winners []string
	var amounts []*float64
	for _, p := range r.pairs {
		switch p.role {
		case roleWinner:
			if r.l.notWinner(strings.TrimSuffix(p.key, p.label)) {
				continue // 未中标供应商名称
			}
			for _, name := range r.l.names(p.value) {
				if !slices.Contains(winners, name) {
					winners = append(winners, name)
				}
			}
		case roleAmount:
			if r.l.never(p.key) || p.unit == "perUnit" || strings.Contains(p.value, "元/") {
				continue
			}
			if v, ok := amount(p.value, p.unit); ok {
				amounts = append(amounts, &v)
			}
		}
	}
	if len(winners) == 0 {
		return nil
	}
	lots := make([]Lot, len(winners))
	for i, w := range winners {
		lots[i].Winner = w
	}
	var tableAmounts []*float64
	for _, t := range tables {
		tableAmounts = append(tableAmounts, t.amounts...)
	}
	switch {
	case len(amounts) == len(winners):
		for i := range lots {
			lots[i].Amount = amounts[i]
		}
	case len(tableAmounts) == len(winners):
		for i := range lots {
			lots[i].Amount = tableAmounts[i]
		}
	case len(winners) == 1 && len(amounts) > 0:
		lots[0].Amount = amounts[0]
	}
	return lots
}

// headingLots reads a heading that names the winner ("六、成交结果(入围供应
// 商)", "成交供应商名称、地址及成交金额：") and the lines under it that open
// with a name ("1. 某某有限公司，地址：…，成交金额：10万元"), one lot each.
func (r *reading) headingLots() []Lot {
	for i, line := range r.lines {
		if strings.Contains(line, "\t") || utf8.RuneCountInString(line) > 30 {
			continue
		}
		k := normKey(strings.TrimRight(line, ":："))
		named := false
		for _, w := range r.l.Winner {
			if utf8.RuneCountInString(w) >= 4 && strings.Contains(k, normKey(w)) {
				named = true
			}
		}
		if !named {
			continue
		}
		var lots []Lot
		for _, next := range r.lines[i+1:] {
			name := cleanName(next, r.l)
			if !r.l.isOrg(name) {
				break
			}
			lot := Lot{Winner: name}
			if v, ok := amount(next[strings.Index(next, name)+len(name):], ""); ok {
				lot.Amount = &v
			}
			lots = append(lots, lot)
		}
		if len(lots) > 0 {
			return lots
		}
	}
	return nil
}

// rankedNames reads the first-ranked bidders outside tables: a cell that
// says 第一中标候选人 (or 第一名) and the name beside it, or "X为第一中标候选人".
func (r *reading) rankedNames() []Lot {
	var out []Lot
	for _, line := range r.lines {
		if m := rankedNameRe.FindStringSubmatch(line); m != nil {
			if name := cleanName(m[1], r.l); r.l.isOrg(name) {
				out = append(out, Lot{Winner: name})
				continue
			}
		}
		cells := strings.Split(line, "\t")
		for j, c := range cells {
			if !r.l.isFirstRankMarker(c) {
				continue
			}
			var rest []string
			if _, after, ok := strings.Cut(halfWidth(c), ":"); ok {
				rest = append(rest, after)
			}
			rest = append(rest, cells[j+1:]...)
			for _, v := range rest {
				if _, after, ok := strings.Cut(halfWidth(v), ":"); ok {
					v = after
				}
				if name := cleanName(v, r.l); r.l.isOrg(name) {
					out = append(out, Lot{Winner: name})
					break
				}
			}
		}
	}
	return out
}

// isFirstRank says whether a rank cell is the first rank (1, 第一名,
// 推荐第一成交候选人).
func (l *NoticeLabels) isFirstRank(cell string) bool {
	k := normKey(cell)
	for _, w := range l.FirstRank {
		if k == normKey(w) {
			return true
		}
	}
	return l.isFirstRankMarker(cell)
}

// isFirstRankMarker: a cell opening with a first-rank word of three
// characters or more (第一中标候选人, 第一名), not a bare 1.
func (l *NoticeLabels) isFirstRankMarker(cell string) bool {
	k := normKey(cell)
	for _, w := range l.FirstRank {
		if w := normKey(w); utf8.RuneCountInString(w) >= 3 && strings.HasPrefix(k, w) {
			return true
		}
	}
	return false
}

// total is the notice's total amount (总成交金额), for a notice whose lots
// give none.
func (r *reading) total() (float64, bool) {
	for _, p := range r.pairs {
		if p.role == roleTotal {
			if v, ok := amount(p.value, p.unit); ok {
				return v, true
			}
		}
	}
	return 0, false
}

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

// amount reads the money in s, in yuan: a ￥ amount, a number with 元 or
// 万元, or a bare number in the given unit (万元 multiplies). ok is false
// when s holds no amount, or a zero one.
func amount(s, unit string) (float64, bool) {
	s = strings.TrimSpace(halfWidth(s))
	for digitSpaceRe.MatchString(s) {
		s = digitSpaceRe.ReplaceAllString(s, "$1$2")
	}
	s = bracketUnitRe.ReplaceAllString(s, "$1")
	for _, m := range moneyRe.FindAllStringSubmatch(s, -1) {
		num, u := m[1], ""
		if num != "" {
			if m[2] != "" {
				u = "万元"
			}
		} else {
			num = m[3]
			if m[4] == "万元" || m[4] == "万" {
				u = "万元"
			}
		}
		v, err := strconv.ParseFloat(strings.NewReplacer(",", "", "，", "").Replace(num), 64)
		if err != nil || v == 0 {
			continue
		}
		if u == "万元" {
			v *= 1e4
		}
		return round2(v), true
	}
	if bareNumberRe.MatchString(s) {
		v, err := strconv.ParseFloat(strings.NewReplacer(",", "", "，", "").Replace(s), 64)
		if err != nil || v == 0 {
			return 0, false
		}
		if unit == "万元" {
			v *= 1e4
		}
		return round2(v), true
	}
	return capitals(s)
}

func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }

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

// names reads a winner's value: one name, or several parted by 、 when
// each part is a name ("甲有限公司、乙有限公司").
func (l *NoticeLabels) names(value string) []string {
	if name := cleanName(value, l); l.isOrg(name) && !strings.Contains(name, "、") {
		return []string{name}
	}
	var out []string
	for _, part := range strings.Split(value, "、") {
		name := cleanName(part, l)
		if !l.isOrg(name) {
			return nil
		}
		out = append(out, name)
	}
	return out
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
