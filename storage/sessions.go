package storage

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/seal"
)

// Credentials are what logging in checks.
type Credentials struct {
	UserID       int64
	Username     string
	Role         account.Role
	PasswordHash string // "" when no password was ever set
	PasswordMAC  []byte // binds PasswordHash to UserID (seal.Binder)
	TOTPSealed   []byte // nil when no second factor is enrolled
	TOTPMAC      []byte // binds TOTPSealed to UserID
	TOTPLastStep int64
	Disabled     bool
	Pending      bool // made or reset by an admin, not yet confirmed by a supervisor
}

// Credentials reads a user's credentials by name.
func (s *Store) Credentials(ctx context.Context, username string) (Credentials, error) {
	var c Credentials
	err := s.pool.QueryRow(ctx, `
		SELECT id, username, role, coalesce(password_hash, ''), password_mac, totp_sealed, totp_mac, coalesce(totp_last_step, 0), disabled, pending_by IS NOT NULL
		FROM users WHERE username = $1`, username).Scan(&c.UserID, &c.Username, &c.Role, &c.PasswordHash, &c.PasswordMAC,
		&c.TOTPSealed, &c.TOTPMAC, &c.TOTPLastStep, &c.Disabled, &c.Pending)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, fmt.Errorf("user %q: %w", username, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("read credentials: %w", err)
	}
	return c, nil
}

// Valid reports whether the credentials' MACs verify under b: a password
// hash or a second factor without a valid MAC was not written by okit's
// console, and logs nobody in.
func (c Credentials) Valid(b *seal.Binder) bool {
	return (c.PasswordHash == "" || b.Valid(c.UserID, seal.CredentialPassword, []byte(c.PasswordHash), c.PasswordMAC)) &&
		(c.TOTPSealed == nil || b.Valid(c.UserID, seal.CredentialTOTP, c.TOTPSealed, c.TOTPMAC))
}

// SetPassword stores a user's new password hash, bound to them by b (held by the console alone), and
// ends their sessions but the one given (the user's own, when they change
// it themselves).
func (s *Store) SetPassword(ctx context.Context, username, hash string, b *seal.Binder, keep []byte, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM users WHERE username = $1 FOR UPDATE`, username).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %q: %w", username, ErrNotFound)
		}
		if err == nil {
			_, err = tx.Exec(ctx, `UPDATE users SET password_hash = $2, password_mac = $3 WHERE id = $1`,
				id, hash, b.MAC(id, seal.CredentialPassword, []byte(hash)))
		}
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_digest IS DISTINCT FROM $2`, id, keep); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		var ev events
		ev.add(0, EventPasswordSet, map[string]any{"user": username})
		return ev.write(ctx, tx, actor, s.now())
	})
}

// ResetTOTP removes a user's second factor, so that they enrol a new one
// at their next login, and ends their sessions.
func (s *Store) ResetTOTP(ctx context.Context, username, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `UPDATE users SET totp_sealed = NULL, totp_mac = NULL, totp_last_step = NULL WHERE username = $1 RETURNING id`, username).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %q: %w", username, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("reset second factor: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		var ev events
		ev.add(0, EventTOTPReset, map[string]any{"user": username})
		return ev.write(ctx, tx, actor, s.now())
	})
}

// UseTOTPStep records that a code of time step step was accepted for the
// user. It returns false when that step or a later one was used already:
// a code works once.
func (s *Store) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND coalesce(totp_last_step, 0) < $2`, userID, step)
	if err != nil {
		return false, fmt.Errorf("record second factor: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// SetSignature sets the first name a user signs answers with.
func (s *Store) SetSignature(ctx context.Context, userID int64, signature string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE users SET signature = nullif($2, '') WHERE id = $1`, userID, signature); err != nil {
		return fmt.Errorf("set signature: %w", err)
	}
	return nil
}

// Session is a signed-in console user, as each request sees them.
type Session struct {
	UserID       int64
	Username     string
	Role         account.Role
	Languages    []string
	Signature    string
	OnShift      bool
	AlertSound   bool // the console sounds its alerts while they are on shift
	SecondFactor bool // the second step of logging in is done (or none was needed)
	// Locked says nobody used the session for the idle time: the console
	// shows nothing of a case until the password is given again.
	Locked       bool
	TOTPEnrolled bool   // the user has a second factor
	TOTPPending  []byte // a secret being enrolled, sealed
	CreatedAt    time.Time
	SeenAt       time.Time
}

// CreateSession starts a session for the user, keyed by the digest of its
// token, and forgets sessions older than maxAge.
func (s *Store) CreateSession(ctx context.Context, digest []byte, userID int64, secondFactor bool, maxAge time.Duration) error {
	now := s.now()
	var addr *netip.Addr
	if a, ok := remoteAddr(ctx).(netip.Addr); ok {
		addr = &a
	}
	return s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE created_at < $1`, now.Add(-maxAge)); err != nil {
			return fmt.Errorf("forget old sessions: %w", err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO sessions (token_digest, user_id, created_at, seen_at, second_factor, remote_addr)
			VALUES ($1, $2, $3, $3, $4, $5)`, digest, userID, now, secondFactor, addr)
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
}

// Session returns the session of a token's digest if its user is not
// disabled nor waiting for a supervisor's confirmation, and it began
// within maxAge; ErrNotFound otherwise. A session not seen within idle is
// Locked. With touch set, an unlocked session counts as seen now:
// requests a person made do, the console's own background requests do
// not.
func (s *Store) Session(ctx context.Context, digest []byte, idle, maxAge time.Duration, touch bool) (Session, error) {
	now := s.now()
	var ss Session
	err := s.pool.QueryRow(ctx, `
		WITH t AS (UPDATE sessions SET seen_at = $2 WHERE $5 AND token_digest = $1 AND seen_at >= $3 AND created_at >= $4)
		SELECT u.id, u.username, u.role, u.languages, coalesce(u.signature, ''), u.on_shift, u.alert_sound,
			s.second_factor, u.totp_sealed IS NOT NULL, s.totp_pending, s.created_at, s.seen_at, s.seen_at < $3
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_digest = $1 AND s.created_at >= $4 AND NOT u.disabled AND u.pending_by IS NULL`,
		digest, now, now.Add(-idle), now.Add(-maxAge), touch).Scan(&ss.UserID, &ss.Username, &ss.Role, &ss.Languages,
		&ss.Signature, &ss.OnShift, &ss.AlertSound, &ss.SecondFactor, &ss.TOTPEnrolled, &ss.TOTPPending, &ss.CreatedAt, &ss.SeenAt, &ss.Locked)
	if errors.Is(err, pgx.ErrNoRows) {
		return ss, ErrNotFound
	}
	if err != nil {
		return ss, fmt.Errorf("read session: %w", err)
	}
	return ss, nil
}

// EventUnlocked records that a person unlocked their locked console.
const EventUnlocked EventKind = "console_unlocked"

// Unlock counts a locked session as seen now: its user gave their
// password again.
func (s *Store) Unlock(ctx context.Context, digest []byte, username string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE sessions SET seen_at = $2 WHERE token_digest = $1`, digest, s.now()); err != nil {
			return fmt.Errorf("unlock session: %w", err)
		}
		var ev events
		ev.add(0, EventUnlocked, map[string]any{"user": username})
		return ev.write(ctx, tx, "user:"+username, s.now())
	})
}

// SetAlertSound sets whether the user's console sounds its alerts.
func (s *Store) SetAlertSound(ctx context.Context, userID int64, on bool) error {
	if _, err := s.pool.Exec(ctx, `UPDATE users SET alert_sound = $2 WHERE id = $1`, userID, on); err != nil {
		return fmt.Errorf("set alert sound: %w", err)
	}
	return nil
}

// EndSession ends a session (logging out).
func (s *Store) EndSession(ctx context.Context, digest []byte) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_digest = $1`, digest); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// PassSecondFactor marks a session's second step of logging in done and
// gives it a new token (its digest next): a token seen before the second
// factor, by whoever watched the password go by, opens nothing after it.
func (s *Store) PassSecondFactor(ctx context.Context, digest, next []byte) error {
	if _, err := s.pool.Exec(ctx, `UPDATE sessions SET second_factor = true, totp_pending = NULL, token_digest = $2 WHERE token_digest = $1`, digest, next); err != nil {
		return fmt.Errorf("record second factor: %w", err)
	}
	return nil
}

// SetTOTPPending keeps a second-factor secret the session's user is
// enrolling, sealed, until they confirm it with a code.
func (s *Store) SetTOTPPending(ctx context.Context, digest, sealed []byte) error {
	if _, err := s.pool.Exec(ctx, `UPDATE sessions SET totp_pending = $2 WHERE token_digest = $1`, digest, sealed); err != nil {
		return fmt.Errorf("keep second-factor secret: %w", err)
	}
	return nil
}

// EnrolTOTP makes the session's pending secret its user's second factor,
// bound to them by b, with step as the step of the code that confirmed
// it, and marks the session's second step done under a new token (its
// digest next), as PassSecondFactor does.
func (s *Store) EnrolTOTP(ctx context.Context, digest, next []byte, step int64, b *seal.Binder, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var user string
		var id int64
		var pending []byte
		err := tx.QueryRow(ctx, `
			SELECT u.id, u.username, s.totp_pending FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE s.token_digest = $1 AND s.totp_pending IS NOT NULL FOR UPDATE`, digest).Scan(&id, &user, &pending)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("no second factor being enrolled: %w", ErrNotFound)
		}
		if err == nil {
			_, err = tx.Exec(ctx, `UPDATE users SET totp_sealed = $2, totp_mac = $3, totp_last_step = $4 WHERE id = $1`,
				id, pending, b.MAC(id, seal.CredentialTOTP, pending), step)
		}
		if err != nil {
			return fmt.Errorf("enrol second factor: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE sessions SET second_factor = true, totp_pending = NULL, token_digest = $2 WHERE token_digest = $1`, digest, next); err != nil {
			return fmt.Errorf("enrol second factor: %w", err)
		}
		var ev events
		ev.add(0, EventTOTPEnrolled, map[string]any{"user": user})
		return ev.write(ctx, tx, actor, s.now())
	})
}

// SecondFactorFailures counts the wrong second-factor codes given for a
// user since a time. Only someone who knew the password gets to give one,
// so a stranger's wrong passwords never count here.
func (s *Store) SecondFactorFailures(ctx context.Context, username string, since time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM case_events WHERE kind = $1 AND at >= $2 AND data->>'user' = $3 AND data->>'step' = 'second_factor'`,
		EventLoginFailed, since, username).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count failed second factors: %w", err)
	}
	return n, nil
}

// SetTOTP gives a user a second factor directly, sealed: for okit demo's
// ready-made supervisor, whose code its login page shows.
func (s *Store) SetTOTP(ctx context.Context, username string, sealed []byte, b *seal.Binder, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM users WHERE username = $1 FOR UPDATE`, username).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %q: %w", username, ErrNotFound)
		}
		if err == nil {
			_, err = tx.Exec(ctx, `UPDATE users SET totp_sealed = $2, totp_mac = $3, totp_last_step = NULL WHERE id = $1`,
				id, sealed, b.MAC(id, seal.CredentialTOTP, sealed))
		}
		if err != nil {
			return fmt.Errorf("set second factor: %w", err)
		}
		var ev events
		ev.add(0, EventTOTPEnrolled, map[string]any{"user": username})
		return ev.write(ctx, tx, actor, s.now())
	})
}

// BindCredentials gives the credentials that carry no MAC yet (those
// stored before schema 12) their MAC under b, and returns the names of
// the users it bound. A MAC that is there and fails is left failing: that
// row was written by someone without the console key.
func (s *Store) BindCredentials(ctx context.Context, b *seal.Binder, actor string) ([]string, error) {
	var bound []string
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, username, password_hash, totp_sealed FROM users
			WHERE (password_hash IS NOT NULL AND password_mac IS NULL) OR (totp_sealed IS NOT NULL AND totp_mac IS NULL)
			ORDER BY id FOR UPDATE`)
		if err != nil {
			return fmt.Errorf("read credentials: %w", err)
		}
		type row struct {
			id       int64
			name     string
			password *string
			totp     []byte
		}
		todo, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.name, &x.password, &x.totp)
		})
		if err != nil {
			return fmt.Errorf("read credentials: %w", err)
		}
		var ev events
		for _, x := range todo {
			var pw, totp []byte
			if x.password != nil {
				pw = b.MAC(x.id, seal.CredentialPassword, []byte(*x.password))
			}
			if x.totp != nil {
				totp = b.MAC(x.id, seal.CredentialTOTP, x.totp)
			}
			_, err := tx.Exec(ctx, `UPDATE users SET password_mac = coalesce(password_mac, $2), totp_mac = coalesce(totp_mac, $3) WHERE id = $1`,
				x.id, pw, totp)
			if err != nil {
				return fmt.Errorf("bind credentials: %w", err)
			}
			bound = append(bound, x.name)
			ev.add(0, EventCredentialsBound, map[string]any{"user": x.name})
		}
		return ev.write(ctx, tx, actor, s.now())
	})
	return bound, err
}
