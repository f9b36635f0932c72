package demo

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-sasl"
)

// oauthSession signs in by XOAUTH2 or OAUTHBEARER with a token the
// Mailbox's OAuth server issued for the mailbox, and refuses passwords.
type oauthSession struct {
	*idleSession
	m *Mailbox
}

func (s *oauthSession) Login(string, string) error {
	return &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAuthenticationFailed,
		Text: "LOGIN failed: basic authentication is disabled"}
}

func (s *oauthSession) AuthenticateMechanisms() []string {
	return []string{"XOAUTH2", sasl.OAuthBearer}
}

func (s *oauthSession) Authenticate(mech string) (sasl.Server, error) {
	switch mech {
	case "XOAUTH2":
		return &xoauth2Server{signIn: s.signIn}, nil
	case sasl.OAuthBearer:
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if s.signIn(o.Username, o.Token) != nil {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			return nil
		}), nil
	}
	return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "SASL mechanism not supported"}
}

// signIn checks the token with the OAuth server and opens the mailbox.
func (s *oauthSession) signIn(user, token string) error {
	if !strings.EqualFold(user, s.m.Username) || !s.m.oauth.Valid(token, user) {
		return errors.New("AUTHENTICATE failed")
	}
	if err := s.SessionMove.Login(s.m.Username, s.m.Password); err != nil {
		return err
	}
	s.expiry = s.m.oauth.Expiry(token)
	s.m.logins.Add(1)
	return nil
}

// xoauth2Server is the server side of XOAUTH2: a refused token gets the
// JSON challenge Google and Microsoft send, and the exchange fails on the
// client's empty answer.
type xoauth2Server struct {
	signIn  func(user, token string) error
	refused bool
}

func (x *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if x.refused {
		return nil, true, errors.New("AUTHENTICATE failed")
	}
	if resp == nil {
		return []byte{}, false, nil
	}
	var user, token string
	for _, f := range bytes.Split(resp, []byte{1}) {
		if v, ok := bytes.CutPrefix(f, []byte("user=")); ok {
			user = string(v)
		}
		if v, ok := bytes.CutPrefix(f, []byte("auth=Bearer ")); ok {
			token = string(v)
		}
	}
	if x.signIn(user, token) != nil {
		x.refused = true
		challenge, _ := json.Marshal(map[string]string{"status": "401", "schemes": "bearer", "scope": "https://outlook.office365.com/.default"})
		return challenge, false, nil
	}
	return nil, true, nil
}
