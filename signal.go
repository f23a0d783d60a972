package valuegraph

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// SignalKind says what a signal is.
type SignalKind string

const (
	SignalTender             SignalKind = "tender"
	SignalAward              SignalKind = "award"
	SignalProcurementIntent  SignalKind = "procurement_intent"
	SignalCustoms            SignalKind = "customs"
	SignalForumPost          SignalKind = "forum_post"
	SignalWhitepaperDownload SignalKind = "whitepaper_download"
	SignalKBSearch           SignalKind = "kb_search"
	SignalERPOrder           SignalKind = "erp_order"
	SignalServiceTicket      SignalKind = "service_ticket"
	SignalCRMNote            SignalKind = "crm_note"
	SignalExecChange         SignalKind = "exec_change"
	SignalFunding            SignalKind = "funding"
	SignalCompanyChange      SignalKind = "company_change"
	SignalRepObservation     SignalKind = "rep_observation"
	SignalOutreach           SignalKind = "outreach"    // a contact with the customer from the CRM: intents say answered or unanswered
	SignalOpportunity        SignalKind = "opportunity" // a deal in our CRM pipeline: its intent is the pipeline stage
)

// Pipeline stages of an opportunity (its intent).
const (
	DealProspecting = "prospecting"
	DealQualified   = "qualification"
	DealProposal    = "proposal"
	DealNegotiation = "negotiation"
	DealWon         = "won"
	DealLost        = "lost"
)

// Intents of outreach: whether the customer answered.
const (
	IntentAnswered   = "answered"
	IntentUnanswered = "unanswered"
)

// SignalKinds lists every kind.
var SignalKinds = []SignalKind{
	SignalTender, SignalAward, SignalProcurementIntent, SignalCustoms, SignalForumPost,
	SignalWhitepaperDownload, SignalKBSearch, SignalERPOrder, SignalServiceTicket,
	SignalCRMNote, SignalExecChange, SignalFunding, SignalCompanyChange, SignalRepObservation, SignalOutreach, SignalOpportunity,
}

// Valid reports whether k is a known kind.
func (k SignalKind) Valid() bool {
	for _, v := range SignalKinds {
		if k == v {
			return true
		}
	}
	return false
}

// TrustLevel is how far a signal's source is trusted (数据资产目录):
// 1 for our own systems of record, 2 for certified external sources and
// official publications, 3 for observations and open-web content.
type TrustLevel int

const (
	TrustL1 TrustLevel = 1
	TrustL2 TrustLevel = 2
	TrustL3 TrustLevel = 3
)

// Valid reports whether t is L1, L2 or L3.
func (t TrustLevel) Valid() bool { return t >= TrustL1 && t <= TrustL3 }

func (t TrustLevel) String() string { return "L" + strconv.Itoa(int(t)) }

// Signal is one piece of evidence about customers: a tender, an order, a post.
type Signal struct {
	ID          string     `json:"id"`
	Kind        SignalKind `json:"kind"`
	Title       string     `json:"title,omitempty"`
	Text        string     `json:"text,omitempty"`
	URL         string     `json:"url,omitempty"`
	Source      string     `json:"source"` // the Source node's id: "ccgp", "crm", ...
	Trust       TrustLevel `json:"trust"`
	OccurredAt  time.Time  `json:"occurredAt"`
	IngestedAt  time.Time  `json:"ingestedAt,omitzero"` // set by the graph on first write
	ContentHash string     `json:"contentHash,omitempty"`
	Amount      float64    `json:"amount,omitempty"`   // value of a tender, award, order or shipment
	Currency    string     `json:"currency,omitempty"` // ISO 4217, with Amount
	Intents     []string   `json:"intents,omitempty"`  // what a post wants: alternative, comparison, complaint, recommendation

	// Attachments are documents the source links (a tender's 招标文件), listed,
	// not downloaded.
	Attachments []Attachment `json:"attachments,omitempty"`

	CustomerIDs   []string `json:"customerIds,omitempty"`   // ABOUT
	CompetitorIDs []string `json:"competitorIds,omitempty"` // MENTIONS
	NeedIDs       []string `json:"needIds,omitempty"`       // MENTIONS
	ProductIDs    []string `json:"productIds,omitempty"`    // MENTIONS
	PersonIDs     []string `json:"personIds,omitempty"`     // MENTIONS
	RepID         string   `json:"repId,omitempty"`         // our rep behind it (a call, a note): (Rep)-[:LOGGED]->

	// Parties are organisations tied to the signal by entity resolution, each
	// with the rule that resolved it, so every merge can be explained.
	Parties []Party `json:"parties,omitempty"`

	// Problems say what the record behind the signal lacks (an award notice
	// naming no buyer, an amount without a currency): the signal is kept as
	// incomplete, and readers see what is missing.
	Problems []Problem `json:"problems,omitempty"`

	// Exclusions are the customers for which a rep judged the signal
	// irrelevant (signal_irrelevant feedback): it stays about them and is
	// shown, marked, but counts in none of their scores, pain points,
	// competitors or talking points.
	Exclusions []Exclusion `json:"exclusions,omitempty"`
}

// Exclusion is a rep's judgement that a signal says nothing about a customer.
type Exclusion struct {
	CustomerID string    `json:"customerId"`
	FeedbackID string    `json:"feedbackId"`
	By         string    `json:"by"` // the rep (the token's name)
	At         time.Time `json:"at"`
	Note       string    `json:"note,omitempty"`
}

// ExcludedFor returns the exclusion of the signal for a customer, or nil
// when it counts for that customer.
func (s *Signal) ExcludedFor(customerID string) *Exclusion {
	for i := range s.Exclusions {
		if s.Exclusions[i].CustomerID == customerID {
			return &s.Exclusions[i]
		}
	}
	return nil
}

// Problem is one thing a kept record lacks or holds that could not be read.
type Problem struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func (p Problem) String() string { return p.Field + ": " + p.Reason }

// ParseProblem reads a problem as String wrote it.
func ParseProblem(s string) Problem {
	field, reason, _ := strings.Cut(s, ": ")
	return Problem{Field: field, Reason: reason}
}

// Attachment is a document a signal's page links to.
type Attachment struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// PartyRole is how an organisation takes part in a signal.
type PartyRole string

const (
	PartyAbout    PartyRole = "about"    // the customer the signal is about: a buyer, an importer
	PartyWinner   PartyRole = "winner"   // won the tender the signal reports
	PartySupplier PartyRole = "supplier" // shipped the goods the signal records
)

// Valid reports whether r is a known role.
func (r PartyRole) Valid() bool { return r == PartyAbout || r == PartyWinner || r == PartySupplier }

// StatedAmount is the amount when the source stated one, nil when not:
// an amount is never zero (Validate).
func (s *Signal) StatedAmount() *float64 {
	if s.Amount == 0 {
		return nil
	}
	return &s.Amount
}

// IsCurrencyCode reports whether s has the shape of an ISO 4217 code (three
// capital letters).
func IsCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Party ties a signal to a customer or a competitor.
type Party struct {
	Role   PartyRole `json:"role"`
	Kind   string    `json:"kind"` // Customer or Competitor
	ID     string    `json:"id"`
	Rule   string    `json:"rule,omitempty"`   // how it was resolved: identifier, name, alias, fuzzy, new, given
	Score  float64   `json:"score,omitempty"`  // the fuzzy score, 1 for exact rules
	AsName string    `json:"asName,omitempty"` // the name as the source wrote it
}

// MatchScore is the entity-resolution score when a match was scored, nil
// for a party given by id.
func (p *Party) MatchScore() *float64 {
	if p.Score == 0 {
		return nil
	}
	return &p.Score
}

// Hash returns the content hash of the signal: what it says, not where or when
// it was fetched, so the same notice crawled twice hashes the same.
func (s *Signal) Hash() string {
	h := sha256.New()
	for _, part := range []string{string(s.Kind), s.Title, s.Text, s.URL, s.OccurredAt.UTC().Format(time.RFC3339),
		strconv.FormatFloat(s.Amount, 'f', -1, 64), s.Currency, strings.Join(s.Intents, ",")} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	for _, a := range s.Attachments { // none leaves the hash as it always was
		h.Write([]byte(a.Name + "\x00" + a.URL + "\x00"))
	}
	for _, p := range s.Problems { // likewise: a better reading of the record updates it
		h.Write([]byte("problem\x00" + p.String() + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Validate returns an EINVALID error naming the first bad field.
func (s *Signal) Validate() error {
	switch {
	case strings.TrimSpace(s.ID) == "":
		return FieldError("id", "required")
	case !s.Kind.Valid():
		return FieldError("kind", "unknown signal kind %q", s.Kind)
	case strings.TrimSpace(s.Source) == "":
		return FieldError("source", "required")
	case !s.Trust.Valid():
		return FieldError("trust", "trust level must be 1, 2 or 3, got %d", s.Trust)
	case s.OccurredAt.IsZero():
		return FieldError("occurredAt", "required")
	case s.Amount < 0:
		return FieldError("amount", "negative (%v)", s.Amount)
	case s.Amount > 0 && len(s.Currency) != 3:
		return FieldError("currency", "an amount needs a three-letter currency, got %q", s.Currency)
	}
	for i, p := range s.Parties {
		field := "parties[" + strconv.Itoa(i) + "]"
		switch {
		case !p.Role.Valid():
			return FieldError(field+".role", "unknown role %q", p.Role)
		case p.Kind != "Customer" && p.Kind != "Competitor":
			return FieldError(field+".kind", "must be Customer or Competitor, got %q", p.Kind)
		case p.ID == "":
			return FieldError(field+".id", "required")
		case p.Role == PartyAbout && p.Kind != "Customer":
			return FieldError(field+".kind", "a signal is about customers, not %s", p.Kind)
		}
	}
	return nil
}
