package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Event kinds written by intake. Later parts of okit add their own.
const (
	EventCaseOpened      = "case_opened"
	EventCaseReopened    = "case_reopened"
	EventMessageReceived = "message_received"
	EventMessageTooLarge = "message_left_on_server"
	EventSummaryOpened   = "summary_decrypted"
)

// Event is one entry of a case's history. Data holds ids and codes only.
type Event struct {
	ID     int64
	CaseID int64
	Kind   string
	Actor  string
	Data   map[string]any
}

// Events returns a case's history, oldest first.
func (s *Store) Events(ctx context.Context, caseID int64) ([]Event, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, case_id, kind, actor, data FROM case_events WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	evs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Event])
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return evs, nil
}

// events collects events to write in one statement.
type events struct {
	caseIDs []int64
	kinds   []string
	data    []map[string]any
}

func (e *events) add(caseID int64, kind string, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	e.caseIDs = append(e.caseIDs, caseID)
	e.kinds = append(e.kinds, kind)
	e.data = append(e.data, data)
}

// write inserts the collected events in tx.
func (e *events) write(ctx context.Context, tx pgx.Tx, actor string) error {
	b := &pgx.Batch{}
	e.queue(b, actor)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("add events: %w", err)
	}
	return nil
}

// queue adds the insert of the collected events, in order, to b.
func (e *events) queue(b *pgx.Batch, actor string) {
	if len(e.caseIDs) == 0 {
		return
	}
	b.Queue(`INSERT INTO case_events (case_id, kind, actor, data)
		SELECT c, k, $4, d FROM unnest($1::bigint[], $2::text[], $3::jsonb[]) WITH ORDINALITY AS t(c, k, d, n) ORDER BY n`,
		e.caseIDs, e.kinds, e.data, actor)
}
