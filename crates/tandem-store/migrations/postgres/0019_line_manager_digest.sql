-- The line manager's monthly digest (R11.4), off until an organisation turns it on.
-- PostgreSQL flavour; migrations/sqlite has the same column.
ALTER TABLE organisations ADD COLUMN line_manager_digest BOOLEAN NOT NULL DEFAULT FALSE;
