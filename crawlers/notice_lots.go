package crawlers

// Reading who won, and for how much: result tables, winner labels,
// headings over the winners, ranked candidates, amounts.

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
			if utf8.RuneCountInString(w) >= 4 && strings.Contains(k, r.l.key(w)) {
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
		if k == l.key(w) {
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
		if w := l.key(w); utf8.RuneCountInString(w) >= 3 && strings.HasPrefix(k, w) {
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
