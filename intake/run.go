package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// lockRetry is how often a process on standby tries to take the mailbox
// over: with the holder gone, another takes it within a few seconds.
const lockRetry = 2 * time.Second

// errRenew ends a session whose token is about to run out: Run signs in
// again at once, with a fresh one.
var errRenew = errors.New("the sign-in's token runs out soon")

// Once connects, takes in every message waiting in the mailbox, and
// disconnects.
func (in *Intake) Once(ctx context.Context) (Stats, error) {
	lock, err := in.store.LockMailbox(ctx, in.cfg.Key())
	if err != nil {
		return Stats{}, err
	}
	defer lock.Release()
	ctx, cancel := whileHeld(ctx, lock)
	defer cancel()
	s, err := in.dial(ctx)
	if err != nil {
		return Stats{}, err
	}
	defer s.close()
	st, err := in.drain(ctx, s)
	if err != nil {
		in.health.fail(err)
		return st, err
	}
	in.health.pass(st)
	return st, nil
}

// Run takes in mail until ctx ends. It waits for the mailbox lock (on
// standby while another process holds it), then keeps a connection open,
// drains the mailbox, and idles (or polls) for more; a lost connection is
// dialled again with backoff. A lost lock stops intake at once, and Run
// waits for the mailbox again.
func (in *Intake) Run(ctx context.Context) error {
	standby := false
	for attempt := 0; ctx.Err() == nil; {
		lock, err := in.store.LockMailbox(ctx, in.cfg.Key())
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, ErrLocked):
			if !standby {
				in.log.Info("another okit process holds the mailbox: on standby to take it over")
				in.health.setLock(false, true)
			}
			standby, attempt = true, 0
			if !sleep(ctx, lockRetry) {
				return nil
			}
			continue
		case err != nil:
			standby = false
			in.health.setLock(false, false)
			in.health.fail(err)
			in.log.Warn("intake waiting for the mailbox", slog.Any("err", err))
			if !sleep(ctx, backoff(attempt)) {
				return nil
			}
			attempt++
			continue
		}
		standby, attempt = false, 0
		in.health.setLock(true, false)
		in.log.Info("intake holds the mailbox")
		in.hold(ctx, lock)
		lock.Release()
		in.health.setLock(false, false)
		if ctx.Err() == nil {
			err := errors.New("lost the mailbox lock: its database connection ended")
			in.health.fail(err)
			in.log.Error("intake stopped: it lost the mailbox lock, and another process may take the mailbox; waiting for it again")
		}
	}
	return nil
}

// hold takes in mail, and sends the canary, while lock holds: until ctx
// ends or the lock is lost, which ends both at once.
func (in *Intake) hold(ctx context.Context, lock Lock) {
	ctx, cancel := whileHeld(ctx, lock)
	defer cancel()
	var canary sync.WaitGroup
	if in.canary != nil {
		canary.Go(func() { in.canary.run(ctx) })
	}
	defer canary.Wait()
	for failures := 0; ctx.Err() == nil; {
		err := in.session(ctx)
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, errRenew) {
			in.log.Info("intake signing in again with a fresh token")
			continue
		}
		failures++
		in.health.fail(err)
		wait := backoff(failures - 1)
		in.log.Error("intake connection lost", slog.Any("err", err),
			slog.Int("failures", failures), slog.Duration("retry_in", wait))
		if !sleep(ctx, wait) {
			return
		}
		if in.health.recentlyOK(time.Minute) {
			failures = 0
		}
	}
}

// whileHeld returns a context that ends with ctx, or at once when lock is
// lost: whatever runs under it stops before another process may take the
// mailbox.
func whileHeld(ctx context.Context, lock Lock) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-lock.Lost():
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// session runs one connection until it fails or ctx ends.
func (in *Intake) session(ctx context.Context) error {
	s, err := in.dial(ctx)
	if err != nil {
		return err
	}
	defer s.close()
	in.log.Info("intake connected", slog.Bool("idle", s.canIdle))
	for {
		st, err := in.drain(ctx, s)
		if err != nil {
			return err // Run counts the failure
		}
		in.health.pass(st)
		if st != (Stats{}) {
			in.log.Info("intake pass", slog.Int("stored", st.Stored), slog.Int("duplicates", st.Duplicates),
				slog.Int("left_on_server", st.TooLarge), slog.Int("marked", st.Marked))
		}
		if err := in.wait(ctx, s); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

// wait returns when new mail may be there: the server said so while
// idling, or the poll interval passed. It returns errRenew, after ending
// IDLE, when the session's token is about to run out: before IDLE would
// be issued again with a token the server no longer takes.
func (in *Intake) wait(ctx context.Context, s *session) error {
	every, renew := in.cfg.PollInterval, false
	if !s.renew.IsZero() {
		if left := s.renew.Sub(in.now()); left < every {
			every, renew = max(left, 0), true
		}
	}
	timer := time.NewTimer(every)
	defer timer.Stop()
	expired := func() error {
		if renew {
			return errRenew
		}
		return nil
	}
	if !s.canIdle {
		select {
		case <-ctx.Done():
		case <-timer.C:
			return expired()
		case <-s.c.Closed():
			return errors.New("connection closed by server")
		}
		return nil
	}
	idle, err := s.c.Idle()
	if err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	timedOut := false
	select {
	case <-ctx.Done():
	case <-timer.C:
		timedOut = true
	case <-s.wake:
	case <-s.c.Closed():
		return errors.New("connection closed by server")
	}
	if err := idle.Close(); err != nil {
		return fmt.Errorf("end idle: %w", err)
	}
	if err := idle.Wait(); err != nil {
		return fmt.Errorf("end idle: %w", err)
	}
	if timedOut {
		return expired()
	}
	return nil
}
