// Package demo generates the demo dataset: fictional customers with Chinese
// and English names and valid USCCs, their decision-makers, our reps, the
// competitors, products, needs and offerings around them, and signal
// histories that follow the journeys of scoring/scenarios.yaml. The same
// options give the same data, so loading it twice changes nothing.
package demo

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/scoring"
)

// Dataset is what the demo loads, in the order it must be written.
type Dataset struct {
	Reps        []valuegraph.Rep        `json:"reps,omitempty"`
	Customers   []valuegraph.Customer   `json:"customers"`
	Competitors []valuegraph.Competitor `json:"competitors"`
	Products    []valuegraph.Product    `json:"products,omitempty"`
	Needs       []valuegraph.Need       `json:"needs"`
	Offerings   []valuegraph.Offering   `json:"offerings"`
	People      []valuegraph.Person     `json:"people"`
	Signals     []valuegraph.Signal     `json:"signals"`
}

// Append adds o's entities after d's.
func (d *Dataset) Append(o Dataset) {
	d.Reps = append(d.Reps, o.Reps...)
	d.Customers = append(d.Customers, o.Customers...)
	d.Competitors = append(d.Competitors, o.Competitors...)
	d.Products = append(d.Products, o.Products...)
	d.Needs = append(d.Needs, o.Needs...)
	d.Offerings = append(d.Offerings, o.Offerings...)
	d.People = append(d.People, o.People...)
	d.Signals = append(d.Signals, o.Signals...)
}

// Defaults of Options.
const (
	DefaultSeed      = 16
	DefaultCustomers = 2000
	DefaultPrefix    = "demo-"
)

// DefaultNow is the day the generated histories lead up to. It is fixed,
// not today, so that the data (and the signals' content hashes) stay the
// same from one run to the next.
var DefaultNow = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// Options say what to generate; zero values take the defaults.
type Options struct {
	Customers    int    // DefaultCustomers
	Seed         uint64 // DefaultSeed
	Prefix       string // DefaultPrefix: every id starts with it
	LargeBuyers  int    // 3, or fewer when there are fewer customers; negative: none
	LargeSignals int    // signals of the first large buyer, 2000; each next one has 1000 more
	Reps         int    // 24
	Now          time.Time
}

func (o Options) withDefaults() Options {
	if o.Customers <= 0 {
		o.Customers = DefaultCustomers
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.LargeBuyers == 0 {
		o.LargeBuyers = 3
	}
	o.LargeBuyers = min(max(o.LargeBuyers, 0), o.Customers)
	if o.LargeSignals <= 0 {
		o.LargeSignals = 2000
	}
	if o.Reps <= 0 {
		o.Reps = 24
	}
	if o.Now.IsZero() {
		o.Now = DefaultNow
	}
	return o
}

// Generate makes the dataset; the same options give the same data.
func Generate(opts Options) (Dataset, error) {
	o := opts.withDefaults()
	scenarios, err := scoring.LoadScenarios(nil, "")
	if err != nil {
		return Dataset{}, err
	}
	g := &generator{
		o:       o,
		rng:     rand.New(rand.NewPCG(o.Seed, 0x5eed)),
		usccRng: rand.New(rand.NewPCG(o.Seed, prefixHash(o.Prefix))),
		names:   map[string]bool{},
		codes:   map[string]bool{},
	}
	g.catalogue()
	g.reps()
	cases := scenarios.Generate(o.Customers, o.Seed)
	for i, c := range cases {
		g.customer(i, c)
	}
	return g.d, nil
}

type generator struct {
	o       Options
	rng     *rand.Rand
	usccRng *rand.Rand // apart, so a test's prefix gets codes of its own
	d       Dataset
	names   map[string]bool
	codes   map[string]bool
	serial  int // people so far: their serial numbers keep e-mails and phones unique
	repsBy  map[string][]string
}

func prefixHash(prefix string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(prefix))
	return h.Sum64()
}

func (g *generator) id(s string) string { return g.o.Prefix + s }

func (g *generator) catalogue() {
	for _, n := range needs {
		n.ID = g.id(n.ID)
		g.d.Needs = append(g.d.Needs, n)
	}
	for _, of := range offerings {
		of.ID = g.id(of.ID)
		of.NeedIDs = g.ids(of.NeedIDs)
		g.d.Offerings = append(g.d.Offerings, of)
	}
	for _, k := range competitors {
		k.ID = g.id(k.ID)
		g.d.Competitors = append(g.d.Competitors, k)
	}
	for _, p := range products {
		p.ID = g.id(p.ID)
		if p.CompetitorID != "" {
			p.CompetitorID = g.id(p.CompetitorID)
		}
		g.d.Products = append(g.d.Products, p)
	}
}

func (g *generator) ids(ids []string) []string {
	out := make([]string, len(ids))
	for i, s := range ids {
		out[i] = g.id(s)
	}
	return out
}

func (g *generator) reps() {
	g.repsBy = map[string][]string{}
	for i := range g.o.Reps {
		sn, gn := pick(g.rng, surnames), pick(g.rng, givenNames)
		region := places[i%len(places)].region
		r := valuegraph.Rep{ID: g.id(fmt.Sprintf("rep-g%02d", i+1)), Name: sn.zh + gn.zh, Territory: region}
		g.d.Reps = append(g.d.Reps, r)
		g.repsBy[region] = append(g.repsBy[region], r.ID)
	}
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// customer adds the i-th customer with its people and signals; c is its
// journey from the scenarios.
func (g *generator) customer(i int, c scoring.Case) {
	rng := g.rng
	large := i < g.o.LargeBuyers
	pl := pick(rng, places)
	ct := pick(rng, pl.cities)
	ind := pick(rng, industries)
	sfx := pick(rng, suffixes)
	if large {
		sfx = suffixes[len(suffixes)-1] // 集团
	}
	var tn tradeName
	var zh string
	for try := 0; ; try++ {
		tn = pick(rng, tradeNames)
		if try >= 10 {
			t2 := pick(rng, tradeNames)
			tn = tradeName{tn.zh + t2.zh, tn.en + t2.en}
		}
		zh = ct.zh + tn.zh + ind.zh + sfx.zh
		if !g.names[zh] && !strings.Contains(zh, "华信") {
			break
		}
	}
	g.names[zh] = true
	en := ct.en + " " + tn.en + " " + ind.en + " " + sfx.en
	num := fmt.Sprintf("g%04d", i+1)
	cust := valuegraph.Customer{
		ID:       g.id("c-" + num),
		Name:     zh,
		Aliases:  []string{tn.zh + ind.zh, tn.en + " " + ind.en, en},
		Industry: ind.id,
		Region:   pl.region,
		Size:     pick(rng, sizes),
		Identifiers: []valuegraph.Identifier{
			{Scheme: valuegraph.SchemeUSCC, Value: g.uscc(ct.code)},
			{Scheme: valuegraph.SchemeCRM, Value: g.id("ACC-" + strings.ToUpper(num))},
		},
	}
	if large {
		cust.Size = "10000+"
	}
	if rng.IntN(10) == 0 { // some are known by their English name first
		cust.Name, cust.Aliases = en, []string{zh, tn.zh + ind.zh, tn.en + " " + ind.en}
	}
	if reps := g.repsBy[pl.region]; len(reps) > 0 && rng.IntN(12) != 0 {
		cust.OwnerID = pick(rng, reps)
	} else if rng.IntN(3) != 0 {
		cust.OwnerID = pick(rng, g.d.Reps).ID
	}
	g.d.Customers = append(g.d.Customers, cust)

	people := g.decisionMakers(cust, num, large)
	h := &history{g: g, cust: cust, num: num, ind: ind, people: people,
		needs:      []string{g.id(ind.needs[0]), g.id(ind.needs[1+rng.IntN(len(ind.needs)-1)])},
		competitor: pick(rng, g.d.Competitors).ID,
		shift:      g.o.Now.Sub(c.Now),
	}
	for _, s := range c.Signals {
		h.add(s.Kind, s.Trust, s.OccurredAt.Add(h.shift), s.Intents, len(s.CompetitorIDs) > 0)
	}
	h.extras(i)
	if large {
		h.bulk(g.o.LargeSignals + 1000*i)
	}
}

// uscc makes a unified social credit code nobody else in the dataset has:
// 9 (registered by market regulation), 1 (an enterprise), the division
// code, a nine-character organisation code and the check character.
func (g *generator) uscc(division string) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	for {
		var b strings.Builder
		b.WriteString("91" + division)
		for range 9 {
			b.WriteByte(alphabet[g.usccRng.IntN(len(alphabet))])
		}
		code := b.String()
		sum := 0
		for i := range 17 {
			sum += strings.IndexByte(alphabet, code[i]) * weights[i]
		}
		code += string(alphabet[(31-sum%31)%31])
		if !g.codes[code] {
			g.codes[code] = true
			return code
		}
	}
}

// decisionMakers adds a customer's decision-makers: an economic buyer at the top,
// a technical lead and procurement reporting to them, users and influencers
// below; a manager always comes before who reports to them.
func (g *generator) decisionMakers(c valuegraph.Customer, num string, large bool) []valuegraph.Person {
	rng := g.rng
	n := 3 + rng.IntN(5)
	if large {
		n = 12
	}
	var out []valuegraph.Person
	for k := range n {
		var role valuegraph.DecisionRole
		var boss int
		switch k {
		case 0:
			role, boss = valuegraph.RoleEconomicBuyer, -1
		case 1:
			role, boss = valuegraph.RoleTechnicalLead, 0
		case 2:
			role, boss = valuegraph.RoleProcurement, 0
		default:
			if rng.IntN(3) == 0 {
				role, boss = valuegraph.RoleInfluencer, rng.IntN(2)
			} else {
				role, boss = valuegraph.RoleUser, 1+rng.IntN(k-1)
			}
		}
		sn, gn := pick(rng, surnames), pick(rng, givenNames)
		g.serial++
		serial := g.serial
		p := valuegraph.Person{
			ID:         g.id(fmt.Sprintf("p-%s-%d", num, k+1)),
			Name:       sn.zh + gn.zh,
			Title:      pick(rng, roleTitles[string(role)]),
			Role:       role,
			Email:      fmt.Sprintf("%s.%s.%d@example.cn", strings.ToLower(gn.en), strings.ToLower(sn.en), serial),
			Phone:      fmt.Sprintf("1%02d-0000-%04d", 30+serial/10000, serial%10000),
			CustomerID: c.ID,
			Since:      g.o.Now.AddDate(0, -6-rng.IntN(120), 0),
		}
		if boss >= 0 {
			p.ReportsTo = out[boss].ID
		}
		out = append(out, p)
	}
	g.d.People = append(g.d.People, out...)
	return out
}
