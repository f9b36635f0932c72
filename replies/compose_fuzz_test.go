package replies

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
)

// FuzzCompose feeds writer-controlled values (subject, name, address,
// message ids, body) to Compose: it must refuse or produce a message that
// go-message reads back with the same subject, with CRLF lines and no
// header injection.
func FuzzCompose(f *testing.F) {
	f.Add("Re: Kérdés", "Kovács Éva", "eva@example.hu", "a@x", "b@x", "Szia!\n")
	f.Add("x\r\nBcc: y@z.hu", "\"Q\" <q@x>", "a@b.c", "<>", "a b", "\r\n.\r\n")
	f.Add("=?utf-8?q?=C3=A9?=", "(c)", "x+y@xn--plda-bpa.hu", "", "", "")
	f.Fuzz(func(t *testing.T, subject, name, to, id, ref, body string) {
		m := Outgoing{
			From:    mail.Address{Address: "okit@ncsszi.hu"},
			To:      mail.Address{Name: name, Address: to},
			Subject: subject, Body: body,
			Parent:    Parent{MessageID: id, References: []string{ref}},
			MessageID: "fuzz@ncsszi.hu", Date: time.Unix(0, 0).UTC(),
		}
		raw, err := Compose(m)
		if err != nil {
			return
		}
		br := bufio.NewReader(bytes.NewReader(raw))
		r, err := mail.CreateReader(br)
		if err != nil {
			t.Fatalf("cannot read composed message: %v\n%q", err, raw)
		}
		if got := r.Header.Get("Bcc"); got != "" {
			t.Fatalf("header injection: Bcc %q", got)
		}
		if strings.Contains(subject, "=?") {
			return // an encoded word in the input is decoded by the reader, as it would be by any
		}
		got, _ := r.Header.Subject()
		want := strings.Join(strings.Fields(subject), " ")
		if len([]rune(want)) <= 2*maxSubject && got != want {
			t.Fatalf("subject %q read back as %q", want, got)
		}
		for _, line := range bytes.SplitAfter(raw, []byte("\n")) {
			if len(line) > 0 && !bytes.HasSuffix(line, []byte("\r\n")) {
				t.Fatalf("line without CRLF: %q", line)
			}
		}
	})
}
