package resolvers

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph"
)

// SessionCookie names the cookie a browser signs in with (POST /session).
//
// Its value is the API token itself, not a session id: the cookie is
// HttpOnly, so the app's scripts never read it, and a request with it is
// authenticated exactly as one with the token in a Bearer header. Nothing is
// kept on the server (replicas stay stateless, there is no signing key to
// share or rotate), and revoking the token ends every session made with it
// as fast as it ends the token's API use (within the 10 s a server trusts a
// checked token). The price, a long-lived credential in the browser's cookie
// jar, is bounded by HttpOnly, SameSite=Strict, Secure under TLS and the
// cookie's own lifetime (sessionLifetime).
const SessionCookie = "vg_session"

// sessionLifetime is how long a browser keeps the session: a working week,
// so a rep pastes the token once, not before every visit.
const sessionLifetime = 7 * 24 * time.Hour

// credentials returns the caller's API token: from the Authorization header
// when there is one (it wins), else from the session cookie.
func credentials(req *http.Request) (secret string, fromCookie bool) {
	if h := req.Header.Get("Authorization"); h != "" {
		if secret, ok := valuegraph.BearerToken(h); ok {
			return secret, false
		}
		// "Bearer " with nothing after it (the IDE before a token is
		// typed) is no credential: the cookie may still be one.
		if s := strings.TrimSpace(h); !strings.EqualFold(s, "Bearer") {
			return "", false
		}
	}
	if c, err := req.Cookie(SessionCookie); err == nil && c.Value != "" {
		return c.Value, true
	}
	return "", false
}

// safeMethod: the methods that change nothing (GET /graphql runs no
// mutation), for which a cross-site request cannot do harm.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin reports whether a request was sent by a page of this server,
// which a request authenticated by a cookie must be unless it is safe
// (CSRF). Browsers since 2020-23 say where a request comes from in
// Sec-Fetch-Site, which is then final (and right behind a proxy that
// rewrites Host). Without it, the Origin's host must be the one asked; a
// request with neither must carry X-Requested-With, which a cross-site form
// cannot send and a cross-site script cannot either without a CORS preflight
// that this server never grants. A request with none of them (an old
// browser, or a client that should use a Bearer header) is refused.
func sameOrigin(req *http.Request) bool {
	switch req.Header.Get("Sec-Fetch-Site") {
	case "same-origin":
		return true
	case "":
	default: // cross-site, same-site (a sibling subdomain), none
		return false
	}
	if o := req.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		return err == nil && o != "null" && u.Host != "" && strings.EqualFold(u.Host, req.Host)
	}
	return req.Header.Get("X-Requested-With") != ""
}

// crossSiteRefused answers a cookie-authenticated, unsafe request that does
// not come from this server's pages; it reports whether it did.
func crossSiteRefused(w http.ResponseWriter, req *http.Request, fromCookie bool) bool {
	if !fromCookie || safeMethod(req.Method) || sameOrigin(req) {
		return false
	}
	writeError(w, http.StatusForbidden, "FORBIDDEN", "a cross-site request with the session cookie is refused: send it from the app (same origin, or with X-Requested-With), or authenticate with a Bearer header")
	return true
}

// NewSignIn serves POST /session: the token, in a JSON body ({"token": …})
// or a form (token=…), is checked as the API checks it, and on success set
// as the session cookie. It answers the viewer as JSON ({name, role, repId}),
// or 401 with an UNAUTHENTICATED error. It is held to the same-origin rule
// as cookie requests, so no other site can sign a browser in with a token of
// its choosing (login CSRF).
func NewSignIn(r *Resolver) http.Handler {
	return limitBody(64<<10, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if crossSiteRefused(w, req, true) {
			return
		}
		var secret string
		mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
		switch mt {
		case "application/json":
			var body struct {
				Token string `json:"token"`
			}
			if err := json.NewDecoder(req.Body).Decode(&body); err != nil {
				writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", "the body is not JSON of the form {\"token\": \"vg_…\"}")
				return
			}
			secret = body.Token
		case "application/x-www-form-urlencoded", "multipart/form-data":
			secret = req.FormValue("token")
		default:
			writeError(w, http.StatusUnsupportedMediaType, "BAD_USER_INPUT", "send the token as JSON ({\"token\": …}) or as a form (token=…)")
			return
		}
		secret = strings.TrimSpace(secret)
		if secret == "" {
			writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "an API token is required")
			return
		}
		caller, err := r.Graph.Authenticate(req.Context(), secret)
		if code := valuegraph.ErrorCode(err); code != "" {
			msg := valuegraph.ErrorMessage(err)
			if code == valuegraph.EUNAVAILABLE {
				msg = "the graph database is unavailable; try again shortly"
			} else if code != valuegraph.EUNAUTHORIZED {
				if r.Logger != nil {
					r.Logger.Error("sign in", "err", err)
				}
				code, msg = valuegraph.EINTERNAL, "internal error"
			}
			writeError(w, valuegraph.HTTPStatus(code), valuegraph.APICode(code), msg)
			return
		}
		http.SetCookie(w, sessionCookie(req, secret, sessionLifetime))
		w.Header().Set("Cache-Control", "no-store")
		if mt != "application/json" && strings.Contains(req.Header.Get("Accept"), "text/html") {
			// A browser that posted the form itself (no script): to the app.
			http.Redirect(w, req, "/", http.StatusSeeOther)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		viewer := map[string]any{"name": caller.Name, "role": strings.ToUpper(string(caller.Role)), "repId": nil} // as the viewer query answers
		if caller.RepID != "" {
			viewer["repId"] = caller.RepID
		}
		_ = json.NewEncoder(w).Encode(viewer)
	}))
}

// NewSignOut serves DELETE /session and POST /session/logout: the session
// cookie is cleared (204), whether or not it held a valid token. The token
// itself stays valid: `valuegraph token revoke` ends it.
func NewSignOut() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if crossSiteRefused(w, req, true) {
			return
		}
		http.SetCookie(w, sessionCookie(req, "", -1))
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNoContent)
	})
}

// sessionCookie is the cookie for a token; a negative lifetime deletes it.
// Secure when the request came over TLS (directly, or through a proxy that
// says so), so that a plain-HTTP local demo still works.
func sessionCookie(req *http.Request, value string, lifetime time.Duration) *http.Cookie {
	c := &http.Cookie{
		Name:     SessionCookie,
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
		Secure:   req.TLS != nil || strings.EqualFold(req.Header.Get("X-Forwarded-Proto"), "https"),
	}
	if lifetime < 0 {
		c.MaxAge = -1
	} else {
		c.MaxAge = int(lifetime / time.Second)
	}
	return c
}
