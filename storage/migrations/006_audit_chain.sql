-- okit schema 6: the event log is hash-chained. Each event gets a link: a
-- sequence number in commit order and SHA-256(previous hash ‖ seq ‖ the
-- event's canonical encoding). Package audit holds the same encoding in Go
-- and verifies the chain (`okit audit verify`).
--
-- The links are made by a deferred constraint trigger, at commit, under a
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

-- Events wait in event_chain_queue from their insert to their commit; a
-- transaction that wrote events has a row in event_chain_tx, whose
-- deferred trigger chains them all at once as it commits, in id order.
-- Both tables are empty between transactions. (One link per event, made
-- by a deferred trigger per event row, would double the cost of intake.)
CREATE TABLE event_chain_queue (event_id bigint PRIMARY KEY);
CREATE TABLE event_chain_tx (xid xid8 PRIMARY KEY);

-- okit_chain_queued links the queued events after the current head.
CREATE FUNCTION okit_chain_queued() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    head_seq  bigint;
    head_hash bytea;
    e         case_events;
    ids       bigint[] := '{}';
    seqs      bigint[] := '{}';
    hashes    bytea[] := '{}';
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('okit:event_chain'));
    SELECT seq, hash INTO head_seq, head_hash FROM event_chain ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        head_seq := 0;
        head_hash := decode(repeat('00', 32), 'hex');
    END IF;
    FOR e IN SELECT c.* FROM case_events c JOIN event_chain_queue q ON q.event_id = c.id ORDER BY c.id LOOP
        head_seq := head_seq + 1;
        head_hash := sha256(head_hash || int8send(head_seq) || okit_event_encoding(e));
        ids := ids || e.id;
        seqs := seqs || head_seq;
        hashes := hashes || head_hash;
    END LOOP;
    INSERT INTO event_chain (event_id, seq, hash) SELECT * FROM unnest(ids, seqs, hashes);
    DELETE FROM event_chain_queue WHERE event_id = ANY (ids);
END;
$$;

CREATE FUNCTION case_events_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_chain_queue (event_id) SELECT id FROM new_events;
    INSERT INTO event_chain_tx (xid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE FUNCTION event_chain_tx_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM okit_chain_queued();
    DELETE FROM event_chain_tx WHERE xid = NEW.xid;
    RETURN NULL;
END;
$$;

-- The events written before this migration are chained in id order.
LOCK TABLE case_events IN EXCLUSIVE MODE;
INSERT INTO event_chain_queue (event_id) SELECT id FROM case_events;
SELECT okit_chain_queued();

CREATE TRIGGER case_events_enqueue AFTER INSERT ON case_events
    REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION case_events_enqueue();
CREATE CONSTRAINT TRIGGER event_chain_tx_commit AFTER INSERT ON event_chain_tx
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION event_chain_tx_commit();

-- The chain is append-only too, by the same refusal as the log itself,
-- which now names the table it guards.
CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$;
CREATE TRIGGER event_chain_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON event_chain
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();
