package intake

import (
	"context"
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
	UID             uint32
	InternalDate    time.Time // the server's arrival time
	Size            int64
	RawSealed       []byte // nil when the message is left on the server
	SummarySealed   []byte // a sealed Summary
	RawDigest       []byte
	SenderDigest    []byte   // nil for a null sender
	MessageIDDigest []byte   // nil when the message has no Message-ID
	RefDigests      [][]byte // In-Reply-To and References, for threading
	Status          string   // ok, partial, failed or oversize
	Verdict         triage.Verdict
	Due             time.Time // first response due, by the verdict's priority
	// Recipient says whether the sender's address may be written to
	// (replies.CheckRecipient); set when okit acknowledges.
	Recipient replies.AckReason
	// Bounce is, for a delivery report, the Message-ID digest of the
	// message that came back: if it is one of ours, it bounced.
	Bounce []byte
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
}

// Store is the durable side of intake. A Save commits the records and the
// new checkpoint together, or nothing.
type Store interface {
	// LockMailbox makes this process the only one taking in the mailbox
	// until release is called or the process dies.
	LockMailbox(ctx context.Context, mailbox string) (release func(), err error)
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
}
