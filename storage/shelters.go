package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Shelter is a crisis home in the directory. Its address and notes are
// sealed; the rest is what an operator needs to hand out a contact.
type Shelter struct {
	ID            int64
	Name          string
	Region        string
	IntakePhone   string
	AddressSealed []byte
	NotesSealed   []byte
	FreePlaces    int
	Active        bool
	UpdatedAt     time.Time
	UpdatedBy     string
}

// AddShelter puts a crisis home into the directory.
func (s *Store) AddShelter(ctx context.Context, h Shelter) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `
		INSERT INTO shelters (name, region, intake_phone, address_sealed, notes_sealed, free_places, active, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, true, $7, $8) RETURNING id`,
		h.Name, h.Region, h.IntakePhone, h.AddressSealed, h.NotesSealed, h.FreePlaces, s.now(), h.UpdatedBy).Scan(&id)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return 0, fmt.Errorf("crisis home %q: %w", h.Name, ErrExists)
	}
	if err != nil {
		return 0, fmt.Errorf("add crisis home: %w", err)
	}
	return id, nil
}

// Shelters lists the directory, active homes with free places first.
func (s *Store) Shelters(ctx context.Context) ([]Shelter, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, name, region, intake_phone, address_sealed, notes_sealed, free_places, active, updated_at, updated_by
		FROM shelters ORDER BY active DESC, free_places > 0 DESC, region, name`)
	if err != nil {
		return nil, fmt.Errorf("list crisis homes: %w", err)
	}
	hs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Shelter])
	if err != nil {
		return nil, fmt.Errorf("list crisis homes: %w", err)
	}
	return hs, nil
}

// SetShelterPlaces records how many places a home has free now, and an
// event saying who changed it from what.
func (s *Store) SetShelterPlaces(ctx context.Context, name string, places int, by string) error {
	return s.updateShelter(ctx, name, "free_places", places, by)
}

// SetShelterActive takes a home off the directory's offers, or back on,
// and records an event saying who did.
func (s *Store) SetShelterActive(ctx context.Context, name string, active bool, by string) error {
	return s.updateShelter(ctx, name, "active", active, by)
}

// updateShelter sets one column of a home (a name the callers above fix,
// never input) and writes an EventShelterUpdate with the old and new
// value in the same transaction.
func (s *Store) updateShelter(ctx context.Context, name, column string, value any, by string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var was any
		err := tx.QueryRow(ctx, `SELECT `+column+` FROM shelters WHERE name = $1 FOR UPDATE`, name).Scan(&was)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("crisis home %q: %w", name, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("update crisis home: %w", err)
		}
		now := s.now()
		_, err = tx.Exec(ctx, `UPDATE shelters SET `+column+` = $2, updated_at = $3, updated_by = $4 WHERE name = $1`,
			name, value, now, by)
		if err != nil {
			return fmt.Errorf("update crisis home: %w", err)
		}
		var ev events
		ev.add(0, EventShelterUpdate, map[string]any{"shelter": name, "what": column, "from": was, "to": value})
		return ev.write(ctx, tx, by, now)
	})
}
