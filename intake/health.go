package intake

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// Health records how intake is doing, for the log and the health endpoint.
// A pass that has not succeeded for StallAfter makes intake unhealthy,
// whatever the reason: a wrong password, a server that is down, a database
// that refuses writes.
type Health struct {
	mu         sync.Mutex
	now        func() time.Time
	stallAfter time.Duration
	started    time.Time
	lastPass   time.Time
	lastErr    string
	lastErrAt  time.Time
	failures   int
	total      Stats
	alerts     [numAlerts]int
}

// Kinds of alert intake counts.
const (
	alertP1      = iota // a P1 case found nobody on shift
	alertAckRate        // acknowledgements passed an hourly limit
	numAlerts
)

func newHealth(now func() time.Time, stallAfter time.Duration) *Health {
	return &Health{now: now, started: now(), stallAfter: stallAfter}
}

// HealthReport is a snapshot of Health.
type HealthReport struct {
	OK        bool      `json:"ok"`
	State     string    `json:"state"` // starting, running, failing, stalled
	LastPass  time.Time `json:"last_pass,omitzero"`
	LastError string    `json:"last_error,omitempty"`
	ErrorAt   time.Time `json:"last_error_at,omitzero"`
	Failures  int       `json:"consecutive_failures"`
	Stored    int       `json:"stored"`
	TooLarge  int       `json:"left_on_server"`
	// Alerts counts P1 cases that found nobody on shift; AckRateAlerts,
	// the times acknowledgements passed an hourly limit.
	Alerts        int `json:"p1_unassigned_alerts"`
	AckRateAlerts int `json:"ack_rate_alerts"`
}

func (h *Health) pass(st Stats) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lastPass = h.now()
	h.failures = 0
	h.total.add(st)
}

func (h *Health) fail(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lastErr = err.Error()
	h.lastErrAt = h.now()
	h.failures++
}

func (h *Health) alert(kind int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.alerts[kind]++
}

func (h *Health) recentlyOK(d time.Duration) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return !h.lastPass.IsZero() && h.now().Sub(h.lastPass) < d
}

// Report says how intake is doing now.
func (h *Health) Report() HealthReport {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := HealthReport{
		LastPass: h.lastPass, LastError: h.lastErr, ErrorAt: h.lastErrAt,
		Failures: h.failures, Stored: h.total.Stored, TooLarge: h.total.TooLarge,
		Alerts: h.alerts[alertP1], AckRateAlerts: h.alerts[alertAckRate],
	}
	since := h.lastPass
	if since.IsZero() {
		since = h.started
	}
	stalled := h.now().Sub(since) > h.stallAfter
	switch {
	case stalled:
		r.State = "stalled"
	case h.lastPass.IsZero():
		r.State = "starting"
	case h.failures > 0:
		r.State = "failing"
	default:
		r.State, r.OK = "running", true
	}
	return r
}

// ServeHTTP answers with the report as JSON, status 503 unless intake is
// running.
func (h *Health) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	r := h.Report()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !r.OK {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(r)
}
