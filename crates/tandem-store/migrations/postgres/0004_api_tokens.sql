-- API tokens for integrations: issued and revoked by administrators, found by the SHA-256 of
-- their secret (the secret itself is shown once and never stored).

CREATE TABLE api_tokens (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    organisation_id UUID REFERENCES organisations (id),
    can_write BOOLEAN NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
