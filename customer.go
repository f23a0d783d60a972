package valuegraph

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Identifier schemes we resolve entities by, strongest first.
const (
	SchemeUSCC   = "CN-USCC" // unified social credit code (统一社会信用代码)
	SchemeCRM    = "CRM"     // our CRM's account id
	SchemeOCDS   = "OCDS"    // an OCDS party identifier, value "scheme/id"
	SchemeNumber = "COMPANY" // a company registry number, value "country/number"
)

// Identifier names an organisation in one scheme. Two customers with the same
// identifier are the same organisation, whatever their names say.
type Identifier struct {
	Scheme string `json:"scheme"`
	Value  string `json:"value"`
}

// Key is the identifier's unique key in the graph.
func (id Identifier) Key() string { return id.Scheme + ":" + id.Value }

// Validate returns an EINVALID error naming the bad field.
func (id Identifier) Validate() error {
	if strings.TrimSpace(id.Scheme) == "" {
		return FieldError("scheme", "required")
	} else if strings.TrimSpace(id.Value) == "" {
		return FieldError("value", "required")
	}
	return nil
}

// Customer is an organisation we sell to, or could.
type Customer struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Aliases     []string     `json:"aliases,omitempty"` // short and former names: 浦发 for 上海浦东发展银行
	Identifiers []Identifier `json:"identifiers,omitempty"`
	Industry    string       `json:"industry,omitempty"`
	Region      string       `json:"region,omitempty"`
	Size        string       `json:"size,omitempty"`
	OwnerID     string       `json:"ownerId,omitempty"` // the rep who owns the account

	// Scores, written by jobs; empty (nil) until the first scoring.
	Stage           Stage    `json:"stage,omitempty"`
	StageConfidence *float64 `json:"stageConfidence,omitempty"`
	Risks           Risks    `json:"risks"`
	Tier            Tier     `json:"tier,omitempty"`
	TierScore       *float64 `json:"tierScore,omitempty"`

	// Summary of the signals about the customer, kept by the scoring job.
	SignalCount  int       `json:"signalCount"`
	LastSignalAt time.Time `json:"lastSignalAt,omitzero"`

	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// Validate returns an EINVALID error naming the first bad field.
func (c *Customer) Validate() error {
	if strings.TrimSpace(c.ID) == "" {
		return FieldError("id", "required")
	} else if strings.TrimSpace(c.Name) == "" {
		return FieldError("name", "required")
	}
	for i, id := range c.Identifiers {
		if err := id.Validate(); err != nil {
			return prefixField(err, "identifiers["+strconv.Itoa(i)+"]")
		}
	}
	if c.Stage != "" && !c.Stage.Valid() {
		return FieldError("stage", "unknown stage %q", c.Stage)
	}
	if c.Tier != "" && !c.Tier.Valid() {
		return FieldError("tier", "unknown tier %q", c.Tier)
	}
	return nil
}

// Rep is one of our sales representatives.
type Rep struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	Territory string `json:"territory,omitempty"`
}

// Neighbourhood is a customer with what surrounds it in the graph: who works
// there, who owns it on our side, which competitors and needs its signals
// mention, and its most recent signals.
type Neighbourhood struct {
	Customer    Customer         `json:"customer"`
	Owner       *Rep             `json:"owner,omitempty"`
	People      []Person         `json:"people"`
	Competitors []CompetitorLink `json:"competitors"`
	Needs       []NeedLink       `json:"needs"`
	Signals     []Signal         `json:"signals"`
	Assessment  *Assessment      `json:"assessment,omitempty"` // the latest, when asked for
	History     []ScoreSnapshot  `json:"history,omitempty"`    // newest first, when asked for
}

// CompetitorLink is a competitor seen around a customer, with how often.
type CompetitorLink struct {
	Competitor Competitor `json:"competitor"`
	Mentions   int        `json:"mentions"`
	LastSeen   time.Time  `json:"lastSeen,omitzero"`
}

// NeedLink is a need seen around a customer, with how often.
type NeedLink struct {
	Need     Need      `json:"need"`
	Mentions int       `json:"mentions"`
	LastSeen time.Time `json:"lastSeen,omitzero"`
}

// CustomerFilter narrows a list of customers; empty fields match all. It is
// also the API's CustomerFilter input, field for field.
type CustomerFilter struct {
	Text         string     `json:"text,omitempty"` // name or alias, full-text
	Stage        []Stage    `json:"stage,omitempty"`
	Tier         []Tier     `json:"tier,omitempty"`
	Region       string     `json:"region,omitempty"`
	Industry     string     `json:"industry,omitempty"`
	OwnerID      string     `json:"ownerId,omitempty"`
	NeedID       string     `json:"needId,omitempty"`       // some signal about the customer shows the need
	CompetitorID string     `json:"competitorId,omitempty"` // some signal about it mentions the competitor, or the competitor won one of its tenders
	Risk         RiskFilter `json:"risk"`

	OrderBy CustomerOrder `json:"-"` // empty: by name (by relevance with Text); the API's orderBy argument
}

// RiskFilter bounds each risk, each within 0–1; nil bounds are open.
type RiskFilter struct {
	Replacement Range `json:"replacement"`
	Churn       Range `json:"churn"`
	Credit      Range `json:"credit"`
}

// Range bounds a score; a nil end is open.
type Range struct {
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
}

// Validate checks the bounds lie within 0–1 and in order.
func (r Range) Validate() error {
	for _, b := range []*float64{r.Min, r.Max} {
		if b != nil && (*b < 0 || *b > 1) {
			return fmt.Errorf("bounds must lie within 0 and 1, got %g", *b)
		}
	}
	if r.Min != nil && r.Max != nil && *r.Min > *r.Max {
		return fmt.Errorf("min %g is above max %g", *r.Min, *r.Max)
	}
	return nil
}

// CustomerOrder orders a customer list. Every order but by name puts the
// highest first and holds only the customers that have the value (scored,
// or with a signal).
type CustomerOrder string

const (
	OrderByName            CustomerOrder = "name"
	OrderByTierScore       CustomerOrder = "tierScore"
	OrderByReplacementRisk CustomerOrder = "replacementRisk"
	OrderByChurnRisk       CustomerOrder = "churnRisk"
	OrderByCreditRisk      CustomerOrder = "creditRisk"
	OrderByLastSignal      CustomerOrder = "lastSignal"
)

// CustomerPage is one page of a customer list.
type CustomerPage struct {
	Customers []Customer
	Cursors   []string // Cursors[i] resumes after Customers[i]
	HasNext   bool
}

// CustomersNotFound is the ENOTFOUND error naming the customers asked for
// that do not exist; nil when there are none.
func CustomersNotFound(ids []string) error {
	switch {
	case len(ids) == 1:
		return Errorf(ENOTFOUND, "customer %q not found", ids[0])
	case len(ids) > 1:
		return Errorf(ENOTFOUND, "%d customers not found: %q", len(ids), ids)
	}
	return nil
}
