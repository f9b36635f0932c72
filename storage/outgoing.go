package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/triage"
)

// Event kinds of outgoing mail.
const (
	EventReplyQueued   = "reply_queued"
	EventReminder      = "reminder"
	EventReplyBounced  = "reply_bounced"
	EventAckSuppressed = "ack_suppressed"
	EventReplySent     = "ack_sent"
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
			jobs = append(jobs, river.InsertManyParams{Args: replies.ReplyArgs{OutgoingID: id}})
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
	return ev.write(ctx, tx, "intake", s.now())
}

// lastAck is the time of the case's latest other acknowledgement, over
// outgoing o.
const lastAck = `(SELECT max(m2.internal_date) FROM outgoing o2 JOIN messages m2 ON m2.id = o2.copy_id
	WHERE o2.case_id = o.case_id AND o2.kind = 'ack' AND o2.state IN ('composed', 'sent') AND o2.id <> o.id)`

// ReplyFacts tells the reply worker about one queued acknowledgement.
func (s *Store) ReplyFacts(ctx context.Context, outgoingID int64) (replies.ReplyFacts, error) {
	var f replies.ReplyFacts
	var flags []string
	var last *time.Time
	err := s.pool.QueryRow(ctx, `
		SELECT o.case_id, o.kind, o.template, coalesce(o.signature, ''), o.text_sealed, coalesce(h.intake_phone, ''),
			o.state, c.language, c.flags || m.flags, m.summary_sealed, cp.raw_sealed, `+lastAck+`
		FROM outgoing o JOIN cases c ON c.id = o.case_id JOIN messages m ON m.id = o.answers
		LEFT JOIN messages cp ON cp.id = o.copy_id LEFT JOIN shelters h ON h.id = o.shelter_id
		WHERE o.id = $1`, outgoingID).Scan(&f.CaseID, &f.Kind, &f.Template, &f.Operator, &f.TextSealed, &f.HomePhone,
		&f.State, &f.Language, &flags, &f.SummarySealed, &f.CopySealed, &last)
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

// SuppressReply records that no acknowledgement goes out, and why.
func (s *Store) SuppressReply(ctx context.Context, outgoingID int64, reason string) error {
	return s.finishAck(ctx, outgoingID, "suppressed", reason, EventAckSuppressed)
}

// ReplySent records that the mail server accepted the acknowledgement.
func (s *Store) ReplySent(ctx context.Context, outgoingID int64) error {
	return s.finishAck(ctx, outgoingID, "sent", "", EventReplySent)
}

// ReplyFailed records that the mail server refused the acknowledgement for good.
func (s *Store) ReplyFailed(ctx context.Context, outgoingID int64, reason string) error {
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
		return ev.write(ctx, tx, "replies", s.now())
	})
}

// StoreReply stores a composed acknowledgement as a sealed message of the
// case, holding the case so that two messages of one case are never both
// acknowledged within window. It returns false, and records why, when
// another acknowledgement came first.
func (s *Store) StoreReply(ctx context.Context, outgoingID int64, c replies.ReplyCopy, window time.Duration) (bool, error) {
	stored := false
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var caseID int64
		var kind string
		var last *time.Time
		if _, err := tx.Exec(ctx, `SELECT 1 FROM cases WHERE id = (SELECT case_id FROM outgoing WHERE id = $1) FOR UPDATE`, outgoingID); err != nil {
			return fmt.Errorf("store acknowledgement: %w", err)
		}
		err := tx.QueryRow(ctx, `SELECT o.case_id, o.kind, `+lastAck+` FROM outgoing o WHERE o.id = $1 AND o.state = 'queued'`,
			outgoingID).Scan(&caseID, &kind, &last)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // composed by an earlier run of the job
		}
		if err != nil {
			return fmt.Errorf("store acknowledgement: %w", err)
		}
		now := s.now()
		if kind == "ack" && last != nil && now.Sub(*last) < window {
			var ev events
			ev.add(caseID, EventAckSuppressed, map[string]any{"outgoing": outgoingID, "reason": "window"})
			if _, err := tx.Exec(ctx, `UPDATE outgoing SET state = 'suppressed', reason = 'window' WHERE id = $1`, outgoingID); err != nil {
				return fmt.Errorf("store acknowledgement: %w", err)
			}
			return ev.write(ctx, tx, "replies", s.now())
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

// ErrDoNotReply refuses an email answer to a writer who asked not to be
// answered by email or said someone else reads their mail.
var ErrDoNotReply = errors.New("the writer asked not to be answered by email, or said someone reads their mail: " +
	"answer only over a channel you have confirmed is safe")

// Reply is an operator's mail to a case's writer.
type Reply struct {
	CaseRef     string
	Kind        string // answer or crisis_home
	Template    string
	TextSealed  []byte // the operator's own words, sealed; nil for none
	Shelter     string // the crisis home's name, for crisis_home
	Signature   string // the first name the operator signs with
	Actor       string
	SafeChannel bool // the operator confirmed that mail reaches only the writer
	// RemindAfter, for a crisis-home contact, is when the operator is
	// reminded if the writer has not written since.
	RemindAfter time.Duration
}

// QueueReply queues an operator's reply to the case's latest incoming
// message, and records it as the case's first human response if it is
// one. The reply worker sends it.
func (s *Store) QueueReply(ctx context.Context, r Reply) (int64, error) {
	var id int64
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var caseID, answers int64
		var flags []string
		err := tx.QueryRow(ctx, `SELECT id, flags FROM cases WHERE ref = $1 FOR UPDATE`, r.CaseRef).Scan(&caseID, &flags)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("case %s: %w", r.CaseRef, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("queue reply: %w", err)
		}
		if slices.Contains(flags, string(triage.FlagDoNotReply)) && !r.SafeChannel {
			return ErrDoNotReply
		}
		err = tx.QueryRow(ctx, `SELECT id FROM messages WHERE case_id = $1 AND direction = 'in'
			ORDER BY internal_date DESC, id DESC LIMIT 1`, caseID).Scan(&answers)
		if err != nil {
			return fmt.Errorf("queue reply: the case's last message: %w", err)
		}
		var shelter *int64
		if r.Kind == "crisis_home" {
			var hid int64
			err := tx.QueryRow(ctx, `SELECT id FROM shelters WHERE name = $1 AND active`, r.Shelter).Scan(&hid)
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("crisis home %q: %w (or not active)", r.Shelter, ErrNotFound)
			}
			if err != nil {
				return fmt.Errorf("queue reply: %w", err)
			}
			shelter = &hid
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO outgoing (case_id, answers, kind, automatic, template, text_sealed, shelter_id, actor, signature, state)
			VALUES ($1, $2, $3, false, $4, $5, $6, $7, nullif($8, ''), 'queued') RETURNING id`,
			caseID, answers, r.Kind, r.Template, r.TextSealed, shelter, r.Actor, r.Signature).Scan(&id)
		if err != nil {
			return fmt.Errorf("queue reply: %w", err)
		}
		if _, err := s.jobs.InsertTx(ctx, tx, replies.ReplyArgs{OutgoingID: id}, nil); err != nil {
			return fmt.Errorf("queue reply job: %w", err)
		}
		if r.Kind == "crisis_home" {
			at := &river.InsertOpts{ScheduledAt: s.now().Add(r.RemindAfter)}
			if _, err := s.jobs.InsertTx(ctx, tx, replies.ReminderArgs{OutgoingID: id}, at); err != nil {
				return fmt.Errorf("queue reminder job: %w", err)
			}
		}
		var ev events
		ev.add(caseID, EventReplyQueued, map[string]any{"outgoing": id, "kind": r.Kind, "template": r.Template,
			"shelter_id": shelter, "safe_channel_confirmed": r.SafeChannel})
		if err := ev.write(ctx, tx, r.Actor, s.now()); err != nil {
			return err
		}
		return s.firstResponse(ctx, tx, caseID, r.Actor)
	})
	return id, err
}

// Remind records a reminder on the case of a crisis-home contact unless
// the writer has written since it was queued.
func (s *Store) Remind(ctx context.Context, outgoingID int64) (string, bool, error) {
	var ref string
	var caseID int64
	var answered bool
	err := s.pool.QueryRow(ctx, `
		SELECT c.ref, c.id, EXISTS (SELECT 1 FROM messages m WHERE m.case_id = o.case_id AND m.direction = 'in'
			AND m.internal_date > o.created_at)
		FROM outgoing o JOIN cases c ON c.id = o.case_id WHERE o.id = $1`, outgoingID).Scan(&ref, &caseID, &answered)
	if err != nil {
		return "", false, fmt.Errorf("reminder: %w", err)
	}
	if answered {
		return ref, false, nil
	}
	var ev events
	ev.add(caseID, EventReminder, map[string]any{"outgoing": outgoingID, "about": "crisis_home"})
	err = s.InTx(ctx, func(tx pgx.Tx) error { return ev.write(ctx, tx, "replies", s.now()) })
	return ref, err == nil, err
}

// markBounces marks our replies that came back, and flags their cases
// reply_bounced for the operator: the address may be wrong, or no longer
// the writer's.
func (s *Store) markBounces(ctx context.Context, tx pgx.Tx, recs []intake.Record, outs []intake.Outcome) error {
	var ev events
	for i := range recs {
		if outs[i].Duplicate || recs[i].Bounce == nil {
			continue
		}
		rows, err := tx.Query(ctx, `
			UPDATE outgoing o SET state = 'bounced' FROM messages m
			WHERE m.id = o.copy_id AND m.direction = 'out' AND m.message_id_digest = $1
			RETURNING o.id, o.case_id`, recs[i].Bounce)
		if err != nil {
			return fmt.Errorf("mark bounce: %w", err)
		}
		var id, caseID int64
		var bounced []int64
		if _, err := pgx.ForEachRow(rows, []any{&id, &caseID}, func() error {
			ev.add(caseID, EventReplyBounced, map[string]any{"outgoing": id, "message_id": outs[i].MessageID})
			bounced = append(bounced, caseID)
			return nil
		}); err != nil {
			return fmt.Errorf("mark bounce: %w", err)
		}
		_, err = tx.Exec(ctx, `UPDATE cases SET flags = ARRAY(SELECT DISTINCT x FROM unnest(flags || '{reply_bounced}'::text[]) AS x ORDER BY x)
			WHERE id = ANY($1)`, bounced)
		if err != nil {
			return fmt.Errorf("mark bounce: %w", err)
		}
	}
	return ev.write(ctx, tx, "intake", s.now())
}
