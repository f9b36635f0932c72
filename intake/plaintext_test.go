package intake_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/storage/storagetest"
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
	f.deliver(mail("secret-1@example.hu", "Kovácsné Tóth Erzsébet <erzsi.kovacsne@example.hu>",
		"=?utf-8?q?Seg=C3=ADts=C3=A9g_kellene_s=C3=BCrg=C5=91sen?=",
		"Jó estét!\r\n\r\nA párom ma este megfenyegetett késsel. A Zöldfa utca 12 alatt lakunk."))
	// A reply in the same thread, and a message that cannot be parsed.
	f.deliver(mail("secret-2@example.hu", "Kovácsné Tóth Erzsébet <erzsi.kovacsne@example.hu>",
		"Re: Segítség kellene sürgősen", "Még mindig itt vagyok, Zöldfa utca 12.", "In-Reply-To: <secret-1@example.hu>"))
	f.deliver([]byte("From: erzsi.kovacsne@example.hu\r\nSubject: Segítség kellene sürgősen\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\na párom ma este megfenyegetett késsel"))
	if st := f.once(); st.Stored != 3 {
		t.Fatalf("pass %+v, want 3 stored", st)
	}

	dump := storagetest.Dump(t, f.store)
	if len(dump) < 1000 {
		t.Fatalf("database dump is %d bytes; the check would prove nothing", len(dump))
	}
	logs := f.logs.String()
	for _, s := range secrets {
		for _, v := range []string{s, strings.ToLower(s)} {
			if bytes.Contains(dump, []byte(v)) {
				t.Errorf("the database holds %q in plaintext", v)
			}
			if strings.Contains(logs, v) {
				t.Errorf("the log holds %q in plaintext", v)
			}
		}
	}
}
