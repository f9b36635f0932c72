package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// Whoever holds the intake host's database login cannot mint a user, set
// a password, read a session or a credential, or touch the log's
// triggers; the console's login cannot alter the schema either. Only the
// owner's connection, which serve refuses, could.
func TestRunningRolesCannotMintUsersOrAlterTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := storagetest.URL(t)
	owner := storagetest.Open(t, url, true, time.Now)
	if _, err := owner.AddUser(ctx, storage.User{Username: "anna", Role: account.Supervisor, LoadLimit: 5}, "test"); err != nil {
		t.Fatal(err)
	}
	intake := storagetest.Open(t, storagetest.As(t, url, storage.IntakeRole), false, time.Now)
	console := storagetest.Open(t, storagetest.As(t, url, storage.ConsoleRole), false, time.Now)

	attacks := []struct {
		name string
		st   *storage.Store
		sql  string
	}{
		{"intake inserts a user", intake, `INSERT INTO users (username, role) VALUES ('mallory', 'supervisor')`},
		{"intake changes a password", intake, `UPDATE users SET password_hash = 'x' WHERE username = 'anna'`},
		{"intake enrols a second factor", intake, `UPDATE users SET totp_sealed = 'x' WHERE username = 'anna'`},
		{"intake reads a password hash", intake, `SELECT password_hash FROM users`},
		{"intake reads a session", intake, `SELECT * FROM sessions`},
		{"intake starts a session", intake, `INSERT INTO sessions (token_digest, user_id, created_at, seen_at) VALUES ('x', 1, now(), now())`},
		{"intake reads a note", intake, `SELECT * FROM notes`},
		{"intake reads a crisis home", intake, `SELECT * FROM shelters`},
		{"intake drops a trigger", intake, `DROP TRIGGER case_events_append_only ON case_events`},
		{"intake disables a trigger", intake, `ALTER TABLE case_events DISABLE TRIGGER case_events_append_only`},
		{"intake forges a chain link", intake, `DELETE FROM event_chain_queue`},
		{"intake creates a table", intake, `CREATE TABLE mine (x int)`},
		{"console drops a trigger", console, `DROP TRIGGER case_events_append_only ON case_events`},
		{"console disables a trigger", console, `ALTER TABLE event_chain DISABLE TRIGGER event_chain_append_only`},
		{"console adds a trigger", console, `CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION case_events_append_only()`},
		{"console rewrites an event", console, `UPDATE case_events SET actor = 'x'`},
		{"console empties the log", console, `TRUNCATE case_events CASCADE`},
		{"console creates a table", console, `CREATE TABLE mine (x int)`},
	}
	for _, a := range attacks {
		_, err := storagetest.Pool(a.st).Exec(ctx, a.sql)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || (pgErr.Code != "42501" && pgErr.Code != "P0001") {
			t.Errorf("%s: %v; want permission denied", a.name, err)
		}
	}

	if err := owner.CheckRunningRole(ctx); !errors.Is(err, storage.ErrCanAlter) {
		t.Errorf("owner: CheckRunningRole = %v; want ErrCanAlter", err)
	}
	for _, st := range []*storage.Store{intake, console} {
		if err := st.CheckRunningRole(ctx); err != nil {
			t.Errorf("CheckRunningRole = %v; want nil", err)
		}
	}
}
