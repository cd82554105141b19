-- What a workshop is for (R4.3): the scheme's training, or a mentor support group.
-- PostgreSQL flavour; migrations/sqlite has the same column.
ALTER TABLE workshops ADD COLUMN purpose TEXT NOT NULL DEFAULT 'training'
    CHECK (purpose IN ('training', 'support_group'));
