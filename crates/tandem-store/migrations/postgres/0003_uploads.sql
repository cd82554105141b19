-- HR files uploaded in the browser: checked first (a dry run), kept until the uploader confirms
-- the import, then kept with its outcome. In the database so any app server can confirm it.

CREATE TABLE uploads (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES people (id),
    file_name TEXT NOT NULL,
    content BYTEA NOT NULL,
    full_extract BOOLEAN NOT NULL,
    create_organisations BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    imported_at TIMESTAMPTZ,
    report TEXT
);
