package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/ncsszi/okit/storage/storagetest"
)

// okit serve acknowledges a writer once, threaded to their message, after
// a temporary refusal; never automated mail, never a writer who asked not
// to be answered, never twice in a case within the window; and the job
// table holds ids only.
func TestServeAcknowledges(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs okit")
	}
	t.Parallel()
	bin := buildOkit(t)
	mbox := startMailbox(t)
	sink := startSink(t)
	sink.Refuse(&smtp.SMTPError{Code: 451, Message: "try again later"})
	env := okitEnv(t, bin, mbox)

	msg := func(id, from, subject, body string, headers ...string) []byte {
		h := "From: " + from + "\r\nTo: okit@ncsszi.hu\r\nSubject: " + subject + "\r\nMessage-ID: <" + id + ">\r\n"
		for _, x := range headers {
			h += x + "\r\n"
		}
		return []byte(h + "\r\n" + body + "\r\n")
	}
	for _, raw := range [][]byte{
		msg("anna-1@example.test", "Anna <anna@example.test>", "kerdes", "Szeretnek tanacsot kerni, hogyan tovabb."),
		msg("news-1@example.test", "Hirlevel <news@example.test>", "Havi hirlevel", "Programjaink.", "List-Id: <hirek.example.test>", "Precedence: bulk"),
		msg("dnr-1@example.test", "Cili <cili@example.test>", "kerdes", "Kerem ne valaszoljanak, a ferjem olvassa a leveleimet."),
		msg("bela-1@example.test", "Bela <bela@example.test>", "segitseg", "Segitseget kernek a szomszedomnak."),
	} {
		mbox.Deliver(raw, time.Now())
	}
	cmd, _, _, logs := startServe(t, bin, env, "OKIT_SMTP_ADDR="+sink.Addr, "OKIT_SMTP_TLS=none", "OKIT_FROM=okit@ncsszi.hu")

	deadline := time.Now().Add(20 * time.Second)
	for len(sink.Deliveries()) < 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	// Anna writes again, not as a reply: a case of its own (nothing shows
	// the From is hers), possibly related to her first, and no second
	// acknowledgement to her address within the window. Cili writes
	// again without repeating that her husband reads her mail: her new
	// case is possibly related to the first, so still no answer.
	mbox.Deliver(msg("anna-2@example.test", "Anna <anna@example.test>", "Re: kerdes", "Meg egy kerdes."), time.Now())
	mbox.Deliver(msg("cili-2@example.test", "Cili <cili@example.test>", "Re: kerdes", "Irok meg egyszer, segitseg kellene."), time.Now())
	time.Sleep(3 * time.Second)

	got := map[string]*mail.Message{}
	for _, d := range sink.Deliveries() {
		m, err := mail.ReadMessage(bytes.NewReader(d.Data))
		if err != nil {
			t.Fatal(err)
		}
		if got[d.To[0]] != nil {
			t.Errorf("%s got a second acknowledgement", d.To[0])
		}
		got[d.To[0]] = m
	}
	if len(got) != 2 || got["anna@example.test"] == nil || got["bela@example.test"] == nil {
		t.Fatalf("acknowledged %v; want anna and bela only\nlog:\n%s", keys(got), logs())
	}
	a := got["anna@example.test"]
	if a.Header.Get("In-Reply-To") != "<anna-1@example.test>" || a.Header.Get("Auto-Submitted") != "auto-replied" ||
		!strings.HasPrefix(a.Header.Get("Subject"), "Re: kerdes") {
		t.Errorf("anna's acknowledgement headers: %v", a.Header)
	}

	st := storagetest.Open(t, envValue(env, "OKIT_MIGRATE_DATABASE_URL"), false, time.Now)
	var args string
	storagetest.Pool(st).QueryRow(context.Background(), `SELECT coalesce(string_agg(args::text, ' '), '') FROM river_job`).Scan(&args)
	if strings.Contains(args, "@") || strings.Contains(args, "kerdes") || !strings.Contains(args, "outgoing_id") {
		t.Errorf("job payloads: %s", args)
	}
	var suppressed []string
	rows, _ := storagetest.Pool(st).Query(context.Background(), `SELECT reason FROM outgoing WHERE state = 'suppressed' ORDER BY reason`)
	for rows.Next() {
		var r string
		rows.Scan(&r)
		suppressed = append(suppressed, r)
	}
	if strings.Join(suppressed, ",") != "automated,do_not_reply,do_not_reply,recipient_recent" {
		t.Errorf("suppressed acknowledgements: %v, want automated (the newsletter), do_not_reply twice (cili) and recipient_recent (anna)", suppressed)
	}
	var out int
	storagetest.Pool(st).QueryRow(context.Background(), `SELECT count(*) FROM messages WHERE direction = 'out'`).Scan(&out)
	if out != 2 {
		t.Errorf("%d sealed copies of outgoing mail, want 2", out)
	}

	// Operators answer: in their own words, and with a crisis-home contact;
	// the writer who said her husband reads her mail only with confirmation.
	vars := envMap(env)
	vars["OKIT_REMINDER_AFTER"] = "1s"
	listed, _, _ := run(t, vars, "cases", "list", "--json", "--decrypt")
	var cases []caseOut
	json.Unmarshal([]byte(listed), &cases)
	ref, first := map[string]string{}, map[string]string{} // each writer's latest case, and first
	var annas int64                                        // the first message of anna's latest case
	for _, c := range cases {
		for _, m := range c.Received {
			if m.Direction == "in" {
				if c.Ref > ref[m.Sender] {
					ref[m.Sender] = c.Ref
					if m.Sender == "anna@example.test" {
						annas = m.ID
					}
				}
				if first[m.Sender] == "" || c.Ref < first[m.Sender] {
					first[m.Sender] = c.Ref
				}
			}
		}
	}
	for _, step := range []struct {
		stdin string
		args  []string
		code  int
		err   string
	}{
		{"Kedves Anna!", []string{"reply", ref["anna@example.test"], "--to", "anna@example.test"}, 1, "never the address"},
		{"Kedves Anna!", []string{"reply", ref["anna@example.test"], "--to", "1:reply-to"}, 1, "not one of the addresses"},
		{"Kedves Anna, a tavoltartasrol irok Onnek.", []string{"reply", ref["anna@example.test"], "--sign", "Kata", "--to", fmt.Sprint(annas, ":from")}, 0, ""},
		{"", []string{"shelters", "add", "Tisza", "--region", "Csongrad", "--phone", "+36 62 555 0101", "--places", "1"}, 0, ""},
		{"", []string{"reply", ref["bela@example.test"], "--template", "crisis_home", "--shelter", "Tisza"}, 0, ""},
		{"Kedves Cili!", []string{"reply", ref["cili@example.test"]}, 1, "confirmed is safe"},
		{"", []string{"reply", ref["anna@example.test"]}, 1, "write the answer on stdin"},
	} {
		if _, errs, code := runIn(t, vars, step.stdin, step.args...); code != step.code || !strings.Contains(errs, step.err) {
			t.Errorf("okit %v: exit %d, %q; want %d and %q", step.args, code, errs, step.code, step.err)
		}
	}
	for deadline := time.Now().Add(15 * time.Second); len(sink.Deliveries()) < 4 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	ds := sink.Deliveries()
	if len(ds) != 4 {
		t.Fatalf("%d mails in the sink, want 2 acknowledgements and 2 answers\nlog:\n%s", len(ds), logs())
	}
	for _, d := range ds[2:] {
		m, _ := mail.ReadMessage(bytes.NewReader(d.Data))
		body, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
		switch d.To[0] {
		case "anna@example.test":
			if m.Header.Get("Auto-Submitted") != "" || m.Header.Get("In-Reply-To") != "<anna-2@example.test>" ||
				!strings.Contains(string(body), "a tavoltartasrol irok") || !strings.Contains(string(body), "Kata") {
				t.Errorf("anna's answer: %v\n%s", m.Header, body)
			}
		case "bela@example.test":
			if !strings.Contains(string(body), "+36 62 555 0101") {
				t.Errorf("bela's crisis-home contact lacks the phone:\n%s", body)
			}
		default:
			t.Errorf("an answer went to %v", d.To)
		}
	}
	// Bela has not written since the crisis-home contact: his operator is reminded.
	var reminders int
	for deadline := time.Now().Add(20 * time.Second); reminders == 0 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		storagetest.Pool(st).QueryRow(context.Background(), `SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id
			WHERE e.kind = 'reminder' AND c.ref = $1`, ref["bela@example.test"]).Scan(&reminders)
	}
	if reminders != 1 {
		t.Errorf("%d reminders on bela's case, want 1", reminders)
	}
	// Anna's acknowledgement bounces: the report threads into her case,
	// which is flagged, and the acknowledgement is marked bounced.
	ackID := got["anna@example.test"].Header.Get("Message-ID")
	dsn := "From: Mail Delivery System <MAILER-DAEMON@mail.example.test>\r\nTo: okit@ncsszi.hu\r\n" +
		"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-1@mail.example.test>\r\nAuto-Submitted: auto-replied\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.test\r\n\r\nFinal-Recipient: rfc822; anna@example.test\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
		"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: okit@ncsszi.hu\r\nTo: anna@example.test\r\nMessage-ID: " + ackID + "\r\nSubject: Re: kerdes\r\n" +
		"--b--\r\n"
	mbox.Deliver([]byte(dsn), time.Now())
	var flagged bool
	for deadline := time.Now().Add(10 * time.Second); !flagged && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		storagetest.Pool(st).QueryRow(context.Background(), `SELECT 'reply_bounced' = ANY(flags) FROM cases WHERE ref = $1`, first["anna@example.test"]).Scan(&flagged)
	}
	var bounced int
	storagetest.Pool(st).QueryRow(context.Background(), `SELECT count(*) FROM outgoing WHERE state = 'bounced'`).Scan(&bounced)
	if !flagged || bounced != 1 {
		t.Errorf("after the bounce: case flagged %v, %d replies bounced; want true and 1", flagged, bounced)
	}
	if n := len(sink.Deliveries()); n != 4 {
		t.Errorf("%d mails in the sink after the bounce, want still 4 (a bounce is never answered)", n)
	}

	// A mail server that refuses for good (5xx): the reply is marked failed
	// on its case, and not retried.
	sink.Refuse(&smtp.SMTPError{Code: 550, Message: "mailbox unavailable"})
	if _, errs, code := runIn(t, vars, "Meg egy valasz.", "reply", ref["bela@example.test"]); code != 0 {
		t.Fatalf("okit reply: %s", errs)
	}
	var failed int
	for deadline := time.Now().Add(10 * time.Second); failed == 0 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		storagetest.Pool(st).QueryRow(context.Background(), `SELECT count(*) FROM outgoing o JOIN case_events e ON e.case_id = o.case_id
			AND e.kind = 'send_failed' WHERE o.state = 'failed' AND o.reason = 'smtp_permanent'`).Scan(&failed)
	}
	if failed != 1 {
		t.Errorf("after a 550: %d failed replies with a send_failed event, want 1\nlog:\n%s", failed, logs())
	}
	if n := len(sink.Deliveries()); n != 4 {
		t.Errorf("%d mails in the sink, want still 4", n)
	}

	// Nothing of what went out is in the clear anywhere in the database:
	// not an operator's words, not a writer's address, not a subject.
	dump := storagetest.Dump(t, st)
	for _, secret := range []string{"a tavoltartasrol irok", "Meg egy valasz", "anna@example.test", "bela@example.test",
		"Szeretnek tanacsot", "Re: kerdes"} {
		if bytes.Contains(dump, []byte(secret)) {
			t.Errorf("the database holds %q in the clear", secret)
		}
	}

	var responded int
	storagetest.Pool(st).QueryRow(context.Background(), `SELECT count(*) FROM cases WHERE first_response_at IS NOT NULL`).Scan(&responded)
	if responded != 2 {
		t.Errorf("%d cases have a first response, want 2 (acknowledgements do not count)", responded)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
}

func keys(m map[string]*mail.Message) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
