package intake

import (
	"encoding/json"
	"maps"
	"net/http"
	"sync"
	"time"
)

// Alert codes: the data.alert of an alert event (the supervisors' banner
// shows every one) and the kind of okit_alerts_total. Intake raises
// p1_unassigned and ack_rate through the store as it saves mail, and
// canary itself; mailbox_auth is the mail servers' sign-in failing
// (cmd/okit raises it from mailauth's report).
const (
	AlertP1Unassigned = "p1_unassigned"
	AlertAckRate      = "ack_rate"
	AlertMailboxAuth  = "mailbox_auth"
	AlertCanary       = "canary"
)

// AlertKinds are the alerts Health counts, in the order /metrics lists
// them.
var AlertKinds = []string{AlertP1Unassigned, AlertAckRate, AlertMailboxAuth, AlertCanary}

// Health records how intake is doing, for the log and the health endpoint.
// A pass that has not succeeded for StallAfter makes intake unhealthy,
// whatever the reason: a wrong password, a server that is down, a database
// that refuses writes. A problem reported from outside the passes (the
// mail servers' sign-in failing, the canary overdue) makes it unhealthy
// too, with its reason, until it is solved. A process that waits while
// another holds the mailbox is on standby: healthy, taking nothing in.
type Health struct {
	mu         sync.Mutex
	now        func() time.Time
	stallAfter time.Duration
	started    time.Time
	holds      bool // this process holds the mailbox's lock
	standby    bool // another process holds it
	lastPass   time.Time
	lastErr    string
	lastErrAt  time.Time
	failures   int
	total      Stats
	alerts     map[string]int
	problems   map[string]string
	canary     CanaryReport
}

func newHealth(now func() time.Time, stallAfter time.Duration) *Health {
	return &Health{now: now, started: now(), stallAfter: stallAfter, alerts: map[string]int{}, problems: map[string]string{}}
}

// HealthReport is a snapshot of Health.
type HealthReport struct {
	OK    bool   `json:"ok"`
	State string `json:"state"` // starting, running, failing, stalled, standby
	// Holds says this process holds the mailbox: it takes it in.
	Holds     bool      `json:"holds_mailbox"`
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
	// AlertsByKind counts every alert raised since start, by code.
	AlertsByKind map[string]int `json:"alerts"`
	// Problems are what makes okit unhealthy besides intake's passes,
	// with a reason an administrator can act on, by name (mailbox_auth,
	// canary).
	Problems map[string]string `json:"problems,omitempty"`
	// Canary is the canary's round trips; nil when there is no canary.
	Canary *CanaryReport `json:"canary,omitempty"`
}

// CanaryReport says how the canary's messages travel.
type CanaryReport struct {
	Sent      int           `json:"sent"`
	Back      int           `json:"back"`
	LastBack  time.Time     `json:"last_back,omitzero"`
	RoundTrip time.Duration `json:"last_round_trip_ns"`
	on        bool
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

// setLock says who holds the mailbox: this process (holds), another
// (standby), or nobody it knows of (neither: waiting for the database).
// Taking the mailbox over starts the stall clock afresh.
func (h *Health) setLock(holds, standby bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.standby && holds {
		h.started, h.lastPass = h.now(), time.Time{}
	}
	h.holds, h.standby = holds, standby
}

// Alerted counts an alert of the given kind (Alert...).
func (h *Health) Alerted(kind string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.alerts[kind]++
}

// Problem makes okit unhealthy for the named reason until Solved.
func (h *Health) Problem(name, reason string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.problems[name] = reason
}

// Solved ends the named problem.
func (h *Health) Solved(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.problems, name)
}

// canaryEvent records a canary sent (roundTrip < 0) or back.
func (h *Health) canaryEvent(roundTrip time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.canary.on = true
	if roundTrip < 0 {
		h.canary.Sent++
		return
	}
	h.canary.Back++
	h.canary.LastBack = h.now()
	h.canary.RoundTrip = roundTrip
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
		Failures: h.failures, Stored: h.total.Stored, TooLarge: h.total.TooLarge, Holds: h.holds,
		Alerts: h.alerts[AlertP1Unassigned], AckRateAlerts: h.alerts[AlertAckRate],
		AlertsByKind: maps.Clone(h.alerts),
	}
	if len(h.problems) > 0 {
		r.Problems = maps.Clone(h.problems)
	}
	if h.canary.on {
		c := h.canary
		r.Canary = &c
	}
	since := h.lastPass
	if since.IsZero() {
		since = h.started
	}
	stalled := h.now().Sub(since) > h.stallAfter
	switch {
	case h.standby:
		r.State, r.OK = "standby", true
	case stalled:
		r.State = "stalled"
	case h.lastPass.IsZero():
		r.State = "starting"
	case h.failures > 0:
		r.State = "failing"
	default:
		r.State, r.OK = "running", true
	}
	r.OK = r.OK && len(h.problems) == 0
	return r
}

// ServeHTTP answers with the report as JSON, status 503 unless intake is
// running (or on standby) and nothing else is wrong.
func (h *Health) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	r := h.Report()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !r.OK {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(r)
}
