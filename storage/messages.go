package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/intake"
)

// Save stores incoming messages, each in its case, and advances the
// mailbox checkpoint, all in one transaction. A record whose raw digest is
// already stored is reported as a duplicate and changes nothing.
func (s *Store) Save(ctx context.Context, mailbox string, cp intake.Checkpoint, recs []intake.Record) ([]intake.Outcome, error) {
	outs := make([]intake.Outcome, len(recs))
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		if err := advanceCheckpoint(ctx, tx, mailbox, cp); err != nil {
			return err
		}
		for i := range recs {
			out, err := saveIncoming(ctx, tx, mailbox, cp.UIDValidity, &recs[i])
			if err != nil {
				return fmt.Errorf("uid %d: %w", recs[i].UID, err)
			}
			outs[i] = out
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save messages: %w", err)
	}
	return outs, nil
}

func saveIncoming(ctx context.Context, tx pgx.Tx, mailbox string, uidValidity uint32, r *intake.Record) (intake.Outcome, error) {
	var out intake.Outcome
	err := tx.QueryRow(ctx, `SELECT m.case_id, c.ref, m.id FROM messages m JOIN cases c ON c.id = m.case_id WHERE m.raw_digest = $1`,
		r.RawDigest).Scan(&out.CaseID, &out.CaseRef, &out.MessageID)
	if err == nil {
		out.Duplicate = true
		return out, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return out, fmt.Errorf("look for duplicate: %w", err)
	}

	out.CaseID, out.CaseRef, out.NewCase, err = caseFor(ctx, tx, r)
	if err != nil {
		return out, err
	}
	err = tx.QueryRow(ctx, `
		INSERT INTO messages (case_id, direction, mailbox, uidvalidity, uid, raw_sealed, summary_sealed,
			raw_digest, sender_digest, message_id_digest, size, internal_date, parse_status)
		VALUES ($1, 'in', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		RETURNING id`,
		out.CaseID, mailbox, int64(uidValidity), int64(r.UID), r.RawSealed, r.SummarySealed,
		r.RawDigest, r.SenderDigest, r.MessageIDDigest, r.Size, r.InternalDate, r.Status,
	).Scan(&out.MessageID)
	if err != nil {
		return out, fmt.Errorf("insert message: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE cases SET last_received = greatest(last_received, $2) WHERE id = $1`,
		out.CaseID, r.InternalDate); err != nil {
		return out, fmt.Errorf("update case: %w", err)
	}
	data := map[string]any{"message_id": out.MessageID, "parse_status": r.Status, "size": r.Size}
	if err := addEvent(ctx, tx, out.CaseID, EventMessageReceived, "intake", data); err != nil {
		return out, err
	}
	if r.Status == "oversize" {
		if err := addEvent(ctx, tx, out.CaseID, EventMessageTooLarge, "intake", data); err != nil {
			return out, err
		}
	}
	return out, nil
}

// caseFor threads a message: into the case of a stored message it replies
// to, else into its sender's open case, else into a new case. A closed case
// that gets a reply is reopened.
func caseFor(ctx context.Context, tx pgx.Tx, r *intake.Record) (id int64, ref string, isNew bool, err error) {
	var status string
	if len(r.RefDigests) > 0 {
		err = tx.QueryRow(ctx, `
			SELECT c.id, c.ref, c.status FROM messages m JOIN cases c ON c.id = m.case_id
			WHERE m.message_id_digest = ANY($1) ORDER BY m.id DESC LIMIT 1`, r.RefDigests).Scan(&id, &ref, &status)
		if err == nil {
			if status == "closed" {
				err = reopen(ctx, tx, id)
			}
			return id, ref, false, err
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return 0, "", false, fmt.Errorf("thread by references: %w", err)
		}
	}
	if r.SenderDigest != nil {
		err = tx.QueryRow(ctx, `
			SELECT id, ref FROM cases WHERE sender_digest = $1 AND status = 'open'
			ORDER BY id DESC LIMIT 1`, r.SenderDigest).Scan(&id, &ref)
		if err == nil {
			return id, ref, false, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return 0, "", false, fmt.Errorf("thread by sender: %w", err)
		}
	}
	id, ref, err = openCase(ctx, tx, r)
	return id, ref, true, err
}

func openCase(ctx context.Context, tx pgx.Tx, r *intake.Record) (int64, string, error) {
	var ref string
	err := tx.QueryRow(ctx, `
		WITH n AS (
			INSERT INTO case_ref_counters (year, last) VALUES (extract(year FROM now())::int, 1)
			ON CONFLICT (year) DO UPDATE SET last = case_ref_counters.last + 1
			RETURNING year, last)
		SELECT format('OKIT-%s-%s', year, lpad(last::text, greatest(6, length(last::text)), '0')) FROM n`).Scan(&ref)
	if err != nil {
		return 0, "", fmt.Errorf("number case: %w", err)
	}
	var id int64
	err = tx.QueryRow(ctx, `
		INSERT INTO cases (ref, sender_digest, first_received, last_received)
		VALUES ($1, $2, $3, $3) RETURNING id`, ref, r.SenderDigest, r.InternalDate).Scan(&id)
	if err != nil {
		return 0, "", fmt.Errorf("open case: %w", err)
	}
	return id, ref, addEvent(ctx, tx, id, EventCaseOpened, "intake", nil)
}

func reopen(ctx context.Context, tx pgx.Tx, caseID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE cases SET status = 'open' WHERE id = $1`, caseID); err != nil {
		return fmt.Errorf("reopen case: %w", err)
	}
	return addEvent(ctx, tx, caseID, EventCaseReopened, "intake", map[string]any{"reason": "reply"})
}
