package crawlers

import (
	"bytes"
	_ "embed"
	"errors"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/valuegraph/valuegraph"
)

// Notice types, as the conventions file names them.
const (
	NoticeAward       = "award"       // names who won (中标, 成交, 结果, 入围)
	NoticeCandidates  = "candidates"  // ranks bidders without naming who won (中标候选人公示)
	NoticeCorrection  = "correction"  // corrects an earlier notice (更正公告)
	NoticeTermination = "termination" // the procurement failed or stopped (废标, 流标, 终止)
	NoticeTender      = "tender"      // a call for bids (招标公告)
)

var noticeTypeNames = []string{NoticeAward, NoticeCandidates, NoticeCorrection, NoticeTermination, NoticeTender}

//go:embed notice_conventions.yaml
var defaultNoticeConventions []byte

// NoticeLabels are the label conventions the notice extractor reads notices
// by (notice_conventions.yaml documents each list). Load them with
// LoadNoticeLabels; the zero value is not usable.
type NoticeLabels struct {
	Fields struct {
		Buyer         []string `yaml:"buyer"`
		Agency        []string `yaml:"agency"`
		Project       []string `yaml:"project"`
		ProjectNumber []string `yaml:"projectNumber"`
		PublishedAt   []string `yaml:"publishedAt"`
	} `yaml:"fields"`
	NotPublished     []string `yaml:"notPublished"`
	NotWinner        []string `yaml:"notWinner"`
	Winner           []string `yaml:"winner"`
	WinnerColumns    []string `yaml:"winnerColumns"`
	CandidateColumns []string `yaml:"candidateColumns"`
	RankColumns      []string `yaml:"rankColumns"`
	FirstRank        []string `yaml:"firstRank"`
	Amounts          struct {
		Labels  []string `yaml:"labels"`
		Totals  []string `yaml:"totals"`
		PerUnit []string `yaml:"perUnit"`
		Never   []string `yaml:"never"`
	} `yaml:"amounts"`
	ProductColumns []string `yaml:"productColumns"`
	NoticeTypes    []struct {
		Type  string   `yaml:"type"`
		Words []string `yaml:"words"`
	} `yaml:"noticeTypes"`
	TitleSuffixes       []string `yaml:"titleSuffixes"`
	OrganisationEndings []string `yaml:"organisationEndings"`
	OrganisationWords   []string `yaml:"organisationWords"`
	StopWords           []string `yaml:"stopWords"`

	// Every label by its normalised form, for "which field is this key".
	roles map[string]string
	keys  []string // the normalised labels, longest first
	// normed holds every configured word's normalised form: matching a
	// page's lines against the lists normalises the page, not the lists
	// again for every line (it was two thirds of a crawl's CPU).
	normed map[string]string
}

// key is normKey of a configured word, read from the index.
func (l *NoticeLabels) key(w string) string {
	if k, ok := l.normed[w]; ok {
		return k
	}
	return normKey(w)
}

// Roles a key can have beyond the five fields.
const (
	roleWinner          = "winner"
	roleWinnerColumn    = "winnerColumn"
	roleCandidateColumn = "candidateColumn"
	roleRank            = "rank"
	roleAmount          = "amount"
	roleTotal           = "total"
	rolePerUnit         = "perUnit"
	roleProduct         = "product"
)

// LoadNoticeLabels reads label conventions. Empty data gives the built-in
// ones; otherwise data is laid over them: each list it sets replaces the
// built-in list, the others stay. Errors name the file and the field.
func LoadNoticeLabels(data []byte, file string) (*NoticeLabels, error) {
	l := &NoticeLabels{}
	if err := decodeNoticeLabels(l, defaultNoticeConventions, "notice_conventions.yaml (built in)"); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := decodeNoticeLabels(l, data, file); err != nil {
			return nil, err
		}
	}
	if err := l.validate(file); err != nil {
		return nil, err
	}
	l.index()
	return l, nil
}

// LoadNoticeLabelsFile reads an operator's conventions file over the
// built-in ones.
func LoadNoticeLabelsFile(path string) (*NoticeLabels, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: path, Message: err.Error(), Err: err}
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: path, Message: "empty file"}
	}
	return LoadNoticeLabels(b, path)
}

func decodeNoticeLabels(l *NoticeLabels, data []byte, file string) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(l)
	var te *yaml.TypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		// "line 2: field buyers not found in type struct {…}": one error per
		// line, without Go's type.
		var errs valuegraph.Errors
		for _, e := range te.Errors {
			line := 0
			if m := yamlLineRe.FindStringSubmatch(e); m != nil {
				line, _ = strconv.Atoi(m[1])
				e = strings.TrimPrefix(e, m[0])
			}
			if i := strings.Index(e, " in type "); i > 0 {
				e = e[:i]
			}
			errs = append(errs, &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: line, Message: e, Err: err})
		}
		return errs
	}
	return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
}

var yamlLineRe = regexp.MustCompile(`^line (\d+): `)

// defaultNoticeLabels are the built-in conventions, loaded once.
var defaultNoticeLabels = sync.OnceValue(func() *NoticeLabels {
	l, err := LoadNoticeLabels(nil, "")
	if err != nil {
		panic("notice_conventions.yaml: " + err.Error()) // built in: a test catches it
	}
	return l
})

func (l *NoticeLabels) validate(file string) error {
	problems := &valuegraph.Problems{File: file}
	lists := map[string][]string{
		"fields.buyer": l.Fields.Buyer, "fields.agency": l.Fields.Agency, "fields.project": l.Fields.Project,
		"fields.projectNumber": l.Fields.ProjectNumber, "fields.publishedAt": l.Fields.PublishedAt, "notPublished": l.NotPublished, "notWinner": l.NotWinner, "winner": l.Winner,
		"winnerColumns": l.WinnerColumns, "candidateColumns": l.CandidateColumns, "rankColumns": l.RankColumns, "firstRank": l.FirstRank, "amounts.labels": l.Amounts.Labels,
		"amounts.totals": l.Amounts.Totals, "amounts.perUnit": l.Amounts.PerUnit, "amounts.never": l.Amounts.Never,
		"productColumns": l.ProductColumns, "titleSuffixes": l.TitleSuffixes, "organisationEndings": l.OrganisationEndings,
		"organisationWords": l.OrganisationWords,
		"stopWords":         l.StopWords,
	}
	for field, words := range lists {
		for i, w := range words {
			if normKey(w) == "" {
				problems.Add(field, "entry %d is empty", i+1)
			}
		}
	}
	for _, field := range []string{"fields.buyer", "winner", "amounts.labels"} {
		if len(lists[field]) == 0 {
			problems.Add(field, "must not be empty: the extractor finds nothing without it")
		}
	}
	for i, t := range l.NoticeTypes {
		if !slices.Contains(noticeTypeNames, t.Type) {
			problems.Add("noticeTypes", "entry %d: type %q is not one of %s", i+1, t.Type, strings.Join(noticeTypeNames, ", "))
		}
		if len(t.Words) == 0 {
			problems.Add("noticeTypes", "entry %d (%s): no words", i+1, t.Type)
		}
	}
	return problems.Err()
}

// index maps every normalised label to its role. A label listed twice keeps
// the first role in this order: fields, then winners, amounts, ranks.
func (l *NoticeLabels) index() {
	l.roles = map[string]string{}
	l.normed = map[string]string{}
	for _, list := range [][]string{l.Fields.Buyer, l.Fields.Agency, l.Fields.Project, l.Fields.ProjectNumber, l.Fields.PublishedAt,
		l.NotPublished, l.NotWinner, l.Winner, l.WinnerColumns, l.CandidateColumns, l.RankColumns, l.FirstRank,
		l.Amounts.Labels, l.Amounts.Totals, l.Amounts.PerUnit, l.Amounts.Never, l.ProductColumns, l.TitleSuffixes,
		l.OrganisationEndings, l.OrganisationWords, l.StopWords} {
		for _, w := range list {
			l.normed[w] = normKey(w)
		}
	}
	for _, t := range l.NoticeTypes {
		for _, w := range t.Words {
			l.normed[w] = normKey(w)
		}
	}
	add := func(role string, words []string) {
		for _, w := range words {
			k := normKey(w)
			if _, ok := l.roles[k]; !ok {
				l.roles[k] = role
			}
		}
	}
	add("buyer", l.Fields.Buyer)
	add("agency", l.Fields.Agency)
	add("project", l.Fields.Project)
	add("projectNumber", l.Fields.ProjectNumber)
	add("publishedAt", l.Fields.PublishedAt)
	add(roleWinner, l.Winner)
	add(roleTotal, l.Amounts.Totals)
	add(rolePerUnit, l.Amounts.PerUnit)
	add(roleAmount, l.Amounts.Labels)
	add(roleRank, l.RankColumns)
	add(roleWinnerColumn, l.WinnerColumns)
	add(roleCandidateColumn, l.CandidateColumns)
	add(roleProduct, l.ProductColumns)
	l.keys = l.keys[:0]
	for k := range l.roles {
		l.keys = append(l.keys, k)
	}
	sort.Slice(l.keys, func(i, j int) bool {
		if a, b := utf8.RuneCountInString(l.keys[i]), utf8.RuneCountInString(l.keys[j]); a != b {
			return a > b
		}
		return l.keys[i] < l.keys[j]
	})
}

// match says which label a key is: the key itself, or the longest label it
// ends with (采购项目名称 is a 项目名称). A unit in brackets at the end of the
// key (中标价(万元)) is returned apart. Column-only roles match whole keys
// only. ok is false for a key that is no label.
func (l *NoticeLabels) match(key string) (label, role, unit string, ok bool) {
	k := normKey(key)
	k, unit = cutUnit(k)
	if k == "" {
		return "", "", unit, false
	}
	if r, found := l.roles[k]; found {
		return k, r, unit, true
	}
	// "中标价格为": a trailing copula is not part of the label.
	if t := strings.TrimRight(k, "为是"); t != k {
		if r, found := l.roles[t]; found {
			return t, r, unit, true
		}
	}
	for _, lab := range l.keys {
		r := l.roles[lab]
		if r == roleWinnerColumn || r == roleCandidateColumn || r == roleRank || r == roleProduct || utf8.RuneCountInString(lab) < 2 {
			continue
		}
		// A key much longer than the label is a sentence, not a label.
		if strings.HasSuffix(k, lab) && utf8.RuneCountInString(k)-utf8.RuneCountInString(lab) <= 8 {
			return lab, r, unit, true
		}
	}
	return "", "", unit, false
}

// notPublished says whether the words before a date label make it another
// event's date (招标公告发布时间: the call for bids).
func (l *NoticeLabels) notPublished(prefix string) bool {
	k := normKey(prefix)
	for _, w := range l.NotPublished {
		if strings.Contains(k, l.key(w)) {
			return true
		}
	}
	return false
}

// notWinner says whether the words before a winner label make it a loser's
// (未中标供应商名称) and a header cell holding them is not a winner column.
func (l *NoticeLabels) notWinner(prefix string) bool {
	k := normKey(prefix)
	for _, w := range l.NotWinner {
		if strings.Contains(k, l.key(w)) {
			return true
		}
	}
	return false
}

// never says whether a key names an amount that is not an award (a budget).
func (l *NoticeLabels) never(key string) bool {
	k := normKey(key)
	for _, w := range l.Amounts.Never {
		if strings.Contains(k, l.key(w)) {
			return true
		}
	}
	return false
}

// cutUnit splits a money unit in brackets off the end of a normalised key:
// "中标价(万元)" is "中标价" in 万元; "投标单价(元/亩)" is per unit.
func cutUnit(k string) (string, string) {
	if !strings.HasSuffix(k, ")") {
		return k, ""
	}
	i := strings.LastIndex(k, "(")
	if i < 0 {
		return k, ""
	}
	inner := k[i+1 : len(k)-1]
	switch {
	case strings.Contains(inner, "/"):
		return k[:i], "perUnit"
	case strings.Contains(inner, "万元"):
		return k[:i], "万元"
	case strings.Contains(inner, "元") || inner == "人民币" || inner == "rmb":
		return k[:i], "元"
	}
	return k, ""
}

// normKey normalises a label or a key: full-width forms to half-width,
// spaces and a leading enumerator dropped, Latin letters lower-cased.
func normKey(s string) string {
	s = strings.TrimSpace(halfWidth(s))
	s = stripEnumerator(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.Trim(b.String(), ":")
}

// halfWidth turns full-width ASCII forms (（）：，Ａ１) and the ideographic
// space into their half-width forms; other characters stay.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFF01 + '!'
		case r == '\u3000':
			return ' '
		case r == '【':
			return '['
		case r == '】':
			return ']'
		}
		return r
	}, s)
}
