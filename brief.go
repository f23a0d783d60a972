package valuegraph

import "time"

// Brief is the pre-visit brief for a rep (《本次沟通价值锚点清单》): where the
// customer stands and why, its top pain points with what we can offer, who
// decides, what competitors do, what changed since the last visit, the risks,
// and what to talk about, each with its reason and evidence.
type Brief struct {
	Customer       Customer         `json:"customer"`
	Owner          *Rep             `json:"owner,omitempty"`
	GeneratedAt    time.Time        `json:"generatedAt"`
	Assessment     *Assessment      `json:"assessment,omitempty"` // nil until the customer is scored
	PainPoints     []PainPoint      `json:"painPoints"`
	DecisionMakers []DecisionMaker  `json:"decisionMakers"`
	Competitors    []CompetitorLink `json:"competitors"`
	LastVisit      time.Time        `json:"lastVisit,omitzero"` // the latest CRM note or rep observation
	Changes        []Signal         `json:"changes"`            // signals since the last visit, newest first
	TalkingPoints  []TalkingPoint   `json:"talkingPoints"`
	Feedback       []Feedback       `json:"feedback"` // reps' latest corrections, newest first, with what each did
}

// PainPoint is a need the customer's signals show, ranked by strength: the
// trust-weighted, time-decayed count of the signals that mention it.
type PainPoint struct {
	Need      Need       `json:"need"`
	Strength  float64    `json:"strength"`
	LastSeen  time.Time  `json:"lastSeen"`
	BestTrust TrustLevel `json:"bestTrust"` // the most trusted source among its signals
	Evidence  []Signal   `json:"evidence"`
	Offerings []Offering `json:"offerings"` // what we can propose for it
}

// DecisionMaker is a person at the customer with what changed about them.
type DecisionMaker struct {
	Person Person `json:"person"`
	Change string `json:"change,omitempty"` // "joined" or "left" within the last 180 days
}

// TalkingPoint is a suggestion for the visit and the reason it is made.
type TalkingPoint struct {
	ZH        string   `json:"zh"`
	EN        string   `json:"en"`
	WhyZH     string   `json:"whyZh"`
	WhyEN     string   `json:"whyEn"`
	SignalIDs []string `json:"signals,omitempty"`
	Evidence  []Signal `json:"-"` // those of SignalIDs the brief read whole; the API loads the rest
}
