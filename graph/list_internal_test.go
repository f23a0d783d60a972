package graph

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph"
)

// The hand-written cursor decodes to what json.Marshal's would, for every
// kind of key a page orders by and for strings that need escaping.
func TestCursorEncoding(t *testing.T) {
	for _, c := range []listCursor{
		{},
		{Order: valuegraph.CustomerOrder("TIER_SCORE_DESC"), Key: 0.8125, ID: "c-1"},
		{Order: "NAME", Key: "重庆华信冷链物流有限公司", ID: "huaxin"},
		{Key: "a \"quoted\" \\ name <&> \u2028 \x01 end", ID: "id\twith\ttabs"},
		{Key: string([]byte{0xff, 'x'}), ID: "bad utf-8"},
		{Key: int64(42), ID: "n"},
		{Key: 1e-9, ID: "tiny"},
		{Key: 3e21, ID: "huge"},
		{Key: math.Inf(1), ID: "inf"},
		{Key: time.Date(2026, 11, 23, 8, 0, 0, 5, time.UTC), ID: "t"},
		{Order: "NAME", Offset: 150},
	} {
		got, err := decodeCursor(c.encode())
		var want listCursor
		var wantErr error
		b, jerr := json.Marshal(c) // +Inf: no JSON, so no cursor either way
		want, wantErr = decodeCursor(base64.RawURLEncoding.EncodeToString(b))
		if jerr != nil || wantErr != nil || err != nil {
			if (err == nil) != (wantErr == nil) {
				t.Errorf("%+v: error %v, json.Marshal's %v", c, err, wantErr)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v: decodes to %+v, json.Marshal's to %+v", c, got, want)
		}
	}
}
