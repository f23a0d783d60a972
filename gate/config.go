package gate

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/valuegraph/valuegraph"
)

//go:embed gate.yaml
var defaultConfig []byte

// Band is a value's review and hold levels: at or above Review an order is
// reviewed, at or above Hold it is held.
type Band struct {
	Review float64 `yaml:"review"`
	Hold   float64 `yaml:"hold"`
}

// Config is the gate's thresholds; gate.yaml documents every field.
type Config struct {
	Version  string `yaml:"version"`
	Currency struct {
		Base  string             `yaml:"base"`
		Rates map[string]float64 `yaml:"rates"`
	} `yaml:"currency"`
	Risks struct {
		Credit Band `yaml:"credit"`
		Churn  Band `yaml:"churn"`
	} `yaml:"risks"`
	Amount struct {
		Kinds     []valuegraph.SignalKind `yaml:"kinds"`
		Days      int                     `yaml:"days"`
		MinOrders int                     `yaml:"minOrders"`
		Usual     Band                    `yaml:"usual"`
		Absolute  Band                    `yaml:"absolute"`
	} `yaml:"amount"`
	Alternatives []AlternativeRule `yaml:"alternatives"`
}

// AlternativeRule is what to offer when the check When holds.
type AlternativeRule struct {
	When  string  `yaml:"when"`
	Kind  string  `yaml:"kind"`
	Share float64 `yaml:"share"`
	Count int     `yaml:"count"`
	ZH    string  `yaml:"zh"`
	EN    string  `yaml:"en"`
}

// The checks that can hold an order, and the alternatives' kinds.
var (
	holdingChecks    = []string{checkCredit, checkChurn, checkAmount}
	alternativeKinds = []string{altPrepayment, altInstalments, altSmallerFirstOrder}
)

const (
	checkCredit = "credit"
	checkChurn  = "churn"
	checkAmount = "amount"
	checkScored = "scored"

	altPrepayment        = "prepayment"
	altInstalments       = "instalments"
	altSmallerFirstOrder = "smaller_first_order"
)

// Load reads the gate's configuration: the built-in gate.yaml with data laid
// over it (what data sets replaces the built-in value; empty data gives the
// built-in configuration). Every problem names the file and the field.
func Load(data []byte, file string) (*Config, error) {
	c := &Config{}
	if err := decode(c, defaultConfig, "gate.yaml (built in)"); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) > 0 {
		// Lists and maps are replaced, not merged: a file that lists its
		// rates or alternatives lists all of them.
		over := &Config{}
		if err := decode(over, data, file); err != nil {
			return nil, err
		}
		if over.Currency.Rates != nil {
			c.Currency.Rates = nil
		}
		if over.Alternatives != nil {
			c.Alternatives = nil
		}
		if over.Amount.Kinds != nil {
			c.Amount.Kinds = nil
		}
		if err := decode(c, data, file); err != nil {
			return nil, err
		}
	} else {
		file = "gate.yaml (built in)"
	}
	if err := c.validate(file); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadFile reads an operator's file over the built-in configuration.
func LoadFile(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: path, Message: err.Error(), Err: err}
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, &valuegraph.Error{Code: valuegraph.EINVALID, File: path, Message: "empty file"}
	}
	return Load(b, path)
}

func decode(c *Config, data []byte, file string) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(c)
	var te *yaml.TypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: strings.Join(te.Errors, "; "), Err: err}
	}
	return &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
}

func (c *Config) validate(file string) error {
	p := &valuegraph.Problems{File: file}
	if c.Version == "" {
		p.Add("version", "required")
	}
	base := c.Currency.Base
	switch {
	case !valuegraph.IsCurrencyCode(base):
		p.Add("currency.base", "want a three-letter ISO 4217 code, got %q", base)
	case c.Currency.Rates[base] != 1:
		p.Add("currency.rates."+base, "the base currency's rate must be 1, got %v", c.Currency.Rates[base])
	}
	for code, rate := range c.Currency.Rates {
		if !valuegraph.IsCurrencyCode(code) {
			p.Add("currency.rates."+code, "want a three-letter ISO 4217 code in capitals")
		}
		if !(rate > 0) {
			p.Add("currency.rates."+code, "must be a positive number, got %v", rate)
		}
	}
	band := func(field string, b Band, limit float64) {
		switch {
		case !(b.Review > 0):
			p.Add(field+".review", "must be positive, got %v", b.Review)
		case !(b.Hold > b.Review):
			p.Add(field+".hold", "must be above review (%v), got %v", b.Review, b.Hold)
		case limit > 0 && b.Hold > limit:
			p.Add(field+".hold", "must be at most %v, got %v", limit, b.Hold)
		}
	}
	band("risks.credit", c.Risks.Credit, 1)
	band("risks.churn", c.Risks.Churn, 1)
	band("amount.usual", c.Amount.Usual, 0)
	band("amount.absolute", c.Amount.Absolute, 0)
	if len(c.Amount.Kinds) == 0 {
		p.Add("amount.kinds", "at least one signal kind")
	}
	for i, k := range c.Amount.Kinds {
		if !k.Valid() {
			p.Add(fmt.Sprintf("amount.kinds[%d]", i), "unknown signal kind %q", k)
		}
	}
	if c.Amount.Days <= 0 {
		p.Add("amount.days", "must be a positive number of days, got %d", c.Amount.Days)
	}
	if c.Amount.MinOrders < 1 {
		p.Add("amount.minOrders", "must be at least 1, got %d", c.Amount.MinOrders)
	}
	covered := map[string]bool{}
	for i, a := range c.Alternatives {
		field := fmt.Sprintf("alternatives[%d]", i)
		if !slices.Contains(holdingChecks, a.When) {
			p.Add(field+".when", "want one of %v, got %q", holdingChecks, a.When)
		}
		covered[a.When] = true
		switch a.Kind {
		case altPrepayment:
			if !(a.Share > 0 && a.Share < 1) {
				p.Add(field+".share", "a prepayment's share must be between 0 and 1, got %v", a.Share)
			}
		case altInstalments:
			if a.Count < 2 {
				p.Add(field+".count", "instalments need a count of at least 2, got %d", a.Count)
			}
		case altSmallerFirstOrder:
		default:
			p.Add(field+".kind", "want one of %v, got %q", alternativeKinds, a.Kind)
		}
		if strings.TrimSpace(a.ZH) == "" {
			p.Add(field+".zh", "required")
		}
		if strings.TrimSpace(a.EN) == "" {
			p.Add(field+".en", "required")
		}
	}
	for _, check := range holdingChecks {
		if !covered[check] {
			p.Add("alternatives", "none for %q: a hold must come with an alternative", check)
		}
	}
	return p.Err()
}
