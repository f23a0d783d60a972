package ingest

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph"
)

// China Standard Time: dates in Chinese notices carry no zone.
var shanghai = time.FixedZone("CST", 8*3600)

// Layouts seen in the samples, tried in order. Layouts with a zone keep it;
// the others are read in the caller's location.
var dateLayouts = []string{
	time.RFC3339Nano,      // 2025-03-28T18:30:00.000Z, 2011-03-18T23:21:02.000000Z
	"2006-01-02T15:04:05", // OCDS without zone
	"2006-01-02 15:04:05", // portals
	"2006-01-02 15:04",    // portals
	time.DateOnly,         // 2025-11-18
	"2006/01/02 15:04:05", //
	"2006/1/2",            // 2016/11/30
	"2006.01.02",          //
	"20060102",            //
	"Jan 2006",            // customs MONTHYEAR: Mar 2025
	"January 2006",        //
	"02-Jan-2006",         //
	"2006年1月2日 15:04",     // 中文
	"2006年1月2日15:04",      //
	"2006年1月2日",           //
	"2006年01月02日",         //
	"2006年1月",             //
}

// Date parses a date or timestamp as the samples write them. loc is the zone
// of values that carry none (nil means China Standard Time, the zone of the
// Chinese portals). Years outside 1950..2100 are absurd and rejected.
func Date(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(Fold(s))
	if NullValue(s) {
		return time.Time{}, valuegraph.Errorf(valuegraph.EINVALID, "no date")
	}
	if loc == nil {
		loc = shanghai
	}
	for _, layout := range dateLayouts {
		t, err := time.ParseInLocation(layout, s, loc)
		if err != nil {
			continue
		}
		if y := t.Year(); y < 1950 || y > 2100 {
			return time.Time{}, valuegraph.Errorf(valuegraph.EINVALID, "date %q: year %d is out of range", s, y)
		}
		return t.UTC(), nil
	}
	return time.Time{}, valuegraph.Errorf(valuegraph.EINVALID, "%q is not a date this parser knows (e.g. 2025-11-18, 2025-03-28T18:30:00Z, Mar 2025, 2016年11月30日)", s)
}

// Money is an amount in a currency, in units (yuan, not fen).
type Money struct {
	Amount   float64
	Currency string // ISO 4217
}

var (
	moneyNumber = regexp.MustCompile(`[-+]?\d[\d,，]*(?:\.\d+)?`)
	currencies  = []struct{ token, code string }{
		{"人民币", "CNY"}, {"元", "CNY"}, {"￥", "CNY"}, {"¥", "CNY"}, {"RMB", "CNY"}, {"CNY", "CNY"},
		{"US$", "USD"}, {"USD", "USD"}, {"美元", "USD"}, {"$", "USD"},
		{"EUR", "EUR"}, {"€", "EUR"}, {"欧元", "EUR"}, {"GBP", "GBP"}, {"£", "GBP"}, {"英镑", "GBP"},
		{"TWD", "TWD"}, {"NT$", "TWD"}, {"新台币", "TWD"}, {"COP", "COP"}, {"INR", "INR"}, {"₹", "INR"},
		{"HKD", "HKD"}, {"港元", "HKD"}, {"港币", "HKD"}, {"JPY", "JPY"}, {"日元", "JPY"},
	}
)

// maxAmount is the largest amount we believe: 10 trillion in any currency.
const maxAmount = 1e13

// ParseMoney reads an amount such as "180万元", "￥1,234.56", "1.2亿元",
// "USD 56,527.20" or "216081", with currency fallback when the text names
// none. 万 and 亿 multiply; 千元 and 万元 written as a unit ("单位：万元")
// are the caller's to apply through scale. Negative, non-finite and absurd
// amounts are rejected.
func ParseMoney(s, fallback string) (Money, error) {
	raw := s
	s = strings.TrimSpace(Fold(s))
	if NullValue(s) {
		return Money{}, valuegraph.Errorf(valuegraph.EINVALID, "no amount")
	}
	num := moneyNumber.FindString(s)
	if num == "" {
		return Money{}, valuegraph.Errorf(valuegraph.EINVALID, "%q holds no number", raw)
	}
	v, err := strconv.ParseFloat(strings.NewReplacer(",", "", "，", "").Replace(num), 64)
	if err != nil {
		return Money{}, valuegraph.Errorf(valuegraph.EINVALID, "%q: %v", raw, err)
	}
	// A multiplier counts only right after the number: in
	// "叁拾万元整（300000元）" the 万 belongs to the words, not to 300000.
	after := strings.TrimSpace(s[strings.Index(s, num)+len(num):])
	switch {
	case strings.HasPrefix(after, "亿"):
		v *= 1e8
	case strings.HasPrefix(after, "万"):
		v *= 1e4
	case strings.HasPrefix(after, "千元"):
		v *= 1e3
	}
	cur := fallback
	for _, c := range currencies {
		if strings.Contains(strings.ToUpper(s), strings.ToUpper(c.token)) {
			cur = c.code
			break
		}
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return Money{}, valuegraph.Errorf(valuegraph.EINVALID, "%q: amount must be a positive number", raw)
	}
	if v > maxAmount {
		return Money{}, valuegraph.Errorf(valuegraph.EINVALID, "%q: %.0f is not a believable amount", raw, v)
	}
	if !valuegraph.IsCurrencyCode(cur) {
		return Money{}, valuegraph.Errorf(valuegraph.EINVALID, "currency %q is not a three-letter ISO 4217 code", cur)
	}
	return Money{Amount: math.Round(v*100) / 100, Currency: cur}, nil
}

// Number parses a plain decimal quantity ("14699.52", "1,536", "NULL" is
// absent). ok is false for a null placeholder.
func Number(s string) (v float64, ok bool, err error) {
	s = strings.TrimSpace(Fold(s))
	if NullValue(s) {
		return 0, false, nil
	}
	v, err = strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, valuegraph.Errorf(valuegraph.EINVALID, "%q is not a number", s)
	}
	if v < 0 || v > maxAmount {
		return 0, false, valuegraph.Errorf(valuegraph.EINVALID, "%q is out of range", s)
	}
	return v, true, nil
}

// firstDate returns the first of values that parses as a date (in UTC when
// it carries no zone: OCDS dates are ISO 8601).
func firstDate(values ...string) (time.Time, error) {
	var firstErr error
	for _, v := range values {
		if NullValue(v) {
			continue
		}
		t, err := Date(v, time.UTC)
		if err == nil {
			return t, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = valuegraph.Errorf(valuegraph.EINVALID, "no date")
	}
	return time.Time{}, firstErr
}
