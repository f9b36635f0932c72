package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/replies"
)

// Event kinds of whose case it is.
const (
	// EventPossiblyRelated is written on both cases when a message opened
	// a case but named, or claimed the sender of, another (intake.Thread):
	// data "case" and "ref" name the other case.
	EventPossiblyRelated EventKind = "possibly_related"
	// EventWriterConfirmed records an operator picking an address that
	// was not the case's writer's as where an answer goes.
	EventWriterConfirmed EventKind = "writer_confirmed"
)

// Sources of a writer address (case_writers.source).
const (
	WriterFirst     = "first"     // the From or Reply-To of the message that opened the case
	WriterConfirmed = "confirmed" // picked by an operator
	WriterWritten   = "written"   // okit wrote to it before writers were recorded (schema 10)
	WriterSplit     = "split"     // the first message of a case split from another
)

// addRelated adds the possibly_related events of a case that opened and
// the case it named.
func addRelated(ev *events, opened, other intake.CaseLink, messageID int64) {
	ev.add(opened.ID, EventPossiblyRelated, map[string]any{"case": other.ID, "ref": other.Ref, "message_id": messageID})
	ev.add(other.ID, EventPossiblyRelated, map[string]any{"case": opened.ID, "ref": opened.Ref, "message_id": messageID})
}

// queueFirstWriters adds to b the insert of the writer addresses of the
// cases a batch opened (intake.Plan.Writers).
func queueFirstWriters(b *pgx.Batch, ws []intake.NewWriter, recs []intake.Record, outs []intake.Outcome) {
	if len(ws) == 0 {
		return
	}
	var cases, msgs []int64
	var fields []replies.Field
	var digests [][]byte
	for _, w := range ws {
		r, o := &recs[w.Rec], &outs[w.Rec]
		d := r.SenderDigest
		if w.Field == replies.FieldReplyTo {
			d = r.ReplyToDigest
		}
		cases, msgs, fields, digests = append(cases, o.CaseID), append(msgs, o.MessageID), append(fields, w.Field), append(digests, d)
	}
	b.Queue(`INSERT INTO case_writers (case_id, message_id, field, address_digest, source, added_by)
		SELECT c, m, f, d, $5, 'intake' FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bytea[]) AS t(c, m, f, d)`,
		cases, msgs, fields, digests, WriterFirst)
}

// queueCarriedFlags adds to b the update that gives each case a batch
// opened the intake.CarriedFlags of the cases it is possibly related to.
func queueCarriedFlags(b *pgx.Batch, outs []intake.Outcome) {
	var ids, rels []int64
	for _, o := range outs {
		for _, r := range o.Related {
			ids, rels = append(ids, o.CaseID), append(rels, r.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	b.Queue(`
		WITH t AS (SELECT id, array_agg(rel) AS rels FROM unnest($1::bigint[], $2::bigint[]) AS u(id, rel) GROUP BY id)
		UPDATE cases c SET flags = ARRAY(SELECT DISTINCT x FROM unnest(c.flags || ARRAY(
			SELECT f FROM cases r, unnest(r.flags) AS f WHERE r.id = ANY(t.rels) AND f = ANY($3))) AS x ORDER BY x)
		FROM t WHERE c.id = t.id`, ids, rels, intake.CarriedFlags)
}

// nullIfEmpty stores "" as NULL: not reported.
func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Address is an address an answer on a case may go to: the From or
// Reply-To of one of its incoming messages, sealed. The console and `okit
// reply` open it to show the operator whom they write to.
type Address struct {
	MessageID int64
	Field     replies.Field
	Digest    []byte // the address's keyed digest
	Sealed    []byte // the message's sealed summary (From) or its sealed Reply-To
	Writer    bool   // one of the case's writer addresses; else from the latest message
	Default   bool   // where an answer goes unless someone picks (replies.DefaultAddressee)
}

// Addresses lists where an answer on the case may go: each writer
// address once (by digest, the first message that gave it), and the
// latest incoming message's From and Reply-To if they are not writers, so
// that an operator can pick one of those explicitly. At most one is the
// Default; none when the latest message asks for answers at an address
// that is not the writer's.
func (s *Store) Addresses(ctx context.Context, caseID int64) ([]Address, error) {
	return addresses(ctx, s.pool, caseID)
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func addresses(ctx context.Context, q querier, caseID int64) ([]Address, error) {
	rows, err := q.Query(ctx, `
		WITH latest AS (SELECT id, sender_digest, reply_to_digest FROM messages
			WHERE case_id = $1 AND direction = 'in' ORDER BY internal_date DESC, id DESC LIMIT 1),
		cand AS (
			(SELECT DISTINCT ON (w.address_digest) w.message_id, w.field, w.address_digest, true AS writer
			FROM case_writers w WHERE w.case_id = $1 ORDER BY w.address_digest, w.message_id)
			UNION ALL
			SELECT l.id, f.field, f.d, false FROM latest l,
				LATERAL (VALUES ('from', l.sender_digest), ('reply_to', l.reply_to_digest)) AS f(field, d)
			WHERE f.d IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_writers w WHERE w.case_id = $1 AND w.address_digest = f.d))
		SELECT c.message_id, c.field, CASE c.field WHEN 'from' THEN m.summary_sealed ELSE m.reply_to_sealed END, c.writer,
			c.address_digest, l.sender_digest, l.reply_to_digest
		FROM cand c JOIN messages m ON m.id = c.message_id LEFT JOIN latest l ON true
		ORDER BY NOT c.writer, c.message_id, c.field`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read the case's addresses: %w", err)
	}
	var out []Address
	var writers [][]byte
	var from, replyTo []byte
	var a Address
	_, err = pgx.ForEachRow(rows, []any{&a.MessageID, &a.Field, &a.Sealed, &a.Writer, &a.Digest, &from, &replyTo}, func() error {
		out = append(out, a)
		if a.Writer {
			writers = append(writers, a.Digest)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the case's addresses: %w", err)
	}
	if f, ok := replies.DefaultAddressee(from, replyTo, writers); ok {
		target := from
		if f == replies.FieldReplyTo {
			target = replyTo
		}
		for i := range out {
			if string(out[i].Digest) == string(target) {
				out[i].Default = true
				break
			}
		}
	}
	return out, nil
}
