-- okit schema 16: the learned second opinion (package secondopinion).
-- A model is weights by hashed bucket (HMAC-derived key, see
-- secondopinion.Key), two thresholds and the figures its training
-- measured: numbers only, never a word of a message. Nothing is used
-- until a supervisor activates a version; at most one is active, and any
-- version can be activated again (a rollback).

CREATE TABLE triage_models (
    version       serial PRIMARY KEY,
    source        text NOT NULL CHECK (source IN ('starting', 'learned')),
    model         bytea NOT NULL,          -- secondopinion's stored form
    figures       jsonb NOT NULL,          -- secondopinion.Figures: counts by priority
    trained_from  timestamptz,             -- the period of the labels (learned models)
    trained_until timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    active        boolean NOT NULL DEFAULT false,
    activated_at  timestamptz,
    activated_by  text
);
CREATE UNIQUE INDEX triage_models_one_active ON triage_models ((true)) WHERE active;
CREATE UNIQUE INDEX triage_models_one_starting ON triage_models (source) WHERE source = 'starting';

-- A verdict the second opinion raised: from which priority, by which
-- model, and the model's probability. NULL when the rules' priority stands.
ALTER TABLE messages
    ADD COLUMN raised_from  smallint CHECK (raised_from BETWEEN 2 AND 4),
    ADD COLUMN raised_model integer,
    ADD COLUMN raised_p     real;
