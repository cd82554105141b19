-- The outbox: every email is a row written in the same transaction as the change that causes
-- it; a worker claims due rows, sends them and marks them sent, retrying with back-off.
-- Password resets: one-time links, found by the SHA-256 of their token.

CREATE TABLE outbox (
    id BLOB PRIMARY KEY NOT NULL,
    message_key TEXT NOT NULL UNIQUE,
    person_id BLOB REFERENCES people (id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    claimed_until TEXT,
    sent_at TEXT,
    last_error TEXT
) STRICT;

CREATE INDEX outbox_due_idx ON outbox (sent_at, next_attempt_at);

CREATE TABLE password_resets (
    token_hash BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
) STRICT;
