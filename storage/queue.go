package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Queue views: which cases the console's queue shows.
const (
	ViewOpen       = "open"       // every open case
	ViewMine       = "mine"       // open cases assigned to the user
	ViewUnassigned = "unassigned" // open cases nobody holds
	ViewFlagged    = "flagged"    // open cases with a flag, a breach or a reminder
	ViewClosed     = "closed"     // closed cases, latest first
	// ViewHandOver is the open cases of the user that ending their shift
	// would hand to colleagues (not offered in the queue's views).
	ViewHandOver = "handover"
	// ViewUrgent is the open P1 and P2 cases still waiting for a first
	// answer, longest waiting first; ViewBreaching those of any priority
	// past their due time unanswered. The supervisors' page of the
	// present shows them.
	ViewUrgent    = "urgent"
	ViewBreaching = "breaching"
)

// QueueFilter chooses the cases of a queue page.
type QueueFilter struct {
	View     string
	UserID   int64  // whose cases "mine" shows
	Category string // only cases of this category, if set
	// IDs, when set, are the cases to show whatever their status and
	// the view (the search's results), in no particular order.
	IDs    []int64
	Limit  int
	Offset int
}

// QueueItem is one row of the queue: the case and the sealed summary of its
// writer's latest message, the only thing the queue decrypts.
type QueueItem struct {
	Case
	Language      string
	SummarySealed []byte // nil for a case with no incoming message
	Reminder      bool   // a crisis-home contact is unanswered past its reminder
}

// Queue returns a page of cases for the console, most urgent first: by
// priority, then the sooner due; closed cases latest first.
func (s *Store) Queue(ctx context.Context, f QueueFilter) ([]QueueItem, error) {
	where, order := `c.status = 'open'`, `c.priority, c.due_at NULLS LAST, c.id`
	args := []any{f.Limit, f.Offset}
	switch {
	case f.IDs != nil:
		args = append(args, f.IDs)
		where = `c.id = ANY($3)`
	case f.View == ViewMine:
		args = append(args, f.UserID)
		where += ` AND c.assignee_id = $3`
	case f.View == ViewHandOver:
		args = append(args, f.UserID)
		where += ` AND ` + unansweredOf("$3")
	case f.View == ViewUrgent:
		where, order = where+` AND c.priority <= 2 AND c.first_response_at IS NULL`, `c.first_received, c.id`
	case f.View == ViewBreaching:
		where, order = where+` AND c.first_response_at IS NULL AND (c.breached_at IS NOT NULL OR c.due_at < now())`, `c.due_at, c.id`
	case f.View == ViewUnassigned:
		where += ` AND c.assignee_id IS NULL`
	case f.View == ViewFlagged:
		where += ` AND (c.flags <> '{}' OR c.breached_at IS NOT NULL OR EXISTS (SELECT 1 FROM case_events r
			WHERE r.case_id = c.id AND r.kind = 'reminder' AND r.at > c.last_received))`
	case f.View == ViewClosed:
		where, order = `c.status = 'closed'`, `c.closed_at DESC, c.id DESC`
	}
	if f.Category != "" {
		args = append(args, f.Category)
		where += fmt.Sprintf(` AND c.categories @> ARRAY[$%d::text]`, len(args))
	}
	rows, err := s.pool.Query(ctx, `
		SELECT c.id, c.ref, c.status,
			(SELECT count(*) FROM messages m WHERE m.case_id = c.id)::int,
			c.first_received, c.last_received, c.priority, c.categories, c.flags,
			coalesce(u.username, ''), c.due_at, c.breached_at IS NOT NULL,
			c.language, last.summary_sealed,
			EXISTS (SELECT 1 FROM case_events r WHERE r.case_id = c.id AND r.kind = 'reminder' AND r.at > c.last_received)
		FROM cases c LEFT JOIN users u ON u.id = c.assignee_id
		LEFT JOIN LATERAL (SELECT m.summary_sealed FROM messages m WHERE m.case_id = c.id AND m.direction = 'in'
			ORDER BY m.internal_date DESC, m.id DESC LIMIT 1) last ON true
		WHERE `+where+` ORDER BY `+order+` LIMIT $1 OFFSET $2`, args...)
	if err != nil {
		return nil, fmt.Errorf("read queue: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (QueueItem, error) {
		var q QueueItem
		c := &q.Case
		err := r.Scan(&c.ID, &c.Ref, &c.Status, &c.Messages, &c.FirstReceived, &c.LastReceived, &c.Priority, &c.Categories,
			&c.Flags, &c.Assignee, &c.Due, &c.Breached, &q.Language, &q.SummarySealed, &q.Reminder)
		return q, err
	})
	if err != nil {
		return nil, fmt.Errorf("read queue: %w", err)
	}
	return items, nil
}

// CaseDetail is everything the case page shows but the sealed texts.
type CaseDetail struct {
	Case
	Language      string
	PrioritySetBy string
	FirstResponse *time.Time
	ClosedAt      *time.Time
	PurgedAt      *time.Time // its sealed content was removed by the retention purge
	AssigneeID    int64
	MergedInto    string // the case it was merged into, if it was
}

// CaseID is the id of the case of ref.
func (s *Store) CaseID(ctx context.Context, ref string) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT id FROM cases WHERE ref = $1`, ref).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("case %s: %w", ref, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("read case %s: %w", ref, err)
	}
	return id, nil
}

// CaseByRef reads one case.
func (s *Store) CaseByRef(ctx context.Context, ref string) (CaseDetail, error) {
	var d CaseDetail
	c := &d.Case
	err := s.pool.QueryRow(ctx, `
		SELECT c.id, c.ref, c.status, (SELECT count(*) FROM messages m WHERE m.case_id = c.id)::int,
			c.first_received, c.last_received, c.priority, c.categories, c.flags,
			coalesce(u.username, ''), c.due_at, c.breached_at IS NOT NULL,
			c.language, coalesce(c.priority_set_by, ''), c.first_response_at, c.closed_at, c.purged_at, coalesce(c.assignee_id, 0),
			coalesce(mi.ref, '')
		FROM cases c LEFT JOIN users u ON u.id = c.assignee_id LEFT JOIN cases mi ON mi.id = c.merged_into WHERE c.ref = $1`, ref).Scan(
		&c.ID, &c.Ref, &c.Status, &c.Messages, &c.FirstReceived, &c.LastReceived, &c.Priority, &c.Categories, &c.Flags,
		&c.Assignee, &c.Due, &c.Breached, &d.Language, &d.PrioritySetBy, &d.FirstResponse, &d.ClosedAt, &d.PurgedAt, &d.AssigneeID,
		&d.MergedInto)
	if err == pgx.ErrNoRows {
		return d, fmt.Errorf("case %s: %w", ref, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("read case %s: %w", ref, err)
	}
	return d, nil
}

// StoredMessage is a message of a case with its sealed raw bytes.
type StoredMessage struct {
	MessageSummary
	RawSealed  []byte // nil for a message left on the server
	Categories []string
	Language   string
	// RaisedFrom is the rules' priority when the second opinion raised
	// it (0 when it did not), by model RaisedModel with probability
	// RaisedP.
	RaisedFrom  int
	RaisedModel int
	RaisedP     float32
}

// Messages returns a case's messages, both directions, oldest first.
func (s *Store) Messages(ctx context.Context, caseID int64) ([]StoredMessage, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT `+messageSummaryColumns+`, raw_sealed, categories, coalesce(language, ''),
			coalesce(raised_from, 0), coalesce(raised_model, 0), coalesce(raised_p, 0)
		FROM messages WHERE case_id = $1 ORDER BY internal_date, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (StoredMessage, error) {
		var m StoredMessage
		err := r.Scan(&m.ID, &m.CaseID, &m.Direction, &m.InternalDate, &m.Size, &m.ParseStatus, &m.SummarySealed,
			&m.Priority, &m.Flags, &m.Rules, &m.ReplyToSealed, &m.SenderVerified, &m.SPF, &m.DKIM, &m.DMARC, &m.Spam,
			&m.RawSealed, &m.Categories, &m.Language, &m.RaisedFrom, &m.RaisedModel, &m.RaisedP)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	return ms, nil
}

// RawMessage returns the sealed raw bytes of one message of a case, and
// the case's id; ErrNotFound when the case has no such message or its
// bytes are not stored (left on the server, or purged).
func (s *Store) RawMessage(ctx context.Context, ref string, messageID int64) (caseID int64, sealed []byte, err error) {
	err = s.pool.QueryRow(ctx, `SELECT c.id, m.raw_sealed FROM messages m JOIN cases c ON c.id = m.case_id
		WHERE c.ref = $1 AND m.id = $2 AND m.raw_sealed IS NOT NULL`, ref, messageID).Scan(&caseID, &sealed)
	if err == pgx.ErrNoRows {
		return 0, nil, fmt.Errorf("message %d of case %s: %w", messageID, ref, ErrNotFound)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("read message: %w", err)
	}
	return caseID, sealed, nil
}

// Outgoing is a mail of ours to a case's writer and where it stands.
type Outgoing struct {
	ID        int64
	Kind      string // ack, answer or crisis_home
	Template  string
	State     string // queued, composed, sent, failed, suppressed or bounced
	Reason    string
	Actor     string
	CopyID    int64 // the stored copy, once composed; 0 before
	Shelter   string
	CreatedAt time.Time
	SentAt    *time.Time
}

// OutgoingOf returns the mail of ours on a case, oldest first.
func (s *Store) OutgoingOf(ctx context.Context, caseID int64) ([]Outgoing, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT o.id, o.kind, o.template, o.state, coalesce(o.reason, ''), o.actor, coalesce(o.copy_id, 0),
			coalesce(h.name, ''), o.created_at, o.sent_at
		FROM outgoing o LEFT JOIN shelters h ON h.id = o.shelter_id WHERE o.case_id = $1 ORDER BY o.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("read outgoing mail: %w", err)
	}
	os, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Outgoing])
	if err != nil {
		return nil, fmt.Errorf("read outgoing mail: %w", err)
	}
	return os, nil
}
