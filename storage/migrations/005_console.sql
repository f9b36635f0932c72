-- okit schema 5: the web console. Credentials and sessions, sealed notes,
-- closing cases, where an event came from, and notifications that let the
-- console show changes live.

-- A user logs in with a password (argon2id, PHC string) and, where required,
-- a TOTP code whose secret is sealed to the organisation's key.
ALTER TABLE users
    ADD COLUMN password_hash  text,        -- NULL: cannot log in yet
    ADD COLUMN totp_sealed    bytea,       -- NULL: no second factor enrolled
    ADD COLUMN totp_last_step bigint,      -- the last time step a code was used for: no replay
    ADD COLUMN signature      text;        -- the first name their answers are signed with

-- Sessions are kept here, not in the cookie: logging out or disabling a
-- user ends them at once. The cookie holds a random token; only its
-- SHA-256 is stored, so a copy of this table opens no session.
CREATE TABLE sessions (
    token_digest   bytea PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL,
    seen_at        timestamptz NOT NULL,
    second_factor  boolean NOT NULL DEFAULT false,   -- the TOTP code was given, or none is needed
    totp_pending   bytea,                            -- a TOTP secret being enrolled, sealed
    remote_addr    inet
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Operators' notes on a case and the reasons they give for a priority, as
-- OpenPGP ciphertext. Events refer to them by id.
CREATE TABLE notes (
    id           bigserial PRIMARY KEY,
    case_id      bigint NOT NULL REFERENCES cases (id),
    kind         text NOT NULL CHECK (kind IN ('note', 'priority_reason')),
    body_sealed  bytea NOT NULL,
    author       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_case ON notes (case_id, id);

ALTER TABLE cases ADD COLUMN closed_at timestamptz;

-- Events that are about no case (a login, a failed login, an export) have
-- no case_id; an event caused from the console records the address it came
-- from.
ALTER TABLE case_events ALTER COLUMN case_id DROP NOT NULL, ADD COLUMN remote_addr inet;
CREATE INDEX case_events_actor ON case_events (actor, id);
CREATE INDEX case_events_kind ON case_events (kind, at);

-- Priority reasons were kept sealed inside their events; they move to notes
-- so that purging a case can remove them while its events stay. This is the
-- one rewrite of the event log, made before it is hash-chained.
INSERT INTO notes (case_id, kind, body_sealed, author, created_at)
SELECT case_id, 'priority_reason', decode(data->>'reason_sealed', 'base64'), actor, at
FROM case_events WHERE kind = 'priority_changed' AND data ? 'reason_sealed' ORDER BY id;
ALTER TABLE case_events DISABLE TRIGGER case_events_append_only;
UPDATE case_events e SET data = (e.data - 'reason_sealed') || jsonb_build_object('note', n.id)
FROM notes n
WHERE e.kind = 'priority_changed' AND e.data ? 'reason_sealed' AND n.case_id = e.case_id
    AND n.kind = 'priority_reason' AND n.created_at = e.at AND n.author = e.actor;
ALTER TABLE case_events ENABLE TRIGGER case_events_append_only;

-- Live updates: after events are written, the console hears which cases
-- changed (ids only, never content). Reading is an event too but changes
-- nothing, so it is not announced: a console refreshing on news would
-- otherwise announce its own reading, forever.
CREATE FUNCTION case_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text;
BEGIN
    SELECT string_agg(DISTINCT case_id::text, ',') INTO ids FROM (
        SELECT case_id FROM new_events
        WHERE case_id IS NOT NULL AND kind NOT IN ('summary_decrypted', 'case_viewed', 'attachment_downloaded')
        LIMIT 500) AS changed;
    IF ids IS NOT NULL THEN
        PERFORM pg_notify('okit_cases', ids);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER case_events_notify AFTER INSERT ON case_events
    REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION case_events_notify();
