-- Two-factor sign-in (R11.5) for local accounts.
-- SQLite flavour; migrations/postgres has the same tables and columns.

-- A person's TOTP secret. Unconfirmed (confirmed_at NULL) while they set up their app; in use
-- once they typed a code from it. last_step is the time step of the last code accepted: a code
-- works once.
CREATE TABLE two_factor (
    person_id BLOB PRIMARY KEY NOT NULL REFERENCES people (id),
    secret BLOB NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    last_step INTEGER
) STRICT;

-- One-use codes for a lost phone, found by their SHA-256 (each carries 50 random bits).
CREATE TABLE recovery_codes (
    person_id BLOB NOT NULL REFERENCES people (id),
    code_hash BLOB NOT NULL,
    used_at TEXT,
    PRIMARY KEY (person_id, code_hash)
) STRICT;

-- A sign-in half done: the password was right, and a code (or setting up the app) is still to
-- come. Found by the SHA-256 of the token in the visitor's cookie, like a session.
CREATE TABLE pending_sign_ins (
    token_hash BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE INDEX pending_sign_ins_person_idx ON pending_sign_ins (person_id);

-- The staff roles an organisation requires two-factor sign-in for (codes of StaffRole).
CREATE TABLE two_factor_required (
    organisation_id BLOB NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    PRIMARY KEY (organisation_id, role)
) STRICT;
