package crawlers

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph/ingest"
)

// NoticeInput is a notice as a crawler saved it: the fields the list page
// or the site's own metadata gave (any may be empty), and the notice body as
// an HTML fragment.
type NoticeInput struct {
	URL           string
	Title         string
	AnnounceType  string // 成交公告, 结果公告, 中标公示, …
	PurchaserName string
	AgentName     string
	ProjectName   string
	PublishedAt   string // "2016-11-30 15:58:59"
	Content       string // HTML fragment
}

// Notice is what the extractor read from a notice. A field it could not
// find is empty, with the reason in Missing; nothing is guessed.
type Notice struct {
	Type        string // 招标, 中标, 成交, 结果 or 更正
	Buyer       string
	Agency      string
	Project     string
	Number      string
	Lots        []Lot
	Amount      float64 // total awarded, yuan; 0 when not given
	PublishedAt time.Time
	Missing     map[string]string // field -> why it is empty
}

// Lot is one 标包 with its winners and amount (yuan; 0 when not given).
type Lot struct {
	Name      string
	Suppliers []string
	Amount    float64
}

// Suppliers lists every lot's winners, each once.
func (n Notice) Suppliers() []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range n.Lots {
		for _, s := range l.Suppliers {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

var (
	// An organisation's name ends like one.
	orgSuffix = regexp.MustCompile(`(公司|集团|中心|研究所|研究院|大学|学院|学校|医院|厂|社|事务所|局|委员会|办公室|站|所|队|院|馆|处)$`)
	// Amounts: 31.68万元, ￥1,283,000.00, ￥:99，550.00元, 349.035762 (with a 万元 header).
	moneyRe = regexp.MustCompile(`[￥¥]\s*[:：]?\s*([0-9][0-9,，]*(?:\.[0-9]+)?)|([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(万元|元)`)
	noneRe  = regexp.MustCompile(`见公告原文|详见公告|无供应商报价|废标|流标`)

	// Compiled once: the extractor runs on every page a crawl reads.
	entrustedRe       = regexp.MustCompile(`^(.{4,40}?)受(?:采购人)?(.{2,40}?)的?委托`)
	biddingNoRe       = regexp.MustCompile(`竞价编号[：:]\s*([0-9A-Za-z\-]+)`)
	nextLabelRe       = regexp.MustCompile(`\s+[^\s：:]{2,12}[：:]`)
	lotRe             = regexp.MustCompile(`^(?:分包号|包号|标段)[：:]?\s*(\S+)`)
	tableEndRe        = regexp.MustCompile(`^(?:分包号|包号|七、|八、)`)
	nameThenAddressRe = regexp.MustCompile(`^([^，,。]{4,40}?)[，,]\s*地址`)
	leadingNameRe     = regexp.MustCompile(`^([^，,：:\s]{4,40})`)
	typeRe            = []struct{ word, typ string }{{"更正", "更正"}, {"中标", "中标"}, {"成交", "成交"}, {"结果", "结果"}, {"招标", "招标"}, {"采购公告", "招标"}}
)

// ExtractNotice reads a notice. It looks for each field in the site's
// structured metadata first, then in the text, by the labels the three real
// layouts (ccgp, cqgp, cqggzy) use.
func ExtractNotice(in NoticeInput) Notice {
	text := Text(in.Content)
	lines := strings.Split(text, "\n")
	n := Notice{Missing: map[string]string{}}

	for _, src := range []string{in.AnnounceType, in.Title} {
		for _, t := range typeRe {
			if n.Type == "" && strings.Contains(src, t.word) {
				n.Type = t.typ
			}
		}
	}

	n.Buyer = firstOf(clean(in.PurchaserName), value(lines, "采购单位名称", "采购人名称", "采购人", "招标人", "采购执行方"))
	agency := firstOf(clean(in.AgentName), value(lines, "采购代理机构全称", "采购代理机构名称", "招标代理机构", "代理机构"))
	if agency == "" {
		// "X受Y的委托": X is the agency.
		if m := entrustedRe.FindStringSubmatch(text); m != nil {
			agency = m[1]
		}
	}
	if agency != n.Buyer {
		n.Agency = stripPhone(agency)
	}
	n.Project = firstOf(clean(in.ProjectName), value(lines, "项目名称", "工程名称"))
	if n.Project == "" {
		n.Project = projectFromTitle(in.Title)
	}
	n.Number = value(lines, "项目编号", "项目号", "招标公告编号", "采购编号", "竞价编号", "招标编号")
	if i := strings.IndexAny(n.Number, "）)，。；;"); i > 0 {
		n.Number = n.Number[:i] // "（项目编号：16184）组织采购…"
	}
	if n.Number == "" {
		if m := biddingNoRe.FindStringSubmatch(text); m != nil {
			n.Number = m[1]
		}
	}
	n.PublishedAt = firstDate(in.PublishedAt, value(lines, "发布时间"))

	n.Lots = lotsFromTables(lines)
	if len(n.Lots) == 0 {
		n.Lots = lotsFromLabels(lines)
	}
	total := 0.0
	for _, l := range n.Lots {
		total += l.Amount
	}
	if total == 0 {
		if v := value(lines, "总成交金额", "中标总金额", "成交总金额"); v != "" {
			total = amount(v, "")
		}
	}
	n.Amount = total

	for field, v := range map[string]string{"type": n.Type, "buyer": n.Buyer, "project": n.Project, "number": n.Number} {
		if v == "" {
			n.Missing[field] = "no " + field + " label in the metadata or the text"
		}
	}
	if len(n.Suppliers()) == 0 {
		if m := noneRe.FindString(text); m != "" {
			n.Missing["suppliers"] = "the notice names no supplier (" + m + ")"
		} else {
			n.Missing["suppliers"] = "no supplier found in the text"
		}
	}
	if n.Amount == 0 {
		n.Missing["amount"] = "no amount found, or the notice gives 0"
	}
	if n.Agency == "" {
		n.Missing["agency"] = "no agency named (or the buyer ran the procurement itself)"
	}
	return n
}

// value finds the first line holding one of the labels and returns what
// follows it: after a colon on the same line, or in the next table cell.
func value(lines []string, labels ...string) string {
	for _, label := range labels {
		for _, line := range lines {
			cells := strings.Split(line, "\t")
			for i, cell := range cells {
				idx := strings.Index(cell, label)
				if idx < 0 {
					continue
				}
				rest := strings.TrimSpace(cell[idx+len(label):])
				if strings.HasPrefix(rest, "：") || strings.HasPrefix(rest, ":") {
					rest = strings.TrimSpace(strings.TrimLeft(rest, "：:"))
					if v := cutAtNextLabel(rest); v != "" {
						return clean(v)
					}
					if i+1 < len(cells) {
						return clean(cells[i+1])
					}
					continue
				}
				if rest == "" && idx == 0 && i+1 < len(cells) {
					return clean(cells[i+1])
				}
			}
		}
	}
	return ""
}

// cutAtNextLabel keeps a value up to the next "key：" on the same line.
func cutAtNextLabel(s string) string {
	if m := nextLabelRe.FindStringIndex(s); m != nil {
		s = s[:m[0]]
	}
	// Between Chinese text the space before the next label may be gone
	// ("某某科技有限公司成交金额：10万元"): cut at a label we know.
	if m := inlineLabelRe.FindStringIndex(s); m != nil && m[0] > 0 {
		s = s[:m[0]]
	}
	return strings.TrimSpace(s)
}

// inlineLabelRe finds the labels that follow a name on the same line.
var inlineLabelRe = regexp.MustCompile(`(?:成交金额|中标金额|中标价格|中标价|成交价|投标报价|报价|供应商地址|地址|联系人|联系电话|统一社会信用代码)[：:]`)

// lotsFromTables reads tables whose header names a supplier column.
func lotsFromTables(lines []string) []Lot {
	var lots []Lot
	lotName := ""
	for i := 0; i < len(lines); i++ {
		if m := lotRe.FindStringSubmatch(lines[i]); m != nil {
			lotName = m[1]
		}
		header := strings.Split(lines[i], "\t")
		sup, amt := -1, -1
		unit := ""
		for j, h := range header {
			switch {
			case strings.Contains(h, "供应商") && !strings.Contains(h, "地址") && sup < 0:
				sup = j
			case strings.Contains(h, "金额") && amt < 0:
				amt = j
				if strings.Contains(h, "万元") {
					unit = "万元"
				}
			}
		}
		if sup < 0 || len(header) < 2 {
			continue
		}
		for k := i + 1; k < len(lines); k++ {
			row := strings.Split(lines[k], "\t")
			if len(row) < 2 || tableEndRe.MatchString(row[0]) {
				break
			}
			// Rows may lack the leading number cell the header has, or the reverse.
			off := len(row) - len(header)
			name := cellAt(row, sup+off)
			if !isOrg(name) {
				name = cellAt(row, sup)
			}
			if !isOrg(name) {
				for _, c := range row { // the supplier cell moved: take the cell that is an organisation
					if isOrg(c) {
						name = c
						break
					}
				}
			}
			if !isOrg(name) {
				continue
			}
			a := 0.0
			if amt >= 0 {
				a = amount(cellAt(row, amt+off), unit)
				if a == 0 {
					a = amount(cellAt(row, amt), unit)
				}
			}
			if a == 0 {
				for _, c := range row {
					if strings.ContainsAny(c, "￥¥") {
						a = amount(c, unit)
					}
				}
			}
			lots = append(lots, Lot{Name: firstOf(lotName, cellAt(row, 0)), Suppliers: []string{clean(name)}, Amount: a})
			i = k
		}
	}
	return lots
}

// lotsFromLabels reads "成交供应商：X … 成交金额：Y" text, and cqggzy's
// 拟中标人 / 中标金额 cells.
func lotsFromLabels(lines []string) []Lot {
	name := value(lines, "成交供应商名称", "中标供应商名称", "成交供应商", "中标供应商", "拟中标人", "中标人", "供应商名称")
	if m := nameThenAddressRe.FindStringSubmatch(name); m != nil {
		name = m[1] // "重庆维普资讯有限公司，地址：…"
	}
	if !isOrg(name) {
		// The supplier may open the line under the 成交供应商… heading.
		for i, line := range lines {
			if strings.Contains(line, "成交供应商名称、地址及成交金额") {
				rest := strings.TrimSpace(line[strings.Index(line, "成交金额")+len("成交金额"):])
				rest = strings.TrimLeft(rest, "：: ")
				if rest == "" && i+1 < len(lines) {
					rest = lines[i+1]
				}
				if m := leadingNameRe.FindStringSubmatch(rest); m != nil && isOrg(m[1]) {
					name = m[1]
				}
			}
		}
	}
	if !isOrg(name) {
		return nil
	}
	a := 0.0
	for _, label := range []string{"成交金额", "中标金额", "中标价格", "中标价", "成交价"} {
		for _, line := range lines {
			// A table: the label cell, perhaps with its unit, then the number.
			cells := strings.Split(line, "\t")
			for i, c := range cells {
				if strings.Contains(c, label) && i+1 < len(cells) {
					unit := ""
					if strings.Contains(c, "万元") {
						unit = "万元"
					}
					if v := amount(cells[i+1], unit); v > 0 {
						a = v
					}
				}
			}
			if a > 0 {
				break
			}
			idx := strings.Index(line, label)
			if idx < 0 {
				continue
			}
			rest := line[idx:]
			unit := ""
			if strings.Contains(rest[:min(len(rest), 30)], "万元") && !strings.Contains(rest, "元整") {
				unit = "万元"
			}
			if v := amount(rest, unit); v > 0 {
				a = v
				break
			}
		}
		if a > 0 {
			break
		}
	}
	return []Lot{{Suppliers: []string{clean(name)}, Amount: a}}
}

// amount reads the money in s, in yuan: a ￥ amount wins over words; 万元
// multiplies (also when the column header says 万元).
func amount(s, unit string) float64 {
	for _, m := range moneyRe.FindAllStringSubmatch(s, -1) {
		num, u := m[1], unit
		if num == "" {
			num = m[2]
			if m[3] == "万元" {
				u = "万元"
			} else if m[3] == "元" {
				u = ""
			}
		} else {
			u = "" // a ￥ amount is in yuan
		}
		v, err := strconv.ParseFloat(strings.NewReplacer(",", "", "，", "").Replace(num), 64)
		if err != nil || v == 0 {
			continue
		}
		if u == "万元" {
			v *= 1e4
		}
		return float64(int64(v*100+0.5)) / 100
	}
	if unit != "" {
		if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && v > 0 {
			return float64(int64(v*1e4*100+0.5)) / 100
		}
	}
	return 0
}

func isOrg(s string) bool {
	s = clean(s)
	if len([]rune(s)) < 4 || len([]rune(s)) > 60 || noneRe.MatchString(s) {
		return false
	}
	return orgSuffix.MatchString(s)
}

func cellAt(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// clean trims a value and drops "None" and placeholders.
func clean(s string) string {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "：:;；。，,"))
	if s == "None" || s == "null" || s == "/" || s == "--" {
		return ""
	}
	return s
}

var phoneTail = regexp.MustCompile(`\s*[0-9][0-9\- ]{6,}$`)

func stripPhone(s string) string { return strings.TrimSpace(phoneTail.ReplaceAllString(s, "")) }

var titleSuffix = regexp.MustCompile(`(?:\([0-9A-Za-z,，\-]+\))?(?:中标结果公告|中标公告|成交结果公告|成交公告|结果公告|中标公示|公告)$`)

func projectFromTitle(title string) string {
	return strings.TrimSpace(titleSuffix.ReplaceAllString(title, ""))
}

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
	}
	return time.Time{}
}
