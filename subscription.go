package valuegraph

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Subscription is a standing question about the external signals: a rep
// (or a manager, an analyst) follows, say, new construction awards in one
// province, and sees what matches in a feed. Every criterion given must
// match; within one criterion any of its values does.
type Subscription struct {
	ID string `json:"id"`
	// Owner is whom it belongs to: a rep's id for reps (every token of the
	// rep sees it), the token's name for the other roles.
	Owner      string    `json:"owner"`
	OwnerKind  string    `json:"ownerKind"` // "rep" or "user"
	CreatedAt  time.Time `json:"createdAt"`
	UpdatedAt  time.Time `json:"updatedAt,omitzero"`
	LastReadAt time.Time `json:"lastReadAt,omitzero"` // the feed's read mark: arrivals after it are unread

	SubscriptionInput
}

// SubscriptionInput is a subscription's name and what it matches; empty
// criteria match all. It is also the API's SubscriptionInput, field for
// field.
type SubscriptionInput struct {
	Name       string       `json:"name"`
	Kinds      []SignalKind `json:"kinds,omitempty"`
	Industries []string     `json:"industries,omitempty"` // the signal's customer's industry, any case
	Regions    []string     `json:"regions,omitempty"`    // the signal's customer's region, any case
	// Keywords match the signal's title or text, any case, as written.
	Keywords    []string     `json:"keywords,omitempty"`
	CustomerIDs []string     `json:"customerIds,omitempty"` // the buyers: customers the signal is about
	Trust       []TrustLevel `json:"trust,omitempty"`
}

// Owner kinds of a subscription.
const (
	OwnerRep  = "rep"
	OwnerUser = "user"
)

// SubscriptionOwner is whom a caller's subscriptions belong to: a rep by
// their rep id (every token of theirs), anyone else by their token's name
// and role ("ops@analyst"): token names are not unique, and an analyst's
// token never shares an admin's subscriptions for bearing its name.
func SubscriptionOwner(c *Caller) (kind, owner string) {
	if c.Role == AccessRep && c.RepID != "" {
		return OwnerRep, c.RepID
	}
	return OwnerUser, c.Name + "@" + string(c.Role)
}

// ExternalSignalKinds are the kinds a subscription can follow: what comes
// from outside (tenders, awards, customs, forums, registries, news), not our
// own CRM, ERP, service desk or website.
var ExternalSignalKinds = []SignalKind{
	SignalTender, SignalAward, SignalProcurementIntent, SignalCustoms, SignalForumPost,
	SignalExecChange, SignalFunding, SignalCompanyChange,
}

// IsExternal reports whether a signal of kind k at trust t is one
// subscriptions follow: an external kind from a source other than our own
// systems of record (L1).
func IsExternal(k SignalKind, t TrustLevel) bool {
	return t != TrustL1 && slices.Contains(ExternalSignalKinds, k)
}

// Bounds on a subscription. Keywords reuse the full-text search's bounds
// (graph.MaxSearchChars, graph.MaxSearchTerms), which the root package
// repeats as numbers: a keyword is at most as long as a search, and a
// subscription holds at most as many keywords as a search holds words.
const (
	MaxSubscriptionName   = 100
	MaxKeywordChars       = 200 // = graph.MaxSearchChars
	MaxKeywords           = 32  // = graph.MaxSearchTerms
	MaxSubscriptionValues = 100 // industries, regions or customers in one subscription
	MaxSubscriptions      = 50  // per owner: the feed matches each one against every signal it reads
)

// Normalize trims the criteria's values, drops repeats and validates them:
// EINVALID naming the first bad field (name, kinds[1], keywords[0], …), or
// "input" when no criterion is given.
func (s *SubscriptionInput) Normalize() error {
	s.Name = strings.TrimSpace(s.Name)
	switch n := utf8.RuneCountInString(s.Name); {
	case n == 0:
		return FieldError("name", "required")
	case n > MaxSubscriptionName:
		return FieldError("name", "at most %d characters, got %d", MaxSubscriptionName, n)
	}
	var kinds []SignalKind
	for i, k := range s.Kinds {
		if !k.Valid() {
			return FieldError("kinds["+strconv.Itoa(i)+"]", "unknown signal kind %q", k)
		}
		if !slices.Contains(ExternalSignalKinds, k) {
			return FieldError("kinds["+strconv.Itoa(i)+"]", "%s is one of our own systems' signals; subscriptions follow external ones: %s",
				strings.ToUpper(string(k)), kindList(ExternalSignalKinds))
		}
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	s.Kinds = kinds
	var trust []TrustLevel
	for i, t := range s.Trust {
		switch {
		case !t.Valid():
			return FieldError("trust["+strconv.Itoa(i)+"]", "trust level must be 1, 2 or 3, got %d", t)
		case t == TrustL1:
			return FieldError("trust["+strconv.Itoa(i)+"]", "L1 is our own systems of record; subscriptions follow external signals (L2, L3)")
		}
		if !slices.Contains(trust, t) {
			trust = append(trust, t)
		}
	}
	s.Trust = trust
	var err error
	if s.Industries, err = cleanValues("industries", s.Industries, MaxSubscriptionValues, MaxKeywordChars); err != nil {
		return err
	}
	if s.Regions, err = cleanValues("regions", s.Regions, MaxSubscriptionValues, MaxKeywordChars); err != nil {
		return err
	}
	if s.CustomerIDs, err = cleanValues("customerIds", s.CustomerIDs, MaxSubscriptionValues, MaxKeywordChars); err != nil {
		return err
	}
	if s.Keywords, err = cleanValues("keywords", s.Keywords, MaxKeywords, MaxKeywordChars); err != nil {
		return err
	}
	for i, k := range s.Keywords {
		if strings.IndexFunc(k, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) < 0 {
			return FieldError("keywords["+strconv.Itoa(i)+"]", "%q has no letter or digit", k)
		}
	}
	if len(s.Kinds)+len(s.Trust)+len(s.Industries)+len(s.Regions)+len(s.CustomerIDs)+len(s.Keywords) == 0 {
		return FieldError("input", "an empty subscription would follow every external signal: give at least one of kinds, industries, regions, keywords, customerIds, trust")
	}
	return nil
}

// cleanValues trims values, drops repeats (any case) and checks their count
// and length: EINVALID on field[i] for an empty or overlong value, on field
// for too many.
func cleanValues(field string, values []string, most, chars int) ([]string, error) {
	if len(values) > most {
		return nil, FieldError(field, "at most %d, got %d", most, len(values))
	}
	var out []string
	for i, v := range values {
		v = strings.TrimSpace(v)
		switch n := utf8.RuneCountInString(v); {
		case n == 0:
			return nil, FieldError(field+"["+strconv.Itoa(i)+"]", "empty")
		case n > chars:
			return nil, FieldError(field+"["+strconv.Itoa(i)+"]", "at most %d characters, got %d", chars, n)
		}
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, v) }) {
			out = append(out, v)
		}
	}
	return out, nil
}

func kindList(kinds []SignalKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = strings.ToUpper(string(k))
	}
	return strings.Join(names, ", ")
}

// FeedEntry is one external signal that matches some of a caller's
// subscriptions.
type FeedEntry struct {
	Signal Signal `json:"signal"`
	// Customers are the organisations the signal names (about, winner,
	// supplier): names only, never people.
	Customers       []FeedCustomer `json:"customers"`
	SubscriptionIDs []string       `json:"subscriptionIds"`
	// OwnCustomer is true when the signal names a customer the caller owns.
	OwnCustomer bool   `json:"ownCustomer"`
	Unread      bool   `json:"unread"`
	Cursor      string `json:"cursor"`
}

// FeedCustomer is an organisation a feed entry names.
type FeedCustomer struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Region   string `json:"region,omitempty"`
	Industry string `json:"industry,omitempty"`
	Role     string `json:"role"` // about, winner or supplier
	Own      bool   `json:"own"`  // the caller owns it
}

// Feed is a page of a caller's feed with its counts.
type Feed struct {
	Entries []FeedEntry `json:"entries"`
	HasNext bool        `json:"hasNext"`
	// Matches is how many entries the feed holds across its pages; Unread
	// and UnreadOwn how many of them are unread, and unread naming a
	// customer the caller owns.
	Matches   int `json:"matches"`
	Unread    int `json:"unread"`
	UnreadOwn int `json:"unreadOwn"`
	// WindowStart is the earliest arrival the feed looked at; Truncated
	// says the scan's cap stopped it before reaching the window's start.
	WindowStart time.Time `json:"windowStart"`
	// AsOf is when the feed was read: marking it read up to AsOf leaves
	// what arrived since unread.
	AsOf      time.Time `json:"asOf"`
	Scanned   int       `json:"scanned"`
	Truncated bool      `json:"truncated"`
}

// FeedQuery says which part of a feed to read.
type FeedQuery struct {
	Owner, OwnerKind string
	RepID            string    // the caller's rep id: entries naming their customers are marked own
	SubscriptionID   string    // one of the owner's subscriptions; empty: all of them
	Since            time.Time // arrivals after it; zero: after each subscription's read mark
	First            int
	After            string
	Scan             int // how many of the newest arrivals to read; 0: the store's cap
}
