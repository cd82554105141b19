-- The in-app inbox and how each person is emailed (R9.1, R9.2). SQLite flavour;
-- migrations/postgres has the same tables and columns.
--
-- Every notification a person is sent, once per key; `delivery` says whether it went by email
-- at once or waits for the person's digest (`digested_at` once a digest carried it).
CREATE TABLE notifications (
    id BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id),
    notice_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT,
    delivery TEXT NOT NULL CHECK (delivery IN ('immediate', 'digest')),
    digested_at TEXT
) STRICT;

CREATE INDEX notifications_person_idx ON notifications (person_id, created_at);
CREATE INDEX notifications_unread_idx ON notifications (person_id, read_at);
CREATE INDEX notifications_digest_idx ON notifications (delivery, digested_at, person_id);

-- A person's choice: every email at once, or a daily or weekly digest.
CREATE TABLE notification_settings (
    person_id BLOB PRIMARY KEY NOT NULL REFERENCES people (id),
    mode TEXT NOT NULL CHECK (mode IN ('immediate', 'daily', 'weekly')),
    last_digest_at TEXT,
    updated_at TEXT NOT NULL
) STRICT;
