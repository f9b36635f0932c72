package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/triage"
)

// clockWatch escalates breached response clocks every interval.
type clockWatch struct {
	store    *storage.Store
	reassign []triage.Priority
	every    time.Duration
	log      *slog.Logger
	breaches atomic.Int64
}

func (w *clockWatch) run(ctx context.Context) error {
	tick := time.NewTicker(w.every)
	defer tick.Stop()
	for {
		bs, err := w.store.EscalateBreaches(ctx, func(p triage.Priority) bool { return slices.Contains(w.reassign, p) })
		if err != nil && ctx.Err() == nil {
			w.log.Error("check response clocks", slog.Any("err", err))
		}
		for _, b := range bs {
			w.breaches.Add(1)
			w.log.Error("ALERT: first-response clock breached", slog.String("case", b.Ref),
				slog.String("priority", b.Priority.String()), slog.Time("due", b.Due),
				slog.Int64("assignee", b.AssigneeID), slog.Int64("handed_to", b.HandedTo))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// priorities reads a list such as "P1,P2".
func (e *env) priorities(name, def string) []triage.Priority {
	var ps []triage.Priority
	for _, f := range list(e.str(name, def)) {
		if p, ok := parsePriority(f); ok {
			ps = append(ps, p)
		} else if !strings.EqualFold(f, "none") {
			e.fail("%s: %q is not a priority; give a list such as P1,P2, or none", name, f)
		}
	}
	return ps
}

// parsePriority reads P1 … P4.
func parsePriority(s string) (triage.Priority, bool) {
	switch p := strings.ToUpper(s); p {
	case "P1", "P2", "P3", "P4":
		return triage.Priority(p[1] - '0'), true
	}
	return 0, false
}

// metrics answers in Prometheus' text format.
func metrics(h *intake.Health, w *clockWatch) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		r := h.Report()
		up, holds := 0, 0
		if r.State == "running" || r.State == "standby" {
			up = 1
		}
		if r.Holds {
			holds = 1
		}
		rw.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintf(rw, "# HELP okit_intake_up Whether intake's last pass succeeded recently (or another process holds the mailbox).\n# TYPE okit_intake_up gauge\nokit_intake_up %d\n", up)
		fmt.Fprintf(rw, "# HELP okit_intake_holds_mailbox Whether this process takes the mailbox in (0: on standby while another does).\n# TYPE okit_intake_holds_mailbox gauge\nokit_intake_holds_mailbox %d\n", holds)
		fmt.Fprintf(rw, "# HELP okit_intake_stored_total Messages stored since start.\n# TYPE okit_intake_stored_total counter\nokit_intake_stored_total %d\n", r.Stored)
		fmt.Fprintf(rw, "# HELP okit_intake_left_on_server_total Messages over the size limit left on the server.\n# TYPE okit_intake_left_on_server_total counter\nokit_intake_left_on_server_total %d\n", r.TooLarge)
		fmt.Fprintf(rw, "# HELP okit_alerts_total Alerts raised since start.\n# TYPE okit_alerts_total counter\n")
		fmt.Fprintf(rw, "okit_alerts_total{kind=\"p1_unassigned\"} %d\nokit_alerts_total{kind=\"breach\"} %d\nokit_alerts_total{kind=\"ack_rate\"} %d\n",
			r.Alerts, w.breaches.Load(), r.AckRateAlerts)
		fmt.Fprintf(rw, "okit_alerts_total{kind=%q} %d\nokit_alerts_total{kind=%q} %d\n",
			intake.AlertMailboxAuth, r.AlertsByKind[intake.AlertMailboxAuth], intake.AlertCanary, r.AlertsByKind[intake.AlertCanary])
		if c := r.Canary; c != nil {
			fmt.Fprintf(rw, "# HELP okit_canary_sent_total Canaries sent since start.\n# TYPE okit_canary_sent_total counter\nokit_canary_sent_total %d\n", c.Sent)
			fmt.Fprintf(rw, "# HELP okit_canary_back_total Canaries back in the mailbox since start.\n# TYPE okit_canary_back_total counter\nokit_canary_back_total %d\n", c.Back)
			if !c.LastBack.IsZero() {
				fmt.Fprintf(rw, "# HELP okit_canary_round_trip_seconds The last canary's way from okit through the SMTP server to the mailbox and into intake.\n# TYPE okit_canary_round_trip_seconds gauge\nokit_canary_round_trip_seconds %.3f\n", c.RoundTrip.Seconds())
				fmt.Fprintf(rw, "# HELP okit_canary_last_back_age_seconds How long ago the last canary came back.\n# TYPE okit_canary_last_back_age_seconds gauge\nokit_canary_last_back_age_seconds %.0f\n", time.Since(c.LastBack).Seconds())
			}
		}
	})
}
