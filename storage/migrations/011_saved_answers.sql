-- okit schema 11: saved answers ("szövegsablonok"), the service's own texts
-- for the questions that come every day (a restraining order, how a crisis
-- home works, what to pack), which operators insert into an answer and
-- then edit. They are kept in the clear, like the reply templates in the
-- binary: they are what okit tells everyone, not what a writer told okit.
-- The console refuses a text that carries what a writer's words would
-- (an address, a phone number other than the service's, a case reference).

CREATE TABLE saved_answers (
    id          bigserial PRIMARY KEY,
    title       text NOT NULL CHECK (title <> ''),
    language    text NOT NULL,
    voice       text NOT NULL CHECK (voice IN ('formal', 'informal')),
    body        text NOT NULL CHECK (body <> ''),
    position    integer NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL,
    UNIQUE (language, voice, title)
);
