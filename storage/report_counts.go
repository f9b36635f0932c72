package storage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/report"
)

// queueBacklog counts the cases open at to by how long they had waited,
// into the buckets of f.Backlog. A case is open at to if its last close or
// reopening before to (if any) was a reopening; only cases open now or
// closed after to can be. It waits since its first message, or since its
// last reopening.
func (q *figureQuery) queueBacklog(b *pgx.Batch, to time.Time) {
	var bounds []float64 // the lower bounds of every bucket but the first, in seconds
	for _, k := range q.f.Backlog[1:] {
		bounds = append(bounds, k.Min.Seconds())
	}
	b.Queue(`
		SELECT width_bucket(date_part('epoch', $1::timestamptz - greatest(c.first_received, s.at)), $2::float8[]), count(*)::int
		FROM cases c
		LEFT JOIN LATERAL (SELECT e.kind, e.at FROM case_events e
			WHERE e.case_id = c.id AND e.kind IN ('case_closed', 'case_reopened') AND e.at < $1
			ORDER BY e.id DESC LIMIT 1) s ON true
		WHERE c.first_received < $1 AND (c.status = 'open' OR c.closed_at >= $1) AND s.kind IS DISTINCT FROM 'case_closed'
		GROUP BY 1`, to, bounds).Query(func(rows pgx.Rows) error {
		var i, n int
		_, err := pgx.ForEachRow(rows, []any{&i, &n}, func() error {
			if i < 0 || i >= len(q.f.Backlog) {
				return fmt.Errorf("figures: backlog bucket %d", i)
			}
			q.f.Backlog[i].Cases = n
			return nil
		})
		return err
	})
}

// queueWorkload reads each operator's open load (now), the answers each
// actor queued in [from, to) (reply_queued events: answers and crisis-home
// contacts, never acknowledgements), and the users' names.
func (q *figureQuery) queueWorkload(b *pgx.Batch, from, to time.Time) {
	b.Queue(`SELECT id, username FROM users`).Query(func(rows pgx.Rows) error {
		var id int64
		var name string
		_, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error {
			q.users["user:"+strconv.FormatInt(id, 10)] = name
			q.users[":"+name] = name
			return nil
		})
		return err
	})
	b.Queue(`
		SELECT u.username, count(*)::int FROM cases c JOIN users u ON u.id = c.assignee_id
		WHERE c.status = 'open' GROUP BY u.username`).Query(func(rows pgx.Rows) error {
		var name string
		var n int
		_, err := pgx.ForEachRow(rows, []any{&name, &n}, func() error {
			q.open[name] = n
			return nil
		})
		return err
	})
	b.Queue(`
		SELECT actor, count(*)::int FROM case_events
		WHERE kind = 'reply_queued' AND at >= $1 AND at < $2
		GROUP BY actor`, from, to).Query(func(rows pgx.Rows) error {
		var actor string
		var n int
		_, err := pgx.ForEachRow(rows, []any{&actor, &n}, func() error {
			q.answers[actor] = n
			return nil
		})
		return err
	})
}

// operators merges load, answers and first responses by person, by name.
func (q *figureQuery) operators() {
	byName := map[string]*report.Operator{}
	get := func(name string) *report.Operator {
		o := byName[name]
		if o == nil {
			o = &report.Operator{Name: name}
			byName[name] = o
		}
		return o
	}
	for name, n := range q.open {
		get(name).Open = n
	}
	for actor, n := range q.answers {
		get(q.operatorName(actor)).Answers += n
	}
	for actor, st := range q.firstResponse {
		o := get(q.operatorName(actor))
		if st.Count > o.FirstResponse.Count { // two actors of one person: keep the larger sample
			o.FirstResponse = st
		}
	}
	for _, o := range byName {
		q.f.Operators = append(q.f.Operators, *o)
	}
	slices.SortFunc(q.f.Operators, func(a, b report.Operator) int { return strings.Compare(a.Name, b.Name) })
}

// queueVolume reads the cases and messages of each local day, the
// messages of each local hour of day, and the category mix.
func (q *figureQuery) queueVolume(b *pgx.Batch, from, to time.Time) {
	b.Queue(`
		WITH cs AS (
			SELECT (first_received AT TIME ZONE $3)::date AS day, count(*) AS n FROM cases
			WHERE first_received >= $1 AND first_received < $2 GROUP BY 1)
		SELECT to_char(d.day, 'YYYY-MM-DD'), coalesce(cs.n, 0)::int
		FROM generate_series(($1::timestamptz AT TIME ZONE $3)::date, (($2::timestamptz - interval '1 microsecond') AT TIME ZONE $3)::date,
			interval '1 day') AS d(day)
		LEFT JOIN cs ON cs.day = d.day::date ORDER BY d.day`, from, to, report.Zone).Query(func(rows pgx.Rows) error {
		var d report.Day
		_, err := pgx.ForEachRow(rows, []any{&d.Date, &d.Cases}, func() error {
			q.f.Days = append(q.f.Days, d)
			return nil
		})
		return err
	})
	// Messages are counted by UTC hour, then each hour is named in local
	// time: Budapest's offsets are whole hours, and converting a year's
	// hours costs little where converting each message would not.
	b.Queue(`
		SELECT to_char(h AT TIME ZONE $3, 'YYYY-MM-DD'), extract(hour FROM h AT TIME ZONE $3)::int, n
		FROM (
			SELECT date_bin('1 hour', internal_date, timestamptz '2000-01-01 00:00Z') AS h, count(*)::int AS n
			FROM messages WHERE direction = 'in' AND internal_date >= $1 AND internal_date < $2
			GROUP BY 1) AS hours`, from, to, report.Zone).Query(func(rows pgx.Rows) error {
		for h := range 24 {
			q.f.Hours = append(q.f.Hours, report.Hour{Hour: h})
		}
		day := map[string]int{}
		for i, d := range q.f.Days {
			day[d.Date] = i
		}
		var date string
		var hour, n int
		_, err := pgx.ForEachRow(rows, []any{&date, &hour, &n}, func() error {
			if i, ok := day[date]; ok {
				q.f.Days[i].Messages += n
			}
			q.f.Hours[hour].Messages += n
			return nil
		})
		return err
	})
	b.Queue(`
		SELECT cat, count(*)::int FROM cases, unnest(categories) AS cat
		WHERE first_received >= $1 AND first_received < $2
		GROUP BY cat ORDER BY 2 DESC, cat`, from, to).Query(func(rows pgx.Rows) error {
		var c report.Category
		_, err := pgx.ForEachRow(rows, []any{&c.Category, &c.Cases}, func() error {
			q.f.Categories = append(q.f.Categories, c)
			return nil
		})
		return err
	})
}
