-- Bulk proposals worked out in the background (R5.9): the solve runs outside any write
-- transaction, and its progress, cancellation and outcome live here so any app server can show
-- them. At most one runs per cohort (a scheme, or a champion's division of it).
-- PostgreSQL flavour; migrations/sqlite has the same tables and columns.

CREATE TABLE proposal_jobs (
    id UUID PRIMARY KEY,
    scheme_id UUID NOT NULL REFERENCES schemes (id),
    division TEXT,
    requested_by TEXT NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
    stage TEXT NOT NULL CHECK (stage IN ('reading', 'candidates', 'routing', 'pricing', 'writing')),
    done BIGINT NOT NULL,
    total BIGINT NOT NULL,
    cancel_requested BOOLEAN NOT NULL,
    heartbeat_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    failure TEXT CHECK (failure IN ('cohort_changed', 'invalid_cohort', 'not_allowed', 'internal'))
);

CREATE INDEX proposal_jobs_cohort_idx ON proposal_jobs (scheme_id, requested_at);
CREATE UNIQUE INDEX proposal_jobs_one_running_idx ON proposal_jobs (scheme_id, COALESCE(division, ''))
    WHERE state = 'running';
