-- The mentoring relationship (R6, R7): a confirmed match is the relationship, its status the
-- state of one state machine (tandem_core::relationship::step). 'confirmed' pairs become
-- 'introductory' (nothing of their introductory meeting is recorded yet) and 'ended' ones
-- 'withdrawn'. Meetings, and what the pair keeps in confidence (R8.1), live in their own
-- tables keyed by the match, so a retention job can dispose of a relationship's content whole.
-- SQLite flavour; migrations/postgres has the same tables and columns. SQLite cannot change a
-- CHECK constraint in place, so the matches table is rebuilt.

CREATE TABLE matches_next (
    id BLOB PRIMARY KEY NOT NULL,
    scheme_id BLOB NOT NULL REFERENCES schemes (id),
    mentor_application_id BLOB NOT NULL REFERENCES applications (id),
    mentee_application_id BLOB NOT NULL REFERENCES applications (id),
    mentor_id BLOB NOT NULL REFERENCES people (id),
    mentee_id BLOB NOT NULL REFERENCES people (id),
    status TEXT NOT NULL CHECK (status IN ('proposed', 'requested', 'introductory', 'active', 'on_hold',
        'closing', 'closed', 'declined', 'withdrawn')),
    source TEXT NOT NULL CHECK (source IN ('bulk', 'manual', 'directory')),
    score INTEGER,
    explanation TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    reason TEXT,
    version INTEGER NOT NULL,
    confirmed_at TEXT,
    mentor_went_on_at TEXT,
    mentee_went_on_at TEXT,
    started_on TEXT,
    ends_on TEXT,
    hold_reason TEXT CHECK (hold_reason IN ('career_break', 'parental_leave', 'sickness', 'secondment', 'other')),
    held_since TEXT,
    closing_started_at TEXT,
    closed_at TEXT
) STRICT;

INSERT INTO matches_next (id, scheme_id, mentor_application_id, mentee_application_id, mentor_id, mentee_id,
    status, source, score, explanation, proposed_by, proposed_at, decided_by, decided_at, reason, version,
    confirmed_at)
SELECT id, scheme_id, mentor_application_id, mentee_application_id, mentor_id, mentee_id,
    CASE status WHEN 'confirmed' THEN 'introductory' WHEN 'ended' THEN 'withdrawn' ELSE status END,
    source, score, explanation, proposed_by, proposed_at, decided_by, decided_at, reason, version,
    CASE WHEN status IN ('confirmed', 'ended') THEN decided_at END
FROM matches;

DROP TABLE matches;
ALTER TABLE matches_next RENAME TO matches;

CREATE INDEX matches_scheme_idx ON matches (scheme_id, status);
CREATE INDEX matches_mentor_idx ON matches (mentor_application_id, status);
CREATE INDEX matches_mentee_idx ON matches (mentee_application_id, status);
CREATE INDEX matches_people_idx ON matches (mentee_id, mentor_id);

-- The introductory meeting and sessions: booked ahead or logged once held (R7.1). Their
-- details (mode, place) are the pair's; staff see only that and when they happened.
CREATE TABLE meetings (
    id BLOB PRIMARY KEY NOT NULL,
    match_id BLOB NOT NULL REFERENCES matches (id),
    kind TEXT NOT NULL CHECK (kind IN ('introductory', 'session')),
    status TEXT NOT NULL CHECK (status IN ('booked', 'held', 'cancelled')),
    starts_at TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('in_person', 'video', 'phone')),
    place TEXT,
    arranged_by TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
) STRICT;

CREATE INDEX meetings_match_idx ON meetings (match_id, starts_at);

-- Content (R8.1): read and written by the pair only.
CREATE TABLE meeting_notes (
    meeting_id BLOB PRIMARY KEY NOT NULL REFERENCES meetings (id),
    match_id BLOB NOT NULL REFERENCES matches (id),
    goal TEXT NOT NULL,
    reality TEXT NOT NULL,
    options TEXT NOT NULL,
    way_ahead TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
) STRICT;

CREATE INDEX meeting_notes_match_idx ON meeting_notes (match_id);

CREATE TABLE relationship_goals (
    id BLOB PRIMARY KEY NOT NULL,
    match_id BLOB NOT NULL REFERENCES matches (id),
    text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'achieved', 'dropped')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
) STRICT;

CREATE INDEX relationship_goals_match_idx ON relationship_goals (match_id);

CREATE TABLE relationship_actions (
    id BLOB PRIMARY KEY NOT NULL,
    match_id BLOB NOT NULL REFERENCES matches (id),
    meeting_id BLOB REFERENCES meetings (id),
    text TEXT NOT NULL,
    owner TEXT NOT NULL CHECK (owner IN ('mentor', 'mentee')),
    due_on TEXT,
    done INTEGER NOT NULL CHECK (done IN (0, 1)),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
) STRICT;

CREATE INDEX relationship_actions_match_idx ON relationship_actions (match_id);

-- Progress reviews (at every Nth meeting, R7.3), recorded by the pair; closing reviews (R6.6),
-- one by each member.
CREATE TABLE relationship_reviews (
    id BLOB PRIMARY KEY NOT NULL,
    match_id BLOB NOT NULL REFERENCES matches (id),
    kind TEXT NOT NULL CHECK (kind IN ('progress', 'closing')),
    author_id BLOB NOT NULL REFERENCES people (id),
    at_meeting INTEGER NOT NULL,
    achieved TEXT NOT NULL,
    next_steps TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX relationship_reviews_match_idx ON relationship_reviews (match_id);
