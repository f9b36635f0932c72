package mailauth

import (
	"encoding/json"
	"fmt"

	"github.com/emersion/go-sasl"
)

// The XOAUTH2 mechanism's name. go-sasl no longer carries it.
const mechXOAuth2 = "XOAUTH2"

// xoauth2Client is the client side of XOAUTH2 as Google and Microsoft
// describe it: one message, "user=" the mailbox, "auth=Bearer " the token.
// A server that refuses sends a JSON challenge saying why; the client
// answers with an empty response, and the server then ends the exchange
// with a failure, which carries the reason.
type xoauth2Client struct {
	user, token string
	refusal     string
}

func newXOAuth2Client(user, token string) sasl.Client {
	return &xoauth2Client{user: user, token: token}
}

func (c *xoauth2Client) Start() (string, []byte, error) {
	return mechXOAuth2, []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	c.refusal = refusal(challenge)
	return []byte{}, nil
}

// oauthBearerClient is go-sasl's OAUTHBEARER client, except that it
// answers a server's error challenge with the dummy response RFC 7628
// section 3.2.3 asks for (go-sasl's gives up there and leaves the command
// hanging), so the server ends the exchange with a failure.
type oauthBearerClient struct {
	sasl.Client
	refusal string
}

func newOAuthBearerClient(opts *sasl.OAuthBearerOptions) sasl.Client {
	return &oauthBearerClient{Client: sasl.NewOAuthBearerClient(opts)}
}

func (c *oauthBearerClient) Next(challenge []byte) ([]byte, error) {
	c.refusal = refusal(challenge)
	return []byte{0x01}, nil
}

// refusal reads a server's JSON error challenge (status, schemes, scope)
// into a short text for the error of the failed sign-in.
func refusal(challenge []byte) string {
	var e struct {
		Status string `json:"status"`
		Scope  string `json:"scope"`
	}
	if json.Unmarshal(challenge, &e) != nil || e.Status == "" {
		return "the server refused the token"
	}
	if e.Scope != "" {
		return fmt.Sprintf("the server refused the token (status %s, scope %s)", e.Status, e.Scope)
	}
	return fmt.Sprintf("the server refused the token (status %s)", e.Status)
}

// Explain adds to err, the failure of a sign-in with c, what the server's
// error challenge said, if it sent one.
func Explain(c sasl.Client, err error) error {
	var why string
	switch c := c.(type) {
	case *xoauth2Client:
		why = c.refusal
	case *oauthBearerClient:
		why = c.refusal
	}
	if why == "" || err == nil {
		return err
	}
	return fmt.Errorf("%s: %w", why, err)
}
