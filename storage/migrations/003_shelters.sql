-- okit schema 3: the crisis-home directory. A home's address is secret: it is
-- kept sealed and never mailed; operators give the intake phone, and the home
-- gives the address on the phone. Notes are sealed too.

CREATE TABLE shelters (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL UNIQUE,   -- a working name, not the address
    region          text NOT NULL,
    intake_phone    text NOT NULL,
    address_sealed  bytea,
    notes_sealed    bytea,
    free_places     integer NOT NULL DEFAULT 0 CHECK (free_places >= 0),
    active          boolean NOT NULL DEFAULT true,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text NOT NULL
);
