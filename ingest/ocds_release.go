package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph"
)

// The OCDS shapes we read; loose where publishers deviate.
type (
	ocdsRelease struct {
		OCID      string
		ID        flexString
		Date      string
		Published string
		Tag       flexStrings
		Title     string
		Name      string // Taiwan: the title
		Buyer     *ocdsOrg
		Parties   flexList[ocdsOrg]
		Planning  *ocdsPlanning
		Tender    *ocdsTender
		Awards    []ocdsAward
		Contracts []ocdsContract

		content bool // it has something to read (not only a link)
		link    bool // a record's release given as a url only
	}
	ocdsOrg struct {
		ID                    flexString               `json:"id"`
		Name                  string                   `json:"name"`
		Identifier            *ocdsIdentifier          `json:"identifier"`
		AdditionalIdentifiers flexList[ocdsIdentifier] `json:"additionalIdentifiers"`
		Roles                 flexStrings              `json:"roles"`
	}
	ocdsIdentifier struct {
		Scheme    string     `json:"scheme"`
		ID        flexString `json:"id"`
		LegalName string     `json:"legalName"`
	}
	ocdsPlanning struct {
		Rationale string `json:"rationale"`
		Budget    *struct {
			Description string     `json:"description"`
			Project     string     `json:"project"`
			Amount      *ocdsValue `json:"amount"`
		} `json:"budget"`
	}
	ocdsTender struct {
		ID              flexString                  `json:"id"`
		Title           string                      `json:"title"`
		Description     string                      `json:"description"`
		Status          string                      `json:"status"`
		Value           *ocdsValue                  `json:"value"`
		Budget          *struct{ Value *ocdsValue } `json:"budget"`
		TenderPeriod    *ocdsPeriod                 `json:"tenderPeriod"`
		DatePublished   string                      `json:"datePublished"`
		ProcuringEntity *ocdsOrg                    `json:"procuringEntity"`
		Tenderers       flexList[ocdsOrg]           `json:"tenderers"`
	}
	ocdsAward struct {
		ID          flexString        `json:"id"`
		Title       string            `json:"title"`
		Description string            `json:"description"`
		Status      string            `json:"status"`
		Date        string            `json:"date"`
		AwardDate   string            `json:"awardDate"` // Taiwan
		Value       *ocdsValue        `json:"value"`
		Total       *ocdsValue        `json:"totalAwardValue"` // Taiwan
		Suppliers   flexList[ocdsOrg] `json:"suppliers"`
		Items       flexList[struct {
			Suppliers flexList[ocdsOrg] `json:"suppliers"` // Taiwan puts them here
		}] `json:"items"`
		index int
	}
	ocdsContract struct {
		ID          flexString        `json:"id"`
		AwardID     flexString        `json:"awardID"`
		Title       string            `json:"title"`
		Description string            `json:"description"`
		Status      string            `json:"status"`
		DateSigned  string            `json:"dateSigned"`
		Period      *ocdsPeriod       `json:"period"`
		Value       *ocdsValue        `json:"value"`
		Suppliers   flexList[ocdsOrg] `json:"suppliers"` // not in the schema; some publishers name them here
		index       int
	}
	ocdsValue struct {
		Amount   flexString `json:"amount"`
		Currency string     `json:"currency"`
	}
	ocdsPeriod struct {
		StartDate string `json:"startDate"`
		EndDate   string `json:"endDate"`
	}
)

// flexString accepts a string or a number.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a string or a number, got %.40s", b)
	}
	*f = flexString(n.String())
	return nil
}

// flexStrings accepts a string or a list of strings.
type flexStrings []string

func (f *flexStrings) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*f = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("want a string or a list of strings, got %.40s", b)
	}
	*f = many
	return nil
}

// flexList accepts a list of objects or one object.
type flexList[T any] []T

func (f *flexList[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var many []T
	if err := json.Unmarshal(b, &many); err == nil {
		*f = many
		return nil
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*f = []T{one}
	return nil
}

// mergeReleases compiles a record's releases the way OCDS's merge does in
// outline: oldest first, a later release's fields replace earlier ones, and
// parties, awards and contracts merge by id.
func mergeReleases(rels []ocdsRelease) ocdsRelease {
	sort.SliceStable(rels, func(a, b int) bool { return rels[a].Date < rels[b].Date })
	var out ocdsRelease
	for _, r := range rels {
		out.OCID = firstNonEmpty(r.OCID, out.OCID)
		out.ID = flexString(firstNonEmpty(string(r.ID), string(out.ID)))
		out.Date = firstNonEmpty(r.Date, out.Date)
		out.Published = firstNonEmpty(r.Published, out.Published)
		out.Title = firstNonEmpty(r.Title, out.Title)
		out.Name = firstNonEmpty(r.Name, out.Name)
		for _, t := range r.Tag {
			if !slices.Contains(out.Tag, t) {
				out.Tag = append(out.Tag, t)
			}
		}
		if r.Buyer != nil {
			out.Buyer = r.Buyer
		}
		if r.Planning != nil {
			out.Planning = r.Planning
		}
		if r.Tender != nil {
			out.Tender = r.Tender
		}
		out.Parties = mergeByID(out.Parties, r.Parties, func(o ocdsOrg) string { return firstNonEmpty(string(o.ID), o.Name) })
		out.Awards = mergeByID(out.Awards, r.Awards, func(a ocdsAward) string { return string(a.ID) })
		out.Contracts = mergeByID(out.Contracts, r.Contracts, func(c ocdsContract) string { return string(c.ID) })
	}
	return out
}

func mergeByID[T any](old, later []T, id func(T) string) []T {
	for _, x := range later {
		i := slices.IndexFunc(old, func(y T) bool { return id(x) != "" && id(y) == id(x) })
		if i >= 0 {
			old[i] = x
		} else {
			old = append(old, x)
		}
	}
	return old
}

// problems collects what a release lacks, by field.
type problems []Problem

func (ps *problems) add(field, reason string) {
	*ps = append(*ps, Problem{Field: field, Reason: reason})
}

// ocdsOrgSeen is an organisation as the release names it, for the dry run:
// its name as written, its identifier as it is merged on.
type ocdsOrgSeen struct {
	Roles       []string         `json:"roles"`
	Name        string           `json:"name"`
	Identifiers []ocdsIdentShown `json:"identifiers"`
	// Additional identifiers (often a parent body's code) are shown, never
	// used to merge.
	Additional []ocdsIdentShown `json:"additionalIdentifiers,omitempty"`
}

type ocdsIdentShown struct {
	Scheme string `json:"scheme"`
	ID     string `json:"id"`
}

// releaseReader turns one release into items.
type releaseReader struct {
	p       *ocdsFile
	rel     ocdsRelease
	path    string
	parties map[string]*ocdsOrg // by party id
	orgs    []*ocdsOrgSeen      // for Detail, in the order met
	byOrg   map[string]*ocdsOrgSeen
	probs   problems // the release's own; every item carries them
	own     map[string]ownFields
}

// ownFields says which of a signal's fields its own part of the release
// gave, rather than the release around it (the release's date, the
// tender's title on an award).
type ownFields struct{ title, date bool }

// stabilise makes a signal that an earlier release of this file already
// made (a package holds each release of a process, and each repeats the
// tender and awards it still holds) take the earlier one's title, date and
// value where this release only gave them by its context: its own date or
// none of its own. Else the copies differ only by the release they came in,
// and a second ingest, meeting them in other batches, would flip the signal
// from one to the other.
func (p *ocdsFile) stabilise(sig *valuegraph.Signal, own ownFields) {
	prev, ok := p.made[sig.ID]
	if ok {
		if !own.title {
			sig.Title = prev.Title
		}
		if !own.date {
			sig.OccurredAt = prev.OccurredAt
		}
		if sig.Text == "" {
			sig.Text = prev.Text
		}
		if sig.Amount == 0 && sig.Currency == "" {
			sig.Amount, sig.Currency = prev.Amount, prev.Currency
		}
	}
	p.made[sig.ID] = madeSignal{Title: sig.Title, Text: sig.Text, OccurredAt: sig.OccurredAt, Amount: sig.Amount, Currency: sig.Currency}
}

// madeSignal is what stabilise keeps of a signal made earlier in the file.
type madeSignal struct {
	Title, Text string
	OccurredAt  time.Time
	Amount      float64
	Currency    string
}

// emitRelease makes the signals of a release and emits them, or rejects the
// release when it yields none.
func (p *ocdsFile) emitRelease(rel ocdsRelease, at jsonMark, path string, probs problems) error {
	pos := Position{File: p.file, Line: at.Line}
	if rel.link && !rel.content {
		p.rejectAt(at.Line, path, "a link to a release (url) without its content: nothing to read here")
		return nil
	}
	if strings.TrimSpace(rel.OCID) == "" {
		if rel.ID == "" && !rel.content {
			p.rejectAt(at.Line, path, "not an OCDS release, record or package: no ocid, releases, records, tender, awards or contracts")
			return nil
		}
		if rel.ID == "" {
			p.rejectAt(at.Line, path, "ocid: required (and no release id to stand in)")
			return nil
		}
		// The file's name scopes the release id: ids are only unique
		// within a publisher.
		rel.OCID = "noocid-" + p.file + "-" + string(rel.ID)
		probs.add("ocid", fmt.Sprintf("missing: signals are named after the file and the release id (%s)", rel.OCID))
	}
	rr := &releaseReader{p: p, rel: rel, path: path, parties: map[string]*ocdsOrg{}, byOrg: map[string]*ocdsOrgSeen{}, probs: probs, own: map[string]ownFields{}}
	items, reasons := rr.items()
	if len(items) == 0 {
		msg := "nothing to read"
		if len(reasons) > 0 {
			var parts []string
			for _, r := range reasons {
				parts = append(parts, r.Field+": "+r.Reason)
			}
			msg = strings.Join(parts, "; ")
		}
		p.rejectAt(at.Line, path, "release %q yields no signal: %s", rel.OCID, msg)
		return nil
	}
	for _, it := range items {
		it.Pos = pos
		if err := p.emit(it); err != nil {
			return err
		}
	}
	return nil
}

// items makes the release's signals; when there are none, reasons say why.
func (rr *releaseReader) items() ([]Item, problems) {
	rel := rr.rel
	for i := range rel.Parties {
		if rel.Parties[i].ID != "" {
			rr.parties[string(rel.Parties[i].ID)] = &rel.Parties[i]
		}
	}
	// Every organisation the release names, for the dry run, with its roles.
	for i := range rel.Parties {
		for _, role := range rel.Parties[i].Roles {
			rr.seen(&rel.Parties[i], role)
		}
	}
	buyer, buyerProblem := rr.buyer()
	var skipped problems // parts of the release that made no signal
	var items []Item
	title := rel.Title
	if t := rel.Tender; t != nil {
		title = firstNonEmpty(t.Title, rel.Title, rel.Name, clip(t.Description, 120))
		for i := range t.Tenderers {
			rr.seen(&t.Tenderers[i], "tenderer")
		}
	}
	title = firstNonEmpty(title, rel.Name)
	about := func() []Mention {
		if buyer == nil {
			return nil
		}
		return []Mention{*buyer}
	}

	if t := rel.Tender; t != nil {
		var ps problems
		sig := rr.signal("tender", valuegraph.SignalTender, firstNonEmpty(title, "tender "+string(t.ID)), strings.TrimSpace(t.Title) != "", t.Description)
		var start string
		if t.TenderPeriod != nil {
			start = t.TenderPeriod.StartDate
		}
		rr.date(&sig, &ps, "tender", start, t.DatePublished)
		v, vfield := t.Value, "tender.value"
		if v == nil && t.Budget != nil {
			v, vfield = t.Budget.Value, "tender.budget.value"
		}
		rr.value(&sig, &ps, vfield, v)
		switch {
		case buyer == nil:
			skipped.add("tender", "no buyer or procuring entity to tie it to: no tender signal")
		case sig.OccurredAt.IsZero():
			skipped = append(skipped, ps...)
		default:
			items = append(items, rr.item(sig, about(), nil, append(ps, buyerProblem...)))
		}
	}

	awarded := map[string]bool{} // award ids, for contracts that repeat them
	done := map[string]int{}     // award signal id -> index in items
	for _, a := range rel.Awards {
		field := fmt.Sprintf("awards[%d]", a.index)
		awardID := firstNonEmpty(string(a.ID), strconv.Itoa(a.index))
		awarded[awardID] = true
		suppliers := slices.Clone([]ocdsOrg(a.Suppliers))
		for _, it := range a.Items {
			suppliers = append(suppliers, it.Suppliers...)
		}
		winners := rr.mentions(suppliers, field+".suppliers", "supplier")
		id := "award:" + awardID
		if k, ok := done[id]; ok { // the same award repeated (Colombia): one signal, its winners together
			items[k].Winners = appendNew(items[k].Winners, winners...)
			continue
		}
		var ps problems
		sig := rr.signal(id, valuegraph.SignalAward, firstNonEmpty(a.Title, title, "award "+awardID), strings.TrimSpace(a.Title) != "", a.Description)
		rr.date(&sig, &ps, field, a.Date, a.AwardDate)
		v, vfield := a.Value, field+".value"
		if v == nil {
			v, vfield = a.Total, field+".totalAwardValue"
		}
		rr.value(&sig, &ps, vfield, v)
		if len(winners) == 0 {
			ps.add(field+".suppliers", "no supplier named")
		}
		switch {
		case sig.OccurredAt.IsZero():
			skipped = append(skipped, ps...)
		case len(winners) == 0 && (a.Status == "cancelled" || a.Status == "unsuccessful"):
			skipped.add(field, fmt.Sprintf("status %s and no supplier: nothing was won", a.Status))
		case len(winners) == 0 && buyer == nil:
			skipped.add(field, "neither a buyer nor a supplier: no signal")
		default:
			done[id] = len(items)
			items = append(items, rr.item(sig, about(), winners, append(ps, buyerProblem...)))
		}
	}

	// Contracts no award of the release covers: some publishers name the
	// supplier only there (or in parties with role supplier).
	for _, c := range rel.Contracts {
		if id := strings.TrimSpace(string(c.AwardID)); id != "" && awarded[id] {
			continue
		}
		field := fmt.Sprintf("contracts[%d]", c.index)
		contractID := firstNonEmpty(string(c.ID), strconv.Itoa(c.index))
		var ps problems
		winners := rr.mentions(c.Suppliers, field+".suppliers", "supplier")
		if len(winners) == 0 && len(rel.Awards) == 0 {
			var parties []ocdsOrg
			for _, pt := range rel.Parties {
				if slices.Contains(pt.Roles, "supplier") {
					parties = append(parties, pt)
				}
			}
			winners = rr.mentions(parties, "parties", "")
		}
		if len(winners) == 0 {
			ps.add(field+".suppliers", "no supplier named (in the contract, an award or parties with role supplier)")
		}
		sig := rr.signal("contract:"+contractID, valuegraph.SignalAward, firstNonEmpty(c.Title, title, "contract "+contractID), strings.TrimSpace(c.Title) != "", c.Description)
		var start string
		if c.Period != nil {
			start = c.Period.StartDate
		}
		rr.date(&sig, &ps, field, c.DateSigned, start)
		rr.value(&sig, &ps, field+".value", c.Value)
		switch {
		case sig.OccurredAt.IsZero():
			skipped = append(skipped, ps...)
		case len(winners) == 0 && buyer == nil:
			skipped.add(field, "neither a buyer nor a supplier: no signal")
		default:
			items = append(items, rr.item(sig, about(), winners, append(ps, buyerProblem...)))
		}
	}

	// A planning release (no tender, award or contract yet) is an intent.
	if len(items) == 0 && rel.Tender == nil && rel.Planning != nil {
		var ps problems
		pl := rel.Planning
		var v *ocdsValue
		desc := pl.Rationale
		if pl.Budget != nil {
			v, desc = pl.Budget.Amount, firstNonEmpty(pl.Budget.Description, pl.Budget.Project, desc)
		}
		sig := rr.signal("planning", valuegraph.SignalProcurementIntent, firstNonEmpty(title, clip(desc, 120), "planning "+rel.OCID), false, desc)
		rr.date(&sig, &ps, "planning")
		rr.value(&sig, &ps, "planning.budget.amount", v)
		switch {
		case buyer == nil:
			skipped.add("planning", "no buyer to tie it to: no signal")
		case sig.OccurredAt.IsZero():
			skipped = append(skipped, ps...)
		default:
			items = append(items, rr.item(sig, about(), nil, append(ps, buyerProblem...)))
		}
	}
	if len(items) == 0 {
		reasons := append(append(problems{}, buyerProblem...), skipped...)
		if rel.Tender == nil && len(rel.Awards) == 0 && len(rel.Contracts) == 0 && rel.Planning == nil {
			reasons.add("release", "no planning, tender, awards or contracts")
		}
		return nil, append(rr.probs, reasons...)
	}
	// What the release lost is said on every signal it made; each shows
	// every organisation the release names.
	orgs := make([]ocdsOrgSeen, len(rr.orgs))
	for i, o := range rr.orgs {
		orgs[i] = *o
	}
	for i := range items {
		rr.p.stabilise(items[i].Signal, rr.own[items[i].Signal.ID])
		items[i].Detail.(map[string]any)["organisations"] = orgs
		items[i].Problems = append(append(slices.Clone(rr.probs), skipped...), items[i].Problems...)
		if len(items[i].Problems) == 0 {
			items[i].Problems = nil
		}
	}
	return items, nil
}

// signal starts a signal of the release.
func (rr *releaseReader) signal(suffix string, kind valuegraph.SignalKind, title string, ownTitle bool, text string) valuegraph.Signal {
	id := "ocds:" + rr.rel.OCID + ":" + suffix
	rr.own[id] = ownFields{title: ownTitle}
	return valuegraph.Signal{ID: id, Kind: kind, Title: Fold(title), Text: Fold(text),
		Source: rr.p.o.source(), Trust: valuegraph.TrustL2}
}

// item wraps a signal with its organisations and what the dry run shows.
func (rr *releaseReader) item(sig valuegraph.Signal, about, winners []Mention, ps problems) Item {
	detail := map[string]any{"ocid": rr.rel.OCID, "path": rr.path, "signal": sig.ID}
	if len(rr.rel.Tag) > 0 {
		detail["tag"] = []string(rr.rel.Tag)
	}
	s := sig
	return Item{Signal: &s, About: about, Winners: winners, Problems: ps, Detail: detail}
}

// date sets the signal's date from the first of dates that parses, then
// the release's date, then the package's publishedDate (said as a problem).
func (rr *releaseReader) date(sig *valuegraph.Signal, ps *problems, field string, dates ...string) {
	if t, err := firstDate(dates...); err == nil {
		sig.OccurredAt = t
		o := rr.own[sig.ID]
		o.date = true
		rr.own[sig.ID] = o
		return
	}
	for _, d := range dates {
		if !NullValue(d) {
			ps.add(field+".date", fmt.Sprintf("%q is not a date: the release's date stands in", d))
			break
		}
	}
	t, err := firstDate(append(dates, rr.rel.Date)...)
	if err == nil {
		sig.OccurredAt = t
		return
	}
	if t, perr := firstDate(rr.rel.Published, rr.p.published); perr == nil {
		sig.OccurredAt = t
		ps.add(field+".date", "no date in the release: the package's publishedDate stands in")
		return
	}
	ps.add(field+".date", "no date ("+strings.TrimPrefix(err.Error(), "invalid: ")+"): no signal")
}

// value sets the signal's amount. An amount without a currency is kept
// when it is 0 (nothing to convert) and dropped otherwise, each with a
// problem; a value that cannot be read is a problem, never a rejection.
func (rr *releaseReader) value(sig *valuegraph.Signal, ps *problems, field string, v *ocdsValue) {
	if v == nil || NullValue(string(v.Amount)) {
		return
	}
	amount, ok, err := Number(string(v.Amount))
	if err != nil || !ok {
		ps.add(field+".amount", fmt.Sprintf("%q is not an amount: not stored", string(v.Amount)))
		return
	}
	cur := strings.ToUpper(strings.TrimSpace(v.Currency))
	switch {
	case cur == "" && amount == 0:
		ps.add(field+".currency", "missing (the amount 0 is kept)")
	case cur == "":
		ps.add(field+".currency", fmt.Sprintf("missing: the amount %s is not stored", string(v.Amount)))
		return
	case len(cur) != 3 || strings.IndexFunc(cur, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0:
		ps.add(field+".currency", fmt.Sprintf("%q is not an ISO 4217 code: the amount %s is not stored", v.Currency, string(v.Amount)))
		return
	default:
		sig.Currency = cur
	}
	sig.Amount = amount
}

// buyer finds the release's buyer: buyer, a party with role buyer,
// tender.procuringEntity, a party with role procuringEntity.
func (rr *releaseReader) buyer() (*Mention, problems) {
	rel := rr.rel
	var ps problems
	try := func(org *ocdsOrg, field, role string) *Mention {
		if org == nil {
			return nil
		}
		full := *org
		if p, ok := rr.parties[string(org.ID)]; ok && org.ID != "" {
			full = *p
			full.Name = firstNonEmpty(p.Name, org.Name)
			if full.Identifier == nil {
				full.Identifier = org.Identifier
			}
		}
		if role != "" {
			rr.seen(&full, role)
		}
		m, ok := rr.mention(full, field)
		if !ok {
			return nil
		}
		return &m
	}
	if m := try(rel.Buyer, "buyer", "buyer"); m != nil {
		return m, nil
	}
	for i := range rel.Parties {
		if slices.Contains(rel.Parties[i].Roles, "buyer") {
			if m := try(&rel.Parties[i], fmt.Sprintf("parties[%d]", i), ""); m != nil {
				return m, nil
			}
		}
	}
	if rel.Tender != nil {
		if m := try(rel.Tender.ProcuringEntity, "tender.procuringEntity", "procuringEntity"); m != nil {
			return m, nil
		}
	}
	for i := range rel.Parties {
		if slices.Contains(rel.Parties[i].Roles, "procuringEntity") {
			if m := try(&rel.Parties[i], fmt.Sprintf("parties[%d]", i), ""); m != nil {
				return m, nil
			}
		}
	}
	ps.add("buyer", "no buyer (buyer, a party with role buyer, or tender.procuringEntity, with a name or an identifier)")
	return nil, ps
}

// mentions turns organisation references into mentions, resolving each
// against parties by id, once per distinct name; role, when given, is
// recorded for the dry run (parties carry their own).
func (rr *releaseReader) mentions(orgs []ocdsOrg, field, role string) []Mention {
	var out []Mention
	for j := range orgs {
		ref := &orgs[j]
		full := *ref
		if p, ok := rr.parties[string(ref.ID)]; ok && ref.ID != "" {
			full = *p
			full.Name = firstNonEmpty(p.Name, ref.Name)
			if full.Identifier == nil {
				full.Identifier = ref.Identifier
			}
		}
		if role != "" {
			rr.seen(&full, role)
		}
		m, ok := rr.mention(full, fmt.Sprintf("%s[%d]", field, j))
		if ok {
			out = appendNew(out, m)
		}
	}
	return out
}

// appendNew appends the mentions whose name key (or, without one, first
// identifier) is not there yet.
func appendNew(list []Mention, ms ...Mention) []Mention {
	key := func(m Mention) string {
		if k := OrgKey(m.Name); k != "" {
			return k
		}
		if len(m.Identifiers) > 0 {
			return m.Identifiers[0].Key()
		}
		return ""
	}
	for _, m := range ms {
		if !slices.ContainsFunc(list, func(o Mention) bool { return key(o) == key(m) }) {
			list = append(list, m)
		}
	}
	return list
}

// mention makes a mention of one organisation. Only the party's own
// identifier is used to merge: additionalIdentifiers are often a parent
// body's (a ministry's code on each of its schools) and are shown, not
// merged on; an identifier that a party under another name already carried
// in this file is dropped from merging too, with a problem.
func (rr *releaseReader) mention(org ocdsOrg, field string) (Mention, bool) {
	m := Mention{Name: strings.TrimSpace(org.Name), Source: rr.p.o.source()}
	if org.Identifier != nil {
		if m.Name == "" {
			m.Name = strings.TrimSpace(org.Identifier.LegalName)
		}
		id, ok := rr.identifier(*org.Identifier, field+".identifier")
		if ok {
			nameKey := OrgKey(m.Name)
			first, seen := rr.p.idents[id.Key()]
			switch {
			case !seen || nameKey == "" || first.key == "":
				if !seen {
					rr.p.idents[id.Key()] = identOwner{nameKey, m.Name}
				}
				m.Identifiers = append(m.Identifiers, id)
			case first.key == nameKey || Similarity(first.key, nameKey) >= 0.92:
				m.Identifiers = append(m.Identifiers, id)
			default:
				rr.probs.add(field+".identifier", fmt.Sprintf("%s is also the identifier of %q in this file: not used to merge %q (a parent body's code?)", id.Key(), first.name, m.Name))
			}
		}
	}
	if OrgKey(m.Name) == "" && len(m.Identifiers) == 0 {
		return Mention{}, false // nothing to resolve it by ("", "-", a bare legal suffix)
	}
	if m.Name == "" {
		m.Name = m.Identifiers[0].Value
	}
	return m, true
}

// identifier normalises an OCDS identifier: the scheme trimmed and
// upper-cased (free text such as "Cédula de Ciudadanía" is kept as it is
// written, not guessed at), an empty scheme read as the publisher's own
// (its ocid prefix), an empty or placeholder id never merged on.
func (rr *releaseReader) identifier(id ocdsIdentifier, field string) (valuegraph.Identifier, bool) {
	ident, ok, err := ocdsIdentifierOf(id, rr.rel.OCID)
	if err != nil {
		rr.probs.add(field, err.Error()+": not used to merge")
	}
	return ident, ok
}

func ocdsIdentifierOf(id ocdsIdentifier, ocid string) (valuegraph.Identifier, bool, error) {
	value := strings.TrimSpace(string(id.ID))
	if NullValue(value) || strings.Trim(value, "0 .-") == "" {
		return valuegraph.Identifier{}, false, nil
	}
	scheme := strings.ToUpper(strings.TrimSpace(Fold(id.Scheme)))
	if scheme == "" {
		scheme = "OCDS:" + ocidPrefix(ocid) // an id without a scheme is the publisher's own
	}
	ident, ok, err := OrgIdentifier(scheme, value)
	if err != nil {
		return valuegraph.Identifier{}, false, err
	}
	return ident, ok, nil
}

// seen records an organisation the release names, with a role, for the
// dry run.
func (rr *releaseReader) seen(org *ocdsOrg, role string) {
	name := strings.TrimSpace(org.Name)
	if name == "" && org.Identifier != nil {
		name = strings.TrimSpace(org.Identifier.LegalName)
	}
	var ids []ocdsIdentShown // as they are merged on
	if org.Identifier != nil {
		if id, ok, _ := ocdsIdentifierOf(*org.Identifier, rr.rel.OCID); ok {
			ids = append(ids, ocdsIdentShown{Scheme: id.Scheme, ID: id.Value})
		}
	}
	key := firstNonEmpty(string(org.ID), name)
	if key == "" {
		return
	}
	o := rr.byOrg[key]
	if o == nil {
		o = &ocdsOrgSeen{Name: name, Identifiers: ids}
		if o.Identifiers == nil {
			o.Identifiers = []ocdsIdentShown{}
		}
		for _, a := range org.AdditionalIdentifiers {
			if strings.TrimSpace(string(a.ID)) != "" {
				o.Additional = append(o.Additional, ocdsIdentShown{Scheme: strings.TrimSpace(a.Scheme), ID: strings.TrimSpace(string(a.ID))})
			}
		}
		rr.byOrg[key] = o
		rr.orgs = append(rr.orgs, o)
	}
	if o.Name == "" {
		o.Name = name
	}
	if !slices.Contains(o.Roles, role) {
		o.Roles = append(o.Roles, role)
	}
}

func ocidPrefix(ocid string) string {
	parts := strings.SplitN(ocid, "-", 3)
	if len(parts) < 2 {
		return ocid
	}
	return parts[0] + "-" + parts[1]
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func clip(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
