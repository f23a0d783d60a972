package resolvers

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/graph"
)

// Options bound what one request may cost.
type Options struct {
	MaxComplexity int           // default 5000
	MaxDepth      int           // default 8
	Timeout       time.Duration // default 15s
	// MaxInFlight bounds the requests executed at once; the rest wait their
	// turn, first come first served, within Timeout. Under load this keeps
	// the tail short: some requests run at full speed instead of all at a
	// crawl. Default 16 × GOMAXPROCS; negative: no bound. (With Neo4j on the
	// same two cores, 8 halved the p99 at 64 clients: docs/BENCHMARKS.md.)
	MaxInFlight int
	// IDE, when set, answers a browser's GET for the page (Accept:
	// text/html, no query): GraphiQL, from the web app's assets.
	IDE http.Handler
}

// NewHandler returns the GraphQL endpoint: every request authenticated by
// its bearer token, limited in depth, complexity and time, with errors that
// carry a code.
func NewHandler(r *Resolver, opts Options) http.Handler {
	if opts.MaxComplexity <= 0 {
		opts.MaxComplexity = 5000
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 8
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 15 * time.Second
	}
	cfg := Config{Resolvers: r}
	// A list costs its page size times what each element costs.
	listCost := func(child int, first *int) int {
		n := 50
		if first != nil {
			n = min(max(*first, 1), 500) // out-of-range sizes fail validation with a clearer error
		}
		return 1 + n*child
	}
	cfg.Complexity.Query.Customers = func(child int, _ *valuegraph.CustomerFilter, _ *valuegraph.CustomerOrder, first *int, _ *string) int {
		return listCost(child, first)
	}
	cfg.Complexity.Query.Search = func(child int, _ string, _ []EntityKind, first *int) int { return listCost(child, first) }
	cfg.Complexity.Query.ReviewQueue = func(child int, _ *ReviewStatus, first *int) int { return listCost(child, first) }
	cfg.Complexity.Query.Alerts = func(child int, _ *valuegraph.AlertFilter, first *int, _ *string) int { return listCost(child, first) }
	cfg.Complexity.Customer.Signals = func(child int, first *int) int { return listCost(child, first) }
	cfg.Complexity.Customer.History = func(child int, _ *time.Time, first *int) int { return listCost(child, first) }
	cfg.Complexity.Customer.Feedback = func(child int, first *int) int { return listCost(child, first) }
	cfg.Complexity.Customer.Competitors = func(child int, first *int) int { return listCost(child, first) }
	cfg.Complexity.Customer.Needs = func(child int, first *int) int { return listCost(child, first) }
	cfg.Complexity.Customer.People = func(child int) int { return 1 + 20*child }
	cfg.Complexity.Query.Signals = func(child int, _ string, _ []valuegraph.SignalKind, _ *time.Time, first *int) int {
		return listCost(child, first)
	}
	cfg.Complexity.Query.Feed = func(child int, first *int, _ *string, _ *string, _ *time.Time) int { return listCost(child, first) }
	cfg.Complexity.Query.CompetitorFootprint = func(child int, _ string, first *int) int { return listCost(child, first) }
	cfg.Complexity.Query.CustomersSharingNeed = func(child int, _ string, first *int) int { return listCost(child, first) }
	cfg.Complexity.Query.Paths = func(child int, _, _ string, _, first *int) int { return listCost(child, first) }
	cfg.Complexity.Query.Neighbourhood = func(child int, _ string, _ *int, _ []NodeKind, first *int) int { return listCost(child, first) }

	srv := handler.New(NewExecutableSchema(cfg))
	// Bounds on the document before anything is cached, parsed or
	// validated (validation costs time quadratic in the selections of one
	// field): its size first, then its tokens as the parser reads them.
	srv.Use(documentLimit{maxBytes: maxDocument})
	srv.SetParserTokenLimit(maxTokens)
	// Clients send the same few documents again and again: parse and
	// validate each once.
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	// Automatic persisted queries (Apollo's protocol): a client may send a
	// document's SHA-256 instead of the document once the server has it.
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.Use(extension.Introspection{})
	srv.Use(depthLimit{max: opts.MaxDepth})
	srv.Use(extension.FixedComplexityLimit(opts.MaxComplexity))
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		var ve *valuegraph.Error
		if errors.Is(err, context.DeadlineExceeded) && !errors.As(err, &ve) {
			gerr.Message = "the request ran out of time"
			gerr.Extensions = map[string]any{"code": "TIMEOUT"}
			return gerr
		}
		if !errors.As(err, &ve) {
			if (gerr.Extensions == nil || gerr.Extensions["code"] == nil) && len(gerr.Path) == 0 {
				// Raised before any field ran (a body that is not JSON, a
				// persisted query's hash that does not match): the request's
				// fault, which gqlgen leaves without a code.
				gerr.Extensions = map[string]any{"code": "BAD_USER_INPUT"}
				return gerr
			}
			if gerr.Extensions == nil || gerr.Extensions["code"] == nil {
				if r.Logger != nil {
					r.Logger.Error("graphql internal error", "path", gerr.Path.String(), "err", err)
				}
				gerr.Message = "internal error"
				gerr.Extensions = map[string]any{"code": "INTERNAL"}
			}
			return gerr
		}
		if ve.Code == valuegraph.EINTERNAL && r.Logger != nil {
			r.Logger.Error("graphql internal error", "path", gerr.Path.String(), "err", err)
		}
		gerr.Message = valuegraph.ErrorMessage(err)
		gerr.Extensions = map[string]any{"code": valuegraph.APICode(ve.Code)}
		if ve.Field != "" {
			gerr.Extensions["field"] = ve.Field
		}
		return gerr
	})
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		if r.Logger != nil {
			r.Logger.Error("graphql panic", "panic", p)
		}
		return valuegraph.Errorf(valuegraph.EINTERNAL, "internal error")
	})
	api := compress(serverTiming(jsonBodies(limitBody(maxBody, authenticate(r, withLoaders(r.Graph, inFlight(opts.MaxInFlight, opts.Timeout, deadline(opts.Timeout, srv))))))))
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		// A browser asking for the page gets the IDE; it holds no data, and
		// every query it sends is authenticated as any other.
		if opts.IDE != nil && req.Method == http.MethodGet && strings.Contains(req.Header.Get("Accept"), "text/html") && req.URL.Query().Get("query") == "" {
			opts.IDE.ServeHTTP(w, req)
			return
		}
		api.ServeHTTP(w, req)
	})
}

// authenticate puts the caller of a valid API token in the request's
// context, or answers with an UNAUTHENTICATED (or UNAVAILABLE) error. The
// token comes in a Bearer header or, from a browser signed in to the web
// app, in the session cookie; a cookie-authenticated request that changes
// something must come from this server's own pages (FORBIDDEN otherwise).
func authenticate(r *Resolver, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		secret, fromCookie := credentials(req)
		if secret == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="valuegraph"`)
			writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "an API token is required: Authorization: Bearer <token>, or sign in to the web app")
			return
		}
		if crossSiteRefused(w, req, fromCookie) {
			return
		}
		caller, err := r.Graph.Authenticate(req.Context(), secret)
		code := valuegraph.ErrorCode(err)
		switch code {
		case "":
			next.ServeHTTP(w, req.WithContext(valuegraph.WithCaller(req.Context(), caller)))
			return
		case valuegraph.EUNAUTHORIZED:
			writeError(w, valuegraph.HTTPStatus(code), valuegraph.APICode(code), valuegraph.ErrorMessage(err))
		case valuegraph.EUNAVAILABLE:
			writeError(w, valuegraph.HTTPStatus(code), valuegraph.APICode(code), "the graph database is unavailable; try again shortly")
		default:
			if r.Logger != nil {
				r.Logger.Error("authenticate", "err", err)
			}
			writeError(w, http.StatusInternalServerError, "INTERNAL", "internal error")
		}
	})
}

// writeError answers an error outside GraphQL's execution in the one shape
// every endpoint uses (valuegraph.ErrorBody); apiCode as valuegraph.APICode
// gives it.
func writeError(w http.ResponseWriter, status int, apiCode, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(valuegraph.NewErrorBody(apiCode, msg, ""))
}

// depthLimit rejects operations nested deeper than max, and those that
// @defer a fragment: the API answers in one JSON document (application/json
// over POST or GET), which has no room for the later parts a deferred
// fragment is sent in, so they would be lost without a word.
type depthLimit struct{ max int }

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := selectionWalk{frags: oc.Doc.Fragments}
	depth := w.depth(oc.Operation.SelectionSet, 0)
	if w.deferred != nil {
		err := gqlerror.ErrorPosf(w.deferred, "@defer is not supported: the API answers in one JSON document; drop the directive and the fragment comes in it")
		err.Extensions = map[string]any{"code": "BAD_USER_INPUT"}
		return err
	}
	if depth > d.max {
		err := gqlerror.Errorf("operation is nested %d levels deep, more than the %d allowed", depth, d.max)
		err.Extensions = map[string]any{"code": "QUERY_TOO_DEEP"}
		return err
	}
	return nil
}

// selectionWalk measures how deep an operation's selections nest and notes
// where one defers a fragment.
type selectionWalk struct {
	frags    ast.FragmentDefinitionList
	deferred *ast.Position
}

func (w *selectionWalk) depth(set ast.SelectionSet, seen int) int {
	if seen > 64 {
		return seen // cyclic fragments are rejected by validation; stop anyway
	}
	deepest := seen
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue // introspection is bounded by the schema
			}
			d := seen + 1
			if len(s.SelectionSet) > 0 {
				d = w.depth(s.SelectionSet, seen+1)
			}
			deepest = max(deepest, d)
		case *ast.InlineFragment:
			w.noteDefer(s.Directives)
			deepest = max(deepest, w.depth(s.SelectionSet, seen))
		case *ast.FragmentSpread:
			w.noteDefer(s.Directives)
			if f := w.frags.ForName(s.Name); f != nil {
				deepest = max(deepest, w.depth(f.SelectionSet, seen))
			}
		}
	}
	return deepest
}

func (w *selectionWalk) noteDefer(directives ast.DirectiveList) {
	if d := directives.ForName("defer"); d != nil && w.deferred == nil {
		w.deferred = d.Position
	}
}

// AdminOnly guards a handler meant for a browser (the job monitor): HTTP
// basic auth whose password is an admin API token (the user name is not
// checked), a bearer admin token, or the web app's session of an admin
// (held to the same-origin rule for what is not a GET).
func AdminOnly(r *Resolver, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		secret, ok := valuegraph.BearerToken(req.Header.Get("Authorization"))
		if !ok {
			_, secret, ok = req.BasicAuth()
		}
		if !ok {
			var fromCookie bool
			if secret, fromCookie = credentials(req); fromCookie {
				if crossSiteRefused(w, req, true) {
					return
				}
				ok = true
			}
		}
		if !ok || secret == "" {
			w.Header().Set("WWW-Authenticate", `Basic realm="valuegraph admin (password: an admin API token)"`)
			writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "an admin API token is required")
			return
		}
		caller, err := r.Graph.Authenticate(req.Context(), secret)
		switch {
		case valuegraph.ErrorCode(err) == valuegraph.EUNAVAILABLE:
			writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "the graph database is unavailable")
		case err != nil:
			w.Header().Set("WWW-Authenticate", `Basic realm="valuegraph admin (password: an admin API token)"`)
			writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", valuegraph.ErrorMessage(err))
		case caller.Role != valuegraph.AccessAdmin:
			writeError(w, http.StatusForbidden, "FORBIDDEN", "admins only")
		default:
			next.ServeHTTP(w, req.WithContext(valuegraph.WithCaller(req.Context(), caller)))
		}
	})
}

// deadline gives each request timeout to run in. Resolvers pass the
// request's context on; the store makes its deadline Neo4j's transaction
// timeout, so a slow query is stopped and its field answers TIMEOUT, with
// what was done in time still in the answer. (http.TimeoutHandler would
// answer on the dot, but at the cost of a goroutine and a copy of every
// answer, and with nothing of what was done.)
func deadline(timeout time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), timeout)
		defer cancel()
		if ctx.Err() != nil {
			// gqlgen runs nothing for a request whose context has ended.
			writeError(w, http.StatusServiceUnavailable, "TIMEOUT", "the request ran out of time before it could run; try again shortly")
			return
		}
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// The largest document the API takes, in bytes and in tokens. The biggest
// real ones (a whole brief with fragments, GraphiQL's introspection query)
// are a few kilobytes and under a thousand tokens; 4,000 tokens bound the
// validation of repeated fields to a fraction of a second.
const (
	maxDocument = 64 << 10
	maxTokens   = 4000
)

// documentLimit refuses a document over maxBytes before anything else sees
// it: the persisted-query cache, the parser, the validation.
type documentLimit struct{ maxBytes int }

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = documentLimit{}

func (documentLimit) ExtensionName() string                   { return "DocumentLimit" }
func (documentLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d documentLimit) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if len(p.Query) <= d.maxBytes {
		return nil
	}
	err := gqlerror.Errorf("the query document is %d bytes, over the limit of %d", len(p.Query), d.maxBytes)
	err.Extensions = map[string]any{"code": "BAD_USER_INPUT"}
	p.Query = "" // nothing of it is kept
	return err
}

// jsonBodies answers a POST whose body is not JSON (a form, a multipart
// upload) with 415 and a code, as every other refusal has: gqlgen answers
// a transport it does not serve without one.
func jsonBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPost {
			mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
			if err != nil || (mt != "application/json" && mt != "application/graphql-response+json") {
				writeError(w, http.StatusUnsupportedMediaType, "BAD_USER_INPUT", "POST a JSON body: Content-Type: application/json")
				return
			}
			// One operation per request: an array (a batch) would fail in
			// gqlgen's decoder with a message naming a Go type.
			br := bufio.NewReader(req.Body)
			head, _ := br.Peek(512)
			if trimmed := bytes.TrimLeft(head, " \t\r\n"); len(trimmed) > 0 && trimmed[0] != '{' {
				writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", `the body must be one JSON object, {"query": ..., "variables": {...}}: batches of operations are not taken`)
				return
			}
			req.Body = struct {
				io.Reader
				io.Closer
			}{br, req.Body}
		}
		next.ServeHTTP(w, req)
	})
}

// maxBody bounds a request's body: the largest real request, a page of
// feedback or a webhook push, is a few hundred kilobytes.
const maxBody = 16 << 20

// limitBody answers 413 for a body over limit bytes, before anything reads it.
func limitBody(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.ContentLength > limit {
			writeError(w, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT", fmt.Sprintf("the request body is more than %d MiB", limit>>20))
			return
		}
		req.Body = http.MaxBytesReader(w, req.Body, limit)
		next.ServeHTTP(w, req)
	})
}

// compress gzips answers of more than 16 KiB for clients that accept it: a
// page of 500 customers runs to hundreds of kilobytes of JSON, which gzip
// shrinks about tenfold, while a brief (a few kilobytes) is not worth the
// CPU on a server that shares its cores with Neo4j.
func compress(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(16<<10), gzhttp.CompressionLevel(gzip.BestSpeed))
	if err != nil {
		panic(err) // the options are constants
	}
	return wrap(next)
}

// inFlight runs at most n requests at once; the others queue (FIFO: Go
// channels serve waiting senders in order) for up to wait, then get 503.
func inFlight(n int, wait time.Duration, next http.Handler) http.Handler {
	if n == 0 {
		n = 16 * runtime.GOMAXPROCS(0)
	}
	if n < 0 {
		return next
	}
	slots := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		// The body is read before a slot is taken, within wait: a client
		// sending its body slowly (by accident or to tie the server up)
		// spends its own time, not a slot others wait for.
		if req.Method == http.MethodPost && req.Body != nil {
			rc := http.NewResponseController(w)
			_ = rc.SetReadDeadline(time.Now().Add(wait))
			body, err := io.ReadAll(req.Body)
			if err != nil {
				// The deadline stays passed, so the server does not wait on
				// the rest of the body either before it answers and closes.
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					writeError(w, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT", fmt.Sprintf("the request body is more than %d MiB", tooBig.Limit>>20))
					return
				}
				writeError(w, http.StatusRequestTimeout, "TIMEOUT", fmt.Sprintf("the request body did not arrive within %v", wait))
				return
			}
			_ = rc.SetReadDeadline(time.Time{})
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case slots <- struct{}{}:
		case <-req.Context().Done():
			return
		case <-timer.C:
			writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "the server is busy; try again shortly")
			return
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, req)
	})
}

// serverTiming answers every API request with a Server-Timing header: the
// time spent in Neo4j (n: in how many queries) and in all, which browser
// developer tools show and load tests read to tell our time from the
// database's.
func serverTiming(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, db := graph.WithDBTime(req.Context())
		tw := &timingWriter{ResponseWriter: w, start: time.Now(), db: db}
		next.ServeHTTP(tw, req.WithContext(ctx))
	})
}

type timingWriter struct {
	http.ResponseWriter
	start   time.Time
	db      *graph.DBTime
	stamped bool
}

func (w *timingWriter) stamp() {
	if w.stamped {
		return
	}
	w.stamped = true
	d, n := w.db.Total()
	w.Header().Set("Server-Timing", fmt.Sprintf(`db;desc="Neo4j n=%d";dur=%.2f, total;dur=%.2f`,
		n, float64(d.Microseconds())/1000, float64(time.Since(w.start).Microseconds())/1000))
}

// Unwrap lets http.ResponseController reach the connection (read deadlines).
func (w *timingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *timingWriter) WriteHeader(code int) {
	w.stamp()
	w.ResponseWriter.WriteHeader(code)
}

func (w *timingWriter) Write(b []byte) (int, error) {
	w.stamp()
	return w.ResponseWriter.Write(b)
}
