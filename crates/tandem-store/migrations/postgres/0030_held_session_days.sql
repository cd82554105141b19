-- Held sessions counted by the place a dashboard counts their pair in (the scheme, and the
-- mentee's organisation and division) and by UTC day (R10.1). A dashboard adds up a few
-- thousand days instead of grouping every session ever held; the days a period boundary cuts
-- in two are counted from the meetings themselves. Triggers keep the counts, so no write path
-- (recording, rescheduling, erasure, an HR move to another division) can forget them.
-- PostgreSQL flavour; migrations/sqlite has the same table and triggers.
CREATE TABLE held_session_days (
    scheme_id UUID NOT NULL,
    organisation_id UUID NOT NULL,
    -- '' when the mentee has no division recorded (a key column cannot be NULL).
    department TEXT NOT NULL,
    day DATE NOT NULL,
    held BIGINT NOT NULL,
    PRIMARY KEY (scheme_id, organisation_id, department, day)
);

INSERT INTO held_session_days (scheme_id, organisation_id, department, day, held)
SELECT m.scheme_id, p.organisation_id, COALESCE(p.department, ''), (mt.starts_at AT TIME ZONE 'UTC')::DATE, COUNT(*)
FROM meetings mt JOIN matches m ON m.id = mt.match_id JOIN people p ON p.id = m.mentee_id
WHERE mt.kind = 'session' AND mt.status = 'held'
GROUP BY 1, 2, 3, 4;

-- Adds $3 to the day of $2 at the place of the pair $1.
CREATE FUNCTION held_session_count(UUID, TIMESTAMPTZ, BIGINT) RETURNS VOID
LANGUAGE SQL AS $$
    INSERT INTO held_session_days (scheme_id, organisation_id, department, day, held)
    SELECT m.scheme_id, p.organisation_id, COALESCE(p.department, ''), ($2 AT TIME ZONE 'UTC')::DATE, $3
    FROM matches m JOIN people p ON p.id = m.mentee_id WHERE m.id = $1
    ON CONFLICT (scheme_id, organisation_id, department, day) DO UPDATE SET held = held_session_days.held + excluded.held;
$$;

CREATE FUNCTION held_session_kept() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kind = 'session' AND OLD.status = 'held' THEN
        PERFORM held_session_count(OLD.match_id, OLD.starts_at, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.kind = 'session' AND NEW.status = 'held' THEN
        PERFORM held_session_count(NEW.match_id, NEW.starts_at, 1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER held_session_recorded AFTER INSERT ON meetings
FOR EACH ROW EXECUTE FUNCTION held_session_kept();
CREATE TRIGGER held_session_changed AFTER UPDATE OF kind, status, starts_at, match_id ON meetings
FOR EACH ROW EXECUTE FUNCTION held_session_kept();
CREATE TRIGGER held_session_deleted AFTER DELETE ON meetings
FOR EACH ROW EXECUTE FUNCTION held_session_kept();

-- A mentee moved to another division or organisation takes their pairs' sessions with them.
CREATE FUNCTION held_session_mentee_moved() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO held_session_days (scheme_id, organisation_id, department, day, held)
    SELECT m.scheme_id, x.organisation_id, x.department, (mt.starts_at AT TIME ZONE 'UTC')::DATE, x.sign * COUNT(*)
    FROM matches m JOIN meetings mt ON mt.match_id = m.id
    CROSS JOIN (VALUES (OLD.organisation_id, COALESCE(OLD.department, ''), -1),
                       (NEW.organisation_id, COALESCE(NEW.department, ''), 1))
        AS x (organisation_id, department, sign)
    WHERE m.mentee_id = NEW.id AND mt.kind = 'session' AND mt.status = 'held'
    GROUP BY 1, 2, 3, 4, x.sign
    ON CONFLICT (scheme_id, organisation_id, department, day) DO UPDATE SET held = held_session_days.held + excluded.held;
    RETURN NULL;
END;
$$;

CREATE TRIGGER held_session_mentee_moved AFTER UPDATE OF department, organisation_id ON people
FOR EACH ROW WHEN (OLD.department IS DISTINCT FROM NEW.department OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
EXECUTE FUNCTION held_session_mentee_moved();

-- The held sessions of the days a period boundary cuts in two, read by their time.
CREATE INDEX meetings_held_at_idx ON meetings (starts_at) WHERE kind = 'session' AND status = 'held';
