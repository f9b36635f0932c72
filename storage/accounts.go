package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ncsszi/okit/seal"
)

// Account events: an admin made an account or reset one, handing over a
// one-time link; a supervisor confirmed it.
const (
	EventAccountLink      EventKind = "account_link_made"
	EventAccountConfirmed EventKind = "account_confirmed"
)

// AccountEvents are the kinds about people's accounts, which supervisors
// see on their dashboard.
var AccountEvents = []EventKind{EventUserAdded, EventUserChanged, EventUserDisabled, EventPasswordSet,
	EventTOTPEnrolled, EventTOTPReset, EventAccountLink, EventAccountConfirmed, EventCredentialsBound}

// InviteUser adds a user as an admin does in the console: pending until a
// supervisor confirms, with no password and no second factor, and a
// one-time link (the SHA-256 of its token is digest) by which the person
// sets their own password until expires.
func (s *Store) InviteUser(ctx context.Context, u User, digest []byte, expires time.Time, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO users (username, role, languages, skills, load_limit, pending_by) VALUES ($1, $2, $3, coalesce($4::text[], '{}'), $5, $6) RETURNING id`,
			u.Username, u.Role, u.Languages, u.Skills, u.LoadLimit, actor).Scan(&id)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return fmt.Errorf("user %q: %w", u.Username, ErrExists)
		}
		if err != nil {
			return fmt.Errorf("add user: %w", err)
		}
		var ev events
		ev.add(0, EventUserAdded, map[string]any{"user": u.Username, "role": u.Role, "pending": true})
		if err := ev.write(ctx, tx, actor, s.now()); err != nil {
			return err
		}
		return s.link(ctx, tx, id, u.Username, digest, expires, actor)
	})
}

// ResetAccount is an admin's reset of a person's account: their password
// and second factor are removed, their sessions ended, and the account
// waits for a supervisor's confirmation; a one-time link (digest, until
// expires) lets the person set a new password.
func (s *Store) ResetAccount(ctx context.Context, username string, digest []byte, expires time.Time, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `UPDATE users SET password_hash = NULL, password_mac = NULL, totp_sealed = NULL, totp_mac = NULL,
			totp_last_step = NULL, pending_by = $2 WHERE username = $1 RETURNING id`, username, actor).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %q: %w", username, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("reset account: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return s.link(ctx, tx, id, username, digest, expires, actor)
	})
}

// link replaces the user's one-time link.
func (s *Store) link(ctx context.Context, tx pgx.Tx, id int64, username string, digest []byte, expires time.Time, actor string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM account_links WHERE user_id = $1 OR expires_at < $2`, id, s.now()); err != nil {
		return fmt.Errorf("account link: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO account_links (token_digest, user_id, created_by, expires_at) VALUES ($1, $2, $3, $4)`,
		digest, id, actor, expires); err != nil {
		return fmt.Errorf("account link: %w", err)
	}
	var ev events
	ev.add(0, EventAccountLink, map[string]any{"user": username, "expires": expires.UTC().Format(time.RFC3339)})
	return ev.write(ctx, tx, actor, s.now())
}

// LinkUser is the name of the person a valid one-time link is for;
// ErrNotFound when the link is unknown, used or expired.
func (s *Store) LinkUser(ctx context.Context, digest []byte) (string, error) {
	var name string
	err := s.pool.QueryRow(ctx, `SELECT u.username FROM account_links l JOIN users u ON u.id = l.user_id
		WHERE l.token_digest = $1 AND l.expires_at > $2 AND NOT u.disabled`, digest, s.now()).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("read account link: %w", err)
	}
	return name, nil
}

// UseLink sets the password of the person a one-time link is for, bound
// to them by b, and uses the link up. It returns their name; ErrNotFound
// when the link is unknown, used or expired.
func (s *Store) UseLink(ctx context.Context, digest []byte, hash string, b *seal.Binder) (string, error) {
	var name string
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `DELETE FROM account_links l USING users u
			WHERE l.token_digest = $1 AND l.expires_at > $2 AND u.id = l.user_id AND NOT u.disabled
			RETURNING u.id, u.username`, digest, s.now()).Scan(&id, &name)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("use account link: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, password_mac = $3 WHERE id = $1`,
			id, hash, b.MAC(id, seal.CredentialPassword, []byte(hash))); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		var ev events
		ev.add(0, EventPasswordSet, map[string]any{"user": name, "by": "link"})
		return ev.write(ctx, tx, "user:"+name, s.now())
	})
	return name, err
}

// Pending is an account made or reset by an admin, waiting for a
// supervisor.
type Pending struct {
	Username string
	Role     string
	By       string // the admin who made or reset it
}

// PendingAccounts lists the accounts waiting for a supervisor.
func (s *Store) PendingAccounts(ctx context.Context) ([]Pending, error) {
	rows, err := s.pool.Query(ctx, `SELECT username, role, pending_by FROM users WHERE pending_by IS NOT NULL AND NOT disabled ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list pending accounts: %w", err)
	}
	ps, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Pending])
	if err != nil {
		return nil, fmt.Errorf("list pending accounts: %w", err)
	}
	return ps, nil
}

// ErrSamePerson is ConfirmAccount's answer when the one confirming is the
// one who made or reset the account: it takes two people.
var ErrSamePerson = errors.New("the account was made or reset by the same person")

// ConfirmAccount lets an account made or reset by an admin be used, on a
// supervisor's word (actor), who must not be that admin.
func (s *Store) ConfirmAccount(ctx context.Context, username, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var by *string
		err := tx.QueryRow(ctx, `SELECT pending_by FROM users WHERE username = $1 FOR UPDATE`, username).Scan(&by)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && by == nil) {
			return fmt.Errorf("pending account %q: %w", username, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("confirm account: %w", err)
		}
		if *by == actor {
			return ErrSamePerson
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET pending_by = NULL WHERE username = $1`, username); err != nil {
			return fmt.Errorf("confirm account: %w", err)
		}
		var ev events
		ev.add(0, EventAccountConfirmed, map[string]any{"user": username, "made_by": *by})
		return ev.write(ctx, tx, actor, s.now())
	})
}

// AccountChange is one event about an account, for supervisors' notices.
type AccountChange struct {
	At    time.Time
	Kind  EventKind
	Actor string
	User  string
}

// AccountChanges lists the changes of accounts since a time, newest first.
func (s *Store) AccountChanges(ctx context.Context, since time.Time) ([]AccountChange, error) {
	rows, err := s.pool.Query(ctx, `SELECT at, kind, actor, coalesce(data->>'user', '') FROM case_events
		WHERE kind = ANY($1::text[]) AND at >= $2 ORDER BY id DESC LIMIT 50`, accountEventKinds(), since)
	if err != nil {
		return nil, fmt.Errorf("list account changes: %w", err)
	}
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[AccountChange])
	if err != nil {
		return nil, fmt.Errorf("list account changes: %w", err)
	}
	return cs, nil
}

func accountEventKinds() []string {
	ks := make([]string, len(AccountEvents))
	for i, k := range AccountEvents {
		ks[i] = string(k)
	}
	return ks
}
