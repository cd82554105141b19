-- The line manager's monthly digest (R11.4), off until an organisation turns it on. SQLite
-- flavour; migrations/postgres has the same column.
ALTER TABLE organisations ADD COLUMN line_manager_digest INTEGER NOT NULL DEFAULT 0
    CHECK (line_manager_digest IN (0, 1));
