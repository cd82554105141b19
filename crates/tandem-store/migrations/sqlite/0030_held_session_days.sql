-- Held sessions counted by the place a dashboard counts their pair in (the scheme, and the
-- mentee's organisation and division) and by UTC day (R10.1). A dashboard adds up a few
-- thousand days instead of grouping every session ever held; the days a period boundary cuts
-- in two are counted from the meetings themselves. Triggers keep the counts, so no write path
-- (recording, rescheduling, erasure, an HR move to another division) can forget them.
-- SQLite flavour; migrations/postgres has the same table and triggers.
CREATE TABLE held_session_days (
    scheme_id BLOB NOT NULL,
    organisation_id BLOB NOT NULL,
    -- '' when the mentee has no division recorded (a key column cannot be NULL).
    department TEXT NOT NULL,
    day TEXT NOT NULL,
    held INTEGER NOT NULL,
    PRIMARY KEY (scheme_id, organisation_id, department, day)
) STRICT, WITHOUT ROWID;

INSERT INTO held_session_days (scheme_id, organisation_id, department, day, held)
SELECT m.scheme_id, p.organisation_id, COALESCE(p.department, ''), date(mt.starts_at), COUNT(*)
FROM meetings mt JOIN matches m ON m.id = mt.match_id JOIN people p ON p.id = m.mentee_id
WHERE mt.kind = 'session' AND mt.status = 'held'
GROUP BY 1, 2, 3, 4;

CREATE TRIGGER held_session_recorded AFTER INSERT ON meetings
WHEN NEW.kind = 'session' AND NEW.status = 'held'
BEGIN
    INSERT INTO held_session_days (scheme_id, organisation_id, department, day, held)
    SELECT m.scheme_id, p.organisation_id, COALESCE(p.department, ''), date(NEW.starts_at), 1
    FROM matches m JOIN people p ON p.id = m.mentee_id WHERE m.id = NEW.match_id
    ON CONFLICT (scheme_id, organisation_id, department, day) DO UPDATE SET held = held + excluded.held;
END;

CREATE TRIGGER held_session_changed_from AFTER UPDATE OF kind, status, starts_at, match_id ON meetings
WHEN OLD.kind = 'session' AND OLD.status = 'held'
BEGIN
    INSERT INTO held_session_days (scheme_id, organisation_id, department, day, held)
    SELECT m.scheme_id, p.organisation_id, COALESCE(p.department, ''), date(OLD.starts_at), -1
    FROM matches m JOIN people p ON p.id = m.mentee_id WHERE m.id = OLD.match_id
    ON CONFLICT (scheme_id, organisation_id, department, day) DO UPDATE SET held = held + excluded.held;
END;

CREATE TRIGGER held_session_changed_to AFTER UPDATE OF kind, status, starts_at, match_id ON meetings
WHEN NEW.kind = 'session' AND NEW.status = 'held'
BEGIN
    INSERT INTO held_session_days (scheme_id, organisation_id, department, day, held)
    SELECT m.scheme_id, p.organisation_id, COALESCE(p.department, ''), date(NEW.starts_at), 1
    FROM matches m JOIN people p ON p.id = m.mentee_id WHERE m.id = NEW.match_id
    ON CONFLICT (scheme_id, organisation_id, department, day) DO UPDATE SET held = held + excluded.held;
END;

CREATE TRIGGER held_session_deleted AFTER DELETE ON meetings
WHEN OLD.kind = 'session' AND OLD.status = 'held'
BEGIN
    INSERT INTO held_session_days (scheme_id, organisation_id, department, day, held)
    SELECT m.scheme_id, p.organisation_id, COALESCE(p.department, ''), date(OLD.starts_at), -1
    FROM matches m JOIN people p ON p.id = m.mentee_id WHERE m.id = OLD.match_id
    ON CONFLICT (scheme_id, organisation_id, department, day) DO UPDATE SET held = held + excluded.held;
END;

-- A mentee moved to another division or organisation takes their pairs' sessions with them.
CREATE TRIGGER held_session_mentee_moved AFTER UPDATE OF department, organisation_id ON people
WHEN OLD.department IS NOT NEW.department OR OLD.organisation_id IS NOT NEW.organisation_id
BEGIN
    INSERT INTO held_session_days (scheme_id, organisation_id, department, day, held)
    SELECT m.scheme_id, OLD.organisation_id, COALESCE(OLD.department, ''), date(mt.starts_at), -COUNT(*)
    FROM matches m JOIN meetings mt ON mt.match_id = m.id
    WHERE m.mentee_id = OLD.id AND mt.kind = 'session' AND mt.status = 'held'
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (scheme_id, organisation_id, department, day) DO UPDATE SET held = held + excluded.held;
    INSERT INTO held_session_days (scheme_id, organisation_id, department, day, held)
    SELECT m.scheme_id, NEW.organisation_id, COALESCE(NEW.department, ''), date(mt.starts_at), COUNT(*)
    FROM matches m JOIN meetings mt ON mt.match_id = m.id
    WHERE m.mentee_id = NEW.id AND mt.kind = 'session' AND mt.status = 'held'
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (scheme_id, organisation_id, department, day) DO UPDATE SET held = held + excluded.held;
END;

-- The held sessions of the days a period boundary cuts in two, read by their time.
CREATE INDEX meetings_held_at_idx ON meetings (starts_at) WHERE kind = 'session' AND status = 'held';
