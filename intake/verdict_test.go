package intake_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// Judge raises what okit could not read whole to at least P2 with the
// flag unreadable, and leaves what it read alone.
func TestJudgeRaisesWhatCouldNotBeRead(t *testing.T) {
	t.Parallel()
	quiet := "Szeretnek informaciot kerni a nyitvatartasrol."
	danger := "A ferjem megfenyegetett, hogy megol, most is itthon van."
	tests := []struct {
		name       string
		m          message.Message
		priority   triage.Priority
		unreadable bool
	}{
		{"read whole, quiet", message.Message{Text: quiet}, triage.P4, false},
		{"not read whole, quiet", message.Message{Text: quiet, Unreadable: "message: multipart/mixed ends before its closing boundary; the message is cut short"}, triage.P2, true},
		{"not read whole, urgent", message.Message{Text: danger, Unreadable: "text cut at a limit (1 MiB of text)"}, triage.P1, true},
		{"nothing read", message.Message{Status: message.ParseFailed, Unreadable: "no header found: not a mail message"}, triage.P2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := intake.Judge(rules, nil, &tt.m)
			got := struct {
				Priority         triage.Priority
				Flagged, RuleSet bool
			}{v.Priority, v.Has(triage.FlagUnreadable), slices.Contains(v.Rules, intake.RuleUnreadable)}
			want := got
			want.Priority, want.Flagged, want.RuleSet = tt.priority, tt.unreadable, tt.unreadable
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("Judge mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// A message cut short in the mailbox is stored at P2 with the flag
// unreadable and gets no automatic acknowledgement until a person has
// looked; one read whole is acknowledged.
func TestCutShortMessageIsStoredUnreadable(t *testing.T) {
	t.Parallel()
	f := newFixture(t, demo.MailboxOptions{})
	f.cfg.Ack = &replies.AckPolicy{Own: []string{"okit@ncsszi.hu"}}
	cut := []byte("From: kata@example.test\r\nTo: okit@ncsszi.hu\r\nSubject: kerdes\r\nMessage-ID: <cut-1@example.test>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n" +
		"Szeretnek informaciot kerni.\r\n--b\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ")
	f.deliver(cut, mail("whole-1@example.test", "bela@example.test", "kerdes", "Szeretnek informaciot kerni."))
	if st := f.once(); st.Stored != 2 {
		t.Fatalf("pass %+v, want 2 stored", st)
	}
	rows, err := storagetest.Pool(f.store).Query(context.Background(), `SELECT size, priority, flags FROM messages ORDER BY size DESC`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Priority int
		Flags    []string
	}
	var got []row
	for rows.Next() {
		var size int64
		var r row
		if err := rows.Scan(&size, &r.Priority, &r.Flags); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	want := []row{{2, []string{"unreadable"}}, {4, []string{}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("stored verdicts mismatch (-want +got):\n%s", d)
	}
	rows, err = storagetest.Pool(f.store).Query(context.Background(),
		`SELECT o.state || ':' || coalesce(o.reason, '') FROM outgoing o JOIN messages m ON m.id = o.answers ORDER BY m.size DESC`)
	if err != nil {
		t.Fatal(err)
	}
	acks, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"suppressed:unreadable", "queued:"}, acks); d != "" {
		t.Errorf("acknowledgements (-want +got):\n%s", d)
	}
}
