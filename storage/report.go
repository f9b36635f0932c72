package storage

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/triage"
)

// Figures computes the supervisors' figures of the period [from, to) from
// the event log and the cases (see package report for what each figure
// means). It reads ids, times, priorities and categories only: no sealed
// content.
//
// Its statements see one snapshot, so the figures agree with each other:
// the first transaction exports it and the others, on other connections
// of the pool, import it and run side by side (one call at a time; a call
// meanwhile runs its statements one after the other, on one connection).
//
// Medians and percentiles are nearest-rank: percentile_disc(p) takes the
// value at rank ⌈p·n⌉ and computes p·n in float8, which gives the exact
// rank for every n up to two million at least (checked for 0.5 and 0.9).
// Durations are summed up as float8 seconds taken from microseconds, which
// is exact.
func (s *Store) Figures(ctx context.Context, from, to time.Time, targets triage.Targets) (report.Figures, error) {
	if !from.Before(to) {
		return report.Figures{}, fmt.Errorf("figures: the period's end %s is not after its start %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	// A period that runs on past now is measured up to now: a clock that
	// has not run out is no breach, and the backlog is today's.
	if now := s.now(); to.After(now) && now.After(from) {
		to = now
	}
	f := report.Figures{From: from, To: to, Backlog: report.Buckets()}
	for i, t := range targets {
		f.Priorities = append(f.Priorities, report.Priority{Priority: triage.Priority(i + 1), Target: t})
	}
	q := newFigureQuery(&f)
	parts := q.statements(from, to, targets)
	// One connection holds the snapshot; the others run the statements.
	// Only one call at a time does so: calls that each held a connection
	// while waiting for more could take the whole pool and wait forever.
	lanes := min(3, int(s.pool.Config().MaxConns)-1)
	if lanes > 0 && s.figures.TryLock() {
		defer s.figures.Unlock()
	} else {
		lanes = 0
	}
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) error {
		if lanes < 1 {
			return runFigures(ctx, tx, parts)
		}
		var snapshot string
		if err := tx.QueryRow(ctx, `SELECT pg_export_snapshot()`).Scan(&snapshot); err != nil {
			return err
		}
		if !snapshotID(snapshot) {
			return fmt.Errorf("unexpected snapshot id %q", snapshot)
		}
		errs := make([]error, lanes)
		var wg sync.WaitGroup
		for l := range lanes {
			wg.Go(func() {
				errs[l] = pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) error {
					// The id is the server's, checked above; SET takes no parameters.
					if _, err := tx.Exec(ctx, `SET TRANSACTION SNAPSHOT '`+snapshot+`'`); err != nil {
						return err
					}
					var mine []figureStatement
					for i := l; i < len(parts); i += lanes {
						mine = append(mine, parts[i])
					}
					return runFigures(ctx, tx, mine)
				})
			})
		}
		wg.Wait()
		return errors.Join(errs...)
	})
	if err != nil {
		return f, fmt.Errorf("figures %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	q.assemble()
	return f, nil
}

// snapshotID reports whether s looks like what pg_export_snapshot
// returns, such as 00000003-0000001B-1: hex digits and dashes.
func snapshotID(s string) bool {
	return s != "" && strings.Trim(s, "0123456789ABCDEF-") == ""
}

// figureStatement is one statement of Figures and what reads its rows.
type figureStatement struct {
	sql  string
	args []any
	read func(pgx.Rows) error
}

// runFigures runs statements in tx, in one round trip.
func runFigures(ctx context.Context, tx pgx.Tx, sts []figureStatement) error {
	// A year's durations are sorted in memory, not on disk; the statements
	// already run side by side, and each is quicker than compiling it
	// (JIT spent 0.25 s compiling the breaches' statement, which then ran in 0.05 s).
	if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '64MB'; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off`); err != nil {
		return err
	}
	b := &pgx.Batch{}
	for _, st := range sts {
		b.Queue(st.sql, st.args...).Query(st.read)
	}
	return tx.SendBatch(ctx, b).Close()
}

// figureQuery gathers the rows of Figures' statements, each statement into
// fields of its own (they run side by side), and assembles f from them.
type figureQuery struct {
	f                     *report.Figures
	ack, answer, close    map[int]prioStat
	firstResponse         map[string]report.Stat // by actor
	answers               map[string]int         // by actor
	open                  map[string]int         // by username
	users                 map[string]string      // username by "user:<id>" and by ":<username>"
	backlog               map[int]int            // by bucket
	dayMessages, dayCases map[string]int
	hours                 [24]int
	days                  []string
}

// prioStat is a Stat of one priority, with how many met the target.
type prioStat struct {
	report.Stat
	within int
}

func newFigureQuery(f *report.Figures) *figureQuery {
	return &figureQuery{f: f, ack: map[int]prioStat{}, answer: map[int]prioStat{}, close: map[int]prioStat{},
		firstResponse: map[string]report.Stat{}, answers: map[string]int{}, open: map[string]int{},
		users: map[string]string{}, backlog: map[int]int{}, dayMessages: map[string]int{}, dayCases: map[string]int{}}
}

// assemble fills f from what the statements read.
func (q *figureQuery) assemble() {
	for i := range q.f.Priorities {
		p := &q.f.Priorities[i]
		k := int(p.Priority)
		p.Ack, p.Close = q.ack[k].Stat, q.close[k].Stat
		p.FirstAnswer, p.WithinTarget = q.answer[k].Stat, q.answer[k].within
	}
	for i := range q.f.Backlog {
		q.f.Backlog[i].Cases = q.backlog[i]
	}
	for _, d := range q.days {
		q.f.Days = append(q.f.Days, report.Day{Date: d, Cases: q.dayCases[d], Messages: q.dayMessages[d]})
	}
	for h, n := range q.hours {
		q.f.Hours = append(q.f.Hours, report.Hour{Hour: h, Messages: n})
	}
	q.operators()
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

// readStats reads rows of (group, count, [median, p90] in seconds, within
// target) into set, by priority, or, for a nil set, into firstResponse by
// actor.
func (q *figureQuery) readStats(set map[int]prioStat) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		var key string
		var n, within int
		var pct []float64
		_, err := pgx.ForEachRow(rows, []any{&key, &n, &pct, &within}, func() error {
			if len(pct) != 2 {
				return fmt.Errorf("figures: %d percentiles of %s", len(pct), key)
			}
			st := report.Stat{Count: n, Median: seconds(pct[0]), P90: seconds(pct[1])}
			if set == nil {
				q.firstResponse[key] = st
				return nil
			}
			p, err := strconv.Atoi(key)
			if err != nil || p < 1 || p > len(q.f.Priorities) {
				return fmt.Errorf("figures: a case of priority %q", key)
			}
			set[p] = prioStat{st, within}
			return nil
		})
		return err
	}
}

// seconds makes a duration of float8 seconds that came from microseconds.
func seconds(secs float64) time.Duration {
	return time.Duration(math.Round(secs*1e6)) * time.Microsecond
}
