package storage

import (
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/triage"
)

// percentiles sums up the durations secs (seconds) of each group of a
// statement: count, [median, 90th percentile], nearest-rank.
const percentiles = `count(*)::int, percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY secs)`

// statements are Figures' statements for [from, to): each reads its rows
// into fields of q of its own. Heavy ones come first, so that lanes taking
// every n-th statement get about equal work.
func (q *figureQuery) statements(from, to time.Time, targets triage.Targets) []figureStatement {
	var limits, bounds []float64 // targets by priority; lower bounds of every backlog bucket but the first
	for _, t := range targets {
		limits = append(limits, t.Seconds())
	}
	for _, k := range q.f.Backlog[1:] {
		bounds = append(bounds, k.Min.Seconds())
	}
	return []figureStatement{
		// Closes: to each case_closed event from the case's INTERNALDATE
		// or its last reopening before. A case never reopened was closed
		// once, at its closed_at (written with the event), so only the few
		// cases ever reopened are read from the event log.
		{`WITH reopened AS (SELECT DISTINCT case_id FROM case_events WHERE kind = 'case_reopened')
		SELECT priority::text, ` + percentiles + `, 0 FROM (
			SELECT c.priority, date_part('epoch', c.closed_at - c.first_received) AS secs FROM cases c
			WHERE c.closed_at >= $1 AND c.closed_at < $2 AND c.id NOT IN (SELECT case_id FROM reopened)
			UNION ALL
			SELECT c.priority, date_part('epoch', e.at - greatest(c.first_received, (SELECT max(x.at) FROM case_events x
				WHERE x.case_id = e.case_id AND x.id < e.id AND x.kind = 'case_reopened')))
			FROM reopened r JOIN case_events e ON e.case_id = r.case_id JOIN cases c ON c.id = r.case_id
			WHERE e.kind = 'case_closed' AND e.at >= $1 AND e.at < $2) AS s
		GROUP BY priority`, []any{from, to}, q.readStats(q.close)},
		// First answers: from the case's INTERNALDATE to its first response
		// (first_response_at, written with the first_response event).
		{`SELECT priority::text, ` + percentiles + `, (count(*) FILTER (WHERE secs <= ($3::float8[])[priority]))::int FROM (
			SELECT priority, date_part('epoch', first_response_at - first_received) AS secs
			FROM cases WHERE first_response_at >= $1 AND first_response_at < $2) AS s
		GROUP BY priority`, []any{from, to, limits}, q.readStats(q.answer)},
		// The same by who gave them (the first_response event's actor).
		{`SELECT actor, ` + percentiles + `, 0 FROM (
			SELECT e.actor COLLATE "C" AS actor, date_part('epoch', e.at - c.first_received) AS secs
			FROM case_events e JOIN cases c ON c.id = e.case_id
			WHERE e.kind = 'first_response' AND e.at >= $1 AND e.at < $2) AS s
		GROUP BY actor`, []any{from, to}, q.readStats(nil)},
		// Acknowledgements: from the case's INTERNALDATE to its first
		// acknowledgement sent (outgoing.sent_at, written with the ack_sent
		// event), counted when that was sent.
		{`SELECT priority::text, ` + percentiles + `, 0 FROM (
			SELECT c.priority, date_part('epoch', a.sent - c.first_received) AS secs
			FROM (SELECT DISTINCT ON (case_id) case_id, sent_at AS sent FROM outgoing
				WHERE kind = 'ack' AND sent_at < $2 ORDER BY case_id, sent_at) AS a
			JOIN cases c ON c.id = a.case_id
			WHERE a.sent >= $1) AS s
		GROUP BY priority`, []any{from, to}, q.readStats(q.ack)},
		// Breaches: due in the period, answered after the due time or not
		// by the end; a case closed unanswered before it was due is none.
		// By due time, then by case. (A case open now and never reopened
		// was never closed: only the others are looked up in the log.)
		{`SELECT c.ref, c.priority, c.due_at, CASE WHEN c.first_response_at < $2 THEN c.first_response_at END
		FROM cases c
		WHERE c.due_at >= $1 AND c.due_at < $2 AND (c.first_response_at IS NULL OR c.first_response_at > c.due_at)
			AND (c.first_response_at IS NOT NULL
				OR (c.status = 'open' AND c.id NOT IN (SELECT case_id FROM case_events WHERE kind = 'case_reopened'))
				OR NOT coalesce((SELECT e.kind = 'case_closed' FROM case_events e
				WHERE e.case_id = c.id AND e.kind IN ('case_closed', 'case_reopened') AND e.at <= c.due_at
				ORDER BY e.id DESC LIMIT 1), false))
		ORDER BY c.due_at, c.id`, []any{from, to}, q.readBreaches},
		// Incoming messages, counted by UTC hour, then each hour named in
		// local time: Budapest's offsets are whole hours, and converting a
		// year's hours costs little where converting each message would not.
		{`SELECT to_char(h AT TIME ZONE $3, 'YYYY-MM-DD'), extract(hour FROM h AT TIME ZONE $3)::int, n FROM (
			SELECT date_bin('1 hour', internal_date, timestamptz '2000-01-01 00:00Z') AS h, count(*)::int AS n
			FROM messages WHERE direction = 'in' AND internal_date >= $1 AND internal_date < $2
			GROUP BY 1) AS hours`, []any{from, to, report.Zone}, q.readHours},
		// Backlog: the cases open at to, by how long they had waited. A case
		// is open at to if its last close or reopening before (if any) was a
		// reopening; only cases open now or closed after to can be. It
		// waits since its first message, or since its last reopening.
		{`SELECT width_bucket(date_part('epoch', $1::timestamptz - greatest(c.first_received, s.at)), $2::float8[]), count(*)::int
		FROM cases c
		LEFT JOIN LATERAL (SELECT e.kind, e.at FROM case_events e
			WHERE e.case_id = c.id AND e.kind IN ('case_closed', 'case_reopened') AND e.at < $1
			ORDER BY e.id DESC LIMIT 1) AS s ON true
		WHERE c.first_received < $1 AND (c.status = 'open' OR c.closed_at >= $1) AND s.kind IS DISTINCT FROM 'case_closed'
		GROUP BY 1`, []any{to, bounds}, q.readCounts(func(k string, n int) { i, _ := strconv.Atoi(k); q.backlog[i] = n })},
		// New cases by local day, every day of the period listed.
		{`WITH cs AS (
			SELECT to_char(h AT TIME ZONE $3, 'YYYY-MM-DD') AS day, sum(n)::int AS n FROM (
				SELECT date_bin('1 hour', first_received, timestamptz '2000-01-01 00:00Z') AS h, count(*) AS n FROM cases
				WHERE first_received >= $1 AND first_received < $2 GROUP BY 1) AS hours
			GROUP BY 1)
		SELECT to_char(d.day, 'YYYY-MM-DD'), coalesce(cs.n, 0)
		FROM generate_series(($1::timestamptz AT TIME ZONE $3)::date, (($2::timestamptz - interval '1 microsecond') AT TIME ZONE $3)::date,
			interval '1 day') AS d(day)
		LEFT JOIN cs ON cs.day = to_char(d.day, 'YYYY-MM-DD') ORDER BY d.day`, []any{from, to, report.Zone},
			q.readCounts(func(d string, n int) { q.days = append(q.days, d); q.dayCases[d] = n })},
		{`SELECT cat, count(*)::int FROM cases, unnest(categories) AS cat
		WHERE first_received >= $1 AND first_received < $2
		GROUP BY cat ORDER BY 2 DESC, cat`, []any{from, to},
			q.readCounts(func(c string, n int) { q.f.Categories = append(q.f.Categories, report.Category{Category: c, Cases: n}) })},
		// Closes of the period by the outcome the closing person chose;
		// closes that recorded none (older ones, merges) as unrecorded.
		{`SELECT coalesce(data->>'outcome', $3), count(*)::int FROM case_events
		WHERE kind = 'case_closed' AND at >= $1 AND at < $2
		GROUP BY 1 ORDER BY 2 DESC, 1`, []any{from, to, report.Unrecorded},
			q.readCounts(func(o string, n int) {
				q.f.Outcomes = append(q.f.Outcomes, report.OutcomeCount{Outcome: report.Outcome(o), Closes: n})
			})},
		// Answers and crisis-home contacts queued (reply_queued: never
		// acknowledgements), by actor.
		{`SELECT actor, count(*)::int FROM case_events WHERE kind = 'reply_queued' AND at >= $1 AND at < $2 GROUP BY actor`,
			[]any{from, to}, q.readCounts(func(a string, n int) { q.answers[a] = n })},
		{`SELECT u.username, count(*)::int FROM cases c JOIN users u ON u.id = c.assignee_id WHERE c.status = 'open' GROUP BY u.username`,
			nil, q.readCounts(func(u string, n int) { q.open[u] = n })},
		{`SELECT 'user:' || id, username FROM users UNION ALL SELECT ':' || username, username FROM users`,
			nil, func(rows pgx.Rows) error {
				var k, name string
				_, err := pgx.ForEachRow(rows, []any{&k, &name}, func() error { q.users[k] = name; return nil })
				return err
			}},
	}
}

// readCounts reads rows of (key, count), the key as text, into put.
func (q *figureQuery) readCounts(put func(string, int)) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		var k any
		var n int
		_, err := pgx.ForEachRow(rows, []any{&k, &n}, func() error {
			put(fmt.Sprint(k), n)
			return nil
		})
		return err
	}
}

func (q *figureQuery) readBreaches(rows pgx.Rows) error {
	var ref string
	var p int16 // scanned as itself: a year may have tens of thousands
	var due time.Time
	var answered pgtype.Timestamptz
	_, err := pgx.ForEachRow(rows, []any{&ref, &p, &due, &answered}, func() error {
		br := report.Breach{Ref: ref, Priority: triage.Priority(p), Due: due}
		if answered.Valid {
			at := answered.Time // answered is scanned into again
			br.Answered = &at
		}
		q.f.Breaches = append(q.f.Breaches, br)
		return nil
	})
	return err
}

func (q *figureQuery) readHours(rows pgx.Rows) error {
	var day string
	var hour, n int
	_, err := pgx.ForEachRow(rows, []any{&day, &hour, &n}, func() error {
		if hour < 0 || hour > 23 {
			return fmt.Errorf("figures: hour %d", hour)
		}
		q.dayMessages[day] += n
		q.hours[hour] += n
		return nil
	})
	return err
}
