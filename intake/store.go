package intake

import (
	"context"
	"errors"
	"time"

	"github.com/ncsszi/okit/replies"
	"github.com/ncsszi/okit/triage"
)

// Checkpoint is what the database knows of a mailbox: every UID up to
// LastUID under UIDValidity is stored (or deliberately left on the server).
type Checkpoint struct {
	UIDValidity uint32
	LastUID     uint32
}

// Record is one incoming message as intake hands it to the store: sealed
// content, keyed digests and metadata, never plaintext.
type Record struct {
	UID           uint32
	InternalDate  time.Time // the server's arrival time
	Size          int64
	RawSealed     []byte // nil when the message is left on the server
	SummarySealed []byte // a sealed Summary
	RawDigest     []byte
	SenderDigest  []byte // the From address's; nil for a null sender
	// ReplyToDigest and ReplyToSealed are the first Reply-To address's
	// digest and the address sealed, for answers; nil when the message
	// has no Reply-To other than its From.
	ReplyToDigest   []byte
	ReplyToSealed   []byte
	MessageIDDigest []byte   // nil when the message has no Message-ID
	RefDigests      [][]byte // In-Reply-To, then References newest first: at most MaxRefs
	Status          string   // ok, partial, failed or oversize
	Verdict         triage.Verdict
	Due             time.Time // first response due, by the verdict's priority
	// Auth is what the receiving server's Authentication-Results said of
	// the sender; Spam, which of its header fields marked the message as
	// spam ("" for none).
	Auth Auth
	Spam string
	// Recipient says whether the address an answer goes to (the
	// Reply-To, else the From: replies.AnswerField) may be written to at
	// all (replies.CheckRecipient); RecipientDomain is the digest of its
	// domain, for the hourly rate per domain. Set when okit acknowledges.
	Recipient       replies.AckReason
	RecipientDomain []byte
	// DaemonSender says the message came from a null or daemon sender
	// (replies.IsDaemon): only such a message may be a bounce.
	DaemonSender bool
	// Bounce is, for a delivery report, what it returned (see Thread).
	Bounce *Bounce
	// Earlier maps, after an index key rotation, each digest above as
	// the previous key made it to the current key's: the store looks
	// both up, and reads what it finds under the earlier as the current.
	Earlier map[string][]byte

	canary *canarySeen // one of okit's canaries: never stored
}

// AnswerDigest is the digest of the address an answer to the record
// goes to (replies.AnswerField): its Reply-To, else its From.
func (r *Record) AnswerDigest() []byte {
	if replies.AnswerField(r.ReplyToDigest != nil) == replies.FieldReplyTo {
		return r.ReplyToDigest
	}
	return r.SenderDigest
}

// Outcome is what the store did with one Record.
type Outcome struct {
	CaseID    int64
	CaseRef   string
	MessageID int64
	NewCase   bool
	Duplicate bool // the same raw message was already stored
	// AssigneeID is the operator the case is assigned to after this
	// message, 0 if nobody.
	AssigneeID int64
	// Unassigned is set when the case is a P1 and nobody on shift could
	// take it: an alert event is written, and intake logs and counts it.
	Unassigned bool
	// Related are, for a message that opened a case, the cases it may
	// belong to but did not join (see Thread): each gets a
	// possibly_related event, and the new case one naming it.
	Related []CaseLink
	// Bounced is, for an accepted delivery report, the outgoing reply it
	// returned: marked bounced.
	Bounced int64
	// AckAlert says the acknowledgement of this message passed an hourly
	// rate and raised the alert: intake logs and counts it.
	AckAlert bool
}

// ErrLocked means another okit process holds the mailbox.
var ErrLocked = errors.New("another okit process is taking in this mailbox")

// A Lock makes its process the only one taking in a mailbox, until it is
// released, or lost with its connection to the database (the process
// died, the database restarted, someone ended the connection): then Lost
// is closed, and another process may take the mailbox.
type Lock interface {
	Lost() <-chan struct{}
	Release()
}

// Store is the durable side of intake. A Save commits the records and the
// new checkpoint together, or nothing.
type Store interface {
	// LockMailbox takes the mailbox's Lock, or fails with ErrLocked when
	// another process holds it.
	LockMailbox(ctx context.Context, mailbox string) (Lock, error)
	// Checkpoint returns the mailbox's checkpoint, or ok=false for a mailbox
	// never seen.
	Checkpoint(ctx context.Context, mailbox string) (cp Checkpoint, ok bool, err error)
	// ResetCheckpoint records a new UIDVALIDITY: every message is looked at
	// again, and the raw digest keeps the ones already stored from being
	// stored twice.
	ResetCheckpoint(ctx context.Context, mailbox string, uidValidity uint32) error
	// Save stores the records in one transaction and advances the
	// checkpoint to cp. With ack, it decides by that policy whether each
	// stored message is acknowledged, and queues or records the answer in
	// the same transaction.
	Save(ctx context.Context, mailbox string, cp Checkpoint, recs []Record, ack *replies.AckPolicy) ([]Outcome, error)
	// LeftOnServer lists the UIDs of messages deliberately left in the
	// mailbox (over the size limit): they are not to be moved or deleted.
	LeftOnServer(ctx context.Context, mailbox string, uidValidity uint32) ([]uint32, error)
	// RaiseAlert writes an alert event about no case (data.alert is the
	// code, the rest of data codes and counts only): the supervisors'
	// banner shows it.
	RaiseAlert(ctx context.Context, alert string, data map[string]any) error
}
