package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Budapest, whether or not the host has a zoneinfo

	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage"
)

// reportWriter is the writer of `okit report --format`.
func reportWriter(format string) (func(io.Writer, report.Figures) error, bool) {
	switch format {
	case "text":
		return report.WriteText, true
	case "csv":
		return report.WriteCSV, true
	case "json":
		return report.WriteJSON, true
	}
	return nil, false
}

func runReport(ctx context.Context, a *app, args []string) error {
	fs := a.flags("report", "--from YYYY-MM-DD --to YYYY-MM-DD [--format text|csv|json]")
	fromDay := fs.String("from", "", "the first day of the period (Budapest time)")
	toDay := fs.String("to", "", "the day after the period: it starts at that day's midnight and is not included")
	format := fs.String("format", "text", "text (tables), csv (the export: section,key,measure,value) or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	from, to, err := reportPeriod(*fromDay, *toDay)
	write, ok := reportWriter(*format)
	if !ok {
		err = fmt.Errorf("--format %q: give text, csv or json", *format)
	}
	if err != nil {
		fs.Usage()
		return err
	}
	e := &env{get: a.getenv}
	targets := e.targets()
	if err := e.err(); err != nil {
		return err
	}
	st, err := a.openStore(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	f, err := st.Figures(ctx, from, to, targets)
	if err != nil {
		return err
	}
	// The export is recorded before it is shown: who took which figures.
	err = st.Record(ctx, storage.EventExport, actor(), map[string]any{
		"what": "figures", "from": from, "to": to, "format": *format})
	if err != nil {
		return err
	}
	a.log.Info("figures exported", slog.String("from", *fromDay), slog.String("to", *toDay), slog.String("format", *format))
	return write(a.stdout, f)
}

// reportPeriod reads --from and --to as local days in Budapest: the period
// runs from the first's midnight to the second's.
func reportPeriod(fromDay, toDay string) (time.Time, time.Time, error) {
	loc, err := time.LoadLocation(report.Zone)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("time zone %s: %w", report.Zone, err)
	}
	var problems []string
	from, err := time.ParseInLocation(time.DateOnly, fromDay, loc)
	if err != nil {
		problems = append(problems, fmt.Sprintf("--from %q: give a day as YYYY-MM-DD", fromDay))
	}
	to, err := time.ParseInLocation(time.DateOnly, toDay, loc)
	if err != nil {
		problems = append(problems, fmt.Sprintf("--to %q: give a day as YYYY-MM-DD", toDay))
	}
	if len(problems) == 0 && !from.Before(to) {
		problems = append(problems, fmt.Sprintf("--to %s is not after --from %s: --to is the first day not included", toDay, fromDay))
	}
	if len(problems) > 0 {
		return from, to, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return from, to, nil
}
