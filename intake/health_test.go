package intake

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestHealthStates(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)
	h := newHealth(func() time.Time { return now }, 3*time.Minute)
	check := func(state string, ok bool, code int) {
		t.Helper()
		r := h.Report()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if r.State != state || r.OK != ok || rec.Code != code {
			t.Errorf("state %q ok %v code %d; want %q %v %d", r.State, r.OK, rec.Code, state, ok, code)
		}
	}
	check("starting", false, http.StatusServiceUnavailable)
	h.pass(Stats{Stored: 2})
	check("running", true, http.StatusOK)
	h.fail(errors.New("connect to IMAP server: connection refused"))
	check("failing", false, http.StatusServiceUnavailable)
	h.pass(Stats{})
	check("running", true, http.StatusOK)
	now = now.Add(4 * time.Minute) // no pass since: a hung server or a dead loop
	check("stalled", false, http.StatusServiceUnavailable)
	if r := h.Report(); r.Stored != 2 || r.LastError == "" {
		t.Errorf("report %+v lost its counts or its last error", r)
	}
}
