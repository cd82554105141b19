-- The reports count each pair's sessions held over a period (R10.1): an index of a pair's
-- meetings by kind, state and day answers that from the index alone, a seek per pair.
CREATE INDEX meetings_held_idx ON meetings (match_id, kind, status, starts_at);
