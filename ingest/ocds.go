package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/valuegraph/valuegraph"
)

// OCDS reads Open Contracting Data Standard publications: release packages
// and record packages (streamed element by element, so files of any size
// read in flat memory), or a single release or record per file, as the real
// publishers in ../shared/data/ocds publish them. Tenders become tender
// signals about the buyer; each award becomes an award signal about the
// buyer, won by its suppliers. Deviations seen in real data are accepted:
// awards as an object (Taiwan), tag as a string, numeric ids, empty
// identifiers, parties only inline.
type OCDS struct {
	Source string // the Source node's id; default "ocds"
}

// Parse reads r and emits one item per signal. A release that cannot be read
// is rejected with its position; the rest of the file goes on. A file that
// is not JSON, or is cut short, stops there, after emitting what came before.
func (o OCDS) Parse(ctx context.Context, r io.Reader, file string, emit func(Item) error, reject func(error)) error {
	lr := newLineReader(r)
	dec := json.NewDecoder(lr)
	dec.UseNumber()
	fail := func(msg string, err error) error {
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: lr.line(dec.InputOffset()), Message: msg + ": " + jsonMessage(err), Err: err}
	}
	tok, err := dec.Token()
	if err != nil {
		return fail("not JSON", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fail("not an OCDS document", fmt.Errorf("top level is %v, want an object", tok))
	}
	// A record file also has "releases" (inside the record); whether they are
	// a package's releases is known only once "compiledRelease" has been seen
	// or not, so up to maxHeld of them wait.
	const maxHeld = 256
	type held struct {
		raw  json.RawMessage
		line int
		n    int
	}
	var waiting []held
	streaming := false
	top := map[string]json.RawMessage{}
	n := 0
	handle := func(kind string, raw json.RawMessage, line, index int) error {
		pos := Position{File: file, Line: line}
		items, err := o.fromDocument(kind, raw, pos, index)
		var partial problemsWithItems
		if errors.As(err, &partial) {
			for _, p := range partial.problems {
				reject(p)
			}
		} else if err != nil {
			reject(err)
			return nil
		}
		for _, it := range items {
			if err := emit(it); err != nil {
				return err
			}
		}
		return nil
	}
	for dec.More() {
		if err := ctx.Err(); err != nil {
			return err
		}
		tok, err := dec.Token()
		if err != nil {
			return fail("reading the top-level object", err)
		}
		key, _ := tok.(string)
		if key != "releases" && key != "records" {
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return fail(fmt.Sprintf("reading %q", key), err)
			}
			top[key] = v
			continue
		}
		if t, err := dec.Token(); err != nil {
			return fail(fmt.Sprintf("reading %q", key), err)
		} else if d, ok := t.(json.Delim); !ok || d != '[' {
			return fail(fmt.Sprintf("reading %q", key), fmt.Errorf("%q is not an array", key))
		}
		for dec.More() {
			line := lr.line(dec.InputOffset())
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fail(fmt.Sprintf("%s[%d]", key, n), err)
			}
			switch {
			case key == "records":
				if err := handle("record", raw, line, n); err != nil {
					return err
				}
			case streaming:
				if err := handle("release", raw, line, n); err != nil {
					return err
				}
			default:
				waiting = append(waiting, held{raw, line, n})
				if len(waiting) > maxHeld {
					streaming = true
					for _, h := range waiting {
						if err := handle("release", h.raw, h.line, h.n); err != nil {
							return err
						}
					}
					waiting = nil
				}
			}
			n++
		}
		if _, err := dec.Token(); err != nil {
			return fail(fmt.Sprintf("closing %q", key), err)
		}
		if key == "releases" && !streaming {
			top["releases"] = nil // remember the key was there
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail("closing the top-level object", err)
	}
	if _, ok := top["compiledRelease"]; ok {
		// A single record: its compiled release says everything its releases do.
		raw, _ := json.Marshal(top)
		return handle("record", raw, 1, 0)
	}
	for _, h := range waiting {
		if err := handle("release", h.raw, h.line, h.n); err != nil {
			return err
		}
	}
	if _, ok := top["ocid"]; ok && n == 0 {
		raw, _ := json.Marshal(top)
		return handle("release", raw, 1, 0)
	}
	if n == 0 {
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: 1, Message: "no releases or records: not an OCDS release, record or package"}
	}
	return nil
}

// jsonMessage makes decoder errors read as what happened to the file.
func jsonMessage(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "unexpected end of file (truncated JSON?)"
	}
	return err.Error()
}

// The OCDS shapes we read; loose where publishers deviate.
type (
	ocdsRecord struct {
		OCID            string            `json:"ocid"`
		CompiledRelease *json.RawMessage  `json:"compiledRelease"`
		Releases        []json.RawMessage `json:"releases"`
	}
	ocdsRelease struct {
		OCID    string          `json:"ocid"`
		ID      flexString      `json:"id"`
		Date    string          `json:"date"`
		Tag     flexStrings     `json:"tag"`
		Name    string          `json:"name"` // Taiwan: the title
		Buyer   *ocdsOrg        `json:"buyer"`
		Parties []ocdsOrg       `json:"parties"`
		Tender  *ocdsTender     `json:"tender"`
		Awards  flexList[award] `json:"awards"`
	}
	ocdsOrg struct {
		ID                    flexString       `json:"id"`
		Name                  string           `json:"name"`
		Identifier            *ocdsIdentifier  `json:"identifier"`
		AdditionalIdentifiers []ocdsIdentifier `json:"additionalIdentifiers"`
		Roles                 []string         `json:"roles"`
	}
	ocdsIdentifier struct {
		Scheme    string     `json:"scheme"`
		ID        flexString `json:"id"`
		LegalName string     `json:"legalName"`
	}
	ocdsTender struct {
		ID              flexString                  `json:"id"`
		Title           string                      `json:"title"`
		Description     string                      `json:"description"`
		Status          string                      `json:"status"`
		Value           *ocdsValue                  `json:"value"`
		Budget          *struct{ Value *ocdsValue } `json:"budget"`
		TenderPeriod    *ocdsPeriod                 `json:"tenderPeriod"`
		ProcuringEntity *ocdsOrg                    `json:"procuringEntity"`
	}
	award struct {
		ID          flexString `json:"id"`
		Title       string     `json:"title"`
		Description string     `json:"description"`
		Status      string     `json:"status"`
		Date        string     `json:"date"`
		AwardDate   string     `json:"awardDate"` // Taiwan
		Value       *ocdsValue `json:"value"`
		Total       *ocdsValue `json:"totalAwardValue"` // Taiwan
		Suppliers   []ocdsOrg  `json:"suppliers"`
		Items       []struct {
			Suppliers []ocdsOrg `json:"suppliers"` // Taiwan puts them here
		} `json:"items"`
	}
	ocdsValue struct {
		Amount   json.Number `json:"amount"`
		Currency string      `json:"currency"`
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
		return fmt.Errorf("want a string or a number, got %s", b)
	}
	*f = flexString(n.String())
	return nil
}

// flexStrings accepts a string or a list of strings.
type flexStrings []string

func (f *flexStrings) UnmarshalJSON(b []byte) error {
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

// fromDocument turns one release, or one record, into items.
func (o OCDS) fromDocument(kind string, raw json.RawMessage, pos Position, index int) ([]Item, error) {
	where := fmt.Sprintf("%ss[%d]", kind, index)
	bad := func(err error) error {
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: pos.File, Line: pos.Line, Field: where, Message: err.Error(), Err: err}
	}
	if kind == "record" {
		var rec ocdsRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return nil, bad(err)
		}
		switch {
		case rec.CompiledRelease != nil:
			raw = *rec.CompiledRelease
		case len(rec.Releases) > 0:
			raw = rec.Releases[len(rec.Releases)-1] // the latest says most
		default:
			return nil, bad(errors.New("record has neither compiledRelease nor releases"))
		}
	}
	var rel ocdsRelease
	if err := json.Unmarshal(raw, &rel); err != nil {
		return nil, bad(err)
	}
	if rel.OCID == "" {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: pos.File, Line: pos.Line, Field: where + ".ocid", Message: "required"}
	}
	return o.fromRelease(rel, pos, where)
}

func (o OCDS) source() string {
	if o.Source == "" {
		return "ocds"
	}
	return o.Source
}

func (o OCDS) fromRelease(rel ocdsRelease, pos Position, where string) ([]Item, error) {
	var problems valuegraph.Errors
	note := func(field string, err error) {
		problems = append(problems, &valuegraph.Error{Code: valuegraph.EINVALID, File: pos.File, Line: pos.Line,
			Field: where + "." + field, Message: err.Error()})
	}
	// Parties referred to by id elsewhere in the release.
	parties := map[string]ocdsOrg{}
	for _, p := range rel.Parties {
		if p.ID != "" {
			parties[string(p.ID)] = p
		}
	}
	publisher := ocidPrefix(rel.OCID)
	mention := func(org *ocdsOrg, field string) (Mention, bool) {
		if org == nil {
			return Mention{}, false
		}
		full := *org
		if p, ok := parties[string(org.ID)]; ok {
			full = p
			if full.Name == "" {
				full.Name = org.Name
			}
		}
		m := Mention{Name: full.Name, Source: o.source()}
		idents := full.AdditionalIdentifiers
		if full.Identifier != nil {
			idents = append([]ocdsIdentifier{*full.Identifier}, idents...)
			if m.Name == "" {
				m.Name = full.Identifier.LegalName
			}
		}
		for i, id := range idents {
			scheme := id.Scheme
			if strings.TrimSpace(scheme) == "" {
				scheme = "OCDS:" + publisher // an id without a scheme is the publisher's own
			}
			ident, ok, err := OrgIdentifier(scheme, string(id.ID))
			if err != nil {
				note(fmt.Sprintf("%s.identifier[%d]", field, i), err)
				continue
			}
			if ok {
				m.Identifiers = append(m.Identifiers, ident)
			}
		}
		if strings.TrimSpace(m.Name) == "" && len(m.Identifiers) == 0 {
			return Mention{}, false
		}
		if strings.TrimSpace(m.Name) == "" {
			m.Name = m.Identifiers[0].Value
		}
		return m, true
	}

	buyerOrg := rel.Buyer
	if buyerOrg == nil {
		for i := range rel.Parties {
			for _, role := range rel.Parties[i].Roles {
				if role == "buyer" && buyerOrg == nil {
					buyerOrg = &rel.Parties[i]
				}
			}
		}
	}
	if buyerOrg == nil && rel.Tender != nil {
		buyerOrg = rel.Tender.ProcuringEntity
	}
	buyer, ok := mention(buyerOrg, "buyer")
	if !ok {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: pos.File, Line: pos.Line, Field: where + ".buyer",
			Message: "no buyer (buyer, a party with role buyer, or tender.procuringEntity)"}
	}

	var items []Item
	title := ""
	if t := rel.Tender; t != nil {
		title = firstNonEmpty(t.Title, rel.Name, clip(t.Description, 120))
		sig := valuegraph.Signal{
			ID: "ocds:" + rel.OCID + ":tender", Kind: valuegraph.SignalTender, Title: Fold(title), Text: Fold(t.Description),
			Source: o.source(), Trust: valuegraph.TrustL2,
		}
		var dates []string
		if t.TenderPeriod != nil {
			dates = append(dates, t.TenderPeriod.StartDate)
		}
		sig.OccurredAt, _ = firstDate(append(dates, rel.Date)...)
		v := t.Value
		if v == nil && t.Budget != nil {
			v = t.Budget.Value
		}
		if err := setValue(&sig, v); err != nil {
			note("tender.value", err)
		}
		if sig.OccurredAt.IsZero() {
			note("tender", errors.New("no date (tender.tenderPeriod.startDate or date): tender skipped"))
		} else {
			items = append(items, Item{Pos: pos, Signal: &sig, About: []Mention{buyer}})
		}
	}
	for i, a := range rel.Awards {
		field := fmt.Sprintf("awards[%d]", i)
		suppliers := a.Suppliers
		for _, it := range a.Items {
			suppliers = append(suppliers, it.Suppliers...)
		}
		var winners []Mention
		seen := map[string]bool{}
		for j := range suppliers {
			m, ok := mention(&suppliers[j], fmt.Sprintf("%s.suppliers[%d]", field, j))
			if ok && !seen[OrgKey(m.Name)] {
				seen[OrgKey(m.Name)] = true
				winners = append(winners, m)
			}
		}
		if len(winners) == 0 {
			continue // an award without a supplier says nothing about a winner
		}
		awardID := string(a.ID)
		if awardID == "" {
			awardID = strconv.Itoa(i)
		}
		sig := valuegraph.Signal{
			ID: "ocds:" + rel.OCID + ":award:" + awardID, Kind: valuegraph.SignalAward,
			Title: Fold(firstNonEmpty(a.Title, title, rel.Name, "award "+awardID)), Text: Fold(a.Description),
			Source: o.source(), Trust: valuegraph.TrustL2,
		}
		sig.OccurredAt, _ = firstDate(a.Date, a.AwardDate, rel.Date)
		v := a.Value
		if v == nil {
			v = a.Total
		}
		if err := setValue(&sig, v); err != nil {
			note(field+".value", err)
		}
		if sig.OccurredAt.IsZero() {
			note(field, errors.New("no date (awards.date or date): award skipped"))
			continue
		}
		items = append(items, Item{Pos: pos, Signal: &sig, About: []Mention{buyer}, Winners: winners})
	}
	if len(problems) > 0 {
		return items, problemsWithItems{items, problems}
	}
	return items, nil
}

// problemsWithItems carries the items of a release that could be read along
// with what could not; Parse emits the items and reports the problems.
type problemsWithItems struct {
	items    []Item
	problems valuegraph.Errors
}

func (p problemsWithItems) Error() string { return p.problems.Error() }

func setValue(sig *valuegraph.Signal, v *ocdsValue) error {
	if v == nil || v.Amount == "" {
		return nil
	}
	amount, err := v.Amount.Float64()
	if err != nil {
		return fmt.Errorf("amount %q is not a number", v.Amount)
	}
	if amount < 0 || amount > maxAmount {
		return fmt.Errorf("amount %v is out of range", amount)
	}
	if len(v.Currency) != 3 {
		return fmt.Errorf("currency %q is not an ISO 4217 code", v.Currency)
	}
	sig.Amount, sig.Currency = amount, strings.ToUpper(v.Currency)
	return nil
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
