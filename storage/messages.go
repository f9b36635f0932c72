package storage

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/replies"
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
// decisions (intake.Thread: the rule is intake's, storage only finds the
// candidates and records the outcome), one batch opening the new cases, one batch inserting the
// messages with their events, one updating the cases, one assigning them.
// Save relies on the mailbox lock: one process at a time saves a mailbox's
// messages.
func (s *Store) Save(ctx context.Context, mailbox string, cp intake.Checkpoint, recs []intake.Record, ack *replies.AckPolicy) ([]intake.Outcome, error) {
	var outs []intake.Outcome
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		known, err := lookup(ctx, tx, recs)
		if err != nil {
			return err
		}
		if err := lookupReturning(ctx, tx, recs, s.now().Add(-s.reopenWithin), &known); err != nil {
			return err
		}
		var plan intake.Plan
		outs, plan = intake.Thread(recs, known)
		opened, err := openCases(ctx, tx, plan, recs, outs, s.now())
		if err != nil {
			return err
		}
		if err := s.insertMessages(ctx, tx, mailbox, cp, recs, outs, plan); err != nil {
			return err
		}
		if err := s.triageCases(ctx, tx, recs, outs, opened); err != nil {
			return err
		}
		if err := s.markBounces(ctx, tx, outs); err != nil {
			return err
		}
		return s.queueAcks(ctx, tx, ack, recs, outs)
	})
	if err != nil {
		return nil, fmt.Errorf("save messages: %w", err)
	}
	return outs, nil
}

// lookup finds what a batch may thread into (see intake.Thread): the
// stored messages its references name (ours with the reply and address
// they went to), the writers of their cases, and the open case each
// sender may join by itself, and whether the address is shown to be its
// writer's (shownWriter): a forged From's case must not draw the real
// writer's mail into it.
func lookup(ctx context.Context, tx pgx.Tx, recs []intake.Record) (intake.Known, error) {
	var raws, ids, senders [][]byte
	for _, r := range recs {
		raws = append(raws, r.RawDigest)
		ids = append(ids, r.RefDigests[:min(len(r.RefDigests), intake.MaxRefs)]...)
		if r.Bounce != nil {
			ids = append(ids, r.Bounce.Returned)
		}
		if r.SenderDigest != nil {
			senders = append(senders, r.SenderDigest)
		}
	}
	// After an index key rotation, what was stored before is found by its
	// earlier digests too; a digest of one purpose never equals one of
	// another, so every earlier digest can join every list.
	alias := earlierDigests(recs)
	for d := range alias {
		raws, ids, senders = append(raws, []byte(d)), append(ids, []byte(d)), append(senders, []byte(d))
	}
	k := intake.Known{Stored: map[string]intake.Outcome{}, ByMessage: map[string][]intake.Named{},
		BySender: map[string]intake.CaseLink{}, SenderShown: map[string]bool{}, Writers: map[int64][][]byte{}}
	b := &pgx.Batch{}
	b.Queue(`SELECT m.raw_digest, m.id, c.id, c.ref FROM messages m JOIN cases c ON c.id = m.case_id
		WHERE m.raw_digest = ANY($1)`, raws).Query(func(rows pgx.Rows) error {
		var d []byte
		var o intake.Outcome
		_, err := pgx.ForEachRow(rows, []any{&d, &o.MessageID, &o.CaseID, &o.CaseRef}, func() error {
			o.Duplicate = true
			k.Stored[alias.of(d)] = o
			return nil
		})
		return err
	})
	b.Queue(`SELECT m.message_id_digest, c.id, c.ref, c.status = 'closed', coalesce(o.id, 0), o.to_digest
		FROM messages m JOIN cases c ON c.id = m.case_id LEFT JOIN outgoing o ON o.copy_id = m.id
		WHERE m.message_id_digest = ANY($1) ORDER BY m.id DESC`, ids).Query(func(rows pgx.Rows) error {
		var d []byte
		var n intake.Named
		_, err := pgx.ForEachRow(rows, []any{&d, &n.Case.ID, &n.Case.Ref, &n.Case.Closed, &n.Outgoing, &n.To}, func() error {
			if n.To != nil {
				n.To = []byte(alias.of(n.To))
			}
			k.ByMessage[alias.of(d)] = append(k.ByMessage[alias.of(d)], n)
			return nil
		})
		return err
	})
	b.Queue(`SELECT w.case_id, w.address_digest FROM case_writers w
		WHERE w.case_id IN (SELECT m.case_id FROM messages m WHERE m.message_id_digest = ANY($1))`, ids).Query(func(rows pgx.Rows) error {
		var id int64
		var d []byte
		_, err := pgx.ForEachRow(rows, []any{&id, &d}, func() error {
			k.Writers[id] = append(k.Writers[id], []byte(alias.of(d)))
			return nil
		})
		return err
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return k, fmt.Errorf("look up threads: %w", err)
	}
	// The senders' open cases: one probe of case_writers_joins per sender.
	// Planned afresh each time (QueryExecModeExec): a plan cached while the
	// tables were young filtered every open case against every sender, a
	// cost that grew with the queue.
	rows, err := tx.Query(ctx, `SELECT s.d, c.id, c.ref, EXISTS (SELECT 1 FROM case_writers w WHERE w.case_id = c.id
			AND w.address_digest = s.d AND `+shownWriter("w")+`)
		FROM (SELECT DISTINCT d FROM unnest($1::bytea[]) AS u(d)) s
		CROSS JOIN LATERAL (SELECT c.id, c.ref FROM case_writers w JOIN cases c ON c.id = w.case_id
			WHERE w.address_digest = s.d AND (w.field = 'from' OR w.source = 'confirmed') AND c.status = 'open'
			ORDER BY c.id DESC LIMIT 1) c`,
		pgx.QueryExecModeExec, senders)
	if err != nil {
		return k, fmt.Errorf("look up senders' cases: %w", err)
	}
	var d []byte
	var c intake.CaseLink
	var shown bool
	_, err = pgx.ForEachRow(rows, []any{&d, &c.ID, &c.Ref, &shown}, func() error {
		k.BySender[alias.of(d)] = c
		k.SenderShown[alias.of(d)] = shown
		return nil
	})
	if err != nil {
		return k, fmt.Errorf("look up senders' cases: %w", err)
	}
	return k, nil
}

// openedCase is what triage needs of a case opened by the batch, as the
// database stored it.
type openedCase struct {
	need     triage.Need
	priority triage.Priority
}

// openCases numbers and inserts the new cases, then gives their ids to
// every record threaded into them. A new case is inserted with its
// messages' triage verdicts folded in, as triageCases folds them into an
// existing case: updating every case of the batch again right after
// inserting it wrote each row and its indexes twice.
func openCases(ctx context.Context, tx pgx.Tx, p intake.Plan, recs []intake.Record, outs []intake.Outcome, now time.Time) (map[int64]openedCase, error) {
	if len(p.Opens) == 0 {
		return nil, nil
	}
	byCase, _ := foldVerdicts(recs, outs) // by placeholder
	n := len(p.Opens)
	senders := make([][]byte, n)
	firsts, lasts, dues := make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
	pris := make([]int, n)
	cats, flags, langs := make([]string, n), make([]string, n), make([]string, n)
	for k, i := range p.Opens {
		v := byCase[outs[i].CaseID]
		senders[k], firsts[k], lasts[k], dues[k] = recs[i].SenderDigest, recs[i].InternalDate, v.last, v.due
		pris[k], cats[k], flags[k], langs[k] = int(v.priority), strings.Join(v.cats, ","), strings.Join(v.flags, ","), v.language
	}
	// One statement numbers all the new cases of the batch (k-th new case,
	// k-th number), inserts them and writes their case_opened events.
	rows, err := tx.Query(ctx, `
		WITH n AS (
			INSERT INTO case_ref_counters (year, last) VALUES (extract(year FROM now())::int, $3)
			ON CONFLICT (year) DO UPDATE SET last = case_ref_counters.last + $3
			RETURNING year, last - $3 AS base),
		c AS (
			INSERT INTO cases (ref, sender_digest, first_received, last_received, priority, categories, flags, language, due_at)
			SELECT format('OKIT-%s-%s', n.year, lpad((n.base + v.k)::text, greatest(6, length((n.base + v.k)::text)), '0')),
				v.sender, v.at, greatest(v.at, v.last), v.pri,
				ARRAY(SELECT DISTINCT x FROM unnest(string_to_array(v.cats, ',')) AS x WHERE x <> '' ORDER BY x),
				ARRAY(SELECT DISTINCT x FROM unnest(string_to_array(v.flags, ',')) AS x WHERE x <> '' ORDER BY x),
				v.lang, v.due
			FROM n, unnest($1::bytea[], $2::timestamptz[], $6::timestamptz[], $7::int[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])
				WITH ORDINALITY AS v(sender, at, last, pri, cats, flags, lang, due, k)
			RETURNING id, ref, priority, categories, language),
		e AS (
			INSERT INTO case_events (case_id, kind, actor, at) SELECT id, $4, 'intake', $5 FROM c)
		SELECT c.id, c.ref, (split_part(c.ref, '-', 3)::bigint - n.base)::int, c.priority, c.categories, c.language FROM c, n`,
		senders, firsts, n, EventCaseOpened, now, lasts, pris, cats, flags, langs, dues)
	if err != nil {
		return nil, fmt.Errorf("open cases: %w", err)
	}
	byPlaceholder := map[int64]intake.CaseLink{}
	opened := map[int64]openedCase{} // by case id
	var c intake.CaseLink
	var k int
	var o openedCase
	var caseCats []string
	_, err = pgx.ForEachRow(rows, []any{&c.ID, &c.Ref, &k, &o.priority, &caseCats, &o.need.Language}, func() error {
		byPlaceholder[int64(-1-p.Opens[k-1])] = c
		o.need.Priority, o.need.Categories = o.priority, nil
		for _, cat := range caseCats {
			o.need.Categories = append(o.need.Categories, triage.Category(cat))
		}
		opened[c.ID] = o
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open cases: %w", err)
	}
	for i := range outs {
		if c, ok := byPlaceholder[outs[i].CaseID]; ok {
			outs[i].CaseID, outs[i].CaseRef = c.ID, c.Ref
		}
		for j, r := range outs[i].Related {
			if c, ok := byPlaceholder[r.ID]; ok {
				outs[i].Related[j] = c
			}
		}
	}
	return opened, nil
}

// insertMessages writes the messages with their events, the writer
// addresses of the cases the batch opened and the possibly_related events
// of those that named others, reopens cases that got a reply, and advances
// the checkpoint. triageCases then updates the
// cases. The messages go in by COPY: with sealed bodies of kilobytes it is
// more than twice as fast as INSERT on the same server.
func (s *Store) insertMessages(ctx context.Context, tx pgx.Tx, mailbox string, cp intake.Checkpoint, recs []intake.Record, outs []intake.Outcome, plan intake.Plan) error {
	reopen := plan.Reopen
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
		"priority", "categories", "flags", "language", "rules", "ruleset_version",
		"reply_to_digest", "reply_to_sealed", "auth_spf", "auth_dkim", "auth_dmarc", "sender_verified", "spam"}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"messages"}, columns, pgx.CopyFromSlice(len(fresh), func(k int) ([]any, error) {
		r, o := &recs[fresh[k]], &outs[fresh[k]]
		v := r.Verdict
		return []any{o.MessageID, o.CaseID, "in", mailbox, int64(cp.UIDValidity), int64(r.UID), r.RawSealed, r.SummarySealed,
			r.RawDigest, r.SenderDigest, r.MessageIDDigest, r.Size, r.InternalDate, r.Status,
			int16(v.Priority), nonNil(v.Categories), nonNil(v.Flags), v.Language, nonNil(v.Rules), v.RuleSetVersion,
			r.ReplyToDigest, r.ReplyToSealed, nullIfEmpty(r.Auth.SPF), nullIfEmpty(r.Auth.DKIM), nullIfEmpty(r.Auth.DMARC),
			r.Auth.Verified, r.Spam != ""}, nil
	}))
	if err != nil {
		return fmt.Errorf("insert messages: %w", err)
	}

	var ev events
	for _, id := range slices.Sorted(maps.Keys(reopen)) {
		ev.add(id, EventCaseReopened, map[string]any{"reason": reopen[id]})
	}
	for _, i := range fresh {
		r, o := &recs[i], &outs[i]
		data := map[string]any{"message_id": o.MessageID, "parse_status": r.Status, "size": r.Size}
		ev.add(o.CaseID, EventMessageReceived, data)
		if r.Status == "oversize" {
			ev.add(o.CaseID, EventMessageTooLarge, data)
		}
		for _, rel := range o.Related {
			addRelated(&ev, intake.CaseLink{ID: o.CaseID, Ref: o.CaseRef}, rel, o.MessageID)
		}
	}
	b = &pgx.Batch{}
	if len(reopen) > 0 {
		b.Queue(`UPDATE cases SET status = 'open', closed_at = NULL WHERE id = ANY($1)`, slices.Collect(maps.Keys(reopen)))
	}
	queueFirstWriters(b, plan.Writers, recs, outs)
	queueCarriedFlags(b, outs)
	ev.queue(ctx, b, "intake", s.now())
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

// caseVerdict is what a batch's messages tell of one case.
type caseVerdict struct {
	id          int64
	priority    triage.Priority // the most urgent message's
	messageID   int64           // that message, for the event
	rules       []string        // the rules that made it so
	language    string          // the first message's, for a new case
	cats, flags []string
	due, last   time.Time
}

// foldVerdicts gathers the verdicts of the batch's stored messages by
// case, in the order the cases first appear.
func foldVerdicts(recs []intake.Record, outs []intake.Outcome) (map[int64]*caseVerdict, []*caseVerdict) {
	byCase := map[int64]*caseVerdict{}
	var order []*caseVerdict
	for i := range recs {
		if outs[i].Duplicate {
			continue
		}
		r, o := &recs[i], &outs[i]
		v := byCase[o.CaseID]
		if v == nil {
			v = &caseVerdict{id: o.CaseID, priority: r.Verdict.Priority, messageID: o.MessageID,
				rules: r.Verdict.Rules, language: r.Verdict.Language, due: r.Due, last: r.InternalDate}
			byCase[o.CaseID] = v
			order = append(order, v)
		}
		if r.Verdict.Priority < v.priority {
			v.priority, v.messageID, v.rules = r.Verdict.Priority, o.MessageID, r.Verdict.Rules
		}
		for _, c := range r.Verdict.Categories {
			v.cats = append(v.cats, string(c))
		}
		for _, f := range r.Verdict.Flags {
			v.flags = append(v.flags, string(f))
		}
		if r.Due.Before(v.due) {
			v.due = r.Due
		}
		if r.InternalDate.After(v.last) {
			v.last = r.InternalDate
		}
	}
	return byCase, order
}

// triageCases folds the stored messages' verdicts into the cases they
// joined, in one statement for the batch, then assigns the cases, those
// the batch opened (already triaged by openCases) included.
func (s *Store) triageCases(ctx context.Context, tx pgx.Tx, recs []intake.Record, outs []intake.Outcome, opened map[int64]openedCase) error {
	byCase, order := foldVerdicts(recs, outs)
	needs := map[int64]caseNeed{}
	var ev events
	var ids []int64
	var pris []int
	var cats, flags []string
	var dues, lasts []time.Time
	for _, v := range order {
		if o, ok := opened[v.id]; ok {
			ev.add(v.id, EventPriorityChanged, map[string]any{"to": int(o.priority), "message_id": v.messageID, "rules": nonNil(v.rules)})
			needs[v.id] = caseNeed{id: v.id, need: o.need}
			continue
		}
		ids, pris = append(ids, v.id), append(pris, int(v.priority))
		cats, flags = append(cats, strings.Join(v.cats, ",")), append(flags, strings.Join(v.flags, ","))
		dues, lasts = append(dues, v.due), append(lasts, v.last)
	}
	rows, err := tx.Query(ctx, `
		WITH v AS (
			SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
				AS v(id, pri, cats, flags, due, last)),
		old AS (SELECT c.id, c.priority FROM cases c JOIN v ON v.id = c.id FOR UPDATE OF c)
		UPDATE cases c SET
			priority = CASE WHEN c.priority_set_by IS NULL THEN least(c.priority, v.pri) ELSE c.priority END,
			categories = ARRAY(SELECT DISTINCT x FROM unnest(c.categories || string_to_array(v.cats, ',')) AS x WHERE x <> '' ORDER BY x),
			flags = ARRAY(SELECT DISTINCT x FROM unnest(c.flags || string_to_array(v.flags, ',')) AS x WHERE x <> '' ORDER BY x),
			due_at = CASE WHEN c.first_response_at IS NULL AND c.priority_set_by IS NULL THEN least(c.due_at, v.due) ELSE c.due_at END,
			last_received = greatest(c.last_received, v.last)
		FROM v, old WHERE c.id = v.id AND old.id = v.id
		RETURNING c.id, old.priority, c.priority, c.categories, c.language, coalesce(c.assignee_id, 0)`,
		ids, pris, cats, flags, dues, lasts)
	if err != nil {
		return fmt.Errorf("triage cases: %w", err)
	}
	var id int64
	var was triage.Priority
	var n caseNeed
	var caseCats []string
	_, err = pgx.ForEachRow(rows, []any{&id, &was, &n.need.Priority, &caseCats, &n.need.Language, &n.need.Current}, func() error {
		v := byCase[id]
		if was != n.need.Priority {
			ev.add(id, EventPriorityChanged, map[string]any{"to": int(n.need.Priority), "from": int(was), "message_id": v.messageID, "rules": nonNil(v.rules)})
		}
		n.id, n.need.Categories = id, nil
		for _, c := range caseCats {
			n.need.Categories = append(n.need.Categories, triage.Category(c))
		}
		needs[id] = n
		return nil
	})
	if err != nil {
		return fmt.Errorf("triage cases: %w", err)
	}
	if err := ev.write(ctx, tx, "intake", s.now()); err != nil {
		return err
	}
	var fresh []int64
	for id := range opened {
		fresh = append(fresh, id)
	}
	preferred, err := lastAnswerers(ctx, tx, fresh)
	if err != nil {
		return err
	}
	list := make([]caseNeed, len(order))
	for i, v := range order {
		list[i] = needs[v.id]
		list[i].need.Preferred = preferred[v.id]
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

// aliases maps digests made with the previous index key to the current
// key's digests of the same values (intake.Record.Earlier).
type aliases map[string][]byte

func earlierDigests(recs []intake.Record) aliases {
	a := aliases{}
	for _, r := range recs {
		for d, current := range r.Earlier {
			a[d] = current
		}
	}
	return a
}

// of is d as the current index key makes it, as a map key.
func (a aliases) of(d []byte) string {
	if current, ok := a[string(d)]; ok {
		return string(current)
	}
	return string(d)
}
