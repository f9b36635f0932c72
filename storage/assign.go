package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/triage"
)

// Event kinds of triage, assignment and clocks.
const (
	EventPriorityChanged EventKind = "priority_changed"
	EventAssigned        EventKind = "assigned"
	EventAlert           EventKind = "alert"
	EventClockBreached   EventKind = "clock_breached"
	EventFirstResponse   EventKind = "first_response"
)

// Alert kinds, on EventAlert.
const (
	AlertP1Unassigned = "p1_unassigned"
	AlertBreach       = "breach"
	// AlertCredentialForged: a password or second factor whose MAC did
	// not verify was offered at login (schema 12).
	AlertCredentialForged = "credential_forged"
)

// caseNeed is a case waiting for a decision on its operator.
type caseNeed struct {
	id   int64
	need triage.Need
}

// onShift loads the operators on shift with their open load, locking
// their rows so that concurrent assigners take turns.
func onShift(ctx context.Context, tx pgx.Tx) ([]triage.Operator, error) {
	rows, err := tx.Query(ctx, `
		SELECT u.id, u.languages, u.skills, u.load_limit, u.last_assigned_at,
			(SELECT count(*) FROM cases c WHERE c.assignee_id = u.id AND c.status = 'open')::int
		FROM users u
		WHERE u.on_shift AND NOT u.disabled AND u.role = ANY($1)
		ORDER BY u.id FOR UPDATE OF u`, account.CaseWorkers())
	if err != nil {
		return nil, fmt.Errorf("load operators on shift: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.Operator, error) {
		var o triage.Operator
		var skills []string
		var last *time.Time
		err := r.Scan(&o.ID, &o.Languages, &skills, &o.Limit, &last, &o.Load)
		if last != nil {
			o.LastAssigned = *last
		}
		for _, s := range skills {
			o.Skills = append(o.Skills, triage.Category(s))
		}
		return o, err
	})
}

// assign decides and records the operator of each case. It returns, by
// case id, the operator chosen (0 for none) and whether a P1 went without.
func assign(ctx context.Context, tx pgx.Tx, needs []caseNeed, actor, why string, now time.Time) (map[int64]int64, map[int64]bool, error) {
	chosen := map[int64]int64{}
	alerts := map[int64]bool{}
	if len(needs) == 0 {
		return chosen, alerts, nil
	}
	ops, err := onShift(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	b := &pgx.Batch{}
	var ev events
	for _, c := range needs {
		id, reason := triage.Assign(c.need, ops)
		chosen[c.id] = id
		if id == c.need.Current && id != 0 {
			continue // stays where it is
		}
		if id == 0 {
			if c.need.Priority == triage.P1 {
				alerts[c.id] = true
				ev.add(c.id, EventAlert, map[string]any{"alert": AlertP1Unassigned, "reason": reason})
			}
			if c.need.Current == 0 {
				continue
			}
			// The case's operator left; it waits for the next one on shift.
		}
		for i := range ops {
			if ops[i].ID == id {
				ops[i].Load++
				ops[i].LastAssigned = now
			}
			if ops[i].ID == c.need.Current {
				ops[i].Load--
			}
		}
		var to any
		if id != 0 {
			to = id
			b.Queue(`UPDATE users SET last_assigned_at = $2 WHERE id = $1`, id, now)
		}
		b.Queue(`UPDATE cases SET assignee_id = $2 WHERE id = $1`, c.id, to)
		data := map[string]any{"to": to, "reason": reason, "why": why}
		if c.need.Current != 0 {
			data["from"] = c.need.Current
		}
		ev.add(c.id, EventAssigned, data)
	}
	ev.queue(ctx, b, actor, now)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("assign cases: %w", err)
	}
	return chosen, alerts, nil
}

// AssignTo gives an open case to a user chosen by hand, on shift or not
// (an operator may take a case for a colleague starting soon). The
// assignment is an event like any other.
func (s *Store) AssignTo(ctx context.Context, ref, username, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var id, from int64
		var status string
		err := tx.QueryRow(ctx, `SELECT id, coalesce(assignee_id, 0), status FROM cases WHERE ref = $1 FOR UPDATE`, ref).Scan(&id, &from, &status)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("case %s: %w", ref, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("assign %s: %w", ref, err)
		}
		if status != "open" {
			return fmt.Errorf("case %s is closed: reopen it first", ref)
		}
		var to int64
		err = tx.QueryRow(ctx, `SELECT id FROM users WHERE username = $1 AND NOT disabled AND role = ANY($2)`,
			username, account.CaseWorkers()).Scan(&to)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %q (or disabled, or not an operator): %w", username, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("assign %s: %w", ref, err)
		}
		if to == from {
			return fmt.Errorf("case %s is already %s's: %w", ref, username, ErrUnchanged)
		}
		now := s.now()
		if _, err := tx.Exec(ctx, `UPDATE cases SET assignee_id = $2 WHERE id = $1`, id, to); err != nil {
			return fmt.Errorf("assign %s: %w", ref, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET last_assigned_at = $2 WHERE id = $1`, to, now); err != nil {
			return fmt.Errorf("assign %s: %w", ref, err)
		}
		data := map[string]any{"to": to, "reason": "by_hand", "why": "operator"}
		if from != 0 {
			data["from"] = from
		}
		var ev events
		ev.add(id, EventAssigned, data)
		return ev.write(ctx, tx, actor, now)
	})
}
