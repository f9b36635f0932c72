package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readSettings asks for the private key exactly when serve has a part that
// reads sealed mail (the console, the reply worker), and reports every
// mistake of a start at once.
func TestReadSettings(t *testing.T) {
	t.Parallel()
	base := map[string]string{
		"OKIT_DATABASE_URL": "postgres://okit@localhost/okit", "OKIT_IMAP_ADDR": "imap.example.hu:993",
		"OKIT_IMAP_USERNAME": "okit@ncsszi.hu", "OKIT_IMAP_PASSWORD": "pw",
		"OKIT_PUBLIC_KEY_FILE": "/k/public.asc", "OKIT_INDEX_KEY_FILE": "/k/index.key",
	}
	private := map[string]string{"OKIT_PRIVATE_KEY_FILE": "/k/private.asc", "OKIT_KEY_PASSPHRASE": "pass", "OKIT_CONSOLE_KEY_FILE": "/k/console.key"}
	smtp := map[string]string{"OKIT_SMTP_ADDR": "mail.example.hu:587", "OKIT_FROM": "okit@ncsszi.hu"}
	tests := []struct {
		name               string
		serve              bool
		set                []map[string]string
		console, mail, ack bool
		want               []string // the lines of the error
	}{
		{name: "intake", set: nil},
		{name: "intake ignores the console's settings", set: []map[string]string{private, {"OKIT_HTTP_ADDR": "0.0.0.0:8080"}}},
		{name: "serve without the private key takes mail in only", serve: true},
		{name: "serve with the private key has a console", serve: true, set: []map[string]string{private}, console: true},
		{name: "serve with the private key and SMTP sends mail", serve: true, set: []map[string]string{private, smtp},
			console: true, mail: true, ack: true},
		{name: "sending needs the private key", serve: true, set: []map[string]string{smtp}, ack: true,
			want: []string{"OKIT_PRIVATE_KEY_FILE is not set", "OKIT_KEY_PASSPHRASE (or OKIT_KEY_PASSPHRASE_FILE) is not set"}},
		{name: "every mistake at once", serve: true,
			set: []map[string]string{private, {"OKIT_DATABASE_URL": "", "OKIT_HTTP_ADDR": "0.0.0.0:8080", "OKIT_RETENTION": "5s",
				"OKIT_SMTP_ADDR": "mail.example.hu:587", "OKIT_SMTP_TLS": "none"}},
			want: []string{"OKIT_DATABASE_URL is not set", "OKIT_SMTP_ADDR, OKIT_SMTP_TLS: SMTP without TLS", "OKIT_FROM is not set",
				"OKIT_PUBLIC_URL: give the https address", "OKIT_RETENTION=\"5s\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{}
			for _, m := range append([]map[string]string{base}, tt.set...) {
				for k, v := range m {
					vars[k] = v
				}
			}
			s, err := readSettings(func(k string) string { return vars[k] }, tt.serve)
			var lines []string
			if err != nil {
				lines = strings.Split(err.Error(), "\n")
			}
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(tt.want), strings.Join(lines, "\n"))
			}
			for i, w := range tt.want {
				if !strings.Contains(lines[i], w) {
					t.Errorf("line %d = %q, want it to say %q", i, lines[i], w)
				}
			}
			if err != nil {
				return
			}
			got := []bool{s.console != nil, s.mail != nil, s.imap.Ack != nil, s.keys.private != ""}
			want := []bool{tt.console, tt.mail, tt.ack, tt.console || tt.mail}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("console, mail, acknowledge, private key (-want +got):\n%s", diff)
			}
		})
	}
}
