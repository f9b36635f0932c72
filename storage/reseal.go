package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// EventResealed is written for each batch okit reseal commits: which
// table, which rows, how many it opened and sealed again. Opening is
// reading, and reading is recorded.
const EventResealed EventKind = "resealed"

// ResealRow is one row as okit reseal sees it: its sealed columns (nil
// where NULL) and, for messages, its digests. The caller replaces what is
// sealed to or digested with a previous key; the store writes back what
// changed.
type ResealRow struct {
	Table  string
	Sealed [][]byte // in the order of the table's sealed columns
	// Digests of a message: raw, sender, message id, reply-to (nil where
	// NULL); Domains, which the caller fills from the opened addresses:
	// the sender's and the reply-to's domain digests, for the replies
	// that went to them.
	Digests [4][]byte
	Domains [2][]byte
}

// Digest positions in ResealRow.Digests.
const (
	DigestRaw = iota
	DigestSender
	DigestMessageID
	DigestReplyTo
)

// resealTable is a table with sealed columns, walked in the order of its
// key.
type resealTable struct {
	name    string
	key     string // the key as text, for the progress table
	after   string // rows after a key given as text
	at      string // the row of a key given as text
	order   string
	start   string   // before the first key
	columns []string // sealed columns
	digests []string // digest columns, in ResealRow.Digests order (messages only)
}

// resealTables are all tables with sealed columns. saved_answers (schema
// 11) holds the service's own texts in the clear and has none; the
// digests of case_writers, outgoing and cases (schema 10) are digests of
// messages' addresses and are rewritten with their message's.
var resealTables = []resealTable{
	{name: "messages", key: "id::text", after: "id > $1::bigint", at: "id = $1::bigint", order: "id", start: "0",
		columns: []string{"raw_sealed", "summary_sealed", "reply_to_sealed"},
		digests: []string{"raw_digest", "sender_digest", "message_id_digest", "reply_to_digest"}},
	{name: "notes", key: "id::text", after: "id > $1::bigint", at: "id = $1::bigint", order: "id", start: "0", columns: []string{"body_sealed"}},
	{name: "outgoing", key: "id::text", after: "id > $1::bigint", at: "id = $1::bigint", order: "id", start: "0", columns: []string{"text_sealed"}},
	{name: "shelters", key: "id::text", after: "id > $1::bigint", at: "id = $1::bigint", order: "id", start: "0", columns: []string{"address_sealed", "notes_sealed"}},
	{name: "users", key: "id::text", after: "id > $1::bigint", at: "id = $1::bigint", order: "id", start: "0", columns: []string{"totp_sealed"}},
	{name: "sessions", key: "encode(token_digest, 'hex')", after: "token_digest > decode($1, 'hex')", at: "token_digest = decode($1, 'hex')",
		order: "token_digest", start: "", columns: []string{"totp_pending"}},
}

// ResealProgress is where okit reseal stands in one table.
type ResealProgress struct {
	Table    string
	Seen     int64  // rows looked at, over every run of this generation
	Changed  int64  // rows sealed or digested again
	Last     string // the key of the last row looked at
	Max      string // the largest key in the table
	Finished bool
}

// ResealBatch moves at most n rows of the first table not yet finished
// in generation to the current keys, in one transaction: fix is called on
// each row and reports whether it changed anything. It returns where that
// table stands; done is set when every table is finished.
func (s *Store) ResealBatch(ctx context.Context, generation string, n int, actor string, fix func(*ResealRow) (bool, error)) (p ResealProgress, done bool, err error) {
	err = s.InTx(ctx, func(tx pgx.Tx) error {
		// One reseal at a time: two would only fight over the same rows.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('okit reseal'))`); err != nil {
			return err
		}
		for _, t := range resealTables {
			last, finished := t.start, false
			p = ResealProgress{Table: t.name}
			err := tx.QueryRow(ctx, `SELECT last_key, rows_seen, rows_changed, finished_at IS NOT NULL FROM reseal_progress
				WHERE generation = $1 AND table_name = $2`, generation, t.name).Scan(&last, &p.Seen, &p.Changed, &finished)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			if finished {
				continue
			}
			return s.resealRows(ctx, tx, t, generation, last, n, actor, fix, &p)
		}
		done = true
		return nil
	})
	if err != nil {
		return p, false, fmt.Errorf("reseal: %w", err)
	}
	return p, done, nil
}

func (s *Store) resealRows(ctx context.Context, tx pgx.Tx, t resealTable, generation, last string, n int, actor string,
	fix func(*ResealRow) (bool, error), p *ResealProgress) error {
	cols := slices.Concat(t.columns, t.digests)
	// Ordered by the column, qualified: the key's text is named like it,
	// and text orders 10 before 2.
	rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT %s AS reseal_key, %s FROM %s WHERE %s ORDER BY %s.%s LIMIT $2 FOR UPDATE`,
		t.key, strings.Join(cols, ", "), t.name, t.after, t.name, t.order), last, n)
	if err != nil {
		return err
	}
	type row struct {
		key      string
		old, new ResealRow
	}
	var batch []row
	for rows.Next() {
		r := row{old: ResealRow{Table: t.name, Sealed: make([][]byte, len(t.columns))}}
		dest := []any{&r.key}
		for i := range t.columns {
			dest = append(dest, &r.old.Sealed[i])
		}
		for i := range t.digests {
			dest = append(dest, &r.old.Digests[i])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return err
		}
		batch = append(batch, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	changed := 0
	for i := range batch {
		r := &batch[i]
		r.new = r.old
		r.new.Sealed = slices.Clone(r.old.Sealed)
		ok, err := fix(&r.new)
		if err != nil {
			return fmt.Errorf("%s %s: %w", t.name, r.key, err)
		}
		if !ok {
			continue
		}
		changed++
		args := []any{r.key}
		var set []string
		for j, c := range cols {
			set = append(set, fmt.Sprintf("%s = $%d", c, j+2))
			if j < len(t.columns) {
				args = append(args, r.new.Sealed[j])
			} else {
				args = append(args, r.new.Digests[j-len(t.columns)])
			}
		}
		if _, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s SET %s WHERE %s`, t.name, strings.Join(set, ", "), t.at), args...); err != nil {
			return err
		}
		if t.name == "messages" {
			if err := redigestWriters(ctx, tx, r.key, r.old, r.new); err != nil {
				return err
			}
		}
	}
	p.Seen += int64(len(batch))
	p.Changed += int64(changed)
	p.Finished = len(batch) < n
	if len(batch) > 0 {
		last = batch[len(batch)-1].key
	}
	p.Last = last
	// The largest key, not a count of the rows left: counting them after
	// every batch would read the rest of the table each time.
	if err := tx.QueryRow(ctx, fmt.Sprintf(`SELECT coalesce((SELECT %s FROM %s ORDER BY %s.%s DESC LIMIT 1), '')`,
		t.key, t.name, t.name, t.order)).Scan(&p.Max); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO reseal_progress (generation, table_name, last_key, rows_seen, rows_changed, finished_at)
		VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN now() END)
		ON CONFLICT (generation, table_name) DO UPDATE SET last_key = $3, rows_seen = $4, rows_changed = $5,
			finished_at = CASE WHEN $6 THEN now() END`, generation, t.name, last, p.Seen, p.Changed, p.Finished)
	if err != nil {
		return err
	}
	if len(batch) == 0 {
		return nil
	}
	var ev events
	ev.add(0, EventResealed, map[string]any{"table": t.name, "first": batch[0].key, "last": last, "rows": len(batch), "changed": changed})
	return ev.write(ctx, tx, actor, s.now())
}

// redigestWriters gives the digests made from a message's addresses, kept
// beside it (schema 10: its case's writers, the replies that went to it,
// the case it opened), the message's new ones.
func redigestWriters(ctx context.Context, tx pgx.Tx, id string, old, new ResealRow) error {
	for f, field := range []string{"from", "reply_to"} {
		d := []int{DigestSender, DigestReplyTo}[f]
		if bytes.Equal(old.Digests[d], new.Digests[d]) || new.Digests[d] == nil {
			continue
		}
		b := &pgx.Batch{}
		b.Queue(`UPDATE case_writers SET address_digest = $3 WHERE message_id = $1::bigint AND field = $2`, id, field, new.Digests[d])
		b.Queue(`UPDATE outgoing SET to_digest = $3, to_domain_digest = CASE WHEN to_domain_digest IS NULL THEN NULL ELSE $4::bytea END
			WHERE to_message = $1::bigint AND to_field = $2`, id, field, new.Digests[d], new.Domains[f])
		if field == "from" {
			b.Queue(`UPDATE cases SET sender_digest = $3 WHERE id = (SELECT case_id FROM messages WHERE id = $1::bigint) AND sender_digest = $2`,
				id, old.Digests[d], new.Digests[d])
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("digests beside message %s: %w", id, err)
		}
	}
	return nil
}
