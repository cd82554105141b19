-- The accessibility statement (R8.6): each organisation's contact details and dates, and the
-- problems it knows of. SQLite flavour; migrations/postgres has the same tables and columns.
CREATE TABLE accessibility_statements (
    organisation_id BLOB PRIMARY KEY NOT NULL REFERENCES organisations (id),
    email TEXT,
    phone TEXT,
    reply_within_days INTEGER,
    prepared_on TEXT,
    reviewed_on TEXT,
    manually_checked_on TEXT,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE accessibility_issues (
    id BLOB PRIMARY KEY NOT NULL,
    organisation_id BLOB NOT NULL REFERENCES organisations (id),
    description TEXT NOT NULL,
    description_cy TEXT,
    criterion TEXT NOT NULL,
    fix_by TEXT,
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX accessibility_issues_organisation_idx ON accessibility_issues (organisation_id, created_at);
