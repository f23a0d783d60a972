package valuegraph

import (
	"errors"
	"strconv"
)

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

func itoa(i int) string { return strconv.Itoa(i) }
