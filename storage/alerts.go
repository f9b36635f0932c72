package storage

import (
	"context"
	"fmt"
	"maps"

	"github.com/jackc/pgx/v5"
)

// RaiseAlert writes an alert event about no case, by intake: data.alert
// is the code (intake.AlertCanary, intake.AlertMailboxAuth), the rest of
// data codes and counts only. The supervisors' banner shows it.
func (s *Store) RaiseAlert(ctx context.Context, alert string, data map[string]any) error {
	d := maps.Clone(data)
	if d == nil {
		d = map[string]any{}
	}
	d["alert"] = alert
	var ev events
	ev.add(0, EventAlert, d)
	err := s.InTx(ctx, func(tx pgx.Tx) error { return ev.write(ctx, tx, "intake", s.now()) })
	if err != nil {
		return fmt.Errorf("raise alert %s: %w", alert, err)
	}
	return nil
}
