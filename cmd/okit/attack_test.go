package main

import (
	"bytes"
	"fmt"
	"maps"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ncsszi/okit/storage/storagetest"
)

// bounce is a delivery report from sender saying that the message with
// Message-ID returned could not be delivered to rcpt.
func bounce(id, sender, rcpt, returned string) []byte {
	return []byte("From: " + sender + "\r\nTo: okit@ncsszi.hu\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <" + id + ">\r\n" +
		"Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.test\r\n\r\n" +
		"Final-Recipient: rfc822; " + rcpt + "\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
		"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: valasz@example.hu\r\nTo: " + rcpt + "\r\nMessage-ID: " + returned + "\r\nSubject: Re: kerdes\r\n" +
		"--b--\r\n")
}

// The attacks of issue 13 on whose case a message is and whom okit
// writes to, tried against a real okit serve: each fails.
func TestAttacksOnWhoseCase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit")
	}
	t.Parallel()
	s := newStage(t)
	s.start()
	now := time.Now()
	anna, him := "Anna <anna@example.test>", "Him <him@example.test>"
	ok := verified("example.test")

	s.deliver(letter("anna-1@example.test", anna, "kerdes", "Szeretnek tanacsot kerni.", ok), now)
	s.wait("anna's acknowledgement", func() bool { return len(s.sent()["anna@example.test"]) == 1 })
	hers := s.caseOf("anna-1@example.test")

	// A man who saw her Message-ID on her phone replies to it: his mail
	// opens a case of its own, and both say they may be related.
	s.deliver(letter("him-1@example.test", him, "Re: kerdes", "Hol vagy most?", ok, "In-Reply-To: <anna-1@example.test>"), now)
	s.stored(2)
	his := s.caseOf("him-1@example.test")
	if his == hers {
		t.Fatalf("his reply to her Message-ID joined her case %s", hers)
	}
	if diff := cmp.Diff([]string{"possibly_related:" + hers}, s.events(his, "possibly_related")); diff != "" {
		t.Errorf("his case (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"possibly_related:" + his}, s.events(hers, "possibly_related")); diff != "" {
		t.Errorf("her case (-want +got):\n%s", diff)
	}

	// He uses her Message-ID for a mail of his own; her next reply to
	// her own message still goes to her case.
	s.deliver(letter("anna-1@example.test", him, "Re: kerdes", "Valaszolj.", ok), now)
	s.deliver(letter("anna-2@example.test", anna, "Re: kerdes", "Koszonom, varom a valaszukat.", ok, "In-Reply-To: <anna-1@example.test>"), now)
	s.stored(4)
	if got := s.caseOf("anna-2@example.test"); got != hers {
		t.Errorf("her reply went to %s, want her case %s", got, hers)
	}
	if got := s.caseOf("anna-1@example.test"); got != his {
		t.Errorf("his mail with her Message-ID went to %s, want his case %s", got, his)
	}

	// A forged From with her address, DMARC failing: unverified, a case
	// of its own, possibly related to hers, and not acknowledged.
	s.deliver(letter("forged-1@forger.example", anna, "uj cimem", "Ide irjanak mostantol.", forged("example.test")), now)
	s.stored(5)
	forgedCase := s.caseOf("forged-1@forger.example")
	if forgedCase == hers || !slices.Contains(s.events(forgedCase, "possibly_related"), "possibly_related:"+hers) {
		t.Errorf("the forged From went to %s (hers is %s), related %v", forgedCase, hers, s.events(forgedCase, "possibly_related"))
	}
	if n := s.count(`SELECT count(*) FROM messages WHERE message_id_digest = $1 AND sender_verified = false AND auth_dmarc = 'fail'`,
		s.index.MessageIDDigest("forged-1@forger.example")); n != 1 {
		t.Error("the forged message is not stored as unverified with its DMARC failure")
	}
	if diff := cmp.Diff([]string{"suppressed:dmarc_fail"}, s.acks(forgedCase)); diff != "" {
		t.Errorf("the forged From's acknowledgement (-want +got):\n%s", diff)
	}

	// The operator answers her case, and his: each answer reaches only
	// its own case's writer.
	for ref, words := range map[string]string{hers: "Kedves Anna, a kerdesere valaszolok.", his: "Kerem, irja le, miben segithetunk."} {
		if out, errs, code := s.okit(words, "reply", ref); code != 0 {
			t.Fatalf("okit reply %s: %s%s", ref, out, errs)
		}
	}
	s.wait("both answers", func() bool {
		return len(s.sent()["anna@example.test"]) == 2 && len(s.sent()["him@example.test"]) == 2
	})
	for to, bodies := range s.sent() {
		for _, b := range bodies {
			if strings.Contains(b, "a kerdesere valaszolok") && to != "anna@example.test" {
				t.Errorf("the answer to her case reached %s", to)
			}
		}
	}
	if got := slices.Sorted(maps.Keys(s.sent())); !cmp.Equal(got, []string{"anna@example.test", "him@example.test"}) {
		t.Errorf("mail went to %v", got)
	}

	// Forged bounces of her acknowledgement, from a person and from a
	// daemon naming another address, change nothing; a real one does.
	var ackID string
	for _, d := range s.sink.Deliveries() {
		if m, _ := mail.ReadMessage(bytes.NewReader(d.Data)); d.To[0] == "anna@example.test" && m.Header.Get("Auto-Submitted") != "" {
			ackID = m.Header.Get("Message-ID")
		}
	}
	s.deliver(bounce("b1@example.test", him, "anna@example.test", ackID), now)
	s.deliver(bounce("b2@mx.example.test", "MAILER-DAEMON@mx.example.test", "him@example.test", ackID), now)
	s.stored(7)
	if n := s.count(`SELECT count(*) FROM outgoing WHERE state = 'bounced'`); n != 0 {
		t.Errorf("forged bounces marked %d replies bounced", n)
	}
	if n := s.count(`SELECT count(*) FROM cases WHERE 'reply_bounced' = ANY(flags)`); n != 0 {
		t.Errorf("forged bounces flagged %d cases", n)
	}
	s.deliver(bounce("b3@mx.example.test", "Mail Delivery System <MAILER-DAEMON@mx.example.test>", "anna@example.test", ackID), now)
	s.wait("the real bounce", func() bool { return s.count(`SELECT count(*) FROM outgoing WHERE state = 'bounced'`) == 1 })
	if got := s.caseOf("b3@mx.example.test"); got != hers {
		t.Errorf("the real bounce went to %s, want her case %s", got, hers)
	}

	// A writer whose domain is not valid IDNA: the acknowledgement fails
	// at once for the reason "address", and so does an answer; nothing of
	// the address is kept anywhere, and the jobs carry no error.
	s.deliver(letter("dora-1@example.test", "Dora <dora@ab--cd.example>", "kerdes", "Segitseg kellene.", verified("ab--cd.example")), now)
	s.stored(9)
	doras := s.caseOf("dora-1@example.test")
	if diff := cmp.Diff([]string{"failed:address"}, s.acks(doras)); diff != "" {
		t.Errorf("the acknowledgement to a bad IDNA domain (-want +got):\n%s", diff)
	}
	if out, errs, code := s.okit("Kedves Dora!", "reply", doras); code != 0 {
		t.Fatalf("okit reply %s: %s%s", doras, out, errs)
	}
	s.wait("the answer to fail", func() bool {
		return s.count(`SELECT count(*) FROM outgoing WHERE kind = 'answer' AND state = 'failed' AND reason = 'address'`) == 1
	})
	if n := s.count(`SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.ref = $1 AND e.kind = 'send_failed'`, doras); n != 2 {
		t.Errorf("%d send_failed events on her case, want 2 (the acknowledgement and the answer)", n)
	}
	if n := s.count(`SELECT count(*) FROM river_job WHERE cardinality(errors) > 0 OR attempt > 1`); n != 0 {
		t.Errorf("%d jobs failed or were retried", n)
	}
	s.noPlaintext("ab--cd", "dora@", "anna@example.test", "him@example.test", "a kerdesere valaszolok", "Segitseg kellene")
}

// The attacks of issue 13 on the automatic acknowledgement: forged
// senders, mail marked as spam, and a flood past the hourly limit.
func TestAttacksOnAcknowledgements(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit")
	}
	t.Parallel()
	s := newStage(t)
	s.start("OKIT_ACK_RATE=10")
	now := time.Now()
	// Thirty forged senders, DMARC failing: no acknowledgement at all.
	for i := range 30 {
		s.deliver(letter(fmt.Sprintf("forged-%d@forger.example", i), fmt.Sprintf("<victim%d@example.test>", i), "kerdes",
			"Kerem, hivjanak vissza.", forged("example.test")), now)
	}
	// Three messages the receiving server marked as spam, each its way.
	for i, h := range []string{"X-Spam-Flag: YES", "X-Spamd-Result: default: True [16.20 / 15.00]; BAYES_SPAM(5.10)[99.9%]",
		"X-Forefront-Antispam-Report: CIP:192.0.2.7;CTRY:HU;SCL:9;SFV:SPM;CAT:SPM;"} {
		s.deliver(letter(fmt.Sprintf("spam-%d@example.test", i), fmt.Sprintf("<spam%d@example.test>", i), "nyeremeny",
			"On nyert.", verified("example.test"), h), now)
	}
	s.stored(33)
	// Twelve ordinary writers: ten are acknowledged, once each, then the
	// hourly limit holds the rest back and raises the alert.
	for i := range 12 {
		s.deliver(letter(fmt.Sprintf("w-%d@example.test", i), fmt.Sprintf("<writer%d@example.test>", i), "kerdes",
			"Segitseget kernek.", verified("example.test")), now)
	}
	s.stored(45)
	s.wait("ten acknowledgements", func() bool { return len(s.sink.Deliveries()) == 10 })
	time.Sleep(time.Second)
	sent := s.sent()
	for to, bodies := range sent {
		if !strings.HasPrefix(to, "writer") || len(bodies) != 1 {
			t.Errorf("%s got %d mails", to, len(bodies))
		}
	}
	if len(sent) != 10 {
		t.Errorf("%d addresses got mail, want 10", len(sent))
	}
	reasons := map[string]int{}
	rows, _ := storagetest.Pool(s.st).Query(t.Context(), `SELECT coalesce(reason, state) FROM outgoing WHERE kind = 'ack'`)
	for rows.Next() {
		var r string
		rows.Scan(&r)
		reasons[r]++
	}
	if diff := cmp.Diff(map[string]int{"dmarc_fail": 30, "spam": 3, "sent": 10, "rate": 2}, reasons); diff != "" {
		t.Errorf("acknowledgements by outcome (-want +got):\n%s", diff)
	}
	if n := s.count(`SELECT count(*) FROM case_events WHERE kind = 'alert' AND case_id IS NULL AND data->>'alert' = 'ack_rate'`); n != 1 {
		t.Errorf("%d ack_rate alert events, want 1", n)
	}
	s.wait("the alert in /metrics", func() bool {
		return s.metric(`okit_alerts_total{kind="ack_rate"}`) == `okit_alerts_total{kind="ack_rate"} 1`
	})
	if !strings.Contains(s.logs(), `level=ERROR msg="ALERT: acknowledgements passed their hourly limit`) {
		t.Errorf("no ERROR line for the alert:\n%s", s.logs())
	}
	s.noPlaintext("victim1@", "writer3@", "spam0@")
}

// A first run over a mailbox that holds old mail sends nothing
// automatic: 500 messages that arrived three hours ago get no
// acknowledgement, and the next writer gets one.
func TestBacklogGetsNoAcknowledgement(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit")
	}
	t.Parallel()
	s := newStage(t)
	old := time.Now().Add(-3 * time.Hour)
	for i := range 500 {
		s.deliver(letter(fmt.Sprintf("old-%d@example.test", i), fmt.Sprintf("<writer%d@example.test>", i), "kerdes",
			"Segitseget kernek.", verified("example.test")), old)
	}
	s.start()
	s.stored(500)
	if n := s.count(`SELECT count(*) FROM outgoing WHERE kind = 'ack' AND state = 'suppressed' AND reason = 'old'`); n != 500 {
		t.Errorf("%d old messages recorded as not acknowledged for their age, want 500", n)
	}
	s.deliver(letter("new-1@example.test", "<new@example.test>", "kerdes", "Segitseget kernek.", verified("example.test")), time.Now())
	start := time.Now()
	s.wait("the new writer's acknowledgement", func() bool { return len(s.sink.Deliveries()) == 1 })
	t.Logf("acknowledged %v after delivery", time.Since(start).Round(time.Millisecond))
	if d := s.sink.Deliveries(); d[0].To[0] != "new@example.test" {
		t.Errorf("the one acknowledgement went to %v", d[0].To)
	}
}
