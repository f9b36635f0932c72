package storage_test

import (
	"context"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/audit"
	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// history writes a few cases' events and events about no case, and returns
// the chain's head.
func history(t *testing.T, st *storage.Store) audit.Head {
	t.Helper()
	ctx := context.Background()
	_, err := st.Save(ctx, "x/INBOX", intake.Checkpoint{UIDValidity: 1, LastUID: 3},
		[]intake.Record{rec(1, "a", "anna", "m1"), rec(2, "b", "bela", "m2"), rec(3, "c", "anna", "m3")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Record(storage.WithRemoteAddr(ctx, netip.MustParseAddr("192.0.2.7")), storage.EventLogin, "user:1", map[string]any{"n": 1}); err != nil {
		t.Fatal(err)
	}
	// Texts and addresses that Go and PostgreSQL must encode alike.
	odd := map[string]any{"név": "Ő\tű\"\\", "n": 1.5e300, "list": []any{nil, true, math.Copysign(0, -1)}}
	if err := st.Record(storage.WithRemoteAddr(ctx, netip.MustParseAddr("2001:db8::1")), storage.EventExport, "user:ő", odd); err != nil {
		t.Fatal(err)
	}
	b, head := verify(t, st, nil)
	if b != nil {
		t.Fatalf("untouched chain: %v", b)
	}
	return head
}

func verify(t *testing.T, st *storage.Store, expect *audit.Head) (*audit.Break, audit.Head) {
	t.Helper()
	v := audit.NewVerifier()
	if expect != nil {
		v.Expect(*expect)
	}
	b, err := st.VerifyChain(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	return b, v.Head()
}

// tamper runs the statements as a superuser would, with every trigger of
// the session off (the append-only refusal, the chain and the foreign keys).
func tamper(t *testing.T, st *storage.Store, stmts ...string) {
	t.Helper()
	err := st.InTx(context.Background(), func(tx pgx.Tx) error {
		for _, q := range append([]string{`SET LOCAL session_replication_role = replica`}, stmts...) {
			if _, err := tx.Exec(context.Background(), q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestChainCatchesTampering(t *testing.T) {
	t.Parallel()
	const third = `(SELECT event_id FROM event_chain WHERE seq = 3)`
	tests := []struct {
		name   string
		stmts  []string
		expect bool // verify against the head taken before tampering
		seq    int64
		reason string
	}{
		{name: "data changed", stmts: []string{`UPDATE case_events SET data = data || '{"x": 1}' WHERE id = ` + third},
			seq: 3, reason: "differ from what was chained"},
		{name: "time changed", stmts: []string{`UPDATE case_events SET at = at + interval '1 microsecond' WHERE id = ` + third},
			seq: 3, reason: "differ"},
		{name: "actor changed", stmts: []string{`UPDATE case_events SET actor = 'someone' WHERE id = ` + third},
			seq: 3, reason: "differ"},
		{name: "address added", stmts: []string{`UPDATE case_events SET remote_addr = '10.0.0.1' WHERE id = ` + third},
			seq: 3, reason: "differ"},
		{name: "event and its link deleted", stmts: []string{
			`CREATE TEMP TABLE gone AS SELECT event_id FROM event_chain WHERE seq = 3`,
			`DELETE FROM event_chain WHERE seq = 3`, `DELETE FROM case_events WHERE id IN (SELECT event_id FROM gone)`},
			seq: 4, reason: "seq 4 follows seq 2"},
		{name: "event deleted, link left", stmts: []string{`DELETE FROM case_events WHERE id = ` + third},
			seq: 3, reason: "deleted"},
		{name: "two links reordered", stmts: []string{
			`UPDATE event_chain SET seq = 1000000 WHERE seq = 2`, `UPDATE event_chain SET seq = 2 WHERE seq = 3`,
			`UPDATE event_chain SET seq = 3 WHERE seq = 1000000`},
			seq: 2, reason: "differ"},
		{name: "event slipped in unchained", stmts: []string{`INSERT INTO case_events (kind, actor) VALUES ('login', 'user:9')`},
			reason: "has no link in the chain"},
		{name: "last event and link deleted", expect: true, stmts: []string{
			`CREATE TEMP TABLE gone AS SELECT event_id FROM event_chain ORDER BY seq DESC LIMIT 1`,
			`DELETE FROM event_chain WHERE event_id IN (SELECT event_id FROM gone)`,
			`DELETE FROM case_events WHERE id IN (SELECT event_id FROM gone)`},
			reason: "before the expected head"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := storagetest.New(t)
			head := history(t, st)
			tamper(t, st, tt.stmts...)
			var expect *audit.Head
			if tt.expect {
				expect = &head
			}
			b, _ := verify(t, st, expect)
			if b == nil {
				t.Fatal("the tampered chain verifies")
			}
			if (tt.seq != 0 && b.Seq != tt.seq) || !strings.Contains(b.Error(), tt.reason) {
				t.Errorf("break = %v, want one at seq %d saying %q", b, tt.seq, tt.reason)
			}
		})
	}
}

func TestChainRefusesChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	history(t, st)
	for _, q := range []string{`UPDATE case_events SET data = '{}'`, `DELETE FROM case_events WHERE id = 1`,
		`UPDATE event_chain SET hash = hash`, `DELETE FROM event_chain`, `TRUNCATE event_chain CASCADE`} {
		if _, err := storagetest.Pool(st).Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v; want it refused as append-only", q, err)
		}
	}
}

// Writers that commit concurrently chain in commit order, with no gap and
// no fork, and every event is chained exactly once.
func TestChainUnderConcurrentWriters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	const writers, each = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				var err error
				if w%2 == 0 {
					uid := uint32(w*each + i + 1)
					_, err = st.Save(ctx, fmt.Sprintf("w%d/INBOX", w), intake.Checkpoint{UIDValidity: 1, LastUID: uid},
						[]intake.Record{rec(uid, fmt.Sprintf("r%d", uid), fmt.Sprintf("s%d", uid), fmt.Sprintf("m%d", uid))}, nil)
				} else {
					err = st.Record(ctx, storage.EventLogin, fmt.Sprintf("user:%d", w), map[string]any{"i": i})
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var events int64
	if err := storagetest.Pool(st).QueryRow(ctx, `SELECT count(*) FROM case_events`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	b, head := verify(t, st, nil)
	if b != nil {
		t.Fatalf("chain after concurrent writers: %v", b)
	}
	if diff := cmp.Diff(events, head.Seq); diff != "" {
		t.Errorf("chain length (-events +links):\n%s", diff)
	}
}

// The chain's hash covers every column of case_events: a new column must
// be added to audit.Encode and to okit_event_encoding (in a new migration)
// before this test passes again.
func TestChainCoversEveryColumn(t *testing.T) {
	t.Parallel()
	st := storagetest.New(t)
	rows, err := storagetest.Pool(st).Query(context.Background(), `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'case_events' ORDER BY column_name`)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"actor", "at", "case_id", "data", "id", "kind", "remote_addr"}, cols); diff != "" {
		t.Errorf("case_events columns (-hashed +present):\n%s", diff)
	}
}
