package mailauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"golang.org/x/oauth2"
)

// Authorize lets a person sign okit in to the mailbox by device code
// (RFC 8628): it asks the provider for a code, tells the person on w
// where to enter it, waits until they have signed in and consented, and
// writes the refresh token to cfg.TokenFile (mode 0600, replacing the
// file at once). An okit serve that is running picks the new file up at
// its next sign-in: no restart.
func Authorize(ctx context.Context, cfg Config, w io.Writer, now func() time.Time) error {
	if cfg.Kind != DeviceCode {
		return fmt.Errorf("okit mailbox authorize is for the device_code grant; this one is %s", cfg.Kind)
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, client)
	oc, err := cfg.oauth2()
	if err != nil {
		return fmt.Errorf("client secret: %w", err)
	}
	da, err := oc.DeviceAuth(ctx)
	if err != nil {
		return fmt.Errorf("ask for a device code: %w", endpointError(err))
	}
	open := da.VerificationURI
	if da.VerificationURIComplete != "" {
		open = da.VerificationURIComplete
	}
	fmt.Fprintf(w, "Open %s in a browser, sign in as the mailbox (or a person who may open it), and enter the code\n\n    %s\n\n", open, da.UserCode)
	if !da.Expiry.IsZero() {
		fmt.Fprintf(w, "The code is good until %s. Waiting...\n", da.Expiry.Local().Format("15:04:05"))
	}
	tok, err := oc.DeviceAccessToken(ctx, da)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return errors.New("the code ran out before anyone signed in: run okit mailbox authorize again")
		}
		return fmt.Errorf("wait for the sign-in: %w", endpointError(err))
	}
	if tok.RefreshToken == "" {
		return errors.New("the provider gave no refresh token: the scopes must include offline_access (OKIT_OAUTH_SCOPES)")
	}
	if _, err := writeTokenFile(cfg.TokenFile, tok.RefreshToken, now()); err != nil {
		return fmt.Errorf("OKIT_OAUTH_TOKEN_FILE: %w", err)
	}
	fmt.Fprintf(w, "Signed in. The refresh token is in %s (mode 0600); okit serve uses it from its next sign-in.\n", cfg.TokenFile)
	return nil
}
