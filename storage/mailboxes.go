package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/intake"
)

// Checkpoint returns the stored checkpoint of mailbox.
func (s *Store) Checkpoint(ctx context.Context, mailbox string) (intake.Checkpoint, bool, error) {
	var v, last int64
	err := s.pool.QueryRow(ctx, `SELECT uidvalidity, last_uid FROM mailboxes WHERE name = $1`, mailbox).Scan(&v, &last)
	if errors.Is(err, pgx.ErrNoRows) {
		return intake.Checkpoint{}, false, nil
	}
	if err != nil {
		return intake.Checkpoint{}, false, fmt.Errorf("read checkpoint: %w", err)
	}
	return intake.Checkpoint{UIDValidity: uint32(v), LastUID: uint32(last)}, true, nil
}

// ResetCheckpoint starts the mailbox over under a new UIDVALIDITY.
func (s *Store) ResetCheckpoint(ctx context.Context, mailbox string, uidValidity uint32) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO mailboxes (name, uidvalidity, last_uid) VALUES ($1, $2, 0)
		ON CONFLICT (name) DO UPDATE SET uidvalidity = $2, last_uid = 0, updated_at = now()`,
		mailbox, int64(uidValidity))
	if err != nil {
		return fmt.Errorf("reset checkpoint: %w", err)
	}
	return nil
}

// LeftOnServer lists the UIDs of messages left in the mailbox because they
// were over the size limit.
func (s *Store) LeftOnServer(ctx context.Context, mailbox string, uidValidity uint32) ([]uint32, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT uid FROM messages
		WHERE mailbox = $1 AND uidvalidity = $2 AND parse_status = 'oversize'`, mailbox, int64(uidValidity))
	if err != nil {
		return nil, fmt.Errorf("list messages left on server: %w", err)
	}
	uids, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (uint32, error) {
		var u int64
		err := r.Scan(&u)
		return uint32(u), err
	})
	if err != nil {
		return nil, fmt.Errorf("list messages left on server: %w", err)
	}
	return uids, nil
}
