package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditFilter chooses events of the audit trail; empty fields match all.
type AuditFilter struct {
	CaseRef string // the case's events, and the queue pages that showed its summary
	Actor   string // as recorded: "user:anna", "intake", ...
	Kind    EventKind
	From    time.Time // events at or after, when set
	To      time.Time // events before, when set
	Before  int64     // only events older than this id, for the next page
	Limit   int
}

// AuditEvent is an event with the reference of its case, if any.
type AuditEvent struct {
	Event
	CaseRef string
}

// Audit returns events of the whole trail, newest first.
func (s *Store) Audit(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	where, args := "true", []any{f.Limit}
	add := func(cond string, v any) {
		args = append(args, v)
		where += " AND " + cond + "$" + strconv.Itoa(len(args))
	}
	if f.CaseRef != "" {
		// The case's own events, and the queue pages that showed its summary.
		args = append(args, f.CaseRef)
		n := strconv.Itoa(len(args))
		where += ` AND (c.ref = $` + n + ` OR (e.case_id IS NULL AND e.kind = 'summary_decrypted' AND e.data -> 'cases' @>
			(SELECT to_jsonb(x.id) FROM cases x WHERE x.ref = $` + n + `)))`
	}
	if f.Actor != "" {
		add("e.actor = ", f.Actor)
	}
	if f.Kind != "" {
		add("e.kind = ", f.Kind)
	}
	if !f.From.IsZero() {
		add("e.at >= ", f.From)
	}
	if !f.To.IsZero() {
		add("e.at < ", f.To)
	}
	if f.Before > 0 {
		add("e.id < ", f.Before)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT e.id, coalesce(e.case_id, 0), e.at, e.kind, e.actor, coalesce(host(e.remote_addr), ''), e.data, coalesce(c.ref, '')
		FROM case_events e LEFT JOIN cases c ON c.id = e.case_id
		WHERE `+where+` ORDER BY e.id DESC LIMIT $1`, args...)
	if err != nil {
		return nil, fmt.Errorf("read audit trail: %w", err)
	}
	evs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEvent, error) {
		var a AuditEvent
		e := &a.Event
		err := r.Scan(&e.ID, &e.CaseID, &e.At, &e.Kind, &e.Actor, &e.RemoteAddr, &e.Data, &a.CaseRef)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("read audit trail: %w", err)
	}
	return evs, nil
}

// CaseRefs gives the references of cases by id, for pages that name cases
// an event lists by id.
func (s *Store) CaseRefs(ctx context.Context, ids []int64) (map[int64]string, error) {
	refs := map[int64]string{}
	if len(ids) == 0 {
		return refs, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT id, ref FROM cases WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("read case references: %w", err)
	}
	var id int64
	var ref string
	_, err = pgx.ForEachRow(rows, []any{&id, &ref}, func() error { refs[id] = ref; return nil })
	if err != nil {
		return nil, fmt.Errorf("read case references: %w", err)
	}
	return refs, nil
}
