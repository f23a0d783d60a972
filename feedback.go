package valuegraph

import (
	"strings"
	"time"
)

// FeedbackKind is what a rep says the system got wrong.
type FeedbackKind string

const (
	FeedbackWrongStage       FeedbackKind = "wrong_stage"       // the stage is wrong; Stage holds the right one
	FeedbackPersonLeft       FeedbackKind = "person_left"       // 技术负责人已离职: ends WORKS_AT
	FeedbackRoleChanged      FeedbackKind = "role_changed"      // Title and/or Role hold the new ones
	FeedbackNoIntent         FeedbackKind = "no_intent"         // no budget this year, no project
	FeedbackSignalIrrelevant FeedbackKind = "signal_irrelevant" // the signal says nothing about the customer: detached
	FeedbackWrongEntity      FeedbackKind = "wrong_entity"      // the signal is about another organisation: detached
	FeedbackRiskReal         FeedbackKind = "risk_real"         // Risk is real: they are looking at a competitor, or leaving
	FeedbackRiskUnfounded    FeedbackKind = "risk_unfounded"    // Risk is not real, whatever the score says
)

// LabelKinds are the feedback kinds that become training labels.
var LabelKinds = []FeedbackKind{FeedbackWrongStage, FeedbackNoIntent, FeedbackRiskReal, FeedbackRiskUnfounded}

// IsLabel reports whether feedback of kind k is a training label.
func (k FeedbackKind) IsLabel() bool {
	for _, l := range LabelKinds {
		if k == l {
			return true
		}
	}
	return false
}

// Risks reps can confirm or dismiss (credit is not theirs to judge).
const (
	RiskReplacement = "replacement"
	RiskChurn       = "churn"
)

// Valid reports whether k is a known kind.
func (k FeedbackKind) Valid() bool {
	switch k {
	case FeedbackWrongStage, FeedbackPersonLeft, FeedbackRoleChanged, FeedbackNoIntent, FeedbackSignalIrrelevant, FeedbackWrongEntity,
		FeedbackRiskReal, FeedbackRiskUnfounded:
		return true
	}
	return false
}

// Feedback is a rep's correction. It is stored as given and never edited,
// applied to the graph at once, and becomes a training label.
type Feedback struct {
	ID         string       `json:"id"`
	Kind       FeedbackKind `json:"kind"`
	CustomerID string       `json:"customerId"`
	SignalID   string       `json:"signalId,omitempty"` // signal_irrelevant, wrong_entity
	PersonID   string       `json:"personId,omitempty"` // person_left, role_changed
	Stage      Stage        `json:"stage,omitempty"`    // wrong_stage
	Title      string       `json:"title,omitempty"`    // role_changed
	Role       DecisionRole `json:"role,omitempty"`     // role_changed
	Risk       string       `json:"risk,omitempty"`     // risk_real, risk_unfounded: replacement or churn
	Text       string       `json:"text,omitempty"`
	Author     string       `json:"author"` // the token's name
	CreatedAt  time.Time    `json:"createdAt"`
}

// Validate returns an EINVALID error naming the first bad field.
func (f *Feedback) Validate() error {
	switch {
	case !f.Kind.Valid():
		return FieldError("kind", "unknown feedback kind %q", f.Kind)
	case strings.TrimSpace(f.CustomerID) == "":
		return FieldError("customerId", "required")
	case strings.TrimSpace(f.Author) == "":
		return FieldError("author", "required")
	case f.Kind == FeedbackWrongStage && !f.Stage.Valid():
		return FieldError("stage", "the right stage is required for wrong_stage")
	case (f.Kind == FeedbackPersonLeft || f.Kind == FeedbackRoleChanged) && f.PersonID == "":
		return FieldError("personId", "required for %s", f.Kind)
	case f.Kind == FeedbackRoleChanged && f.Title == "" && f.Role == "":
		return FieldError("title", "role_changed needs the new title or role")
	case f.Role != "" && !f.Role.Valid():
		return FieldError("role", "unknown decision role %q", f.Role)
	case (f.Kind == FeedbackSignalIrrelevant || f.Kind == FeedbackWrongEntity) && f.SignalID == "":
		return FieldError("signalId", "required for %s", f.Kind)
	case (f.Kind == FeedbackRiskReal || f.Kind == FeedbackRiskUnfounded) && f.Risk != RiskReplacement && f.Risk != RiskChurn:
		return FieldError("risk", "%s needs the risk: replacement or churn, got %q", f.Kind, f.Risk)
	case len(f.Text) > 4000:
		return FieldError("text", "at most 4000 characters")
	}
	return nil
}

// Correction is a rep's feedback as it bears on a score (the stage, the
// replacement or churn risk): the rep's word, evidence of trust level L3
// (an observation, as DESIGN.md's trust table has rep notes), applied after
// the model. It stands until newer evidence of a higher trust level
// contradicts it (EndedAt, EndedBy and the sentences say which and why) or
// a later correction of the same score replaces it.
type Correction struct {
	FeedbackID string       `json:"feedbackId"`
	Kind       FeedbackKind `json:"kind"`
	Score      string       `json:"score"` // stage, replacement or churn
	By         string       `json:"by"`    // the rep (the token's name)
	At         time.Time    `json:"at"`
	Note       string       `json:"note,omitempty"`
	Stage      Stage        `json:"stage,omitempty"` // wrong_stage: the rep's stage
	Trust      TrustLevel   `json:"trust"`
	EndedAt    time.Time    `json:"endedAt,omitzero"`  // zero while it stands
	EndedBy    string       `json:"endedBy,omitempty"` // the signal that ended it
	EndedZH    string       `json:"endedZh,omitempty"` // why it ended, in Chinese
	EndedEN    string       `json:"endedEn,omitempty"` // and in English
}

// Standing reports whether the correction still applies.
func (c Correction) Standing() bool { return c.EndedAt.IsZero() }

// CorrectionKinds are the feedback kinds that correct a score.
var CorrectionKinds = []FeedbackKind{FeedbackWrongStage, FeedbackRiskReal, FeedbackRiskUnfounded}

// TrustFeedback is the trust level of a rep's word: an observation.
const TrustFeedback = TrustL3

// CorrectionFactor names the reason a standing risk correction adds to
// that risk's reasons.
const CorrectionFactor = "correction"
