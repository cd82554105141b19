//! The store's one error type.
//!
//! Rule: every `sqlx::Error` becomes a `StoreError` in exactly one place (`From` below), where
//! "no row" becomes `NotFound` and a unique-key violation becomes `Conflict`, so callers can
//! answer the user without knowing SQL. Messages are lowercase, without a trailing period.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The write would break a uniqueness rule, or someone else changed the record first.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database URL cannot be used.
    #[error("cannot use database url: {0}")]
    Url(String),
    /// Stored data does not parse into domain values (someone edited the database by hand).
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    /// Migrations could not be applied.
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// What was asked is done another way on this backend; the message says how.
    #[error("{0}")]
    Unsupported(String),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => Self::NotFound("no such record".to_owned()),
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                Self::Conflict(db.message().to_owned())
            }
            other => Self::Database(other),
        }
    }
}

/// Turns a stored value that no longer parses into [`StoreError::Corrupt`], naming the column.
pub(crate) fn corrupt(column: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{column}: {err}"))
}
