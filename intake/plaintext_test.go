package intake_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/demo"
)

// After intake, no column of any table and no log line holds the plaintext
// of a subject, a phrase of a body, a sender's name or address.
func TestNoPlaintextInDatabaseOrLogs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, demo.MailboxOptions{})
	secrets := []string{
		"Kovácsné Tóth Erzsébet", "erzsi.kovacsne@example.hu", "erzsi.kovacsne", // sender name, address, local part
		"Segítség kellene sürgősen",             // subject
		"a párom ma este megfenyegetett késsel", // a body phrase
		"Zöldfa utca 12",                        // an address in the body
	}
	f.deliver(message("secret-1@example.hu", "Kovácsné Tóth Erzsébet <erzsi.kovacsne@example.hu>",
		"=?utf-8?q?Seg=C3=ADts=C3=A9g_kellene_s=C3=BCrg=C5=91sen?=",
		"Jó estét!\r\n\r\nA párom ma este megfenyegetett késsel. A Zöldfa utca 12 alatt lakunk."))
	// A reply in the same thread, and a message that cannot be parsed.
	f.deliver(message("secret-2@example.hu", "Kovácsné Tóth Erzsébet <erzsi.kovacsne@example.hu>",
		"Re: Segítség kellene sürgősen", "Még mindig itt vagyok, Zöldfa utca 12.", "In-Reply-To: <secret-1@example.hu>"))
	f.deliver([]byte("From: erzsi.kovacsne@example.hu\r\nSubject: Segítség kellene sürgősen\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\na párom ma este megfenyegetett késsel"))
	if st := f.once(); st.Stored != 3 {
		t.Fatalf("pass %+v, want 3 stored", st)
	}

	ctx := context.Background()
	rows, err := f.store.Pool().Query(ctx, `
		SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) < 4 {
		t.Fatalf("tables %v, %v", tables, err)
	}
	var dump bytes.Buffer
	for _, table := range tables {
		rows, err := f.store.Pool().Query(ctx, "SELECT * FROM "+pgx.Identifier{table}.Sanitize())
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			// Raw values: bytea columns as their bytes, text as its text.
			for _, v := range rows.RawValues() {
				dump.Write(v)
				dump.WriteByte('\n')
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if dump.Len() < 1000 {
		t.Fatalf("database dump is %d bytes; the check would prove nothing", dump.Len())
	}
	logs := f.logs.String()
	for _, s := range secrets {
		for _, v := range []string{s, strings.ToLower(s)} {
			if bytes.Contains(dump.Bytes(), []byte(v)) {
				t.Errorf("the database holds %q in plaintext", v)
			}
			if strings.Contains(logs, v) {
				t.Errorf("the log holds %q in plaintext", v)
			}
		}
	}
}
