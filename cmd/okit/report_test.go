package main

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// okit report prints the figures the store computes, as each writer
// renders them, and records the export with who took it and the period.
func TestReportAgreesWithTheStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := storagetest.URL(t)
	clock := &storagetest.Clock{}
	st := storagetest.Open(t, url, true, clock.Now)
	storagetest.WriteWeek(t, st, clock)
	loc, err := time.LoadLocation(report.Zone)
	if err != nil {
		t.Fatal(err)
	}
	want, err := st.Figures(ctx, storagetest.WeekFrom.In(loc), storagetest.WeekTo.In(loc), triage.DefaultTargets)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"OKIT_DATABASE_URL": url, "OKIT_LOG_LEVEL": "error"}
	for _, tc := range []struct {
		format string
		write  func(io.Writer, report.Figures) error
	}{
		{"text", report.WriteText},
		{"csv", report.WriteCSV},
		{"json", report.WriteJSON},
	} {
		var b bytes.Buffer
		if err := tc.write(&b, want); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := run(t, vars, "report", "--from", "2026-11-02", "--to", "2026-11-09", "--format", tc.format)
		if code != 0 {
			t.Fatalf("okit report --format %s = %d: %s", tc.format, code, errOut)
		}
		if diff := cmp.Diff(b.String(), out); diff != "" {
			t.Errorf("okit report --format %s (-store +okit):\n%s", tc.format, diff)
		}
	}

	rows, err := storagetest.Pool(st).Query(ctx, `SELECT actor, data->>'format', (data->>'from')::timestamptz, (data->>'to')::timestamptz
		FROM case_events WHERE kind = 'export' AND case_id IS NULL ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	type export struct {
		Actor, Format string
		From, To      time.Time
	}
	var got []export
	for rows.Next() {
		var e export
		if err := rows.Scan(&e.Actor, &e.Format, &e.From, &e.To); err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var exports []export
	for _, f := range []string{"text", "csv", "json"} {
		exports = append(exports, export{actor(), f, storagetest.WeekFrom, storagetest.WeekTo})
	}
	if diff := cmp.Diff(exports, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("export events (-want +got):\n%s", diff)
	}
}

// A period that is not one is refused with a clear word, and nothing is
// recorded.
func TestReportRefusesABadPeriod(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", "2026-11-09", "--to", "2026-11-02"}, "--to 2026-11-02 is not after --from 2026-11-09"},
		{[]string{"--from", "2.11.2026", "--to", "2026-11-09"}, `--from "2.11.2026": give a day as YYYY-MM-DD`},
		{[]string{"--from", "2026-11-02", "--to", "2026-11-09", "--format", "xls"}, `--format "xls": give text, csv or json`},
	} {
		_, errOut, code := run(t, map[string]string{}, append([]string{"report"}, tc.args...)...)
		if code == 0 || !bytes.Contains([]byte(errOut), []byte(tc.want)) {
			t.Errorf("okit report %v = %d, %q; want a failure saying %q", tc.args, code, errOut, tc.want)
		}
	}
}
