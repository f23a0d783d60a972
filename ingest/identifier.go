package ingest

import (
	"fmt"
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
