package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/triage"
)

// Breach is a case whose first-response clock ran out.
type Breach struct {
	CaseID     int64
	Ref        string
	Priority   triage.Priority
	Due        time.Time
	AssigneeID int64 // the operator when it ran out, 0 if none
	HandedTo   int64 // the operator it was handed to, 0 if none
}

// EscalateBreaches marks the cases whose first response is overdue, once
// each: a clock_breached event, a supervisor alert event, and, for the
// priorities reassign names, a handover to another operator on shift.
func (s *Store) EscalateBreaches(ctx context.Context, reassign func(triage.Priority) bool) ([]Breach, error) {
	var bs []Breach
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		now := s.now()
		rows, err := tx.Query(ctx, `
			UPDATE cases SET breached_at = $1
			WHERE status = 'open' AND first_response_at IS NULL AND breached_at IS NULL AND due_at <= $1
			RETURNING id, ref, priority, due_at, coalesce(assignee_id, 0), categories, language`, now)
		if err != nil {
			return fmt.Errorf("find breaches: %w", err)
		}
		var needs []caseNeed
		var b Breach
		var cats []string
		var lang string
		_, err = pgx.ForEachRow(rows, []any{&b.CaseID, &b.Ref, &b.Priority, &b.Due, &b.AssigneeID, &cats, &lang}, func() error {
			bs = append(bs, b)
			if reassign(b.Priority) {
				n := caseNeed{id: b.CaseID, need: triage.Need{Priority: b.Priority, Language: lang,
					Current: b.AssigneeID, Exclude: b.AssigneeID}}
				for _, c := range cats {
					n.need.Categories = append(n.need.Categories, triage.Category(c))
				}
				needs = append(needs, n)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("find breaches: %w", err)
		}
		var ev events
		for _, b := range bs {
			ev.add(b.CaseID, EventClockBreached, map[string]any{"priority": int(b.Priority), "due_at": b.Due, "assignee": b.AssigneeID})
			ev.add(b.CaseID, EventAlert, map[string]any{"alert": AlertBreach, "priority": int(b.Priority)})
		}
		if err := ev.write(ctx, tx, "clock", s.now()); err != nil {
			return err
		}
		chosen, _, err := assign(ctx, tx, needs, "clock", "breach", now)
		for i := range bs {
			bs[i].HandedTo = chosen[bs[i].CaseID]
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return bs, nil
}

// RecordFirstResponse stops a case's clock at the first human answer. Later
// answers change nothing.
func (s *Store) RecordFirstResponse(ctx context.Context, caseID int64, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error { return s.firstResponse(ctx, tx, caseID, actor) })
}

func (s *Store) firstResponse(ctx context.Context, tx pgx.Tx, caseID int64, actor string) error {
	_, err := tx.Exec(ctx, `
		WITH c AS (UPDATE cases SET first_response_at = $2 WHERE id = $1 AND first_response_at IS NULL RETURNING id)
		INSERT INTO case_events (case_id, kind, actor, data, remote_addr, at) SELECT id, $4, $3, '{}', $5, $2 FROM c`,
		caseID, s.now(), actor, EventFirstResponse, remoteAddr(ctx))
	if err != nil {
		return fmt.Errorf("record first response: %w", err)
	}
	return nil
}
