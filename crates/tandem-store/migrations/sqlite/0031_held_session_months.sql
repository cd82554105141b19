-- Held sessions by UTC month beside the days of 0030 (R10.1): a dashboard reads a month it
-- covers whole from one row per place instead of thirty, and only the days at the edges of
-- its stretches from held_session_days. Triggers on the day counts keep the month counts, so
-- whatever keeps the days (0030's triggers) keeps the months too.
-- SQLite flavour; migrations/postgres has the same table and triggers.
CREATE TABLE held_session_months (
    scheme_id BLOB NOT NULL,
    organisation_id BLOB NOT NULL,
    department TEXT NOT NULL,
    -- The month's first day.
    month TEXT NOT NULL,
    held INTEGER NOT NULL,
    PRIMARY KEY (scheme_id, organisation_id, department, month)
) STRICT, WITHOUT ROWID;

INSERT INTO held_session_months (scheme_id, organisation_id, department, month, held)
SELECT scheme_id, organisation_id, department, date(day, 'start of month'), SUM(held)
FROM held_session_days
GROUP BY 1, 2, 3, 4;

-- The day counts change only by an upsert, whose update part fires UPDATE triggers.
CREATE TRIGGER held_session_month_added AFTER INSERT ON held_session_days
BEGIN
    INSERT INTO held_session_months (scheme_id, organisation_id, department, month, held)
    VALUES (NEW.scheme_id, NEW.organisation_id, NEW.department, date(NEW.day, 'start of month'), NEW.held)
    ON CONFLICT (scheme_id, organisation_id, department, month) DO UPDATE SET held = held + excluded.held;
END;

CREATE TRIGGER held_session_month_changed AFTER UPDATE OF held ON held_session_days
BEGIN
    INSERT INTO held_session_months (scheme_id, organisation_id, department, month, held)
    VALUES (NEW.scheme_id, NEW.organisation_id, NEW.department, date(NEW.day, 'start of month'), NEW.held - OLD.held)
    ON CONFLICT (scheme_id, organisation_id, department, month) DO UPDATE SET held = held + excluded.held;
END;

-- The days at the edges of a dashboard's stretches, and the days a local midnight cuts in
-- two, read by their date rather than by scanning every day of a scheme.
CREATE INDEX held_session_days_day_idx ON held_session_days (day);
