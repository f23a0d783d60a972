package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/valuegraph/valuegraph"
)

//go:embed customs_layouts.yaml
var defaultCustomsLayouts []byte

// CustomsLayout maps one source's columns to ours.
type CustomsLayout struct {
	Name             string         `yaml:"-"`
	Match            []string       `yaml:"match"`
	Country          string         `yaml:"country"`
	Currency         string         `yaml:"currency"`
	CustomerIDScheme string         `yaml:"customerIdScheme"`
	SupplierIDScheme string         `yaml:"supplierIdScheme"`
	ZeroValueUnknown bool           `yaml:"zeroValueUnknown"`
	CustomerRole     string         `yaml:"customerRole"` // what the customer column holds: importer (default), exporter, consignee
	Columns          CustomsColumns `yaml:"columns"`
	// Names adds rules of its own to the file's common `names:` rules, for
	// every name column of this layout.
	Names NameRules `yaml:"names"`
}

// CustomsColumns name the source's column for each of our fields.
type CustomsColumns struct {
	ID          columnList `yaml:"id"`
	Customer    string     `yaml:"customer"`
	CustomerID  string     `yaml:"customerId"`
	Supplier    string     `yaml:"supplier"`
	SupplierID  string     `yaml:"supplierId"`
	HSCode      string     `yaml:"hsCode"`
	Description string     `yaml:"description"`
	Quantity    string     `yaml:"quantity"`
	Unit        string     `yaml:"unit"`
	Value       string     `yaml:"value"`
	Currency    string     `yaml:"currency"`
	Date        string     `yaml:"date"`
	Origin      string     `yaml:"origin"`
	Buyer       string     `yaml:"buyer"` // a consignee or notify party other than the customer: shown, not linked
	Agent       columnList `yaml:"agent"` // customs brokers, forwarders: shown, not linked
}

// columnList is one column name or a list of them.
type columnList []string

func (c *columnList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*c = columnList{n.Value}
		return nil
	}
	var many []string
	if err := n.Decode(&many); err != nil {
		return err
	}
	*c = many
	return nil
}

// LoadCustomsLayouts reads layouts from YAML; unknown keys and missing
// required columns are errors naming the layout and the field. Empty data
// gives the built-in layouts; a file without a `names:` block gets the
// built-in name rules (`names: {}` turns them off).
func LoadCustomsLayouts(data []byte, file string) ([]CustomsLayout, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		data, file = defaultCustomsLayouts, "customs_layouts.yaml (built in)"
	}
	var doc struct {
		Names   NameRules                `yaml:"names"`
		Layouts map[string]CustomsLayout `yaml:"layouts"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
	}
	if len(doc.Layouts) == 0 {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Field: "layouts", Message: "no layouts"}
	}
	// A layouts file without a names block reads names by the built-in
	// rules: a new country's file needs its columns, not the world's
	// legal decorations again.
	if !bytes.Equal(data, defaultCustomsLayouts) && !hasNames(data) {
		var builtIn struct {
			Names NameRules `yaml:"names"`
		}
		if err := yaml.Unmarshal(defaultCustomsLayouts, &builtIn); err != nil {
			return nil, fmt.Errorf("built-in customs layouts: %w", err)
		}
		doc.Names = builtIn.Names
	}
	var out []CustomsLayout
	problems := &valuegraph.Problems{File: file}
	for name, l := range doc.Layouts {
		l.Name = name
		bad := func(field, msg string) { problems.Add("layouts."+name+"."+field, "%s", msg) }
		if len(l.Match) == 0 {
			bad("match", "required: the header columns that identify this layout")
		}
		for field, col := range map[string]string{"columns.customer": l.Columns.Customer, "columns.hsCode": l.Columns.HSCode, "columns.date": l.Columns.Date} {
			if col == "" {
				bad(field, "required")
			}
		}
		if l.Columns.Value != "" && l.Columns.Currency == "" && len(l.Currency) != 3 {
			bad("currency", "a layout with a value column and no currency column needs a three-letter currency")
		}
		own := l.Names
		own.compile("layouts."+name+".names", problems)
		l.Names = doc.Names.with(own)
		l.Names.compile("names", &valuegraph.Problems{}) // each part was checked above or below
		out = append(out, l)
	}
	doc.Names.compile("names", problems)
	if err := problems.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// hasNames reports whether a layouts document has a top-level names key.
func hasNames(data []byte) bool {
	var top map[string]yaml.Node
	return yaml.Unmarshal(data, &top) == nil && top["names"].Kind != 0
}

// LoadCustomsLayoutsFile reads layouts from a file.
func LoadCustomsLayoutsFile(path string) ([]CustomsLayout, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: path, Message: "empty layouts file"}
	}
	return LoadCustomsLayouts(data, path)
}

// Customs reads customs declarations and bills of lading in any of its
// layouts into customs signals about the declaring customer, supplied by
// the shipper.
type Customs struct {
	Layouts []CustomsLayout // nil: the built-in ones
	Layout  string          // force a layout by name; empty: match by header
	Source  string          // default "customs"
}

var (
	hsCode    = regexp.MustCompile(`^\d{4,10}$`)
	monthOnly = regexp.MustCompile(`(?i)^\s*(?:[a-z]{3,9}\.?\s+\d{4}|\d{4}[-/.]\d{1,2}|\d{4}年\d{1,2}月)\s*$`)
)

// Parse reads one file; see Parser.
func (c Customs) Parse(ctx context.Context, r io.Reader, file string, emit func(Item) error, reject func(error)) error {
	layouts := c.Layouts
	if layouts == nil {
		var err error
		if layouts, err = LoadCustomsLayouts(nil, ""); err != nil {
			return err
		}
	}
	var candidates []CustomsLayout
	for _, l := range layouts {
		if c.Layout == "" || l.Name == c.Layout {
			candidates = append(candidates, l)
		}
	}
	if len(candidates) == 0 {
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Field: "layout", Message: fmt.Sprintf("no layout named %q", c.Layout)}
	}
	// Every candidate's match columns are tried on the same header rows.
	raw, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return err
	}
	rest := io.MultiReader(bytes.NewReader(raw), r)
	var tbl *table
	var layout CustomsLayout
	for _, l := range candidates {
		if _, err := openTable(bytes.NewReader(raw), file, l.Match); err == nil {
			layout = l
			tbl, err = openTable(rest, file, l.Match)
			if err != nil {
				return err
			}
			break
		}
	}
	if tbl == nil {
		names := make([]string, len(candidates))
		for i, l := range candidates {
			names[i] = l.Name
		}
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: 1,
			Message: fmt.Sprintf("the header matches no customs layout (%s); add one to the layouts file", strings.Join(names, ", "))}
	}
	for _, col := range []string{layout.Columns.Customer, layout.Columns.HSCode, layout.Columns.Date} {
		if !tbl.Has(col) {
			return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Line: 1, Field: col, Message: "column missing (layout " + layout.Name + ")"}
		}
	}
	source := c.Source
	if source == "" {
		source = "customs"
	}
	occurrences := map[string]int{} // rows without an id of their own, by content
	return tbl.each(ctx, reject, func(row row) error {
		it, problems := c.item(layout, source, row, occurrences)
		for _, p := range problems {
			reject(p)
		}
		if it == nil {
			return nil
		}
		return emit(*it)
	})
}

// CustomsOrg is one organisation a declaration names, as a dry run shows it.
type CustomsOrg struct {
	Role        string             `json:"role"` // importer, exporter, supplier, buyer, agent, forwarder
	Name        string             `json:"name"` // as written, after repairs and stripping
	Key         string             `json:"key"`  // the normalised key it resolves by
	Identifiers []DetailIdentifier `json:"identifiers"`
}

// DetailIdentifier is an identifier as a dry run shows it.
type DetailIdentifier struct {
	Scheme  string `json:"scheme"`
	ID      string `json:"id"`
	Related bool   `json:"related,omitempty"` // kept, never used to resolve (a KPP)
}

func detailIdentifiers(ids, related []valuegraph.Identifier) []DetailIdentifier {
	out := []DetailIdentifier{}
	for _, id := range ids {
		out = append(out, DetailIdentifier{Scheme: id.Scheme, ID: id.Value})
	}
	for _, id := range related {
		out = append(out, DetailIdentifier{Scheme: id.Scheme, ID: id.Value, Related: true})
	}
	return out
}

// item turns one row into a signal. A row that still says something true
// is kept with what it lacks in its Problems (no importer but a supplier; an
// HS code that is not one; a month-only date); a row without a date, or
// naming no organisation at all, is rejected.
func (c Customs) item(l CustomsLayout, source string, r row, occurrences map[string]int) (*Item, []error) {
	var problems []error
	cols := l.Columns
	it := &Item{Pos: Position{File: r.t.file, Line: r.Line}}
	var orgs []CustomsOrg
	problem := func(field, reason string) { it.Problems = append(it.Problems, Problem{Field: field, Reason: reason}) }
	// name reads a name column into a mention (nil when it names no one)
	// and lists it and any agent written with it for the dry run.
	name := func(col, role, idCol, idScheme string) *Mention {
		raw := r.Get(col)
		if col == "" || NullValue(raw) {
			return nil
		}
		p := l.Names.Parse(raw)
		for _, reason := range p.Problems {
			problem(col, reason)
		}
		for _, a := range p.Agents {
			orgs = append(orgs, CustomsOrg{Role: a.Role, Name: a.Name, Key: OrgKey(a.Name), Identifiers: []DetailIdentifier{}})
		}
		if p.Name == "" {
			problem(col, fmt.Sprintf("%q names no %s", raw, role))
			return nil
		}
		m := Mention{Name: p.Name, Source: source, Identifiers: p.Identifiers, Related: p.Related}
		if id := r.Get(idCol); idCol != "" && !NullValue(id) {
			if ident, ok, err := OrgIdentifier(idScheme, id); err != nil {
				problems = append(problems, r.Err(idCol, "%s", valuegraph.ErrorMessage(err)))
			} else if ok && !slices.Contains(m.Identifiers, ident) {
				m.Identifiers = append(m.Identifiers, ident)
			}
		}
		orgs = append(orgs, CustomsOrg{Role: role, Name: p.Name, Key: OrgKey(p.Name), Identifiers: detailIdentifiers(m.Identifiers, m.Related)})
		return &m
	}
	customerRole := l.CustomerRole
	if customerRole == "" {
		customerRole = "importer"
	}
	if m := name(cols.Customer, customerRole, cols.CustomerID, l.CustomerIDScheme); m != nil {
		it.About = []Mention{*m}
	} else if NullValue(r.Get(cols.Customer)) {
		problem(cols.Customer, "no "+customerRole+" named")
	}
	if m := name(cols.Supplier, "supplier", cols.SupplierID, l.SupplierIDScheme); m != nil {
		it.Suppliers = []Mention{*m}
	}
	// Buyers (consignees, notify parties) and agents are shown, not linked:
	// signals have no party role for them yet.
	name(cols.Buyer, "buyer", "", "")
	for _, col := range cols.Agent {
		name(col, "agent", "", "")
	}
	if len(it.About) == 0 && len(it.Suppliers) == 0 {
		return nil, append(problems, r.Err(cols.Customer, "no organisation named (%s %q)", customerRole, r.Get(cols.Customer)))
	}
	rawDate := r.Get(cols.Date)
	when, err := Date(rawDate, time.UTC)
	if err != nil {
		return nil, append(problems, r.Err(cols.Date, "%s", valuegraph.ErrorMessage(err)))
	}
	if monthOnly.MatchString(rawDate) {
		problem("date", "month only: stored as the 1st")
	}
	hs := strings.ReplaceAll(r.Get(cols.HSCode), ".", "")
	if !hsCode.MatchString(hs) {
		problem(cols.HSCode, fmt.Sprintf("%q is not an HS code", r.Get(cols.HSCode)))
		hs = ""
	}

	sig := &valuegraph.Signal{Kind: valuegraph.SignalCustoms, Source: source, Trust: valuegraph.TrustL2, OccurredAt: when}
	qty, hasQty, err := Number(r.Get(cols.Quantity))
	if err != nil {
		problems = append(problems, r.Err(cols.Quantity, "%s", valuegraph.ErrorMessage(err)))
	}
	if v, ok, err := Number(r.Get(cols.Value)); err != nil {
		problems = append(problems, r.Err(cols.Value, "%s", valuegraph.ErrorMessage(err)))
	} else if ok && !(v == 0 && l.ZeroValueUnknown) {
		cur := strings.ToUpper(r.Get(cols.Currency))
		if cur == "" || NullValue(cur) {
			cur = l.Currency
		}
		sig.Amount, sig.Currency = v, cur
	}
	desc := Fold(r.Get(cols.Description))
	if NullValue(desc) {
		desc = ""
	}
	var title strings.Builder
	fmt.Fprintf(&title, "Customs %s", l.Country)
	if hs != "" {
		fmt.Fprintf(&title, " HS %s", hs)
	}
	if desc != "" {
		fmt.Fprintf(&title, ": %s", clip(desc, 60))
	}
	var details []string
	if hasQty {
		details = append(details, strings.TrimSpace(strconv.FormatFloat(qty, 'f', -1, 64)+" "+r.Get(cols.Unit)))
	}
	if len(it.Suppliers) > 0 {
		details = append(details, "from "+it.Suppliers[0].Name)
	}
	if o := r.Get(cols.Origin); o != "" && !NullValue(o) {
		details = append(details, Fold(o))
	}
	if len(details) > 0 {
		fmt.Fprintf(&title, " (%s)", strings.Join(details, ", "))
	}
	sig.Title, sig.Text = title.String(), desc

	// The record's own id when the layout names one: a file that repeats a
	// declaration repeats the record. Without one, each row is a record of
	// its own, even when another row reads the same (aggregated exports list
	// two shipments of equal value and month twice): its content and how
	// often that content came before in the file, so a second ingest of the
	// file finds the same ids.
	var idParts []string
	for _, col := range cols.ID {
		if v := r.Get(col); !NullValue(v) {
			idParts = append(idParts, v)
		}
	}
	if len(idParts) == 0 {
		content := strings.Join(r.fields, "\x00")
		occurrences[content]++
		idParts = append(idParts, r.fields...)
		if n := occurrences[content]; n > 1 {
			idParts = append(idParts, "#"+strconv.Itoa(n))
		}
	}
	h := sha256.Sum256([]byte(strings.Join(idParts, "\x00")))
	sig.ID = "customs:" + l.Name + ":" + hex.EncodeToString(h[:12])
	it.Signal = sig
	if orgs == nil {
		orgs = []CustomsOrg{}
	}
	it.Detail = map[string]any{"organisations": orgs}
	return it, problems
}
