package crawlers

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// blockTags end a line of text; cellTags end a cell (a tab).
var (
	blockTags = map[string]bool{"p": true, "div": true, "br": true, "tr": true, "li": true, "h1": true, "h2": true, "h3": true,
		"h4": true, "h5": true, "h6": true, "table": true, "tbody": true, "thead": true, "section": true, "ul": true, "ol": true}
	cellTags = map[string]bool{"td": true, "th": true}
	skipTags = map[string]bool{"style": true, "script": true, "head": true, "title": true, "noscript": true}
)

// Text flattens an HTML fragment to lines: blocks and table rows end a
// line, table cells end with a tab. Unknown tags (such as leaked template
// tags like <fmt:formatnumber>) keep their text. Whitespace runs become one
// space, and spaces between two Chinese characters go ("项 目 名 称" is
// 项目名称).
func Text(fragment string) string {
	if tableFragmentRe.MatchString(fragment) {
		fragment = "<table>" + fragment + "</table>"
	}
	doc, err := html.Parse(strings.NewReader("<body>" + fragment + "</body>"))
	if err != nil {
		return fragment
	}
	var b strings.Builder
	inCell := 0 // inside a table cell, paragraphs (Word exports have them) are spaces
	brk := func() {
		if inCell > 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte('\n')
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && skipTags[n.Data] {
			return
		}
		if n.Type == html.TextNode {
			// Newlines in HTML text are only whitespace; lines come from elements.
			b.WriteString(strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(n.Data))
		}
		isCell := n.Type == html.ElementNode && cellTags[n.Data]
		switch {
		case n.Type == html.ElementNode && n.Data == "table":
			b.WriteByte('\n') // a table opens a line, also inside a cell (a nested table)
		case n.Type == html.ElementNode && blockTags[n.Data] && n.Data != "tr":
			brk()
		}
		if isCell {
			inCell++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if isCell {
			inCell--
			b.WriteByte('\t')
		} else if n.Type == html.ElementNode && blockTags[n.Data] {
			if n.Data == "tr" || n.Data == "table" {
				b.WriteByte('\n') // a row ends a line even inside a nested table's cell
			} else {
				brk()
			}
		}
	}
	walk(doc)
	var lines []string
	for _, line := range strings.Split(b.String(), "\n") {
		var cells []string
		for _, cell := range strings.Split(line, "\t") {
			if c := squeeze(cell); c != "" {
				cells = append(cells, c)
			}
		}
		if len(cells) > 0 {
			lines = append(lines, strings.Join(cells, "\t"))
		}
	}
	return strings.Join(lines, "\n")
}

// squeeze collapses whitespace (including non-breaking and ideographic
// spaces) and drops spaces between Chinese characters.
func squeeze(s string) string {
	rs := []rune(s)
	var out []rune
	space := false
	for i, r := range rs {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' {
			space = true
			continue
		}
		if space && len(out) > 0 {
			prev := out[len(out)-1]
			if !(isHan(prev) && isHan(r)) {
				out = append(out, ' ')
			}
		}
		space = false
		out = append(out, rs[i])
	}
	return string(out)
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
