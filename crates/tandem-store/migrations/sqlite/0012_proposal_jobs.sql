-- Bulk proposals worked out in the background (R5.9): the solve runs outside any write
-- transaction, and its progress, cancellation and outcome live here so any app server can show
-- them. At most one runs per cohort (a scheme, or a champion's division of it).
-- SQLite flavour; migrations/postgres has the same tables and columns.

CREATE TABLE proposal_jobs (
    id BLOB PRIMARY KEY NOT NULL,
    scheme_id BLOB NOT NULL REFERENCES schemes (id),
    division TEXT,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
    stage TEXT NOT NULL CHECK (stage IN ('reading', 'candidates', 'routing', 'pricing', 'writing')),
    done INTEGER NOT NULL,
    total INTEGER NOT NULL,
    cancel_requested INTEGER NOT NULL CHECK (cancel_requested IN (0, 1)),
    heartbeat_at TEXT NOT NULL,
    finished_at TEXT,
    failure TEXT CHECK (failure IN ('cohort_changed', 'invalid_cohort', 'not_allowed', 'internal'))
) STRICT;

CREATE INDEX proposal_jobs_cohort_idx ON proposal_jobs (scheme_id, requested_at);
CREATE UNIQUE INDEX proposal_jobs_one_running_idx ON proposal_jobs (scheme_id, COALESCE(division, ''))
    WHERE state = 'running';
