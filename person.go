package valuegraph

import (
	"strings"
	"time"
)

// DecisionRole is the part a person plays in a purchase.
type DecisionRole string

const (
	RoleEconomicBuyer DecisionRole = "economic_buyer"
	RoleTechnicalLead DecisionRole = "technical_lead"
	RoleUser          DecisionRole = "user"
	RoleProcurement   DecisionRole = "procurement"
	RoleInfluencer    DecisionRole = "influencer"
)

// Valid reports whether r is a known role.
func (r DecisionRole) Valid() bool {
	switch r {
	case RoleEconomicBuyer, RoleTechnicalLead, RoleUser, RoleProcurement, RoleInfluencer:
		return true
	}
	return false
}

// Person is someone at a customer who takes part in buying decisions.
// Email and Phone are personal data: restricted to those who own the account.
// They belong to the employment they were given for (CustomerID): read under
// that customer only while the person works there, never under a past or
// later employer.
type Person struct {
	ID         string       `json:"id"`
	Name       string       `json:"name"`
	Title      string       `json:"title,omitempty"`
	Role       DecisionRole `json:"role,omitempty"`
	Email      string       `json:"email,omitempty"`
	Phone      string       `json:"phone,omitempty"`
	CustomerID string       `json:"customerId,omitempty"` // where the person works now (WORKS_AT)
	Since      time.Time    `json:"since,omitzero"`
	Until      time.Time    `json:"until,omitzero"` // set when the person left
	ReportsTo  string       `json:"reportsTo,omitempty"`

	// KnownBy are our reps who have been in touch with the person (signals
	// they logged that mention the person), most recent first.
	KnownBy []Acquaintance `json:"knownBy,omitempty"`
}

// Acquaintance is one of our reps and their contacts with a person.
type Acquaintance struct {
	RepID       string    `json:"repId"`
	Contacts    int       `json:"contacts"` // signals the rep logged that mention the person
	Answered    int       `json:"answered"` // of them, contacts the person answered
	LastContact time.Time `json:"lastContact"`
}

// Validate returns an EINVALID error naming the first bad field.
func (p *Person) Validate() error {
	if strings.TrimSpace(p.ID) == "" {
		return FieldError("id", "required")
	} else if strings.TrimSpace(p.Name) == "" {
		return FieldError("name", "required")
	} else if p.Role != "" && !p.Role.Valid() {
		return FieldError("role", "unknown decision role %q", p.Role)
	} else if !p.Until.IsZero() && !p.Since.IsZero() && p.Until.Before(p.Since) {
		return FieldError("until", "before since (%s < %s)", p.Until.Format(time.DateOnly), p.Since.Format(time.DateOnly))
	} else if p.ReportsTo != "" && p.ReportsTo == p.ID {
		return FieldError("reportsTo", "a person cannot report to themselves")
	}
	return nil
}
