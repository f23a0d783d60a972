package crawlers

// Reading a notice's title, type, project (from the title) and dates.

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

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
	k := normKey(s)
	for _, t := range l.TitleSuffixes {
		if utf8.RuneCountInString(t) >= 2 && strings.HasSuffix(k, l.key(t)) {
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
		k := r.l.key(lab)
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
				if strings.Contains(s, l.key(w)) {
					return t.Type
				}
			}
		}
	}
	return ""
}
