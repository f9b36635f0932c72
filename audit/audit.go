// Package audit makes the event log tamper-evident. Each event is given a
// place in a chain: its sequence number and a hash of the previous link's
// hash, the sequence number and a canonical encoding of every column of the
// event. The database computes the links as events commit (migration
// 006_audit_chain.sql holds the same encoding in SQL); this package
// recomputes them and reports the first link that does not hold.
//
// A chain that verifies proves that no event was changed, removed or
// reordered after it was chained, unless someone rewrote every later link
// too. The head (the last sequence number and hash), written down outside
// the database and given back later as an expectation, catches that and a
// cut-off tail.
//
// The package is pure: no SQL, no I/O.
package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Event is one row of case_events, each column as the database prints it,
// so that the encoding depends on nothing Go parses.
type Event struct {
	ID         int64
	CaseID     *int64 // nil: an event about no case
	At         time.Time
	Kind       string
	Actor      string
	Data       string  // the jsonb column as text (data::text)
	RemoteAddr *string // the inet column as text (remote_addr::text); nil when NULL
}

// HashSize is the length of a link's hash.
const HashSize = sha256.Size

// Genesis is the hash before the first link.
var Genesis = make([]byte, HashSize)

// Encode returns the canonical encoding of e: the id, the case id, the time
// in microseconds since 1970 as big-endian 64-bit integers, and the texts
// with a 32-bit length before their UTF-8 bytes; a column that may be NULL
// is preceded by a byte, 0 for NULL and 1 for a value.
func Encode(e Event) []byte {
	b := make([]byte, 0, 64+len(e.Kind)+len(e.Actor)+len(e.Data))
	b = binary.BigEndian.AppendUint64(b, uint64(e.ID))
	if e.CaseID == nil {
		b = append(b, 0)
	} else {
		b = binary.BigEndian.AppendUint64(append(b, 1), uint64(*e.CaseID))
	}
	b = binary.BigEndian.AppendUint64(b, uint64(e.At.UnixMicro()))
	b = appendText(b, e.Kind)
	b = appendText(b, e.Actor)
	b = appendText(b, e.Data)
	if e.RemoteAddr == nil {
		b = append(b, 0)
	} else {
		b = appendText(append(b, 1), *e.RemoteAddr)
	}
	return b
}

func appendText(b []byte, s string) []byte {
	return append(binary.BigEndian.AppendUint32(b, uint32(len(s))), s...)
}

// Hash is the hash of the link at seq holding e, after the link whose hash
// is prev: SHA-256(prev ‖ seq ‖ Encode(e)).
func Hash(prev []byte, seq int64, e Event) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(seq)))
	h.Write(Encode(e))
	return h.Sum(nil)
}

// Head is the end of a chain: the last sequence number and its hash.
type Head struct {
	Seq  int64
	Hash []byte
}

// String writes the head as SEQ:HEXHASH, the form ParseHead reads.
func (h Head) String() string { return fmt.Sprintf("%d:%s", h.Seq, hex.EncodeToString(h.Hash)) }

// ParseHead reads SEQ:HEXHASH.
func ParseHead(s string) (Head, error) {
	seq, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	if !ok || err != nil || n < 1 {
		return Head{}, fmt.Errorf("%q is not SEQ:HEXHASH (a positive sequence number, a colon, %d hex bytes)", s, HashSize)
	}
	h, err := hex.DecodeString(hash)
	if err != nil || len(h) != HashSize {
		return Head{}, fmt.Errorf("%q is not SEQ:HEXHASH: the hash must be %d hex digits", s, 2*HashSize)
	}
	return Head{Seq: n, Hash: h}, nil
}
