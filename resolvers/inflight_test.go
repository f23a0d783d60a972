package resolvers

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// A bounded server runs n requests at once; the next waits its turn, and
// one that waits past the timeout is told the server is busy.
func TestInFlight(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	running, most := 0, 0
	h := inFlight(2, 300*time.Millisecond, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		<-release
		mu.Lock()
		running--
		mu.Unlock()
	}))
	var wg sync.WaitGroup
	codes := make(chan int, 4)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("POST", "/", nil))
			codes <- rec.Code
		}()
	}
	time.Sleep(500 * time.Millisecond) // two run, the third waits past 300ms
	close(release)
	wg.Wait()
	close(codes)
	var busy, ok int
	for c := range codes {
		switch c {
		case http.StatusServiceUnavailable:
			busy++
		case http.StatusOK:
			ok++
		}
	}
	if most != 2 || ok != 2 || busy != 1 {
		t.Errorf("at most %d at once, %d served, %d told busy; want 2, 2, 1", most, ok, busy)
	}
}
