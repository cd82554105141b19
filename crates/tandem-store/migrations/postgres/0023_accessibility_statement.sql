-- The accessibility statement (R8.6): each organisation's contact details and dates, and the
-- problems it knows of. PostgreSQL flavour; migrations/sqlite has the same tables and columns.
CREATE TABLE accessibility_statements (
    organisation_id UUID PRIMARY KEY NOT NULL REFERENCES organisations (id),
    email TEXT,
    phone TEXT,
    reply_within_days BIGINT,
    prepared_on DATE,
    reviewed_on DATE,
    manually_checked_on DATE,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE accessibility_issues (
    id UUID PRIMARY KEY NOT NULL,
    organisation_id UUID NOT NULL REFERENCES organisations (id),
    description TEXT NOT NULL,
    description_cy TEXT,
    criterion TEXT NOT NULL,
    fix_by DATE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX accessibility_issues_organisation_idx ON accessibility_issues (organisation_id, created_at);
