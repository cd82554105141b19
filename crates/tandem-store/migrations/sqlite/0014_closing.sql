-- Closing a relationship (R6.6): each member's answers to the scheme's confidential
-- evaluation, read by their author only; reports count them, never show them. (Each member's
-- end-of-mentoring review is a 'closing' row of relationship_reviews.)
-- SQLite flavour; migrations/postgres has the same tables and columns.

CREATE TABLE evaluation_answers (
    match_id BLOB NOT NULL REFERENCES matches (id),
    person_id BLOB NOT NULL REFERENCES people (id),
    answers TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    PRIMARY KEY (match_id, person_id)
) STRICT;
