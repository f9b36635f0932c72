package mailauth

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/oauth2/jwt"

	"github.com/ncsszi/okit/seal"
)

// fetch gets a new access token from the token endpoint, for subject
// (the mailbox, with a service account). Called with g.mu held.
func (g *Grant) fetch(ctx context.Context, subject string) (*oauth2.Token, error) {
	switch g.cfg.Kind {
	case ClientCredentials:
		secret, err := readSecret(g.cfg.ClientSecretFile)
		if err != nil {
			return nil, err
		}
		cc := clientcredentials.Config{ClientID: g.cfg.ClientID, ClientSecret: secret, TokenURL: g.cfg.TokenURL,
			Scopes: g.cfg.Scopes, AuthStyle: oauth2.AuthStyleInParams}
		tok, err := cc.Token(ctx)
		if err != nil {
			return nil, endpointError(err)
		}
		return tok, nil
	case DeviceCode:
		return g.refresh(ctx)
	case ServiceAccount:
		key, err := readServiceAccount(g.cfg.KeyFile)
		if err != nil {
			return nil, err
		}
		jc := &jwt.Config{Email: key.ClientEmail, PrivateKey: []byte(key.PrivateKey), PrivateKeyID: key.PrivateKeyID,
			Scopes: g.cfg.Scopes, TokenURL: g.cfg.TokenURL, Subject: subject}
		if jc.TokenURL == "" {
			jc.TokenURL = key.TokenURI
		}
		tok, err := jc.TokenSource(ctx).Token()
		if err != nil {
			return nil, endpointError(err)
		}
		return tok, nil
	}
	return nil, &Error{Code: "config", Permanent: true, Err: fmt.Errorf("unknown grant %q", g.cfg.Kind)}
}

// refresh trades the refresh token for an access token and keeps the
// refresh token the provider sends back in its place, if it is new.
func (g *Grant) refresh(ctx context.Context) (*oauth2.Token, error) {
	rt, err := g.file.current(g.cfg.TokenFile, g.now())
	if err != nil {
		return nil, err
	}
	oc, err := g.cfg.oauth2()
	if err != nil {
		return nil, err
	}
	// A source made for one call with no access token refreshes at once;
	// it gives the old refresh token back when the provider sends none.
	tok, err := oc.TokenSource(ctx, &oauth2.Token{RefreshToken: rt}).Token()
	if err != nil {
		return nil, endpointError(err)
	}
	if tok.RefreshToken != "" && tok.RefreshToken != rt {
		if err := g.file.rotated(g.cfg.TokenFile, tok.RefreshToken, g.now()); err != nil {
			return nil, err
		}
		g.log.Info("oauth refresh token rotated and saved", slog.String("file", g.cfg.TokenFile))
	}
	return tok, nil
}

// oauth2 is the configuration of a person's (DeviceCode) sign-in.
func (c Config) oauth2() (*oauth2.Config, error) {
	oc := &oauth2.Config{ClientID: c.ClientID, Scopes: c.Scopes, Endpoint: oauth2.Endpoint{
		TokenURL: c.TokenURL, DeviceAuthURL: c.DeviceAuthURL, AuthStyle: oauth2.AuthStyleInParams}}
	if c.ClientSecretFile != "" {
		secret, err := readSecret(c.ClientSecretFile)
		if err != nil {
			return nil, err
		}
		oc.ClientSecret = secret
	}
	return oc, nil
}

// readSecret reads the client secret file, as an Error.
func readSecret(path string) (string, error) {
	s, err := loadSecret(path)
	if err != nil {
		return "", &Error{Code: CodeSecretFile, Permanent: true, Err: err}
	}
	return s, nil
}

// CheckSecretFile says whether path holds a client secret: a first line
// that is not empty.
func CheckSecretFile(path string) error {
	_, err := loadSecret(path)
	return err
}

func loadSecret(path string) (string, error) {
	b, err := seal.ReadSecretFile(path, "client secret")
	if err != nil {
		return "", err
	}
	s, _, _ := strings.Cut(string(b), "\n")
	if s = strings.TrimSpace(s); s == "" {
		return "", fmt.Errorf("%s is empty", path)
	}
	return s, nil
}

// serviceAccount is the part of a Google service account's JSON key that
// signing needs.
type serviceAccount struct {
	Type         string `json:"type"`
	ClientEmail  string `json:"client_email"`
	PrivateKey   string `json:"private_key"`
	PrivateKeyID string `json:"private_key_id"`
	TokenURI     string `json:"token_uri"`
}

func readServiceAccount(path string) (serviceAccount, error) {
	k, err := loadServiceAccount(path)
	if err != nil {
		return k, &Error{Code: CodeKeyFile, Permanent: true, Err: err}
	}
	return k, nil
}

// CheckKeyFile says whether path holds a Google service account's JSON
// key.
func CheckKeyFile(path string) error {
	_, err := loadServiceAccount(path)
	return err
}

func loadServiceAccount(path string) (serviceAccount, error) {
	var k serviceAccount
	b, err := seal.ReadSecretFile(path, "service account key")
	if err != nil {
		return k, err
	}
	if err := json.Unmarshal(b, &k); err != nil {
		return k, fmt.Errorf("%s is not a service account's JSON key: %v", path, err)
	}
	if k.Type != "service_account" || k.ClientEmail == "" || k.PrivateKey == "" {
		return k, fmt.Errorf("%s is not a service account's JSON key (want type service_account, client_email and private_key)", path)
	}
	return k, nil
}
