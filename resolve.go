package valuegraph

import "time"

// SchemeName is the identifier scheme of normalised names: every name and
// alias of an organisation is also an identifier "NAME:<key>", so a name seen
// before resolves by a lookup, not a search.
const SchemeName = "NAME"

// OrgRef is an organisation (customer or competitor) found while resolving a
// mention, with how it was found.
type OrgRef struct {
	Kind    string   `json:"kind"` // Customer or Competitor
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	Rule    string   `json:"rule,omitempty"` // for a key hit: the rule that first tied the key to it
	Score   float64  `json:"score,omitempty"`
}

// Alias ties another name to an organisation that entity resolution matched
// it to. Rule and Score say why; removing the alias undoes the merge.
type Alias struct {
	Kind   string  `json:"kind"`
	ID     string  `json:"id"`
	Name   string  `json:"name"`  // as the source wrote it
	Key    string  `json:"key"`   // the identifier key of its normalised name: NAME:<value>
	Value  string  `json:"value"` // the normalised name
	Rule   string  `json:"rule"`
	Score  float64 `json:"score"`
	Source string  `json:"source"`
}

// Review statuses.
const (
	ReviewOpen     = "open"
	ReviewAccepted = "accepted"
	ReviewRejected = "rejected"
)

// Review is an ambiguous match kept for a person to decide instead of a
// guess. The mention got a provisional organisation of its own, so no signal
// waits; accepting a candidate merges the provisional one into it.
type Review struct {
	ID            string            `json:"id"`
	Name          string            `json:"name"` // the mention as written
	Key           string            `json:"key"`
	Source        string            `json:"source"`
	Reason        string            `json:"reason"`
	ProvisionalID string            `json:"provisionalId"`
	Candidates    []ReviewCandidate `json:"candidates"`
	Status        string            `json:"status"`
	CreatedAt     time.Time         `json:"createdAt,omitzero"`
}

// ReviewCandidate is one organisation a review's mention may be, with how
// close the mention came to it (its own Score, not OrgRef's).
type ReviewCandidate struct {
	OrgRef
	Score float64 `json:"score"`
}

// MergedName is one spelling entity resolution tied to an organisation: the
// name as a source wrote it, the rule that tied it (fuzzy, name, alias,
// review…), and how many links arrived under it. Unmerging the name splits
// those links off to an organisation of its own.
type MergedName struct {
	Name       string  `json:"name"`
	Rule       string  `json:"rule"`
	Score      float64 `json:"score"`
	Links      int     `json:"links"`
	MergedFrom string  `json:"mergedFrom,omitempty"` // the provisional organisation a review merged in
}

// Split is what an unmerge moved: the organisation the name now has, and
// the links that went with it.
type Split struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Name  string `json:"name"`
	Links int    `json:"links"`
}
