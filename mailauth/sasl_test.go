package mailauth_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ncsszi/okit/mailauth"
)

// The first message of each mechanism, as the servers read it: XOAUTH2
// names the mailbox and the token; OAUTHBEARER (RFC 7628) also the host
// and port; a password goes as PLAIN.
func TestSASLFirstMessage(t *testing.T) {
	t.Parallel()
	o := startOAuth(t, time.Hour)
	g := mailauth.NewGrant(mailauth.Config{Kind: mailauth.ClientCredentials, TokenURL: o.TokenURL(), ClientID: o.ClientID,
		ClientSecretFile: secretFile(t, o.ClientSecret)}, time.Now)
	for _, tt := range []struct {
		method mailauth.Method
		mech   string
		want   func(token string) string
	}{
		{mailauth.XOAUTH2, "XOAUTH2", func(tok string) string { return "user=shared@ncsszi.hu\x01auth=Bearer " + tok + "\x01\x01" }},
		{mailauth.OAuthBearer, "OAUTHBEARER", func(tok string) string {
			return "n,a=shared@ncsszi.hu,\x01host=imap.example.hu\x01port=993\x01auth=Bearer " + tok + "\x01\x01"
		}},
		{mailauth.Password, "PLAIN", func(string) string { return "\x00shared@ncsszi.hu\x00pw" }},
	} {
		l := &mailauth.Login{Method: tt.method, Username: "shared@ncsszi.hu", Password: "pw", Grant: g, Host: "imap.example.hu", Port: 993}
		c, _, err := l.Client(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		mech, ir, err := c.Start()
		a, _ := g.Token(context.Background(), "shared@ncsszi.hu")
		if diff := cmp.Diff([]string{tt.mech, tt.want(a.Token)}, []string{mech, string(ir)}); err != nil || diff != "" {
			t.Errorf("%s: %v (-want +got):\n%s", tt.method, err, diff)
		}
	}
}
