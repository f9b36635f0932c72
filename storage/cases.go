package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/triage"
)

// Case is a case as lists show it.
type Case struct {
	ID            int64
	Ref           string
	Status        string
	Messages      int
	FirstReceived time.Time
	LastReceived  time.Time
	Priority      int
	Categories    []string
	Flags         []string
	Assignee      string     // username, empty if unassigned
	Due           *time.Time // first response due; nil when answered before triage existed
	Breached      bool
}

// MessageSummary is one message of a case with its sealed summary.
type MessageSummary struct {
	ID            int64
	CaseID        int64
	Direction     string // in: the writer's; out: ours
	InternalDate  time.Time
	Size          int64
	ParseStatus   string
	SummarySealed []byte // nil once the case is purged
	Priority      int    // 0 for messages stored before triage
	Flags         []string
	Rules         []string
	ReplyToSealed []byte // its Reply-To, sealed; nil for none
	// SenderVerified says whether the receiving server verified the From
	// (nil for messages stored before okit asked); SPF, DKIM and DMARC
	// are its results ("" when none was trusted); Spam, whether it marked
	// the message as spam.
	SenderVerified   *bool
	SPF, DKIM, DMARC string
	Spam             bool
}

// messageSummaryColumns are MessageSummary's, in order.
const messageSummaryColumns = `id, case_id, direction, internal_date, size, parse_status, summary_sealed, coalesce(priority, 0), flags, rules,
	reply_to_sealed, sender_verified, coalesce(auth_spf, ''), coalesce(auth_dkim, ''), coalesce(auth_dmarc, ''), spam`

// ListCases returns at most limit cases in queue order: open before
// closed, then by priority, then by due time.
func (s *Store) ListCases(ctx context.Context, limit int) ([]Case, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT c.id, c.ref, c.status,
			(SELECT count(*) FROM messages m WHERE m.case_id = c.id)::int,
			c.first_received, c.last_received, c.priority, c.categories, c.flags,
			coalesce(u.username, ''), c.due_at, c.breached_at IS NOT NULL
		FROM cases c LEFT JOIN users u ON u.id = c.assignee_id
		ORDER BY c.status = 'closed', c.priority, c.due_at, c.id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	cases, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Case])
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	return cases, nil
}

// CaseMessages returns the messages of the given cases, oldest first.
func (s *Store) CaseMessages(ctx context.Context, caseIDs []int64) ([]MessageSummary, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT `+messageSummaryColumns+` FROM messages WHERE case_id = ANY($1) ORDER BY internal_date, id`, caseIDs)
	if err != nil {
		return nil, fmt.Errorf("read case messages: %w", err)
	}
	ms, err := pgx.CollectRows(rows, pgx.RowToStructByPos[MessageSummary])
	if err != nil {
		return nil, fmt.Errorf("read case messages: %w", err)
	}
	return ms, nil
}

// RecordDecryption writes an audit event on each case whose sealed content
// actor is about to read, before it is decrypted.
func (s *Store) RecordDecryption(ctx context.Context, caseIDs []int64, actor, purpose string) error {
	var ev events
	for _, id := range caseIDs {
		ev.add(id, EventSummaryOpened, map[string]any{"purpose": purpose})
	}
	return s.InTx(ctx, func(tx pgx.Tx) error { return ev.write(ctx, tx, actor, s.now()) })
}

// SetPriority sets a case's priority by hand, with the operator's reason
// sealed (a note the event names): from then on new messages no longer change it. The response
// clock, if still running, is set for the new priority, counted from the
// case's first message.
func (s *Store) SetPriority(ctx context.Context, ref string, p triage.Priority, targets triage.Targets, actor string, reasonSealed []byte) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var id int64
		var was triage.Priority
		var first time.Time
		err := tx.QueryRow(ctx, `SELECT id, priority, first_received FROM cases WHERE ref = $1 FOR UPDATE`, ref).Scan(&id, &was, &first)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("case %s: %w", ref, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("read case: %w", err)
		}
		_, err = tx.Exec(ctx, `
			UPDATE cases SET priority = $2, priority_set_by = $3,
				due_at = CASE WHEN first_response_at IS NULL THEN $4 ELSE due_at END
			WHERE id = $1`, id, int(p), actor, targets.Due(p, first))
		if err != nil {
			return fmt.Errorf("set priority: %w", err)
		}
		note, err := addNote(ctx, tx, id, NotePriorityReason, reasonSealed, actor)
		if err != nil {
			return err
		}
		var ev events
		ev.add(id, EventPriorityChanged, map[string]any{"from": int(was), "to": int(p), "note": note})
		return ev.write(ctx, tx, actor, s.now())
	})
}

// ErrUnchanged is returned when a change asked for is already so: a case
// closed twice, say.
var ErrUnchanged = errors.New("nothing to change")

// ErrNoOutcome is returned when a case is to be closed without one of
// report.Outcomes.
var ErrNoOutcome = errors.New("no outcome chosen")

// CloseCase closes an open case with its outcome, which the case_closed
// event records for the figures: it leaves the queue, and its clock no
// longer runs. A writer's reply to it reopens it.
func (s *Store) CloseCase(ctx context.Context, ref string, outcome report.Outcome, actor string) error {
	if !slices.Contains(report.Outcomes(), outcome) {
		return fmt.Errorf("close case %s as %q: %w", ref, outcome, ErrNoOutcome)
	}
	return s.setStatus(ctx, ref, "closed", actor, map[string]any{"outcome": outcome})
}

// ReopenCase puts a closed case back in the queue.
func (s *Store) ReopenCase(ctx context.Context, ref, actor string) error {
	return s.setStatus(ctx, ref, "open", actor, map[string]any{"reason": "operator"})
}

func (s *Store) setStatus(ctx context.Context, ref, status, actor string, data map[string]any) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		id, err := caseID(ctx, tx, ref, true)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE cases SET status = $2, closed_at = CASE WHEN $2 = 'closed' THEN $3::timestamptz END
			WHERE id = $1 AND status <> $2`, id, status, s.now())
		if err != nil {
			return fmt.Errorf("set case %s %s: %w", ref, status, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("case %s is already %s: %w", ref, status, ErrUnchanged)
		}
		kind := EventCaseClosed
		if status == "open" {
			kind = EventCaseReopened
		}
		var ev events
		ev.add(id, kind, data)
		return ev.write(ctx, tx, actor, s.now())
	})
}
