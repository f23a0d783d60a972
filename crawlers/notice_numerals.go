package crawlers

import (
	"regexp"
	"strings"
	"time"
)

// Notices write some dates and amounts in Chinese numerals: a sign-off
// dated 二〇一六年十一月二十二日 (or 二00九年七月十五日), an amount only in
// capitals, 人民币贰拾叁万伍仟元整.

var (
	hanDateRe     = regexp.MustCompile(`((?:[〇零○OＯ0-9一二三四五六七八九]\s*){4})年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日`)
	hanDateLineRe = regexp.MustCompile(`^` + hanDateRe.String() + `$`)
	capitalsRe    = regexp.MustCompile(`[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]+[元圆](?:[零壹贰叁肆伍陆柒捌玖][角分])*`)
)

var hanDigits = map[rune]int{'〇': 0, '零': 0, '○': 0, 'O': 0, 'Ｏ': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
	'壹': 1, '贰': 2, '叁': 3, '肆': 4, '伍': 5, '陆': 6, '柒': 7, '捌': 8, '玖': 9}

// hanDate reads the first date written in Chinese numerals in s.
func hanDate(s string) time.Time {
	m := hanDateRe.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}
	}
	y := 0
	for _, r := range strings.ReplaceAll(m[1], " ", "") {
		d, ok := hanDigits[r]
		if r >= '0' && r <= '9' {
			d, ok = int(r-'0'), true
		}
		if !ok {
			return time.Time{}
		}
		y = y*10 + d
	}
	mo, d := hanSmall(m[2]), hanSmall(m[3])
	if y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}
	}
	return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, chinaTime).UTC()
}

// hanSmall reads 一 … 三十一.
func hanSmall(s string) int {
	tens, n := 0, 0
	for _, r := range s {
		if r == '十' {
			tens = max(n, 1)
			n = 0
			continue
		}
		n = hanDigits[r]
	}
	return tens*10 + n
}

// capitals reads the first amount written in capital numerals, in yuan.
func capitals(s string) (float64, bool) {
	m := capitalsRe.FindString(s)
	if m == "" {
		return 0, false
	}
	var yi, wan, section, num, yuan float64
	for _, r := range m {
		switch r {
		case '拾':
			section += max(num, 1) * 10
			num = 0
		case '佰':
			section += num * 100
			num = 0
		case '仟':
			section += num * 1000
			num = 0
		case '万':
			if section+num > 0 { // "伍拾万万元" (a slip) is 伍拾万
				wan, section, num = section+num, 0, 0
			}
		case '亿':
			yi, wan, section, num = wan*1e4+section+num, 0, 0, 0
		case '元', '圆':
			yuan = yi*1e8 + wan*1e4 + section + num
			num = 0
		case '角':
			yuan += num / 10
			num = 0
		case '分':
			yuan += num / 100
			num = 0
		default:
			num = float64(hanDigits[r])
		}
	}
	return round2(yuan), yuan > 0
}
