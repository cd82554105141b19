-- HR files uploaded in the browser: checked first (a dry run), kept until the uploader confirms
-- the import, then kept with its outcome. In the database so any app server can confirm it.

CREATE TABLE uploads (
    id BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id),
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    full_extract INTEGER NOT NULL,
    create_organisations INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    imported_at TEXT,
    report TEXT
) STRICT;
