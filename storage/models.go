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
	Version int
	Source  string // "starting" or "learned"
	Data    []byte // secondopinion's stored form
	// IndexKeyVersion is the version of the index key a learned model's
	// features were hashed with; 0 for the starting model, and for one
	// learned before schema 17, which did not record it.
	IndexKeyVersion int
	Figures         json.RawMessage
	TrainedFrom     *time.Time
	TrainedUntil    *time.Time
	CreatedAt       time.Time
	CreatedBy       string
	Active          bool
	ActivatedAt     *time.Time
	ActivatedBy     string
}

const modelColumns = `version, source, model, coalesce(index_key_version, 0), figures, trained_from, trained_until, created_at, created_by,
	active, activated_at, coalesce(activated_by, '')`

// SaveModel stores a trained model, inactive, and returns its version.
func (s *Store) SaveModel(ctx context.Context, m Model) (int, error) {
	var v int
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO triage_models (source, model, index_key_version, figures, trained_from, trained_until, created_by, created_at)
			VALUES ($1, $2, nullif($3, 0), $4, $5, $6, $7, $8) RETURNING version`,
			m.Source, m.Data, m.IndexKeyVersion, m.Figures, m.TrainedFrom, m.TrainedUntil, m.CreatedBy, s.now()).Scan(&v)
		if err != nil {
			return err
		}
		var ev events
		ev.add(0, EventModelTrained, map[string]any{"version": v, "source": m.Source, "index_key_version": m.IndexKeyVersion})
		return ev.write(ctx, tx, m.CreatedBy, s.now())
	})
	if err != nil {
		return 0, fmt.Errorf("store model: %w", err)
	}
	return v, nil
}

// EnsureStartingModel stores the embedded starting model, inactive, unless
// the same model is stored already: a release with a new starting model
// adds a version for a supervisor to activate, and changes nothing that
// is in use.
func (s *Store) EnsureStartingModel(ctx context.Context, data []byte, figures json.RawMessage) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO triage_models (source, model, figures, created_by, created_at)
		VALUES ('starting', $1, $2, 'okit', $3) ON CONFLICT ((md5(model))) WHERE source = 'starting' DO NOTHING`, data, figures, s.now())
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
	err := r.Scan(&m.Version, &m.Source, &m.Data, &m.IndexKeyVersion, &m.Figures, &m.TrainedFrom, &m.TrainedUntil, &m.CreatedAt, &m.CreatedBy,
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

// ConfirmPriority records that the operator who answers the case finds
// its priority right: a label for the second opinion. That is the
// case's assignee, or anyone while it has none, as for an answer
// (Reply): a colleague's case is refused with ErrAssignedElsewhere.
func (s *Store) ConfirmPriority(ctx context.Context, ref string, userID int64, actor string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var id, assignee int64
		var p triage.Priority
		err := tx.QueryRow(ctx, `SELECT id, priority, coalesce(assignee_id, 0) FROM cases WHERE ref = $1 FOR UPDATE`, ref).Scan(&id, &p, &assignee)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("case %s: %w", ref, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("confirm priority: %w", err)
		}
		if assignee != 0 && assignee != userID {
			return fmt.Errorf("confirm the priority of case %s: %w", ref, ErrAssignedElsewhere)
		}
		var ev events
		ev.add(id, EventPriorityConfirmed, map[string]any{"priority": int(p)})
		return ev.write(ctx, tx, actor, s.now())
	})
}

// Label is one message of a writer with the priority a person gave its
// case having read it: what okit triage learn trains on.
type Label struct {
	CaseID    int64
	MessageID int64
	Received  time.Time
	Priority  triage.Priority
	RawSealed []byte
}

// labelSQL gives, for the writer's messages of the cases first received
// in [$1, $2), each message's label, read from the event log alone (the
// events say who and when; event ids give their order):
//
//   - The judgements of a case are its moments a person stood behind a
//     priority: its first human answer and each closing (not a merge), at
//     the priority the case had then (its latest priority_changed
//     before), each change an operator made with a reason, and each
//     confirmation.
//   - A message's label is the last judgement made before the writer
//     wrote again after one (a correction or a confirmation overrides the
//     first answer's priority). Messages that came one after another
//     before anyone judged were read together and share that label. A
//     message no one judged after has none.
const labelSQL = `
	WITH period AS (SELECT id FROM cases WHERE first_received >= $1 AND first_received < $2),
	judged AS (
		SELECT e.case_id, e.id AS eid, CASE
			WHEN e.kind = 'priority_changed' THEN (e.data->>'to')::int
			WHEN e.kind = 'priority_confirmed' THEN (e.data->>'priority')::int
			ELSE (SELECT (p.data->>'to')::int FROM case_events p
				WHERE p.case_id = e.case_id AND p.kind = 'priority_changed' AND p.id < e.id ORDER BY p.id DESC LIMIT 1)
			END AS p
		FROM case_events e JOIN period ON period.id = e.case_id
		WHERE e.kind = 'first_response' OR e.kind = 'priority_confirmed'
		   OR e.kind = 'priority_changed' AND e.data ? 'note'
		   OR e.kind = 'case_closed' AND coalesce(e.data->>'reason', '') <> 'merged'),
	arrived AS (
		SELECT m.id, m.case_id, r.id AS eid, r.at, m.raw_sealed IS NOT NULL AS sealed,
			lead(r.id) OVER (PARTITION BY m.case_id ORDER BY r.id) AS next
		FROM messages m JOIN period ON period.id = m.case_id
		JOIN case_events r ON r.kind = 'message_received' AND (r.data->>'message_id')::bigint = m.id
		WHERE m.direction = 'in')
	SELECT a.case_id, a.id, a.at, (
		SELECT j.p FROM judged j WHERE j.case_id = a.case_id AND j.eid > a.eid AND j.eid < coalesce((
			SELECT min(b.eid) FROM arrived b WHERE b.case_id = a.case_id
			   AND b.eid > (SELECT min(k.eid) FROM judged k WHERE k.case_id = a.case_id AND k.eid > a.eid)), 9223372036854775807)
		ORDER BY j.eid DESC LIMIT 1) AS p
	FROM arrived a WHERE a.sealed`

// LabelCount counts the labelled messages (see Labels) of the cases
// received in [since, until).
func (s *Store) LabelCount(ctx context.Context, since, until time.Time) (total, p1 int, err error) {
	err = s.pool.QueryRow(ctx, `SELECT count(l.p), count(l.p) FILTER (WHERE l.p = 1) FROM (`+labelSQL+`) AS l(case_id, id, at, p)`,
		since, until).Scan(&total, &p1)
	if err != nil {
		return 0, 0, fmt.Errorf("count labels: %w", err)
	}
	return total, p1, nil
}

// Labels gives the labelled messages of the cases received in [since,
// until), oldest first, sealed. Opening them is the caller's, and is
// recorded first: one EventTrainingOpened listing the cases (Record).
func (s *Store) Labels(ctx context.Context, since, until time.Time) ([]Label, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT l.case_id, l.id, l.at, l.p, m.raw_sealed FROM (`+labelSQL+`) AS l(case_id, id, at, p)
		JOIN messages m ON m.id = l.id
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
