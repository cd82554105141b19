-- Evaluation results (R10.4): the programme team reads a scheme's evaluation counted together
-- and, without a name, the written answers of groups of at least the small-number threshold,
-- tagged with themes from the scheme's own list.
--
-- `reference` is a random handle of one member's answers: the page orders and tags written
-- answers by handles made from it, never by the pair, the person or the time, which staff
-- could link to a name. `words_shared` marks answers given under the notice that says words may
-- be read without a name; answers given before (under "counted together" only) keep 0, and
-- their words are never shown.
--
-- The tags are keyed by the match, like the answers they tag, so disposing of a relationship's
-- content disposes of them with it (delete them by match_id before the answers).
-- SQLite flavour; migrations/postgres has the same tables and columns.

ALTER TABLE evaluation_answers ADD COLUMN reference TEXT NOT NULL DEFAULT '';
UPDATE evaluation_answers SET reference = lower(hex(randomblob(16)));
ALTER TABLE evaluation_answers ADD COLUMN words_shared INTEGER NOT NULL DEFAULT 0
    CHECK (words_shared IN (0, 1));
CREATE UNIQUE INDEX evaluation_answers_reference_idx ON evaluation_answers (reference);

CREATE TABLE evaluation_themes (
    scheme_id BLOB NOT NULL REFERENCES schemes (id),
    theme TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scheme_id, theme)
) STRICT;

CREATE TABLE evaluation_answer_themes (
    match_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    question TEXT NOT NULL,
    scheme_id BLOB NOT NULL,
    theme TEXT NOT NULL,
    tagged_at TEXT NOT NULL,
    PRIMARY KEY (match_id, person_id, question, theme),
    FOREIGN KEY (scheme_id, theme) REFERENCES evaluation_themes (scheme_id, theme)
) STRICT;

CREATE INDEX evaluation_answer_themes_scheme_idx ON evaluation_answer_themes (scheme_id, theme);
