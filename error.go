package valuegraph

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error codes. Each layer maps its own failures onto these, so the API, the
// jobs and the command line can decide what to do (retry, reject, report) from
// the code alone.
const (
	ECONFLICT       = "conflict"        // the operation conflicts with what exists
	EINTERNAL       = "internal"        // a bug or an unexpected failure
	EINVALID        = "invalid"         // bad input: a file, a row, a field
	ENOTFOUND       = "not_found"       // the entity does not exist
	ENOTIMPLEMENTED = "not_implemented" // the operation is not supported yet
	EUNAUTHORIZED   = "unauthorized"    // the caller is not authenticated
	EFORBIDDEN      = "forbidden"       // the caller may not do this
	EUNAVAILABLE    = "unavailable"     // a service we depend on is down
	ETIMEOUT        = "timeout"         // the operation ran out of time
)

// HTTPStatus is the HTTP status every endpoint answers an error of code
// with: the one table of them (the GraphQL API answers field errors with 200
// and the code in the body, as GraphQL does; its request-level errors, the
// Markdown brief and the webhook use this).
func HTTPStatus(code string) int {
	switch code {
	case EINVALID:
		return 400 // http.StatusBadRequest; the root package keeps to fmt-level imports
	case EUNAUTHORIZED:
		return 401
	case EFORBIDDEN:
		return 403
	case ENOTFOUND:
		return 404
	case ECONFLICT:
		return 409
	case ENOTIMPLEMENTED:
		return 501
	case EUNAVAILABLE:
		return 503
	case ETIMEOUT:
		return 504
	}
	return 500
}

// APICode is the code an error of code carries in an answer's
// extensions.code, on every endpoint: GraphQL's conventional names.
func APICode(code string) string {
	switch code {
	case EUNAUTHORIZED:
		return "UNAUTHENTICATED"
	case EFORBIDDEN:
		return "FORBIDDEN"
	case ENOTFOUND:
		return "NOT_FOUND"
	case EINVALID:
		return "BAD_USER_INPUT"
	case ECONFLICT:
		return "CONFLICT"
	case EUNAVAILABLE:
		return "UNAVAILABLE"
	case ETIMEOUT:
		return "TIMEOUT"
	case ENOTIMPLEMENTED:
		return "NOT_IMPLEMENTED"
	}
	return "INTERNAL"
}

// ErrorBody is the one shape of an error answer on every HTTP endpoint
// (the GraphQL API, the webhook, the Markdown brief, sign-in, the job
// monitor): GraphQL's, so one client reads them all.
//
//	{"errors": [{"message": "…", "extensions": {"code": "BAD_USER_INPUT", "field": "signals[3].kind"}}]}
type ErrorBody struct {
	Errors []ErrorEntry `json:"errors"`
}

// ErrorEntry is one error of an ErrorBody.
type ErrorEntry struct {
	Message    string            `json:"message"`
	Extensions map[string]string `json:"extensions"`
}

// NewErrorBody is the body of an error answer: apiCode (as APICode gives
// it), the message, and the field at fault when there is one.
func NewErrorBody(apiCode, message, field string) ErrorBody {
	ext := map[string]string{"code": apiCode}
	if field != "" {
		ext["field"] = field
	}
	return ErrorBody{Errors: []ErrorEntry{{Message: message, Extensions: ext}}}
}

// Error is an application error. File, Line and Field locate bad input
// ("tenders.json:412: award.value: not a number"); Err keeps the cause.
type Error struct {
	Code    string
	Message string
	File    string
	Line    int
	Field   string
	Err     error
}

// Error renders the location first, then the field, then the message.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":")
			b.WriteString(strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(Shorten(e.Message))
	if e.Message == "" && e.Err != nil {
		b.WriteString(Shorten(e.Err.Error()))
	}
	return b.String()
}

// maxMessage bounds an error's message: bad input is quoted in errors, and a
// 50 MB field must not become a 50 MB line on stderr.
const maxMessage = 1 << 10

// Shorten cuts a message over maxMessage bytes to its start, at a
// character boundary, and says how long it was.
func Shorten(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage - 100
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes in all)", len(s))
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: Shorten(fmt.Sprintf(format, args...))}
}

// FieldError returns an EINVALID error about one field of an input.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: Shorten(fmt.Sprintf(format, args...))}
}

// ErrorCode returns the code of the first *Error in err's chain, or EINTERNAL
// for any other non-nil error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of an application error, or a generic
// one for internal errors, whose details belong in logs, not in responses.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Error()
	}
	return "internal error"
}

// Errors collects every error found in one input, so a parser can report them
// all and still keep the good records.
type Errors []*Error

func (es Errors) Error() string {
	switch len(es) {
	case 0:
		return "no errors"
	case 1:
		return es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d errors:", len(es))
	for _, e := range es {
		b.WriteString("\n\t")
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns es as an error, or nil when it is empty.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// prefixField puts parent in front of the field an *Error names:
// "identifiers[0]" + "value" gives "identifiers[0].value".
func prefixField(err error, parent string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	out := *e
	if out.Field == "" {
		out.Field = parent
	} else {
		out.Field = parent + "." + out.Field
	}
	return &out
}

// Problems gathers the errors found in one configuration file, each naming
// its field, so a file with five mistakes is reported once with all five.
type Problems struct {
	File string
	errs Errors
}

// Add records a problem with a field.
func (p *Problems) Add(field, format string, args ...any) {
	p.errs = append(p.errs, &Error{Code: EINVALID, File: p.File, Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns the problems sorted by field, or nil when there are none.
func (p *Problems) Err() error {
	if len(p.errs) == 0 {
		return nil
	}
	sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Field < p.errs[j].Field })
	return p.errs
}
