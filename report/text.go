package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes the figures as aligned tables for a person to read.
// Times are shown in the location of f.From (the CLI and the console give
// Europe/Budapest), durations rounded for reading; the CSV has them exact.
func WriteText(w io.Writer, f Figures) error {
	loc := f.From.Location()
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "Figures from %s to %s (%s; the end not included)\n",
		f.From.In(loc).Format("2006-01-02 15:04"), f.To.In(loc).Format("2006-01-02 15:04"), loc)

	fmt.Fprintln(tw, "\nRESPONSE TIMES (median / 90th percentile, nearest rank)")
	fmt.Fprintln(tw, "PRIO\tTARGET\tACKS\tACK MEDIAN\tACK P90\tANSWERS\tANSWER MEDIAN\tANSWER P90\tWITHIN TARGET\tCLOSES\tCLOSE MEDIAN\tCLOSE P90")
	for _, p := range f.Priorities {
		share := "-"
		if p.FirstAnswer.Count > 0 {
			share = fmt.Sprintf("%d (%.1f%%)", p.WithinTarget, 100*p.Share())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Priority, Human(p.Target), statText(p.Ack),
			statText(p.FirstAnswer), share, statText(p.Close))
	}

	fmt.Fprintln(tw, "\nOPEN BACKLOG AT THE END, BY WAITING TIME")
	fmt.Fprintln(tw, "AGE\tCASES")
	for _, b := range f.Backlog {
		fmt.Fprintf(tw, "%s\t%d\n", b.Label, b.Cases)
	}

	fmt.Fprintf(tw, "\nBREACHES (%d)\n", len(f.Breaches))
	fmt.Fprintln(tw, "CASE\tPRIO\tDUE\tANSWERED")
	for _, b := range f.Breaches {
		answered := "not by the end"
		if b.Answered != nil {
			answered = b.Answered.In(loc).Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", b.Ref, b.Priority, b.Due.In(loc).Format(time.DateTime), answered)
	}

	fmt.Fprintln(tw, "\nOPERATORS (open load now)")
	fmt.Fprintln(tw, "NAME\tOPEN\tANSWERS\tFIRST ANSWERS\tMEDIAN\tP90")
	for _, o := range f.Operators {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", o.Name, o.Open, o.Answers, statText(o.FirstResponse))
	}

	fmt.Fprintln(tw, "\nVOLUME BY DAY")
	fmt.Fprintln(tw, "DAY\tNEW CASES\tMESSAGES")
	for _, d := range f.Days {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", d.Date, d.Cases, d.Messages)
	}

	fmt.Fprintln(tw, "\nMESSAGES BY HOUR OF DAY")
	fmt.Fprintln(tw, "HOUR\tMESSAGES")
	for _, h := range f.Hours {
		fmt.Fprintf(tw, "%02d\t%d\n", h.Hour, h.Messages)
	}

	fmt.Fprintln(tw, "\nCATEGORIES (cases received)")
	fmt.Fprintln(tw, "CATEGORY\tCASES")
	for _, c := range f.Categories {
		fmt.Fprintf(tw, "%s\t%d\n", c.Category, c.Cases)
	}

	fmt.Fprintln(tw, "\nCLOSES BY OUTCOME")
	fmt.Fprintln(tw, "OUTCOME\tCLOSES")
	for _, o := range f.Outcomes {
		fmt.Fprintf(tw, "%s\t%d\n", o.Outcome, o.Closes)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write figures: %w", err)
	}
	return nil
}

// statText is a Stat as three tab-separated columns.
func statText(s Stat) string {
	if s.Count == 0 {
		return "0\t-\t-"
	}
	return fmt.Sprintf("%d\t%s\t%s", s.Count, Human(s.Median), Human(s.P90))
}

// Human writes a duration short and rounded down: 45s, 12m30s, 3h05m,
// 2d04h. The console shows durations the same way.
func Human(d time.Duration) string {
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	switch {
	case d < time.Minute:
		fmt.Fprintf(&b, "%ds", int(d/time.Second))
	case d < time.Hour:
		fmt.Fprintf(&b, "%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	case d < 24*time.Hour:
		fmt.Fprintf(&b, "%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		fmt.Fprintf(&b, "%dd%02dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	}
	return b.String()
}
