-- API tokens for integrations: issued and revoked by administrators, found by the SHA-256 of
-- their secret (the secret itself is shown once and never stored).

CREATE TABLE api_tokens (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    organisation_id BLOB REFERENCES organisations (id),
    can_write INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
) STRICT;
