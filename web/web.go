// Package web holds the web app for reps: its sources (src/, plain modern
// JavaScript and CSS), the bundle esbuild builds from them (dist/, built by
// `make web` and committed, so a Go build needs no Node), and the handler
// that serves the bundle from the binary. The app is one more client of the
// GraphQL API; it has no private API.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed dist
var dist embed.FS

// FS is the built app: index.html, app.js, app.css, the libraries loaded
// apart (cytoscape.js for the explorer) and GraphiQL (graphiql.html, .js, .css).
func FS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is embedded above
	}
	return sub
}

// file is one asset, read once.
type file struct {
	body []byte
	etag string
}

// IDE serves GraphiQL's page (graphiql.html, its script and styles among
// the app's assets): what a browser asking for /graphql gets. It holds no
// data; its queries carry the session cookie or a token typed into it.
func IDE() http.Handler {
	body, err := fs.ReadFile(FS(), "graphiql.html")
	if err != nil {
		panic("web: dist/graphiql.html is missing; run make web")
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", etag)
		h.Set("X-Content-Type-Options", "nosniff")
		// GraphiQL's editor sets style attributes: 'unsafe-inline' for styles only.
		h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Type", "text/html; charset=utf-8")
		http.ServeContent(w, req, "graphiql.html", time.Time{}, bytes.NewReader(body))
	})
}

// Handler serves the app: its assets by name, and index.html for any other
// GET, so that the app's own paths (/customers/…) open from a bookmark or a
// reload. Paths under the prefixes given (the server's other endpoints:
// "/graphql", "/briefs/", …) are not the app's: they answer 404 rather than
// a page, so a mistyped API URL does not come back as HTML.
func Handler(reserved ...string) http.Handler {
	files := map[string]file{}
	err := fs.WalkDir(FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(FS(), name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		files["/"+name] = file{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		panic(err) // the embedded files are readable
	}
	index, ok := files["/index.html"]
	if !ok {
		panic("web: dist/index.html is missing; run make web")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := path.Clean("/" + req.URL.Path)
		for _, r := range reserved {
			r = strings.TrimSuffix(r, "/")
			if p == r || strings.HasPrefix(p, r+"/") {
				http.NotFound(w, req)
				return
			}
		}
		name, f := p, files[p]
		if f.body == nil || p == "/" {
			name, f = "/index.html", index
		}
		h := w.Header()
		// The assets keep their names from build to build: a browser
		// revalidates them (ETag) rather than keeps a stale app.
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", f.etag)
		h.Set("X-Content-Type-Options", "nosniff")
		if name == "/index.html" {
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("X-Frame-Options", "DENY")
		}
		http.ServeContent(w, req, name, time.Time{}, bytes.NewReader(f.body))
	})
}
