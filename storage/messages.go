package storage

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/triage"
)

// Save stores incoming messages, each in its case, and advances the
// mailbox checkpoint, all in one transaction. A record whose raw digest is
// already stored is reported as a duplicate and changes nothing.
//
// Each message's triage verdict raises its case's priority (unless an
// operator set it), adds its categories and flags, and starts or advances
// the case's response clock; then the case is assigned (see assign).
//
// It works in a few round trips whatever the batch size: one batch of
// lookups (duplicates, threads, senders' open cases), the threading
// decisions in Go, one batch opening the new cases, one batch inserting the
// messages with their events, one updating the cases, one assigning them.
// Save relies on the mailbox lock: one process at a time saves a mailbox's
// messages.
func (s *Store) Save(ctx context.Context, mailbox string, cp intake.Checkpoint, recs []intake.Record) ([]intake.Outcome, error) {
	var outs []intake.Outcome
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		known, err := lookup(ctx, tx, recs)
		if err != nil {
			return err
		}
		var plan threadPlan
		outs, plan = known.thread(recs)
		if err := plan.openCases(ctx, tx, recs, outs); err != nil {
			return err
		}
		if err := insertMessages(ctx, tx, mailbox, cp, recs, outs, plan.reopen); err != nil {
			return err
		}
		return s.triageCases(ctx, tx, recs, outs)
	})
	if err != nil {
		return nil, fmt.Errorf("save messages: %w", err)
	}
	return outs, nil
}

type caseRef struct {
	id     int64
	ref    string
	closed bool
}

// known is what the database already holds that a batch may thread into.
type known struct {
	dups      map[string]intake.Outcome // by raw digest
	byMessage map[string]caseRef        // by Message-ID digest
	bySender  map[string]caseRef        // open cases by sender digest
}

func lookup(ctx context.Context, tx pgx.Tx, recs []intake.Record) (*known, error) {
	var raws, ids, senders [][]byte
	for _, r := range recs {
		raws = append(raws, r.RawDigest)
		ids = append(ids, r.RefDigests...)
		if r.SenderDigest != nil {
			senders = append(senders, r.SenderDigest)
		}
	}
	k := &known{dups: map[string]intake.Outcome{}, byMessage: map[string]caseRef{}, bySender: map[string]caseRef{}}
	b := &pgx.Batch{}
	b.Queue(`SELECT m.raw_digest, m.id, c.id, c.ref FROM messages m JOIN cases c ON c.id = m.case_id
		WHERE m.raw_digest = ANY($1)`, raws).Query(func(rows pgx.Rows) error {
		var d []byte
		var o intake.Outcome
		_, err := pgx.ForEachRow(rows, []any{&d, &o.MessageID, &o.CaseID, &o.CaseRef}, func() error {
			o.Duplicate = true
			k.dups[string(d)] = o
			return nil
		})
		return err
	})
	b.Queue(`SELECT DISTINCT ON (m.message_id_digest) m.message_id_digest, c.id, c.ref, c.status = 'closed'
		FROM messages m JOIN cases c ON c.id = m.case_id
		WHERE m.message_id_digest = ANY($1) ORDER BY m.message_id_digest, m.id DESC`, ids).Query(func(rows pgx.Rows) error {
		var d []byte
		var c caseRef
		_, err := pgx.ForEachRow(rows, []any{&d, &c.id, &c.ref, &c.closed}, func() error {
			k.byMessage[string(d)] = c
			return nil
		})
		return err
	})
	b.Queue(`SELECT DISTINCT ON (sender_digest) sender_digest, id, ref FROM cases
		WHERE status = 'open' AND sender_digest = ANY($1) ORDER BY sender_digest, id DESC`, senders).Query(func(rows pgx.Rows) error {
		var d []byte
		var c caseRef
		_, err := pgx.ForEachRow(rows, []any{&d, &c.id, &c.ref}, func() error {
			k.bySender[string(d)] = c
			return nil
		})
		return err
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("look up threads: %w", err)
	}
	return k, nil
}

// threadPlan is what Save must write besides the messages: the new cases
// (by the index of the record that opens each) and the closed cases a
// reply reopens.
type threadPlan struct {
	opens  []int
	reopen map[int64]bool
}

// thread decides each record's case: the case of a stored (or earlier in
// the batch) message it replies to, else its sender's open case, else a new
// case. A new case's id is filled in later; records that share one point at
// the opening record through a negative CaseID (-1-index).
func (k *known) thread(recs []intake.Record) ([]intake.Outcome, threadPlan) {
	outs := make([]intake.Outcome, len(recs))
	plan := threadPlan{reopen: map[int64]bool{}}
	seen := map[string]int{} // raw digests earlier in this batch
	for i, r := range recs {
		if o, ok := k.dups[string(r.RawDigest)]; ok {
			outs[i] = o
			continue
		}
		if j, ok := seen[string(r.RawDigest)]; ok { // the same message twice in one batch
			outs[i] = intake.Outcome{Duplicate: true, CaseID: outs[j].CaseID}
			continue
		}
		seen[string(r.RawDigest)] = i
		c, found := caseRef{}, false
		for _, d := range r.RefDigests {
			if c, found = k.byMessage[string(d)]; found {
				break
			}
		}
		if !found && r.SenderDigest != nil {
			c, found = k.bySender[string(r.SenderDigest)]
		}
		if !found {
			c = caseRef{id: int64(-1 - i)}
			plan.opens = append(plan.opens, i)
			outs[i].NewCase = true
		}
		if c.closed {
			plan.reopen[c.id] = true
			c.closed = false
		}
		outs[i].CaseID, outs[i].CaseRef = c.id, c.ref
		// Later records of the batch thread into this one's case.
		if r.MessageIDDigest != nil {
			k.byMessage[string(r.MessageIDDigest)] = c
		}
		if r.SenderDigest != nil {
			k.bySender[string(r.SenderDigest)] = c
		}
	}
	return outs, plan
}

// openCases numbers and inserts the new cases, then gives their ids to
// every record threaded into them.
func (p threadPlan) openCases(ctx context.Context, tx pgx.Tx, recs []intake.Record, outs []intake.Outcome) error {
	if len(p.opens) == 0 {
		return nil
	}
	ids := map[int64]caseRef{}
	b := &pgx.Batch{}
	for _, i := range p.opens {
		placeholder := int64(-1 - i)
		b.Queue(`
			WITH n AS (
				INSERT INTO case_ref_counters (year, last) VALUES (extract(year FROM now())::int, 1)
				ON CONFLICT (year) DO UPDATE SET last = case_ref_counters.last + 1
				RETURNING format('OKIT-%s-%s', year, lpad(last::text, greatest(6, length(last::text)), '0')) AS ref),
			c AS (
				INSERT INTO cases (ref, sender_digest, first_received, last_received)
				SELECT ref, $1, $2, $2 FROM n RETURNING id, ref),
			e AS (
				INSERT INTO case_events (case_id, kind, actor) SELECT id, $3, 'intake' FROM c)
			SELECT id, ref FROM c`, recs[i].SenderDigest, recs[i].InternalDate, EventCaseOpened,
		).QueryRow(func(row pgx.Row) error {
			var c caseRef
			err := row.Scan(&c.id, &c.ref)
			ids[placeholder] = c
			return err
		})
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("open cases: %w", err)
	}
	for i := range outs {
		if c, ok := ids[outs[i].CaseID]; ok {
			outs[i].CaseID, outs[i].CaseRef = c.id, c.ref
		}
	}
	return nil
}

// insertMessages writes the messages with their events, reopens cases that
// got a reply, and advances the checkpoint. triageCases then updates the
// cases. The messages go in by COPY: with sealed bodies of kilobytes it is
// more than twice as fast as INSERT on the same server.
func insertMessages(ctx context.Context, tx pgx.Tx, mailbox string, cp intake.Checkpoint, recs []intake.Record, outs []intake.Outcome, reopen map[int64]bool) error {
	var fresh []int
	for i := range recs {
		if !outs[i].Duplicate {
			fresh = append(fresh, i)
		}
	}
	// The checkpoint row goes first: messages refer to their mailbox.
	b := &pgx.Batch{}
	b.Queue(`
		INSERT INTO mailboxes (name, uidvalidity, last_uid) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET uidvalidity = $2, last_uid = greatest(mailboxes.last_uid, $3), updated_at = now()`,
		mailbox, int64(cp.UIDValidity), int64(cp.LastUID))
	var ids []int64
	b.Queue(`SELECT nextval(pg_get_serial_sequence('messages', 'id')) FROM generate_series(1, $1)`, len(fresh)).Query(func(rows pgx.Rows) error {
		var err error
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("number messages: %w", err)
	}
	for k, i := range fresh {
		outs[i].MessageID = ids[k]
	}
	columns := []string{"id", "case_id", "direction", "mailbox", "uidvalidity", "uid", "raw_sealed", "summary_sealed",
		"raw_digest", "sender_digest", "message_id_digest", "size", "internal_date", "parse_status",
		"priority", "categories", "flags", "language", "rules", "ruleset_version"}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"messages"}, columns, pgx.CopyFromSlice(len(fresh), func(k int) ([]any, error) {
		r, o := &recs[fresh[k]], &outs[fresh[k]]
		v := r.Verdict
		return []any{o.MessageID, o.CaseID, "in", mailbox, int64(cp.UIDValidity), int64(r.UID), r.RawSealed, r.SummarySealed,
			r.RawDigest, r.SenderDigest, r.MessageIDDigest, r.Size, r.InternalDate, r.Status,
			int16(v.Priority), nonNil(v.Categories), nonNil(v.Flags), v.Language, nonNil(v.Rules), v.RuleSetVersion}, nil
	}))
	if err != nil {
		return fmt.Errorf("insert messages: %w", err)
	}

	var ev events
	for _, id := range slices.Sorted(maps.Keys(reopen)) {
		ev.add(id, EventCaseReopened, map[string]any{"reason": "reply"})
	}
	for _, i := range fresh {
		r, o := &recs[i], &outs[i]
		data := map[string]any{"message_id": o.MessageID, "parse_status": r.Status, "size": r.Size}
		ev.add(o.CaseID, EventMessageReceived, data)
		if r.Status == "oversize" {
			ev.add(o.CaseID, EventMessageTooLarge, data)
		}
	}
	b = &pgx.Batch{}
	if len(reopen) > 0 {
		b.Queue(`UPDATE cases SET status = 'open' WHERE id = ANY($1)`, slices.Collect(maps.Keys(reopen)))
	}
	ev.queue(b, "intake")
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("insert messages: %w", err)
	}
	return nil
}

// nonNil makes a nil slice an empty one: the columns are NOT NULL arrays.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// triageCases folds each stored message's verdict into its case, then
// assigns the cases.
func (s *Store) triageCases(ctx context.Context, tx pgx.Tx, recs []intake.Record, outs []intake.Outcome) error {
	needs := map[int64]*caseNeed{}
	var order []int64
	b := &pgx.Batch{}
	for i := range recs {
		if outs[i].Duplicate {
			continue
		}
		r, o := &recs[i], &outs[i]
		b.Queue(`
			WITH old AS (SELECT id, priority FROM cases WHERE id = $1 FOR UPDATE),
			c AS (
				UPDATE cases SET
					priority = CASE WHEN priority_set_by IS NULL THEN least(cases.priority, $2) ELSE cases.priority END,
					categories = ARRAY(SELECT DISTINCT x FROM unnest(categories || coalesce($3::text[], '{}')) AS x ORDER BY x),
					flags = ARRAY(SELECT DISTINCT x FROM unnest(flags || coalesce($4::text[], '{}')) AS x ORDER BY x),
					language = CASE WHEN $6 THEN $5 ELSE language END,
					due_at = CASE WHEN first_response_at IS NULL AND priority_set_by IS NULL THEN least(due_at, $7) ELSE due_at END,
					last_received = greatest(last_received, $11)
				FROM old WHERE cases.id = old.id
				RETURNING cases.id, old.priority AS was, cases.priority, cases.categories, cases.language,
					coalesce(cases.assignee_id, 0) AS assignee),
			e AS (
				INSERT INTO case_events (case_id, kind, actor, data)
				SELECT id, $8, 'intake', jsonb_build_object('from', CASE WHEN $6 THEN NULL ELSE was END, 'to', priority, 'message_id', $9::bigint, 'rules', coalesce($10::text[], '{}'))
				FROM c WHERE was <> priority OR $6)
			SELECT priority, categories, language, assignee FROM c`,
			o.CaseID, int(r.Verdict.Priority), r.Verdict.Categories, r.Verdict.Flags, r.Verdict.Language, o.NewCase,
			r.Due, EventPriorityChanged, o.MessageID, r.Verdict.Rules, r.InternalDate,
		).QueryRow(func(row pgx.Row) error {
			n := needs[o.CaseID]
			if n == nil {
				n = &caseNeed{id: o.CaseID}
				needs[o.CaseID] = n
				order = append(order, o.CaseID)
			}
			var cats []string
			if err := row.Scan(&n.need.Priority, &cats, &n.need.Language, &n.need.Current); err != nil {
				return err
			}
			n.need.Categories = n.need.Categories[:0]
			for _, c := range cats {
				n.need.Categories = append(n.need.Categories, triage.Category(c))
			}
			return nil
		})
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("triage cases: %w", err)
	}
	list := make([]caseNeed, len(order))
	for i, id := range order {
		list[i] = *needs[id]
	}
	chosen, alerts, err := assign(ctx, tx, list, "intake", "message", s.now())
	if err != nil {
		return err
	}
	for i := range outs {
		if !outs[i].Duplicate {
			outs[i].AssigneeID = chosen[outs[i].CaseID]
			outs[i].Unassigned = alerts[outs[i].CaseID]
		}
	}
	return nil
}
