package resolvers_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valuegraph/valuegraph/resolvers"
)

// A burst past the in-flight bound, against the real Neo4j: the requests
// that cannot get a slot in time are told UNAVAILABLE (503), the others
// answered, and the server answers at once when the burst is over.
func TestBurstBeyondInFlight(t *testing.T) {
	// A short wait, so that a burst of light queries overruns it.
	f := newFixture(t, resolvers.Options{MaxInFlight: 1, Timeout: 300 * time.Millisecond})
	q := `{ customers(first: 20) { edges { node { id name tier } } } }`
	const clients = 100
	var mu sync.Mutex
	codes := map[string]int{}
	// Light queries on a fast machine may all fit in the wait: burst again
	// (at most five times) until one is turned away.
	for round := 0; round < 5 && codes["503 UNAVAILABLE"] == 0; round++ {
		var wg sync.WaitGroup
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, res := f.client.do(f.tokens["admin"], q, nil)
				mu.Lock()
				defer mu.Unlock()
				codes[fmt.Sprintf("%d %s", status, res.code())]++
			}()
		}
		wg.Wait()
	}
	if codes["503 UNAVAILABLE"] == 0 || codes["200 "]+codes["200 TIMEOUT"] == 0 {
		t.Errorf("bursts of %d over a bound of 1: %v; want some answered, the rest 503 UNAVAILABLE", clients, codes)
	}
	for c := range codes {
		if c != "503 UNAVAILABLE" && c != "200 " && c != "200 TIMEOUT" {
			t.Errorf("answer %q in the burst", c)
		}
	}
	start := time.Now()
	if status, res := f.client.do(f.tokens["admin"], `{ viewer { role } }`, nil); status != 200 || len(res.Errors) > 0 {
		t.Errorf("after the burst: %d %+v", status, res.Errors)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("after the burst a request took %v", d)
	}
	t.Logf("burst answers: %v", codes)
}

// A client that sends its body slowly does not hold an in-flight slot:
// others are served meanwhile, and it is cut off after the request's time.
func TestSlowBodyHoldsNoSlot(t *testing.T) {
	f := newFixture(t, resolvers.Options{MaxInFlight: 1, Timeout: 2 * time.Second})
	host := strings.TrimPrefix(f.client.url, "http://")
	host, _, _ = strings.Cut(host, "/")
	body := `{"query": "{ viewer { role } }"}` + strings.Repeat(" ", 2000)
	answers := make(chan string, 2)
	for range 2 {
		go func() {
			c, err := net.Dial("tcp", host)
			if err != nil {
				answers <- err.Error()
				return
			}
			defer c.Close()
			fmt.Fprintf(c, "POST /graphql HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
				host, f.tokens["admin"], len(body), body[:600])
			// The rest never comes; the answer does, once the request's time is up.
			c.SetReadDeadline(time.Now().Add(8 * time.Second))
			b, _ := io.ReadAll(c)
			answers <- string(b)
		}()
	}
	time.Sleep(300 * time.Millisecond) // both are sending
	start := time.Now()
	status, res := f.client.do(f.tokens["admin"], `{ viewer { role } }`, nil)
	if status != 200 || len(res.Errors) > 0 || time.Since(start) > time.Second {
		t.Errorf("beside two slow senders: %d %+v after %v; want an answer at once", status, res.Errors, time.Since(start))
	}
	for range 2 {
		a := <-answers
		if !strings.HasPrefix(a, "HTTP/1.1 408") || !strings.Contains(a, "TIMEOUT") {
			t.Errorf("the slow sender got %.300q, want 408 TIMEOUT", a)
		}
	}
}
