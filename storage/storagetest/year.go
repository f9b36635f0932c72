package storagetest

import (
	"context"
	"testing"
	"time"

	"github.com/ncsszi/okit/account"
	"github.com/ncsszi/okit/storage"
)

// The year WriteYear writes: December 2025 to November 2026, Budapest time.
var (
	YearFrom = time.Date(2025, 12, 1, 0, 0, 0, 0, cet)
	YearTo   = time.Date(2026, 12, 1, 0, 0, 0, 0, cet)
)

// yearOfCases fills a year, December 2025 to November 2026, with 200,000
// cases (one every 158 s, priorities and categories in turn, 95% closed a
// day later, one in fifty closed and reopened before), 1,000,000 messages
// (four of the writer's, one acknowledgement copy per case), an
// acknowledgement per case, a first answer for most (up to 1.2 times the
// target, so about one in six breaches), and their events: about 1.8
// million. Rows go in by INSERT … SELECT generate_series: the write paths
// would take hours.
const yearOfCases = `

INSERT INTO cases (id, ref, status, first_received, last_received, priority, categories, language, assignee_id,
	due_at, first_response_at, closed_at)
SELECT i, 'OKIT-B-' || i, CASE WHEN i % 20 = 0 THEN 'open' ELSE 'closed' END, t, t + interval '30 min', p,
	ARRAY[(ARRAY['partner_violence', 'child_abuse', 'family_violence', 'trafficking', 'prostitution',
		'shelter_request', 'legal_info', 'information'])[1 + i % 8]], 'hu',
	CASE WHEN i % 20 = 0 THEN 1 + (i / 20) % 20 END,
	t + tgt, CASE WHEN i % 40 <> 0 THEN t + tgt * (((i * 37) % 120) / 100.0) END,
	CASE WHEN i % 20 <> 0 THEN t + interval '1 day' END
FROM (
	SELECT i, timestamptz '2025-12-01 00:00+01' + i * interval '157.68 s' AS t, 1 + i % 4 AS p,
		(ARRAY[interval '15 min', interval '2 h', interval '24 h', interval '72 h'])[1 + i % 4] AS tgt
	FROM generate_series(1, 200000) AS i) AS s;

INSERT INTO messages (id, case_id, direction, summary_sealed, raw_digest, size, internal_date, parse_status, priority, categories)
SELECT m, c.id, CASE WHEN (m - 1) % 5 = 1 THEN 'out' ELSE 'in' END, '\x00', int8send(m), 100,
	c.first_received + ((m - 1) % 5) * interval '10 min', 'ok', c.priority, c.categories
FROM generate_series(1, 1000000) AS m JOIN cases c ON c.id = (m - 1) / 5 + 1;

INSERT INTO outgoing (id, case_id, answers, kind, automatic, state, copy_id, created_at, sent_at)
SELECT id, id, (id - 1) * 5 + 1, 'ack', true, 'sent', (id - 1) * 5 + 2, first_received,
	first_received + (1 + id % 5) * interval '1 min'
FROM cases;

INSERT INTO case_events (case_id, at, kind, actor, data)
SELECT case_id, at, kind, actor, data::jsonb FROM (
	SELECT id AS case_id, first_received AS at, 'case_opened' AS kind, 'intake' AS actor, '{}' AS data FROM cases
	UNION ALL SELECT case_id, internal_date, 'message_received', 'intake', '{"message_id": ' || id || '}'
		FROM messages WHERE direction = 'in'
	UNION ALL SELECT case_id, sent_at, 'ack_sent', 'replies', '{"outgoing": ' || id || '}' FROM outgoing
	UNION ALL SELECT id, first_response_at, 'reply_queued', 'user:' || (1 + id % 20), '{"kind": "answer"}'
		FROM cases WHERE first_response_at IS NOT NULL
	UNION ALL SELECT id, first_response_at, 'first_response', 'user:' || (1 + id % 20), '{}'
		FROM cases WHERE first_response_at IS NOT NULL
	UNION ALL SELECT id, first_received + interval '6 h', 'case_closed', 'user:1', '{}' FROM cases WHERE id % 50 = 1
	UNION ALL SELECT id, first_received + interval '12 h', 'case_reopened', 'user:1', '{"reason": "operator"}'
		FROM cases WHERE id % 50 = 1
	UNION ALL SELECT id, closed_at, 'case_closed', 'user:' || (1 + id % 20), '{}' FROM cases WHERE closed_at IS NOT NULL
) AS e ORDER BY at, kind;

-- The rows above chose their ids: later inserts must not collide with them.
SELECT setval(pg_get_serial_sequence(t, 'id'), (SELECT 1000000 + count(*) FROM users))
	FROM unnest(ARRAY['users', 'cases', 'messages', 'outgoing']) AS t;
`

// WriteYear writes yearOfCases into st's schema, then vacuums and analyses
// as autovacuum would have by then (statistics, and the visibility map
// that lets the figures read indexes alone). It takes about a minute.
func WriteYear(tb testing.TB, st *storage.Store) {
	tb.Helper()
	ctx := context.Background()
	start := time.Now()
	_, err := Pool(st).Exec(ctx, `INSERT INTO users (id, username, role) SELECT g, 'op' || g, $1 FROM generate_series(1, 20) AS g`,
		account.Operator)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := Pool(st).Exec(ctx, yearOfCases); err != nil {
		tb.Fatal(err)
	}
	if _, err := Pool(st).Exec(ctx, `VACUUM ANALYZE cases, messages, outgoing, case_events, users`); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("a year of cases written in %s", time.Since(start).Round(time.Second))
}
