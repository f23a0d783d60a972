package graph

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/valuegraph/valuegraph"
)

// tokenPrefix marks our secrets, so scanners can find leaked ones.
const tokenPrefix = "vg_"

func hashToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

const cypherCreateToken = `
CREATE (t:APIToken {id: $id, hash: $hash, name: $name, role: $role, repId: $repId, createdAt: datetime()})
RETURN t {.*} AS token`

// CreateToken makes an API token and returns it with its secret, which is
// shown this once: only its SHA-256 is stored.
func (s *Store) CreateToken(ctx context.Context, name string, role valuegraph.AccessRole, repID string) (*valuegraph.Token, string, error) {
	switch {
	case strings.TrimSpace(name) == "":
		return nil, "", valuegraph.FieldError("name", "required")
	case !role.Valid():
		return nil, "", valuegraph.FieldError("role", "must be rep, manager, analyst or admin, got %q", role)
	case role == valuegraph.AccessRep && repID == "":
		return nil, "", valuegraph.FieldError("rep", "a rep's token needs the rep's id")
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", err
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	id := "tok-" + hashToken(secret)[:12]
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypherCreateToken,
		map[string]any{"id": id, "hash": hashToken(secret), "name": name, "role": string(role), "repId": nullable(repID)},
		neo4j.EagerResultTransformer, s.write())
	if err != nil {
		return nil, "", formatError("create token", err)
	}
	t := decodeToken(props(res.Records[0].AsMap()).sub("token"))
	return &t, secret, nil
}

const cypherAuthenticate = `
MATCH (t:APIToken {hash: $hash})
WHERE t.revokedAt IS NULL
RETURN t {.*} AS token`

// TokenCacheTTL is how long a server trusts a token it has checked before
// checking it again: a revocation made by another process (the token
// command) takes effect on running servers within it; one made through the
// same store, at once.
const TokenCacheTTL = 10 * time.Second

// tokenCache remembers recently checked tokens by hash, so a busy client
// does not cost a database round trip per request.
type tokenCache struct {
	mu      sync.Mutex
	callers map[string]cachedCaller
}

type cachedCaller struct {
	caller valuegraph.Caller
	until  time.Time
}

func (c *tokenCache) get(hash string) (*valuegraph.Caller, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.callers[hash]
	if !ok || time.Now().After(e.until) {
		return nil, false
	}
	caller := e.caller
	return &caller, true
}

func (c *tokenCache) put(hash string, caller valuegraph.Caller) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.callers == nil || len(c.callers) >= 10_000 {
		c.callers = map[string]cachedCaller{}
	}
	c.callers[hash] = cachedCaller{caller: caller, until: time.Now().Add(TokenCacheTTL)}
}

func (c *tokenCache) forget(tokenID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for h, e := range c.callers {
		if e.caller.TokenID == tokenID {
			delete(c.callers, h)
		}
	}
}

// Authenticate returns the caller a secret belongs to; EUNAUTHORIZED for an
// unknown or revoked secret. Good tokens are remembered for TokenCacheTTL.
func (s *Store) Authenticate(ctx context.Context, secret string) (*valuegraph.Caller, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, valuegraph.Errorf(valuegraph.EUNAUTHORIZED, "not a ValueGraph API token")
	}
	hash := hashToken(secret)
	if c, ok := s.tokens.get(hash); ok {
		return c, nil
	}
	res, err := s.query(ctx, cypherAuthenticate, map[string]any{"hash": hash})
	if err != nil {
		return nil, formatError("authenticate", err)
	}
	if len(res.Records) == 0 {
		return nil, valuegraph.Errorf(valuegraph.EUNAUTHORIZED, "unknown or revoked API token")
	}
	t := decodeToken(props(res.Records[0].AsMap()).sub("token"))
	caller := valuegraph.Caller{TokenID: t.ID, Name: t.Name, Role: t.Role, RepID: t.RepID}
	s.tokens.put(hash, caller)
	return &caller, nil
}

const cypherListTokens = `MATCH (t:APIToken) RETURN t {.*} AS token ORDER BY t.createdAt`

// Tokens lists the API tokens, revoked ones included.
func (s *Store) Tokens(ctx context.Context) ([]valuegraph.Token, error) {
	res, err := s.query(ctx, cypherListTokens, nil)
	if err != nil {
		return nil, formatError("list tokens", err)
	}
	out := make([]valuegraph.Token, 0, len(res.Records))
	for _, rec := range res.Records {
		out = append(out, decodeToken(props(rec.AsMap()).sub("token")))
	}
	return out, nil
}

const cypherRevokeToken = `
MATCH (t:APIToken {id: $id})
SET t.revokedAt = coalesce(t.revokedAt, datetime())
RETURN t.id AS id`

// RevokeToken revokes a token: at once for this store, within
// TokenCacheTTL for servers in other processes; ENOTFOUND when there is none.
func (s *Store) RevokeToken(ctx context.Context, id string) error {
	defer s.tokens.forget(id)
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypherRevokeToken, map[string]any{"id": id}, neo4j.EagerResultTransformer, s.write())
	if err != nil {
		return formatError("revoke token", err)
	}
	if len(res.Records) == 0 {
		return valuegraph.Errorf(valuegraph.ENOTFOUND, "token %q not found", id)
	}
	return nil
}

func decodeToken(p props) valuegraph.Token {
	return valuegraph.Token{ID: p.str("id"), Name: p.str("name"), Role: valuegraph.AccessRole(p.str("role")),
		RepID: p.str("repId"), CreatedAt: p.time("createdAt"), RevokedAt: p.time("revokedAt")}
}
