package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// EventSavedAnswer records a change of a saved answer: added, changed or
// removed, by whom.
const EventSavedAnswer EventKind = "saved_answer_changed"

// SavedAnswer is a text of the service's own that operators insert into
// answers: per language and voice, in the order supervisors give.
type SavedAnswer struct {
	ID        int64
	Title     string
	Language  string
	Voice     string
	Body      string
	Position  int
	UpdatedAt time.Time
	UpdatedBy string
}

// ErrDuplicate means a saved answer of that title exists already in its
// language and voice.
var ErrDuplicate = errors.New("a saved answer of that title exists already")

// SavedAnswers returns the saved answers of a language ("" for all), in
// order.
func (s *Store) SavedAnswers(ctx context.Context, language string) ([]SavedAnswer, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, title, language, voice, body, position, updated_at, updated_by FROM saved_answers
		WHERE $1 = '' OR language = $1 ORDER BY language, voice, position, title`, language)
	if err != nil {
		return nil, fmt.Errorf("read saved answers: %w", err)
	}
	as, err := pgx.CollectRows(rows, pgx.RowToStructByPos[SavedAnswer])
	if err != nil {
		return nil, fmt.Errorf("read saved answers: %w", err)
	}
	return as, nil
}

// SaveAnswer adds a saved answer (ID 0) or changes one, with its event.
func (s *Store) SaveAnswer(ctx context.Context, a SavedAnswer, actor string) (int64, error) {
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		what := "changed"
		if a.ID == 0 {
			what = "added"
			err = tx.QueryRow(ctx, `INSERT INTO saved_answers (title, language, voice, body, position, updated_at, updated_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, a.Title, a.Language, a.Voice, a.Body, a.Position, s.now(), actor).Scan(&a.ID)
		} else {
			var tag pgconn.CommandTag
			tag, err = tx.Exec(ctx, `UPDATE saved_answers SET title = $2, language = $3, voice = $4, body = $5, position = $6,
				updated_at = $7, updated_by = $8 WHERE id = $1`, a.ID, a.Title, a.Language, a.Voice, a.Body, a.Position, s.now(), actor)
			if err == nil && tag.RowsAffected() == 0 {
				err = ErrNotFound
			}
		}
		if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == "23505" {
			return ErrDuplicate
		}
		if err != nil {
			return err
		}
		var ev events
		ev.add(0, EventSavedAnswer, map[string]any{"saved_answer": a.ID, "what": what, "language": a.Language, "voice": a.Voice})
		return ev.write(ctx, tx, actor, s.now())
	})
	if err != nil {
		return 0, fmt.Errorf("save answer %q: %w", a.Title, err)
	}
	return a.ID, nil
}

// DeleteAnswer removes a saved answer, with its event.
func (s *Store) DeleteAnswer(ctx context.Context, id int64, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM saved_answers WHERE id = $1`, id)
		if err == nil && tag.RowsAffected() == 0 {
			return fmt.Errorf("saved answer %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("delete saved answer %d: %w", id, err)
		}
		var ev events
		ev.add(0, EventSavedAnswer, map[string]any{"saved_answer": id, "what": "removed"})
		return ev.write(ctx, tx, actor, s.now())
	})
}
