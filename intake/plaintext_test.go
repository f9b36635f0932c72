package intake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/secondopinion"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
	"github.com/ncsszi/okit/triage"
)

// After intake, no column of any table and no log line holds the plaintext
// of a subject, a phrase of a body, a sender's name or address; nor do
// the weights and figures of a second opinion trained on those words.
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

	storeModelOf(t, f, secrets)

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

// storeModelOf trains a second opinion on texts made of the secrets, with
// the installation's key, and stores it with its figures, as okit triage
// learn does: the weights and figures must not hold a word of them.
func storeModelOf(t *testing.T, f *fixture, secrets []string) {
	t.Helper()
	key, err := secondopinion.NewKey(keys.index.SecondOpinionKey())
	if err != nil {
		t.Fatal(err)
	}
	var exs []secondopinion.Example
	for i := range 40 {
		text := strings.Join(secrets, ". ")
		if i%2 == 1 {
			text = "Szeretnék érdeklődni a nyitvatartásról. " + secrets[i%len(secrets)]
		}
		exs = append(exs, secondopinion.Read(rules, key, secondopinion.KeyingIndex, triage.Input{Subject: secrets[3], Text: text},
			triage.Priority(1+i%2*2)))
	}
	m, fig := secondopinion.Train(secondopinion.KeyingIndex, exs)
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	figures, err := json.Marshal(fig)
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.store.SaveModel(context.Background(), storage.Model{Source: "learned", Data: data, IndexKeyVersion: keys.index.Version(), Figures: figures, CreatedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.ActivateModel(context.Background(), v, "test"); err != nil {
		t.Fatal(err)
	}
}
