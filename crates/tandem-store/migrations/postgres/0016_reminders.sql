-- Time-driven care (R6.4, R7.3, R11.2). PostgreSQL flavour; migrations/sqlite has the same
-- tables and columns.
--
-- Each reminder the sweep has sent, by the relationship and the key naming its occasion: the
-- primary key makes it happen once however many sweeps run, on however many servers.
CREATE TABLE reminders (
    match_id UUID NOT NULL REFERENCES matches (id),
    reminder_key TEXT NOT NULL,
    nudge TEXT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (match_id, reminder_key)
);

-- A coordinator's answer to a relationship proposed for closure: kept open, with the reason.
-- (Closing it ends the relationship the usual way.)
CREATE TABLE closure_decisions (
    id UUID PRIMARY KEY,
    match_id UUID NOT NULL REFERENCES matches (id),
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX closure_decisions_match_idx ON closure_decisions (match_id, decided_at);

-- A relationship's meetings by status and time: the staff list and the sweep count them per
-- relationship.
CREATE INDEX meetings_match_status_idx ON meetings (match_id, status, starts_at);
