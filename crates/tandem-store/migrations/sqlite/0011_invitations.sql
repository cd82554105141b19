-- Invitation lists (R2.1 audience "by invitation list"): who a coordinator invited to take a
-- role in a scheme, and the appeals sent for mentors where supply is short (R10.2).
-- SQLite flavour; migrations/postgres has the same tables and columns.

CREATE TABLE invitations (
    id BLOB PRIMARY KEY NOT NULL,
    scheme_id BLOB NOT NULL REFERENCES schemes (id),
    person_id BLOB NOT NULL REFERENCES people (id),
    role TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    note TEXT,
    invited_by TEXT NOT NULL,
    invited_at TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX invitations_person_idx ON invitations (scheme_id, person_id, role);

CREATE TABLE mentor_appeals (
    id BLOB PRIMARY KEY NOT NULL,
    scheme_id BLOB NOT NULL REFERENCES schemes (id),
    rank_band TEXT NOT NULL,
    message TEXT NOT NULL,
    recipients INTEGER NOT NULL,
    sent_by TEXT NOT NULL,
    sent_at TEXT NOT NULL
) STRICT;

CREATE INDEX mentor_appeals_scheme_idx ON mentor_appeals (scheme_id, sent_at);
