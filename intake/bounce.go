package intake

import (
	"bufio"
	"bytes"
	"io"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// Bounce is what a delivery report says, as far as threading needs it:
// which message came back, and to whom it could not be delivered.
type Bounce struct {
	Returned   []byte   // the Message-ID digest of the returned message
	Recipients [][]byte // address digests of its Final-Recipient and Original-Recipient fields
}

// Limits on reading a delivery report: it is a few parts, and its status
// part a few fields per recipient.
const (
	bounceParts      = 50
	bounceRecipients = 20
	statusBytes      = 64 << 10
)

// BounceRecipients reads the recipients a delivery report names: the
// rfc822 (or utf-8) addresses of the Final-Recipient and
// Original-Recipient fields of its message/delivery-status part (RFC
// 3464, RFC 6533), lower-cased. It is called only for a message the
// parser found a returned message in, and reads the raw message again:
// the MIME parser keeps no report fields. Anything it cannot read counts
// as naming nobody, so that the report is not taken as a bounce.
func BounceRecipients(raw []byte) []string {
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && e == nil {
		return nil
	}
	var out []string
	parts := 0
	var walk func(e *message.Entity, depth int)
	walk = func(e *message.Entity, depth int) {
		if parts++; parts > bounceParts || depth > 3 {
			return
		}
		t, _, _ := e.Header.ContentType()
		switch {
		case t == "message/delivery-status" || t == "message/global-delivery-status":
			out = append(out, statusRecipients(io.LimitReader(e.Body, statusBytes))...)
		case strings.HasPrefix(t, "multipart/"):
			mr := e.MultipartReader()
			for mr != nil {
				p, err := mr.NextPart()
				if err != nil {
					return
				}
				walk(p, depth+1)
			}
		}
	}
	walk(e, 0)
	return out
}

// statusRecipients reads the recipient fields of a delivery-status body:
// blocks of header fields, the first about the message, each other about
// one recipient.
func statusRecipients(r io.Reader) []string {
	br := bufio.NewReader(r)
	var out []string
	for len(out) < bounceRecipients {
		h, err := textproto.ReadHeader(br)
		for _, name := range []string{"Final-Recipient", "Original-Recipient"} {
			for _, v := range h.Values(name) {
				typ, addr, ok := strings.Cut(v, ";")
				typ = strings.ToLower(strings.TrimSpace(typ))
				if ok && (typ == "rfc822" || typ == "utf-8") {
					if a := strings.ToLower(strings.Trim(strings.TrimSpace(addr), "<>")); a != "" {
						out = append(out, a)
					}
				}
			}
		}
		if err != nil {
			break
		}
		if _, err := br.Peek(1); err != nil {
			break
		}
	}
	return out
}
