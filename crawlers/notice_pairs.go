package crawlers

// Finding labels and their values in a notice's text: "label：value", a
// label cell and its value cell, a row of labels over a row of values,
// "label value" lists, headings, entrustment sentences.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// pairs finds every "label：value" in the text and every table cell holding
// a label followed by its value's cell.
func (l *NoticeLabels) pairs(lines []string) []pair {
	var out []pair
	for i, line := range lines {
		cells := strings.Split(line, "\t")
		if i+1 < len(lines) {
			if row := l.columnPairs(cells, strings.Split(lines[i+1], "\t")); row != nil {
				out = append(out, row...)
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
		lab := l.key(w)
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
		k := r.l.key(lab)
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
			if lab := l.key(lab); strings.HasPrefix(k, lab) && len(lab) > best {
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
