-- Applications to take part in a scheme as a mentor or a mentee (R3), with what the applicant
-- said, where the application stands, and who decided it.
-- SQLite flavour; migrations/postgres has the same tables and columns.

CREATE TABLE applications (
    id BLOB PRIMARY KEY NOT NULL,
    scheme_id BLOB NOT NULL REFERENCES schemes (id),
    person_id BLOB NOT NULL REFERENCES people (id),
    role TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    status TEXT NOT NULL
        CHECK (status IN ('awaiting_manager', 'awaiting_coordinator', 'approved', 'matched', 'declined', 'withdrawn')),
    summary TEXT NOT NULL,
    -- The organisation's topic names, one per line.
    topics TEXT NOT NULL,
    capacity INTEGER,
    location TEXT,
    will_travel INTEGER NOT NULL,
    remote_ok INTEGER NOT NULL,
    -- Weekly slots (mon-am … sun-eve), comma-separated.
    availability TEXT NOT NULL,
    preferred_mentor_email TEXT,
    confidential INTEGER NOT NULL,
    approver_id BLOB REFERENCES people (id),
    decided_by TEXT,
    decision_reason TEXT,
    decided_at TEXT,
    statement_signed_at TEXT,
    agreement_signed_at TEXT,
    ethics_acknowledged_at TEXT,
    priority INTEGER NOT NULL,
    submitted_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
) STRICT;

-- One live application per person, scheme and role: two submissions at once cannot both land.
CREATE UNIQUE INDEX applications_live_idx ON applications (scheme_id, person_id, role)
    WHERE status IN ('awaiting_manager', 'awaiting_coordinator', 'approved', 'matched');
CREATE INDEX applications_person_idx ON applications (person_id);
CREATE INDEX applications_approver_idx ON applications (approver_id, status);
CREATE INDEX applications_scheme_idx ON applications (scheme_id, role, status);
