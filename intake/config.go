package intake

import (
	"crypto/tls"
	"time"

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
	Username  string
	Password  string
	Mailbox   string // the folder new mail arrives in, usually INBOX
	After     After
	MoveTo    string // the folder stored mail is moved to, with AfterMove

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
}

// Key returns the name the database knows the mailbox by.
func (c *Config) Key() string { return c.Username + "/" + c.Mailbox }
