-- okit schema 13: how far okit reseal got. A key rotation starts a new
-- generation (named by the new key's fingerprint and index key version);
-- for each table, reseal has moved every row up to last_key to it, one
-- batch a transaction, so a reseal killed at any point resumes where its
-- last batch committed. Only ids and counts: nothing sealed.
CREATE TABLE reseal_progress (
    generation   text NOT NULL,
    table_name   text NOT NULL,
    last_key     text NOT NULL,           -- the last row done, by the table's key, as text
    rows_seen    bigint NOT NULL DEFAULT 0,
    rows_changed bigint NOT NULL DEFAULT 0,
    finished_at  timestamptz,            -- NULL while rows remain
    PRIMARY KEY (generation, table_name)
);
-- Reseal finds the replies that went to a message's address by the message.
CREATE INDEX outgoing_to_message ON outgoing (to_message);
