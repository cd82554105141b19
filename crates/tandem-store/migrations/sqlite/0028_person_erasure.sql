-- Erasure of a person (R8.4): when their personal data went. The row itself stays, with its
-- names, email and staff number replaced, so the register (applications, matches) and the other
-- member's records keep pointing at someone shown as "Erased person".
-- SQLite flavour; migrations/postgres has the same column.
ALTER TABLE people ADD COLUMN erased_at TEXT;
