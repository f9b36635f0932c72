package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// EventAlertsAcknowledged records that a supervisor saw the alerts up to
// an event id (data.upto): the console's banner goes for them.
const EventAlertsAcknowledged EventKind = "alerts_acknowledged"

// Waiting is what a person's console alerts them to, by case id only, so
// that it can be said on a locked console and on a shared screen.
type Waiting struct {
	// P1 are the open P1 cases nobody has, and the open P1 cases of the
	// person not answered yet.
	P1 []int64
	// Mine are the person's other open cases not answered yet.
	Mine []int64
}

// Waiting reads what waits for the user.
func (s *Store) Waiting(ctx context.Context, userID int64) (Waiting, error) {
	w := Waiting{P1: []int64{}, Mine: []int64{}}
	rows, err := s.pool.Query(ctx, `
		SELECT id, priority = 1 FROM cases
		WHERE status = 'open' AND first_response_at IS NULL
			AND (assignee_id = $1 OR (priority = 1 AND assignee_id IS NULL))
		ORDER BY id`, userID)
	if err != nil {
		return w, fmt.Errorf("read waiting cases: %w", err)
	}
	var id int64
	var p1 bool
	_, err = pgx.ForEachRow(rows, []any{&id, &p1}, func() error {
		if p1 {
			w.P1 = append(w.P1, id)
		} else {
			w.Mine = append(w.Mine, id)
		}
		return nil
	})
	if err != nil {
		return w, fmt.Errorf("read waiting cases: %w", err)
	}
	return w, nil
}

// Alerts are the alerts a supervisor has not acknowledged: how many of
// each kind (data.alert), and the newest one's event id.
type Alerts struct {
	Upto  int64
	Count map[string]int
}

// OpenAlerts reads the alerts raised since the supervisor (actor) last
// acknowledged them, and after since.
func (s *Store) OpenAlerts(ctx context.Context, actor string, since time.Time) (Alerts, error) {
	a := Alerts{Count: map[string]int{}}
	rows, err := s.pool.Query(ctx, `
		WITH acked AS (SELECT coalesce(max((data->>'upto')::bigint), 0) AS upto FROM case_events WHERE actor = $1 AND kind = $2)
		SELECT coalesce(data->>'alert', ''), count(*)::int, max(id) FROM case_events, acked
		WHERE kind = $3 AND at > $4 AND id > acked.upto GROUP BY 1`, actor, EventAlertsAcknowledged, EventAlert, since)
	if err != nil {
		return a, fmt.Errorf("read alerts: %w", err)
	}
	var kind string
	var n int
	var upto int64
	_, err = pgx.ForEachRow(rows, []any{&kind, &n, &upto}, func() error {
		a.Count[kind] += n
		a.Upto = max(a.Upto, upto)
		return nil
	})
	if err != nil {
		return a, fmt.Errorf("read alerts: %w", err)
	}
	return a, nil
}

// AcknowledgeAlerts records that the supervisor saw the alerts up to the
// event id upto.
func (s *Store) AcknowledgeAlerts(ctx context.Context, actor string, upto int64) error {
	if err := s.Record(ctx, EventAlertsAcknowledged, actor, map[string]any{"upto": upto}); err != nil {
		return fmt.Errorf("acknowledge alerts: %w", err)
	}
	return nil
}
