-- Time-driven care (R6.4, R7.3, R11.2). SQLite flavour; migrations/postgres has the same
-- tables and columns.
--
-- Each reminder the sweep has sent, by the relationship and the key naming its occasion: the
-- primary key makes it happen once however many sweeps run, on however many servers.
CREATE TABLE reminders (
    match_id BLOB NOT NULL REFERENCES matches (id),
    reminder_key TEXT NOT NULL,
    nudge TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (match_id, reminder_key)
) STRICT;

-- A coordinator's answer to a relationship proposed for closure: kept open, with the reason.
-- (Closing it ends the relationship the usual way.)
CREATE TABLE closure_decisions (
    id BLOB PRIMARY KEY NOT NULL,
    match_id BLOB NOT NULL REFERENCES matches (id),
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
) STRICT;

CREATE INDEX closure_decisions_match_idx ON closure_decisions (match_id, decided_at);

-- A relationship's meetings by status and time: the staff list and the sweep count them per
-- relationship.
CREATE INDEX meetings_match_status_idx ON meetings (match_id, status, starts_at);
