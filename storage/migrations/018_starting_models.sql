-- okit schema 18: a new release's embedded starting model is stored beside
-- the one an earlier release stored, inactive, instead of being dropped
-- because a starting model exists: one row per distinct starting model.
-- A supervisor activates the new one from the dashboard as any other; the
-- one that was active stays active until then.
DROP INDEX triage_models_one_starting;
CREATE UNIQUE INDEX triage_models_starting ON triage_models (md5(model)) WHERE source = 'starting';
