package storage

import (
	"context"
	"fmt"
	"math"
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
		// A year's durations are sorted in memory, not on disk.
		if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '64MB'`); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return f, fmt.Errorf("figures %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	q.operators()
	return f, nil
}

// durationSamples lists, for the period [$1, $2), every measured duration
// in seconds (secs, from microseconds: exact as a float8) with what it
// measures, the case's priority and who it was (for first answers):
//   - ack: from the case's INTERNALDATE to its first automatic
//     acknowledgement sent (outgoing.sent_at, written with the ack_sent
//     event), counted when that was sent;
//   - answer: from the case's INTERNALDATE to the first_response event;
//   - close: to each case_closed event from the case's INTERNALDATE or its
//     last case_reopened event before.
const durationSamples = `
	SELECT 'ack' AS measure, c.priority, '' AS actor, date_part('epoch', a.sent - c.first_received) AS secs
	FROM (SELECT case_id, min(sent_at) AS sent FROM outgoing WHERE kind = 'ack' AND sent_at IS NOT NULL GROUP BY case_id) AS a
	JOIN cases c ON c.id = a.case_id
	WHERE a.sent >= $1 AND a.sent < $2
	UNION ALL
	SELECT 'answer', c.priority, e.actor, date_part('epoch', e.at - c.first_received)
	FROM case_events e JOIN cases c ON c.id = e.case_id
	WHERE e.kind = 'first_response' AND e.at >= $1 AND e.at < $2
	UNION ALL
	SELECT 'close', c.priority, '', date_part('epoch', e.at - greatest(c.first_received, r.at))
	FROM case_events e JOIN cases c ON c.id = e.case_id
	LEFT JOIN LATERAL (SELECT max(r.at) AS at FROM case_events r
		WHERE r.case_id = e.case_id AND r.id < e.id AND r.kind = 'case_reopened') AS r ON true
	WHERE e.kind = 'case_closed' AND e.at >= $1 AND e.at < $2`

// seconds makes a duration of seconds that came from microseconds.
func seconds(secs float64) time.Duration {
	return time.Duration(math.Round(secs*1e6)) * time.Microsecond
}

// figureQuery queues the statements of Figures and fills f from their rows.
type figureQuery struct {
	f             *report.Figures
	answers       map[string]int         // by actor
	firstResponse map[string]report.Stat // by actor
	open          map[string]int         // by username
	users         map[string]string      // username by "user:<id>" and by "<anything>:<username>"
}

func (q *figureQuery) queue(b *pgx.Batch, from, to time.Time, targets triage.Targets) {
	var limits []float64
	for _, t := range targets {
		limits = append(limits, t.Seconds())
	}
	// percentile_disc(p) is the value at rank ⌈p·n⌉, nearest-rank; it
	// computes p·n in float8, which gives the exact rank for every n up
	// to two million at least (checked for 0.5 and 0.9).
	b.Queue(`
		WITH s AS (`+durationSamples+`)
		SELECT measure, priority::text, count(*)::int, percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY secs),
			(count(*) FILTER (WHERE secs <= ($3::float8[])[priority]))::int
		FROM s GROUP BY measure, priority
		UNION ALL
		SELECT 'operator', actor, count(*)::int, percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY secs), 0
		FROM s WHERE measure = 'answer' GROUP BY actor`, from, to, limits).Query(q.stats)
	q.queueBacklog(b, to)
	b.Queue(`
		SELECT c.ref, c.priority, c.due_at, CASE WHEN c.first_response_at < $2 THEN c.first_response_at END
		FROM cases c
		WHERE c.due_at >= $1 AND c.due_at < $2 AND (c.first_response_at IS NULL OR c.first_response_at > c.due_at)
			AND (c.first_response_at IS NOT NULL OR NOT coalesce((SELECT e.kind = 'case_closed' FROM case_events e
				WHERE e.case_id = c.id AND e.kind IN ('case_closed', 'case_reopened') AND e.at <= c.due_at
				ORDER BY e.id DESC LIMIT 1), false))
		ORDER BY c.due_at, c.ref`, from, to).Query(q.breaches)
	q.queueWorkload(b, from, to)
	q.queueVolume(b, from, to)
}

func (q *figureQuery) stats(rows pgx.Rows) error {
	var measure, key string
	var n int
	var pct []float64
	var within int
	_, err := pgx.ForEachRow(rows, []any{&measure, &key, &n, &pct, &within}, func() error {
		if len(pct) != 2 {
			return fmt.Errorf("figures: %d percentiles of %s %s", len(pct), measure, key)
		}
		st := report.Stat{Count: n, Median: seconds(pct[0]), P90: seconds(pct[1])}
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
