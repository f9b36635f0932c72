package replies

import (
	"bytes"
	"slices"
)

// Field names the header of a stored message an address was read from.
// A case's writer addresses, and the address of every reply, are named
// this way: the From or the Reply-To of one of its messages.
type Field string

const (
	FieldFrom    Field = "from"
	FieldReplyTo Field = "reply_to"
)

// AnswerField is where mail programs send an answer to a message: its
// Reply-To when it has one, else its From.
func AnswerField(hasReplyTo bool) Field {
	if hasReplyTo {
		return FieldReplyTo
	}
	return FieldFrom
}

// DefaultAddressee is the one rule for where an answer goes when nobody
// picks: to the address a mail program would answer the message at
// (AnswerField), if the message came from one of the case's writer
// addresses and that address is one too. Otherwise ok is false: the
// message came from, or asks for answers at, an address that does not
// belong to the case, and a person must pick one (an automatic
// acknowledgement is not sent). from and replyTo are the message's
// address digests (nil when it has none), writers the case's.
func DefaultAddressee(from, replyTo []byte, writers [][]byte) (f Field, ok bool) {
	isWriter := func(d []byte) bool {
		return slices.ContainsFunc(writers, func(w []byte) bool { return bytes.Equal(w, d) })
	}
	f, d := FieldFrom, from
	if replyTo != nil {
		f, d = FieldReplyTo, replyTo
	}
	return f, d != nil && isWriter(d) && (from == nil || isWriter(from))
}
