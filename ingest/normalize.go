package ingest

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Legal-form words and suffixes, longest first within each script, so
// 股份有限公司 goes before 有限公司. They are dropped from name keys: the
// same firm is written with and without them.
var (
	cnSuffixes = []string{
		"集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "股份公司",
		"(集团)", "(控股)", "集团", "总公司", "公司",
	}
	// Latin legal forms, as whole tokens after punctuation became spaces.
	latinForms = map[string]bool{
		"CO": true, "COMPANY": true, "LTD": true, "LIMITED": true, "PVT": true, "PRIVATE": true,
		"INC": true, "INCORPORATED": true, "CORP": true, "CORPORATION": true, "LLC": true, "LLP": true,
		"PLC": true, "GMBH": true, "AG": true, "KG": true, "SA": true, "SAS": true, "SARL": true,
		"SPA": true, "SRL": true, "SL": true, "SLU": true, "LTDA": true, "BV": true, "NV": true,
		"OY": true, "AB": true, "AS": true, "PTE": true, "PTY": true, "KK": true, "JSC": true,
		"OOO": true, "ZAO": true, "OAO": true, "PT": true, "TBK": true, "SDN": true, "BHD": true,
	}
	// Dotted and spaced spellings of the forms above, folded before tokenising.
	latinFolds = strings.NewReplacer("S.P.A.", "SPA", "S P A", "SPA", "S.A.", "SA", "S.L.U.", "SLU", "S.L.", "SL",
		"S.R.L.", "SRL", "B.V.", "BV", "N.V.", "NV", "P.L.C.", "PLC", "L.L.C.", "LLC", "CO.,LTD", "CO LTD")
)

// Fold puts text in one canonical form: NFKC (full-width letters, digits and
// brackets become half-width: （集团） → (集团)), whitespace runs collapsed to
// one space and trimmed. It keeps the text readable; it is what we display.
func Fold(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '\u3000':
			space = true
		case unicode.IsControl(r) || r == '\ufeff':
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// OrgKey is the key two spellings of one organisation share: folded, upper
// case, brackets and punctuation gone, legal forms dropped, spaces removed
// (which also mends OCR splits such as "ITA LY"). "重庆华信冷链物流有限公司",
// "重庆华信冷链物流（有限公司）" and "Huaxin Co., Ltd." vs "HUAXIN LIMITED" map
// to the same key within their script. Empty when nothing is left.
func OrgKey(name string) string {
	s := strings.ToUpper(Fold(name))
	s = latinFolds.Replace(s)
	// Chinese suffixes, repeatedly: 某某(集团)股份有限公司 loses both.
	for changed := true; changed; {
		changed = false
		trimmed := strings.TrimRight(s, " .,;")
		for _, suf := range cnSuffixes {
			if strings.HasSuffix(trimmed, suf) && len(trimmed) > len(suf) {
				s, changed = strings.TrimSuffix(trimmed, suf), true
				break
			}
		}
	}
	var tokens []string
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		tokens = append(tokens, tok)
	}
	// Drop Latin legal forms from the end only ("CO" inside a name stays),
	// keeping at least one token.
	for len(tokens) > 1 && latinForms[tokens[len(tokens)-1]] {
		tokens = tokens[:len(tokens)-1]
	}
	// Leading forms: Indonesian "PT …"; Russian forms wherever they stand,
	// since exports put the INN and KPP before them ("7722476458 772201001
	// OOO YATASH RUS").
	for len(tokens) > 1 && tokens[0] == "PT" {
		tokens = tokens[1:]
	}
	tokens = slices.DeleteFunc(tokens, func(t string) bool {
		return len(tokens) > 1 && (t == "OOO" || t == "ZAO" || t == "OAO" || t == "PAO" || t == "AO")
	})
	return strings.Join(tokens, "")
}

// PersonName folds a person's name; Chinese names lose inner spaces
// ("张 伟" → "张伟"), Latin names keep theirs.
func PersonName(s string) string {
	s = Fold(s)
	if hasHan(s) && !hasLatin(s) {
		s = strings.ReplaceAll(s, " ", "")
	}
	return s
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func hasLatin(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}

// NullValue reports whether a field holds one of the placeholders exports
// use for "no value".
func NullValue(s string) bool {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "NULL", "N/A", "NA", "NONE", "-", "--", "NIL", "无", "/":
		return true
	}
	return false
}
