-- Training (R4): completions recorded per person and training name, workshops with a number of
-- places, and the bookings and waiting lists for them.
-- PostgreSQL flavour; migrations/sqlite has the same tables and columns.

CREATE TABLE workshops (
    id UUID PRIMARY KEY,
    scheme_id UUID NOT NULL REFERENCES schemes (id),
    training TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    location TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    joint BOOLEAN NOT NULL,
    cancelled BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    -- Bumped by every booking change: taking the row first serialises changes to its places.
    version BIGINT NOT NULL
);

CREATE INDEX workshops_scheme_idx ON workshops (scheme_id, starts_at);

CREATE TABLE workshop_bookings (
    id UUID PRIMARY KEY,
    workshop_id UUID NOT NULL REFERENCES workshops (id),
    person_id UUID NOT NULL REFERENCES people (id),
    status TEXT NOT NULL CHECK (status IN ('booked', 'waiting', 'attended', 'absent', 'cancelled')),
    priority INTEGER NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    partner_id UUID REFERENCES people (id),
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE UNIQUE INDEX workshop_bookings_live_idx ON workshop_bookings (workshop_id, person_id)
    WHERE status IN ('booked', 'waiting', 'attended');
CREATE INDEX workshop_bookings_person_idx ON workshop_bookings (person_id);

CREATE TABLE training_records (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES people (id),
    training TEXT NOT NULL,
    completed_on DATE NOT NULL,
    workshop_id UUID REFERENCES workshops (id),
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX training_records_person_idx ON training_records (person_id, training);
