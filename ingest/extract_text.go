package ingest

import (
	_ "embed"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/go-ego/gse"
)

//go:generate go run ./internal/brandgen -out brands.tsv

// brands.tsv is the brand dictionary generated from simple-icons (CC0-1.0);
// see ingest/internal/brandgen for its rules.
//
//go:embed brands.tsv
var brandsTSV string

type brand struct {
	slug, name string
	terms      []string // "=" first: case-sensitive
}

var brandDictionary = sync.OnceValue(func() []brand {
	var out []brand
	for _, line := range strings.Split(brandsTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			continue
		}
		out = append(out, brand{slug: cols[0], name: cols[1], terms: strings.Split(cols[2], "|")})
	}
	return out
})

// The Chinese word segmenter (gse, pure Go, its embedded dictionary of
// simplified Chinese): a Chinese name matches only where it starts and ends
// on the segmenter's word boundaries, so 我来 is not found in 对我来说. The
// lexicon's Chinese terms are added to its dictionary, so 北京华为 reads
// 北京|华为; loading takes about two seconds, once per process.
var (
	segOnce sync.Once
	segMu   sync.RWMutex
	seg     gse.Segmenter
	segErr  error
	segHas  = map[string]bool{}
)

func segmenter() (*gse.Segmenter, error) {
	segOnce.Do(func() {
		seg.SkipLog = true
		segErr = seg.LoadDictEmbed("zh_s")
	})
	return &seg, segErr
}

// segFreq is the frequency lexicon words get in the segmenter: enough for
// 北京华为 to read 北京|华为 (the dictionary knows 北京华), not enough to cut
// common words apart. Words it knows as more frequent keep their frequency.
const segFreq = 1000

// segmenterWords adds words to the segmenter's dictionary.
func segmenterWords(words []string) {
	s, err := segmenter()
	if err != nil {
		return
	}
	segMu.Lock()
	defer segMu.Unlock()
	for _, w := range words {
		if !segHas[w] {
			segHas[w] = true
			if f, _, ok := s.Find(w); !ok || f < segFreq {
				s.AddToken(w, segFreq, "nz")
			}
		}
	}
}

// wordBoundaries marks where words start in rs; when the segmenter is not
// available every position is a boundary (matching as before it).
func wordBoundaries(rs []rune) []bool {
	b := make([]bool, len(rs)+1)
	b[len(rs)] = true
	s, err := segmenter()
	if err == nil {
		segMu.RLock()
		toks := s.Cut(string(rs), false) // the dictionary only: HMM glues unknown names to their neighbours
		segMu.RUnlock()
		i := 0
		for _, t := range toks {
			if i < len(b) {
				b[i] = true
			}
			i += len([]rune(t))
		}
		if i == len(rs) {
			return b
		}
	}
	for i := range b {
		b[i] = true
	}
	return b
}

// joinScripts drops a space between a Chinese character and a Latin letter
// or digit (V2EX and many editors put one there: "用 VS Code 开发"), so
// terms such as B站 or Google相册 match however they were spaced.
func joinScripts(rs []rune) []rune {
	out := make([]rune, 0, len(rs))
	for i, r := range rs {
		if r == ' ' && len(out) > 0 && i+1 < len(rs) {
			prev, next := out[len(out)-1], rs[i+1]
			if isHan(prev) && isWordRune(next) || isWordRune(prev) && isHan(next) {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

var (
	reFence      = regexp.MustCompile("(?s)```([A-Za-z0-9_+-]*)[^\\n]*\\n?(.*?)(```|$)")
	reInlineCode = regexp.MustCompile("`[^`\\n]+`")
	reImage      = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	reLink       = regexp.MustCompile(`\[([^\]]*)\]\(\s*[^)]*\)`)
	reHTML       = regexp.MustCompile(`</?[A-Za-z][^>]*>|&#?[A-Za-z0-9]+;`)
	reURL        = regexp.MustCompile(`(?i)(?:(?:https?|ftp)://|h/t/t/p/s?://|www\.)[^\s\p{Han}（），。、“”"'<>\]\)]+`)
	reEmail      = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`)
	reFile       = regexp.MustCompile(`(?i)[^\s/\\()\[\]（）]*\.(?:png|jpe?g|gif|webp|bmp|svg|heic|ico|apk|ipa|dmg|pkg|exe|msi|zip|rar|7z|tar|gz|tgz|txt|pdf|docx?|xlsx?|pptx?|csv|mp4|mkv|mov|avi|mp3|flac|iso|deb|rpm|ashx|html?|php|jsp|swift|go|py|java|kt|rs|cpp|ts|tsx|jsx|yml|yaml|toml|ini|conf|log|sh|bat|ps1)\b`)
	reDomain     = regexp.MustCompile(`(?i)\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|io|me|co|top|app|dev|ai|vip|xyz|info|fun|moe|cc|tv|ly|gl|gg|sh|so|im|link|site|best|one|us|uk|jp|hk|tw|de|fr)\b(?:/[^\s\p{Han}]*)?`)
)

// CleanText blanks what is not prose, so names inside it are not read: code
// (fenced blocks with a language or without Chinese prose, inline code),
// images with their file names, link targets (the link text stays), HTML
// tags, URLs, e-mail addresses, bare domains and file names.
func CleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = reFence.ReplaceAllStringFunc(s, func(block string) string {
		m := reFence.FindStringSubmatch(block)
		if m[1] == "" && hasHan(m[2]) { // a list in a fence, not code
			return "\n" + m[2] + "\n"
		}
		return "\n"
	})
	s = reInlineCode.ReplaceAllString(s, " ")
	s = reImage.ReplaceAllString(s, " ")
	s = reLink.ReplaceAllString(s, " $1 ")
	s = reHTML.ReplaceAllString(s, " ")
	s = reURL.ReplaceAllString(s, " ")
	s = reEmail.ReplaceAllString(s, " ")
	s = reFile.ReplaceAllString(s, " ")
	s = reDomain.ReplaceAllString(s, " ")
	return s
}

// altMatcher decides seeking_alternative from AlternativeRules.
type altMatcher struct {
	replace, ask, trouble, recommend, objects, used []term
	noAsk, report                                   []term
	exclude                                         []string
}

func newAltMatcher(r AlternativeRules) altMatcher {
	mk := func(words []string) []term {
		var ts []term
		for _, w := range words {
			if k := []rune(termKey(w)); len(k) > 0 {
				ts = append(ts, term{text: k})
			}
		}
		return ts
	}
	m := altMatcher{replace: mk(r.Replace), ask: mk(r.Ask), trouble: mk(r.Trouble), recommend: mk(r.Recommend), objects: mk(r.Objects), used: mk(r.Used),
		noAsk: mk(r.NoAsk), report: mk(r.Report)}
	for _, e := range r.Exclude {
		m.exclude = append(m.exclude, termKey(e))
	}
	return m
}

// looseText is text for intent words: Latin words whole, Chinese anywhere.
func looseText(s string) text {
	t := newTextNoSeg(s)
	for i := range t.boundary {
		t.boundary[i] = true
	}
	return t
}

func newTextNoSeg(s string) text {
	orig := joinScripts([]rune(Fold(s)))
	low := make([]rune, len(orig))
	for i, r := range orig {
		low[i] = unicode.ToLower(r)
	}
	return text{low: low, orig: orig, boundary: make([]bool, len(orig)+1)}
}

func containsTerm(tx text, ts []term) bool {
	for _, t := range ts {
		for i := range tx.low {
			if tx.low[i] == t.text[0] && t.at(tx, i) {
				return true
			}
		}
	}
	return false
}

var reSentence = regexp.MustCompile(`[。！？!?\n；;]+`)

type sentence struct {
	text     string
	question bool
}

// splitSentences cuts s at sentence ends, noting which end in a question
// mark.
func splitSentences(s string) []sentence {
	var out []sentence
	last := 0
	for _, m := range reSentence.FindAllStringIndex(s, -1) {
		end := s[m[0]:m[1]]
		out = append(out, sentence{text: s[last:m[0]], question: strings.ContainsAny(end, "?？")})
		last = m[1]
	}
	return append(out, sentence{text: s[last:]})
}

// seeking: (1) a sentence asks for a replacement (a replacement word, and
// a question word in it or the next sentence) with an object in it or in
// the title; (2) a sentence reports trouble with an object and a sentence
// asks for a recommendation about one; (3) the author says what they used
// (用过, 目前用) and asks for a recommendation, the title being a question.
// An object is a product or vendor found, or an object word (软件, 数据库).
// Excluded phrases (被替代, 字符替换) are blanked first.
func (m altMatcher) seeking(clean string, found []Found) bool { return m.rule(clean, found) != "" }

// rule is the rule of seeking that holds ("" for none).
func (m altMatcher) rule(clean string, found []Found) string {
	var sentences []string // split before folding: folding joins lines
	var question []bool    // the sentence ends in a question mark
	for _, s := range splitSentences(clean) {
		low := strings.ToLower(string(joinScripts([]rune(Fold(s.text)))))
		for _, e := range m.exclude {
			low = strings.ReplaceAll(low, e, " ")
		}
		parts := splitSentences(low) // full-width ？！ fold to ?!
		for i, f := range parts {
			sentences = append(sentences, f.text)
			question = append(question, f.question || i == len(parts)-1 && s.question)
		}
	}
	var names []term
	for _, f := range found {
		if f.Entity.Kind == "need" {
			continue
		}
		if k := []rune(termKey(f.Term)); len(k) > 0 {
			names = append(names, term{text: k})
		}
	}
	object := func(tx text) bool { return containsTerm(tx, names) || containsTerm(tx, m.objects) }
	title := looseText(sentences[0])
	titleObject := object(title)
	trouble, recommend, used := false, false, false
	titleAsk := containsTerm(title, m.ask)
	titleRecommend := containsTerm(title, m.recommend) // 求推荐去屑洗发水: what is asked for is the object
	bare := sentences[0]                               // the title without the names found: 印象笔记 is no 笔记
	for _, n := range names {
		bare = strings.ReplaceAll(bare, string(n.text), " ")
	}
	if !titleAsk && containsTerm(looseText(bare), m.report) {
		return "" // 从 iOS 迁移到安卓的一点小笔记: a report, not a request
	}
	for i, s := range sentences {
		tx := looseText(s)
		obj := object(tx)
		// 想换成 X 了。大家怎么选？ The ask may follow; a replace word in a
		// question asks itself (替代 vscode？).
		ask := containsTerm(tx, m.ask) || question[i] || i+1 < len(sentences) && containsTerm(looseText(sentences[i+1]), m.ask)
		if (obj || titleObject) && containsTerm(tx, m.replace) && ask && !containsTerm(tx, m.noAsk) {
			return "replace"
		}
		trouble = trouble || obj && containsTerm(tx, m.trouble)
		recommend = recommend || (obj || titleObject) && containsTerm(tx, m.recommend)
		used = used || containsTerm(tx, m.used)
	}
	switch {
	case trouble && recommend:
		return "trouble"
	case used && (recommend || titleRecommend) && titleAsk:
		return "used"
	}
	return ""
}
