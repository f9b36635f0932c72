package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncsszi/okit/demo"
)

// okit serve sends itself a canary every second through the SMTP server,
// which delivers it to the mailbox: intake takes each back without a
// case, a message, an answer or anything left in the INBOX, and /metrics
// gives the round trip and its age. When the server stops delivering, the
// canary alert fires once (an alert event, the metric, /healthz failing
// with the reason), and ends when canaries come back.
func TestServeCanary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit")
	}
	t.Parallel()
	s := newStage(t)
	var delivering atomic.Bool
	delivering.Store(true)
	relay, err := demo.StartSink(func(d demo.Delivery) {
		if delivering.Load() {
			s.mbox.Deliver(d.Data, time.Now())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { relay.Close() })
	s.vars["OKIT_SMTP_ADDR"] = relay.Addr
	s.start("OKIT_CANARY_EVERY=1s", "OKIT_CANARY_ALERT=4s", "OKIT_CANARY_TO=okit@ncsszi.hu")
	s.ready()

	metric := func(name string) float64 {
		v, _ := strconv.ParseFloat(strings.TrimPrefix(s.metric(name+" "), name+" "), 64)
		return v
	}
	s.wait("three canaries back", func() bool { return metric("okit_canary_back_total") >= 3 })
	if rt := metric("okit_canary_round_trip_seconds"); rt <= 0 || rt > 1 {
		t.Errorf("round trip %v s, want above 0 and below a second", rt)
	}
	if s.metric("okit_canary_last_back_age_seconds ") == "" {
		t.Error("/metrics gives no age of the last canary")
	}
	for _, q := range []string{`SELECT count(*) FROM cases`, `SELECT count(*) FROM messages`, `SELECT count(*) FROM outgoing`} {
		if n := s.count(q); n != 0 {
			t.Errorf("%s: %d, want 0: a canary is never a case, a message or an answer", q, n)
		}
	}
	if inbox, _ := s.mbox.Count("INBOX"); inbox > 1 { // one may be on its way in
		t.Errorf("%d canaries left in the INBOX", inbox)
	}
	if moved, _ := s.mbox.Count("okit-stored"); moved < 3 {
		t.Errorf("%d canaries moved away, want 3 or more", moved)
	}

	delivering.Store(false)
	alerts := `SELECT count(*) FROM case_events WHERE kind = 'alert' AND data->>'alert' = 'canary' AND case_id IS NULL`
	s.wait("the canary alert", func() bool { return s.count(alerts) == 1 })
	code, body := s.get("/healthz")
	var report struct {
		Problems map[string]string `json:"problems"`
	}
	json.Unmarshal([]byte(body), &report)
	if code != http.StatusServiceUnavailable || !strings.Contains(report.Problems["canary"], "no canary has come back") {
		t.Errorf("/healthz with no canary back: %d %s", code, body)
	}
	if m := s.metric(`okit_alerts_total{kind="canary"}`); m != `okit_alerts_total{kind="canary"} 1` {
		t.Errorf("metric %q", m)
	}
	delivering.Store(true)
	s.wait("healthy again", func() bool { code, _ := s.get("/healthz"); return code == http.StatusOK })
	if n := s.count(alerts); n != 1 {
		t.Errorf("%d canary alerts, want 1", n)
	}
	if n := s.count(`SELECT count(*) FROM cases`); n != 0 {
		t.Errorf("%d cases after the canaries came back", n)
	}
}
