package web_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/valuegraph/valuegraph/web"
)

func TestHandler(t *testing.T) {
	index, err := fs.ReadFile(web.FS(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	h := web.Handler("/graphql", "/briefs/", "/v1/")
	serve := func(method, path string, headers ...string) *http.Response {
		req := httptest.NewRequest(method, path, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}
	body := func(res *http.Response) string {
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}

	for _, tc := range []struct {
		name, path, contentType string
		want                    string // a part of the body
	}{
		{"Root", "/", "text/html", `<script defer src="/app.js">`},
		{"IndexByName", "/index.html", "text/html", `<main id="main"`},
		{"AppPath", "/customers/demo-c-huaxin", "text/html", `<script defer src="/app.js">`},
		{"SignIn", "/signin?next=/", "text/html", `<script defer src="/app.js">`},
		{"Script", "/app.js", "text/javascript", "/graphql"},
		{"Style", "/app.css", "text/css", "@media print"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := serve("GET", tc.path)
			b := body(res)
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), tc.contentType) || !strings.Contains(b, tc.want) {
				t.Fatalf("%d %q %.200s", res.StatusCode, res.Header.Get("Content-Type"), b)
			}
			if strings.HasPrefix(tc.contentType, "text/html") {
				if b != string(index) {
					t.Errorf("not the embedded index.html")
				}
				if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
					t.Errorf("CSP %q", csp)
				}
			}
		})
	}
	t.Run("NoCDN", func(t *testing.T) {
		// Everything the app loads comes from the binary. The SVG
		// namespace is a name, never fetched. (The minified libraries hold
		// URLs in their error messages and docs strings; they load none.)
		for _, name := range []string{"index.html", "app.css", "app.js", "graphiql.html"} {
			b, _ := fs.ReadFile(web.FS(), name)
			text := strings.ReplaceAll(string(b), `"http://www.w3.org/2000/svg"`, "")
			for _, external := range []string{"https://", "http://", "//cdn"} {
				if strings.Contains(text, external) {
					t.Errorf("%s refers to %q", name, external)
				}
			}
		}
	})
	t.Run("ServerPathsAreNotTheApp", func(t *testing.T) {
		for _, path := range []string{"/graphql", "/graphql/x", "/briefs/", "/briefs/x.md", "/v1/webhooks/signals"} {
			if res := serve("GET", path); res.StatusCode != 404 {
				t.Errorf("%s: %d", path, res.StatusCode)
			}
		}
		// A prefix is a path segment, not a string prefix.
		if res := serve("GET", "/graphqlish"); res.StatusCode != 200 {
			t.Errorf("/graphqlish: %d", res.StatusCode)
		}
	})
	t.Run("Revalidates", func(t *testing.T) {
		res := serve("GET", "/app.js")
		etag := res.Header.Get("ETag")
		if etag == "" || res.Header.Get("Cache-Control") != "no-cache" {
			t.Fatalf("ETag %q, Cache-Control %q", etag, res.Header.Get("Cache-Control"))
		}
		if res := serve("GET", "/app.js", "If-None-Match", etag); res.StatusCode != 304 {
			t.Errorf("If-None-Match: %d", res.StatusCode)
		}
	})
	t.Run("ReadOnly", func(t *testing.T) {
		if res := serve("POST", "/"); res.StatusCode != 405 {
			t.Errorf("POST /: %d", res.StatusCode)
		}
	})
}
