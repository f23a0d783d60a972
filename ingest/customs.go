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
	Columns          CustomsColumns `yaml:"columns"`
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
// gives the built-in layouts.
func LoadCustomsLayouts(data []byte, file string) ([]CustomsLayout, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		data, file = defaultCustomsLayouts, "customs_layouts.yaml (built in)"
	}
	var doc struct {
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
		out = append(out, l)
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
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
	orderOf = regexp.MustCompile(`(?i)^(TO\s+)?(THE\s+)?ORDER(\s+OF)?\b`) // "TO THE ORDER OF": no consignee named
	hsCode  = regexp.MustCompile(`^\d{4,10}$`)
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
	return tbl.each(ctx, reject, func(row row) error {
		it, problems := c.item(layout, source, row)
		for _, p := range problems {
			reject(p)
		}
		if it == nil {
			return nil
		}
		return emit(*it)
	})
}

// item turns one row into a signal. Problems with optional fields are
// reported and the field dropped; a row without customer, HS code or date
// is rejected.
func (c Customs) item(l CustomsLayout, source string, r row) (*Item, []error) {
	var problems []error
	cols := l.Columns
	customer := r.Get(cols.Customer)
	if NullValue(customer) || orderOf.MatchString(customer) {
		return nil, []error{r.Err(cols.Customer, "no customer (%q)", customer)}
	}
	hs := strings.ReplaceAll(r.Get(cols.HSCode), ".", "")
	if !hsCode.MatchString(hs) {
		return nil, []error{r.Err(cols.HSCode, "%q is not an HS code", r.Get(cols.HSCode))}
	}
	when, err := Date(r.Get(cols.Date), time.UTC)
	if err != nil {
		return nil, []error{r.Err(cols.Date, "%s", valuegraph.ErrorMessage(err))}
	}
	about := Mention{Name: customer, Source: source}
	if id := r.Get(cols.CustomerID); cols.CustomerID != "" && !NullValue(id) {
		if ident, ok, err := OrgIdentifier(l.CustomerIDScheme, id); err != nil {
			problems = append(problems, r.Err(cols.CustomerID, "%s", valuegraph.ErrorMessage(err)))
		} else if ok {
			about.Identifiers = append(about.Identifiers, ident)
		}
	}
	it := &Item{Pos: Position{File: r.t.file, Line: r.Line}, About: []Mention{about}}
	supplier := r.Get(cols.Supplier)
	if cols.Supplier != "" && !NullValue(supplier) {
		m := Mention{Name: supplier, Source: source}
		if id := r.Get(cols.SupplierID); cols.SupplierID != "" && !NullValue(id) {
			if ident, ok, err := OrgIdentifier(l.SupplierIDScheme, id); err != nil {
				problems = append(problems, r.Err(cols.SupplierID, "%s", valuegraph.ErrorMessage(err)))
			} else if ok {
				m.Identifiers = append(m.Identifiers, ident)
			}
		}
		it.Suppliers = []Mention{m}
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
	fmt.Fprintf(&title, "Customs %s HS %s", l.Country, hs)
	if desc != "" {
		fmt.Fprintf(&title, ": %s", clip(desc, 60))
	}
	var details []string
	if hasQty {
		details = append(details, strings.TrimSpace(strconv.FormatFloat(qty, 'f', -1, 64)+" "+r.Get(cols.Unit)))
	}
	if len(it.Suppliers) > 0 {
		details = append(details, "from "+Fold(supplier))
	}
	if o := r.Get(cols.Origin); o != "" && !NullValue(o) {
		details = append(details, Fold(o))
	}
	if len(details) > 0 {
		fmt.Fprintf(&title, " (%s)", strings.Join(details, ", "))
	}
	sig.Title, sig.Text = title.String(), desc

	// The record's own id when the layout names one, else its content.
	var idParts []string
	for _, col := range cols.ID {
		if v := r.Get(col); !NullValue(v) {
			idParts = append(idParts, v)
		}
	}
	if len(idParts) == 0 {
		idParts = append(idParts, r.fields...)
	}
	h := sha256.Sum256([]byte(strings.Join(idParts, "\x00")))
	sig.ID = "customs:" + l.Name + ":" + hex.EncodeToString(h[:12])
	it.Signal = sig
	return it, problems
}
