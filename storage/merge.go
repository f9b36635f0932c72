package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/triage"
)

// Event kinds of merging and splitting. Each is written on both cases,
// with the same data: the cases ("from", "from_ref", "into" or "to",
// "into_ref" or "to_ref") and the messages moved ("messages"), so that
// either can be undone by the opposite action on those messages.
const (
	EventCaseMerged EventKind = "case_merged"
	EventCaseSplit  EventKind = "case_split"
)

// ErrCannotMove refuses a merge or split that would make no sense: a case
// into itself, a purged case, a split that leaves a case without a
// message from its writer.
var ErrCannotMove = errors.New("cannot do that to these cases")

// lockedCase is what merging and splitting read of a case, locked.
type lockedCase struct {
	id                                 int64
	ref, status, language              string
	purged, merged                     bool
	assignee                           int64
	priority                           triage.Priority
	prioritySetBy                      *string
	firstResponse                      *time.Time
	categories, flags                  []string
	firstReceived, lastReceived, dueAt time.Time
}

// lockCases reads and locks the cases with the given refs, in id order
// (so that two merges of the same pair cannot deadlock).
func lockCases(ctx context.Context, tx pgx.Tx, refs ...string) (map[string]*lockedCase, error) {
	rows, err := tx.Query(ctx, `SELECT id, ref, status, language, purged_at IS NOT NULL, merged_into IS NOT NULL,
			coalesce(assignee_id, 0), priority, priority_set_by, first_response_at, categories, flags,
			first_received, last_received, coalesce(due_at, first_received)
		FROM cases WHERE ref = ANY($1) ORDER BY id FOR UPDATE`, refs)
	if err != nil {
		return nil, fmt.Errorf("lock cases: %w", err)
	}
	out := map[string]*lockedCase{}
	var c lockedCase
	_, err = pgx.ForEachRow(rows, []any{&c.id, &c.ref, &c.status, &c.language, &c.purged, &c.merged, &c.assignee, &c.priority,
		&c.prioritySetBy, &c.firstResponse, &c.categories, &c.flags, &c.firstReceived, &c.lastReceived, &c.dueAt}, func() error {
		cc := c
		out[c.ref] = &cc
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lock cases: %w", err)
	}
	for _, r := range refs {
		if out[r] == nil {
			return nil, fmt.Errorf("case %s: %w", r, ErrNotFound)
		}
		if out[r].purged {
			return nil, fmt.Errorf("case %s was purged: %w", r, ErrCannotMove)
		}
	}
	return out, nil
}

// MergeCases moves every message of case from, with its replies and its
// writer addresses, into case into: for a case opened as "possibly
// related" that the operator finds is the same writer's. from is closed
// and points at into; into takes the higher priority, both cases'
// categories and flags, and is reopened if from was open. Both get a
// case_merged event listing the messages moved: splitting them out of
// into undoes it.
func (s *Store) MergeCases(ctx context.Context, from, into, actor string) error {
	if from == into {
		return fmt.Errorf("case %s into itself: %w", from, ErrCannotMove)
	}
	return s.InTx(ctx, func(tx pgx.Tx) error {
		cs, err := lockCases(ctx, tx, from, into)
		if err != nil {
			return err
		}
		a, b := cs[from], cs[into]
		if a.merged {
			return fmt.Errorf("case %s was merged already: %w", from, ErrUnchanged)
		}
		rows, err := tx.Query(ctx, `UPDATE messages SET case_id = $2 WHERE case_id = $1 RETURNING id`, a.id, b.id)
		if err != nil {
			return fmt.Errorf("merge cases: %w", err)
		}
		moved, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("merge cases: %w", err)
		}
		slices.Sort(moved)
		now := s.now()
		batch := &pgx.Batch{}
		batch.Queue(`UPDATE outgoing SET case_id = $2 WHERE case_id = $1`, a.id, b.id)
		batch.Queue(`UPDATE case_writers SET case_id = $2 WHERE case_id = $1`, a.id, b.id)
		batch.Queue(`UPDATE cases SET status = 'closed', closed_at = coalesce(closed_at, $2), merged_into = $3 WHERE id = $1`, a.id, now, b.id)
		batch.Queue(`
			UPDATE cases SET
				priority = CASE WHEN priority_set_by IS NULL THEN least(priority, $2) ELSE priority END,
				categories = ARRAY(SELECT DISTINCT x FROM unnest(categories || $3::text[]) AS x ORDER BY x),
				flags = ARRAY(SELECT DISTINCT x FROM unnest(flags || $4::text[]) AS x ORDER BY x),
				first_received = least(first_received, $5), last_received = greatest(last_received, $6),
				due_at = CASE WHEN first_response_at IS NULL AND priority_set_by IS NULL THEN least(due_at, $7) ELSE due_at END,
				status = CASE WHEN $8 THEN 'open' ELSE status END, closed_at = CASE WHEN $8 THEN NULL ELSE closed_at END
			WHERE id = $1`, b.id, int(a.priority), a.categories, a.flags, a.firstReceived, a.lastReceived, a.dueAt,
			a.status == "open" && b.status == "closed")
		data := map[string]any{"from": a.id, "from_ref": a.ref, "into": b.id, "into_ref": b.ref, "messages": moved}
		var ev events
		ev.add(a.id, EventCaseMerged, data)
		ev.add(b.id, EventCaseMerged, data)
		if a.status == "open" {
			ev.add(a.id, EventCaseClosed, map[string]any{"reason": "merged"})
			if b.status == "closed" {
				ev.add(b.id, EventCaseReopened, map[string]any{"reason": "merged"})
			}
		}
		ev.queue(ctx, batch, actor, now)
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return fmt.Errorf("merge cases: %w", err)
		}
		return nil
	})
}

// SplitCase moves the given messages of a case, with the replies to them
// and the writer addresses they gave, into a new case: for a message that
// joined a case it does not belong to. The new case is triaged from its
// messages (priority, categories, flags, language; its response clock by
// targets), assigned like any new case (its operator first), and its
// writer is the first moved message's sender unless it brought writer
// addresses with it; a case left without a writer address gets its first
// remaining message's. A message from the writer must stay. Both cases
// get a case_split event listing the messages moved: merging the new case
// back undoes it. It returns the new case's reference.
func (s *Store) SplitCase(ctx context.Context, ref string, messageIDs []int64, targets triage.Targets, actor string) (string, error) {
	var newRef string
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		cs, err := lockCases(ctx, tx, ref)
		if err != nil {
			return err
		}
		src := cs[ref]
		var moved []int64
		var inMoved, inLeft int
		messageIDs = slices.Compact(slices.Sorted(slices.Values(messageIDs)))
		rows, err := tx.Query(ctx, `SELECT id, direction = 'in', id = ANY($2) FROM messages WHERE case_id = $1`, src.id, messageIDs)
		if err != nil {
			return fmt.Errorf("split case: %w", err)
		}
		var id int64
		var in, picked bool
		if _, err := pgx.ForEachRow(rows, []any{&id, &in, &picked}, func() error {
			switch {
			case picked:
				moved = append(moved, id)
				if in {
					inMoved++
				}
			case in:
				inLeft++
			}
			return nil
		}); err != nil {
			return fmt.Errorf("split case: %w", err)
		}
		slices.Sort(moved)
		switch {
		case len(moved) != len(messageIDs):
			return fmt.Errorf("split %s: not every message given is one of its messages: %w", ref, ErrNotFound)
		case inMoved == 0:
			return fmt.Errorf("split %s: choose at least one message from a writer: %w", ref, ErrCannotMove)
		case inLeft == 0:
			return fmt.Errorf("split %s: a message from its writer must stay: %w", ref, ErrCannotMove)
		}
		n, err := s.openSplit(ctx, tx, src, &moved, targets, actor)
		if err != nil {
			return err
		}
		newRef = n.Ref
		now := s.now()
		data := map[string]any{"from": src.id, "from_ref": src.ref, "to": n.ID, "to_ref": n.Ref, "messages": moved}
		var ev events
		ev.add(n.ID, EventCaseOpened, map[string]any{"reason": "split"})
		ev.add(src.id, EventCaseSplit, data)
		ev.add(n.ID, EventCaseSplit, data)
		if err := ev.write(ctx, tx, actor, now); err != nil {
			return err
		}
		need := triage.Need{Priority: n.priority, Language: n.language, Current: src.assignee}
		for _, c := range n.categories {
			need.Categories = append(need.Categories, triage.Category(c))
		}
		_, _, err = assign(ctx, tx, []caseNeed{{id: n.ID, need: need}}, actor, "split", now)
		return err
	})
	return newRef, err
}

// splitCase is the case a split opened.
type splitCase struct {
	ID         int64
	Ref        string
	priority   triage.Priority
	language   string
	categories []string
}

// openSplit opens the case a split makes and moves into it the messages
// picked (those of src among moved), the copies of our replies to them,
// those replies and the writer addresses the messages gave. It returns
// the new case, and in moved every message it moved.
func (s *Store) openSplit(ctx context.Context, tx pgx.Tx, src *lockedCase, moved *[]int64, targets triage.Targets, actor string) (splitCase, error) {
	n := splitCase{language: src.language}
	var first, last time.Time
	var lang *string
	var sender []byte
	err := tx.QueryRow(ctx, `
		SELECT min(internal_date), max(internal_date), coalesce(min(priority), 4),
			ARRAY(SELECT DISTINCT x FROM messages m, unnest(m.categories) AS x WHERE m.id = ANY($1) ORDER BY x),
			(SELECT language FROM messages WHERE id = ANY($1) AND direction = 'in' ORDER BY internal_date, id LIMIT 1),
			(SELECT sender_digest FROM messages WHERE id = ANY($1) AND direction = 'in' ORDER BY internal_date, id LIMIT 1)
		FROM messages WHERE id = ANY($1) AND direction = 'in'`, *moved).Scan(&first, &last, &n.priority, &n.categories, &lang, &sender)
	if err != nil {
		return n, fmt.Errorf("split case: %w", err)
	}
	if lang != nil && *lang != "" {
		n.language = *lang
	}
	err = tx.QueryRow(ctx, `
		WITH r AS (
			INSERT INTO case_ref_counters (year, last) VALUES (extract(year FROM now())::int, 1)
			ON CONFLICT (year) DO UPDATE SET last = case_ref_counters.last + 1 RETURNING year, last)
		INSERT INTO cases (ref, sender_digest, first_received, last_received, priority, categories, flags, language, due_at)
		SELECT format('OKIT-%s-%s', r.year, lpad(r.last::text, greatest(6, length(r.last::text)), '0')), $1, $2, $3, $4, $5,
			ARRAY(SELECT DISTINCT x FROM messages m, unnest(m.flags) AS x WHERE m.id = ANY($8) ORDER BY x), $6, $7
		FROM r RETURNING id, ref`, sender, first, last, int(n.priority), n.categories, n.language,
		targets.Due(n.priority, first), *moved).Scan(&n.ID, &n.Ref)
	if err != nil {
		return n, fmt.Errorf("split case: open the new case: %w", err)
	}
	rows, err := tx.Query(ctx, `UPDATE messages SET case_id = $2 WHERE case_id = $1
		AND (id = ANY($3) OR id IN (SELECT copy_id FROM outgoing WHERE answers = ANY($3))) RETURNING id`, src.id, n.ID, *moved)
	if err != nil {
		return n, fmt.Errorf("split case: %w", err)
	}
	if *moved, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return n, fmt.Errorf("split case: %w", err)
	}
	slices.Sort(*moved)
	b := &pgx.Batch{}
	b.Queue(`UPDATE outgoing SET case_id = $2 WHERE answers = ANY($1)`, *moved, n.ID)
	b.Queue(`UPDATE case_writers SET case_id = $2 WHERE message_id = ANY($1)`, *moved, n.ID)
	// A case left without a writer address gets its first message's.
	b.Queue(`INSERT INTO case_writers (case_id, message_id, field, address_digest, source, added_by)
		SELECT c.id, m.id, f.field, f.d, $3, $4 FROM unnest(ARRAY[$1::bigint, $2::bigint]) AS c(id)
		CROSS JOIN LATERAL (SELECT id, sender_digest, reply_to_digest FROM messages WHERE case_id = c.id AND direction = 'in'
			ORDER BY internal_date, id LIMIT 1) m
		CROSS JOIN LATERAL (VALUES ('from', m.sender_digest), ('reply_to', m.reply_to_digest)) AS f(field, d)
		WHERE f.d IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_writers w WHERE w.case_id = c.id)`, src.id, n.ID, WriterSplit, actor)
	b.Queue(`UPDATE cases SET first_response_at = (SELECT min(created_at) FROM outgoing WHERE case_id = $1 AND NOT automatic)
		WHERE id = $1`, n.ID)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return n, fmt.Errorf("split case: %w", err)
	}
	return n, nil
}
