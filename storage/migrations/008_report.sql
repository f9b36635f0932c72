-- okit schema 8: indexes for the supervisors' figures (storage/report.go),
-- so that a year of them reads indexes, not the whole event log. Depends
-- on schema 5 only.

-- The events the figures count, of one kind in a period, with what the
-- figures need of them, read from the index alone. Partial: the log is
-- mostly other kinds, and a small index stays in memory.
CREATE INDEX case_events_figures ON case_events (kind, at) INCLUDE (case_id, actor)
    WHERE kind IN ('first_response', 'reply_queued', 'case_reopened');

-- A case's closings and reopenings: whether it was open at a given time,
-- and since when.
CREATE INDEX case_events_status ON case_events (case_id, id) INCLUDE (kind, at)
    WHERE kind IN ('case_closed', 'case_reopened');

-- Incoming messages by arrival: the volume by day and hour.
CREATE INDEX messages_in_date ON messages (internal_date) WHERE direction = 'in';
