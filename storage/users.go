package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/triage"
)

// ErrExists is returned when a user of that name already exists.
var ErrExists = errors.New("already exists")

// User is a person who works in okit.
type User struct {
	ID        int64
	Username  string
	Role      account.Role
	Languages []string
	Skills    []string // category names
	LoadLimit int
	OnShift   bool
	Disabled  bool
	Open      int // open cases assigned now
}

// HasSkill reports whether the user specialises in a category.
func (u User) HasSkill(category string) bool { return slices.Contains(u.Skills, category) }

// AddUser creates a user, recording who added them.
func (s *Store) AddUser(ctx context.Context, u User, actor string) (int64, error) {
	var id int64
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO users (username, role, languages, skills, load_limit) VALUES ($1, $2, coalesce($3::text[], '{hu}'), coalesce($4::text[], '{}'), $5) RETURNING id`,
			u.Username, u.Role, u.Languages, u.Skills, u.LoadLimit).Scan(&id)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return fmt.Errorf("user %q: %w", u.Username, ErrExists)
		}
		if err != nil {
			return fmt.Errorf("add user: %w", err)
		}
		var ev events
		ev.add(0, EventUserAdded, map[string]any{"user": u.Username, "role": u.Role})
		return ev.write(ctx, tx, actor, s.now())
	})
	return id, err
}

// UpdateUser changes a user's role, languages, skills and load limit,
// recording who changed what to what. A change of role ends their
// sessions: what they may see changes with it.
func (s *Store) UpdateUser(ctx context.Context, u User, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var id int64
		var oldRole account.Role
		err := tx.QueryRow(ctx, `SELECT id, role FROM users WHERE username = $1 FOR UPDATE`, u.Username).Scan(&id, &oldRole)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %q: %w", u.Username, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("change user: %w", err)
		}
		_, err = tx.Exec(ctx, `UPDATE users SET role = $2, languages = $3, skills = coalesce($4::text[], '{}'), load_limit = $5 WHERE id = $1`,
			id, u.Role, u.Languages, u.Skills, u.LoadLimit)
		if err != nil {
			return fmt.Errorf("change user: %w", err)
		}
		if oldRole != u.Role {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		var ev events
		ev.add(0, EventUserChanged, map[string]any{"user": u.Username, "role": u.Role, "languages": u.Languages,
			"skills": u.Skills, "load_limit": u.LoadLimit})
		return ev.write(ctx, tx, actor, s.now())
	})
}

// Users lists every user with their open load.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT u.id, u.username, u.role, u.languages, u.skills, u.load_limit, u.on_shift, u.disabled,
			(SELECT count(*) FROM cases c WHERE c.assignee_id = u.id AND c.status = 'open')::int
		FROM users u ORDER BY u.username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	us, err := pgx.CollectRows(rows, pgx.RowToStructByPos[User])
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

// StartShift puts a user on shift and gives them, and the others on
// shift, the cases that were waiting for someone. It returns how many
// cases were assigned.
func (s *Store) StartShift(ctx context.Context, username, actor string) (int, error) {
	var n int
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		if err := s.setShift(ctx, tx, username, true); err != nil {
			return err
		}
		var err error
		n, err = s.assignWaiting(ctx, tx, actor, "shift_started", `c.assignee_id IS NULL OR NOT EXISTS
			(SELECT 1 FROM users u WHERE u.id = c.assignee_id AND u.on_shift AND NOT u.disabled)`)
		return err
	})
	return n, err
}

// EndShift takes a user off shift and hands their open cases that still
// wait for a first response to colleagues on shift. It returns how many
// were handed over.
func (s *Store) EndShift(ctx context.Context, username, actor string) (int, error) {
	return s.leave(ctx, username, actor, false)
}

// DisableUser ends a user's shift and sessions, hands over their cases as
// EndShift does, and keeps them from logging in or being assigned again.
func (s *Store) DisableUser(ctx context.Context, username, actor string) (int, error) {
	return s.leave(ctx, username, actor, true)
}

// EnableUser lets a disabled user log in and be assigned again. They come
// back off shift, with no sessions and none of the cases handed over.
func (s *Store) EnableUser(ctx context.Context, username, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var disabled bool
		err := tx.QueryRow(ctx, `SELECT disabled FROM users WHERE username = $1 FOR UPDATE`, username).Scan(&disabled)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %q: %w", username, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("enable user: %w", err)
		}
		if !disabled {
			return fmt.Errorf("user %q is not disabled: %w", username, ErrUnchanged)
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET disabled = false WHERE username = $1`, username); err != nil {
			return fmt.Errorf("enable user: %w", err)
		}
		var ev events
		ev.add(0, EventUserEnabled, map[string]any{"user": username})
		return ev.write(ctx, tx, actor, s.now())
	})
}

func (s *Store) leave(ctx context.Context, username, actor string, disable bool) (int, error) {
	var n int
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		if err := s.setShift(ctx, tx, username, false); err != nil {
			return err
		}
		if disable {
			if _, err := tx.Exec(ctx, `UPDATE users SET disabled = true WHERE username = $1`, username); err != nil {
				return fmt.Errorf("disable user: %w", err)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)`, username); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
			var ev events
			ev.add(0, EventUserDisabled, map[string]any{"user": username})
			if err := ev.write(ctx, tx, actor, s.now()); err != nil {
				return err
			}
		}
		var err error
		n, err = s.assignWaiting(ctx, tx, actor, "shift_ended", unansweredOf(`(SELECT id FROM users WHERE username = $1)`), username)
		return err
	})
	return n, err
}

// unansweredOf is the condition (over cases c) of the open cases a person
// hands over when they leave: theirs, still waiting for a first answer.
// user is the SQL of their id.
func unansweredOf(user string) string {
	return `c.first_response_at IS NULL AND c.assignee_id = ` + user
}

// assignWaiting assigns the open cases matching where and counts those
// that found an operator.
func (s *Store) assignWaiting(ctx context.Context, tx pgx.Tx, actor, why, where string, args ...any) (int, error) {
	needs, err := waiting(ctx, tx, where, args...)
	if err != nil {
		return 0, err
	}
	chosen, _, err := assign(ctx, tx, needs, actor, why, s.now())
	n := 0
	for _, id := range chosen {
		if id != 0 {
			n++
		}
	}
	return n, err
}

// setShift starts or ends a user's shift.
func (s *Store) setShift(ctx context.Context, tx pgx.Tx, username string, on bool) error {
	var id int64
	var was, disabled bool
	err := tx.QueryRow(ctx, `SELECT id, on_shift, disabled FROM users WHERE username = $1 FOR UPDATE`, username).Scan(&id, &was, &disabled)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("user %q: %w", username, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("read user: %w", err)
	}
	if on && disabled {
		return fmt.Errorf("user %q is disabled", username)
	}
	if was == on {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET on_shift = $2 WHERE id = $1`, id, on); err != nil {
		return fmt.Errorf("set shift: %w", err)
	}
	q := `UPDATE shifts SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`
	if on {
		q = `INSERT INTO shifts (user_id, started_at) VALUES ($1, $2)`
	}
	if _, err := tx.Exec(ctx, q, id, s.now()); err != nil {
		return fmt.Errorf("record shift: %w", err)
	}
	return nil
}

// waiting loads the open cases matching where (over cases c), most urgent
// first, as needs for assignment.
func waiting(ctx context.Context, tx pgx.Tx, where string, args ...any) ([]caseNeed, error) {
	rows, err := tx.Query(ctx, `
		SELECT c.id, c.priority, c.categories, c.language, coalesce(c.assignee_id, 0)
		FROM cases c WHERE c.status = 'open' AND (`+where+`)
		ORDER BY c.priority, c.due_at NULLS LAST, c.id FOR UPDATE OF c`, args...)
	if err != nil {
		return nil, fmt.Errorf("load waiting cases: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (caseNeed, error) {
		var c caseNeed
		var cats []string
		err := r.Scan(&c.id, &c.need.Priority, &cats, &c.need.Language, &c.need.Current)
		for _, k := range cats {
			c.need.Categories = append(c.need.Categories, triage.Category(k))
		}
		return c, err
	})
}
