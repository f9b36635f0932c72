package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

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

// ReplyFacts tells the reply worker about one queued reply.
func (s *Store) ReplyFacts(ctx context.Context, outgoingID int64) (replies.ReplyFacts, error) {
	var f replies.ReplyFacts
	err := s.pool.QueryRow(ctx, `
		SELECT o.case_id, o.kind, o.template, coalesce(o.signature, ''), o.text_sealed, coalesce(h.intake_phone, ''),
			o.state, c.language, m.summary_sealed, cp.raw_sealed,
			coalesce(o.to_field, 'from'), CASE o.to_field WHEN 'reply_to' THEN tm.reply_to_sealed ELSE tm.summary_sealed END
		FROM outgoing o JOIN cases c ON c.id = o.case_id JOIN messages m ON m.id = o.answers
		LEFT JOIN messages tm ON tm.id = o.to_message
		LEFT JOIN messages cp ON cp.id = o.copy_id LEFT JOIN shelters h ON h.id = o.shelter_id
		WHERE o.id = $1`, outgoingID).Scan(&f.CaseID, &f.Kind, &f.Template, &f.Operator, &f.TextSealed, &f.HomePhone,
		&f.State, &f.Language, &f.SummarySealed, &f.CopySealed, &f.ToField, &f.ToSealed)
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
	// To is where the answer goes, one of the case's Addresses: zero for
	// its Default. Picking an address that is not the writer's makes it
	// one (confirmed, an event).
	To AddressRef
	// UserID is the console user answering; 0 from the command line. A
	// case assigned to a colleague is answered in the console only with
	// TakeOver (it becomes the user's, an event), and the user's draft on
	// the case goes with the answer.
	UserID   int64
	TakeOver bool
	// After confirms an answer that follows a colleague's recent one: the
	// id of that outgoing mail, as the operator was shown it.
	After int64
}

// ErrAssignedElsewhere refuses a console answer on a colleague's case
// that the operator did not ask to take over.
var ErrAssignedElsewhere = errors.New("the case is assigned to a colleague: take it over to answer it")

// RecentAnswerWindow is how long after a colleague's mail to a writer a
// console answer needs the operator to confirm that they saw it: two
// people answering one writer minutes apart is the mistake it stops.
const RecentAnswerWindow = 10 * time.Minute

// RecentAnswerError refuses an answer that follows a colleague's
// mail on the case within RecentAnswerWindow, unless the operator
// confirmed it (Reply.After).
type RecentAnswerError struct {
	OutgoingID int64
	Actor      string
	At         time.Time
}

func (e *RecentAnswerError) Error() string {
	return fmt.Sprintf("%s wrote to the writer at %s (outgoing %d): confirm a second answer", e.Actor, e.At.Format(time.RFC3339), e.OutgoingID)
}

// AddressRef names an address of a case: the From or Reply-To of one of
// its messages.
type AddressRef struct {
	MessageID int64
	Field     replies.Field
}

// ErrPickAddress refuses an answer without an address picked when the
// case's latest message asks for answers at an address that is not its
// writer's.
var ErrPickAddress = errors.New("the latest message came from, or asks for answers at, an address that is not the case's writer's: " +
	"pick the address the answer goes to")

// QueueReply queues an operator's reply to the case's latest incoming
// message, and records it as the case's first human response if it is
// one. The reply worker sends it.
func (s *Store) QueueReply(ctx context.Context, r Reply) (int64, error) {
	var id int64
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var caseID, answers, assignee int64
		var flags []string
		err := tx.QueryRow(ctx, `SELECT id, flags, coalesce(assignee_id, 0) FROM cases WHERE ref = $1 FOR UPDATE`,
			r.CaseRef).Scan(&caseID, &flags, &assignee)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("case %s: %w", r.CaseRef, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("queue reply: %w", err)
		}
		if slices.Contains(flags, string(triage.FlagDoNotReply)) && !r.SafeChannel {
			return ErrDoNotReply
		}
		if err := s.colleagues(ctx, tx, caseID, assignee, r); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `SELECT id FROM messages WHERE case_id = $1 AND direction = 'in'
			ORDER BY internal_date DESC, id DESC LIMIT 1`, caseID).Scan(&answers)
		if err != nil {
			return fmt.Errorf("queue reply: the case's last message: %w", err)
		}
		to, err := s.pickAddress(ctx, tx, caseID, r.To, r.Actor)
		if err != nil {
			return err
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
			INSERT INTO outgoing (case_id, answers, kind, automatic, template, text_sealed, shelter_id, actor, signature, state,
				to_message, to_field, to_digest)
			VALUES ($1, $2, $3, false, $4, $5, $6, $7, nullif($8, ''), $9, $10, $11, $12) RETURNING id`,
			caseID, answers, r.Kind, r.Template, r.TextSealed, shelter, r.Actor, r.Signature, replies.StateQueued,
			to.MessageID, to.Field, to.Digest).Scan(&id)
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
			"shelter_id": shelter, "safe_channel_confirmed": r.SafeChannel,
			"to_message": to.MessageID, "to_field": to.Field, "to_picked": r.To != AddressRef{}})
		if err := ev.write(ctx, tx, r.Actor, s.now()); err != nil {
			return err
		}
		return s.firstResponse(ctx, tx, caseID, r.Actor)
	})
	return id, err
}

// OutgoingText is the operator's words of an outgoing mail on a case,
// sealed; nil for a mail without any (a crisis-home contact).
func (s *Store) OutgoingText(ctx context.Context, caseID, id int64) ([]byte, error) {
	var sealed []byte
	err := s.pool.QueryRow(ctx, `SELECT text_sealed FROM outgoing WHERE case_id = $1 AND id = $2`, caseID, id).Scan(&sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("outgoing %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read outgoing %d: %w", id, err)
	}
	return sealed, nil
}

// colleagues checks an answer against colleagues' work on the case, under
// the case's lock: a colleague's mail to the writer within
// RecentAnswerWindow needs the operator's confirmation, from the console
// or the command line; in the console, a case of someone else's is taken
// over only when asked (an event), and the answering user's draft goes.
func (s *Store) colleagues(ctx context.Context, tx pgx.Tx, caseID, assignee int64, r Reply) error {
	console := r.UserID != 0
	if console && assignee != 0 && assignee != r.UserID {
		if !r.TakeOver {
			return ErrAssignedElsewhere
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET assignee_id = $2 WHERE id = $1`, caseID, r.UserID); err != nil {
			return fmt.Errorf("take over: %w", err)
		}
		var ev events
		ev.add(caseID, EventAssigned, map[string]any{"to": r.UserID, "from": assignee, "reason": "by_hand", "why": "take_over"})
		if err := ev.write(ctx, tx, r.Actor, s.now()); err != nil {
			return err
		}
	}
	var recent RecentAnswerError
	err := tx.QueryRow(ctx, `SELECT id, actor, created_at FROM outgoing
		WHERE case_id = $1 AND NOT automatic AND actor <> $2 AND created_at > $3 ORDER BY id DESC LIMIT 1`,
		caseID, r.Actor, s.now().Add(-RecentAnswerWindow)).Scan(&recent.OutgoingID, &recent.Actor, &recent.At)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return fmt.Errorf("read recent answers: %w", err)
	case recent.OutgoingID != r.After:
		return &recent
	}
	if !console {
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM drafts WHERE case_id = $1 AND user_id = $2`, caseID, r.UserID); err != nil {
		return fmt.Errorf("drop draft: %w", err)
	}
	return nil
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

// pickAddress finds where an answer on the case goes: the address ref
// names, or the case's Default. An address picked that is not yet the
// writer's becomes one, confirmed by actor, with an event.
func (s *Store) pickAddress(ctx context.Context, tx pgx.Tx, caseID int64, ref AddressRef, actor string) (Address, error) {
	addrs, err := addresses(ctx, tx, caseID)
	if err != nil {
		return Address{}, err
	}
	i := slices.IndexFunc(addrs, func(a Address) bool {
		if ref == (AddressRef{}) {
			return a.Default
		}
		return a.MessageID == ref.MessageID && a.Field == ref.Field
	})
	switch {
	case i < 0 && ref == (AddressRef{}):
		return Address{}, ErrPickAddress
	case i < 0:
		return Address{}, fmt.Errorf("address %s of message %d on this case: %w", ref.Field, ref.MessageID, ErrNotFound)
	}
	a := addrs[i]
	if a.Writer {
		return a, nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO case_writers (case_id, message_id, field, address_digest, source, added_by)
		VALUES ($1, $2, $3, $4, $5, $6)`, caseID, a.MessageID, a.Field, a.Digest, WriterConfirmed, actor)
	if err != nil {
		return Address{}, fmt.Errorf("confirm the address: %w", err)
	}
	var ev events
	ev.add(caseID, EventWriterConfirmed, map[string]any{"message_id": a.MessageID, "field": a.Field})
	return a, ev.write(ctx, tx, actor, s.now())
}
