package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/triage"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// sample is a small period with every section filled.
func sample(t *testing.T) report.Figures {
	t.Helper()
	loc := time.FixedZone("CET", 3600) // Europe/Budapest in winter, without tzdata
	from := time.Date(2026, 11, 2, 0, 0, 0, 0, loc)
	answered := time.Date(2026, 11, 2, 9, 40, 0, 0, loc)
	backlog := report.Buckets()
	backlog[0].Cases, backlog[4].Cases = 2, 1
	f := report.Figures{
		From: from, To: from.AddDate(0, 0, 2),
		Backlog: backlog,
		Breaches: []report.Breach{
			{Ref: "OKIT-2026-000002", Priority: triage.P1, Due: time.Date(2026, 11, 2, 9, 15, 0, 0, loc), Answered: &answered},
			{Ref: "OKIT-2026-000007", Priority: triage.P3, Due: time.Date(2026, 11, 3, 10, 0, 0, 0, loc)},
		},
		Operators: []report.Operator{
			{Name: "anna", Open: 3, Answers: 5, FirstResponse: report.Stat{Count: 4, Median: 20 * time.Minute, P90: 95 * time.Minute}},
			{Name: "cli:root", Answers: 1},
		},
		Days:       []report.Day{{Date: "2026-11-02", Cases: 5, Messages: 8}, {Date: "2026-11-03", Cases: 0, Messages: 1}},
		Categories: []report.Category{{Category: "partner_violence", Cases: 4}, {Category: "legal_info", Cases: 1}},
		Outcomes:   []report.OutcomeCount{{Outcome: report.AnsweredByEmail, Closes: 2}, {Outcome: report.Duplicate, Closes: 1}},
	}
	for h := range 24 {
		f.Hours = append(f.Hours, report.Hour{Hour: h, Messages: h % 3})
	}
	for i, p := range []triage.Priority{triage.P1, triage.P2, triage.P3, triage.P4} {
		f.Priorities = append(f.Priorities, report.Priority{Priority: p, Target: triage.DefaultTargets[i]})
	}
	f.Priorities[0].Ack = report.Stat{Count: 3, Median: 42 * time.Second, P90: 90*time.Second + 500*time.Millisecond}
	f.Priorities[0].FirstAnswer = report.Stat{Count: 3, Median: 12 * time.Minute, P90: 40 * time.Minute}
	f.Priorities[0].WithinTarget = 2
	f.Priorities[0].Close = report.Stat{Count: 1, Median: 26*time.Hour + 3*time.Minute, P90: 26*time.Hour + 3*time.Minute}
	return f
}

func TestWriters(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file  string
		write func(*bytes.Buffer, report.Figures) error
	}{
		{"figures.txt", func(b *bytes.Buffer, f report.Figures) error { return report.WriteText(b, f) }},
		{"figures.csv", func(b *bytes.Buffer, f report.Figures) error { return report.WriteCSV(b, f) }},
		{"figures.json", func(b *bytes.Buffer, f report.Figures) error { return report.WriteJSON(b, f) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			var got bytes.Buffer
			if err := tc.write(&got, sample(t)); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("%s differs (-want +got); run with -update if the change is meant:\n%s", tc.file, diff)
			}
		})
	}
}

func TestShare(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		p    report.Priority
		want float64
	}{
		{report.Priority{}, 0},
		{report.Priority{FirstAnswer: report.Stat{Count: 4}, WithinTarget: 3}, 0.75},
		{report.Priority{FirstAnswer: report.Stat{Count: 3}, WithinTarget: 3}, 1},
	} {
		if got := tc.p.Share(); got != tc.want {
			t.Errorf("Share of %d within %d = %v, want %v", tc.p.WithinTarget, tc.p.FirstAnswer.Count, got, tc.want)
		}
	}
}
