-- Where each mentee on a scheme's waiting list was last told they stand (R9.1: "moved up").
-- PostgreSQL flavour; migrations/sqlite has the same table and columns.
CREATE TABLE waiting_positions (
    application_id UUID PRIMARY KEY REFERENCES applications (id),
    position BIGINT NOT NULL CHECK (position >= 1),
    updated_at TIMESTAMPTZ NOT NULL
);
