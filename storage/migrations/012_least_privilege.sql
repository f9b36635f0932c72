-- okit schema 12: least privilege. okit serve connects as okit_intake or
-- okit_console (storage/roles.go grants them what they need after every
-- migration), never as the owner; credentials carry a MAC only the console
-- can make; accounts an admin makes wait for a supervisor; logins are
-- throttled by attempts recorded before the password is checked.

-- The event chain is written by triggers on case_events. Running as the
-- owner (SECURITY DEFINER, on the schema of this migration), they let the
-- running roles write events without any privilege on the chain's tables:
-- neither can drop a queued event before it is chained or forge a link.
ALTER FUNCTION okit_chain_queued() SECURITY DEFINER SET search_path FROM CURRENT;
ALTER FUNCTION case_events_enqueue() SECURITY DEFINER SET search_path FROM CURRENT;
ALTER FUNCTION event_chain_tx_commit() SECURITY DEFINER SET search_path FROM CURRENT;
REVOKE EXECUTE ON FUNCTION okit_chain_queued() FROM PUBLIC;

-- password_mac and totp_mac are HMAC-SHA256 under the console key of the
-- user's id and the credential (account.Binder): a row written by anyone
-- without that key (the intake host, a stolen database login) logs nobody
-- in. Rows from before this migration get theirs from `okit users bind`.
-- pending_by names the admin who made or reset the account: it cannot be
-- used until a supervisor other than them confirms it (NULL: confirmed).
ALTER TABLE users
    ADD COLUMN password_mac bytea,
    ADD COLUMN totp_mac     bytea,
    ADD COLUMN pending_by   text;

-- A one-time link by which a new or reset person sets their own password:
-- only the SHA-256 of its token is kept, it works once and for 24 hours.
CREATE TABLE account_links (
    token_digest bytea PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id),
    created_by   text NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX account_links_user ON account_links (user_id);

-- Every login attempt, written before the password is hashed; the delays
-- a login waits grow with the failures per (name, address) and per address.
CREATE TABLE login_attempts (
    id          bigserial PRIMARY KEY,
    username    text NOT NULL,
    remote_addr inet,
    at          timestamptz NOT NULL,
    ok          boolean NOT NULL DEFAULT false
);
CREATE INDEX login_attempts_addr ON login_attempts (remote_addr, at);
CREATE INDEX login_attempts_user ON login_attempts (username, remote_addr, at);
