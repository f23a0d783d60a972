package valuegraph

import "time"

// Stage is where a customer sits on its buying journey (价值阶段).
type Stage string

const (
	StageDormant   Stage = "DORMANT"
	StageExploring Stage = "EXPLORING"
	StagePlanning  Stage = "PLANNING"
	StageSelecting Stage = "SELECTING"
	StageAdopting  Stage = "ADOPTING"
	StageExpanding Stage = "EXPANDING"
)

// Stages lists the stages in journey order.
var Stages = []Stage{StageDormant, StageExploring, StagePlanning, StageSelecting, StageAdopting, StageExpanding}

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool {
	for _, v := range Stages {
		if s == v {
			return true
		}
	}
	return false
}

// Tier is a customer's dynamic value tier, best first.
type Tier string

const (
	TierAPlus Tier = "A+"
	TierA     Tier = "A"
	TierB     Tier = "B"
	TierC     Tier = "C"
)

// Tiers lists the tiers, best first.
var Tiers = []Tier{TierAPlus, TierA, TierB, TierC}

// Valid reports whether t is a known tier.
func (t Tier) Valid() bool {
	for _, v := range Tiers {
		if t == v {
			return true
		}
	}
	return false
}

// Risks are a customer's risk scores, each a probability in [0, 1].
type Risks struct {
	Replacement float64 `json:"replacement"` // a competitor replaces us
	Churn       float64 `json:"churn"`
	Credit      float64 `json:"credit"`
}

// Reason is one factor behind a score: how much it pushed the score, in the
// score's own units (log-odds for stages and risks, points for the tier), a
// sentence in Chinese and English, and the signals it rests on. A score's
// reasons, baseline included, add up to it.
type Reason struct {
	Factor       string   `json:"factor"`
	Value        float64  `json:"value"`        // the factor's value (a feature, a sub-score)
	Contribution float64  `json:"contribution"` // what it added to the score; negative: against
	SentenceZH   string   `json:"zh"`
	SentenceEN   string   `json:"en"`
	SignalIDs    []string `json:"signals,omitempty"`
	// Parts are what a tier part (base, growth, health) is made of: each
	// feature with its weight times its value, before the part's curve.
	Parts []Reason `json:"parts,omitempty"`
}

// Explained is a score with the reasons that make it up.
type Explained struct {
	Score   float64  `json:"score"` // log-odds for stages and risks, points (0–1) for the tier
	Reasons []Reason `json:"reasons"`
}

// SignalIDs are the signals the score's reasons rest on, in reason order
// (a signal behind two reasons is named twice).
func (e Explained) SignalIDs() []string {
	var ids []string
	for _, r := range e.Reasons {
		ids = append(ids, r.SignalIDs...)
	}
	return ids
}

// Assessment is everything scoring says about a customer at one time; each
// rescoring stores one as a ScoreSnapshot.
type Assessment struct {
	CustomerID      string               `json:"customerId"`
	At              time.Time            `json:"at"`
	ModelVersion    string               `json:"modelVersion"`
	Stage           Stage                `json:"stage"`
	StageConfidence float64              `json:"stageConfidence"`
	StageWhy        Explained            `json:"stageWhy"` // the chosen stage's score
	Risks           Risks                `json:"risks"`
	RiskWhy         map[string]Explained `json:"riskWhy"` // by risk: replacement, churn, credit
	Tier            Tier                 `json:"tier"`
	TierScore       float64              `json:"tierScore"`
	TierWhy         Explained            `json:"tierWhy"`

	// What the model says of the stage, whatever a rep said: StageWhy
	// explains ModelStage. Stage and StageConfidence are what the customer
	// shows: the model's, or a standing correction's stage with the
	// model's probability of it.
	ModelStage           Stage   `json:"modelStage,omitempty"`
	ModelStageConfidence float64 `json:"modelStageConfidence,omitempty"`
	// Corrections are reps' latest corrections of the stage and the risks,
	// standing or ended, applied after the model.
	Corrections []Correction `json:"corrections,omitempty"`

	// Run names the job run that made it (the task's id), when a job did:
	// a run repeated after a crash replaces its own snapshot rather than
	// adding one, so each rescoring leaves one snapshot however often it ran.
	Run string `json:"-"`
}

// StageBy is the rep whose standing correction sets the stage, or "" when
// the stage is the model's.
func (a *Assessment) StageBy() string {
	for _, c := range a.Corrections {
		if c.Score == "stage" && c.Standing() {
			return c.By
		}
	}
	return ""
}

// ModelVersion is one version of the scoring models, as trained and judged.
// Versions are never deleted: any can be inspected or made active again.
type ModelVersion struct {
	Kind         string             `json:"kind"` // "scoring" (empty means it too)
	Version      string             `json:"version"`
	TrainedAt    time.Time          `json:"trainedAt"`
	TrainingSize int                `json:"trainingSize"` // labels it learnt from
	Metrics      map[string]float64 `json:"metrics"`      // on held-out labels, its own and the previous version's
	Status       string             `json:"status"`       // active, candidate (not promoted) or retired
	Definition   string             `json:"definition"`   // the model as YAML
}

// Model version statuses.
const (
	ModelActive    = "active"
	ModelCandidate = "candidate"
	ModelRetired   = "retired"
)

// Drift is how a customer's assessment moved between two times (分级漂移),
// with the factors that moved it most.
type Drift struct {
	CustomerID   string     `json:"customerId"`
	CustomerName string     `json:"customerName"`
	Before       Assessment `json:"before"`
	After        Assessment `json:"after"`
	TierLevels   int        `json:"tierLevels"`  // positive: up (C -> B is +1)
	StageLevels  int        `json:"stageLevels"` // positive: further along the journey
	Causes       []Cause    `json:"causes"`
}

// ScoreSnapshot is a customer's scores at one rescoring: its history, one
// snapshot a rescoring (the reasons stay with the Assessment).
type ScoreSnapshot struct {
	CustomerID      string    `json:"customerId"`
	At              time.Time `json:"at"`
	ModelVersion    string    `json:"modelVersion"`
	Stage           Stage     `json:"stage"`
	StageConfidence float64   `json:"stageConfidence"`
	ModelStage      Stage     `json:"modelStage,omitempty"` // the model's own stage
	StageBy         string    `json:"stageBy,omitempty"`    // the rep whose standing correction set Stage
	Risks           Risks     `json:"risks"`
	Tier            Tier      `json:"tier"`
	TierScore       float64   `json:"tierScore"`
}

// Cause is a factor whose contribution changed between two assessments.
type Cause struct {
	Score  string  `json:"score"` // tier, stage, replacement, churn or credit
	Factor string  `json:"factor"`
	Change float64 `json:"change"` // contribution after minus before
	ZH     string  `json:"zh"`
	EN     string  `json:"en"`
}

// TierRank orders tiers: A+ is 3, C is 0, unknown -1.
func TierRank(t Tier) int {
	for i, v := range Tiers {
		if v == t {
			return len(Tiers) - 1 - i
		}
	}
	return -1
}

// StageRank orders stages along the journey: DORMANT is 0.
func StageRank(s Stage) int {
	for i, v := range Stages {
		if v == s {
			return i
		}
	}
	return -1
}

// SignalSummary is what lists show of a customer's signals: how many there
// are, and when the latest happened.
type SignalSummary struct {
	Count int
	Last  time.Time
}

// ScoringInput is everything a rescoring reads of one customer: its signal
// summary (all time), the signals scoring weighs (ordered by time, then id,
// so that a score never depends on the order a store returns them in), reps'
// corrections (newest first) and, when asked for, its previous scores.
type ScoringInput struct {
	CustomerID  string
	Summary     SignalSummary
	Signals     []Signal
	Corrections []Feedback
	Previous    *ScoreSnapshot // nil: never scored, or not asked for
}
