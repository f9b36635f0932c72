package mailauth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-sasl"
)

// Method is how okit proves who it is to a mail server.
type Method string

const (
	Password    Method = "password"    // a password: LOGIN for IMAP, AUTH PLAIN for SMTP
	XOAUTH2     Method = "xoauth2"     // an OAuth2 token by XOAUTH2 (Microsoft 365, Google)
	OAuthBearer Method = "oauthbearer" // an OAuth2 token by OAUTHBEARER, RFC 7628 (Google)
)

// ParseMethod reads password, xoauth2 or oauthbearer.
func ParseMethod(s string) (Method, error) {
	switch m := Method(s); m {
	case Password, XOAUTH2, OAuthBearer:
		return m, nil
	}
	return "", fmt.Errorf("%q: give password, xoauth2 or oauthbearer", s)
}

// OAuth reports whether the method signs in with a token from a Grant.
func (m Method) OAuth() bool { return m == XOAUTH2 || m == OAuthBearer }

// Login is how okit signs in to one mail server as one mailbox.
type Login struct {
	Method Method
	// Username is the mailbox's address: with OAuth, the SASL user=. For
	// a shared mailbox it is the shared mailbox's own address, and the
	// token is a delegate's (or the app's) that may open it.
	Username string
	Password string // with Password
	Grant    *Grant // with XOAUTH2 and OAuthBearer
	// Host and Port name the server, for OAUTHBEARER's host and port.
	Host string
	Port int
}

// Client returns the SASL client of one sign-in and when the connection
// should sign in again (zero: never). With OAuth it asks the Grant for a
// token that stays valid a while yet, so the server never sees one about
// to run out.
func (l *Login) Client(ctx context.Context) (sasl.Client, time.Time, error) {
	switch l.Method {
	case Password:
		return sasl.NewPlainClient("", l.Username, l.Password), time.Time{}, nil
	case XOAUTH2, OAuthBearer:
		if l.Grant == nil {
			return nil, time.Time{}, errors.New("mailauth: an OAuth sign-in without a grant")
		}
		a, err := l.Grant.Token(ctx, l.Username)
		if err != nil {
			return nil, time.Time{}, err
		}
		if l.Method == XOAUTH2 {
			return newXOAuth2Client(l.Username, a.Token), a.Renew, nil
		}
		return newOAuthBearerClient(&sasl.OAuthBearerOptions{Username: l.Username, Token: a.Token, Host: l.Host, Port: l.Port}),
			a.Renew, nil
	}
	return nil, time.Time{}, fmt.Errorf("mailauth: unknown sign-in method %q", l.Method)
}

// Refused tells the grant that the server refused the token of the last
// sign-in: the next one fetches a new token, and a new token refused is a
// failure of the grant (see Grant.Refused).
func (l *Login) Refused(err error) {
	if l.Method.OAuth() && l.Grant != nil {
		l.Grant.Refused(l.Username, err)
	}
}

// Accepted tells the grant that a sign-in with its token worked: a
// failure reported before is over.
func (l *Login) Accepted() {
	if l.Method.OAuth() && l.Grant != nil {
		l.Grant.Accepted()
	}
}
