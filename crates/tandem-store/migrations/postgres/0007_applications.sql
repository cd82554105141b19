-- Applications to take part in a scheme as a mentor or a mentee (R3), with what the applicant
-- said, where the application stands, and who decided it.
-- PostgreSQL flavour; migrations/sqlite has the same tables and columns.

CREATE TABLE applications (
    id UUID PRIMARY KEY,
    scheme_id UUID NOT NULL REFERENCES schemes (id),
    person_id UUID NOT NULL REFERENCES people (id),
    role TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    status TEXT NOT NULL
        CHECK (status IN ('awaiting_manager', 'awaiting_coordinator', 'approved', 'matched', 'declined', 'withdrawn')),
    summary TEXT NOT NULL,
    -- The organisation's topic names, one per line.
    topics TEXT NOT NULL,
    capacity INTEGER,
    location TEXT,
    will_travel BOOLEAN NOT NULL,
    remote_ok BOOLEAN NOT NULL,
    -- Weekly slots (mon-am … sun-eve), comma-separated.
    availability TEXT NOT NULL,
    preferred_mentor_email TEXT,
    confidential BOOLEAN NOT NULL,
    approver_id UUID REFERENCES people (id),
    decided_by TEXT,
    decision_reason TEXT,
    decided_at TIMESTAMPTZ,
    statement_signed_at TIMESTAMPTZ,
    agreement_signed_at TIMESTAMPTZ,
    ethics_acknowledged_at TIMESTAMPTZ,
    priority INTEGER NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL
);

-- One live application per person, scheme and role: two submissions at once cannot both land.
CREATE UNIQUE INDEX applications_live_idx ON applications (scheme_id, person_id, role)
    WHERE status IN ('awaiting_manager', 'awaiting_coordinator', 'approved', 'matched');
CREATE INDEX applications_person_idx ON applications (person_id);
CREATE INDEX applications_approver_idx ON applications (approver_id, status);
CREATE INDEX applications_scheme_idx ON applications (scheme_id, role, status);
