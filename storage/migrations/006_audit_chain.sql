-- okit schema 6: the event log is hash-chained. Each event gets a link: a
-- sequence number in commit order and SHA-256(previous hash ‖ seq ‖ the
-- event's canonical encoding). Package audit holds the same encoding in Go
-- and verifies the chain (`okit audit verify`).
--
-- The link is made by a deferred constraint trigger, at commit, under a
-- transaction-level advisory lock: concurrent writers (intake, workers,
-- the console) chain one after another in the order they commit, and each
-- sees the previous one's link because the lock is released only after
-- its commit is visible. (A REPEATABLE READ or SERIALIZABLE transaction
-- that writes events would see an old head and fail on the unique seq:
-- okit writes events in READ COMMITTED only.)

CREATE TABLE event_chain (
    event_id  bigint PRIMARY KEY REFERENCES case_events (id),
    seq       bigint NOT NULL UNIQUE CHECK (seq > 0),
    hash      bytea NOT NULL CHECK (octet_length(hash) = 32)
);

-- The canonical encoding of an event (see audit.Encode): integers as
-- big-endian 64 bits, the time in microseconds since 1970, texts as a
-- 32-bit length and UTF-8 bytes, a NULL-able column behind a byte 0 (NULL)
-- or 1. data and remote_addr are hashed as their text.
CREATE FUNCTION okit_event_text(s text) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT int4send(octet_length(convert_to(s, 'UTF8'))) || convert_to(s, 'UTF8')
$$;

CREATE FUNCTION okit_event_encoding(e case_events) RETURNS bytea LANGUAGE sql STABLE AS $$
    SELECT int8send(e.id)
        || CASE WHEN e.case_id IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || int8send(e.case_id) END
        || int8send((extract(epoch FROM e.at) * 1000000)::bigint)
        || okit_event_text(e.kind)
        || okit_event_text(e.actor)
        || okit_event_text(e.data::text)
        || CASE WHEN e.remote_addr IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || okit_event_text(e.remote_addr::text) END
$$;

-- okit_chain_event links one event after the current head.
CREATE FUNCTION okit_chain_event(e case_events) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    head_seq  bigint := 0;
    head_hash bytea := decode(repeat('00', 32), 'hex');
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('okit:event_chain'));
    SELECT seq, hash INTO head_seq, head_hash FROM event_chain ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        head_seq := 0;
        head_hash := decode(repeat('00', 32), 'hex');
    END IF;
    INSERT INTO event_chain (event_id, seq, hash)
    VALUES (e.id, head_seq + 1, sha256(head_hash || int8send(head_seq + 1) || okit_event_encoding(e)));
END;
$$;

CREATE FUNCTION case_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM okit_chain_event(NEW);
    RETURN NULL;
END;
$$;

-- The events written before this migration are chained in id order.
LOCK TABLE case_events IN EXCLUSIVE MODE;
DO $$
DECLARE
    e case_events;
BEGIN
    FOR e IN SELECT * FROM case_events ORDER BY id LOOP
        PERFORM okit_chain_event(e);
    END LOOP;
END;
$$;

CREATE CONSTRAINT TRIGGER case_events_chain AFTER INSERT ON case_events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION case_events_chain();

-- The chain is append-only too, by the same refusal as the log itself,
-- which now names the table it guards.
CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$;
CREATE TRIGGER event_chain_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON event_chain
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();
