package mailauth

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/oauth2"
)

// Codes of an Error that are okit's own; others are the token endpoint's
// (invalid_grant, invalid_client, unauthorized_client, ...).
const (
	CodeRefused     = "refused"     // the mail server refused a new token
	CodeTokenFile   = "token_file"  // the refresh token file is missing, unreadable, or cannot be written
	CodeSecretFile  = "secret_file" // the client secret file cannot be read
	CodeKeyFile     = "key_file"    // the service account key cannot be read
	CodeUnavailable = "unavailable" // the token endpoint is unreachable or answers 5xx
)

// Error is a failure to get, or to use, a token. Its text names the step
// and the provider's error code and description; never a token or a
// secret.
type Error struct {
	// Code is the token endpoint's error code, or one of okit's (Code...).
	Code string
	// Permanent says an administrator must act (a revoked grant, consent
	// removed, a wrong secret, a missing token file); otherwise the
	// failure may pass (the endpoint down).
	Permanent bool
	Err       error
}

func (e *Error) Error() string {
	return fmt.Sprintf("oauth grant failed (%s): %v", e.Code, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Permanent reports whether err is a failure of the grant that only an
// administrator can end.
func Permanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// endpointError makes an Error of a failed request to the token endpoint.
// A refusal with a 4xx status is permanent: the provider said no (the
// grant was revoked, the secret is wrong, consent was removed); anything
// else, a 5xx, 429 or no answer at all, may pass.
func endpointError(err error) *Error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return &Error{Code: CodeUnavailable, Err: err}
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	code := re.ErrorCode
	if code == "" {
		code = fmt.Sprintf("http_%d", status)
	}
	permanent := status >= 400 && status < 500 && status != 429
	if !permanent {
		code = CodeUnavailable
	}
	// The provider's own text says what to do (AADSTS numbers and all);
	// its first line is enough, and never holds a token.
	desc, _, _ := strings.Cut(re.ErrorDescription, "\n")
	if len(desc) > 200 {
		desc = desc[:200] + "…"
	}
	msg := fmt.Sprintf("the token endpoint answered %d %s", status, re.ErrorCode)
	if desc != "" {
		msg += ": " + desc
	}
	return &Error{Code: code, Permanent: permanent, Err: errors.New(msg)}
}
