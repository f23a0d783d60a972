package ingest

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph"
)

// WebhookPush is the body systems push to the signal webhook; docs/INGEST.md
// documents it field by field.
type WebhookPush struct {
	Source  string          `json:"source"`
	Trust   int             `json:"trust"`
	Signals []WebhookSignal `json:"signals"`
}

// WebhookSignal is one pushed signal.
type WebhookSignal struct {
	ID          string           `json:"id"`
	Kind        string           `json:"kind"`
	OccurredAt  string           `json:"occurredAt"`
	Title       string           `json:"title"`
	Text        string           `json:"text"`
	URL         string           `json:"url"`
	Amount      float64          `json:"amount"`
	Currency    string           `json:"currency"`
	Customer    *WebhookCustomer `json:"customer"`
	Competitors []string         `json:"competitors"`
	Needs       []string         `json:"needs"`
	People      []string         `json:"people"`
}

// WebhookCustomer names the customer a signal is about: by our id, or by
// identifiers and name for resolution.
type WebhookCustomer struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	USCC  string `json:"uscc"`
	CRMID string `json:"crmId"`
}

// WebhookResult is the webhook's answer.
type WebhookResult struct {
	Accepted   int `json:"accepted"`
	Created    int `json:"created"`
	Updated    int `json:"updated"`
	Unchanged  int `json:"unchanged"`
	Incomplete int `json:"incomplete"` // kept with problems, whatever they did
	// RescorePending counts customers whose rescoring waits in the graph's
	// outbox because the job queue (Redis) is down: the signals are
	// written, and the worker enqueues the rescoring once Redis answers.
	RescorePending int `json:"rescorePending"`
	// RescoreDeferred counts customers whose rescoring was neither queued
	// nor kept in the outbox: the nightly rescore takes them.
	RescoreDeferred int               `json:"rescoreDeferred"`
	Rejected        []WebhookRejected `json:"rejected"`
}

// WebhookRejected says which pushed signal was not taken, and why.
type WebhookRejected struct {
	Index int    `json:"index"`
	Field string `json:"field,omitempty"`
	Error string `json:"error"`
}

// Webhook accepts signals pushed as JSON (POST, Authorization: Bearer
// <token>). Good signals are written even when others in the same push are
// rejected; the answer lists each rejected one by index with the reason.
type Webhook struct {
	Graph    Target
	Jobs     Enqueuer // nil: nothing is enqueued
	Resolve  MatchOptions
	Token    string // empty: the webhook answers 503 and says how to enable it
	MaxBytes int64  // default 5 MiB
	Logger   *slog.Logger

	Namespace string // a sandbox, as Writer.Namespace; tests use it
}

// Target is the graph items go to (graph.Store): where the organisations
// they name are resolved and where they are written.
type Target interface {
	Store
	ResolveStore
}

const maxWebhookSignals = 5000

func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.Token == "" {
		webhookError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "webhook disabled: set VALUEGRAPH_WEBHOOK_TOKEN to enable it")
		return
	}
	got, ok := valuegraph.BearerToken(r.Header.Get("Authorization"))
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(h.Token)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="valuegraph"`)
		webhookError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "missing or wrong bearer token")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		webhookError(w, http.StatusUnsupportedMediaType, "BAD_USER_INPUT", "Content-Type must be application/json, got "+ct)
		return
	}
	limit := h.MaxBytes
	if limit <= 0 {
		limit = 5 << 20
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			webhookError(w, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT", fmt.Sprintf("body over %d bytes: split the push", limit))
			return
		}
		webhookError(w, http.StatusBadRequest, "BAD_USER_INPUT", "reading body: "+err.Error())
		return
	}
	push, err := DecodeWebhookPush(body)
	if err != nil {
		webhookError(w, http.StatusBadRequest, "BAD_USER_INPUT", err.Error())
		return
	}
	res, err := h.write(r.Context(), push)
	if err != nil {
		code := valuegraph.HTTPStatus(valuegraph.ErrorCode(err))
		if h.Logger != nil {
			h.Logger.Error("webhook write failed", "source", push.Source, "err", err)
		}
		webhookError(w, code, valuegraph.APICode(valuegraph.ErrorCode(err)), valuegraph.ErrorMessage(err))
		return
	}
	status := http.StatusOK
	switch {
	case res.Accepted == 0 && len(res.Rejected) > 0:
		status = http.StatusUnprocessableEntity
	case res.RescorePending > 0 || res.RescoreDeferred > 0:
		// Written, but the rescoring it asks for is still to come.
		status = http.StatusAccepted
	}
	writeWebhookJSON(w, status, res)
}

// DecodeWebhookPush parses and checks a push; unknown fields are errors, so a
// misspelt field is not silently dropped.
func DecodeWebhookPush(body []byte) (*WebhookPush, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var push WebhookPush
	if err := dec.Decode(&push); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("body is not JSON at byte %d: %v", se.Offset, err)
		case errors.As(err, &te):
			return nil, fmt.Errorf("%s: want %s, got %s", te.Field, te.Type, te.Value)
		}
		return nil, fmt.Errorf("body: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	switch {
	case strings.TrimSpace(push.Source) == "":
		return nil, errors.New("source: required")
	case push.Trust == 0:
		push.Trust = int(valuegraph.TrustL3)
	case !valuegraph.TrustLevel(push.Trust).Valid():
		return nil, fmt.Errorf("trust: must be 1, 2 or 3, got %d", push.Trust)
	}
	if len(push.Signals) == 0 {
		return nil, errors.New("signals: at least one required")
	}
	if len(push.Signals) > maxWebhookSignals {
		return nil, fmt.Errorf("signals: at most %d per push, got %d", maxWebhookSignals, len(push.Signals))
	}
	return &push, nil
}

// write writes the push through a writer of its own (resolvers remember,
// and pushes run concurrently).
func (h *Webhook) write(ctx context.Context, push *WebhookPush) (WebhookResult, error) {
	opts := h.Resolve
	opts.Namespace = h.Namespace
	w := &Writer{Graph: h.Graph, Matcher: NewMatcher(h.Graph, opts), Jobs: h.Jobs, Logger: h.Logger, Namespace: h.Namespace}
	return PushSignals(ctx, w, push)
}

// PushSignals writes signals other systems push: the one path the webhook
// and the addSignal mutation share, so a signal reads the same whichever
// way it came. Bad signals are rejected by index with the field at fault;
// the rest are written.
func PushSignals(ctx context.Context, w *Writer, push *WebhookPush) (WebhookResult, error) {
	res := WebhookResult{Rejected: []WebhookRejected{}}
	var items []Item
	for i, s := range push.Signals {
		it, field, err := webhookItem(push, i, s)
		if err != nil {
			res.Rejected = append(res.Rejected, WebhookRejected{Index: i, Field: field, Error: err.Error()})
			continue
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		return res, nil
	}
	sum, bad, err := w.Write(ctx, items)
	if err != nil {
		return res, err
	}
	for _, e := range bad {
		rej := WebhookRejected{Index: -1, Error: valuegraph.ErrorMessage(e)}
		var ve *valuegraph.Error
		if errors.As(e, &ve) {
			rej.Index, rej.Field, rej.Error = ve.Line, ve.Field, ve.Message // the position is the index
		}
		res.Rejected = append(res.Rejected, rej)
	}
	res.Accepted = len(items) - len(bad)
	res.Created, res.Updated, res.Unchanged, res.Incomplete = sum.Created, sum.Merged, sum.Unchanged, sum.Incomplete
	res.RescorePending, res.RescoreDeferred = sum.Pending, sum.Deferred
	return res, nil
}

func webhookItem(push *WebhookPush, i int, s WebhookSignal) (Item, string, error) {
	if strings.TrimSpace(s.ID) == "" {
		return Item{}, "id", errors.New("required")
	}
	when, err := time.Parse(time.RFC3339, s.OccurredAt)
	if err != nil {
		return Item{}, "occurredAt", fmt.Errorf("%q is not an RFC 3339 time such as 2026-10-02T08:00:00Z", s.OccurredAt)
	}
	sig := valuegraph.Signal{
		ID: push.Source + ":" + s.ID, Kind: valuegraph.SignalKind(s.Kind), Title: Fold(s.Title), Text: s.Text, URL: s.URL,
		Source: push.Source, Trust: valuegraph.TrustLevel(push.Trust), OccurredAt: when.UTC(),
		Amount: s.Amount, Currency: strings.ToUpper(s.Currency),
		CompetitorIDs: s.Competitors, NeedIDs: s.Needs, PersonIDs: s.People,
	}
	if err := sig.Validate(); err != nil {
		var ve *valuegraph.Error
		if errors.As(err, &ve) {
			return Item{}, ve.Field, errors.New(ve.Message)
		}
		return Item{}, "", err
	}
	it := Item{Pos: Position{File: "signals", Line: i}, Signal: &sig}
	c := s.Customer
	switch {
	case c == nil:
		return Item{}, "customer", errors.New("required: {id} or {name, uscc, crmId}")
	case c.ID != "":
		sig.CustomerIDs = []string{c.ID}
	default:
		m := Mention{Name: c.Name, Source: push.Source}
		if c.USCC != "" {
			code, err := USCC(c.USCC)
			if err != nil {
				return Item{}, "customer.uscc", errors.New(valuegraph.ErrorMessage(err))
			}
			m.Identifiers = append(m.Identifiers, valuegraph.Identifier{Scheme: valuegraph.SchemeUSCC, Value: code})
		}
		if c.CRMID != "" {
			m.Identifiers = append(m.Identifiers, valuegraph.Identifier{Scheme: valuegraph.SchemeCRM, Value: c.CRMID})
		}
		if OrgKey(m.Name) == "" && len(m.Identifiers) == 0 {
			return Item{}, "customer", errors.New("give an id, a name, a uscc or a crmId")
		}
		if OrgKey(m.Name) == "" {
			m.Existing = true // identifiers alone cannot make a new customer
		}
		it.About = []Mention{m}
	}
	return it, "", nil
}

// webhookError answers in the one error shape of every endpoint
// (valuegraph.ErrorBody).
func webhookError(w http.ResponseWriter, status int, apiCode, msg string) {
	writeWebhookJSON(w, status, valuegraph.NewErrorBody(apiCode, msg, ""))
}

func writeWebhookJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
