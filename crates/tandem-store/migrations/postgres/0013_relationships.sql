-- The mentoring relationship (R6, R7): a confirmed match is the relationship, its status the
-- state of one state machine (tandem_core::relationship::step). 'confirmed' pairs become
-- 'introductory' (nothing of their introductory meeting is recorded yet) and 'ended' ones
-- 'withdrawn'. Meetings, and what the pair keeps in confidence (R8.1), live in their own
-- tables keyed by the match, so a retention job can dispose of a relationship's content whole.
-- PostgreSQL flavour; migrations/sqlite has the same tables and columns.

ALTER TABLE matches DROP CONSTRAINT matches_status_check;
ALTER TABLE matches ADD COLUMN confirmed_at TIMESTAMPTZ;
UPDATE matches SET confirmed_at = decided_at WHERE status IN ('confirmed', 'ended');
UPDATE matches SET status = CASE status WHEN 'confirmed' THEN 'introductory' WHEN 'ended' THEN 'withdrawn' ELSE status END;
ALTER TABLE matches ADD CONSTRAINT matches_status_check CHECK (status IN ('proposed', 'requested',
    'introductory', 'active', 'on_hold', 'closing', 'closed', 'declined', 'withdrawn'));
ALTER TABLE matches ADD COLUMN mentor_went_on_at TIMESTAMPTZ;
ALTER TABLE matches ADD COLUMN mentee_went_on_at TIMESTAMPTZ;
ALTER TABLE matches ADD COLUMN started_on DATE;
ALTER TABLE matches ADD COLUMN ends_on DATE;
ALTER TABLE matches ADD COLUMN hold_reason TEXT CHECK (hold_reason IN ('career_break', 'parental_leave',
    'sickness', 'secondment', 'other'));
ALTER TABLE matches ADD COLUMN held_since TIMESTAMPTZ;
ALTER TABLE matches ADD COLUMN closing_started_at TIMESTAMPTZ;
ALTER TABLE matches ADD COLUMN closed_at TIMESTAMPTZ;

-- The introductory meeting and sessions: booked ahead or logged once held (R7.1). Their
-- details (mode, place) are the pair's; staff see only that and when they happened.
CREATE TABLE meetings (
    id UUID PRIMARY KEY,
    match_id UUID NOT NULL REFERENCES matches (id),
    kind TEXT NOT NULL CHECK (kind IN ('introductory', 'session')),
    status TEXT NOT NULL CHECK (status IN ('booked', 'held', 'cancelled')),
    starts_at TIMESTAMPTZ NOT NULL,
    minutes BIGINT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('in_person', 'video', 'phone')),
    place TEXT,
    arranged_by TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL
);

CREATE INDEX meetings_match_idx ON meetings (match_id, starts_at);

-- Content (R8.1): read and written by the pair only.
CREATE TABLE meeting_notes (
    meeting_id UUID PRIMARY KEY REFERENCES meetings (id),
    match_id UUID NOT NULL REFERENCES matches (id),
    goal TEXT NOT NULL,
    reality TEXT NOT NULL,
    options TEXT NOT NULL,
    way_ahead TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL
);

CREATE INDEX meeting_notes_match_idx ON meeting_notes (match_id);

CREATE TABLE relationship_goals (
    id UUID PRIMARY KEY,
    match_id UUID NOT NULL REFERENCES matches (id),
    text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'achieved', 'dropped')),
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL
);

CREATE INDEX relationship_goals_match_idx ON relationship_goals (match_id);

CREATE TABLE relationship_actions (
    id UUID PRIMARY KEY,
    match_id UUID NOT NULL REFERENCES matches (id),
    meeting_id UUID REFERENCES meetings (id),
    text TEXT NOT NULL,
    owner TEXT NOT NULL CHECK (owner IN ('mentor', 'mentee')),
    due_on DATE,
    done BOOLEAN NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL
);

CREATE INDEX relationship_actions_match_idx ON relationship_actions (match_id);

-- Progress reviews (at every Nth meeting, R7.3), recorded by the pair; closing reviews (R6.6),
-- one by each member.
CREATE TABLE relationship_reviews (
    id UUID PRIMARY KEY,
    match_id UUID NOT NULL REFERENCES matches (id),
    kind TEXT NOT NULL CHECK (kind IN ('progress', 'closing')),
    author_id UUID NOT NULL REFERENCES people (id),
    at_meeting BIGINT NOT NULL,
    achieved TEXT NOT NULL,
    next_steps TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX relationship_reviews_match_idx ON relationship_reviews (match_id);
