-- okit schema 10: whose case it is, and whom okit may write to.
--
-- A case's writer addresses are named, never copied: each is the From or
-- the Reply-To of one of its stored messages (its digest here, for
-- lookups; the address itself sealed in the message's summary, or in
-- reply_to_sealed). They are the first message's From and Reply-To,
-- addresses an operator confirmed, and, for cases older than this schema,
-- the addresses okit wrote to. Replies go only to them.

CREATE TABLE case_writers (
    id              bigserial PRIMARY KEY,
    case_id         bigint NOT NULL REFERENCES cases (id),
    message_id      bigint NOT NULL REFERENCES messages (id),
    field           text NOT NULL CHECK (field IN ('from', 'reply_to')),
    address_digest  bytea NOT NULL,
    source          text NOT NULL CHECK (source IN ('first', 'confirmed', 'written', 'split')),
    added_by        text NOT NULL,
    added_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (case_id, message_id, field)
);
CREATE INDEX case_writers_case ON case_writers (case_id);
CREATE INDEX case_writers_message ON case_writers (message_id);
-- The addresses that may join a case by themselves: a From, or what an
-- operator confirmed. A Reply-To was only its sender's claim.
CREATE INDEX case_writers_joins ON case_writers (address_digest, case_id) WHERE field = 'from' OR source = 'confirmed';
DROP INDEX cases_open_sender;

-- Each incoming message: its Reply-To (digest, and sealed for answers),
-- what the receiving server found of its sender (results in clear: how it
-- was checked, not what it says), and whether it marked it as spam.
-- sender_verified is NULL for messages stored before this schema.
ALTER TABLE messages
    ADD COLUMN reply_to_digest  bytea,
    ADD COLUMN reply_to_sealed  bytea,
    ADD COLUMN auth_spf         text,
    ADD COLUMN auth_dkim        text,
    ADD COLUMN auth_dmarc       text,
    ADD COLUMN sender_verified  boolean,
    ADD COLUMN spam             boolean NOT NULL DEFAULT false;
ALTER TABLE messages ALTER COLUMN reply_to_sealed SET STORAGE EXTERNAL;

-- Where each reply goes (the From or Reply-To of a message of its case),
-- that address's digest (one acknowledgement an address a window; a
-- bounce must name it) and its domain's (the hourly rate per domain).
ALTER TABLE outgoing
    ADD COLUMN to_message        bigint REFERENCES messages (id),
    ADD COLUMN to_field          text CHECK (to_field IN ('from', 'reply_to')),
    ADD COLUMN to_digest         bytea,
    ADD COLUMN to_domain_digest  bytea;
CREATE INDEX outgoing_ack_recent ON outgoing (created_at) WHERE kind = 'ack' AND state IN ('queued', 'composed', 'sent');
CREATE INDEX outgoing_ack_to ON outgoing (to_digest, created_at) WHERE kind = 'ack';
CREATE INDEX outgoing_ack_domain ON outgoing (to_domain_digest, created_at) WHERE kind = 'ack';

-- A case merged into another is closed and says where its messages went.
ALTER TABLE cases ADD COLUMN merged_into bigint REFERENCES cases (id);

-- Before this schema a reply went to the From of the message it answered.
UPDATE outgoing o SET to_message = o.answers, to_field = 'from', to_digest = m.sender_digest
FROM messages m WHERE m.id = o.answers;

INSERT INTO case_writers (case_id, message_id, field, address_digest, source, added_by)
SELECT DISTINCT ON (m.case_id) m.case_id, m.id, 'from', m.sender_digest, 'first', 'migration'
FROM messages m WHERE m.direction = 'in' AND m.sender_digest IS NOT NULL
ORDER BY m.case_id, m.internal_date, m.id;

INSERT INTO case_writers (case_id, message_id, field, address_digest, source, added_by)
SELECT DISTINCT o.case_id, m.id, 'from', m.sender_digest, 'written', 'migration'
FROM outgoing o JOIN messages m ON m.id = o.answers
WHERE m.sender_digest IS NOT NULL AND o.state IN ('composed', 'sent', 'bounced')
ON CONFLICT DO NOTHING;
