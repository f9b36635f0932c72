package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// EventDraftOpened records that a person's draft answer on a case was
// decrypted, to put it back in their answer form.
const EventDraftOpened EventKind = "draft_decrypted"

// Draft is the answer a person was writing on a case, sealed.
type Draft struct {
	TextSealed []byte
	SavedAt    time.Time
}

// SaveDraft keeps the user's draft answer on the open case of ref; a nil
// text drops it.
func (s *Store) SaveDraft(ctx context.Context, ref string, userID int64, sealed []byte) error {
	if sealed == nil {
		_, err := s.pool.Exec(ctx, `DELETE FROM drafts WHERE user_id = $2 AND case_id = (SELECT id FROM cases WHERE ref = $1)`, ref, userID)
		if err != nil {
			return fmt.Errorf("drop draft: %w", err)
		}
		return nil
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO drafts (case_id, user_id, text_sealed, saved_at)
		SELECT id, $2, $3, $4 FROM cases WHERE ref = $1 AND status = 'open' AND purged_at IS NULL
		ON CONFLICT (case_id, user_id) DO UPDATE SET text_sealed = excluded.text_sealed, saved_at = excluded.saved_at`,
		ref, userID, sealed, s.now())
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("case %s (or not open): %w", ref, ErrNotFound)
	}
	return nil
}

// DraftOf returns the user's draft on a case, recording first that it is
// opened; ErrNotFound when there is none.
func (s *Store) DraftOf(ctx context.Context, caseID, userID int64, actor string) (Draft, error) {
	var d Draft
	err := s.pool.QueryRow(ctx, `SELECT text_sealed, saved_at FROM drafts WHERE case_id = $1 AND user_id = $2`,
		caseID, userID).Scan(&d.TextSealed, &d.SavedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("read draft: %w", err)
	}
	if err := s.RecordOn(ctx, caseID, EventDraftOpened, actor, nil); err != nil {
		return d, err
	}
	return d, nil
}
