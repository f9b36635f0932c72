package storage

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// Store is okit's database.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time
	jobs *river.Client[pgx.Tx] // inserts jobs only; workers run in serve
	// figures is held by the one Figures call that runs its statements on
	// several connections; others meanwhile run theirs on one (report.go).
	figures sync.Mutex
	// reopenWithin: see SetReopenWithin.
	reopenWithin time.Duration
}

// Open connects to the database at url and checks that it answers. now is
// the clock of assignments and response clocks (time.Now outside tests).
func Open(ctx context.Context, url string, now func() time.Time) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message may quote the URL with its password; say only what is wrong.
		return nil, errors.New("OKIT_DATABASE_URL is not a valid PostgreSQL connection string")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database %s:%d unreachable: %s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, reason(err))
	}
	st, err := New(pool, now)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return st, nil
}

// New makes a Store of a connected pool, which Close then closes. Open is
// the usual way in; storagetest uses New to keep the pool for tests that
// read and write rows directly.
func New(pool *pgxpool.Pool, now func() time.Time) (*Store, error) {
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Store{pool: pool, now: now, jobs: jobs, reopenWithin: DefaultReopenWithin}, nil
}

// Close closes every connection.
func (s *Store) Close() { s.pool.Close() }

// InTx runs fn in a transaction, committed if fn returns nil and rolled back
// otherwise.
func (s *Store) InTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// reason says in one line why a connection failed: pgx tells each address
// it tried on a line of its own.
func reason(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Message
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Err.Error()
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}
