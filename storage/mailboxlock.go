package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ncsszi/okit/intake"
)

// ErrLocked means another okit process holds the mailbox.
var ErrLocked = intake.ErrLocked

// lockCheck is how often a held mailbox lock's connection is checked, and
// how long a check may take. Between checks the connection is read, so a
// connection the server ends (a restart, pg_terminate_backend) is noticed
// at once.
const lockCheck = 2 * time.Second

// mailboxLock is a session-level advisory lock held on a connection of
// its own, outside the pool: the lock lives exactly as long as that
// connection, so a killed process frees it, and a process whose
// connection ended learns at once that it no longer holds it.
type mailboxLock struct {
	conn     *pgx.Conn
	key      string
	lost     chan struct{}
	stop     context.CancelFunc
	watching sync.WaitGroup
	once     sync.Once
}

// LockMailbox takes the mailbox's advisory lock on a dedicated connection,
// so that one process at a time takes in a mailbox, or fails with
// ErrLocked. The connection asks the server to probe it every few
// seconds (TCP keepalives), so a process cut off from the database loses
// the lock within seconds rather than hours; and it checks the connection
// itself every lockCheck, closing Lost when it has ended.
func (s *Store) LockMailbox(ctx context.Context, mailbox string) (intake.Lock, error) {
	cfg := s.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = "okit mailbox lock"
	cfg.RuntimeParams["tcp_keepalives_idle"] = "5"
	cfg.RuntimeParams["tcp_keepalives_interval"] = "2"
	cfg.RuntimeParams["tcp_keepalives_count"] = "3"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("lock mailbox: %s", reason(err))
	}
	var got bool
	err = conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended(current_schema() || ':okit:mailbox:' || $1, 0))`, mailbox).Scan(&got)
	if err != nil || !got {
		conn.Close(context.Background())
		if err != nil {
			return nil, fmt.Errorf("lock mailbox: %w", err)
		}
		return nil, ErrLocked
	}
	watch, stop := context.WithCancel(context.Background())
	l := &mailboxLock{conn: conn, key: mailbox, lost: make(chan struct{}), stop: stop}
	l.watching.Go(func() { l.watch(watch) })
	return l, nil
}

// watch reads the connection between checks: a connection the server
// ends delivers its error at once. Every lockCheck it also sends a query,
// which finds a connection that went quiet.
func (l *mailboxLock) watch(ctx context.Context) {
	for {
		wait, cancel := context.WithTimeout(ctx, lockCheck)
		err := l.conn.PgConn().WaitForNotification(wait)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err == nil || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) {
			ping, cancel := context.WithTimeout(ctx, lockCheck)
			err = l.conn.Ping(ping)
			cancel()
			if ctx.Err() != nil {
				return
			}
		}
		if err != nil {
			close(l.lost)
			return
		}
	}
}

func (l *mailboxLock) Lost() <-chan struct{} { return l.lost }

// Release gives the lock up and closes its connection.
func (l *mailboxLock) Release() {
	l.once.Do(func() {
		l.stop()
		l.watching.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), lockCheck)
		defer cancel()
		select {
		case <-l.lost:
		default:
			// An unlock that fails leaves the lock to end with the connection.
			l.conn.Exec(ctx, `SELECT pg_advisory_unlock(hashtextextended(current_schema() || ':okit:mailbox:' || $1, 0))`, l.key)
		}
		l.conn.Close(ctx)
	})
}
