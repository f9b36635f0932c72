package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIMAPConfigMistakesAreOneLineEachNamingTheVariable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o600)
	shared := filepath.Join(dir, "shared-password")
	os.WriteFile(shared, []byte("pw\n"), 0o640)
	os.Chmod(shared, 0o640)
	creds := filepath.Join(dir, "credentials")
	os.Mkdir(creds, 0o700)
	os.WriteFile(filepath.Join(creds, "OKIT_IMAP_PASSWORD"), []byte("from systemd\n"), 0o400)
	good := map[string]string{
		"OKIT_IMAP_ADDR": "imap.example.hu:993", "OKIT_IMAP_USERNAME": "okit@ncsszi.hu", "OKIT_IMAP_PASSWORD": "pw",
	}
	tests := []struct {
		name string
		set  map[string]string
		want []string // one line per mistake, each naming its variable
	}{
		{"good", nil, nil},
		{"nothing set", map[string]string{"OKIT_IMAP_ADDR": "", "OKIT_IMAP_USERNAME": "", "OKIT_IMAP_PASSWORD": ""},
			[]string{"OKIT_IMAP_ADDR is not set", "OKIT_IMAP_USERNAME is not set", "OKIT_IMAP_PASSWORD (or OKIT_IMAP_PASSWORD_FILE) is not set"}},
		{"plain text to a remote server", map[string]string{"OKIT_IMAP_TLS": "none"},
			[]string{"OKIT_IMAP_TLS=none would send the password and every message in clear to imap.example.hu"}},
		{"plain text to loopback is fine", map[string]string{"OKIT_IMAP_TLS": "none", "OKIT_IMAP_ADDR": "127.0.0.1:1143"}, nil},
		{"unknown TLS mode", map[string]string{"OKIT_IMAP_TLS": "ssl"}, []string{`OKIT_IMAP_TLS="ssl"`}},
		{"no port", map[string]string{"OKIT_IMAP_ADDR": "imap.example.hu"}, []string{`OKIT_IMAP_ADDR="imap.example.hu" is not host:port`}},
		{"missing password file", map[string]string{"OKIT_IMAP_PASSWORD": "", "OKIT_IMAP_PASSWORD_FILE": filepath.Join(dir, "nope")},
			[]string{"OKIT_IMAP_PASSWORD_FILE: secret file " + filepath.Join(dir, "nope") + ": no such file"}},
		{"password file others may read", map[string]string{"OKIT_IMAP_PASSWORD": "", "OKIT_IMAP_PASSWORD_FILE": shared},
			[]string{"OKIT_IMAP_PASSWORD_FILE: " + shared + " is accessible by others (mode 0640); chmod 600"}},
		{"password from systemd credentials", map[string]string{"OKIT_IMAP_PASSWORD": "", "CREDENTIALS_DIRECTORY": creds}, nil},
		{"both password forms", map[string]string{"OKIT_IMAP_PASSWORD_FILE": notPEM},
			[]string{"OKIT_IMAP_PASSWORD and OKIT_IMAP_PASSWORD_FILE are both set"}},
		{"CA file without a certificate", map[string]string{"OKIT_IMAP_CA_FILE": notPEM}, []string{"OKIT_IMAP_CA_FILE: " + notPEM + " holds no PEM certificate"}},
		{"bad numbers", map[string]string{"OKIT_IMAP_POLL_INTERVAL": "often", "OKIT_IMAP_BATCH": "-1", "OKIT_MAX_MESSAGE_SIZE": "big", "OKIT_IMAP_AFTER": "keep"},
			[]string{`OKIT_IMAP_POLL_INTERVAL="often"`, `OKIT_IMAP_BATCH="-1"`, `OKIT_MAX_MESSAGE_SIZE="big"`, `OKIT_IMAP_AFTER="keep"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{}
			for k, v := range good {
				vars[k] = v
			}
			for k, v := range tt.set {
				vars[k] = v
			}
			e := &env{get: func(k string) string { return vars[k] }}
			e.imapConfig()
			var lines []string
			if err := e.err(); err != nil {
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
		})
	}
}

func TestSizeSuffixes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{"": 25 << 20, "1000": 1000, "25MiB": 25 << 20, "512KiB": 512 << 10, "1 GiB": 1 << 30} {
		e := &env{get: func(string) string { return in }}
		if got := e.size("X", 25<<20); got != want || e.err() != nil {
			t.Errorf("size(%q) = %d, %v; want %d", in, got, e.err(), want)
		}
	}
}

func TestAcknowledgeSetting(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		ack, smtp string
		want      bool
		bad       bool
	}{
		{"", "", false, false}, {"", "mail.example.hu:587", true, false},
		{"on", "", true, false}, {"off", "mail.example.hu:587", false, false}, {"yes", "", false, true},
	} {
		vars := map[string]string{"OKIT_ACKNOWLEDGE": tt.ack, "OKIT_SMTP_ADDR": tt.smtp}
		e := &env{get: func(k string) string { return vars[k] }}
		if got := e.acknowledge(); got != tt.want || (e.err() != nil) != tt.bad {
			t.Errorf("OKIT_ACKNOWLEDGE=%q with OKIT_SMTP_ADDR=%q: %v, %v", tt.ack, tt.smtp, got, e.err())
		}
	}
}

// Under systemd with LoadCredential=NAME:..., a secret NAME comes from the
// credentials folder, unless NAME or NAME_FILE is set.
func TestSecretFromSystemdCredentials(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "OKIT_KEY_PASSPHRASE"), []byte("from systemd credentials\n"), 0o400)
	vars := map[string]string{"CREDENTIALS_DIRECTORY": dir}
	e := &env{get: func(k string) string { return vars[k] }}
	if got := e.secret("OKIT_KEY_PASSPHRASE", "the passphrase"); got != "from systemd credentials" || e.err() != nil {
		t.Errorf("passphrase %q, %v", got, e.err())
	}
	if !e.given("OKIT_KEY_PASSPHRASE") || e.given("OKIT_PREVIOUS_KEY_PASSPHRASE") {
		t.Error("given does not see the credentials folder")
	}
	vars["OKIT_KEY_PASSPHRASE"] = "from the environment"
	if got := e.secret("OKIT_KEY_PASSPHRASE", "the passphrase"); got != "from the environment" {
		t.Errorf("with the variable set: %q", got)
	}
}
