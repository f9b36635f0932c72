-- okit schema 17: the index key a learned model's features were hashed
-- with (seal.Index.Version). After okit keys rotate, intake scores a
-- model with the key of its version while the keyring still holds it,
-- and skips it once it does not: the dashboard says it must be trained
-- again. NULL for the starting model (hashed with the corpus's public
-- key) and for models learned before this schema, whose key was not
-- recorded: those are skipped too.
ALTER TABLE triage_models ADD COLUMN index_key_version smallint CHECK (index_key_version BETWEEN 1 AND 255);

-- Labels (storage.Labels) find each message's arrival in the event log
-- by the message id its message_received event names.
CREATE INDEX case_events_message_received ON case_events (((data->>'message_id')::bigint)) WHERE kind = 'message_received';
