package demo_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/demo"
	"github.com/valuegraph/valuegraph/ingest"
)

func mustGenerate(t *testing.T, o demo.Options) demo.Dataset {
	t.Helper()
	d, err := demo.Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The default dataset, generated once for the tests that only read it.
var defaults = func() func(t *testing.T) demo.Dataset {
	var d *demo.Dataset
	return func(t *testing.T) demo.Dataset {
		t.Helper()
		if d == nil {
			g := mustGenerate(t, demo.Options{})
			d = &g
		}
		return *d
	}
}()

func TestDeterministic(t *testing.T) {
	a := mustGenerate(t, demo.Options{Customers: 300, Seed: 7})
	b := mustGenerate(t, demo.Options{Customers: 300, Seed: 7})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different data")
	}
	c := mustGenerate(t, demo.Options{Customers: 300, Seed: 8})
	if reflect.DeepEqual(a.Customers, c.Customers) {
		t.Error("another seed gave the same customers")
	}
	if !reflect.DeepEqual(defaults(t), mustGenerate(t, demo.Options{Seed: demo.DefaultSeed, Customers: demo.DefaultCustomers})) {
		t.Error("zero options are not the defaults")
	}
}

func TestEveryUSCCValid(t *testing.T) {
	d := defaults(t)
	seen := map[string]string{}
	for _, c := range d.Customers {
		var n int
		for _, id := range c.Identifiers {
			if id.Scheme != valuegraph.SchemeUSCC {
				continue
			}
			n++
			if _, err := ingest.USCC(id.Value); err != nil {
				t.Errorf("%s: %v", c.ID, err)
			}
			if other, dup := seen[id.Value]; dup {
				t.Errorf("%s and %s share USCC %s", c.ID, other, id.Value)
			}
			seen[id.Value] = c.ID
		}
		if n != 1 {
			t.Errorf("%s has %d USCCs, want 1", c.ID, n)
		}
	}
	// Another prefix (a test's namespace) gets codes of its own.
	other := mustGenerate(t, demo.Options{Prefix: "t0000-", Customers: 200})
	for _, c := range other.Customers {
		if _, dup := seen[c.Identifiers[0].Value]; dup {
			t.Errorf("prefix t0000- reuses USCC %s", c.Identifiers[0].Value)
		}
	}
}

func TestContactsFakeAndUnique(t *testing.T) {
	d := defaults(t)
	email := regexp.MustCompile(`^[a-z]+\.[a-z]+\.[0-9]+@example\.cn$`)
	phone := regexp.MustCompile(`^1[0-9]{2}-0000-[0-9]{4}$`) // a 0000 block: no real mobile number
	emails, phones := map[string]bool{}, map[string]bool{}
	for _, p := range d.People {
		if !email.MatchString(p.Email) {
			t.Errorf("%s: e-mail %q is not a fake one", p.ID, p.Email)
		}
		if !phone.MatchString(p.Phone) {
			t.Errorf("%s: phone %q is not a fake one", p.ID, p.Phone)
		}
		if emails[p.Email] || phones[p.Phone] {
			t.Errorf("%s: e-mail %q or phone %q given twice", p.ID, p.Email, p.Phone)
		}
		emails[p.Email], phones[p.Phone] = true, true
	}
}

func TestReportingLines(t *testing.T) {
	d := defaults(t)
	byID := map[string]valuegraph.Person{}
	for _, p := range d.People {
		byID[p.ID] = p
	}
	tops := map[string]int{}
	for _, p := range d.People {
		if p.ReportsTo == "" {
			tops[p.CustomerID]++
			continue
		}
		seen := map[string]bool{p.ID: true}
		for q := p; q.ReportsTo != ""; {
			m, ok := byID[q.ReportsTo]
			switch {
			case !ok:
				t.Fatalf("%s reports to unknown %s", q.ID, q.ReportsTo)
			case m.CustomerID != p.CustomerID:
				t.Fatalf("%s (%s) reports to %s of %s", q.ID, p.CustomerID, m.ID, m.CustomerID)
			case seen[m.ID]:
				t.Fatalf("reporting line of %s loops at %s", p.ID, m.ID)
			}
			seen[m.ID] = true
			q = m
		}
	}
	for _, c := range d.Customers {
		if tops[c.ID] != 1 {
			t.Errorf("%s has %d people at the top, want 1", c.ID, tops[c.ID])
		}
	}
}

func TestCounts(t *testing.T) {
	tests := []struct {
		name string
		opts demo.Options
		want int
	}{
		{"default", demo.Options{}, demo.DefaultCustomers},
		{"small", demo.Options{Customers: 50, LargeBuyers: 1, LargeSignals: 1000}, 50},
		{"one", demo.Options{Customers: 1}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustGenerate(t, tc.opts)
			if len(d.Customers) != tc.want {
				t.Errorf("%d customers, want %d", len(d.Customers), tc.want)
			}
			if len(d.Reps) != 24 || len(d.Competitors) < 8 || len(d.Products) < 12 || len(d.Needs) < 14 || len(d.Offerings) < 10 {
				t.Errorf("reps %d, competitors %d, products %d, needs %d, offerings %d", len(d.Reps), len(d.Competitors), len(d.Products), len(d.Needs), len(d.Offerings))
			}
			checkDataset(t, d)
		})
	}
	d := defaults(t)
	kinds := map[valuegraph.SignalKind]int{}
	roles := map[valuegraph.DecisionRole]int{}
	for _, s := range d.Signals {
		kinds[s.Kind]++
	}
	for _, p := range d.People {
		roles[p.Role]++
	}
	for _, k := range valuegraph.SignalKinds {
		if kinds[k] < 20 {
			t.Errorf("%d signals of kind %s, want at least 20", kinds[k], k)
		}
	}
	for _, r := range []valuegraph.DecisionRole{valuegraph.RoleEconomicBuyer, valuegraph.RoleTechnicalLead, valuegraph.RoleUser, valuegraph.RoleProcurement, valuegraph.RoleInfluencer} {
		if roles[r] < 100 {
			t.Errorf("%d people with role %s, want at least 100", roles[r], r)
		}
	}
	var english int
	for _, c := range d.Customers {
		if !strings.ContainsFunc(c.Name, func(r rune) bool { return r > 0x2e80 }) {
			english++
		}
	}
	for _, c := range d.Customers {
		for _, name := range append([]string{c.Name}, c.Aliases...) {
			if strings.Contains(name, "华信") || strings.Contains(name, "Huaxin") {
				t.Errorf("%s is named %s: 华信冷链 is demo.json's", c.ID, name)
			}
		}
	}
	if english < 50 || english > len(d.Customers)/2 {
		t.Errorf("%d customers named in English first", english)
	}
	t.Logf("%d customers, %d people, %d signals; kinds %v", len(d.Customers), len(d.People), len(d.Signals), kinds)
}

// checkDataset checks every entity validates, ids are unique and prefixed,
// and every link points at an entity of the dataset.
func checkDataset(t *testing.T, d demo.Dataset) {
	t.Helper()
	ids := map[string]string{}
	add := func(kind, id string, err error) {
		if err != nil {
			t.Errorf("%s %s: %v", kind, id, err)
		}
		if !strings.HasPrefix(id, demo.DefaultPrefix) {
			t.Errorf("%s %s lacks the prefix", kind, id)
		}
		if _, dup := ids[id]; dup {
			t.Errorf("%s %s given twice", kind, id)
		}
		ids[id] = kind
	}
	for _, r := range d.Reps {
		add("rep", r.ID, nil)
	}
	for _, c := range d.Customers {
		add("customer", c.ID, c.Validate())
	}
	for _, k := range d.Competitors {
		add("competitor", k.ID, k.Validate())
	}
	for _, p := range d.Products {
		add("product", p.ID, p.Validate())
	}
	for _, n := range d.Needs {
		add("need", n.ID, n.Validate())
	}
	for _, o := range d.Offerings {
		add("offering", o.ID, o.Validate())
	}
	for _, p := range d.People {
		add("person", p.ID, p.Validate())
	}
	for _, s := range d.Signals {
		add("signal", s.ID, s.Validate())
	}
	ref := func(from, kind, id string) {
		if id != "" && ids[id] != kind {
			t.Errorf("%s names %s %s, which is not in the dataset", from, kind, id)
		}
	}
	for _, c := range d.Customers {
		ref(c.ID, "rep", c.OwnerID)
	}
	for _, p := range d.People {
		ref(p.ID, "customer", p.CustomerID)
		ref(p.ID, "person", p.ReportsTo)
	}
	for _, s := range d.Signals {
		for _, list := range []struct {
			kind string
			ids  []string
		}{{"customer", s.CustomerIDs}, {"competitor", s.CompetitorIDs}, {"need", s.NeedIDs}, {"product", s.ProductIDs}, {"person", s.PersonIDs}} {
			for _, id := range list.ids {
				ref(s.ID, list.kind, id)
			}
		}
		ref(s.ID, "rep", s.RepID)
	}
}

func TestLargeBuyers(t *testing.T) {
	d := defaults(t)
	per := map[string]int{}
	for _, s := range d.Signals {
		per[s.CustomerIDs[0]]++
	}
	var large int
	for _, c := range d.Customers {
		if per[c.ID] >= 1000 {
			large++
		}
	}
	if large < 3 {
		t.Errorf("%d customers with at least 1,000 signals, want 3", large)
	}
	if n := per[d.Customers[2].ID]; n < 4000 {
		t.Errorf("the largest buyer has %d signals, want at least 4,000", n)
	}
}
