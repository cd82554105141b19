-- Foundation: organisations, people, diversity answers, schemes, role grants, audit log.
-- PostgreSQL flavour; migrations/sqlite has the same tables and columns (checked by a test).
-- Never edit a migration after it has been merged: add a new one.

CREATE TABLE organisations (
    id UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('force', 'national')),
    protective_marking TEXT NOT NULL,
    rank_bands TEXT NOT NULL,
    topics TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE people (
    id UUID PRIMARY KEY,
    organisation_id UUID NOT NULL REFERENCES organisations (id),
    staff_number TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    department TEXT,
    location TEXT,
    rank_or_grade TEXT NOT NULL,
    role_type TEXT NOT NULL CHECK (role_type IN ('officer', 'staff', 'special', 'volunteer', 'external')),
    line_manager_id UUID REFERENCES people (id),
    start_date DATE NOT NULL,
    on_probation BOOLEAN NOT NULL,
    under_performance_management BOOLEAN NOT NULL,
    employment_status TEXT NOT NULL
        CHECK (employment_status IN ('serving', 'leaver', 'retired', 'career_break', 'suspended')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (organisation_id, staff_number)
);

CREATE INDEX people_line_manager_idx ON people (line_manager_id);
CREATE INDEX people_name_idx ON people (organisation_id, last_name, first_name);

-- Self-declared diversity answers live apart from the HR record so that only the people and
-- reports that need them (aggregated, suppressed) ever join them in.
CREATE TABLE person_diversity (
    person_id UUID PRIMARY KEY REFERENCES people (id),
    sex TEXT,
    gender_identity TEXT,
    ethnicity TEXT,
    disability TEXT,
    sexual_orientation TEXT,
    religion TEXT,
    age_band TEXT,
    caring_responsibilities TEXT
);

CREATE TABLE schemes (
    id UUID PRIMARY KEY,
    organisation_id UUID NOT NULL REFERENCES organisations (id),
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    organisational_need TEXT,
    preset TEXT,
    policy TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (organisation_id, key)
);

-- A grant of a staff role over a scope: installation (no organisation), organisation,
-- division (organisation + division) or scheme (organisation + scheme).
CREATE TABLE role_grants (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES people (id),
    role TEXT NOT NULL CHECK (role IN ('national_admin', 'organisation_admin', 'coordinator', 'champion')),
    organisation_id UUID REFERENCES organisations (id),
    division TEXT,
    scheme_id UUID REFERENCES schemes (id),
    granted_by TEXT NOT NULL,
    granted_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX role_grants_person_idx ON role_grants (person_id);

-- Who did what, when: every change by a staff user or an import, every read of personal data
-- by a staff role. Details name fields, never their values.
CREATE TABLE audit_log (
    id UUID PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    organisation_id UUID REFERENCES organisations (id),
    subject_kind TEXT NOT NULL,
    subject_id UUID,
    detail TEXT NOT NULL
);

CREATE INDEX audit_log_subject_idx ON audit_log (subject_id);
CREATE INDEX audit_log_at_idx ON audit_log (at);
