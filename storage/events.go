package storage

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/jackc/pgx/v5"
)

// EventKind names what happened to a case, or in the console. The
// names are stored in the append-only log and never change; a kind that
// is no longer written (ack_sent and ack_suppressed, which named every
// reply an acknowledgement) stays readable in the console's catalogs.
type EventKind string

// Event kinds written by intake and the console. Other parts of okit add
// their own next to the code that writes them.
const (
	EventCaseOpened      EventKind = "case_opened"
	EventCaseReopened    EventKind = "case_reopened"
	EventCaseClosed      EventKind = "case_closed"
	EventMessageReceived EventKind = "message_received"
	EventMessageTooLarge EventKind = "message_left_on_server"
	EventNoteAdded       EventKind = "note_added"
)

// Event kinds of reading: they change nothing, so the console is not told
// of them (see the notify trigger), but they are the audit trail's record
// of who read what.
const (
	EventSummaryOpened        EventKind = "summary_decrypted"
	EventCaseViewed           EventKind = "case_viewed"
	EventAttachmentDownloaded EventKind = "attachment_downloaded"
)

// Event is one entry of the event log. Data holds ids and codes only.
type Event struct {
	ID         int64
	CaseID     int64 // 0 for an event about no case (a login)
	At         time.Time
	Kind       EventKind
	Actor      string
	RemoteAddr string // the console user's address; "" for the command line and okit itself
	Data       map[string]any
}

// Events returns a case's history, oldest first.
func (s *Store) Events(ctx context.Context, caseID int64) ([]Event, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+eventColumns+` FROM case_events WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	evs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Event])
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return evs, nil
}

const eventColumns = `id, coalesce(case_id, 0), at, kind, actor, coalesce(host(remote_addr), ''), data`

type remoteAddrKey struct{}

// WithRemoteAddr tells the events written under ctx where the request that
// caused them came from: the console sets it for each request.
func WithRemoteAddr(ctx context.Context, addr netip.Addr) context.Context {
	return context.WithValue(ctx, remoteAddrKey{}, addr)
}

// remoteAddr is the address WithRemoteAddr put in ctx, or nil.
func remoteAddr(ctx context.Context) any {
	if a, ok := ctx.Value(remoteAddrKey{}).(netip.Addr); ok && a.IsValid() {
		return a
	}
	return nil
}

// events collects events to write in one statement.
type events struct {
	caseIDs []*int64
	kinds   []EventKind
	data    []map[string]any
}

func (e *events) add(caseID int64, kind EventKind, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	var id *int64
	if caseID != 0 {
		id = &caseID
	}
	e.caseIDs = append(e.caseIDs, id)
	e.kinds = append(e.kinds, kind)
	e.data = append(e.data, data)
}

// write inserts the collected events in tx, as of at.
func (e *events) write(ctx context.Context, tx pgx.Tx, actor string, at time.Time) error {
	b := &pgx.Batch{}
	e.queue(ctx, b, actor, at)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("add events: %w", err)
	}
	return nil
}

// queue adds the insert of the collected events, in order, as of at, to b.
func (e *events) queue(ctx context.Context, b *pgx.Batch, actor string, at time.Time) {
	if len(e.caseIDs) == 0 {
		return
	}
	b.Queue(`INSERT INTO case_events (case_id, kind, actor, data, remote_addr, at)
		SELECT c, k, $4, d, $5, $6 FROM unnest($1::bigint[], $2::text[], $3::jsonb[]) WITH ORDINALITY AS t(c, k, d, n) ORDER BY n`,
		e.caseIDs, e.kinds, e.data, actor, remoteAddr(ctx), at)
}

// Event kinds about no case: people signing in and out, users and exports.
const (
	EventLogin         EventKind = "login"
	EventLoginFailed   EventKind = "login_failed"
	EventLogout        EventKind = "logout"
	EventUserAdded     EventKind = "user_added"
	EventUserChanged   EventKind = "user_changed"
	EventUserDisabled  EventKind = "user_disabled"
	EventUserEnabled   EventKind = "user_enabled"
	EventPasswordSet   EventKind = "password_set"
	EventTOTPEnrolled  EventKind = "totp_enrolled"
	EventTOTPReset     EventKind = "totp_reset"
	EventExport        EventKind = "export"
	EventShelterUpdate EventKind = "shelter_updated"
)

// Record writes one event about no case, such as a login.
func (s *Store) Record(ctx context.Context, kind EventKind, actor string, data map[string]any) error {
	return s.RecordOn(ctx, 0, kind, actor, data)
}

// RecordOn writes one event about a case, such as a console user opening
// it, before they see what it records them seeing.
func (s *Store) RecordOn(ctx context.Context, caseID int64, kind EventKind, actor string, data map[string]any) error {
	var ev events
	ev.add(caseID, kind, data)
	return s.InTx(ctx, func(tx pgx.Tx) error { return ev.write(ctx, tx, actor, s.now()) })
}
