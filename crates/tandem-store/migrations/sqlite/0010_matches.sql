-- Matching (R5): pairs proposed, requested, confirmed, declined or ended; the coordinator's pins
-- and forbids; and each bulk run with the reason every unmatched mentee was left.
-- SQLite flavour; migrations/postgres has the same tables and columns.

CREATE TABLE matches (
    id BLOB PRIMARY KEY NOT NULL,
    scheme_id BLOB NOT NULL REFERENCES schemes (id),
    mentor_application_id BLOB NOT NULL REFERENCES applications (id),
    mentee_application_id BLOB NOT NULL REFERENCES applications (id),
    mentor_id BLOB NOT NULL REFERENCES people (id),
    mentee_id BLOB NOT NULL REFERENCES people (id),
    status TEXT NOT NULL CHECK (status IN ('proposed', 'requested', 'confirmed', 'declined', 'ended')),
    source TEXT NOT NULL CHECK (source IN ('bulk', 'manual', 'directory')),
    score INTEGER,
    explanation TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    reason TEXT,
    version INTEGER NOT NULL
) STRICT;

CREATE INDEX matches_scheme_idx ON matches (scheme_id, status);
CREATE INDEX matches_mentor_idx ON matches (mentor_application_id, status);
CREATE INDEX matches_mentee_idx ON matches (mentee_application_id, status);
CREATE INDEX matches_people_idx ON matches (mentee_id, mentor_id);

CREATE TABLE pair_constraints (
    scheme_id BLOB NOT NULL REFERENCES schemes (id),
    mentee_application_id BLOB NOT NULL REFERENCES applications (id),
    mentor_application_id BLOB NOT NULL REFERENCES applications (id),
    kind TEXT NOT NULL CHECK (kind IN ('pin', 'forbid')),
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (mentee_application_id, mentor_application_id)
) STRICT;

CREATE INDEX pair_constraints_scheme_idx ON pair_constraints (scheme_id);

-- One bulk proposal: who ran it over which cohort (a division, or the whole scheme), how it
-- went, and each unmatched mentee's reason ("application id<TAB>reason" per line).
CREATE TABLE match_runs (
    id BLOB PRIMARY KEY NOT NULL,
    scheme_id BLOB NOT NULL REFERENCES schemes (id),
    division TEXT,
    run_by TEXT NOT NULL,
    run_at TEXT NOT NULL,
    mentees INTEGER NOT NULL,
    mentors INTEGER NOT NULL,
    matched INTEGER NOT NULL,
    total_score INTEGER NOT NULL,
    unmatched TEXT NOT NULL,
    excluded TEXT NOT NULL
) STRICT;

CREATE INDEX match_runs_scheme_idx ON match_runs (scheme_id, run_at);
