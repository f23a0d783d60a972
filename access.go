package valuegraph

import (
	"context"
	"strings"
	"time"
)

// AccessRole is what an API token may do.
type AccessRole string

const (
	AccessRep     AccessRole = "rep"     // briefs and contact data of the customers they own
	AccessManager AccessRole = "manager" // all customers, drift, their reps' work
	AccessAnalyst AccessRole = "analyst" // the graph without personal contact data
	AccessAdmin   AccessRole = "admin"   // everything, and configuration
)

// Valid reports whether r is a known role.
func (r AccessRole) Valid() bool {
	return r == AccessRep || r == AccessManager || r == AccessAnalyst || r == AccessAdmin
}

// Caller is who an API request comes from, as its token says.
type Caller struct {
	TokenID string
	Name    string
	Role    AccessRole
	RepID   string // for reps
}

// SeesContactData reports whether the caller may read the personal contact
// data of people at a customer owned by ownerID.
func (c *Caller) SeesContactData(ownerID string) bool {
	switch c.Role {
	case AccessAdmin, AccessManager:
		return true
	case AccessRep:
		return c.RepID != "" && c.RepID == ownerID
	}
	return false
}

// Token is an API token as stored: its secret is only ever shown once, at
// creation; the graph keeps a hash.
type Token struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Role      AccessRole `json:"role"`
	RepID     string     `json:"repId,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	RevokedAt time.Time  `json:"revokedAt,omitzero"`
}

type callerKey struct{}

// WithCaller returns a context carrying the caller.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller in ctx, or nil.
func CallerFrom(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey{}).(*Caller)
	return c
}

// BearerToken reads the token of an Authorization header's Bearer scheme,
// whose name is case-insensitive (RFC 7235): "Bearer x", "bearer x".
func BearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
