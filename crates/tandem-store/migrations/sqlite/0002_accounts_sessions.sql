-- Sign-in: local accounts (Argon2id hashes, lockout), single sign-on subjects, and sessions.
-- SQLite flavour; migrations/postgres has the same tables and columns.

CREATE TABLE accounts (
    person_id BLOB PRIMARY KEY NOT NULL REFERENCES people (id),
    password_hash TEXT,
    failed_sign_ins INTEGER NOT NULL,
    locked_until TEXT,
    oidc_issuer TEXT,
    oidc_subject TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (oidc_issuer, oidc_subject)
) STRICT;

-- A session is found by the SHA-256 of its cookie token, so a copy of this table cannot be
-- replayed as cookies.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id),
    organisation_id BLOB REFERENCES organisations (id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_person_idx ON sessions (person_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
