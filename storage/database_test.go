package storage_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/storage"
)

// RecreateDatabase drops only a demo's database, never one that may hold
// cases, whatever name it is given.
func TestRecreateDatabaseRefusesOtherNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"okit", "postgres", "okit_demo2", "OKIT_DEMO", "okit_demo_", "okit_demo_x; DROP DATABASE okit", `okit_demo_"x"`, ""} {
		// An unreachable server: a name that passed would fail differently.
		_, err := storage.RecreateDatabase(context.Background(), "postgres://postgres@127.0.0.1:1/postgres", name)
		if !errors.Is(err, storage.ErrNotScratch) {
			t.Errorf("RecreateDatabase(%q): %v, want ErrNotScratch", name, err)
		}
	}
}

// RecreateDatabase empties a database that exists, makes one that does
// not, and returns a URL that reaches it.
func TestRecreateDatabase(t *testing.T) {
	t.Parallel()
	server := os.Getenv("OKIT_TEST_DATABASE_URL")
	if server == "" {
		t.Fatal("OKIT_TEST_DATABASE_URL is not set: run `make test`, which finds or starts a PostgreSQL")
	}
	ctx := context.Background()
	b := make([]byte, 4)
	rand.Read(b)
	name := "okit_demo_test_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		if conn, err := pgx.Connect(ctx, server); err == nil {
			conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			conn.Close(ctx)
		}
	})
	for round := range 2 {
		url, err := storage.RecreateDatabase(ctx, server, name)
		if err != nil {
			t.Fatal(err)
		}
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		var db string
		var tables int
		err = conn.QueryRow(ctx, `SELECT current_database(), (SELECT count(*) FROM pg_tables WHERE tablename = 'left_over')`).Scan(&db, &tables)
		if err == nil && round == 0 {
			_, err = conn.Exec(ctx, `CREATE TABLE left_over (x int)`)
		}
		conn.Close(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if db != name || tables != 0 {
			t.Errorf("round %d: connected to %q with %d left-over tables; want %q, empty", round, db, tables, name)
		}
	}
}
