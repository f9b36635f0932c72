package storage

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/triage"
)

// AlertAckRate is the alert raised when acknowledgements pass an hourly
// limit (replies.Alert); its event has no case.
const AlertAckRate = "ack_rate"

// ackFacts are what the store knows, in the transaction that saves a
// batch, for replies.AckPolicy.Decide; the batch's own decisions are
// added as it goes.
type ackFacts struct {
	flags     map[int64][]triage.Flag
	priority  map[int64]triage.Priority // by case
	lastAck   map[int64]time.Time       // by case
	writers   map[int64][][]byte        // by case
	recipient map[string]time.Time      // last acknowledgement, by address digest
	lastHour  int                       // acknowledgements in the hour before now
	byDomain  map[string]int            // the same, by domain digest
	lastAlert time.Time                 // the latest ack_rate alert, within the hour
}

// gatherAckFacts reads, in one round trip, what Decide needs of the
// batch's cases, addresses and domains.
func gatherAckFacts(ctx context.Context, tx pgx.Tx, recs []intake.Record, outs []intake.Outcome, now time.Time) (ackFacts, error) {
	f := ackFacts{flags: map[int64][]triage.Flag{}, priority: map[int64]triage.Priority{}, lastAck: map[int64]time.Time{}, writers: map[int64][][]byte{},
		recipient: map[string]time.Time{}, byDomain: map[string]int{}}
	var caseIDs []int64
	var tos, domains [][]byte
	for i := range recs {
		if outs[i].Duplicate {
			continue
		}
		caseIDs = append(caseIDs, outs[i].CaseID)
		if d := recs[i].AnswerDigest(); d != nil {
			tos = append(tos, d)
		}
		if recs[i].RecipientDomain != nil {
			domains = append(domains, recs[i].RecipientDomain)
		}
	}
	alias := earlierDigests(recs)
	for d := range alias {
		tos, domains = append(tos, []byte(d)), append(domains, []byte(d))
	}
	hourAgo := now.Add(-time.Hour)
	b := &pgx.Batch{}
	// An acknowledgement counts once queued, until it fails or bounces.
	// The kind and states are written out, not parameters: a plan made
	// for any parameter could not use the partial indexes (schema 10)
	// these counts need once the table is large.
	b.Queue(`SELECT c.id, c.flags, c.priority, (SELECT max(o.created_at) FROM outgoing o
			WHERE o.case_id = c.id AND o.kind = 'ack' AND o.state IN ('queued', 'composed', 'sent'))
		FROM cases c WHERE c.id = ANY($1)`, caseIDs).Query(func(rows pgx.Rows) error {
		var id int64
		var fs []triage.Flag
		var p triage.Priority
		var last *time.Time
		_, err := pgx.ForEachRow(rows, []any{&id, &fs, &p, &last}, func() error {
			f.flags[id], f.priority[id] = fs, p
			if last != nil {
				f.lastAck[id] = *last
			}
			return nil
		})
		return err
	})
	b.Queue(`SELECT case_id, address_digest FROM case_writers WHERE case_id = ANY($1)`, caseIDs).Query(func(rows pgx.Rows) error {
		var id int64
		var d []byte
		_, err := pgx.ForEachRow(rows, []any{&id, &d}, func() error {
			f.writers[id] = append(f.writers[id], []byte(alias.of(d)))
			return nil
		})
		return err
	})
	b.Queue(`SELECT to_digest, max(created_at) FROM outgoing WHERE kind = 'ack' AND state IN ('queued', 'composed', 'sent')
		AND to_digest = ANY($1) GROUP BY to_digest`, tos).Query(func(rows pgx.Rows) error {
		var d []byte
		var at time.Time
		_, err := pgx.ForEachRow(rows, []any{&d, &at}, func() error {
			if k := alias.of(d); at.After(f.recipient[k]) {
				f.recipient[k] = at
			}
			return nil
		})
		return err
	})
	b.Queue(`SELECT count(*) FROM outgoing WHERE kind = 'ack' AND state IN ('queued', 'composed', 'sent') AND created_at > $1`,
		hourAgo).QueryRow(func(row pgx.Row) error { return row.Scan(&f.lastHour) })
	b.Queue(`SELECT to_domain_digest, count(*) FROM outgoing WHERE kind = 'ack' AND state IN ('queued', 'composed', 'sent')
		AND created_at > $1 AND to_domain_digest = ANY($2) GROUP BY to_domain_digest`, hourAgo, domains).Query(func(rows pgx.Rows) error {
		var d []byte
		var n int
		_, err := pgx.ForEachRow(rows, []any{&d, &n}, func() error {
			f.byDomain[alias.of(d)] += n
			return nil
		})
		return err
	})
	b.Queue(`SELECT coalesce(max(at), 'epoch') FROM case_events WHERE kind = $1 AND case_id IS NULL AND at > $2
		AND data->>'alert' = $3`, EventAlert, now.Add(-replies.AlertEvery), AlertAckRate).QueryRow(func(row pgx.Row) error {
		return row.Scan(&f.lastAlert)
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return f, fmt.Errorf("acknowledgement facts: %w", err)
	}
	return f, nil
}

// queueAcks decides, by the acknowledgement policy, whether each stored
// message is acknowledged (replies.AckPolicy.Decide; the rule is there,
// storage gathers the facts and records the answer): yes queues a job for
// the reply worker, to the address DefaultAddressee names; no records a
// suppressed (or, for an address that cannot be written to, failed) reply
// and an event saying why, and passing an hourly limit raises the alert.
// Save holds the mailbox lock, so the facts cannot change under it but
// for what this batch decides, which is counted as it goes.
func (s *Store) queueAcks(ctx context.Context, tx pgx.Tx, policy *replies.AckPolicy, recs []intake.Record, outs []intake.Outcome) error {
	if policy == nil {
		return nil
	}
	now := s.now()
	f, err := gatherAckFacts(ctx, tx, recs, outs, now)
	if err != nil {
		return err
	}
	var cases, answers, toMessages []int64
	var states []replies.State
	var reasons []*replies.AckReason
	var toFields []*replies.Field
	var toDigests, toDomains [][]byte
	var ev, alerts events
	for i := range recs {
		r, o := &recs[i], &outs[i]
		if o.Duplicate {
			continue
		}
		to := r.AnswerDigest()
		field, toWriter := replies.DefaultAddressee(r.SenderDigest, r.ReplyToDigest, f.writers[o.CaseID])
		priority := r.Verdict.Priority
		if p, ok := f.priority[o.CaseID]; ok && p < priority {
			priority = p
		}
		reason := policy.Decide(replies.AckInput{Recipient: r.Recipient, ToWriter: toWriter,
			Flags: append(slices.Clone(r.Verdict.Flags), f.flags[o.CaseID]...), Priority: priority, Language: r.Verdict.Language, Spam: r.Spam != "",
			DMARCFail: r.Auth.DMARCFail(), Verified: r.Auth.Verified, Received: r.InternalDate,
			LastAck: f.lastAck[o.CaseID], RecipientLastAck: f.recipient[string(to)],
			LastHour: f.lastHour, LastHourDomain: f.byDomain[string(r.RecipientDomain)], Now: now})
		cases, answers = append(cases, o.CaseID), append(answers, o.MessageID)
		if reason == replies.AckOK {
			f.lastAck[o.CaseID], f.recipient[string(to)] = now, now
			f.lastHour++
			f.byDomain[string(r.RecipientDomain)]++
			states, reasons = append(states, replies.StateQueued), append(reasons, nil)
			toMessages, toFields = append(toMessages, o.MessageID), append(toFields, &field)
			toDigests, toDomains = append(toDigests, to), append(toDomains, r.RecipientDomain)
			continue
		}
		kind := EventReplySuppressed
		if reason.State() == replies.StateFailed {
			kind = EventSendFailed
		}
		ev.add(o.CaseID, kind, map[string]any{"message_id": o.MessageID, "reason": reason})
		states, reasons = append(states, reason.State()), append(reasons, &reason)
		toMessages, toFields, toDigests, toDomains = append(toMessages, 0), append(toFields, nil), append(toDigests, nil), append(toDomains, nil)
		if replies.Alert(reason, f.lastAlert, now) {
			f.lastAlert, o.AckAlert = now, true
			alerts.add(0, EventAlert, map[string]any{"alert": AlertAckRate, "reason": reason, "case": o.CaseID})
		}
	}
	if len(cases) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `
		INSERT INTO outgoing (case_id, answers, kind, automatic, state, reason, to_message, to_field, to_digest, to_domain_digest, created_at)
		SELECT c, a, $4, true, st, r, nullif(tm, 0), tf, td, tdd, $10
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $5::text[], $6::bigint[], $7::text[], $8::bytea[], $9::bytea[])
			AS t(c, a, st, r, tm, tf, td, tdd)
		RETURNING id, state`, cases, answers, states, replies.KindAck, reasons, toMessages, toFields, toDigests, toDomains, now)
	if err != nil {
		return fmt.Errorf("queue acknowledgements: %w", err)
	}
	var jobs []river.InsertManyParams
	var id int64
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
	if err := alerts.write(ctx, tx, "intake", now); err != nil {
		return err
	}
	return ev.write(ctx, tx, "intake", now)
}

// markBounces marks our replies that came back (intake.Thread accepted
// the report: a daemon returning our message and naming the address it
// went to), and flags their cases reply_bounced for the operator: the
// address may be wrong, or no longer the writer's.
func (s *Store) markBounces(ctx context.Context, tx pgx.Tx, outs []intake.Outcome) error {
	var ids []int64
	byOutgoing := map[int64]int64{} // the report's message, by the reply it returned
	for _, o := range outs {
		if !o.Duplicate && o.Bounced != 0 {
			ids = append(ids, o.Bounced)
			byOutgoing[o.Bounced] = o.MessageID
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `UPDATE outgoing SET state = $2 WHERE id = ANY($1) RETURNING id, case_id`, ids, replies.StateBounced)
	if err != nil {
		return fmt.Errorf("mark bounces: %w", err)
	}
	var ev events
	var id, caseID int64
	var bounced []int64
	if _, err := pgx.ForEachRow(rows, []any{&id, &caseID}, func() error {
		ev.add(caseID, EventReplyBounced, map[string]any{"outgoing": id, "message_id": byOutgoing[id]})
		bounced = append(bounced, caseID)
		return nil
	}); err != nil {
		return fmt.Errorf("mark bounces: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE cases SET flags = ARRAY(SELECT DISTINCT x FROM unnest(flags || '{reply_bounced}'::text[]) AS x ORDER BY x)
		WHERE id = ANY($1)`, bounced)
	if err != nil {
		return fmt.Errorf("mark bounces: %w", err)
	}
	return ev.write(ctx, tx, "intake", s.now())
}
