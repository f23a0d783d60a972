package valuegraph_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/valuegraph/valuegraph"
)

func TestErrorFormat(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *valuegraph.Error
		want string
	}{
		{"FileLineField", &valuegraph.Error{Code: valuegraph.EINVALID, File: "tenders.json", Line: 412, Field: "award.value", Message: "not a number"}, "tenders.json:412: award.value: not a number"},
		{"FileOnly", &valuegraph.Error{Code: valuegraph.EINVALID, File: "a.csv", Message: "empty file"}, "a.csv: empty file"},
		{"LineWithoutFile", &valuegraph.Error{Code: valuegraph.EINVALID, Line: 3, Field: "name", Message: "required"}, "line 3: name: required"},
		{"CauseWhenNoMessage", &valuegraph.Error{Code: valuegraph.EUNAVAILABLE, Err: errors.New("connection refused")}, "connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestErrorCode(t *testing.T) {
	wrapped := fmt.Errorf("resolve buyer %q: %w", "x", valuegraph.Errorf(valuegraph.ENOTFOUND, "no such customer"))
	if got := valuegraph.ErrorCode(wrapped); got != valuegraph.ENOTFOUND {
		t.Errorf("wrapped: code %q", got)
	}
	if got := valuegraph.ErrorCode(errors.New("boom")); got != valuegraph.EINTERNAL {
		t.Errorf("plain: code %q", got)
	}
	if got := valuegraph.ErrorCode(nil); got != "" {
		t.Errorf("nil: code %q", got)
	}
	if got := valuegraph.ErrorMessage(errors.New("secret detail")); got != "internal error" {
		t.Errorf("internal message leaked: %q", got)
	}
}

func TestValidate(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"CustomerIdentifierValue", (&valuegraph.Customer{ID: "c", Name: "n", Identifiers: []valuegraph.Identifier{{Scheme: "CN-USCC"}, {Scheme: "CRM"}}}).Validate(), "identifiers[0].value: required"},
		{"CustomerStage", (&valuegraph.Customer{ID: "c", Name: "n", Stage: "BUYING"}).Validate(), `stage: unknown stage "BUYING"`},
		{"CustomerTier", (&valuegraph.Customer{ID: "c", Name: "n", Tier: "D"}).Validate(), `tier: unknown tier "D"`},
		{"PersonRole", (&valuegraph.Person{ID: "p", Name: "n", Role: "boss"}).Validate(), `role: unknown decision role "boss"`},
		{"PersonDates", (&valuegraph.Person{ID: "p", Name: "n", Since: now, Until: now.AddDate(0, 0, -1)}).Validate(), "until: before since"},
		{"PersonSelfReport", (&valuegraph.Person{ID: "p", Name: "n", ReportsTo: "p"}).Validate(), "reportsTo: a person cannot report to themselves"},
		{"CompetitorName", (&valuegraph.Competitor{ID: "k"}).Validate(), "name: required"},
		{"NeedID", (&valuegraph.Need{Name: "冷链时效"}).Validate(), "id: required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if valuegraph.ErrorCode(tc.err) != valuegraph.EINVALID {
				t.Fatalf("err = %v, want EINVALID", tc.err)
			}
			if got := tc.err.Error(); len(got) < len(tc.want) || got[:len(tc.want)] != tc.want {
				t.Fatalf("got %q, want it to start with %q", got, tc.want)
			}
		})
	}
}

func TestSignalHashIgnoresWhereAndWhen(t *testing.T) {
	a := valuegraph.Signal{ID: "a", Kind: valuegraph.SignalTender, Title: "招标公告", Source: "ccgp", OccurredAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
	b := a
	b.ID, b.Source, b.IngestedAt, b.Trust = "b", "mirror", time.Now(), valuegraph.TrustL3
	if a.Hash() != b.Hash() {
		t.Error("same content from another source hashes differently")
	}
	b.Title = "招标公告（更正）"
	if a.Hash() == b.Hash() {
		t.Error("changed title hashes the same")
	}
}

func TestHTTPStatus(t *testing.T) {
	for code, want := range map[string]int{
		valuegraph.EINVALID: 400, valuegraph.EUNAUTHORIZED: 401, valuegraph.EFORBIDDEN: 403, valuegraph.ENOTFOUND: 404,
		valuegraph.ECONFLICT: 409, valuegraph.EINTERNAL: 500, valuegraph.ENOTIMPLEMENTED: 501, valuegraph.EUNAVAILABLE: 503,
		valuegraph.ETIMEOUT: 504, "": 500, "no such code": 500,
	} {
		if got := valuegraph.HTTPStatus(code); got != want {
			t.Errorf("HTTPStatus(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestErrorsQuoteAnExcerpt(t *testing.T) {
	huge := strings.Repeat("长", 2<<20) // 6 MiB of one field
	for name, err := range map[string]error{
		"FieldError": valuegraph.FieldError("order_date", "%q is not a date", huge),
		"Literal":    &valuegraph.Error{Code: valuegraph.EINVALID, File: "orders.csv", Line: 4, Message: huge},
	} {
		msg := err.Error()
		if len(msg) > 1100 || !strings.Contains(msg, "bytes in all)") || !utf8.ValidString(msg) {
			t.Errorf("%s: a %d-byte message (%q…)", name, len(msg), msg[:min(len(msg), 60)])
		}
	}
	if s := "order_date: \"someday\" is not a date"; valuegraph.Shorten(s) != s {
		t.Errorf("a short message was cut: %q", valuegraph.Shorten(s))
	}
}
