-- Retention of records (R8.3): each organisation's months for each kind of record (no row
-- means the default, tandem_core::retention), and when a record's content was disposed of, so
-- the register (who took part, when, how it ended) stays and says its content has gone.
-- PostgreSQL flavour; migrations/sqlite has the same tables and columns.
CREATE TABLE retention_settings (
    organisation_id UUID NOT NULL REFERENCES organisations (id),
    record_kind TEXT NOT NULL CHECK (record_kind IN ('pair_content', 'ended_applications', 'evaluation_text')),
    months BIGINT NOT NULL CHECK (months BETWEEN 0 AND 120),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, record_kind)
);

ALTER TABLE matches ADD COLUMN content_disposed_at TIMESTAMPTZ;
ALTER TABLE applications ADD COLUMN disposed_at TIMESTAMPTZ;
ALTER TABLE evaluation_answers ADD COLUMN text_disposed_at TIMESTAMPTZ;
