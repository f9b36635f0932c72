package replies

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"
	"golang.org/x/net/idna"
)

// Outgoing is one reply, ready to be made into a message.
type Outgoing struct {
	From mail.Address // OKIT_FROM; a display name, if any, must be discreet
	To   mail.Address // the writer: their Reply-To if they gave one, else their From
	// Subject and Body are what Templates.Render returned, or an
	// operator's text. Body line ends may be LF or CRLF.
	Subject string
	Body    string
	// Parent is the writer's message this one answers, for threading.
	Parent Parent
	// Automatic marks a reply no person wrote (the acknowledgement): it
	// gets Auto-Submitted: auto-replied (RFC 3834), so that the writer's
	// own auto-responder does not answer it.
	Automatic bool
	// MessageID and Date are normally left empty and filled in fresh
	// (NewMessageID at the From domain; the current time). A caller that
	// stores the message before sending, to resend the same bytes after a
	// failure, sets them once; tests set them for stable output.
	MessageID string
	Date      time.Time
}

// Parent is what threading needs of the message being answered; the
// fields match message.Message's.
type Parent struct {
	MessageID  string   // without angle brackets; "" when it had none
	InReplyTo  []string // without angle brackets
	References []string // without angle brackets, oldest first
}

// maxReferences bounds the References field of a long thread: the first
// message (the thread's root, which mail programs group by) and the most
// recent ones are kept, the middle dropped (RFC 5322 allows trimming;
// RFC 5537 does it the same way).
const maxReferences = 10

// maxMsgID is the longest message id copied from a writer's message;
// longer ones are not threaded rather than risking an over-long line.
const maxMsgID = 250

// ErrInvalid is wrapped by Compose errors about the Outgoing itself.
var ErrInvalid = errors.New("invalid outgoing message")

// Compose makes an RFC 5322 message of m: a plain-text UTF-8 body in
// quoted-printable, RFC 2047 encoded header words, CRLF line ends, no
// line longer than 78 characters but for one long unbreakable token, and
// no header that names the product or tracks the reader: no X-Mailer, no
// HTML, no read receipts.
//
// A message id from the parent that is not a valid id (spaces, brackets,
// control or non-ASCII characters, over 250 bytes) is left out of the
// threading rather than refusing the reply.
func Compose(m Outgoing) ([]byte, error) {
	from, err := formatAddress(m.From)
	if err != nil {
		return nil, fmt.Errorf("compose: From: %w", err)
	}
	if w := Revealing(m.From.Name); w != "" {
		return nil, fmt.Errorf("compose: the From name %q %w (%q); leave it out of OKIT_FROM or make it neutral: %w", m.From.Name, ErrRevealing, w, ErrInvalid)
	}
	to, err := formatAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("compose: To: %w", err)
	}
	subject := strings.Join(strings.Fields(m.Subject), " ")
	if subject == "" {
		return nil, fmt.Errorf("compose: empty subject: %w", ErrInvalid)
	}
	if w := Revealing(subject); w != "" {
		return nil, fmt.Errorf("compose: subject %w (%q): %w", ErrRevealing, w, ErrInvalid)
	}
	if utf8.RuneCountInString(subject) > 2*maxSubject {
		subject = string([]rune(subject)[:2*maxSubject]) + "…"
	}
	if !utf8.ValidString(m.Body) {
		return nil, fmt.Errorf("compose: body is not UTF-8: %w", ErrInvalid)
	}
	id := m.MessageID
	if id == "" {
		if id, err = NewMessageID(domain(m.From.Address)); err != nil {
			return nil, err
		}
	} else if !validMsgID(id) {
		return nil, fmt.Errorf("compose: Message-ID %q: %w", id, ErrInvalid)
	}
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	inReplyTo, refs := threading(m.Parent)

	var h header
	h.add("Date", date.Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	h.add("From", from)
	h.add("To", to)
	h.add("Subject", mime.QEncoding.Encode("utf-8", subject))
	h.add("Message-ID", "<"+id+">")
	if inReplyTo != "" {
		h.add("In-Reply-To", "<"+inReplyTo+">")
	}
	if len(refs) > 0 {
		h.add("References", "<"+strings.Join(refs, "> <")+">")
	}
	if m.Automatic {
		h.add("Auto-Submitted", "auto-replied")
		// Exchange and Outlook honour this instead of Auto-Submitted: no
		// out-of-office answer to an acknowledgement.
		h.add("X-Auto-Response-Suppress", "All")
	}
	h.add("MIME-Version", "1.0")
	h.add("Content-Type", "text/plain; charset=utf-8")
	h.add("Content-Transfer-Encoding", "quoted-printable")

	var b bytes.Buffer
	b.WriteString(h.String())
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b) // turns LF into CRLF, wraps at 76
	// One kind of line end: the encoder mishandles a CR alone.
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\r", "\n")
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, fmt.Errorf("compose: encode body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return nil, fmt.Errorf("compose: encode body: %w", err)
	}
	return b.Bytes(), nil
}

// NewMessageID returns a fresh message id (without angle brackets) at
// domain: 120 random bits, nothing of the time or the host, so the id
// tells a reader nothing but that it is unique.
func NewMessageID(domain string) (string, error) {
	if domain == "" {
		return "", fmt.Errorf("new Message-ID: no domain: %w", ErrInvalid)
	}
	var r [15]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", fmt.Errorf("new Message-ID: %w", err)
	}
	return strings.ToLower(base32.StdEncoding.EncodeToString(r[:])) + "@" + domain, nil
}

// threading gives In-Reply-To and References for a reply to p (RFC 5322
// section 3.6.4): the parent's References, or its single In-Reply-To when
// it has none, followed by its Message-ID. A parent without a Message-ID
// cannot be threaded to.
func threading(p Parent) (inReplyTo string, refs []string) {
	if !validMsgID(p.MessageID) {
		return "", nil
	}
	prior := p.References
	if len(prior) == 0 && len(p.InReplyTo) == 1 {
		prior = p.InReplyTo
	}
	seen := map[string]bool{p.MessageID: true}
	for _, id := range prior {
		if validMsgID(id) && !seen[id] {
			seen[id] = true
			refs = append(refs, id)
		}
	}
	refs = append(refs, p.MessageID)
	if len(refs) > maxReferences {
		refs = append(refs[:1], refs[len(refs)-maxReferences+1:]...)
	}
	return p.MessageID, refs
}

// validMsgID reports whether id can be written between angle brackets as
// it is: printable ASCII without spaces or brackets, and not too long.
func validMsgID(id string) bool {
	if id == "" || len(id) > maxMsgID {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c > '~' || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// formatAddress writes a as a header value: the display name on one line
// and RFC 2047 encoded where needed, an internationalised domain in its
// ASCII form. A non-ASCII local part would need SMTPUTF8, which okit does
// not use, and is an error.
//
// Errors never quote the address: they end up in logs.
func formatAddress(a mail.Address) (string, error) {
	addr, err := asciiAddress(a.Address)
	if err != nil {
		return "", err
	}
	name := strings.Join(strings.Fields(a.Name), " ")
	return (&mail.Address{Name: name, Address: addr}).String(), nil
}

func asciiAddress(s string) (string, error) {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", fmt.Errorf("not an address (local@domain): %w", ErrInvalid)
	}
	local, dom := s[:at], s[at+1:]
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return "", fmt.Errorf("address contains a space or control character: %w", ErrInvalid)
		}
	}
	for _, r := range local {
		if r >= utf8.RuneSelf {
			return "", fmt.Errorf("non-ASCII local part, which needs SMTPUTF8: %w", ErrInvalid)
		}
	}
	ascii, err := idna.Lookup.ToASCII(dom)
	if err != nil {
		// idna's error quotes the label: an address must not reach a log.
		return "", fmt.Errorf("address domain is not valid IDNA: %w", ErrInvalid)
	}
	return local + "@" + strings.ToLower(ascii), nil
}

// domain is the lower-cased, ASCII domain of an address; "" if it has none.
func domain(addr string) string {
	a, err := asciiAddress(addr)
	if err != nil {
		return ""
	}
	return a[strings.LastIndexByte(a, '@')+1:]
}
