package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/audit"
)

// chainBatch is how many links WalkChain reads per query: enough to keep
// round trips rare, few enough to keep memory flat over millions of events.
const chainBatch = 5000

// WalkChain calls fn with every link of the event log's hash chain, in
// chain order, reading it in batches. A link whose event no longer exists
// comes with Missing set.
func (s *Store) WalkChain(ctx context.Context, fn func(audit.Link) error) error {
	var after int64
	for {
		rows, err := s.pool.Query(ctx, `
			SELECT c.seq, c.hash, c.event_id, e.id IS NULL, e.case_id, e.at, e.kind, e.actor, e.data::text, e.remote_addr::text
			FROM event_chain c LEFT JOIN case_events e ON e.id = c.event_id
			WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`, after, chainBatch)
		if err != nil {
			return fmt.Errorf("read event chain after seq %d: %w", after, err)
		}
		var links []audit.Link
		var l audit.Link
		var at *time.Time
		var kind, actor, data *string
		_, err = pgx.ForEachRow(rows, []any{&l.Seq, &l.Hash, &l.Event.ID, &l.Missing, &l.Event.CaseID, &at, &kind, &actor, &data, &l.Event.RemoteAddr}, func() error {
			if !l.Missing {
				l.Event.At, l.Event.Kind, l.Event.Actor, l.Event.Data = *at, *kind, *actor, *data
			}
			links = append(links, l)
			l = audit.Link{}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read event chain after seq %d: %w", after, err)
		}
		for _, l := range links {
			if err := fn(l); err != nil {
				return err
			}
		}
		if len(links) < chainBatch {
			return nil
		}
		after = links[len(links)-1].Seq
	}
}

// Unchained returns the id of an event that has no link in the chain, or
// 0. Events are chained as they commit, so any such event was written
// while the chain's trigger was disabled.
func (s *Store) Unchained(ctx context.Context) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `
		SELECT coalesce(min(e.id), 0) FROM case_events e
		WHERE NOT EXISTS (SELECT 1 FROM event_chain c WHERE c.event_id = e.id)`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("find unchained events: %w", err)
	}
	return id, nil
}

// VerifyChain walks the whole chain through v and returns the first break:
// a link that does not hold, a chain that ends before v's expected head,
// or an event with no link at all.
func (s *Store) VerifyChain(ctx context.Context, v *audit.Verifier) (*audit.Break, error) {
	err := s.WalkChain(ctx, func(l audit.Link) error {
		if b := v.Add(l); b != nil {
			return b
		}
		return nil
	})
	var b *audit.Break
	if err != nil && !errors.As(err, &b) {
		return nil, err
	}
	if b := v.Finish(); b != nil {
		return b, nil
	}
	id, err := s.Unchained(ctx)
	if err != nil {
		return nil, err
	}
	if id != 0 {
		return &audit.Break{EventID: id, Reason: fmt.Sprintf("event %d has no link in the chain: it was written while the chain's trigger was disabled", id)}, nil
	}
	return nil, nil
}
