package replies

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ncsszi/okit/message"
)

// ReplyArgs is the job that sends one reply: an automatic acknowledgement,
// an operator's answer or a crisis-home contact. Like every job payload it
// carries an id only: no address, no text.
type ReplyArgs struct {
	OutgoingID int64 `json:"outgoing_id"`
}

// Kind names the job for the queue.
func (ReplyArgs) Kind() string { return "okit_reply" }

// ReplyFacts is what the worker learns of a reply to send.
type ReplyFacts struct {
	CaseID        int64
	Kind          Kind
	Template      string
	Operator      string // the first name an operator signs with; "" for an acknowledgement
	TextSealed    []byte // an operator's own words, sealed; nil if none
	HomePhone     string // a crisis home's intake phone, for crisis_home
	HomeLabel     string // whom to ask for there
	State         State
	Language      string // the case's
	SummarySealed []byte // the writer's message's summary
	CopySealed    []byte // the composed reply, once composed
	// ToField and ToSealed are where the reply goes: the From of a
	// message of the case (ToSealed is that message's sealed summary) or
	// its Reply-To (ToSealed is the sealed address).
	ToField  Field
	ToSealed []byte
}

// ReplyCopy is a composed reply, sealed, as it is stored.
type ReplyCopy struct {
	Sealed          []byte
	SummarySealed   []byte
	RawDigest       []byte
	MessageIDDigest []byte
	Size            int64
}

// ReplyStore is what sending replies needs of the database.
type ReplyStore interface {
	ReplyFacts(ctx context.Context, outgoingID int64) (ReplyFacts, error)
	// RecordDecryption writes, before it happens, that actor opens sealed
	// content of the case.
	RecordDecryption(ctx context.Context, caseIDs []int64, actor, purpose string) error
	// SuppressReply records that the reply does not go out, and why.
	SuppressReply(ctx context.Context, outgoingID int64, reason AckReason) error
	// StoreReply stores the composed copy of a queued reply; false when an
	// earlier run of the job stored it already.
	StoreReply(ctx context.Context, outgoingID int64, c ReplyCopy) (bool, error)
	ReplySent(ctx context.Context, outgoingID int64) error
	ReplyFailed(ctx context.Context, outgoingID int64, reason string) error
}

// Sealing is what replying needs of the keys: it reads the writer's
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

// Worker sends replies: acknowledgements, answers and crisis-home contacts.
type Worker struct {
	river.WorkerDefaults[ReplyArgs]
	Store     ReplyStore
	Keys      Sealing
	Digests   Digests
	Templates *Templates
	Sender    Sender
	From      mail.Address
	Own       []string // the service's addresses: From and the mailbox's
	Log       *slog.Logger
	Now       func() time.Time
}

// Work decides, composes, stores and sends one reply. It may run more
// than once for a job (a retry after a temporary failure, or after a
// crash): what was composed is sent again byte for byte; what was sent or
// suppressed is left alone. A crash after the SMTP server accepted the
// mail and before ReplySent is recorded sends it a second time: the one
// duplicate okit cannot rule out.
func (w *Worker) Work(ctx context.Context, job *river.Job[ReplyArgs]) error {
	id := job.Args.OutgoingID
	f, err := w.Store.ReplyFacts(ctx, id)
	if err != nil {
		return err
	}
	if !f.State.Pending() {
		return nil
	}
	if err := w.Store.RecordDecryption(ctx, []int64{f.CaseID}, "replies", string(f.Kind)); err != nil {
		return err
	}
	plain, err := w.Keys.Open(f.SummarySealed)
	if err != nil {
		return fmt.Errorf("open summary: %w", err)
	}
	sum, err := message.UnmarshalSummary(plain)
	if err != nil {
		return fmt.Errorf("read summary: %w", err)
	}
	to, err := w.addressee(f, sum)
	if err != nil {
		return err
	}
	var raw []byte
	if f.State == StateComposed {
		if raw, err = w.Keys.Open(f.CopySealed); err != nil {
			return fmt.Errorf("open stored reply: %w", err)
		}
	} else {
		// An acknowledgement was decided on when its message was stored
		// (AckPolicy.Decide). An operator's reply was their decision; the
		// address still keeps it from a noreply or our own mailbox. An
		// address that cannot be written to fails at once, whatever the
		// reply: retrying would not mend it.
		if reason := CheckRecipient(to.Address, w.Own); reason != AckOK && (!f.Kind.Automatic() || reason.State() == StateFailed) {
			return w.refuse(ctx, f, id, reason)
		}
		var c ReplyCopy
		if raw, c, err = w.compose(f, sum, to); errors.Is(err, ErrInvalid) {
			w.Log.Error("reply cannot be composed", slog.String("kind", string(f.Kind)), slog.Int64("outgoing", id), slog.Any("err", err))
			return w.Store.ReplyFailed(ctx, id, "invalid")
		}
		if err != nil {
			return err
		}
		stored, err := w.Store.StoreReply(ctx, id, c)
		if err != nil {
			return err
		}
		if !stored {
			return nil // an earlier run of the job composed it, and sends it
		}
	}
	if err := w.Sender.Send(ctx, w.From.Address, to.Address, raw); err != nil {
		if Temporary(err) {
			return err // the queue retries with backoff
		}
		w.Log.Error("reply refused by the mail server", slog.String("kind", string(f.Kind)), slog.Int64("outgoing", id), slog.Any("err", err))
		if ferr := w.Store.ReplyFailed(ctx, id, "smtp_permanent"); ferr != nil {
			return ferr
		}
		return river.JobCancel(err)
	}
	return w.recordSent(ctx, id)
}

// sentRecordWait is how long a reply the mail server accepted waits for
// the database to record it: a job that failed there would be retried and
// send the reply a second time.
const sentRecordWait = 30 * time.Second

// recordSent records that the mail server accepted the reply, waiting
// out a database that is away for a moment (a restart, a failover).
func (w *Worker) recordSent(ctx context.Context, id int64) error {
	wait, waited := 250*time.Millisecond, time.Duration(0)
	for {
		err := w.Store.ReplySent(ctx, id)
		if err == nil || waited >= sentRecordWait {
			return err
		}
		w.Log.Warn("reply accepted by the mail server but not yet recorded: trying again", slog.Int64("outgoing", id), slog.Any("err", err))
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		waited += wait
		wait = min(2*wait, 4*time.Second)
	}
}

// addressee opens where the reply goes: the From (with its name) of the
// message ToSealed summarises, or a Reply-To address.
func (w *Worker) addressee(f ReplyFacts, answered message.Summary) (mail.Address, error) {
	plain, err := w.Keys.Open(f.ToSealed)
	if err != nil {
		return mail.Address{}, fmt.Errorf("open the reply's address: %w", err)
	}
	if f.ToField == FieldReplyTo {
		return mail.Address{Address: string(plain)}, nil
	}
	sum, err := message.UnmarshalSummary(plain)
	if err != nil {
		return mail.Address{}, fmt.Errorf("read the reply's address: %w", err)
	}
	if sum.FromAddr != answered.FromAddr {
		sum.FromName = "" // a name is greeted only on the address it came with
	}
	return mail.Address{Name: sum.FromName, Address: sum.FromAddr}, nil
}

// refuse records a reply that does not go out: failed for an address
// that cannot be written to, else suppressed. The log names the reason,
// never the address.
func (w *Worker) refuse(ctx context.Context, f ReplyFacts, id int64, reason AckReason) error {
	w.Log.Info("reply not sent", slog.String("kind", string(f.Kind)), slog.Int64("outgoing", id), slog.String("reason", string(reason)))
	if reason.State() == StateFailed {
		return w.Store.ReplyFailed(ctx, id, string(reason))
	}
	return w.Store.SuppressReply(ctx, id, reason)
}

// compose renders, composes and seals the reply to the address to.
func (w *Worker) compose(f ReplyFacts, sum message.Summary, to mail.Address) ([]byte, ReplyCopy, error) {
	data := DataFor(sum, f.Operator)
	data.HomePhone, data.HomeLabel = f.HomePhone, f.HomeLabel
	if f.TextSealed != nil {
		text, err := w.Keys.Open(f.TextSealed)
		if err != nil {
			return nil, ReplyCopy{}, fmt.Errorf("open the operator's text: %w", err)
		}
		data.Text = string(text)
	}
	subject, body, err := w.Templates.Render(f.Template, f.Language, data)
	if err != nil {
		return nil, ReplyCopy{}, err
	}
	_, domain, _ := strings.Cut(w.From.Address, "@")
	msgID, err := NewMessageID(domain)
	if err != nil {
		return nil, ReplyCopy{}, err
	}
	raw, err := Compose(Outgoing{
		From: w.From, To: to,
		Subject: subject, Body: body, Automatic: f.Kind.Automatic(), MessageID: msgID,
		Parent: Parent{MessageID: sum.MessageID},
	})
	if err != nil {
		return nil, ReplyCopy{}, err
	}
	copySum := message.Summarize(&message.Message{MessageID: msgID, Subject: subject, Text: body,
		From: message.Address{Name: w.From.Name, Addr: w.From.Address}})
	sealed, err := w.Keys.SealTogether(raw, copySum.Marshal())
	if err != nil {
		return nil, ReplyCopy{}, err
	}
	return raw, ReplyCopy{Sealed: sealed[0], SummarySealed: sealed[1], RawDigest: w.Digests.RawDigest(raw),
		MessageIDDigest: w.Digests.MessageIDDigest(msgID), Size: int64(len(raw))}, nil
}

// DataFor is what a reply to the message of summary sum, signed by
// operator, is rendered with: the console's preview uses it too, so that
// it shows the mail that will be sent.
func DataFor(sum message.Summary, operator string) Data {
	return Data{Name: firstName(sum.FromName), Subject: sum.Subject, Operator: operator}
}

// firstName greets by the first word of a display name ("Kovács Anna" is
// family name first in Hungarian, so only a single-word name is used).
func firstName(name string) string {
	if f := strings.Fields(name); len(f) == 1 {
		return f[0]
	}
	return ""
}

// ReminderArgs is the job that reminds an operator, some time after a
// crisis-home contact, if the writer has not written since.
type ReminderArgs struct {
	OutgoingID int64 `json:"outgoing_id"`
}

// Kind names the job for the queue.
func (ReminderArgs) Kind() string { return "okit_reminder" }

// ReminderStore is what reminding needs of the database.
type ReminderStore interface {
	// Remind records a reminder on the case unless the writer wrote after
	// the contact; it returns the case's reference and whether it did.
	Remind(ctx context.Context, outgoingID int64) (caseRef string, reminded bool, err error)
}

// ReminderWorker reminds operators of crisis-home contacts left unanswered.
type ReminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	Store ReminderStore
	Log   *slog.Logger
}

// Work records the reminder (an event the console shows the case's
// operator) and logs it.
func (w *ReminderWorker) Work(ctx context.Context, job *river.Job[ReminderArgs]) error {
	ref, reminded, err := w.Store.Remind(ctx, job.Args.OutgoingID)
	if err != nil {
		return err
	}
	if reminded {
		w.Log.Warn("reminder: the writer has not answered since the crisis-home contact", slog.String("case", ref))
	}
	return nil
}
