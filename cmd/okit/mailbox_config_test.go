package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The mailbox's sign-in and canary settings: checked at start, every
// mistake on a line of its own naming its variable and what to give.
func TestMailboxSettingsMistakesAreOneLineEach(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("s3cret\n"), 0o600)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o600)
	token := filepath.Join(dir, "token")
	os.WriteFile(token, []byte(`{"refresh_token":"r"}`), 0o600)
	open := filepath.Join(dir, "open-token")
	os.WriteFile(open, []byte(`{"refresh_token":"r"}`), 0o644)
	os.Chmod(open, 0o644)
	base := map[string]string{
		"OKIT_DATABASE_URL": "postgres://okit@localhost/okit", "OKIT_IMAP_ADDR": "outlook.office365.com:993",
		"OKIT_IMAP_USERNAME": "okit@ncsszi.hu", "OKIT_PUBLIC_KEY_FILE": "/k/public.asc", "OKIT_INDEX_KEY_FILE": "/k/index.key",
		"OKIT_PRIVATE_KEY_FILE": "/k/private.asc", "OKIT_KEY_PASSPHRASE": "pass", "OKIT_CONSOLE_KEY_FILE": "/k/console.key",
		"OKIT_SMTP_ADDR": "smtp.office365.com:587", "OKIT_FROM": "valasz@ncsszi.hu",
	}
	app := map[string]string{"OKIT_IMAP_AUTH": "xoauth2", "OKIT_OAUTH_GRANT": "client_credentials",
		"OKIT_OAUTH_TENANT": "ncsszi.onmicrosoft.com", "OKIT_OAUTH_CLIENT_ID": "app", "OKIT_OAUTH_CLIENT_SECRET_FILE": secret}
	tests := []struct {
		name string
		set  []map[string]string
		want []string
	}{
		{"an app's client credentials", []map[string]string{app}, nil},
		{"an app without its tenant, id and secret", []map[string]string{app, {"OKIT_OAUTH_TENANT": "", "OKIT_OAUTH_CLIENT_ID": "",
			"OKIT_OAUTH_CLIENT_SECRET_FILE": ""}},
			[]string{"OKIT_OAUTH_CLIENT_ID is not set", "OKIT_OAUTH_TENANT is not set", "OKIT_OAUTH_CLIENT_SECRET_FILE is not set"}},
		{"an empty secret file", []map[string]string{app, {"OKIT_OAUTH_CLIENT_SECRET_FILE": empty}},
			[]string{"OKIT_OAUTH_CLIENT_SECRET_FILE: " + empty + " is empty"}},
		{"no scope", []map[string]string{app, {"OKIT_OAUTH_SCOPES": ","}}, []string{"OKIT_OAUTH_SCOPES is empty"}},
		{"an unknown method and grant", []map[string]string{app, {"OKIT_SMTP_AUTH": "ntlm", "OKIT_OAUTH_GRANT": "password"}},
			[]string{`OKIT_SMTP_AUTH="ntlm": give password, xoauth2 or oauthbearer`, `OKIT_OAUTH_GRANT="password": give client_credentials`}},
		{"SMTP by token needs the sending address", []map[string]string{app, {"OKIT_SMTP_AUTH": "xoauth2"}},
			[]string{"OKIT_SMTP_USERNAME is not set: with OKIT_SMTP_AUTH=xoauth2"}},
		{"a person's sign-in", []map[string]string{app, {"OKIT_OAUTH_GRANT": "device_code", "OKIT_OAUTH_CLIENT_SECRET_FILE": "",
			"OKIT_OAUTH_TOKEN_FILE": token}}, nil},
		{"a person's sign-in not yet authorised", []map[string]string{app, {"OKIT_OAUTH_GRANT": "device_code",
			"OKIT_OAUTH_TOKEN_FILE": filepath.Join(dir, "nope")}}, []string{"OKIT_OAUTH_TOKEN_FILE: " + filepath.Join(dir, "nope") + " does not exist: run okit mailbox authorize"}},
		{"a token file others may read", []map[string]string{app, {"OKIT_OAUTH_GRANT": "device_code", "OKIT_OAUTH_TOKEN_FILE": open}},
			[]string{"OKIT_OAUTH_TOKEN_FILE: " + open + " may be read by others (mode 0644): chmod 600 it"}},
		{"a Google service account without its key", []map[string]string{{"OKIT_IMAP_AUTH": "oauthbearer", "OKIT_OAUTH_GRANT": "service_account"}},
			[]string{"OKIT_OAUTH_KEY_FILE is not set"}},
		{"a Google service account with a secret for a key", []map[string]string{{"OKIT_IMAP_AUTH": "oauthbearer",
			"OKIT_OAUTH_GRANT": "service_account", "OKIT_OAUTH_KEY_FILE": secret}}, []string{"OKIT_OAUTH_KEY_FILE: " + secret + " is not a service account's JSON key"}},
		{"a canary", []map[string]string{{"OKIT_IMAP_PASSWORD": "pw", "OKIT_CANARY_EVERY": "10m"}}, nil},
		{"a canary that cannot be missed in time", []map[string]string{{"OKIT_IMAP_PASSWORD": "pw", "OKIT_CANARY_EVERY": "10m",
			"OKIT_CANARY_ALERT": "5m", "OKIT_IMAP_USERNAME": "okit"}},
			[]string{"OKIT_CANARY_ALERT=5m0s is not longer than OKIT_CANARY_EVERY=10m0s", `OKIT_CANARY_TO: give the hotline's address the canary is sent to (OKIT_IMAP_USERNAME "okit" is not one)`}},
		{"a canary with no way out", []map[string]string{{"OKIT_IMAP_PASSWORD": "pw", "OKIT_CANARY_EVERY": "10m", "OKIT_SMTP_ADDR": ""}},
			[]string{"OKIT_CANARY_EVERY is set but OKIT_SMTP_ADDR is not"}},
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
			s, err := readSettings(func(k string) string { return vars[k] }, true)
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
			if err == nil && vars["OKIT_IMAP_AUTH"] != "" && (s.grant == nil || s.imap.Grant != s.grant) {
				t.Error("intake does not sign in with the grant")
			}
		})
	}
}

// Unset, the scopes are the provider's for each grant, and a Microsoft
// tenant gives the token and device endpoints.
func TestOAuthDefaults(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		grant         string
		scopes        []string
		token, device string
	}{
		{"client_credentials", []string{"https://outlook.office365.com/.default"},
			"https://login.microsoftonline.com/ncsszi.onmicrosoft.com/oauth2/v2.0/token", "https://login.microsoftonline.com/ncsszi.onmicrosoft.com/oauth2/v2.0/devicecode"},
		{"device_code", []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send", "offline_access"},
			"https://login.microsoftonline.com/ncsszi.onmicrosoft.com/oauth2/v2.0/token", "https://login.microsoftonline.com/ncsszi.onmicrosoft.com/oauth2/v2.0/devicecode"},
	} {
		vars := map[string]string{"OKIT_OAUTH_GRANT": tt.grant, "OKIT_OAUTH_TENANT": "ncsszi.onmicrosoft.com", "OKIT_OAUTH_CLIENT_ID": "app"}
		e := &env{get: func(k string) string { return vars[k] }}
		c := e.oauthConfig(false)
		if diff := cmp.Diff([]string{tt.token, tt.device}, []string{c.TokenURL, c.DeviceAuthURL}); diff != "" {
			t.Errorf("%s endpoints (-want +got):\n%s", tt.grant, diff)
		}
		if diff := cmp.Diff(tt.scopes, c.Scopes); diff != "" {
			t.Errorf("%s scopes (-want +got):\n%s", tt.grant, diff)
		}
	}
}
