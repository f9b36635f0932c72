package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/report"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

func TestRetentionSetting(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	tests := []struct {
		value string
		want  time.Duration
		bad   bool
	}{
		{"", 1095 * day, false},
		{"1095d", 1095 * day, false},
		{"30d", 30 * day, false},
		{"26280h", 1095 * day, false},
		{"1095s", 0, true}, // a slip that would empty every closed case
		{"0d", 0, true},
		{"-3d", 0, true},
		{"3 years", 0, true},
		{"99999999999d", 0, true},
	}
	for _, tt := range tests {
		e := &env{get: func(string) string { return tt.value }}
		got := e.retention()
		err := e.err()
		if tt.bad {
			if err == nil || !strings.HasPrefix(err.Error(), "OKIT_RETENTION=") || strings.Contains(err.Error(), "\n") {
				t.Errorf("OKIT_RETENTION=%q: error %v, want one line naming the variable", tt.value, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("OKIT_RETENTION=%q = %v, %v; want %v", tt.value, got, err, tt.want)
		}
	}
}

// closedCases stores n cases and closes them, the first one long ago.
func closedCases(t *testing.T, st *storage.Store, n int) {
	t.Helper()
	ctx := context.Background()
	var recs []intake.Record
	for i := range n {
		recs = append(recs, intake.Record{UID: uint32(i + 1), InternalDate: time.Now(), Size: 10, Status: "ok",
			RawSealed: []byte("RAW-SEALED-" + string(rune('A'+i))), SummarySealed: []byte("sealed summary"),
			RawDigest: []byte{byte(i)}, Verdict: triage.Verdict{Priority: triage.P4, Language: "hu"}})
	}
	outs, err := st.Save(ctx, "x/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: uint32(n)}, recs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		if err := st.CloseCase(ctx, o.CaseRef, report.AnsweredByEmail, "user:1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := storagetest.Pool(st).Exec(ctx, `UPDATE cases SET closed_at = now() - interval '4 years' WHERE ref = $1`, outs[0].CaseRef); err != nil {
		t.Fatal(err)
	}
}

func TestPurgeCommand(t *testing.T) {
	t.Parallel()
	url := storagetest.URL(t)
	vars := map[string]string{"OKIT_DATABASE_URL": url, "OKIT_LOG_LEVEL": "error"}
	if out, errs, code := run(t, vars, "migrate"); code != 0 {
		t.Fatalf("migrate: %d\n%s%s", code, out, errs)
	}
	st := storagetest.Open(t, url, false, time.Now)
	closedCases(t, st, 2)

	before := storagetest.Dump(t, st)
	out, errs, code := run(t, vars, "purge", "--dry-run")
	if code != 0 || !strings.HasPrefix(out, "would purge the cases closed more than 1095 days ago: 1 case(s), the sealed content of 1 message(s)") {
		t.Errorf("purge --dry-run: exit %d\n%s%s", code, out, errs)
	}
	if !bytes.Equal(before, storagetest.Dump(t, st)) {
		t.Error("purge --dry-run changed the database")
	}
	out, errs, code = run(t, vars, "purge")
	if code != 0 || !strings.HasPrefix(out, "purged the cases closed more than 1095 days ago: 1 case(s)") {
		t.Errorf("purge: exit %d\n%s%s", code, out, errs)
	}
	dump := storagetest.Dump(t, st)
	if bytes.Contains(dump, []byte("RAW-SEALED-A")) || !bytes.Contains(dump, []byte("RAW-SEALED-B")) {
		t.Error("after the purge, the old case's message should be gone and the recent one's kept")
	}
	if out, _, code := run(t, vars, "purge"); code != 0 || !strings.HasPrefix(out, "purged the cases closed more than 1095 days ago: 0 case(s)") {
		t.Errorf("second purge: exit %d, %s", code, out)
	}
	if out, errs, code := run(t, vars, "audit", "verify"); code != 0 {
		t.Errorf("audit verify after purging: exit %d\n%s%s", code, out, errs)
	}
	vars["OKIT_RETENTION"] = "3y"
	if _, errs, code := run(t, vars, "purge"); code != 1 || !strings.Contains(errs, "okit purge: OKIT_RETENTION=\"3y\"") {
		t.Errorf("OKIT_RETENTION=3y: exit %d, %q; want 1 and a line naming the variable", code, errs)
	}
}

// serve's purger runs at start, then daily.
func TestPurgerRunsAtStart(t *testing.T) {
	t.Parallel()
	st := storagetest.New(t)
	closedCases(t, st, 2)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	p := &purger{store: st, retention: defaultRetention, every: time.Hour, log: slog.New(slog.DiscardHandler)}
	go func() { p.run(ctx); close(done) }()
	var purged []bool
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		rows, _ := storagetest.Pool(st).Query(ctx, `SELECT purged_at IS NOT NULL FROM cases ORDER BY id`)
		purged = purged[:0]
		for rows.Next() {
			var b bool
			rows.Scan(&b)
			purged = append(purged, b)
		}
		if len(purged) == 2 && purged[0] {
			break
		}
	}
	cancel()
	<-done
	if diff := cmp.Diff([]bool{true, false}, purged); diff != "" {
		t.Errorf("purged cases (-want +got):\n%s", diff)
	}
}
