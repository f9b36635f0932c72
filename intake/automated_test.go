package intake_test

import (
	"context"
	"testing"

	"github.com/ncsszi/okit/demo"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/storage/storagetest"
)

// Mail from machines, with header sets as real servers and services send
// them, is stored and triaged like any other but never queued for an
// automatic acknowledgement; a person's mail is.
func TestAutomatedMailGetsNoAcknowledgement(t *testing.T) {
	t.Parallel()
	f := newFixture(t, demo.MailboxOptions{})
	f.cfg.Ack = &replies.AckPolicy{Own: []string{"okit@ncsszi.hu"}}
	automated := map[string]string{
		"gmail vacation responder": "From: Kiss Petra <petra.kiss@example.test>\r\nSubject: Re: egyeztetes\r\nAuto-Submitted: auto-replied\r\n" +
			"Message-ID: <vac-1@mail.example.test>\r\n\r\nSzabadsagon vagyok november 30-ig.\r\n",
		"outlook out of office": "From: Dr. Nagy Eva <nagy.eva@example.test>\r\nSubject: =?utf-8?q?Automatikus_v=C3=A1lasz:_k=C3=A9rd=C3=A9s?=\r\n" +
			"X-Auto-Response-Suppress: All\r\nX-MS-Exchange-Inbox-Rules-Loop: nagy.eva@example.test\r\nMessage-ID: <oof-1@example.test>\r\n\r\nHazon kivul vagyok.\r\n",
		"hungarian out of office by subject only": "From: Toth Anna <toth.anna@example.test>\r\nSubject: Házon kívül: levele\r\nMessage-ID: <oof-2@example.test>\r\n\r\n" +
			"Köszönöm levelét, jelenleg szabadságon vagyok, december 2-án válaszolok.\r\n",
		"mailing list": "From: Civil Halozat <lista@lists.example.test>\r\nSubject: [civil] meghivo\r\nList-Id: <civil.lists.example.test>\r\n" +
			"List-Post: <mailto:civil@lists.example.test>\r\nPrecedence: list\r\nMessage-ID: <list-1@lists.example.test>\r\n\r\nMeghivo a kovetkezo talalkozora.\r\n",
		"newsletter service": "From: Egyesulet <hirlevel@news.example.test>\r\nSubject: Havi hirlevel\r\nPrecedence: bulk\r\n" +
			"List-Unsubscribe: <https://news.example.test/u/123>, <mailto:unsub@news.example.test>\r\nFeedback-ID: 123:campaign:esp\r\nMessage-ID: <nl-1@news.example.test>\r\n\r\nProgramjaink.\r\n",
		"postfix bounce": "Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.example.test (Mail Delivery System)\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
			"Auto-Submitted: auto-replied\r\nMessage-ID: <dsn-1@mx.example.test>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nnot delivered\r\n--b--\r\n",
		"noreply sender": "From: Ertesites <no-reply@bank.example.test>\r\nSubject: Szamlaertesito\r\nMessage-ID: <nr-1@bank.example.test>\r\n\r\nUj szamlakivonat.\r\n",
	}
	for _, raw := range automated {
		f.deliver([]byte(raw))
	}
	f.deliver(mail("person-1@example.test", "Szabo Ilona <ilona@example.test>", "kerdes", "Szeretnek tanacsot kerni."))
	if st := f.once(); st.Stored != len(automated)+1 {
		t.Fatalf("pass %+v, want %d stored", st, len(automated)+1)
	}
	var queued int
	if err := storagetest.Pool(f.store).QueryRow(context.Background(), `SELECT count(*) FROM outgoing WHERE state = 'queued'`).Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if queued != 1 {
		rows, _ := storagetest.Pool(f.store).Query(context.Background(), `SELECT m.flags, m.rules FROM outgoing o JOIN messages m ON m.id = o.answers`)
		for rows.Next() {
			var flags, rules []string
			rows.Scan(&flags, &rules)
			t.Logf("queued: flags %v rules %v", flags, rules)
		}
		t.Errorf("%d acknowledgements queued, want 1 (the person's)", queued)
	}
}
