package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/replies"
)

// EventPurged records that a case's content was purged, with counts.
const EventPurged = "purged"

// purgeActor is who purges, in the event log.
const purgeActor = "system:purge"

// purgeBatch is how many cases one purge transaction takes.
const purgeBatch = 100

// PurgeCounts says what a purge removed, or would remove.
type PurgeCounts struct {
	Cases    int64 // cases purged
	Messages int64 // messages whose sealed copy, summary and digests were removed (ours included)
	Notes    int64 // notes deleted
	Outgoing int64 // outgoing mails whose sealed text was removed
	Jobs     int64 // job rows deleted (their arguments and errors)
}

// purgeable selects the closed cases whose retention ran out before $1:
// never purged, or closed again after a purge (a reopened case may have
// gained notes).
const purgeable = `SELECT id FROM cases
	WHERE status = 'closed' AND closed_at < $1 AND (purged_at IS NULL OR purged_at < closed_at)`

// jobOf matches a reply or reminder job (kinds $2) of outgoing mail o,
// unless it is running now: its worker would find the row gone, and the
// next purge takes what it leaves.
const jobOf = `j.args->>'outgoing_id' = o.id::text AND j.kind = ANY($2) AND j.state <> 'running'`

// Purge removes the content of the closed cases closed longer than
// retention ago, in batches, each case with a purged event in the same
// transaction. It is safe to repeat and to run from several processes at
// once. With dryRun it only counts.
func (s *Store) Purge(ctx context.Context, retention time.Duration, dryRun bool) (PurgeCounts, error) {
	before := s.now().Add(-retention)
	if dryRun {
		return s.purgeCount(ctx, before)
	}
	var total PurgeCounts
	for {
		var n PurgeCounts
		err := s.InTx(ctx, func(tx pgx.Tx) error {
			var err error
			n, err = s.purgeBatch(ctx, tx, before)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("purge: %w", err)
		}
		total.add(n)
		if n.Cases < purgeBatch {
			return total, nil
		}
	}
}

func (c *PurgeCounts) add(n PurgeCounts) {
	c.Cases, c.Messages, c.Notes, c.Outgoing, c.Jobs = c.Cases+n.Cases, c.Messages+n.Messages, c.Notes+n.Notes, c.Outgoing+n.Outgoing, c.Jobs+n.Jobs
}

var jobKinds = []string{replies.ReplyArgs{}.Kind(), replies.ReminderArgs{}.Kind()}

func (s *Store) purgeCount(ctx context.Context, before time.Time) (PurgeCounts, error) {
	var c PurgeCounts
	err := s.pool.QueryRow(ctx, `
		WITH p AS (`+purgeable+`)
		SELECT (SELECT count(*) FROM p),
			(SELECT count(*) FROM messages WHERE case_id IN (SELECT id FROM p)),
			(SELECT count(*) FROM notes WHERE case_id IN (SELECT id FROM p)),
			(SELECT count(*) FROM outgoing WHERE case_id IN (SELECT id FROM p) AND text_sealed IS NOT NULL),
			(SELECT count(*) FROM river_job j JOIN outgoing o ON `+jobOf+` WHERE o.case_id IN (SELECT id FROM p))`,
		before, jobKinds).Scan(&c.Cases, &c.Messages, &c.Notes, &c.Outgoing, &c.Jobs)
	if err != nil {
		return c, fmt.Errorf("count what to purge: %w", err)
	}
	return c, nil
}

// purgeBatch purges up to purgeBatch cases, skipping any another
// transaction holds (a purge elsewhere, or an operator at work).
func (s *Store) purgeBatch(ctx context.Context, tx pgx.Tx, before time.Time) (PurgeCounts, error) {
	var total PurgeCounts
	rows, err := tx.Query(ctx, purgeable+` ORDER BY closed_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`, before, purgeBatch)
	if err != nil {
		return total, fmt.Errorf("find cases to purge: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) == 0 {
		return total, err
	}
	per := make(map[int64]*PurgeCounts, len(ids))
	for _, id := range ids {
		per[id] = &PurgeCounts{Cases: 1}
	}
	// Each statement returns the case id of every row it changed.
	steps := []struct {
		sql   string
		args  []any
		count func(*PurgeCounts) *int64
	}{
		{`DELETE FROM river_job j USING outgoing o WHERE o.case_id = ANY($1) AND ` + jobOf + ` RETURNING o.case_id`,
			[]any{ids, jobKinds}, func(c *PurgeCounts) *int64 { return &c.Jobs }},
		{`UPDATE outgoing SET text_sealed = NULL WHERE case_id = ANY($1) AND text_sealed IS NOT NULL RETURNING case_id`,
			[]any{ids}, func(c *PurgeCounts) *int64 { return &c.Outgoing }},
		{`UPDATE messages SET raw_sealed = NULL, summary_sealed = NULL, raw_digest = NULL, sender_digest = NULL, message_id_digest = NULL,
				reply_to_digest = NULL, reply_to_sealed = NULL
			WHERE case_id = ANY($1) RETURNING case_id`,
			[]any{ids}, func(c *PurgeCounts) *int64 { return &c.Messages }},
		{`DELETE FROM notes WHERE case_id = ANY($1) RETURNING case_id`,
			[]any{ids}, func(c *PurgeCounts) *int64 { return &c.Notes }},
	}
	for _, step := range steps {
		rows, err := tx.Query(ctx, step.sql, step.args...)
		if err != nil {
			return total, fmt.Errorf("purge: %w", err)
		}
		var caseID int64
		if _, err := pgx.ForEachRow(rows, []any{&caseID}, func() error {
			*step.count(per[caseID])++
			return nil
		}); err != nil {
			return total, fmt.Errorf("purge: %w", err)
		}
	}
	now := s.now()
	// The keyed digests of addresses, not counted: writers, where replies
	// went, and the case's first sender.
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM case_writers WHERE case_id = ANY($1)`, ids)
	b.Queue(`DELETE FROM drafts WHERE case_id = ANY($1)`, ids)
	b.Queue(`UPDATE outgoing SET to_digest = NULL, to_domain_digest = NULL WHERE case_id = ANY($1)`, ids)
	b.Queue(`UPDATE cases SET sender_digest = NULL, purged_at = $2 WHERE id = ANY($1)`, ids, now)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return total, fmt.Errorf("mark cases purged: %w", err)
	}
	var ev events
	for _, id := range ids {
		c := per[id]
		ev.add(id, EventPurged, map[string]any{"before": before, "messages": c.Messages, "notes": c.Notes, "outgoing": c.Outgoing, "jobs": c.Jobs})
		total.add(*c)
	}
	return total, ev.write(ctx, tx, purgeActor, now)
}
