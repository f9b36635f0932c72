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

func addEvent(ctx context.Context, tx pgx.Tx, caseID int64, kind, actor string, data map[string]any) error {
	if data == nil {
		data = map[string]any{}
	}
	_, err := tx.Exec(ctx, `INSERT INTO case_events (case_id, kind, actor, data) VALUES ($1, $2, $3, $4)`,
		caseID, kind, actor, data)
	if err != nil {
		return fmt.Errorf("add %s event: %w", kind, err)
	}
	return nil
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
