-- Looking after a relationship (R6.3–R6.5, R8.2, R8.5, R7.4). SQLite flavour; migrations/postgres
-- has the same tables and columns.
--
-- Extensions: one member proposes a new end date, the other agrees or declines (R6.4).
CREATE TABLE relationship_extensions (
    id BLOB PRIMARY KEY NOT NULL,
    match_id BLOB NOT NULL REFERENCES matches (id),
    proposed_by BLOB NOT NULL REFERENCES people (id),
    proposed_at TEXT NOT NULL,
    previous_ends_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'agreed', 'declined', 'withdrawn')),
    answered_at TEXT
) STRICT;

CREATE INDEX relationship_extensions_match_idx ON relationship_extensions (match_id);

-- Role changes (R6.5): a flag until the coordinator decides or the pair declares.
CREATE TABLE relationship_flags (
    id BLOB PRIMARY KEY NOT NULL,
    match_id BLOB NOT NULL REFERENCES matches (id),
    kind TEXT NOT NULL CHECK (kind IN ('line_management', 'interview_panel')),
    raised_at TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    outcome TEXT CHECK (outcome IN ('continue', 'end', 'declared')),
    reason TEXT,
    settled_by TEXT,
    settled_at TEXT
) STRICT;

CREATE INDEX relationship_flags_match_idx ON relationship_flags (match_id);

-- Concerns beyond the limits of confidentiality (R8.2): what the reporter wrote, for the
-- scheme's coordinators, and what they did.
CREATE TABLE concerns (
    id BLOB PRIMARY KEY NOT NULL,
    match_id BLOB NOT NULL REFERENCES matches (id),
    scheme_id BLOB NOT NULL REFERENCES schemes (id),
    raised_by BLOB NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL CHECK (kind IN ('risk_of_harm', 'breach_of_policy', 'illegal_activity')),
    text TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    outcome TEXT,
    outcome_by TEXT,
    outcome_at TEXT
) STRICT;

CREATE INDEX concerns_scheme_idx ON concerns (scheme_id, raised_at);
CREATE INDEX concerns_match_idx ON concerns (match_id);

-- Reasonable adjustments (R8.5), one row a person.
CREATE TABLE adjustments (
    person_id BLOB PRIMARY KEY NOT NULL REFERENCES people (id),
    remote_meetings INTEGER NOT NULL CHECK (remote_meetings IN (0, 1)),
    no_travel INTEGER NOT NULL CHECK (no_travel IN (0, 1)),
    other TEXT NOT NULL,
    shared_with_partner INTEGER NOT NULL CHECK (shared_with_partner IN (0, 1)),
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
) STRICT;

-- A calendar invitation travels with its email (R7.4).
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment_type TEXT;
ALTER TABLE outbox ADD COLUMN attachment TEXT;
