package intake

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBounceRecipients(t *testing.T) {
	t.Parallel()
	report := func(status string) string {
		return "From: MAILER-DAEMON@mx.example.hu\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
			"--b\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n" +
			"--b\r\nContent-Type: message/delivery-status\r\n\r\n" + status +
			"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <x@ncsszi.hu>\r\n" +
			"--b--\r\n"
	}
	tests := []struct {
		name string
		raw  string
		want []string
	}{
		{"one recipient", report("Reporting-MTA: dns; mx.example.hu\r\n\r\nFinal-Recipient: rfc822; Anna@Example.HU\r\nAction: failed\r\nStatus: 5.1.1\r\n"),
			[]string{"anna@example.hu"}},
		{"original and final", report("Reporting-MTA: dns; mx\r\n\r\nOriginal-Recipient: rfc822;<anna@example.hu>\r\nFinal-Recipient: rfc822;anna@mailhost.example.hu\r\nAction: failed\r\n"),
			[]string{"anna@mailhost.example.hu", "anna@example.hu"}},
		{"two recipients", report("Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; a@x.hu\r\nAction: failed\r\n\r\nFinal-Recipient: rfc822; b@x.hu\r\nAction: failed\r\n"),
			[]string{"a@x.hu", "b@x.hu"}},
		{"an X.400 recipient is not an address", report("Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: x400; /G=anna/\r\n"), nil},
		{"no report part", "From: a@b.hu\r\nSubject: x\r\n\r\nFinal-Recipient: rfc822; anna@example.hu\r\n", nil},
		{"not a message", "\x00\x01", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, BounceRecipients([]byte(tc.raw))); diff != "" {
				t.Errorf("BounceRecipients (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzBounceRecipients(f *testing.F) {
	f.Add([]byte("Content-Type: multipart/report; boundary=b\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; a@b.hu\r\n--b--\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if got := BounceRecipients(raw); len(got) > bounceParts*bounceRecipients {
			t.Errorf("%d recipients", len(got))
		}
	})
}
