package intake

import (
	"bytes"
	"slices"
	"strings"

	"github.com/ncsszi/okit/message"
	"github.com/ncsszi/okit/replies"
)

// threading starts a record with the digests that find its sender's case
// and let later replies find it, and, when okit acknowledges, whether the
// address an answer goes to may be written to at all: decided here, where
// the address is readable, and carried on as a code. A Reply-To that is
// the From is no second address.
func (in *Intake) threading(dg *recordDigests, sum message.Summary, replyTo string) Record {
	var rec Record
	if sum.FromAddr != "" {
		rec.SenderDigest = dg.AddressDigest(sum.FromAddr)
	}
	if replyTo != "" {
		if d := dg.AddressDigest(replyTo); !bytes.Equal(d, rec.SenderDigest) {
			rec.ReplyToDigest = d
		}
	}
	if in.cfg.Ack != nil {
		to := sum.FromAddr
		if replies.AnswerField(rec.ReplyToDigest != nil) == replies.FieldReplyTo {
			to = replyTo
		}
		rec.Recipient = replies.CheckRecipient(to, in.cfg.Ack.Own)
		if rec.Recipient == replies.AckOK {
			rec.RecipientDomain = dg.DomainDigest(to)
		}
	}
	if sum.MessageID != "" {
		rec.MessageIDDigest = dg.MessageIDDigest(sum.MessageID)
	}
	return rec
}

// refDigests are the digests of the message ids a message refers to, in
// the order threading reads them: In-Reply-To, then References newest
// first, each once, at most MaxRefs.
func (in *Intake) refDigests(dg *recordDigests, inReplyTo, references []string) [][]byte {
	ids := slices.Clone(inReplyTo)
	for _, id := range slices.Backward(references) {
		ids = append(ids, id)
	}
	var ds [][]byte
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		if len(ds) == MaxRefs {
			break
		}
		seen[id] = true
		ds = append(ds, dg.MessageIDDigest(id))
	}
	return ds
}

// vouch records what the receiving server said of the sender (its
// Authentication-Results, under OKIT_AUTHSERV_ID) and of spam, whether the
// sender is a mail system's own, and, for a delivery report, what it
// returned and to whom: what Thread and the acknowledgement policy read.
func (in *Intake) vouch(dg *recordDigests, rec *Record, msg *message.Message, raw []byte) {
	rec.Auth = ReadAuth(msg.Header["Authentication-Results"], in.cfg.AuthservID, msg.From.Addr)
	rec.Spam = Spam(msg.Header)
	rec.DaemonSender = replies.IsDaemon(msg.From.Addr) || returnPathNull(msg.Header["Return-Path"])
	if msg.Returned != "" {
		rec.Bounce = &Bounce{Returned: dg.MessageIDDigest(msg.Returned)}
		for _, a := range BounceRecipients(raw) {
			rec.Bounce.Recipients = append(rec.Bounce.Recipients, dg.AddressDigest(a))
		}
	}
}

// returnPathNull reports whether the envelope sender, as the delivering
// server recorded it, was null (<>): a delivery report's.
func returnPathNull(vs []string) bool {
	return len(vs) > 0 && strings.Trim(strings.TrimSpace(vs[0]), "<> ") == ""
}
