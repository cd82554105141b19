-- Where each mentee on a scheme's waiting list was last told they stand (R9.1: "moved up").
-- SQLite flavour; migrations/postgres has the same table and columns.
CREATE TABLE waiting_positions (
    application_id BLOB PRIMARY KEY NOT NULL REFERENCES applications (id),
    position INTEGER NOT NULL CHECK (position >= 1),
    updated_at TEXT NOT NULL
) STRICT;
