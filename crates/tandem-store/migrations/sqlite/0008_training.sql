-- Training (R4): completions recorded per person and training name, workshops with a number of
-- places, and the bookings and waiting lists for them.
-- SQLite flavour; migrations/postgres has the same tables and columns.

CREATE TABLE workshops (
    id BLOB PRIMARY KEY NOT NULL,
    scheme_id BLOB NOT NULL REFERENCES schemes (id),
    training TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    location TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    joint INTEGER NOT NULL,
    cancelled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    -- Bumped by every booking change: taking the row first serialises changes to its places.
    version INTEGER NOT NULL
) STRICT;

CREATE INDEX workshops_scheme_idx ON workshops (scheme_id, starts_at);

CREATE TABLE workshop_bookings (
    id BLOB PRIMARY KEY NOT NULL,
    workshop_id BLOB NOT NULL REFERENCES workshops (id),
    person_id BLOB NOT NULL REFERENCES people (id),
    status TEXT NOT NULL CHECK (status IN ('booked', 'waiting', 'attended', 'absent', 'cancelled')),
    priority INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    partner_id BLOB REFERENCES people (id),
    updated_at TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX workshop_bookings_live_idx ON workshop_bookings (workshop_id, person_id)
    WHERE status IN ('booked', 'waiting', 'attended');
CREATE INDEX workshop_bookings_person_idx ON workshop_bookings (person_id);

CREATE TABLE training_records (
    id BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id),
    training TEXT NOT NULL,
    completed_on TEXT NOT NULL,
    workshop_id BLOB REFERENCES workshops (id),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;

CREATE INDEX training_records_person_idx ON training_records (person_id, training);
