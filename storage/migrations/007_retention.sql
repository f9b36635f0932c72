-- okit schema 7: retention. A closed case older than the retention period
-- is purged: every sealed content and keyed digest of it is removed, its
-- rows stay with their anonymous figures (times, sizes, priorities,
-- categories, states), and its events stay, with one more saying so.

ALTER TABLE cases ADD COLUMN purged_at timestamptz;   -- NULL: its content is kept

-- A purged message keeps its row (its times count in the figures) but no
-- longer its summary or digests.
ALTER TABLE messages ALTER COLUMN summary_sealed DROP NOT NULL, ALTER COLUMN raw_digest DROP NOT NULL;

-- The purge finds its work by closing time; purged_at lets it skip, by the
-- index alone, what it did before.
CREATE INDEX cases_retention ON cases (closed_at) INCLUDE (purged_at) WHERE status = 'closed';
