package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Search events: the console's process opens every case's texts once at
// start to build its search index, and says so first; a person's search
// is recorded with its words sealed.
const (
	EventSearchIndex EventKind = "search_index_build"
	EventSearched    EventKind = "searched"
)

// SearchCase is a case as the console's search index takes it: its facts,
// and a version of its sealed texts (how many the writer's messages and
// the notes are, and their latest ids), by which the index sees whether
// its words are still the case's.
type SearchCase struct {
	ID            int64
	Ref           string
	Status        string
	Priority      int
	Categories    []string
	Assignee      string
	FirstReceived time.Time
	LastReceived  time.Time
	Version       string
}

// SearchFilter chooses the cases SearchCases reads: those of IDs, or else
// a batch of Limit cases after the id AfterID.
type SearchFilter struct {
	IDs     []int64
	AfterID int64
	Limit   int
}

// SearchCases reads cases for the search index, by id.
func (s *Store) SearchCases(ctx context.Context, f SearchFilter) ([]SearchCase, error) {
	where, args := `c.id > $1 ORDER BY c.id LIMIT $2`, []any{f.AfterID, f.Limit}
	if f.IDs != nil {
		where, args = `c.id = ANY($1)`, []any{f.IDs}
	}
	rows, err := s.pool.Query(ctx, `
		SELECT c.id, c.ref, c.status, c.priority, c.categories, coalesce(u.username, ''), c.first_received, c.last_received,
			concat_ws(':', m.n, m.last, n.n, n.last)
		FROM cases c LEFT JOIN users u ON u.id = c.assignee_id
		CROSS JOIN LATERAL (SELECT count(*) AS n, max(id) AS last FROM messages
			WHERE case_id = c.id AND direction = 'in' AND summary_sealed IS NOT NULL) m
		CROSS JOIN LATERAL (SELECT count(*) AS n, max(id) AS last FROM notes WHERE case_id = c.id) n
		WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read cases for search: %w", err)
	}
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[SearchCase])
	if err != nil {
		return nil, fmt.Errorf("read cases for search: %w", err)
	}
	return cs, nil
}

// SealedText is one sealed text of a case that search reads: a writer's
// message (its summary and, when stored, its raw bytes) or a note.
type SealedText struct {
	CaseID  int64
	Summary []byte // a message's sealed summary; nil for a note
	Raw     []byte // a message's sealed raw bytes; nil when not stored
	Note    []byte // a note's sealed body; nil for a message
}

// SealedTexts reads the sealed texts of cases for the search index: the
// writers' messages and the notes, still sealed. Reading them records
// nothing: the index is no person's reading, and a person who finds a
// case through it sees only what the search page records.
func (s *Store) SealedTexts(ctx context.Context, caseIDs []int64) ([]SealedText, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT case_id, summary_sealed, raw_sealed, NULL::bytea FROM messages
		WHERE case_id = ANY($1) AND direction = 'in' AND summary_sealed IS NOT NULL
		UNION ALL SELECT case_id, NULL, NULL, body_sealed FROM notes WHERE case_id = ANY($1)`, caseIDs)
	if err != nil {
		return nil, fmt.Errorf("read sealed texts for search: %w", err)
	}
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[SealedText])
	if err != nil {
		return nil, fmt.Errorf("read sealed texts for search: %w", err)
	}
	return ts, nil
}
