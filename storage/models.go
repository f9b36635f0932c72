package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/triage"
)

// Events of the second opinion.
const (
	// EventModelTrained: okit triage learn stored a model (no case).
	EventModelTrained EventKind = "model_trained"
	// EventModelActivated: a supervisor made a model version the one
	// intake uses, or turned the second opinion off (no case).
	EventModelActivated EventKind = "model_activated"
	// EventTrainingOpened: okit triage learn decrypted the labelled
	// messages of the cases listed (no case: data.cases holds their ids).
	EventTrainingOpened EventKind = "training_opened"
	// EventPriorityConfirmed: the operator said the case's priority is
	// right; a label for the second opinion.
	EventPriorityConfirmed EventKind = "priority_confirmed"
)

// Model is a stored second-opinion model: its stored form and what its
// training measured, as secondopinion gives them.
type Model struct {
	Version      int
	Source       string // "starting" or "learned"
	Data         []byte // secondopinion's stored form
	Figures      json.RawMessage
	TrainedFrom  *time.Time
	TrainedUntil *time.Time
	CreatedAt    time.Time
	CreatedBy    string
	Active       bool
	ActivatedAt  *time.Time
	ActivatedBy  string
}

const modelColumns = `version, source, model, figures, trained_from, trained_until, created_at, created_by,
	active, activated_at, coalesce(activated_by, '')`

// SaveModel stores a trained model, inactive, and returns its version.
func (s *Store) SaveModel(ctx context.Context, m Model) (int, error) {
	var v int
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO triage_models (source, model, figures, trained_from, trained_until, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING version`,
			m.Source, m.Data, m.Figures, m.TrainedFrom, m.TrainedUntil, m.CreatedBy, s.now()).Scan(&v)
		if err != nil {
			return err
		}
		var ev events
		ev.add(0, EventModelTrained, map[string]any{"version": v, "source": m.Source})
		return ev.write(ctx, tx, m.CreatedBy, s.now())
	})
	if err != nil {
		return 0, fmt.Errorf("store model: %w", err)
	}
	return v, nil
}

// EnsureStartingModel stores the embedded starting model, inactive, unless
// one is stored already.
func (s *Store) EnsureStartingModel(ctx context.Context, data []byte, figures json.RawMessage) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO triage_models (source, model, figures, created_by, created_at)
		VALUES ('starting', $1, $2, 'okit', $3) ON CONFLICT DO NOTHING`, data, figures, s.now())
	if err != nil {
		return fmt.Errorf("store the starting model: %w", err)
	}
	return nil
}

// Models lists the stored models, newest first, without their weights.
func (s *Store) Models(ctx context.Context) ([]Model, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+modelColumns+` FROM triage_models ORDER BY version DESC`)
	if err != nil {
		return nil, fmt.Errorf("list models: %w", err)
	}
	ms, err := pgx.CollectRows(rows, scanModel)
	if err != nil {
		return nil, fmt.Errorf("list models: %w", err)
	}
	for i := range ms {
		ms[i].Data = nil
	}
	return ms, nil
}

func scanModel(r pgx.CollectableRow) (Model, error) {
	var m Model
	err := r.Scan(&m.Version, &m.Source, &m.Data, &m.Figures, &m.TrainedFrom, &m.TrainedUntil, &m.CreatedAt, &m.CreatedBy,
		&m.Active, &m.ActivatedAt, &m.ActivatedBy)
	return m, err
}

// ActiveModelVersion gives the version of the active model, 0 for none:
// a cheap question intake asks before each batch.
func (s *Store) ActiveModelVersion(ctx context.Context) (int, error) {
	var v int
	err := s.pool.QueryRow(ctx, `SELECT coalesce((SELECT version FROM triage_models WHERE active), 0)`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("active model: %w", err)
	}
	return v, nil
}

// ModelVersion reads one stored model with its weights.
func (s *Store) ModelVersion(ctx context.Context, version int) (Model, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+modelColumns+` FROM triage_models WHERE version = $1`, version)
	if err != nil {
		return Model{}, fmt.Errorf("read model %d: %w", version, err)
	}
	m, err := pgx.CollectExactlyOneRow(rows, scanModel)
	if errors.Is(err, pgx.ErrNoRows) {
		return Model{}, fmt.Errorf("model %d: %w", version, ErrNotFound)
	}
	if err != nil {
		return Model{}, fmt.Errorf("read model %d: %w", version, err)
	}
	return m, nil
}

// ActivateModel makes version the model intake uses from its next batch;
// version 0 turns the second opinion off. Activating an earlier version
// is a rollback. The change is an event.
func (s *Store) ActivateModel(ctx context.Context, version int, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var was int
		if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT version FROM triage_models WHERE active FOR UPDATE), 0)`).Scan(&was); err != nil {
			return fmt.Errorf("activate model: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE triage_models SET active = false WHERE active`); err != nil {
			return fmt.Errorf("activate model: %w", err)
		}
		if version != 0 {
			tag, err := tx.Exec(ctx, `UPDATE triage_models SET active = true, activated_at = $2, activated_by = $3 WHERE version = $1`,
				version, s.now(), actor)
			if err != nil {
				return fmt.Errorf("activate model %d: %w", version, err)
			}
			if tag.RowsAffected() == 0 {
				return fmt.Errorf("model %d: %w", version, ErrNotFound)
			}
		}
		var ev events
		ev.add(0, EventModelActivated, map[string]any{"version": version, "was": was})
		return ev.write(ctx, tx, actor, s.now())
	})
}

// ConfirmPriority records that the operator finds the case's priority
// right: a label for the second opinion.
func (s *Store) ConfirmPriority(ctx context.Context, ref, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var id int64
		var p triage.Priority
		err := tx.QueryRow(ctx, `SELECT id, priority FROM cases WHERE ref = $1`, ref).Scan(&id, &p)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("case %s: %w", ref, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("confirm priority: %w", err)
		}
		var ev events
		ev.add(id, EventPriorityConfirmed, map[string]any{"priority": int(p)})
		return ev.write(ctx, tx, actor, s.now())
	})
}

// Label is a case whose priority a person chose or confirmed, with the
// sealed first message of its writer: what okit triage learn trains on.
type Label struct {
	CaseID    int64
	Received  time.Time
	Priority  triage.Priority
	RawSealed []byte
}

// labelSQL finds a case's label: the latest priority an operator set by
// hand (with a reason) or confirmed; else, once the case had a human
// answer or was closed, its priority. Other cases have no label.
const labelSQL = `
	SELECT c.id, c.first_received, coalesce(
		(SELECT CASE e.kind WHEN 'priority_changed' THEN (e.data->>'to')::int ELSE (e.data->>'priority')::int END
		 FROM case_events e WHERE e.case_id = c.id
		   AND (e.kind = 'priority_confirmed' OR e.kind = 'priority_changed' AND e.data ? 'note')
		 ORDER BY e.id DESC LIMIT 1),
		CASE WHEN c.first_response_at IS NOT NULL OR c.status = 'closed' THEN c.priority END)
	FROM cases c WHERE c.first_received >= $1 AND c.first_received < $2`

// LabelCount counts the cases with a label (see Labels) received in
// [since, until).
func (s *Store) LabelCount(ctx context.Context, since, until time.Time) (total, p1 int, err error) {
	err = s.pool.QueryRow(ctx, `SELECT count(l.p), count(l.p) FILTER (WHERE l.p = 1) FROM (`+labelSQL+`) AS l(id, at, p)`,
		since, until).Scan(&total, &p1)
	if err != nil {
		return 0, 0, fmt.Errorf("count labels: %w", err)
	}
	return total, p1, nil
}

// Labels gives the labelled cases received in [since, until), oldest
// first, each with its first incoming message, sealed. Opening them is
// the caller's, and is recorded first: one EventTrainingOpened listing
// the cases (Record).
func (s *Store) Labels(ctx context.Context, since, until time.Time) ([]Label, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT l.id, l.at, l.p, m.raw_sealed FROM (`+labelSQL+`) AS l(id, at, p)
		CROSS JOIN LATERAL (SELECT raw_sealed FROM messages WHERE case_id = l.id AND direction = 'in' AND raw_sealed IS NOT NULL
			ORDER BY internal_date, id LIMIT 1) m
		WHERE l.p IS NOT NULL ORDER BY l.at, l.id`, since, until)
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	ls, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Label])
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	return ls, nil
}
