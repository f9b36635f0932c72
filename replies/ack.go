package replies

import (
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ncsszi/okit/intake"
	"github.com/ncsszi/okit/triage"
)

// AckArgs is the job that acknowledges one incoming message. Like every
// job payload it carries an id only: no address, no text.
type AckArgs struct {
	OutgoingID int64 `json:"outgoing_id"`
}

// Kind names the job for the queue.
func (AckArgs) Kind() string { return "okit_ack" }

// AckFacts is what the worker learns of an acknowledgement to send.
type AckFacts struct {
	CaseID        int64
	State         string // queued, composed, sent, failed or suppressed
	Language      string // the case's
	Flags         []triage.Flag
	SummarySealed []byte    // the writer's message's summary
	CopySealed    []byte    // the composed acknowledgement, once composed
	LastAck       time.Time // the case's latest other acknowledgement; zero if none
}

// AckCopy is a composed acknowledgement, sealed, as it is stored.
type AckCopy struct {
	Sealed          []byte
	SummarySealed   []byte
	RawDigest       []byte
	MessageIDDigest []byte
	Size            int64
}

// AckStore is what acknowledging needs of the database.
type AckStore interface {
	AckFacts(ctx context.Context, outgoingID int64) (AckFacts, error)
	// RecordDecryption writes, before it happens, that actor opens sealed
	// content of the case.
	RecordDecryption(ctx context.Context, caseIDs []int64, actor, purpose string) error
	// SuppressAck records that no acknowledgement goes out, and why.
	SuppressAck(ctx context.Context, outgoingID int64, reason string) error
	// StoreAck stores the composed copy, unless the case got another
	// acknowledgement within window meanwhile (then it returns false).
	StoreAck(ctx context.Context, outgoingID int64, c AckCopy, window time.Duration) (bool, error)
	AckSent(ctx context.Context, outgoingID int64) error
	AckFailed(ctx context.Context, outgoingID int64, reason string) error
}

// Sealing is what acknowledging needs of the keys: it reads the writer's
// summary and seals its own copy.
type Sealing interface {
	Open(sealed []byte) ([]byte, error)
	SealTogether(plains ...[]byte) ([][]byte, error)
}

// Digests are the keyed digests a stored copy needs.
type Digests interface {
	RawDigest(raw []byte) []byte
	MessageIDDigest(id string) []byte
}

// AckWorker sends automatic acknowledgements.
type AckWorker struct {
	river.WorkerDefaults[AckArgs]
	Store     AckStore
	Keys      Sealing
	Digests   Digests
	Templates *Templates
	Sender    Sender
	From      mail.Address
	Own       []string // the service's addresses: From and the mailbox's
	Window    time.Duration
	Log       *slog.Logger
	Now       func() time.Time
}

// Work decides, composes, stores and sends one acknowledgement. It may run
// more than once for a job (a retry after a temporary failure, or after a
// crash): what was composed is sent again byte for byte; what was sent or
// suppressed is left alone. A crash after the SMTP server accepted the
// mail and before AckSent is recorded sends it a second time: the one
// duplicate okit cannot rule out.
func (w *AckWorker) Work(ctx context.Context, job *river.Job[AckArgs]) error {
	id := job.Args.OutgoingID
	f, err := w.Store.AckFacts(ctx, id)
	if err != nil {
		return err
	}
	if f.State != "queued" && f.State != "composed" {
		return nil
	}
	if err := w.Store.RecordDecryption(ctx, []int64{f.CaseID}, "replies", "acknowledgement"); err != nil {
		return err
	}
	plain, err := w.Keys.Open(f.SummarySealed)
	if err != nil {
		return fmt.Errorf("open summary: %w", err)
	}
	sum, err := intake.UnmarshalSummary(plain)
	if err != nil {
		return fmt.Errorf("read summary: %w", err)
	}
	var raw []byte
	if f.State == "composed" {
		if raw, err = w.Keys.Open(f.CopySealed); err != nil {
			return fmt.Errorf("open stored acknowledgement: %w", err)
		}
	} else {
		ok, reason := MayAcknowledge(AckInput{To: sum.FromAddr, Flags: f.Flags, Own: w.Own, LastAck: f.LastAck, Now: w.Now(), Window: w.Window})
		if !ok {
			w.Log.Info("acknowledgement not sent", slog.Int64("outgoing", id), slog.String("reason", reason))
			return w.Store.SuppressAck(ctx, id, reason)
		}
		var c AckCopy
		if raw, c, err = w.compose(f, sum); err != nil {
			return err
		}
		stored, err := w.Store.StoreAck(ctx, id, c, w.Window)
		if err != nil {
			return err
		}
		if !stored {
			return nil // another message of the case was acknowledged meanwhile
		}
	}
	if err := w.Sender.Send(ctx, w.From.Address, sum.FromAddr, raw); err != nil {
		if Temporary(err) {
			return err // the queue retries with backoff
		}
		w.Log.Error("acknowledgement refused by the mail server", slog.Int64("outgoing", id), slog.Any("err", err))
		if ferr := w.Store.AckFailed(ctx, id, "smtp_permanent"); ferr != nil {
			return ferr
		}
		return river.JobCancel(err)
	}
	return w.Store.AckSent(ctx, id)
}

// compose renders, composes and seals the acknowledgement.
func (w *AckWorker) compose(f AckFacts, sum intake.Summary) ([]byte, AckCopy, error) {
	subject, body, err := w.Templates.Render(TemplateAck, f.Language, Data{Name: firstName(sum.FromName), Subject: sum.Subject})
	if err != nil {
		return nil, AckCopy{}, err
	}
	_, domain, _ := strings.Cut(w.From.Address, "@")
	msgID, err := NewMessageID(domain)
	if err != nil {
		return nil, AckCopy{}, err
	}
	raw, err := Compose(Outgoing{
		From: w.From, To: mail.Address{Name: sum.FromName, Address: sum.FromAddr},
		Subject: subject, Body: body, Automatic: true, MessageID: msgID,
		Parent: Parent{MessageID: sum.MessageID},
	})
	if err != nil {
		return nil, AckCopy{}, err
	}
	copySum := intake.Summarize(&intake.Message{MessageID: msgID, Subject: subject, Text: body,
		From: intake.Address{Name: w.From.Name, Addr: w.From.Address}})
	sealed, err := w.Keys.SealTogether(raw, copySum.Marshal())
	if err != nil {
		return nil, AckCopy{}, err
	}
	return raw, AckCopy{Sealed: sealed[0], SummarySealed: sealed[1], RawDigest: w.Digests.RawDigest(raw),
		MessageIDDigest: w.Digests.MessageIDDigest(msgID), Size: int64(len(raw))}, nil
}

// firstName greets by the first word of a display name ("Kovács Anna" is
// family name first in Hungarian, so only a single-word name is used).
func firstName(name string) string {
	if f := strings.Fields(name); len(f) == 1 {
		return f[0]
	}
	return ""
}
