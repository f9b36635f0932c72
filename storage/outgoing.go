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
	EventReplyQueued     EventKind = "reply_queued"
	EventReminder        EventKind = "reminder"
	EventReplyBounced    EventKind = "reply_bounced"
	EventReplySuppressed EventKind = "reply_suppressed"
	EventReplySent       EventKind = "reply_sent"
	EventSendFailed      EventKind = "send_failed"
)

// queueAcks decides, by the acknowledgement policy, whether each stored
// message of a person is acknowledged (replies.AckPolicy.Decide; the rule
// is there, storage gathers the facts and records the answer): yes queues
// a job for the reply worker; no records a suppressed reply and an event
// saying why. Automated mail gets neither. Save holds the mailbox lock,
// so the facts cannot change under it: a case's latest acknowledgement
// is the one this batch queued, or one read here.
func (s *Store) queueAcks(ctx context.Context, tx pgx.Tx, policy *replies.AckPolicy, recs []intake.Record, outs []intake.Outcome) error {
	if policy == nil {
		return nil
	}
	var caseIDs []int64
	for i := range recs {
		if !outs[i].Duplicate {
			caseIDs = append(caseIDs, outs[i].CaseID)
		}
	}
	flags := map[int64][]triage.Flag{}
	lastAck := map[int64]time.Time{}
	rows, err := tx.Query(ctx, `
		SELECT c.id, c.flags, (SELECT max(o.created_at) FROM outgoing o
			WHERE o.case_id = c.id AND o.kind = $2 AND o.state = ANY($3))
		FROM cases c WHERE c.id = ANY($1)`,
		caseIDs, replies.KindAck, []replies.State{replies.StateQueued, replies.StateComposed, replies.StateSent})
	if err != nil {
		return fmt.Errorf("acknowledgement facts: %w", err)
	}
	var id int64
	var fs []triage.Flag
	var last *time.Time
	if _, err := pgx.ForEachRow(rows, []any{&id, &fs, &last}, func() error {
		flags[id] = fs
		if last != nil {
			lastAck[id] = *last
		}
		return nil
	}); err != nil {
		return fmt.Errorf("acknowledgement facts: %w", err)
	}

	now := s.now()
	var cases, answers []int64
	var states []replies.State
	var reasons []*replies.AckReason
	var ev events
	for i := range recs {
		r, o := &recs[i], &outs[i]
		if o.Duplicate {
			continue
		}
		reason := policy.Decide(replies.AckInput{Recipient: r.Recipient,
			Flags: append(slices.Clone(r.Verdict.Flags), flags[o.CaseID]...), LastAck: lastAck[o.CaseID], Now: now})
		switch reason {
		case replies.AckAutomated:
			continue // a machine: no reply, and nothing to tell the operator
		case replies.AckOK:
			lastAck[o.CaseID] = now
			states, reasons = append(states, replies.StateQueued), append(reasons, nil)
		default:
			ev.add(o.CaseID, EventReplySuppressed, map[string]any{"message_id": o.MessageID, "reason": reason})
			states, reasons = append(states, replies.StateSuppressed), append(reasons, &reason)
		}
		cases, answers = append(cases, o.CaseID), append(answers, o.MessageID)
	}
	if len(cases) == 0 {
		return nil
	}
	rows, err = tx.Query(ctx, `
		INSERT INTO outgoing (case_id, answers, kind, automatic, state, reason)
		SELECT c, a, $4, true, st, r FROM unnest($1::bigint[], $2::bigint[], $3::text[], $5::text[]) AS t(c, a, st, r)
		RETURNING id, state`, cases, answers, states, replies.KindAck, reasons)
	if err != nil {
		return fmt.Errorf("queue acknowledgements: %w", err)
	}
	var jobs []river.InsertManyParams
	var state replies.State
	if _, err := pgx.ForEachRow(rows, []any{&id, &state}, func() error {
		if state == replies.StateQueued {
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
	return ev.write(ctx, tx, "intake", now)
}

// ReplyFacts tells the reply worker about one queued reply.
func (s *Store) ReplyFacts(ctx context.Context, outgoingID int64) (replies.ReplyFacts, error) {
	var f replies.ReplyFacts
	err := s.pool.QueryRow(ctx, `
		SELECT o.case_id, o.kind, o.template, coalesce(o.signature, ''), o.text_sealed, coalesce(h.intake_phone, ''),
			o.state, c.language, m.summary_sealed, cp.raw_sealed
		FROM outgoing o JOIN cases c ON c.id = o.case_id JOIN messages m ON m.id = o.answers
		LEFT JOIN messages cp ON cp.id = o.copy_id LEFT JOIN shelters h ON h.id = o.shelter_id
		WHERE o.id = $1`, outgoingID).Scan(&f.CaseID, &f.Kind, &f.Template, &f.Operator, &f.TextSealed, &f.HomePhone,
		&f.State, &f.Language, &f.SummarySealed, &f.CopySealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, fmt.Errorf("outgoing %d: %w", outgoingID, ErrNotFound)
	}
	if err != nil {
		return f, fmt.Errorf("read reply: %w", err)
	}
	return f, nil
}

// SuppressReply records that a reply does not go out, and why.
func (s *Store) SuppressReply(ctx context.Context, outgoingID int64, reason replies.AckReason) error {
	return s.finishReply(ctx, outgoingID, replies.StateSuppressed, string(reason), EventReplySuppressed)
}

// ReplySent records that the mail server accepted the reply.
func (s *Store) ReplySent(ctx context.Context, outgoingID int64) error {
	return s.finishReply(ctx, outgoingID, replies.StateSent, "", EventReplySent)
}

// ReplyFailed records that the mail server refused the reply for good.
func (s *Store) ReplyFailed(ctx context.Context, outgoingID int64, reason string) error {
	return s.finishReply(ctx, outgoingID, replies.StateFailed, reason, EventSendFailed)
}

func (s *Store) finishReply(ctx context.Context, outgoingID int64, state replies.State, reason string, kind EventKind) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var caseID, answers int64
		err := tx.QueryRow(ctx, `
			UPDATE outgoing SET state = $2, reason = nullif($3, ''),
				sent_at = CASE WHEN $2 = $5 THEN $4::timestamptz END
			WHERE id = $1 RETURNING case_id, answers`, outgoingID, state, reason, s.now(), replies.StateSent).Scan(&caseID, &answers)
		if err != nil {
			return fmt.Errorf("record reply %s: %w", state, err)
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

// StoreReply stores the composed copy of a queued reply as a sealed
// message of its case, before it is sent. It returns false when the reply
// is no longer queued: an earlier run of its job composed it.
func (s *Store) StoreReply(ctx context.Context, outgoingID int64, c replies.ReplyCopy) (bool, error) {
	tag, err := s.pool.Exec(ctx, `
		WITH o AS (SELECT id, case_id FROM outgoing WHERE id = $1 AND state = $9 FOR UPDATE),
		m AS (
			INSERT INTO messages (case_id, direction, raw_sealed, summary_sealed, raw_digest, message_id_digest,
				size, internal_date, parse_status)
			SELECT o.case_id, 'out', $2, $3, $4, $5, $6, $7, 'ok' FROM o RETURNING id)
		UPDATE outgoing SET state = $8, copy_id = m.id FROM m WHERE outgoing.id = $1`,
		outgoingID, c.Sealed, c.SummarySealed, c.RawDigest, c.MessageIDDigest, c.Size, s.now(), replies.StateComposed, replies.StateQueued)
	if err != nil {
		return false, fmt.Errorf("store reply: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ErrDoNotReply refuses an email answer to a writer who asked not to be
// answered by email or said someone else reads their mail.
var ErrDoNotReply = errors.New("the writer asked not to be answered by email, or said someone reads their mail: " +
	"answer only over a channel you have confirmed is safe")

// Reply is an operator's mail to a case's writer.
type Reply struct {
	CaseRef     string
	Kind        replies.Kind // answer or crisis_home
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
		if r.Kind == replies.KindCrisisHome {
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
			VALUES ($1, $2, $3, false, $4, $5, $6, $7, nullif($8, ''), $9) RETURNING id`,
			caseID, answers, r.Kind, r.Template, r.TextSealed, shelter, r.Actor, r.Signature, replies.StateQueued).Scan(&id)
		if err != nil {
			return fmt.Errorf("queue reply: %w", err)
		}
		if _, err := s.jobs.InsertTx(ctx, tx, replies.ReplyArgs{OutgoingID: id}, nil); err != nil {
			return fmt.Errorf("queue reply job: %w", err)
		}
		if r.Kind == replies.KindCrisisHome {
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
	ev.add(caseID, EventReminder, map[string]any{"outgoing": outgoingID, "about": replies.KindCrisisHome})
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
			UPDATE outgoing o SET state = $2 FROM messages m
			WHERE m.id = o.copy_id AND m.direction = 'out' AND m.message_id_digest = $1
			RETURNING o.id, o.case_id`, recs[i].Bounce, replies.StateBounced)
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
