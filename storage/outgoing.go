package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/triage"
)

// Event kinds of outgoing mail.
const (
	EventAckSuppressed = "ack_suppressed"
	EventAckSent       = "ack_sent"
	EventSendFailed    = "send_failed"
)

// queueAcks queues an acknowledgement of each stored message that asks
// for one: a job for the reply worker, or, when the writer asked not to be
// answered, a suppressed row and an event that say why. Automated mail
// gets neither.
func (s *Store) queueAcks(ctx context.Context, tx pgx.Tx, recs []intake.Record, outs []intake.Outcome) error {
	var cases, answers []int64
	var states []string
	var ev events
	for i := range recs {
		r, o := &recs[i], &outs[i]
		if o.Duplicate || !r.Acknowledge || r.Verdict.Has(triage.FlagAutomated) {
			continue
		}
		state := "queued"
		if r.Verdict.Has(triage.FlagDoNotReply) {
			state = "suppressed"
			ev.add(o.CaseID, EventAckSuppressed, map[string]any{"message_id": o.MessageID, "reason": "do_not_reply"})
		}
		cases, answers, states = append(cases, o.CaseID), append(answers, o.MessageID), append(states, state)
	}
	if len(cases) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `
		INSERT INTO outgoing (case_id, answers, kind, automatic, state, reason)
		SELECT c, a, 'ack', true, st, CASE WHEN st = 'suppressed' THEN 'do_not_reply' END
		FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS t(c, a, st)
		RETURNING id, state`, cases, answers, states)
	if err != nil {
		return fmt.Errorf("queue acknowledgements: %w", err)
	}
	var jobs []river.InsertManyParams
	var id int64
	var state string
	if _, err := pgx.ForEachRow(rows, []any{&id, &state}, func() error {
		if state == "queued" {
			jobs = append(jobs, river.InsertManyParams{Args: replies.AckArgs{OutgoingID: id}})
		}
		return nil
	}); err != nil {
		return fmt.Errorf("queue acknowledgements: %w", err)
	}
	if len(jobs) > 0 {
		if _, err := s.jobs.InsertManyTx(ctx, tx, jobs); err != nil {
			return fmt.Errorf("queue acknowledgement jobs: %w", err)
		}
	}
	return ev.write(ctx, tx, "intake")
}

// lastAck is the time of the case's latest other acknowledgement, over
// outgoing o.
const lastAck = `(SELECT max(m2.internal_date) FROM outgoing o2 JOIN messages m2 ON m2.id = o2.copy_id
	WHERE o2.case_id = o.case_id AND o2.kind = 'ack' AND o2.state IN ('composed', 'sent') AND o2.id <> o.id)`

// AckFacts tells the reply worker about one queued acknowledgement.
func (s *Store) AckFacts(ctx context.Context, outgoingID int64) (replies.AckFacts, error) {
	var f replies.AckFacts
	var flags []string
	var last *time.Time
	err := s.pool.QueryRow(ctx, `
		SELECT o.case_id, o.state, c.language, m.flags, m.summary_sealed, cp.raw_sealed, `+lastAck+`
		FROM outgoing o JOIN cases c ON c.id = o.case_id JOIN messages m ON m.id = o.answers
		LEFT JOIN messages cp ON cp.id = o.copy_id
		WHERE o.id = $1`, outgoingID).Scan(&f.CaseID, &f.State, &f.Language, &flags, &f.SummarySealed, &f.CopySealed, &last)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, fmt.Errorf("outgoing %d: %w", outgoingID, ErrNotFound)
	}
	if err != nil {
		return f, fmt.Errorf("read acknowledgement: %w", err)
	}
	for _, fl := range flags {
		f.Flags = append(f.Flags, triage.Flag(fl))
	}
	if last != nil {
		f.LastAck = *last
	}
	return f, nil
}

// SuppressAck records that no acknowledgement goes out, and why.
func (s *Store) SuppressAck(ctx context.Context, outgoingID int64, reason string) error {
	return s.finishAck(ctx, outgoingID, "suppressed", reason, EventAckSuppressed)
}

// AckSent records that the mail server accepted the acknowledgement.
func (s *Store) AckSent(ctx context.Context, outgoingID int64) error {
	return s.finishAck(ctx, outgoingID, "sent", "", EventAckSent)
}

// AckFailed records that the mail server refused the acknowledgement for good.
func (s *Store) AckFailed(ctx context.Context, outgoingID int64, reason string) error {
	return s.finishAck(ctx, outgoingID, "failed", reason, EventSendFailed)
}

func (s *Store) finishAck(ctx context.Context, outgoingID int64, state, reason, kind string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var caseID, answers int64
		err := tx.QueryRow(ctx, `
			UPDATE outgoing SET state = $2, reason = nullif($3, ''),
				sent_at = CASE WHEN $2 = 'sent' THEN $4::timestamptz END
			WHERE id = $1 RETURNING case_id, answers`, outgoingID, state, reason, s.now()).Scan(&caseID, &answers)
		if err != nil {
			return fmt.Errorf("record acknowledgement %s: %w", state, err)
		}
		var ev events
		data := map[string]any{"outgoing": outgoingID, "message_id": answers}
		if reason != "" {
			data["reason"] = reason
		}
		ev.add(caseID, kind, data)
		return ev.write(ctx, tx, "replies")
	})
}

// StoreAck stores a composed acknowledgement as a sealed message of the
// case, holding the case so that two messages of one case are never both
// acknowledged within window. It returns false, and records why, when
// another acknowledgement came first.
func (s *Store) StoreAck(ctx context.Context, outgoingID int64, c replies.AckCopy, window time.Duration) (bool, error) {
	stored := false
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var caseID int64
		var last *time.Time
		if _, err := tx.Exec(ctx, `SELECT 1 FROM cases WHERE id = (SELECT case_id FROM outgoing WHERE id = $1) FOR UPDATE`, outgoingID); err != nil {
			return fmt.Errorf("store acknowledgement: %w", err)
		}
		err := tx.QueryRow(ctx, `SELECT o.case_id, `+lastAck+` FROM outgoing o WHERE o.id = $1 AND o.state = 'queued'`,
			outgoingID).Scan(&caseID, &last)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // composed by an earlier run of the job
		}
		if err != nil {
			return fmt.Errorf("store acknowledgement: %w", err)
		}
		now := s.now()
		if last != nil && now.Sub(*last) < window {
			var ev events
			ev.add(caseID, EventAckSuppressed, map[string]any{"outgoing": outgoingID, "reason": "window"})
			if _, err := tx.Exec(ctx, `UPDATE outgoing SET state = 'suppressed', reason = 'window' WHERE id = $1`, outgoingID); err != nil {
				return fmt.Errorf("store acknowledgement: %w", err)
			}
			return ev.write(ctx, tx, "replies")
		}
		_, err = tx.Exec(ctx, `
			WITH m AS (
				INSERT INTO messages (case_id, direction, raw_sealed, summary_sealed, raw_digest, message_id_digest,
					size, internal_date, parse_status)
				VALUES ($2, 'out', $3, $4, $5, $6, $7, $8, 'ok') RETURNING id)
			UPDATE outgoing SET state = 'composed', copy_id = m.id FROM m WHERE outgoing.id = $1`,
			outgoingID, caseID, c.Sealed, c.SummarySealed, c.RawDigest, c.MessageIDDigest, c.Size, now)
		if err != nil {
			return fmt.Errorf("store acknowledgement: %w", err)
		}
		stored = true
		return nil
	})
	return stored, err
}
