package ingest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/valuegraph/valuegraph"
	"github.com/valuegraph/valuegraph/ingest"
	"github.com/valuegraph/valuegraph/jobs"
)

func TestWebhook(t *testing.T) {
	s, _, ns := sandbox(t)
	ctx := context.Background()
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: ns + "known", Name: "已知客户有限公司"}}); err != nil {
		t.Fatal(err)
	}
	hook := &ingest.Webhook{Graph: s, Token: "s3cret", Namespace: ns}
	srv := httptest.NewServer(hook)
	defer srv.Close()
	post := func(token, body string) (int, map[string]any) {
		t.Helper()
		return postPush(t, srv.URL, token, body)
	}

	push := `{"source": "marketing", "trust": 3, "signals": [
	  {"id": "wp-1", "kind": "whitepaper_download", "occurredAt": "2026-10-02T08:00:00Z", "title": "冷链白皮书", "customer": {"name": "重庆华信冷链物流有限公司"}},
	  {"id": "wp-2", "kind": "rumour", "occurredAt": "2026-10-02T08:00:00Z", "customer": {"id": "known"}},
	  {"id": "wp-3", "kind": "kb_search", "occurredAt": "yesterday", "customer": {"id": "known"}},
	  {"id": "wp-4", "kind": "kb_search", "occurredAt": "2026-10-03T08:00:00Z", "customer": {"id": "known"}},
	  {"id": "wp-5", "kind": "kb_search", "occurredAt": "2026-10-03T08:00:00Z", "customer": {"id": "nobody"}},
	  {"id": "wp-6", "kind": "kb_search", "occurredAt": "2026-10-03T08:00:00Z", "customer": {"name": "某公司", "uscc": "914403001922038217"}}
	]}`

	t.Run("MixedPush", func(t *testing.T) {
		code, out := post("s3cret", push)
		if code != http.StatusOK || out["accepted"] != 2.0 || out["created"] != 2.0 {
			t.Fatalf("%d %v", code, out)
		}
		rejected := out["rejected"].([]any)
		want := map[float64]string{1: "kind", 2: "occurredAt", 4: "do not exist", 5: "customer.uscc"}
		if len(rejected) != len(want) {
			t.Fatalf("rejected %v", rejected)
		}
		for _, r := range rejected {
			r := r.(map[string]any)
			w := want[r["index"].(float64)]
			if w == "" || !(r["field"] == w || strings.Contains(r["error"].(string), w)) {
				t.Errorf("rejection %v, want %q", r, w)
			}
		}
		sig, err := s.Signal(ctx, ns+"marketing:wp-4")
		if err != nil || sig.Trust != valuegraph.TrustL3 || len(sig.CustomerIDs) != 1 || sig.CustomerIDs[0] != ns+"known" {
			t.Errorf("wp-4 = %+v, %v", sig, err)
		}
	})
	t.Run("SamePushTwiceChangesNothing", func(t *testing.T) {
		code, out := post("s3cret", push)
		if code != http.StatusOK || out["created"] != 0.0 || out["unchanged"] != 2.0 {
			t.Fatalf("%d %v", code, out)
		}
	})
	for _, tc := range []struct {
		name, token, body string
		code              int
		want              string
	}{
		{"NoToken", "", push, 401, "bearer token"},
		{"WrongToken", "guess", push, 401, "bearer token"},
		{"NotJSON", "s3cret", `{"source": "x", "signals": [`, 400, "body"},
		{"UnknownField", "s3cret", `{"source": "x", "signal": []}`, 400, `unknown field "signal"`},
		{"WrongType", "s3cret", `{"source": "x", "trust": "high", "signals": []}`, 400, "trust: want int"},
		{"NoSource", "s3cret", `{"signals": [{"id": "a"}]}`, 400, "source: required"},
		{"AllRejected", "s3cret", `{"source": "x", "signals": [{"id": "a", "kind": "tender", "occurredAt": "2026-01-01T00:00:00Z"}]}`, 422, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := post(tc.token, tc.body)
			var msg string
			if errs, ok := out["errors"].([]any); ok && len(errs) == 1 { // the one error shape of every endpoint
				e := errs[0].(map[string]any)
				msg, _ = e["message"].(string)
				if c, _ := e["extensions"].(map[string]any)["code"].(string); c == "" {
					t.Errorf("error without extensions.code: %v", out)
				}
			}
			if code != tc.code || !strings.Contains(msg, tc.want) {
				t.Fatalf("%d %v, want %d with %q", code, out, tc.code, tc.want)
			}
		})
	}
	t.Run("Disabled", func(t *testing.T) {
		off := httptest.NewServer(&ingest.Webhook{Graph: s})
		defer off.Close()
		res, err := http.Post(off.URL, "application/json", strings.NewReader(push))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
}

// With the job queue down, a push is still written and its answer (202)
// says the rescoring is still to come: kept in the graph's outbox for the
// worker, or, with no outbox, left to the nightly rescore; never a 503 for
// a write that happened.
func TestWebhookWithTheQueueDown(t *testing.T) {
	s, _, ns := sandbox(t)
	ctx := context.Background()
	if _, err := s.UpsertCustomers(ctx, []valuegraph.Customer{{ID: ns + "known", Name: "已知客户有限公司"}}); err != nil {
		t.Fatal(err)
	}
	// A real Asynq client against an address where no Redis answers.
	down := asynq.NewClient(asynq.RedisClientOpt{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond})
	defer down.Close()
	for _, tc := range []struct {
		name              string
		outbox            jobs.Outbox
		pending, deferred float64
	}{
		{"outbox", s, 1, 0},
		{"no outbox", nil, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hook := &ingest.Webhook{Graph: s, Token: "s3cret", Namespace: ns, Jobs: jobs.NewClient(down, jobs.ClientOptions{Outbox: tc.outbox})}
			srv := httptest.NewServer(hook)
			defer srv.Close()
			body := `{"source": "marketing", "signals": [{"id": "wp-` + tc.name + `", "kind": "whitepaper_download", "occurredAt": "2026-10-02T08:00:00Z", "customer": {"id": "known"}}]}`
			status, out := postPush(t, srv.URL, "s3cret", body)
			if status != http.StatusAccepted || out["created"] != 1.0 || out["rescorePending"] != tc.pending || out["rescoreDeferred"] != tc.deferred {
				t.Fatalf("%d %v, want 202, the signal created, rescoring pending %v and deferred %v", status, out, tc.pending, tc.deferred)
			}
			if _, err := s.Signal(ctx, ns+"marketing:wp-"+tc.name); err != nil {
				t.Errorf("the pushed signal: %v", err)
			}
			if tc.outbox == nil {
				return
			}
			held, _, err := s.PendingJobs(ctx, ns, "", 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(held) != 1 || held[0].Key != ns+"known" || held[0].Type != jobs.TypeScoreCustomer {
				t.Errorf("outbox: %+v, want the rescoring of %sknown", held, ns)
			}
		})
	}
}

// postPush posts a push to the webhook at url with a bearer token ("" for
// none) and decodes its JSON answer.
func postPush(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "bearer "+token) // the scheme is case-insensitive
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, out
}
