-- The outbox: every email is a row written in the same transaction as the change that causes
-- it; a worker claims due rows, sends them and marks them sent, retrying with back-off.
-- Password resets: one-time links, found by the SHA-256 of their token.

CREATE TABLE outbox (
    id UUID PRIMARY KEY,
    message_key TEXT NOT NULL UNIQUE,
    person_id UUID REFERENCES people (id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    attempts BIGINT NOT NULL,
    claimed_until TIMESTAMPTZ,
    sent_at TIMESTAMPTZ,
    last_error TEXT
);

CREATE INDEX outbox_due_idx ON outbox (sent_at, next_attempt_at);

CREATE TABLE password_resets (
    token_hash BYTEA PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES people (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
