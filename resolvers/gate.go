package resolvers

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/valuegraph/valuegraph"
)

// NewRiskCheckHandler serves POST /api/risk-check for systems without a
// GraphQL client (an ERP's order approval): a JSON body {customerId,
// amount, currency}, authenticated like /graphql, answered by the same
// Gate.Check as the riskCheck query. The answer is the RiskCheck as JSON
// with the evidence its reasons name; errors have the API's body and
// codes, with the HTTP status of valuegraph.HTTPStatus.
func NewRiskCheckHandler(r *Resolver) http.Handler {
	return limitBody(maxRiskCheckBody, authenticate(r, deadline(15*time.Second, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "BAD_USER_INPUT", "POST a JSON body: Content-Type: application/json")
			return
		}
		dec := json.NewDecoder(req.Body)
		dec.DisallowUnknownFields()
		var in struct {
			CustomerID *string  `json:"customerId"`
			Amount     *float64 `json:"amount"`
			Currency   *string  `json:"currency"`
		}
		if err := dec.Decode(&in); err != nil {
			writeAppError(w, r, riskCheckBodyError(err))
			return
		}
		if dec.More() {
			// Two orders in one body would be checked as the first alone.
			writeAppError(w, r, valuegraph.Errorf(valuegraph.EINVALID, "the body must be one JSON object, {customerId, amount, currency}: one order a call"))
			return
		}
		for _, f := range []struct {
			name    string
			missing bool
		}{{"customerId", in.CustomerID == nil}, {"amount", in.Amount == nil}, {"currency", in.Currency == nil}} {
			if f.missing {
				writeAppError(w, r, valuegraph.FieldError(f.name, "required"))
				return
			}
		}
		rc, err := r.gate().Check(req.Context(), valuegraph.RiskCheckRequest{CustomerID: *in.CustomerID, Amount: *in.Amount, Currency: *in.Currency})
		if err != nil {
			writeAppError(w, r, err)
			return
		}
		answer := riskCheckAnswer{RiskCheck: rc, Evidence: []riskEvidence{}}
		var ids []string
		for _, e := range []valuegraph.Explained{rc.Credit, rc.Churn} {
			ids = append(ids, e.SignalIDs()...)
		}
		if len(ids) > 0 {
			sigs, err := r.Graph.Signals(req.Context(), ids)
			if err != nil {
				writeAppError(w, r, err)
				return
			}
			seen := map[string]bool{}
			for _, id := range ids {
				if s, ok := sigs[id]; ok && !seen[id] {
					seen[id] = true
					answer.Evidence = append(answer.Evidence, riskEvidence{ID: s.ID, Kind: s.Kind, Title: s.Title, Source: s.Source,
						Trust: s.Trust, OccurredAt: s.OccurredAt, URL: s.URL})
				}
			}
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(answer)
	}))))
}

// A risk check's body is three fields.
const maxRiskCheckBody = 64 << 10

// riskCheckAnswer is the REST answer: the check, and the signals its
// reasons rest on (by id in each reason's "signals").
type riskCheckAnswer struct {
	*valuegraph.RiskCheck
	Evidence []riskEvidence `json:"evidence"`
}

type riskEvidence struct {
	ID         string                `json:"id"`
	Kind       valuegraph.SignalKind `json:"kind"`
	Title      string                `json:"title,omitempty"`
	Source     string                `json:"source"`
	Trust      valuegraph.TrustLevel `json:"trust"`
	OccurredAt time.Time             `json:"occurredAt"`
	URL        string                `json:"url,omitempty"`
}

func riskCheckBodyError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return valuegraph.Errorf(valuegraph.EINVALID, "the body is not JSON at byte %d: %v", se.Offset, err)
	case errors.As(err, &te):
		return valuegraph.FieldError(te.Field, "want %s, got %s", te.Type, te.Value)
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return valuegraph.Errorf(valuegraph.EINVALID, "the body is over %d bytes", tooBig.Limit)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if field, ok := strings.CutPrefix(msg, "unknown field "); ok {
		return valuegraph.FieldError(strings.Trim(field, `"`), "unknown field: the body is {customerId, amount, currency}")
	}
	return valuegraph.Errorf(valuegraph.EINVALID, "body: %s", msg)
}

// writeAppError answers an application error with the API's error body:
// its code, message and (for bad input) field, at the code's HTTP status.
func writeAppError(w http.ResponseWriter, r *Resolver, err error) {
	code := valuegraph.ErrorCode(err)
	if code == valuegraph.EINTERNAL && r.Logger != nil {
		r.Logger.Error("risk check", "err", err)
	}
	ext := map[string]string{"code": valuegraph.APICode(code)}
	var ve *valuegraph.Error
	if errors.As(err, &ve) && ve.Field != "" {
		ext["field"] = ve.Field
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(valuegraph.HTTPStatus(code))
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": valuegraph.ErrorMessage(err), "extensions": ext}}})
}
