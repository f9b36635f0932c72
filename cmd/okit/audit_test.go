package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// okit audit verify prints the head; given back with --expect it holds
// until the log is changed or cut short, and then the command fails with
// the first broken link.
func TestAuditVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := storagetest.URL(t)
	vars := map[string]string{"OKIT_DATABASE_URL": url, "OKIT_LOG_LEVEL": "error"}
	if out, errs, code := run(t, vars, "migrate"); code != 0 {
		t.Fatalf("migrate: %d\n%s%s", code, out, errs)
	}
	st := storagetest.Open(t, url, false, time.Now)
	for i := range 3 {
		if err := st.Record(ctx, storage.EventLogin, "user:1", map[string]any{"i": i}); err != nil {
			t.Fatal(err)
		}
	}
	out, errs, code := run(t, vars, "audit", "verify")
	head := regexp.MustCompile(`head (3:[0-9a-f]{64})\n`).FindStringSubmatch(out)
	if code != 0 || !strings.Contains(out, "checked 3 events") || head == nil {
		t.Fatalf("verify: exit %d, want 0, 3 events checked and the head at seq 3:\n%s%s", code, out, errs)
	}
	if err := st.Record(ctx, storage.EventLogout, "user:1", nil); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := run(t, vars, "audit", "verify", "--expect", head[1]); code != 0 || !strings.Contains(out, "checked 4 events") {
		t.Fatalf("verify --expect an earlier head: exit %d\n%s%s", code, out, errs)
	}
	if _, _, code := run(t, vars, "audit", "verify", "--expect", "3:abc"); code != 2 {
		t.Errorf("verify --expect 3:abc: exit %d, want 2 (usage)", code)
	}

	_, err := storagetest.Pool(st).Exec(ctx, `
		BEGIN;
		SET LOCAL session_replication_role = replica;
		UPDATE case_events SET actor = 'user:2' WHERE id = (SELECT event_id FROM event_chain WHERE seq = 2);
		COMMIT`)
	if err != nil {
		t.Fatal(err)
	}
	out, errs, code = run(t, vars, "audit", "verify", "--expect", head[1])
	if code != 1 || !strings.Contains(out, "BROKEN: chain broken at seq 2") || !strings.Contains(errs, "does not verify") {
		t.Errorf("verify after changing an event: exit %d, want 1 naming seq 2:\n%s%s", code, out, errs)
	}
}
