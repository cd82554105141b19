-- Pulse check-ins (R11.1). SQLite flavour; migrations/postgres has the same table and columns.
--
-- One answer per member per round. The score is for the coordinators; the comment is the
-- member's own, read by the coordinators only when `shared`.
CREATE TABLE pulses (
    id BLOB PRIMARY KEY NOT NULL,
    match_id BLOB NOT NULL REFERENCES matches (id),
    person_id BLOB NOT NULL REFERENCES people (id),
    round INTEGER NOT NULL CHECK (round >= 1),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    shared INTEGER NOT NULL CHECK (shared IN (0, 1)),
    answered_at TEXT NOT NULL,
    UNIQUE (match_id, person_id, round)
) STRICT;
