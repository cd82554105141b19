-- Two-factor sign-in (R11.5) for local accounts.
-- PostgreSQL flavour; migrations/sqlite has the same tables and columns.

-- A person's TOTP secret. Unconfirmed (confirmed_at NULL) while they set up their app; in use
-- once they typed a code from it. last_step is the time step of the last code accepted: a code
-- works once.
CREATE TABLE two_factor (
    person_id UUID PRIMARY KEY REFERENCES people (id),
    secret BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    last_step BIGINT
);

-- One-use codes for a lost phone, found by their SHA-256 (each carries 50 random bits).
CREATE TABLE recovery_codes (
    person_id UUID NOT NULL REFERENCES people (id),
    code_hash BYTEA NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (person_id, code_hash)
);

-- A sign-in half done: the password was right, and a code (or setting up the app) is still to
-- come. Found by the SHA-256 of the token in the visitor's cookie, like a session.
CREATE TABLE pending_sign_ins (
    token_hash BYTEA PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES people (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX pending_sign_ins_person_idx ON pending_sign_ins (person_id);

-- The staff roles an organisation requires two-factor sign-in for (codes of StaffRole).
CREATE TABLE two_factor_required (
    organisation_id UUID NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    PRIMARY KEY (organisation_id, role)
);
