package ingest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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
		// Spain, Italy, Egypt, the Gulf, Turkey, Poland, the Balkans, India's one-person company.
		"SAU": true, "SRLS": true, "SAPA": true, "SC": true, "SCRL": true, "SAE": true, "PJSC": true, "PSC": true,
		"FZE": true, "FZC": true, "FZCO": true, "FZLLC": true, "STI": true, "SPZOO": true, "ZOO": true,
		"ООО": true, "ЗАО": true, "ОАО": true, "ПАО": true, "АО": true,
		"DOO": true, "OPC": true, "EIRELI": true, "ME": true, "SB": true, "KFT": true, "SRO": true,
	}
	// Dotted and spaced spellings of the forms above, folded before tokenising.
	latinFolds = strings.NewReplacer("S.P.A.", "SPA", "S P A", "SPA", "S.A.", "SA", "S.L.U.", "SLU", "S.L.", "SL",
		"S.R.L.", "SRL", "B.V.", "BV", "N.V.", "NV", "P.L.C.", "PLC", "L.L.C.", "LLC", "CO.,LTD", "CO LTD",
		"FZ-LLC", "FZLLC", "FZ- LLC", "FZLLC", "FZ LLC", "FZLLC", "SP. Z O.O.", "SPZOO", "SP Z O O", "SPZOO", "SP ZO O", "SPZOO")
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
func OrgKey(name string) string { return strings.Join(OrgTokens(name), "") }

// Words that join a name's parts and say nothing about which firm it is:
// "KITCHENS & BEYOND" and "KITCHENS AND BEYOND" are one name.
var joinWords = map[string]bool{"AND": true, "&": true, "THE": true, "OF": true, "FOR": true}

// OrgTokens is a name as the words its key is made of (the key is their
// concatenation): OrgKey's steps without the last, so fuzzy matching can
// weigh words. A Chinese name is one token.
func OrgTokens(name string) []string {
	s := strings.ToUpper(stripLatinAccents(Fold(RepairMojibake(name))))
	s = latinFolds.Replace(s)
	// Chinese suffixes, repeatedly: 某某(集团)股份有限公司 loses both, and
	// a form in brackets, 某某（有限公司）, is a form too.
	for changed := true; changed; {
		changed = false
		trimmed := strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
		for _, suf := range cnSuffixes {
			if strings.HasSuffix(trimmed, suf) && len(trimmed) > len(suf) {
				s, changed = strings.TrimSuffix(trimmed, suf), true
				break
			}
		}
	}
	var tokens []string
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&')
	}) {
		tokens = append(tokens, strings.Split(strings.ReplaceAll(tok, "&", " & "), " ")...)
	}
	tokens = slices.DeleteFunc(tokens, func(t string) bool { return t == "" })
	for i, t := range tokens {
		tokens[i] = latinLookalikes(t)
	}
	// Abbreviations written letter by letter are one word: "S P A", "L L C",
	// "R A K CERAMICS" = "RAK CERAMICS".
	tokens = joinLetters(tokens, joinWords)
	if len(tokens) > 1 {
		if kept := slices.DeleteFunc(slices.Clone(tokens), func(t string) bool { return joinWords[t] }); len(kept) > 0 {
			tokens = kept
		}
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
	tokens = slices.DeleteFunc(tokens, func(t string) bool { return len(tokens) > 1 && russianForms[t] })
	return tokens
}

// cyrillicAsLatin maps the Cyrillic capitals that look like Latin ones.
var cyrillicAsLatin = strings.NewReplacer("А", "A", "В", "B", "Е", "E", "К", "K", "М", "M", "Н", "H", "О", "O",
	"Р", "P", "С", "C", "Т", "T", "Х", "X", "У", "Y", "І", "I", "Ѕ", "S", "Ј", "J")

// latinLookalikes writes a word that mixes Latin and Cyrillic letters (an
// "OOO" typed with a Cyrillic О) in Latin letters, when every Cyrillic
// letter in it has a Latin twin.
func latinLookalikes(t string) string {
	latin, cyrillic := false, false
	for _, r := range t {
		latin = latin || unicode.Is(unicode.Latin, r)
		cyrillic = cyrillic || unicode.Is(unicode.Cyrillic, r)
	}
	if !latin || !cyrillic {
		return t
	}
	if m := cyrillicAsLatin.Replace(t); !strings.ContainsFunc(m, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
		return m
	}
	return t
}

// stripLatinAccents drops the accents of Latin letters (CERÁMICA and
// CERAMICA are one word in a key); marks on other scripts stay.
func stripLatinAccents(s string) string {
	var b strings.Builder
	prevLatin := false
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) && prevLatin {
			continue
		}
		prevLatin = unicode.Is(unicode.Latin, r)
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// RepairMojibake undoes UTF-8 text that was read as Latin-1 or
// Windows-1252 and encoded again ("CERÃ¡MICA" → "CERáMICA", "MOCÂ\u00a0" →
// "MOC\u00a0"): when every rune fits in one byte and those bytes are valid
// UTF-8 with at least one multi-byte sequence, the bytes were the text.
func RepairMojibake(s string) string {
	b := make([]byte, 0, len(s))
	multi := false
	for _, r := range s {
		if r > 0xFF {
			return s
		}
		if r >= 0x80 {
			multi = true
		}
		b = append(b, byte(r))
	}
	if !multi || !utf8.Valid(b) || string(b) == s {
		return s
	}
	return string(b)
}

// Russian legal forms, in Latin and Cyrillic letters, dropped wherever they
// stand: exports put the INN and KPP before them, and quotes after them
// (ООО «ЯТАШ РУС»).
var russianForms = map[string]bool{
	"OOO": true, "ZAO": true, "OAO": true, "PAO": true, "AO": true,
	"ООО": true, "ЗАО": true, "ОАО": true, "ПАО": true, "АО": true, "ИП": true,
}

// Families of legal forms that are one kind of entity written differently
// (LTD, LIMITED, PVT LTD; SPA, SRL as Italian exports mix them). Two names
// whose forms are of different families (GOLDEN GATE CARGO LIMITED, GOLDEN
// GATE CARGO LLC) are two registrations until a person says otherwise: the
// resolver sends them to review instead of merging. CO and COMPANY belong
// to no family.
var legalFamilies = map[string]string{
	"LIMITED": "ltd", "LTD": "ltd", "PVT": "ltd", "PRIVATE": "ltd", "PLC": "ltd", "PTE": "ltd", "PTY": "ltd",
	"INC": "inc", "INCORPORATED": "inc", "CORP": "inc", "CORPORATION": "inc",
	"LLC": "llc", "FZLLC": "llc", "LLP": "llp",
	"FZE": "fz", "FZC": "fz", "FZCO": "fz",
	"GMBH": "de", "AG": "de", "KG": "de",
	"SA": "es", "SAU": "es", "SL": "es", "SLU": "es", "SAE": "es",
	"SPA": "it", "SRL": "it", "SRLS": "it", "SAPA": "it", "SB": "it", "SC": "it", "SCRL": "it",
	"SAS": "fr", "SARL": "fr", "BV": "nl", "NV": "nl",
	"LTDA": "br", "ME": "br", "EIRELI": "br",
	"PJSC": "jsc", "PSC": "jsc", "JSC": "jsc",
	"SPZOO": "pl", "ZOO": "pl", "DOO": "rs", "STI": "tr", "AS": "tr",
	"OOO": "ru", "ZAO": "ru", "OAO": "ru", "PAO": "ru", "AO": "ru", "ООО": "ru", "ЗАО": "ru", "ОАО": "ru", "ПАО": "ru", "АО": "ru",
	"SDN": "my", "BHD": "my", "TBK": "id", "PT": "id", "KK": "jp", "OY": "fi", "AB": "se", "OPC": "opc",
}

// LegalFamily is the family of the legal form a Latin name ends with ("ltd"
// for "… PVT. LTD."), "" when it has none or only CO/COMPANY.
func LegalFamily(name string) string {
	s := latinFolds.Replace(strings.ToUpper(stripLatinAccents(Fold(RepairMojibake(name)))))
	tokens := strings.FieldsFunc(s, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r)) })
	// Spaced abbreviations, as OrgTokens joins them.
	joined := joinLetters(tokens, nil)
	for i := len(joined) - 1; i > 0 && latinForms[joined[i]]; i-- {
		if f := legalFamilies[joined[i]]; f != "" {
			return f
		}
	}
	return ""
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

// joinLetters joins runs of two or more one-letter tokens into one word
// ("S P A" = "SPA"), except the letters in keep, which stay words.
func joinLetters(tokens []string, keep map[string]bool) []string {
	var joined []string
	for i := 0; i < len(tokens); {
		j := i
		for j < len(tokens) && len([]rune(tokens[j])) == 1 && !keep[tokens[j]] {
			j++
		}
		if j-i >= 2 {
			joined = append(joined, strings.Join(tokens[i:j], ""))
			i = j
			continue
		}
		joined = append(joined, tokens[i])
		i++
	}
	return joined
}
