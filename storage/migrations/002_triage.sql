-- okit schema 2: triage verdicts, operators and their shifts, assignment and
-- response clocks. Rule ids, categories and flags are stored in clear: they
-- name rules, never words of a message.

ALTER TABLE messages
    ADD COLUMN priority        smallint CHECK (priority BETWEEN 1 AND 4),
    ADD COLUMN categories      text[] NOT NULL DEFAULT '{}',
    ADD COLUMN flags           text[] NOT NULL DEFAULT '{}',
    ADD COLUMN language        text,
    ADD COLUMN rules           text[] NOT NULL DEFAULT '{}',
    ADD COLUMN ruleset_version text;

CREATE TABLE users (
    id               bigserial PRIMARY KEY,
    username         text NOT NULL UNIQUE,
    role             text NOT NULL CHECK (role IN ('operator', 'supervisor', 'admin')),
    languages        text[] NOT NULL DEFAULT '{hu}',
    skills           text[] NOT NULL DEFAULT '{}',   -- category names the operator specialises in
    load_limit       integer NOT NULL DEFAULT 10 CHECK (load_limit > 0),
    on_shift         boolean NOT NULL DEFAULT false,
    disabled         boolean NOT NULL DEFAULT false,
    last_assigned_at timestamptz,                    -- "in turn": the longest-waiting first
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shifts (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    started_at timestamptz NOT NULL,
    ended_at   timestamptz
);
CREATE UNIQUE INDEX shifts_open ON shifts (user_id) WHERE ended_at IS NULL;

ALTER TABLE cases
    ADD COLUMN priority            smallint NOT NULL DEFAULT 4 CHECK (priority BETWEEN 1 AND 4),
    ADD COLUMN priority_set_by     text,              -- NULL: the highest of its messages
    ADD COLUMN categories          text[] NOT NULL DEFAULT '{}',
    ADD COLUMN flags               text[] NOT NULL DEFAULT '{}',
    ADD COLUMN language            text NOT NULL DEFAULT 'hu',
    ADD COLUMN assignee_id         bigint REFERENCES users (id),
    ADD COLUMN due_at              timestamptz,       -- first human response due
    ADD COLUMN first_response_at   timestamptz,
    ADD COLUMN breached_at         timestamptz;
CREATE INDEX cases_queue ON cases (priority, due_at) WHERE status = 'open';
CREATE INDEX cases_assignee ON cases (assignee_id) WHERE status = 'open';
CREATE INDEX cases_clock ON cases (due_at) WHERE status = 'open' AND first_response_at IS NULL AND breached_at IS NULL;
