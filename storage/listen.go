package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Presence is one console user's mark on a case: viewing it, writing an
// answer on it, or leaving it. Each okit serve keeps the marks in memory
// and tells the others of its own through the database (AnnouncePresence),
// so that two operators on two nodes see each other too. A mark names a
// case and a colleague, never a writer or a word.
type Presence struct {
	CaseID  int64     `json:"case"`
	User    string    `json:"user"`
	Writing bool      `json:"writing,omitempty"`
	Leaving bool      `json:"leaving,omitempty"`
	Until   time.Time `json:"until"`
}

// Listeners are what Listen calls: Ready once it listens (again), Changed
// with the ids of the cases whose events were written, each time a
// transaction that wrote some commits (reading events, a decryption say,
// are not announced), and Presence with each mark any console announced.
type Listeners struct {
	Ready    func()
	Changed  func(caseIDs []int64)
	Presence func(Presence)
}

// Listen calls l's functions until ctx ends or the connection fails.
func (s *Store) Listen(ctx context.Context, l Listeners) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `LISTEN okit_cases; LISTEN okit_presence`); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// The connection goes back to the pool afterwards: it must not keep listening.
	defer conn.Exec(context.WithoutCancel(ctx), `UNLISTEN *`)
	l.Ready()
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		if n.Channel == "okit_presence" {
			var p Presence
			if json.Unmarshal([]byte(n.Payload), &p) == nil {
				l.Presence(p)
			}
			continue
		}
		var ids []int64
		for _, f := range strings.Split(n.Payload, ",") {
			if id, err := strconv.ParseInt(f, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
		l.Changed(ids)
	}
}

// AnnouncePresence tells every okit serve listening of a console's mark.
func (s *Store) AnnouncePresence(ctx context.Context, p Presence) error {
	payload, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if _, err := s.pool.Exec(ctx, `SELECT pg_notify('okit_presence', $1)`, string(payload)); err != nil {
		return fmt.Errorf("announce presence: %w", err)
	}
	return nil
}
