package storage_test

import (
	"context"
	"slices"
	"testing"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/seal"
	"github.com/ncsszi/okit/storage"
	"github.com/ncsszi/okit/storage/storagetest"
)

// okit users bind gives the credentials stored before schema 12 their
// MACs, and leaves a MAC that is there and fails failing.
func TestBindCredentials(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storagetest.New(t)
	b, err := seal.NewBinder([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	pool := storagetest.Pool(st)
	hash := account.HashPassword("a password from before 12")
	if _, err := pool.Exec(ctx, `INSERT INTO users (username, role, password_hash, totp_sealed) VALUES
		('old', 'supervisor', $1, 'sealed secret'), ('forged', 'supervisor', $1, NULL)`, hash); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE users SET password_mac = 'not a mac' WHERE username = 'forged'`); err != nil {
		t.Fatal(err)
	}
	bound, err := st.BindCredentials(ctx, b, "cli:root")
	if err != nil || !slices.Equal(bound, []string{"old"}) {
		t.Fatalf("BindCredentials = %v, %v; want [old]", bound, err)
	}
	for name, want := range map[string]bool{"old": true, "forged": false} {
		cr, err := st.Credentials(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if got := cr.Valid(b); got != want {
			t.Errorf("%s: Valid = %v, want %v", name, got, want)
		}
	}
	var events int
	pool.QueryRow(ctx, `SELECT count(*) FROM case_events WHERE kind = $1`, storage.EventCredentialsBound).Scan(&events)
	if events != 1 {
		t.Errorf("%d credentials_bound events, want 1", events)
	}
}
