package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Listen calls changed with the ids of the cases whose events were written,
// each time a transaction that wrote some commits, until ctx ends or the
// connection fails. Reading events (a decryption, say) are not announced.
func (s *Store) Listen(ctx context.Context, ready func(), changed func(caseIDs []int64)) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `LISTEN okit_cases`); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// The connection goes back to the pool afterwards: it must not keep listening.
	defer conn.Exec(context.WithoutCancel(ctx), `UNLISTEN okit_cases`)
	ready()
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		var ids []int64
		for _, f := range strings.Split(n.Payload, ",") {
			if id, err := strconv.ParseInt(f, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
		changed(ids)
	}
}
