package ingest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/valuegraph/valuegraph"
)

// The unified social credit code (统一社会信用代码, GB 32100-2015): 18
// characters from this alphabet (no I, O, S, V, Z), the last a check
// character over the first 17 with these weights.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCC validates a unified social credit code and returns it folded (upper
// case, half-width, no spaces). The error says what is wrong: the length, the
// character at a position, or the check character expected.
func USCC(code string) (string, error) {
	c := strings.ToUpper(strings.ReplaceAll(Fold(code), " ", ""))
	if n := len([]rune(c)); n != 18 {
		return "", valuegraph.Errorf(valuegraph.EINVALID, "unified social credit code %q has %d characters, want 18", code, n)
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(usccAlphabet, c[i])
		if v < 0 {
			return "", valuegraph.Errorf(valuegraph.EINVALID, "unified social credit code %q: character %d (%q) is not allowed", code, i+1, c[i])
		}
		sum += v * usccWeights[i]
	}
	want := usccAlphabet[(31-sum%31)%31]
	if c[17] != want {
		return "", valuegraph.Errorf(valuegraph.EINVALID, "unified social credit code %q: check character is %q, want %q", code, c[17], want)
	}
	return c, nil
}

// OrgIdentifier turns an identifier as a source gives it into ours. A
// Chinese USCC is recognised by shape whatever scheme the source names, and
// validated; other schemes are kept as given, namespaced by source so that
// two publishers' internal ids never collide. An empty value gives ok=false.
func OrgIdentifier(scheme, value string) (id valuegraph.Identifier, ok bool, err error) {
	value = strings.TrimSpace(Fold(value))
	scheme = strings.TrimSpace(Fold(scheme))
	if NullValue(value) {
		return valuegraph.Identifier{}, false, nil
	}
	if strings.EqualFold(scheme, valuegraph.SchemeUSCC) || strings.Contains(scheme, "统一社会信用代码") || looksLikeUSCC(value) {
		c, err := USCC(value)
		if err != nil {
			return valuegraph.Identifier{}, false, err
		}
		return valuegraph.Identifier{Scheme: valuegraph.SchemeUSCC, Value: c}, true, nil
	}
	if scheme == "" {
		return valuegraph.Identifier{}, false, fmt.Errorf("identifier %q has no scheme", value)
	}
	return valuegraph.Identifier{Scheme: scheme, Value: strings.ToUpper(value)}, true, nil
}

// looksLikeUSCC is true for 18 characters starting with a registration
// authority digit and an all-digit administrative division code.
func looksLikeUSCC(v string) bool {
	if len(v) != 18 {
		return false
	}
	for i := 2; i < 8; i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return strings.IndexByte("123456789ABCDEFGNY", v[0]) >= 0 && strings.IndexByte(usccAlphabet, v[1]) >= 0
}

// Check-digit validation of the identifier schemes that have one, by the
// scheme names layouts use. A scheme missing here is kept as written (its
// shape is the layout's pattern's business).
var identifierChecks = map[string]func(string) error{
	valuegraph.SchemeUSCC: func(v string) error { _, err := USCC(v); return err },
	"RU-INN":              checkINN,
	"BR-CNPJ":             checkCNPJ,
	"BR-CPF":              checkCPF,
	"IN-GSTIN":            checkGSTIN,
}

// CheckIdentifier validates value under scheme when the scheme has a check
// digit; nil when it passes or the scheme has none.
func CheckIdentifier(scheme, value string) error {
	if check, ok := identifierChecks[scheme]; ok {
		return check(value)
	}
	return nil
}

func digits(s string) []int {
	out := make([]int, 0, len(s))
	for _, r := range s {
		if r >= '0' && r <= '9' {
			out = append(out, int(r-'0'))
		}
	}
	return out
}

func weighted(d []int, w []int) int {
	sum := 0
	for i, x := range w {
		sum += d[i] * x
	}
	return sum
}

// checkINN: a Russian taxpayer number, 10 digits (organisations) or 12
// (individuals), with one or two check digits (mod 11, then mod 10).
func checkINN(v string) error {
	d := digits(v)
	ok := false
	switch len(d) {
	case 10:
		ok = weighted(d, []int{2, 4, 10, 3, 5, 9, 4, 6, 8})%11%10 == d[9]
	case 12:
		ok = weighted(d, []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8})%11%10 == d[10] &&
			weighted(d, []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8})%11%10 == d[11]
	default:
		return valuegraph.Errorf(valuegraph.EINVALID, "INN %q has %d digits, want 10 or 12", v, len(d))
	}
	if !ok {
		return valuegraph.Errorf(valuegraph.EINVALID, "INN %q: check digit does not match", v)
	}
	return nil
}

// mod11 is the Brazilian check digit over d with weights w.
func mod11(d, w []int) int {
	r := weighted(d, w) % 11
	if r < 2 {
		return 0
	}
	return 11 - r
}

// checkCNPJ: a Brazilian company number, 14 digits, two check digits.
func checkCNPJ(v string) error {
	d := digits(v)
	if len(d) != 14 {
		return valuegraph.Errorf(valuegraph.EINVALID, "CNPJ %q has %d digits, want 14", v, len(d))
	}
	w1 := []int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	w2 := append([]int{6}, w1...)
	if mod11(d, w1) != d[12] || mod11(d, w2) != d[13] || slices.Max(d) == slices.Min(d) {
		return valuegraph.Errorf(valuegraph.EINVALID, "CNPJ %q: check digits do not match", v)
	}
	return nil
}

// checkCPF: a Brazilian person's number, 11 digits, two check digits.
func checkCPF(v string) error {
	d := digits(v)
	if len(d) != 11 {
		return valuegraph.Errorf(valuegraph.EINVALID, "CPF %q has %d digits, want 11", v, len(d))
	}
	if mod11(d, []int{10, 9, 8, 7, 6, 5, 4, 3, 2}) != d[9] || mod11(d, []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2}) != d[10] || slices.Max(d) == slices.Min(d) {
		return valuegraph.Errorf(valuegraph.EINVALID, "CPF %q: check digits do not match", v)
	}
	return nil
}

// checkGSTIN: India's GST number, 15 characters; the last is a base-36
// check character over the first 14 (factors 1, 2 alternating).
func checkGSTIN(v string) error {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	c := strings.ToUpper(v)
	if len(c) != 15 {
		return valuegraph.Errorf(valuegraph.EINVALID, "GSTIN %q has %d characters, want 15", v, len(c))
	}
	sum := 0
	for i := range 14 {
		x := strings.IndexByte(alphabet, c[i])
		if x < 0 {
			return valuegraph.Errorf(valuegraph.EINVALID, "GSTIN %q: character %d (%q) is not allowed", v, i+1, c[i])
		}
		p := x * (1 + i%2)
		sum += p/36 + p%36
	}
	if want := alphabet[(36-sum%36)%36]; c[14] != want {
		return valuegraph.Errorf(valuegraph.EINVALID, "GSTIN %q: check character is %q, want %q", v, c[14], want)
	}
	return nil
}
