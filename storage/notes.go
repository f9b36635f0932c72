package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Kinds of note.
const (
	NoteText           = "note"            // an operator's note on a case
	NotePriorityReason = "priority_reason" // why an operator set a priority
)

// Note is a sealed text on a case: an operator's note or the reason given
// for a priority.
type Note struct {
	ID         int64
	CaseID     int64
	Kind       string
	BodySealed []byte
	Author     string
	CreatedAt  time.Time
}

// AddNote adds a sealed note to the case ref, with its event.
func (s *Store) AddNote(ctx context.Context, ref string, bodySealed []byte, actor string) (int64, error) {
	var id int64
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		caseID, err := caseID(ctx, tx, ref, false)
		if err != nil {
			return err
		}
		if id, err = addNote(ctx, tx, caseID, NoteText, bodySealed, actor); err != nil {
			return err
		}
		var ev events
		ev.add(caseID, EventNoteAdded, map[string]any{"note": id})
		return ev.write(ctx, tx, actor, s.now())
	})
	return id, err
}

// Notes returns a case's notes, oldest first.
func (s *Store) Notes(ctx context.Context, caseID int64) ([]Note, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, case_id, kind, body_sealed, author, created_at FROM notes WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read notes: %w", err)
	}
	ns, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Note])
	if err != nil {
		return nil, fmt.Errorf("read notes: %w", err)
	}
	return ns, nil
}

func addNote(ctx context.Context, tx pgx.Tx, caseID int64, kind string, bodySealed []byte, actor string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO notes (case_id, kind, body_sealed, author, created_at) VALUES ($1, $2, $3, $4, now()) RETURNING id`,
		caseID, kind, bodySealed, actor).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add note: %w", err)
	}
	return id, nil
}

// caseID finds the case ref, locking its row when lock is set.
func caseID(ctx context.Context, tx pgx.Tx, ref string, lock bool) (int64, error) {
	q := `SELECT id FROM cases WHERE ref = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	var id int64
	err := tx.QueryRow(ctx, q, ref).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("case %s: %w", ref, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("find case %s: %w", ref, err)
	}
	return id, nil
}
