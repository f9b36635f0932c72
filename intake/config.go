package intake

import (
	"crypto/tls"
	"net"
	"strconv"
	"time"

	"github.com/ncsszi/okit/mailauth"
	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/triage"
)

// Security is how the IMAP connection is protected.
type Security string

const (
	SecurityTLS      Security = "tls"      // implicit TLS (IMAPS, port 993)
	SecurityStartTLS Security = "starttls" // plain connection upgraded with STARTTLS
	SecurityNone     Security = "none"     // no TLS: loopback only, for tests and demos
)

// After says what happens to a message in the mailbox once it is stored.
type After string

const (
	AfterMove   After = "move"   // move it to Config.MoveTo
	AfterDelete After = "delete" // flag it \Deleted and expunge it
)

// Config is how intake reaches and treats the hotline's mailbox.
type Config struct {
	Addr      string // host:port
	Security  Security
	TLSConfig *tls.Config // server name and roots; nil for the system's
	Username  string      // the login name; with OAuth the mailbox's address (SASL user=)
	Password  string      // with Auth password
	// Auth is how intake signs in: password (or "") by LOGIN, xoauth2 or
	// oauthbearer with a token from Grant.
	Auth    mailauth.Method
	Grant   *mailauth.Grant
	Mailbox string // the folder new mail arrives in, usually INBOX
	After   After
	MoveTo  string // the folder stored mail is moved to, with AfterMove

	// PollInterval is how often the mailbox is checked when the server
	// has no IDLE, and the safety-net rescan while idling.
	PollInterval time.Duration
	// BatchSize is the most messages fetched and committed together.
	BatchSize int
	// MaxSize is the largest message taken in; a larger one is left on
	// the server and its case says so.
	MaxSize int64
	// CommandTimeout bounds one round of fetching and storing; a server
	// that stops answering is dropped and dialled again.
	CommandTimeout time.Duration

	// PreviousIndex is the index key before the current one, after a
	// rotation and until okit reseal has made every stored digest again
	// (nil otherwise): lookups try its digests after the current key's.
	PreviousIndex Digester

	// Rules triage each message before it is stored; Targets set its
	// response clock.
	Rules   *triage.Rules
	Targets triage.Targets

	// Ack is the acknowledgement policy the store applies to each
	// message it saves; nil when this okit does not acknowledge.
	Ack *replies.AckPolicy

	// AuthservID is the receiving mail server's authserv-id
	// (OKIT_AUTHSERV_ID): only its Authentication-Results are believed
	// (ReadAuth). Empty: nobody's are, and no sender is verified.
	AuthservID string

	// Canary, if set, is okit's message to itself through the real mail
	// path (see Canary); nil for none.
	Canary *CanaryConfig
}

// CanaryConfig is how the canary is sent and when it is missed.
type CanaryConfig struct {
	Every      time.Duration // a canary is sent this often
	AlertAfter time.Duration // no canary back for this long raises the alert
	From, To   string        // envelope and header addresses: OKIT_FROM and the hotline's
	// Sender is the SMTP path replies take.
	Sender replies.Sender
}

// login is how intake signs in to the IMAP server.
func (c *Config) login() *mailauth.Login {
	host, p, _ := net.SplitHostPort(c.Addr)
	port, _ := strconv.Atoi(p)
	return &mailauth.Login{Method: c.Auth, Username: c.Username, Password: c.Password, Grant: c.Grant, Host: host, Port: port}
}

// Key returns the name the database knows the mailbox by.
func (c *Config) Key() string { return c.Username + "/" + c.Mailbox }
