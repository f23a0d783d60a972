package valuegraph

import (
	"fmt"
	"strings"
	"time"
)

// FeedbackKind is what a rep says the system got wrong.
type FeedbackKind string

const (
	FeedbackWrongStage       FeedbackKind = "wrong_stage"       // the stage is wrong; Stage holds the right one
	FeedbackPersonLeft       FeedbackKind = "person_left"       // 技术负责人已离职: ends WORKS_AT
	FeedbackRoleChanged      FeedbackKind = "role_changed"      // Title and/or Role hold the new ones
	FeedbackNoIntent         FeedbackKind = "no_intent"         // no budget this year, no project: the stage is DORMANT
	FeedbackSignalIrrelevant FeedbackKind = "signal_irrelevant" // the signal says nothing about the customer: kept, not counted
	FeedbackWrongEntity      FeedbackKind = "wrong_entity"      // the signal is about another organisation: split off, reviewed
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
	Author     string       `json:"author"`              // the token's name
	AuthorRep  string       `json:"authorRep,omitempty"` // the token's rep, when it has one: it follows up their alerts
	CreatedAt  time.Time    `json:"createdAt"`

	// What it did, said plainly to the rep who gave it and in the
	// customer's history (see Effect); set when it is applied.
	EffectZH string `json:"effectZh,omitempty"`
	EffectEN string `json:"effectEn,omitempty"`
	// ReviewID is the unmerge review a wrong_entity opened.
	ReviewID string `json:"reviewId,omitempty"`
}

// StageSaid is the stage the feedback says the customer is at: a
// wrong_stage's Stage; no_intent (no project, no budget) says DORMANT, as
// its training label does; "" for other kinds.
func (f *Feedback) StageSaid() Stage {
	switch f.Kind {
	case FeedbackWrongStage:
		return f.Stage
	case FeedbackNoIntent:
		return StageDormant
	}
	return ""
}

// FeedbackTarget is what feedback was applied to, as the graph found it:
// names for the sentences Effect writes.
type FeedbackTarget struct {
	Customer      string // the customer's name
	Person        string // the person's name (person_left, role_changed)
	Signal        string // the signal's title (signal_irrelevant, wrong_entity)
	ProvisionalID string // wrong_entity: the organisation the signal was split off to
}

// Effect says, in Chinese and English, what feedback did once applied: the
// answer a rep gets to submitFeedback, and the line the customer's history
// and brief keep.
func (f *Feedback) Effect(t FeedbackTarget) (zh, en string) {
	person, customer := firstOf(t.Person, f.PersonID), firstOf(t.Customer, f.CustomerID)
	signal := f.SignalID
	if t.Signal != "" {
		signal = fmt.Sprintf("%s（%s）", t.Signal, f.SignalID)
	}
	switch f.Kind {
	case FeedbackWrongStage, FeedbackNoIntent:
		why := ""
		if f.Kind == FeedbackNoIntent {
			why = "无意向或预算："
		}
		zh = fmt.Sprintf("%s阶段显示为 %s（销售代表的判断，L3），模型的判断并列显示；直到更新的 L1/L2 证据与之相反或新的更正取代它", why, f.StageSaid())
		en = fmt.Sprintf("the stage shows as %s, the rep's word (L3), beside the model's; it stands until newer L1/L2 evidence contradicts it or a later correction replaces it", f.StageSaid())
		if f.Kind == FeedbackNoIntent {
			en = "no intent or budget: " + en
		}
	case FeedbackRiskReal, FeedbackRiskUnfounded:
		bound, zhBound, enBound := "80%", "至少", "at least"
		if f.Kind == FeedbackRiskUnfounded {
			bound, zhBound, enBound = "20%", "至多", "at most"
		}
		zh = fmt.Sprintf("%s风险调至%s %s（理由“correction”，L3），直到更新的 L1/L2 证据与之相反", riskZH[f.Risk], zhBound, bound)
		en = fmt.Sprintf("the %s risk is brought to %s %s (reason \"correction\", L3) until newer L1/L2 evidence says otherwise", f.Risk, enBound, bound)
	case FeedbackPersonLeft:
		zh = fmt.Sprintf("%s 在 %s 的任职已结束（保留于历史）：不再是现任决策人，其联系方式不再显示在该客户下；记为一条人事变动信号（L3）", person, customer)
		en = fmt.Sprintf("%s no longer works at %s (the employment is ended, kept in history): no longer a current decision-maker, their contact data no longer shows under this customer; recorded as an exec_change signal (L3)", person, customer)
	case FeedbackRoleChanged:
		var zhs, ens []string
		if f.Title != "" {
			zhs, ens = append(zhs, "职务改为“"+f.Title+"”"), append(ens, "title now “"+f.Title+"”")
		}
		if f.Role != "" {
			zhs, ens = append(zhs, "角色改为 "+string(f.Role)), append(ens, "role now "+string(f.Role))
		}
		zh = fmt.Sprintf("%s：%s", person, strings.Join(zhs, "，"))
		en = fmt.Sprintf("%s: %s", person, strings.Join(ens, ", "))
	case FeedbackSignalIrrelevant:
		zh = fmt.Sprintf("信号 %s 仍保留并标注为已排除，但不再计入该客户的评分、痛点、竞争对手和建议话题", signal)
		en = fmt.Sprintf("signal %s is kept and shown as excluded, but no longer counts in this customer's scores, pain points, competitors or talking points", signal)
	case FeedbackWrongEntity:
		zh = fmt.Sprintf("信号 %s 已从该客户移至临时组织 %s，并在实体识别复核队列中开启复核 %s：接受 %s 则移回，拒绝则保持分开", signal, t.ProvisionalID, f.ReviewID, f.CustomerID)
		en = fmt.Sprintf("signal %s is moved off this customer to a provisional organisation %s, and review %s is open in the entity-resolution queue: accepting %s moves it back, rejecting keeps it apart", signal, t.ProvisionalID, f.ReviewID, f.CustomerID)
	}
	if f.Kind.IsLabel() {
		zh += "；并作为训练标签"
		en += "; kept as a training label"
	}
	return zh, en
}

var riskZH = map[string]string{RiskReplacement: "被替换", RiskChurn: "流失"}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
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
	Stage      Stage        `json:"stage,omitempty"` // wrong_stage, no_intent: the rep's stage
	Trust      TrustLevel   `json:"trust"`
	EndedAt    time.Time    `json:"endedAt,omitzero"`  // zero while it stands
	EndedBy    string       `json:"endedBy,omitempty"` // the signal that ended it
	EndedZH    string       `json:"endedZh,omitempty"` // why it ended, in Chinese
	EndedEN    string       `json:"endedEn,omitempty"` // and in English
}

// Standing reports whether the correction still applies.
func (c Correction) Standing() bool { return c.EndedAt.IsZero() }

// CorrectionKinds are the feedback kinds that correct a score (no_intent
// sets the stage to DORMANT).
var CorrectionKinds = []FeedbackKind{FeedbackWrongStage, FeedbackNoIntent, FeedbackRiskReal, FeedbackRiskUnfounded}

// TrustFeedback is the trust level of a rep's word: an observation.
const TrustFeedback = TrustL3

// CorrectionFactor names the reason a standing risk correction adds to
// that risk's reasons.
const CorrectionFactor = "correction"
