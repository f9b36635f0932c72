package main

import (
	"cmp"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/oauth2/microsoft"

	"github.com/ncsszi/okit/mailauth"
)

// Scopes asked for when OKIT_OAUTH_SCOPES is not set, by grant: Microsoft
// 365's app-only access (the app's IMAP.AccessAsApp and SMTP.SendAsApp
// roles come with .default), a person's delegated access to Exchange
// Online (offline_access for the refresh token), and Gmail's, which
// Google grants to IMAP and SMTP only whole.
var defaultScopes = map[mailauth.GrantKind]string{
	mailauth.ClientCredentials: "https://outlook.office365.com/.default",
	mailauth.DeviceCode:        "https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access",
	mailauth.ServiceAccount:    "https://mail.google.com/",
}

// method reads a sign-in method, OKIT_IMAP_AUTH or OKIT_SMTP_AUTH.
func (e *env) method(name string) mailauth.Method {
	m, err := mailauth.ParseMethod(e.str(name, string(mailauth.Password)))
	if err != nil {
		e.fail("%s=%v", name, err)
		return mailauth.Password
	}
	return m
}

// grant makes the one OAuth grant IMAP and SMTP share, when either signs
// in with a token; nil otherwise.
func (e *env) grant(methods ...mailauth.Method) *mailauth.Grant {
	for _, m := range methods {
		if m.OAuth() {
			return mailauth.NewGrant(e.oauthConfig(true), time.Now)
		}
	}
	return nil
}

// oauthConfig reads the OAuth grant's settings, each mistake on a line
// naming its variable. With serving set, a device-code grant's token
// file must exist (okit mailbox authorize writes it); otherwise its
// folder must.
func (e *env) oauthConfig(serving bool) mailauth.Config {
	c := mailauth.Config{
		Kind:             mailauth.GrantKind(e.str("OKIT_OAUTH_GRANT", "")),
		TokenURL:         e.str("OKIT_OAUTH_TOKEN_URL", ""),
		DeviceAuthURL:    e.str("OKIT_OAUTH_DEVICE_URL", ""),
		ClientID:         e.str("OKIT_OAUTH_CLIENT_ID", ""),
		ClientSecretFile: e.str("OKIT_OAUTH_CLIENT_SECRET_FILE", ""),
		TokenFile:        e.str("OKIT_OAUTH_TOKEN_FILE", ""),
		KeyFile:          e.str("OKIT_OAUTH_KEY_FILE", ""),
	}
	scopes, ok := defaultScopes[c.Kind]
	if !ok {
		e.fail("OKIT_OAUTH_GRANT=%q: give client_credentials (a Microsoft 365 app), device_code (a person signs in with okit mailbox authorize) or service_account (Google Workspace)", c.Kind)
		return c
	}
	c.Scopes = strings.Fields(strings.ReplaceAll(e.str("OKIT_OAUTH_SCOPES", scopes), ",", " "))
	if c.Kind != mailauth.ServiceAccount {
		if c.ClientID == "" {
			e.fail("OKIT_OAUTH_CLIENT_ID is not set: give the app's (client) id from its registration")
		}
		if tenant := e.str("OKIT_OAUTH_TENANT", ""); tenant != "" {
			ms := microsoft.AzureADEndpoint(tenant)
			c.TokenURL = cmp.Or(c.TokenURL, ms.TokenURL)
			c.DeviceAuthURL = cmp.Or(c.DeviceAuthURL, ms.DeviceAuthURL)
		} else if c.TokenURL == "" {
			e.fail("OKIT_OAUTH_TENANT is not set: give the Microsoft 365 tenant (its id, or a domain such as ncsszi.onmicrosoft.com), or OKIT_OAUTH_TOKEN_URL")
		}
	}
	switch c.Kind {
	case mailauth.ClientCredentials:
		if c.ClientSecretFile == "" {
			e.fail("OKIT_OAUTH_CLIENT_SECRET_FILE is not set: give a file holding the app's client secret")
		}
	case mailauth.DeviceCode:
		if c.DeviceAuthURL == "" && !serving {
			e.fail("OKIT_OAUTH_DEVICE_URL is not set: give the provider's device authorisation endpoint, or OKIT_OAUTH_TENANT")
		}
		switch {
		case c.TokenFile == "":
			e.fail("OKIT_OAUTH_TOKEN_FILE is not set: give the file okit mailbox authorize writes the refresh token to, e.g. /var/lib/okit/oauth-token")
		case serving:
			if err := mailauth.CheckTokenFile(c.TokenFile); err != nil {
				e.fail("OKIT_OAUTH_TOKEN_FILE: %v", err)
			}
		default:
			if fi, err := os.Stat(filepath.Dir(c.TokenFile)); err != nil || !fi.IsDir() {
				e.fail("OKIT_OAUTH_TOKEN_FILE: the folder %s does not exist", filepath.Dir(c.TokenFile))
			}
		}
	case mailauth.ServiceAccount:
		if c.KeyFile == "" {
			e.fail("OKIT_OAUTH_KEY_FILE is not set: give the service account's JSON key file")
		} else if err := mailauth.CheckKeyFile(c.KeyFile); err != nil {
			e.fail("OKIT_OAUTH_KEY_FILE: %v", err)
		}
	}
	if c.ClientSecretFile != "" {
		if err := mailauth.CheckSecretFile(c.ClientSecretFile); err != nil {
			e.fail("OKIT_OAUTH_CLIENT_SECRET_FILE: %v", err)
		}
	}
	if len(c.Scopes) == 0 {
		e.fail("OKIT_OAUTH_SCOPES is empty: leave it unset for %q, or give the scopes", scopes)
	}
	return c
}
