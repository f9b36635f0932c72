package storage_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// A case's audit trail holds its own events and the queue pages that
// showed its summary, newest first; filters by actor and kind narrow it.
func TestAuditOfACase(t *testing.T) {
	t.Parallel()
	st := storagetest.New(t)
	ctx := context.Background()
	var ids [2]int64
	for i, ref := range []string{"OKIT-2026-000001", "OKIT-2026-000002"} {
		err := storagetest.Pool(st).QueryRow(ctx, `INSERT INTO cases (ref, first_received, last_received) VALUES ($1, now(), now()) RETURNING id`, ref).Scan(&ids[i])
		if err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.Record(ctx, storage.EventSummaryOpened, "user:anna", map[string]any{"purpose": "queue", "cases": ids[:]}))
	must(st.Record(ctx, storage.EventSummaryOpened, "user:bela", map[string]any{"purpose": "queue", "cases": ids[1:]}))
	must(st.RecordOn(ctx, ids[0], storage.EventCaseViewed, "user:anna", nil))
	must(st.RecordOn(ctx, ids[1], storage.EventCaseViewed, "user:bela", nil))
	must(st.Record(ctx, storage.EventLogin, "user:anna", map[string]any{"user": "anna"}))

	type row struct{ Kind, Actor, Ref string }
	get := func(f storage.AuditFilter) []row {
		t.Helper()
		f.Limit = 100
		evs, err := st.Audit(ctx, f)
		must(err)
		var rows []row
		for _, e := range evs {
			rows = append(rows, row{string(e.Kind), e.Actor, e.CaseRef})
		}
		return rows
	}
	for _, tc := range []struct {
		f    storage.AuditFilter
		want []row
	}{
		{storage.AuditFilter{CaseRef: "OKIT-2026-000001"}, []row{
			{"case_viewed", "user:anna", "OKIT-2026-000001"}, {"summary_decrypted", "user:anna", ""}}},
		{storage.AuditFilter{CaseRef: "OKIT-2026-000002", Actor: "user:bela"}, []row{
			{"case_viewed", "user:bela", "OKIT-2026-000002"}, {"summary_decrypted", "user:bela", ""}}},
		{storage.AuditFilter{Actor: "user:anna", Kind: "login"}, []row{{"login", "user:anna", ""}}},
	} {
		if diff := cmp.Diff(tc.want, get(tc.f)); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tc.f, diff)
		}
	}
}
