-- okit schema 1: mailbox checkpoints, cases, sealed messages, the case event log.
-- Columns named *_sealed hold OpenPGP ciphertext; columns named *_digest hold
-- HMAC-SHA-256 digests made with the index key. Nothing here is plaintext of a
-- message, a subject or an address.

CREATE TABLE mailboxes (
    name         text PRIMARY KEY,           -- "<imap user>/<mailbox>", the service's own account
    uidvalidity  bigint NOT NULL,
    last_uid     bigint NOT NULL DEFAULT 0,   -- every UID up to this one is stored (or left on the server)
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE case_ref_counters (
    year  integer PRIMARY KEY,
    last  integer NOT NULL
);

CREATE TABLE cases (
    id               bigserial PRIMARY KEY,
    ref              text NOT NULL UNIQUE,    -- OKIT-2026-000123
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    sender_digest    bytea,                   -- keyed digest of the first writer's address
    first_received   timestamptz NOT NULL,    -- INTERNALDATE of the first message
    last_received    timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_open_sender ON cases (sender_digest) WHERE status = 'open';

CREATE TABLE messages (
    id                 bigserial PRIMARY KEY,
    case_id            bigint NOT NULL REFERENCES cases (id),
    direction          text NOT NULL DEFAULT 'in' CHECK (direction IN ('in', 'out')),
    mailbox            text REFERENCES mailboxes (name),
    uidvalidity        bigint,
    uid                bigint,
    raw_sealed         bytea,                 -- NULL when the message was left on the server
    summary_sealed     bytea NOT NULL,        -- subject, sender, first lines: what a list shows
    raw_digest         bytea NOT NULL UNIQUE, -- makes a re-fetch after a crash harmless
    sender_digest      bytea,
    message_id_digest  bytea,
    size               bigint NOT NULL,
    internal_date      timestamptz NOT NULL,  -- the server's arrival time: clocks start here
    parse_status       text NOT NULL CHECK (parse_status IN ('ok', 'partial', 'failed', 'oversize')),
    stored_at          timestamptz NOT NULL DEFAULT now()
);
-- Ciphertext does not compress: store it without trying (saves CPU on every insert).
ALTER TABLE messages ALTER COLUMN raw_sealed SET STORAGE EXTERNAL, ALTER COLUMN summary_sealed SET STORAGE EXTERNAL;
CREATE INDEX messages_case ON messages (case_id, internal_date);
CREATE INDEX messages_message_id ON messages (message_id_digest);
CREATE INDEX messages_left ON messages (mailbox, uidvalidity) WHERE parse_status = 'oversize';

-- The case event log is append-only: response times and the audit trail are read from it.
CREATE TABLE case_events (
    id       bigserial PRIMARY KEY,
    case_id  bigint NOT NULL REFERENCES cases (id),
    at       timestamptz NOT NULL DEFAULT now(),
    kind     text NOT NULL,
    actor    text NOT NULL,                   -- 'intake', 'cli:<user>', later 'user:<id>'
    data     jsonb NOT NULL DEFAULT '{}'      -- ids and codes only, never message content
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();
