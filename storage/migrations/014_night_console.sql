-- okit schema 14: the console on a night shift.
--
-- Whether the console plays a sound with an alert, per person (on by
-- default; it sounds only while they are on shift).
ALTER TABLE users ADD COLUMN alert_sound boolean NOT NULL DEFAULT true;

-- The answer a person is writing on a case, sealed like every outgoing
-- text, saved every few seconds by the console so that a reload, a
-- language switch or a locked console loses nothing. One per person and
-- case; it goes when the answer is queued, and with the case's texts at
-- purge.
CREATE TABLE drafts (
    case_id      bigint NOT NULL REFERENCES cases (id),
    user_id      bigint NOT NULL REFERENCES users (id),
    text_sealed  bytea NOT NULL,
    saved_at     timestamptz NOT NULL,
    PRIMARY KEY (case_id, user_id)
);

-- Live updates carry alerts about no case too (the intake canary, the
-- acknowledgement rate): "0" stands for them, so that supervisors'
-- consoles show the alert without a reload.
CREATE OR REPLACE FUNCTION case_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text;
BEGIN
    SELECT string_agg(DISTINCT id::text, ',') INTO ids FROM (
        SELECT coalesce(case_id, 0) AS id FROM new_events
        WHERE (case_id IS NOT NULL AND kind NOT IN ('summary_decrypted', 'case_viewed', 'attachment_downloaded', 'draft_decrypted'))
            OR (case_id IS NULL AND kind = 'alert')
        LIMIT 500) AS changed;
    IF ids IS NOT NULL THEN
        PERFORM pg_notify('okit_cases', ids);
    END IF;
    RETURN NULL;
END;
$$;
