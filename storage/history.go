package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ncsszi/okit/intake"
)

// DefaultReopenWithin is how long after its close a verified writer's
// new mail reopens their case rather than opening another
// (OKIT_REOPEN_WITHIN).
const DefaultReopenWithin = 14 * 24 * time.Hour

// SetReopenWithin sets how long after its close a case is reopened by
// its verified writer's new mail; DefaultReopenWithin unless set. Set it
// before the store saves mail.
func (s *Store) SetReopenWithin(d time.Duration) { s.reopenWithin = d }

// shownWriter is the condition over case_writers (named by alias) of an
// address shown to be the case's writer's: the From of a message whose
// receiving server verified it, or an address an operator confirmed. Only
// such an address reopens a case, links a writer's cases or brings back
// their operator: a From anyone could write must not lead a stranger into
// a victim's history. The first clause lets case_writers_joins serve.
func shownWriter(alias string) string {
	return fmt.Sprintf(`(%[1]s.field = 'from' OR %[1]s.source = 'confirmed') AND (%[1]s.source = 'confirmed'
		OR EXISTS (SELECT 1 FROM messages vm WHERE vm.id = %[1]s.message_id AND vm.sender_verified))`, alias)
}

// lookupReturning finds, for each sender, their latest case closed since
// closedAfter (intake.Known.Returning). Only verified senders are asked
// for: Thread reopens for no other. After an index key rotation their
// earlier digests are asked for too, as lookup does.
func lookupReturning(ctx context.Context, tx pgx.Tx, recs []intake.Record, closedAfter time.Time, k *intake.Known) error {
	var senders [][]byte
	alias := earlierDigests(recs)
	for _, r := range recs {
		if r.SenderDigest != nil && r.Auth.Verified {
			senders = append(senders, r.SenderDigest)
			for d, current := range alias {
				if string(current) == string(r.SenderDigest) {
					senders = append(senders, []byte(d))
				}
			}
		}
	}
	k.Returning = map[string]intake.CaseLink{}
	if len(senders) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT s.d, c.id, c.ref FROM (SELECT DISTINCT d FROM unnest($1::bytea[]) AS u(d)) s
		CROSS JOIN LATERAL (SELECT c.id, c.ref FROM case_writers w JOIN cases c ON c.id = w.case_id
			WHERE w.address_digest = s.d AND `+shownWriter("w")+` AND c.status = 'closed' AND c.closed_at >= $2
				AND c.merged_into IS NULL AND c.purged_at IS NULL
			ORDER BY c.closed_at DESC LIMIT 1) c`, pgx.QueryExecModeExec, senders, closedAfter)
	if err != nil {
		return fmt.Errorf("look up returning writers: %w", err)
	}
	var d []byte
	c := intake.CaseLink{Closed: true}
	_, err = pgx.ForEachRow(rows, []any{&d, &c.ID, &c.Ref}, func() error {
		k.Returning[alias.of(d)] = c
		return nil
	})
	if err != nil {
		return fmt.Errorf("look up returning writers: %w", err)
	}
	return nil
}

// lastAnswerers finds, for each of the cases, the operator (user id) who
// last answered its writer in another case, where the writer is shown to
// be the same person in both.
func lastAnswerers(ctx context.Context, tx pgx.Tx, caseIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT ON (mine.case_id) mine.case_id, u.id
		FROM case_writers mine
		JOIN case_writers w ON w.address_digest = mine.address_digest AND w.case_id <> mine.case_id
		JOIN outgoing o ON o.case_id = w.case_id AND o.kind IN ('answer', 'crisis_home')
		JOIN users u ON o.actor = 'user:' || u.username
		WHERE mine.case_id = ANY($1) AND `+shownWriter("mine")+` AND `+shownWriter("w")+`
		ORDER BY mine.case_id, o.created_at DESC, o.id DESC`, caseIDs)
	if err != nil {
		return nil, fmt.Errorf("look up writers' operators: %w", err)
	}
	var c, u int64
	_, err = pgx.ForEachRow(rows, []any{&c, &u}, func() error {
		out[c] = u
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look up writers' operators: %w", err)
	}
	return out, nil
}

// EarlierCase is another case of the same writer.
type EarlierCase struct {
	Ref           string
	Status        string
	FirstReceived time.Time
	ClosedAt      *time.Time
}

// WriterHistory lists the writer's other cases, latest first: those
// where an address shown to be this case's writer's (shownWriter) is
// shown to be the writer's too. A case whose writer is not verified has
// none.
func (s *Store) WriterHistory(ctx context.Context, caseID int64) ([]EarlierCase, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.ref, c.status, c.first_received, c.closed_at FROM cases c
		WHERE c.merged_into IS NULL AND c.id IN (SELECT w.case_id FROM case_writers mine
			JOIN case_writers w ON w.address_digest = mine.address_digest AND w.case_id <> mine.case_id
			WHERE mine.case_id = $1 AND `+shownWriter("mine")+` AND `+shownWriter("w")+`)
		ORDER BY c.first_received DESC, c.id DESC LIMIT 50`, caseID)
	if err != nil {
		return nil, fmt.Errorf("writer's history: %w", err)
	}
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[EarlierCase])
	if err != nil {
		return nil, fmt.Errorf("writer's history: %w", err)
	}
	return cs, nil
}
