package resolvers_test

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph/resolvers"
)

// sessionServer serves what a browser signed in to the web app uses: the
// sign-in and sign-out endpoints, the API and the Markdown brief.
func sessionServer(t *testing.T, f *fixture) *httptest.Server {
	t.Helper()
	r := &resolvers.Resolver{Graph: f.store, Scorer: f.scorer, ModelKind: f.ns + "models"}
	mux := http.NewServeMux()
	mux.Handle("/graphql", resolvers.NewHandler(r, resolvers.Options{}))
	mux.Handle("GET /briefs/{file}", resolvers.NewBriefHandler(r))
	mux.Handle("POST /session", resolvers.NewSignIn(r))
	mux.Handle("DELETE /session", resolvers.NewSignOut())
	mux.Handle("POST /session/logout", resolvers.NewSignOut())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// browserRequest is a request as a browser sends it: headers given as
// name/value pairs (Origin, Sec-Fetch-Site, X-Requested-With, Cookie).
func browserRequest(t *testing.T, method, u, contentType, body string, headers ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func sessionCookieOf(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == resolvers.SessionCookie {
			return c
		}
	}
	return nil
}

func TestSessionSignIn(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	srv := sessionServer(t, f)
	token := f.tokens["analyst"]

	t.Run("GoodTokenJSON", func(t *testing.T) {
		res := browserRequest(t, "POST", srv.URL+"/session", "application/json", `{"token": "`+token+`"}`, "Origin", srv.URL)
		var viewer struct{ Name, Role string }
		if err := json.NewDecoder(res.Body).Decode(&viewer); err != nil || res.StatusCode != 200 {
			t.Fatalf("%d %v", res.StatusCode, err)
		}
		if viewer.Name != f.ns+"analyst" || viewer.Role != "ANALYST" {
			t.Errorf("viewer %+v", viewer)
		}
		c := sessionCookieOf(res)
		if c == nil {
			t.Fatalf("no session cookie: %v", res.Header["Set-Cookie"])
		}
		if c.Value != token || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.MaxAge <= 0 {
			t.Errorf("cookie %+v: want the token, HttpOnly, SameSite=Strict, Path=/, a lifetime", c)
		}
		if c.Secure {
			t.Errorf("Secure over plain HTTP: the browser would drop it (the local demo)")
		}
	})
	t.Run("GoodTokenForm", func(t *testing.T) {
		res := browserRequest(t, "POST", srv.URL+"/session", "application/x-www-form-urlencoded", url.Values{"token": {token}}.Encode(), "Sec-Fetch-Site", "same-origin")
		if res.StatusCode != 200 || sessionCookieOf(res) == nil {
			t.Errorf("%d, cookie %v", res.StatusCode, sessionCookieOf(res))
		}
	})
	t.Run("BadToken", func(t *testing.T) {
		for _, bad := range []string{"vg_nope", "", "not-a-token"} {
			res := browserRequest(t, "POST", srv.URL+"/session", "application/json", `{"token": "`+bad+`"}`, "X-Requested-With", "valuegraph-web")
			var body gqlResponse
			_ = json.NewDecoder(res.Body).Decode(&body)
			if res.StatusCode != 401 || body.code() != "UNAUTHENTICATED" || sessionCookieOf(res) != nil {
				t.Errorf("%q: %d %q, cookie %v", bad, res.StatusCode, body.code(), sessionCookieOf(res))
			}
		}
	})
	t.Run("CrossSiteRefused", func(t *testing.T) {
		// Another site must not sign a browser in with a token of its
		// choosing (login CSRF).
		res := browserRequest(t, "POST", srv.URL+"/session", "application/x-www-form-urlencoded", "token="+token, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		if res.StatusCode != 403 || sessionCookieOf(res) != nil {
			t.Errorf("%d, cookie %v", res.StatusCode, sessionCookieOf(res))
		}
	})
	t.Run("SecureUnderTLS", func(t *testing.T) {
		h := resolvers.NewSignIn(&resolvers.Resolver{Graph: f.store})
		for name, tweak := range map[string]func(*http.Request){
			"tls":   func(r *http.Request) { r.TLS = &tls.ConnectionState{} },
			"proxy": func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "https") },
		} {
			req := httptest.NewRequest("POST", "https://vg.example/session", strings.NewReader(`{"token": "`+token+`"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Origin", "https://vg.example")
			tweak(req)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			c := sessionCookieOf(rec.Result())
			if rec.Code != 200 || c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				t.Errorf("%s: %d, cookie %+v: want Secure, HttpOnly, SameSite=Strict", name, rec.Code, c)
			}
		}
	})
}

func TestSessionCookieAuthenticates(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	srv := sessionServer(t, f)
	cookie := resolvers.SessionCookie + "=" + f.tokens["analyst"]
	viewer := `{"query": "{ viewer { name role } }"}`
	gqlCall := func(t *testing.T, method, u, body string, headers ...string) (int, gqlResponse) {
		t.Helper()
		res := browserRequest(t, method, u, "application/json", body, append([]string{"Cookie", cookie}, headers...)...)
		var out gqlResponse
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatalf("%d: %v", res.StatusCode, err)
		}
		return res.StatusCode, out
	}

	t.Run("GraphQLFromTheApp", func(t *testing.T) {
		for name, headers := range map[string][]string{
			"XRequestedWith": {"X-Requested-With", "valuegraph-web"},
			"SameOrigin":     {"Origin", srv.URL, "Sec-Fetch-Site", "same-origin"},
			"SecFetchSite":   {"Sec-Fetch-Site", "same-origin"},
			// A proxy in front rewrote Host: the browser's word is final.
			"BehindAProxy": {"Sec-Fetch-Site", "same-origin", "Origin", "https://vg.example.com"},
		} {
			code, res := gqlCall(t, "POST", srv.URL+"/graphql", viewer, headers...)
			if code != 200 || get(res.Data, "viewer", "name") != f.ns+"analyst" {
				t.Errorf("%s: %d %v %+v", name, code, res.Data, res.Errors)
			}
		}
	})
	t.Run("GraphQLGet", func(t *testing.T) {
		// A GET runs no mutation: the cookie suffices, as for a page.
		code, res := gqlCall(t, "GET", srv.URL+"/graphql?query="+url.QueryEscape("{ viewer { role } }"), "")
		if code != 200 || get(res.Data, "viewer", "role") != "ANALYST" {
			t.Errorf("%d %v %+v", code, res.Data, res.Errors)
		}
	})
	t.Run("CrossSitePostRefused", func(t *testing.T) {
		mutation := `{"query": "mutation { assignOwner(customerId: \"x\", repId: \"y\") { id } }"}`
		for name, headers := range map[string][]string{
			"EvilOrigin":          {"Origin", "https://evil.example"},
			"CrossSiteFetch":      {"Sec-Fetch-Site", "cross-site"},
			"SameSiteNotOrigin":   {"Sec-Fetch-Site", "same-site", "X-Requested-With", "x"},
			"EvilOriginWithXRW":   {"Origin", "https://evil.example", "X-Requested-With", "x"},
			"NullOrigin":          {"Origin", "null"},
			"NoSignOfItsOrigin":   {},
			"LookalikeHostOrigin": {"Origin", srv.URL + ".evil.example"},
		} {
			for _, body := range []string{viewer, mutation} {
				code, res := gqlCall(t, "POST", srv.URL+"/graphql", body, headers...)
				if code != 403 || res.code() != "FORBIDDEN" || res.Data != nil {
					t.Errorf("%s: %d %q %v", name, code, res.code(), res.Data)
				}
			}
		}
		// A Bearer header is not sent by a cross-site form: no origin check.
		res := browserRequest(t, "POST", srv.URL+"/graphql", "application/json", viewer, "Authorization", "Bearer "+f.tokens["analyst"], "Origin", "https://tool.example")
		if res.StatusCode != 200 {
			t.Errorf("bearer from another origin: %d", res.StatusCode)
		}
	})
	t.Run("MarkdownBrief", func(t *testing.T) {
		res := browserRequest(t, "GET", srv.URL+"/briefs/"+f.ns+"huaxin.md?lang=en", "", "", "Cookie", cookie)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || !strings.Contains(string(body), "# Pre-visit brief") {
			t.Errorf("%d %.200s", res.StatusCode, body)
		}
	})
	t.Run("BadCookie", func(t *testing.T) {
		res := browserRequest(t, "GET", srv.URL+"/briefs/"+f.ns+"huaxin.md", "", "", "Cookie", resolvers.SessionCookie+"=vg_revoked")
		if res.StatusCode != 401 {
			t.Errorf("%d", res.StatusCode)
		}
	})
}

func TestSessionSignOut(t *testing.T) {
	f := newFixture(t, resolvers.Options{})
	srv := sessionServer(t, f)
	cookie := resolvers.SessionCookie + "=" + f.tokens["rep"]
	for _, tc := range []struct{ name, method, path string }{
		{"Delete", "DELETE", "/session"},
		{"Logout", "POST", "/session/logout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := browserRequest(t, tc.method, srv.URL+tc.path, "", "", "Cookie", cookie, "X-Requested-With", "valuegraph-web")
			c := sessionCookieOf(res)
			if res.StatusCode != 204 || c == nil || c.Value != "" || c.MaxAge >= 0 || !c.HttpOnly {
				t.Errorf("%d, cookie %+v: want it cleared (Max-Age=0)", res.StatusCode, c)
			}
		})
	}
	t.Run("CrossSiteRefused", func(t *testing.T) {
		res := browserRequest(t, "POST", srv.URL+"/session/logout", "", "", "Cookie", cookie, "Origin", "https://evil.example")
		if res.StatusCode != 403 || sessionCookieOf(res) != nil {
			t.Errorf("%d, cookie %v", res.StatusCode, sessionCookieOf(res))
		}
	})
}
