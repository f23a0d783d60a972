package resolvers

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// postJSON is gqlgen's POST transport (transport.POST: a JSON body, a JSON
// answer) with a cheaper way out. gqlgen writes its answer with
// json.Marshal, which re-validates and compacts the data the executor has
// just written, byte by byte: a few per cent of a brief's CPU on a server
// that shares its cores with Neo4j. Here the data goes out as the executor
// wrote it, and only errors and extensions pass through encoding/json.
// Everything else is as transport.POST does it (the same media types and
// status codes), except that a body is read up to 16 MiB, and one that
// cannot be read or is not JSON gets a BAD_USER_INPUT error with a 4xx
// status (gqlgen's error carried no code, which made it INTERNAL here).
type postJSON struct{}

var _ graphql.Transport = postJSON{}

const (
	mediaJSON         = "application/json"
	mediaGraphQLJSON  = "application/graphql-response+json"
	maxRequestBodyLen = 16 << 20 // a signal's text runs to kilobytes, not megabytes
)

func (postJSON) Supports(r *http.Request) bool {
	if r.Method != http.MethodPost || r.Header.Get("Upgrade") != "" {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mediaType == mediaJSON
}

func (postJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := responseType(r.Header.Get("Accept"))
	w.Header().Set("Content-Type", contentType)
	start := graphql.Now()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBodyLen))
	if err != nil {
		status := http.StatusBadRequest
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
			err = fmt.Errorf("more than %d MiB", tooBig.Limit>>20)
		}
		w.WriteHeader(status)
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{badRequest("could not read the request body: %v", err)}))
		return
	}
	var params graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // as gqlgen: integers in variables keep their precision
	if err := dec.Decode(&params); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{badRequest("the request body is not a GraphQL request in JSON: %v", err)}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	run(w, r, exec, &params, contentType, false)
}

// getJSON is the GET side (the query in the URL: query, operationName,
// variables and extensions as JSON), answered as postJSON answers. GET runs
// queries only, so that a link or a prefetch cannot change anything:
// mutations get 405 with Allow: POST.
type getJSON struct{}

var _ graphql.Transport = getJSON{}

func (getJSON) Supports(r *http.Request) bool {
	return r.Method == http.MethodGet && r.Header.Get("Upgrade") == ""
}

func (getJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := responseType(r.Header.Get("Accept"))
	w.Header().Set("Content-Type", contentType)
	start := graphql.Now()
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{badRequest("the query string cannot be read: %v", err)}))
		return
	}
	params := graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName"), Headers: r.Header}
	for _, p := range []struct {
		name string
		into *map[string]any
	}{{"variables", &params.Variables}, {"extensions", &params.Extensions}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(v))
		dec.UseNumber()
		if err := dec.Decode(p.into); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			writeResponse(w, exec.DispatchError(ctx, gqlerror.List{badRequest("%s: not a JSON object: %v", p.name, err)}))
			return
		}
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	run(w, r, exec, &params, contentType, true)
}

// run executes a decoded request and writes its answer: errors before
// execution with a code and a status, the executor's JSON as it stands,
// gzipped when large and the client accepts it.
func run(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, params *graphql.RawParams, contentType string, queriesOnly bool) {
	ctx := r.Context()
	oc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		for _, err := range opErr {
			// What fails before execution is the request's fault: gqlgen
			// leaves some of these errors (a persisted query's hash that
			// does not match, say) without a code, which would read as ours.
			if err.Extensions["code"] == nil {
				if err.Extensions == nil {
					err.Extensions = map[string]any{}
				}
				err.Extensions["code"] = "BAD_USER_INPUT"
			}
		}
		status := http.StatusOK
		if errcode.GetErrorKind(opErr) == errcode.KindProtocol {
			status = http.StatusUnprocessableEntity
			if contentType == mediaGraphQLJSON {
				status = http.StatusBadRequest
			}
		}
		w.WriteHeader(status)
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, oc), opErr))
		return
	}
	if queriesOnly && oc.Operation != nil && oc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusMethodNotAllowed)
		err := badRequest("GET runs queries only; send a %s with POST", oc.Operation.Operation)
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, oc), gqlerror.List{err}))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	if resp == nil {
		// The executor runs nothing for a request whose context has ended:
		// out of time before it began, or the client has gone.
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			w.WriteHeader(http.StatusServiceUnavailable)
			timeout := gqlerror.Errorf("the request ran out of time before it could run; try again shortly")
			timeout.Extensions = map[string]any{"code": "TIMEOUT"}
			writeResponse(w, &graphql.Response{Errors: gqlerror.List{timeout}})
		}
		return
	}
	if len(resp.Data) >= gzipFrom && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		writeGzipped(w, resp)
		return
	}
	writeResponse(w, resp)
}

// gzipFrom is the size of data above which an answer is compressed for a
// client that accepts gzip: a page of 500 customers runs to hundreds of
// kilobytes of JSON, which gzip shrinks about tenfold, while a brief (a
// few kilobytes) is not worth the CPU on a server that shares its cores.
const gzipFrom = 16 << 10

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

func writeGzipped(w http.ResponseWriter, resp *graphql.Response) {
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Add("Vary", "Accept-Encoding")
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(w)
	writeResponse(zw, resp)
	_ = zw.Close()
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip (and
// does not refuse it with q=0).
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q, found := strings.CutPrefix(strings.TrimSpace(params), "q=")
		if !found {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err != nil || v > 0
	}
	return false
}

func badRequest(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": "BAD_USER_INPUT"}
	return err
}

// responseType picks the answer's media type from the Accept header, as
// transport.POST does: the first of application/json and
// application/graphql-response+json named, application/json by default.
func responseType(accept string) string {
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLJSON:
			return mediaGraphQLJSON
		}
	}
	return mediaJSON
}

// writeResponse writes what json.Marshal(resp) would, errors first, with
// resp.Data as it stands: the executor writes it compact and valid.
func writeResponse(w io.Writer, resp *graphql.Response) {
	out := make([]byte, 0, len(resp.Data)+64)
	out = append(out, '{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			errs = []byte(`[{"message":"the errors could not be encoded","extensions":{"code":"INTERNAL"}}]`)
		}
		out = append(out, `"errors":`...)
		out = append(out, errs...)
		out = append(out, ',')
	}
	out = append(out, `"data":`...)
	if len(resp.Data) == 0 {
		out = append(out, "null"...)
	} else {
		out = append(out, resp.Data...)
	}
	if resp.Label != "" || len(resp.Path) > 0 || resp.HasNext != nil || len(resp.Extensions) > 0 {
		rest, err := json.Marshal(struct {
			Label      string         `json:"label,omitempty"`
			Path       ast.Path       `json:"path,omitempty"`
			HasNext    *bool          `json:"hasNext,omitempty"`
			Extensions map[string]any `json:"extensions,omitempty"`
		}{resp.Label, resp.Path, resp.HasNext, resp.Extensions})
		if err == nil && len(rest) > 2 {
			out = append(out, ',')
			out = append(out, rest[1:len(rest)-1]...)
		}
	}
	out = append(out, '}')
	_, _ = w.Write(out)
}
