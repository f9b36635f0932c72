package storage

import (
	"context"
	"fmt"
	"net/netip"
	"time"
)

// Failures are the failed logins before an attempt within the window,
// counted since the pair's last success: for its (name, address) pair and
// for its address, each with when the last one was.
type Failures struct {
	Pair, Addr         int
	PairLast, AddrLast time.Time
}

// RecordAttempt records a login attempt for username from addr, as failed
// until LoginSucceeded says otherwise, and returns its id and the failures
// before it within window. It is written before the password is checked,
// so that an attempt counts however the check ends.
func (s *Store) RecordAttempt(ctx context.Context, username string, addr netip.Addr, window time.Duration) (int64, Failures, error) {
	now := s.now()
	var a *netip.Addr
	if addr.IsValid() {
		a = &addr
	}
	var id int64
	var f Failures
	var pairLast, addrLast *time.Time
	err := s.pool.QueryRow(ctx, `
		WITH before AS (
			SELECT
				count(*) FILTER (WHERE pair AND at > ok_at) AS pair_n, max(at) FILTER (WHERE pair AND at > ok_at) AS pair_last,
				count(*) FILTER (WHERE at > ok_at OR NOT pair) AS addr_n, max(at) AS addr_last
			FROM (SELECT at, username = $1 AS pair,
					coalesce((SELECT max(at) FROM login_attempts WHERE ok AND username = $1 AND remote_addr IS NOT DISTINCT FROM $2 AND at > $3), '-infinity') AS ok_at
				FROM login_attempts WHERE NOT ok AND remote_addr IS NOT DISTINCT FROM $2 AND at > $3) f
		), ins AS (
			INSERT INTO login_attempts (username, remote_addr, at) VALUES ($1, $2, $4) RETURNING id
		)
		SELECT ins.id, before.pair_n, before.pair_last, before.addr_n, before.addr_last FROM ins, before`,
		username, a, now.Add(-window), now).Scan(&id, &f.Pair, &pairLast, &f.Addr, &addrLast)
	if err != nil {
		return 0, f, fmt.Errorf("record login attempt: %w", err)
	}
	if pairLast != nil {
		f.PairLast = *pairLast
	}
	if addrLast != nil {
		f.AddrLast = *addrLast
	}
	return id, f, nil
}

// LoginSucceeded marks an attempt RecordAttempt recorded as a success,
// and forgets attempts older than keep.
func (s *Store) LoginSucceeded(ctx context.Context, id int64, keep time.Duration) error {
	if _, err := s.pool.Exec(ctx, `UPDATE login_attempts SET ok = true WHERE id = $1`, id); err != nil {
		return fmt.Errorf("record login: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM login_attempts WHERE at < $1`, s.now().Add(-keep)); err != nil {
		return fmt.Errorf("forget old login attempts: %w", err)
	}
	return nil
}
