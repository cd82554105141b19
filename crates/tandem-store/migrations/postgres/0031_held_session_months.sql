-- Held sessions by UTC month beside the days of 0030 (R10.1): a dashboard reads a month it
-- covers whole from one row per place instead of thirty, and only the days at the edges of
-- its stretches from held_session_days. A trigger on the day counts keeps the month counts, so
-- whatever keeps the days (0030's triggers) keeps the months too.
-- PostgreSQL flavour; migrations/sqlite has the same table and triggers.
CREATE TABLE held_session_months (
    scheme_id UUID NOT NULL,
    organisation_id UUID NOT NULL,
    department TEXT NOT NULL,
    -- The month's first day.
    month DATE NOT NULL,
    held BIGINT NOT NULL,
    PRIMARY KEY (scheme_id, organisation_id, department, month)
);

INSERT INTO held_session_months (scheme_id, organisation_id, department, month, held)
SELECT scheme_id, organisation_id, department, date_trunc('month', day)::DATE, SUM(held)
FROM held_session_days
GROUP BY 1, 2, 3, 4;

-- The day counts change only by an upsert, whose update part fires UPDATE triggers.
CREATE FUNCTION held_session_month_kept() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO held_session_months (scheme_id, organisation_id, department, month, held)
    VALUES (NEW.scheme_id, NEW.organisation_id, NEW.department, date_trunc('month', NEW.day)::DATE,
            NEW.held - CASE WHEN TG_OP = 'UPDATE' THEN OLD.held ELSE 0 END)
    ON CONFLICT (scheme_id, organisation_id, department, month)
    DO UPDATE SET held = held_session_months.held + excluded.held;
    RETURN NULL;
END;
$$;

CREATE TRIGGER held_session_month_kept AFTER INSERT OR UPDATE OF held ON held_session_days
FOR EACH ROW EXECUTE FUNCTION held_session_month_kept();

-- The days at the edges of a dashboard's stretches, and the days a local midnight cuts in
-- two, read by their date rather than by scanning every day of a scheme.
CREATE INDEX held_session_days_day_idx ON held_session_days (day);
