package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// CSVHeader is the CSV's first line.
var CSVHeader = []string{"section", "key", "measure", "value"}

// WriteCSV writes the figures as one long-format CSV, the canonical
// rendering that the console offers as its export: a header (CSVHeader),
// then one row per number, "section,key,measure,value", in this order:
//
//	period    -          from, to                            RFC 3339, UTC
//	priority  P1 … P4    target_s, ack_count, ack_median_s, ack_p90_s,
//	                     answer_count, answer_median_s, answer_p90_s,
//	                     answer_within_target, answer_within_target_share,
//	                     close_count, close_median_s, close_p90_s
//	backlog   <1h …      cases
//	breach    case ref   priority, due, answered_at (empty: none)
//	operator  name       open, answers, first_response_count,
//	                     first_response_median_s, first_response_p90_s
//	day       YYYY-MM-DD cases, messages
//	hour      00 … 23    messages
//	category  name       cases
//	outcome   name       closes
//
// Durations are in seconds (decimals only when not whole), shares are
// fractions with four decimals, and a median or percentile of nothing is 0.
func WriteCSV(w io.Writer, f Figures) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("write figures csv: %w", err)
	}
	for _, r := range Rows(f) {
		if err := cw.Write(r[:]); err != nil {
			return fmt.Errorf("write figures csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write figures csv: %w", err)
	}
	return nil
}

// Rows gives the CSV's rows after the header: what WriteCSV writes, for
// code (the console, tests) that compares figures as the CSV states them.
func Rows(f Figures) [][4]string {
	var rows [][4]string
	add := func(section, key, measure, value string) {
		rows = append(rows, [4]string{section, key, measure, value})
	}
	stat := func(section, key, prefix string, s Stat) {
		add(section, key, prefix+"_count", strconv.Itoa(s.Count))
		add(section, key, prefix+"_median_s", seconds(s.Median))
		add(section, key, prefix+"_p90_s", seconds(s.P90))
	}
	add("period", "", "from", stamp(f.From))
	add("period", "", "to", stamp(f.To))
	for _, p := range f.Priorities {
		k := p.Priority.String()
		add("priority", k, "target_s", seconds(p.Target))
		stat("priority", k, "ack", p.Ack)
		stat("priority", k, "answer", p.FirstAnswer)
		add("priority", k, "answer_within_target", strconv.Itoa(p.WithinTarget))
		add("priority", k, "answer_within_target_share", strconv.FormatFloat(p.Share(), 'f', 4, 64))
		stat("priority", k, "close", p.Close)
	}
	for _, b := range f.Backlog {
		add("backlog", b.Label, "cases", strconv.Itoa(b.Cases))
	}
	for _, b := range f.Breaches {
		add("breach", b.Ref, "priority", b.Priority.String())
		add("breach", b.Ref, "due", stamp(b.Due))
		answered := ""
		if b.Answered != nil {
			answered = stamp(*b.Answered)
		}
		add("breach", b.Ref, "answered_at", answered)
	}
	for _, o := range f.Operators {
		add("operator", o.Name, "open", strconv.Itoa(o.Open))
		add("operator", o.Name, "answers", strconv.Itoa(o.Answers))
		stat("operator", o.Name, "first_response", o.FirstResponse)
	}
	for _, d := range f.Days {
		add("day", d.Date, "cases", strconv.Itoa(d.Cases))
		add("day", d.Date, "messages", strconv.Itoa(d.Messages))
	}
	for _, h := range f.Hours {
		add("hour", fmt.Sprintf("%02d", h.Hour), "messages", strconv.Itoa(h.Messages))
	}
	for _, c := range f.Categories {
		add("category", c.Category, "cases", strconv.Itoa(c.Cases))
	}
	for _, o := range f.Outcomes {
		add("outcome", string(o.Outcome), "closes", strconv.Itoa(o.Closes))
	}
	return rows
}

// seconds writes a duration in seconds, exactly.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// stamp writes a time as RFC 3339 in UTC.
func stamp(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}
