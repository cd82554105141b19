-- Pulse check-ins (R11.1). PostgreSQL flavour; migrations/sqlite has the same table and columns.
--
-- One answer per member per round. The score is for the coordinators; the comment is the
-- member's own, read by the coordinators only when `shared`.
CREATE TABLE pulses (
    id UUID PRIMARY KEY,
    match_id UUID NOT NULL REFERENCES matches (id),
    person_id UUID NOT NULL REFERENCES people (id),
    round BIGINT NOT NULL CHECK (round >= 1),
    score BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    shared BOOLEAN NOT NULL,
    answered_at TIMESTAMPTZ NOT NULL,
    UNIQUE (match_id, person_id, round)
);
