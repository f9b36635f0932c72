// Package storagetest gives each test a migrated okit schema of its own in
// a real PostgreSQL, dropped when the test ends, so tests run in parallel
// without seeing each other's rows.
//
// The database comes from OKIT_TEST_DATABASE_URL; `make test` sets it,
// finding a local server or starting a private one (deploy/localpg.sh).
package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ncsszi/okit/storage"
)

// URL creates an empty schema for the test and returns a connection string
// whose connections use it (search_path), for code that connects by
// itself, such as a child okit process.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("OKIT_TEST_DATABASE_URL")
	if base == "" {
		t.Fatal("OKIT_TEST_DATABASE_URL is not set: run `make test`, which finds or starts a PostgreSQL, " +
			"or set it to a database the tests may create schemas in")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to OKIT_TEST_DATABASE_URL: %v (is PostgreSQL running? `make test` starts one)", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "okit_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(context.Background())
		// Dropping a schema and granting on another both write the shared
		// catalog of the roles' privileges (pg_shdepend): a deadlock
		// between two tests' schemas is retried.
		for try := 0; ; try++ {
			_, err := conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			var pgErr *pgconn.PgError
			if err != nil && errors.As(err, &pgErr) && pgErr.Code == "40P01" && try < 5 {
				continue
			}
			if err != nil {
				t.Errorf("drop schema %s: %v", schema, err)
			}
			break
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("OKIT_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// New returns a Store on a fresh, migrated schema, on the real clock.
func New(t testing.TB) *storage.Store {
	t.Helper()
	return Open(t, URL(t), true, time.Now)
}

// Open connects a Store with the clock now to url, migrating the schema if
// migrate is set.
func Open(t testing.TB, url string, migrate bool, now func() time.Time) *storage.Store {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err == nil {
		if err = pool.Ping(ctx); err != nil {
			pool.Close()
		}
	}
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	st, err := storage.New(pool, now)
	if err != nil {
		pool.Close()
		t.Fatalf("open store: %v", err)
	}
	pools.Store(st, pool)
	t.Cleanup(func() {
		pools.Delete(st)
		st.Close()
	})
	if migrate {
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	return st
}

// pools holds the connection pool of each Store Open made, for Pool.
var pools sync.Map // *storage.Store → *pgxpool.Pool

// Pool returns the connection pool under a Store that Open or New made,
// for tests that read or write rows directly. Code outside tests goes
// through the Store's methods: storage is the only package with SQL.
func Pool(st *storage.Store) *pgxpool.Pool {
	pool, ok := pools.Load(st)
	if !ok {
		panic("storagetest.Pool: the store was not opened by storagetest")
	}
	return pool.(*pgxpool.Pool)
}

// Dump returns the raw value of every column of every row of every table
// in the store's schema, river's included (bytea as its bytes, text as
// its text), for tests that must find no plaintext anywhere.
func Dump(t testing.TB, st *storage.Store) []byte {
	t.Helper()
	ctx := context.Background()
	rows, err := Pool(st).Query(ctx, `
		SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var dump []byte
	for _, table := range tables {
		rows, err := Pool(st).Query(ctx, "SELECT * FROM "+pgx.Identifier{table}.Sanitize())
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			for _, v := range rows.RawValues() {
				dump = append(append(dump, v...), '\n')
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return dump
}

// EndMailboxLock ends the database connection holding mailbox's lock
// (pg_terminate_backend), as a database restart or a network failure
// would, and returns how many it ended: 0 when nobody held it.
func EndMailboxLock(t testing.TB, st *storage.Store, mailbox string) int {
	t.Helper()
	var n int
	err := Pool(st).QueryRow(context.Background(), `
		SELECT count(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype = 'advisory' AND granted
		  AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(current_schema() || ':okit:mailbox:' || $1, 0)`,
		mailbox).Scan(&n)
	if err != nil {
		t.Fatalf("end the mailbox lock's connection: %v", err)
	}
	return n
}

// As returns url, a test schema's URL, for connecting as role (one of
// storage's running roles) instead of the owner: the test server trusts
// local connections, so no password is needed.
func As(t testing.TB, url, role string) string {
	t.Helper()
	u, err := storage.RoleURL(url, role)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
