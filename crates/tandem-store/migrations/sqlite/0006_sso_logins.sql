-- Single sign-on in progress: what a browser's return from the provider must match (state),
-- with the PKCE verifier and nonce to finish it. In the database so any app server can finish
-- a sign-in another one started.

CREATE TABLE sso_logins (
    state TEXT PRIMARY KEY NOT NULL,
    pkce_verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    next TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
