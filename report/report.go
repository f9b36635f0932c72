// Package report holds the supervisors' figures of a period — response
// times, backlog, breaches, workload, volume and category mix — and writes
// them as a text table, CSV or JSON. It does no I/O of its own: storage
// computes Figures from the event log (Store.Figures), and the console and
// `okit report` render the same value with the same writers, so the numbers
// agree wherever they appear. The CSV (WriteCSV) is the canonical rendering.
//
// Every duration is measured between two recorded times and nothing in the
// figures comes from sealed content.
//
// Percentiles are nearest-rank: of n durations sorted ascending, the p-th
// percentile is the one at rank ⌈p·n/100⌉ (1-based). The median is the
// 50th percentile, so of an even count it is the lower of the two middle
// values; it is always a duration that really happened.
package report

import (
	"time"

	"github.com/ncsszi/okit/triage"
)

// Zone is the time zone of days and hours of day: the line's own.
const Zone = "Europe/Budapest"

// Figures are the figures of the period [From, To).
//
// A figure that measures a duration counts in the period its end falls in:
// a case's first acknowledgement by when it was sent, a first answer by when it was
// given, a close by when it was closed. A closed case keeps its figures; a
// reopened case adds to them (each close is counted).
type Figures struct {
	From, To   time.Time
	Priorities []Priority // P1 … P4, always four
	Backlog    []Bucket   // open cases at To by how long they have waited
	Breaches   []Breach   // due in the period, by due time (then by case)
	Operators  []Operator // by name
	Days       []Day      // every local day of the period
	Hours      []Hour     // 0 … 23, local time
	Categories []Category // by count, most first, then by name
	// Outcomes count the closes of the period by outcome, most first.
	Outcomes []OutcomeCount
}

// Stat sums up a set of durations. Median and P90 are zero when Count is.
type Stat struct {
	Count  int
	Median time.Duration // nearest-rank 50th percentile
	P90    time.Duration // nearest-rank 90th percentile
}

// Priority holds the response times of the cases of one priority (the
// case's priority as it is now).
type Priority struct {
	Priority triage.Priority
	Target   time.Duration // the first-answer target
	// Ack runs from the case's INTERNALDATE (its first message) to the
	// sending of its first automatic acknowledgement.
	Ack Stat
	// FirstAnswer runs from the case's INTERNALDATE (its first message) to
	// the first human answer.
	FirstAnswer Stat
	// WithinTarget counts the first answers given within Target.
	WithinTarget int
	// Close runs to each closing from the case's INTERNALDATE, or, for a
	// reopened case, from its last reopening.
	Close Stat
}

// Share is the share of first answers given within target, 0 … 1; 0 when
// there were none.
func (p Priority) Share() float64 {
	if p.FirstAnswer.Count == 0 {
		return 0
	}
	return float64(p.WithinTarget) / float64(p.FirstAnswer.Count)
}

// Bucket counts the cases open at the end of the period that have waited
// at least Min and less than Max (no upper bound when Max is 0), since
// their INTERNALDATE or, for a reopened case, since its last reopening.
type Bucket struct {
	Label    string
	Min, Max time.Duration
	Cases    int
}

// Buckets are the backlog's age buckets, youngest first, with no cases.
func Buckets() []Bucket {
	return []Bucket{
		{Label: "<1h", Max: time.Hour},
		{Label: "1-4h", Min: time.Hour, Max: 4 * time.Hour},
		{Label: "4-24h", Min: 4 * time.Hour, Max: 24 * time.Hour},
		{Label: "1-3d", Min: 24 * time.Hour, Max: 72 * time.Hour},
		{Label: ">3d", Min: 72 * time.Hour},
	}
}

// Breach is a case due in the period whose first human answer came after
// its due time, or had not come by the end of the period. A case closed
// unanswered before its due time is not one.
type Breach struct {
	Ref      string
	Priority triage.Priority
	Due      time.Time
	Answered *time.Time // nil: no answer by the end of the period
}

// Operator is one person's workload. Name is the user's name where the
// recorded actor names a user ("user:<id>", "cli:<name>"), else the actor.
type Operator struct {
	Name string
	Open int // open cases assigned to them now (not at To)
	// Answers counts the answers and crisis-home contacts they queued in
	// the period; the reply worker sends them.
	Answers int
	// FirstResponse is the time to first answer of the cases whose first
	// answer they gave in the period.
	FirstResponse Stat
}

// Day is the volume of one local day.
type Day struct {
	Date     string // YYYY-MM-DD, local
	Cases    int    // cases whose first message arrived that day
	Messages int    // incoming messages
}

// Hour is the incoming messages of the period by local hour of day.
type Hour struct {
	Hour     int
	Messages int
}

// Category counts the cases received in the period that carry it (now); a
// case of several categories counts in each.
type Category struct {
	Category string
	Cases    int
}
