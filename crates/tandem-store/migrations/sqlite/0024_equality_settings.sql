-- Equality monitoring (R10.3): each organisation's small-number threshold, below which a count
-- in an equality report is not shown. A table of its own, so the organisation's record (read
-- everywhere) does not change; no row means the default of 5.
-- SQLite flavour; migrations/postgres has the same tables and columns.
CREATE TABLE equality_settings (
    organisation_id BLOB PRIMARY KEY NOT NULL REFERENCES organisations (id),
    suppression_threshold INTEGER NOT NULL CHECK (suppression_threshold BETWEEN 1 AND 100),
    updated_at TEXT NOT NULL
) STRICT;
