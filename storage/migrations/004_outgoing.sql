-- okit schema 4: outgoing mail. A row is one mail to one writer's message,
-- queued as a job (river, ids only) in the transaction that caused it. The
-- composed message is stored sealed, as a message of direction 'out' on the
-- case, before it is sent, so a retry sends the same bytes and the writer's
-- answer to it threads into the case.

CREATE TABLE outgoing (
    id            bigserial PRIMARY KEY,
    case_id       bigint NOT NULL REFERENCES cases (id),
    answers       bigint NOT NULL REFERENCES messages (id),  -- the writer's message
    kind          text NOT NULL CHECK (kind IN ('ack', 'answer', 'crisis_home')),
    automatic     boolean NOT NULL,
    template      text NOT NULL DEFAULT 'ack',
    text_sealed   bytea,                                      -- an operator's own words
    shelter_id    bigint REFERENCES shelters (id),            -- for a crisis-home contact
    actor         text NOT NULL DEFAULT 'intake',             -- who caused it
    signature     text,                                       -- the first name an operator signs with
    state         text NOT NULL CHECK (state IN ('queued', 'composed', 'sent', 'failed', 'suppressed', 'bounced')),
    reason        text,                                       -- a code: why suppressed or failed
    copy_id       bigint REFERENCES messages (id),            -- the sealed copy, once composed
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz
);
CREATE UNIQUE INDEX outgoing_one_ack ON outgoing (answers) WHERE kind = 'ack';
CREATE INDEX outgoing_case ON outgoing (case_id, kind, state);
