-- A queue page records in one event whose summaries it opened
-- (summary_decrypted, no case, data.cases the list of case ids). The audit
-- trail of a case finds those events too, through this index.
CREATE INDEX case_events_queue_views ON case_events USING gin ((data -> 'cases'))
    WHERE case_id IS NULL AND kind = 'summary_decrypted';
