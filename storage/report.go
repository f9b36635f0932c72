package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/triage"
)

// Figures computes the supervisors' figures of the period [from, to) from
// the event log and the cases (see package report for what each figure
// means). It reads ids, times, priorities and categories only: no sealed
// content. It reads in one snapshot, in a few statements sent as one batch,
// so the figures agree with each other. Medians and percentiles are
// nearest-rank, computed exactly in SQL (row_number against ⌈p·n⌉ in
// integers).
func (s *Store) Figures(ctx context.Context, from, to time.Time, targets triage.Targets) (report.Figures, error) {
	f := report.Figures{From: from, To: to, Backlog: report.Buckets()}
	if !from.Before(to) {
		return f, fmt.Errorf("figures: the period's end %s is not after its start %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	for i, t := range targets {
		f.Priorities = append(f.Priorities, report.Priority{Priority: triage.Priority(i + 1), Target: t})
	}
	q := figureQuery{f: &f, answers: map[string]int{}, firstResponse: map[string]report.Stat{}, open: map[string]int{}, users: map[string]string{}}
	b := &pgx.Batch{}
	q.queue(b, from, to, targets)
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return f, fmt.Errorf("figures %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	q.operators()
	return f, nil
}

// micros is the SQL for the microseconds from b to a, exact.
func micros(a, b string) string {
	return `((extract(epoch FROM ` + a + `) - extract(epoch FROM ` + b + `)) * 1000000)::bigint`
}

// durationSamples lists, for the period [$1, $2), every measured duration
// (us) with what it measures and of which group: acknowledgements, first
// answers and closes by priority, first answers by who gave them. within
// says whether a first answer met its priority's target ($3, microseconds,
// by priority).
var durationSamples = `
	SELECT 'ack' AS measure, c.priority::text AS key, ` + micros("e.at", "m.internal_date") + ` AS us, false AS within
	FROM case_events e
	JOIN outgoing o ON o.id = (e.data->>'outgoing')::bigint AND o.kind = 'ack'
	JOIN messages m ON m.id = o.answers
	JOIN cases c ON c.id = e.case_id
	WHERE e.kind = 'ack_sent' AND e.at >= $1 AND e.at < $2
	UNION ALL
	SELECT k.measure, CASE k.measure WHEN 'answer' THEN c.priority::text ELSE e.actor END,
		` + micros("e.at", "c.first_received") + `,
		k.measure = 'answer' AND ` + micros("e.at", "c.first_received") + ` <= ($3::bigint[])[c.priority]
	FROM case_events e JOIN cases c ON c.id = e.case_id, (VALUES ('answer'), ('operator')) AS k(measure)
	WHERE e.kind = 'first_response' AND e.at >= $1 AND e.at < $2
	UNION ALL
	SELECT 'close', c.priority::text, ` + micros("e.at", `greatest(c.first_received, (SELECT max(r.at) FROM case_events r
		WHERE r.case_id = e.case_id AND r.kind = 'case_reopened' AND r.id < e.id))`) + `, false
	FROM case_events e JOIN cases c ON c.id = e.case_id
	WHERE e.kind = 'case_closed' AND e.at >= $1 AND e.at < $2`

// figureQuery queues the statements of Figures and fills f from their rows.
type figureQuery struct {
	f             *report.Figures
	answers       map[string]int         // by actor
	firstResponse map[string]report.Stat // by actor
	open          map[string]int         // by username
	users         map[string]string      // username by "user:<id>" and by "<anything>:<username>"
}

func (q *figureQuery) queue(b *pgx.Batch, from, to time.Time, targets triage.Targets) {
	var limits []int64
	for _, t := range targets {
		limits = append(limits, t.Microseconds())
	}
	b.Queue(`
		WITH s AS (`+durationSamples+`),
		r AS (
			SELECT measure, key, us, within, row_number() OVER (PARTITION BY measure, key ORDER BY us) AS rn,
				count(*) OVER (PARTITION BY measure, key) AS n
			FROM s)
		SELECT measure, key, n::int, max(us) FILTER (WHERE rn = (n + 1) / 2), max(us) FILTER (WHERE rn = (9 * n + 9) / 10),
			(count(*) FILTER (WHERE within))::int
		FROM r GROUP BY measure, key, n`, from, to, limits).Query(q.stats)
	q.queueBacklog(b, to)
	b.Queue(`
		SELECT c.ref, c.priority, c.due_at, CASE WHEN c.first_response_at < $2 THEN c.first_response_at END
		FROM cases c
		WHERE c.due_at >= $1 AND c.due_at < $2 AND (c.first_response_at IS NULL OR c.first_response_at > c.due_at)
			AND NOT coalesce((SELECT e.kind = 'case_closed' FROM case_events e
				WHERE e.case_id = c.id AND e.kind IN ('case_closed', 'case_reopened') AND e.at <= c.due_at
				ORDER BY e.id DESC LIMIT 1), false)
		ORDER BY c.due_at, c.ref`, from, to).Query(q.breaches)
	q.queueWorkload(b, from, to)
	q.queueVolume(b, from, to)
}

func (q *figureQuery) stats(rows pgx.Rows) error {
	var measure, key string
	var n int
	var median, p90 *int64
	var within int
	_, err := pgx.ForEachRow(rows, []any{&measure, &key, &n, &median, &p90, &within}, func() error {
		st := report.Stat{Count: n, Median: time.Duration(*median) * time.Microsecond, P90: time.Duration(*p90) * time.Microsecond}
		if measure == "operator" {
			q.firstResponse[key] = st
			return nil
		}
		p, err := strconv.Atoi(key)
		if err != nil || p < 1 || p > len(q.f.Priorities) {
			return fmt.Errorf("figures: a case of priority %q", key)
		}
		pr := &q.f.Priorities[p-1]
		switch measure {
		case "ack":
			pr.Ack = st
		case "answer":
			pr.FirstAnswer, pr.WithinTarget = st, within
		case "close":
			pr.Close = st
		}
		return nil
	})
	return err
}

func (q *figureQuery) breaches(rows pgx.Rows) error {
	var br report.Breach
	_, err := pgx.ForEachRow(rows, []any{&br.Ref, &br.Priority, &br.Due, &br.Answered}, func() error {
		q.f.Breaches = append(q.f.Breaches, br)
		br.Answered = nil
		return nil
	})
	return err
}

// operatorName is the name an actor is shown under: the user's name when
// it names a user, else the actor as recorded.
func (q *figureQuery) operatorName(actor string) string {
	if u, ok := q.users[actor]; ok {
		return u
	}
	if _, name, ok := strings.Cut(actor, ":"); ok {
		if u, ok := q.users[":"+name]; ok {
			return u
		}
	}
	return actor
}
