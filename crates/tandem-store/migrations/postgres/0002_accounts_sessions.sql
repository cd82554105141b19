-- Sign-in: local accounts (Argon2id hashes, lockout), single sign-on subjects, and sessions.
-- PostgreSQL flavour; migrations/sqlite has the same tables and columns.

CREATE TABLE accounts (
    person_id UUID PRIMARY KEY REFERENCES people (id),
    password_hash TEXT,
    failed_sign_ins BIGINT NOT NULL,
    locked_until TIMESTAMPTZ,
    oidc_issuer TEXT,
    oidc_subject TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (oidc_issuer, oidc_subject)
);

-- A session is found by the SHA-256 of its cookie token, so a copy of this table cannot be
-- replayed as cookies.
CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES people (id),
    organisation_id UUID REFERENCES organisations (id),
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX sessions_person_idx ON sessions (person_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
