package valuegraph

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
