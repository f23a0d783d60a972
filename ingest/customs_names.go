package ingest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/valuegraph/valuegraph"
)

// NameRules say how the text of a name column becomes a firm's name: which
// values name no one, which artefacts to repair, which identifiers and
// agent phrases to take out of it, which decorations to strip. They are
// configuration (the `names:` block of the layouts file, for every layout,
// plus a layout's own `names:`), so an unseen country's conventions need
// YAML, not code.
type NameRules struct {
	// Placeholders are whole-field values (regular expressions, matched
	// case-insensitively against the whole field) that name no firm:
	// "TO THE ORDER OF", "AS PER SELLER".
	Placeholders []string `yaml:"placeholders"`
	// Replace repairs artefacts, word for word and case-insensitively,
	// before anything else ("AND AMP" left by an HTML-escaped "&").
	Replace []NameReplace `yaml:"replace"`
	// Identifiers are patterns whose named groups are identifiers, by
	// scheme: the match is taken out of the name, each group becomes an
	// identifier (validated where the scheme has a check digit).
	Identifiers []IdentifierRule `yaml:"identifiers"`
	// Agents split a name holding two parties: the group `principal` is the
	// firm; the group `agent` (optional) is a forwarder, clearing agent or
	// care-of party, kept beside it with the rule's role. The first rule
	// that matches wins.
	Agents []AgentRule `yaml:"agents"`
	// Decorations are patterns removed from the name (and the agent)
	// before keys are built: "M/S", "MESSRS", "ФИРМА", a leading "FROM". A
	// pattern with a group named `name` keeps that group instead (the name
	// before an address written after it).
	Decorations []string `yaml:"decorations"`

	placeholders, decorations []*regexp.Regexp
	replace                   []*regexp.Regexp
	identifiers, agents       []*regexp.Regexp
}

// NameReplace is one repair: the words From become To.
type NameReplace struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

// IdentifierRule is a pattern and the scheme of each of its named groups.
type IdentifierRule struct {
	Pattern string            `yaml:"pattern"`
	Schemes map[string]string `yaml:"schemes"` // group name -> identifier scheme (RU-INN, BR-CNPJ, …)
	Related []string          `yaml:"related"` // groups that do not identify the firm alone (a KPP): never used to merge
}

// AgentRule is a pattern with a `principal` group and an optional `agent`
// group, and the role the agent plays (default "agent").
type AgentRule struct {
	Pattern string `yaml:"pattern"`
	Role    string `yaml:"role"`
}

// with returns the rules of r followed by those of more.
func (r NameRules) with(more NameRules) NameRules {
	return NameRules{
		Placeholders: append(slices.Clone(r.Placeholders), more.Placeholders...),
		Replace:      append(slices.Clone(r.Replace), more.Replace...),
		Identifiers:  append(slices.Clone(r.Identifiers), more.Identifiers...),
		Agents:       append(slices.Clone(r.Agents), more.Agents...),
		Decorations:  append(slices.Clone(r.Decorations), more.Decorations...),
	}
}

// compile checks and compiles the patterns; each problem names its field
// under prefix ("names.agents[2].pattern").
func (r *NameRules) compile(prefix string, problems *valuegraph.Problems) {
	re := func(field, pattern string) *regexp.Regexp {
		x, err := regexp.Compile("(?i)" + pattern)
		if err != nil {
			problems.Add(prefix+field, "%s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			return nil
		}
		return x
	}
	r.placeholders, r.decorations, r.replace, r.identifiers, r.agents = nil, nil, nil, nil, nil
	for i, p := range r.Placeholders {
		r.placeholders = append(r.placeholders, re(fmt.Sprintf(".placeholders[%d]", i), `^\s*(?:`+p+`)\s*$`))
	}
	for i, p := range r.Decorations {
		r.decorations = append(r.decorations, re(fmt.Sprintf(".decorations[%d]", i), p))
	}
	for i, p := range r.Replace {
		if strings.TrimSpace(p.From) == "" {
			problems.Add(fmt.Sprintf("%s.replace[%d].from", prefix, i), "required")
		}
		r.replace = append(r.replace, re(fmt.Sprintf(".replace[%d].from", i), `(^|[^\pL\pN])`+regexp.QuoteMeta(p.From)+`([^\pL\pN]|$)`))
	}
	for i, id := range r.Identifiers {
		field := fmt.Sprintf(".identifiers[%d]", i)
		x := re(field+".pattern", id.Pattern)
		r.identifiers = append(r.identifiers, x)
		if x == nil {
			continue
		}
		if len(id.Schemes) == 0 {
			problems.Add(prefix+field+".schemes", "required: the scheme of each named group")
		}
		for _, group := range id.Related {
			if _, ok := id.Schemes[group]; !ok {
				problems.Add(prefix+field+".related", "group %q has no scheme", group)
			}
		}
		for group, scheme := range id.Schemes {
			if x.SubexpIndex(group) < 0 {
				problems.Add(prefix+field+".schemes."+group, "the pattern has no group named %q", group)
			}
			if strings.TrimSpace(scheme) == "" {
				problems.Add(prefix+field+".schemes."+group, "no scheme")
			}
		}
	}
	for i, a := range r.Agents {
		field := fmt.Sprintf(".agents[%d]", i)
		x := re(field+".pattern", a.Pattern)
		r.agents = append(r.agents, x)
		if x != nil && x.SubexpIndex("principal") < 0 {
			problems.Add(prefix+field+".pattern", "needs a group named principal")
		}
	}
}

// NamePart is a party named in a field beside the firm, with its role.
type NamePart struct {
	Role string `json:"role"`
	Name string `json:"name"`
}

// ParsedName is what a name field says.
type ParsedName struct {
	Name        string // the firm, as written after repairs and stripping; "" when the field names no one
	Identifiers []valuegraph.Identifier
	Related     []valuegraph.Identifier // kept with the firm, never used to resolve it
	Agents      []NamePart
	Problems    []string // identifiers that looked like one and failed their check
}

// Parse reads one name field. Rules that would leave nothing of the name
// are not applied.
func (r *NameRules) Parse(raw string) ParsedName {
	s := Fold(RepairMojibake(raw))
	for i, x := range r.replace {
		if x != nil {
			s = Fold(x.ReplaceAllString(s, "${1}"+r.Replace[i].To+"${2}"))
		}
	}
	var out ParsedName
	if r.placeholder(s) {
		return out
	}
	for i, x := range r.identifiers {
		if x == nil {
			continue
		}
		for {
			m := x.FindStringSubmatchIndex(s)
			if m == nil || m[1] == m[0] {
				break
			}
			for _, group := range sortedKeys(r.Identifiers[i].Schemes) {
				g := x.SubexpIndex(group)
				if g < 0 || m[2*g] < 0 {
					continue
				}
				scheme := r.Identifiers[i].Schemes[group]
				v := strings.ToUpper(strings.Join(strings.Fields(s[m[2*g]:m[2*g+1]]), ""))
				if err := CheckIdentifier(scheme, v); err != nil {
					out.Problems = append(out.Problems, valuegraph.ErrorMessage(err))
					continue
				}
				id := valuegraph.Identifier{Scheme: scheme, Value: v}
				if slices.Contains(r.Identifiers[i].Related, group) {
					out.Related = append(out.Related, id)
				} else if !slices.Contains(out.Identifiers, id) {
					out.Identifiers = append(out.Identifiers, id)
				}
			}
			rest := Fold(s[:m[0]] + " " + s[m[1]:])
			if rest == "" {
				break
			}
			s = rest
		}
	}
	for i, x := range r.agents {
		if x == nil {
			continue
		}
		m := x.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		principal := r.strip(m[x.SubexpIndex("principal")])
		if !meaningful(principal) || r.placeholder(principal) {
			continue // "ATLAS SHIPPING SERVICES | PRIVATE LIMITED" is one firm
		}
		if g := x.SubexpIndex("agent"); g >= 0 {
			if agent := r.strip(m[g]); agent != "" && !r.placeholder(agent) {
				role := r.Agents[i].Role
				if role == "" {
					role = "agent"
				}
				out.Agents = append(out.Agents, NamePart{Role: role, Name: agent})
			}
		}
		s = principal
		break
	}
	out.Name = r.strip(s)
	if r.placeholder(out.Name) {
		out.Name = ""
	}
	return out
}

// strip removes decorations and stray punctuation at the ends.
func (r *NameRules) strip(s string) string {
	for _, x := range r.decorations {
		if x == nil {
			continue
		}
		rest := Fold(x.ReplaceAllString(s, " "))
		if g := x.SubexpIndex("name"); g >= 0 { // the pattern says what to keep
			rest = ""
			if m := x.FindStringSubmatch(s); m != nil {
				rest = Fold(m[g])
			}
		}
		if OrgKey(rest) != "" {
			s = rest
		}
	}
	return strings.Trim(Fold(s), " ,;:-/\"'«»“”")
}

// meaningful is true when a name has a word that is not a legal form.
func meaningful(s string) bool {
	for _, t := range strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r)) }) {
		if !latinForms[t] && !joinWords[t] && t != "PRIVATE" && t != "PVT" {
			return true
		}
	}
	return false
}

func (r *NameRules) placeholder(s string) bool {
	if NullValue(s) {
		return true
	}
	for _, x := range r.placeholders {
		if x != nil && x.MatchString(s) {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
