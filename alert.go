package valuegraph

import (
	"fmt"
	"time"
)

// AlertKind is what moved: a customer's stage, its tier, or a risk that
// crossed the alert threshold.
type AlertKind string

const (
	AlertStageChanged AlertKind = "stage_changed"
	AlertTierChanged  AlertKind = "tier_changed"
	AlertRiskCrossed  AlertKind = "risk_crossed"
)

// Valid reports whether k is a known kind.
func (k AlertKind) Valid() bool {
	return k == AlertStageChanged || k == AlertTierChanged || k == AlertRiskCrossed
}

// FollowUpKind is how the owner of an alert acted on it.
type FollowUpKind string

const (
	FollowedByBriefOpened FollowUpKind = "brief_opened" // opened the customer's brief (GraphQL or Markdown)
	FollowedByActivity    FollowUpKind = "activity"     // logged an activity (a CRM signal they logged) about the customer
	FollowedByFeedback    FollowUpKind = "feedback"     // gave feedback on the customer
)

// Alert says that a customer moved: its stage or tier changed, or a risk
// crossed the threshold, with the factors that moved it. Every alert a
// rescoring raises is kept in the graph, with the rep who owned the
// customer then, and whether that rep followed it up.
type Alert struct {
	// ID comes from the customer, the scoring run (or the assessment's
	// time when no job ran it), the kind and the risk: a run repeated
	// raises the same ids, stored once.
	ID         string    `json:"id"`
	Kind       AlertKind `json:"kind"`
	CustomerID string    `json:"customerId"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	Risk       string    `json:"risk,omitempty"` // for risk_crossed: replacement, churn or credit
	At         time.Time `json:"at"`
	Causes     []Cause   `json:"causes"`

	// Read back from the graph: the customer as it is now, the rep who
	// owned it when the alert was raised, and that rep's follow-up.
	Customer *Customer `json:"-"`
	Owner    *Rep      `json:"owner,omitempty"`
	FollowUp FollowUp  `json:"followUp,omitzero"`
}

// AlertID names an alert of a customer's assessment: run is the job run
// that scored it ("" when none did, and then the assessment's time names
// it), risk is for risk_crossed.
func AlertID(customerID, run string, at time.Time, kind AlertKind, risk string) string {
	id := customerID + "@"
	if run != "" {
		id += run
	} else {
		id += fmt.Sprint(at.UnixNano())
	}
	id += "/" + string(kind)
	if risk != "" {
		id += "/" + risk
	}
	return id
}

// FollowUp is the first thing the alert's owner did about the customer
// after the alert: opened its brief, logged an activity, or gave feedback.
// The zero value: not followed (yet).
type FollowUp struct {
	By FollowUpKind `json:"by,omitempty"`
	At time.Time    `json:"at,omitzero"`
}

// Followed reports whether the owner acted on the alert.
func (f FollowUp) Followed() bool { return f.By != "" }

// AlertFilter narrows a list of alerts; empty fields match all. It is also
// the API's AlertFilter input, field for field.
type AlertFilter struct {
	Kinds    []AlertKind `json:"kinds,omitempty"`
	Owner    string      `json:"owner,omitempty"`    // the rep who owned the customer when the alert was raised
	Followed *bool       `json:"followed,omitempty"` // true: followed up; false: not (yet)
	Since    time.Time   `json:"since,omitzero"`     // raised at or after

	// CustomerOwner keeps the alerts of the customers this rep owns now:
	// what a rep may see. Set by the API, not an input.
	CustomerOwner string `json:"-"`
}

// Validate returns an EINVALID error naming the first bad field.
func (f *AlertFilter) Validate() error {
	for _, k := range f.Kinds {
		if !k.Valid() {
			return FieldError("kinds", "unknown alert kind %q", k)
		}
	}
	return nil
}

// AlertPage is one page of a list of alerts, newest first.
type AlertPage struct {
	Alerts  []Alert
	Cursors []string // Cursors[i] resumes after Alerts[i]
	HasNext bool
}

// AlertOwnerSummary counts the alerts raised for one owner's customers and
// how many the owner followed up: a flood of unfollowed alerts is a
// threshold set wrong, or a rep who does not read them.
type AlertOwnerSummary struct {
	Owner      *Rep      `json:"owner,omitempty"` // nil: customers nobody owned
	Raised     int       `json:"raised"`
	Followed   int       `json:"followed"`
	Unfollowed int       `json:"unfollowed"`
	LastAt     time.Time `json:"lastAt,omitzero"` // the latest alert
}
