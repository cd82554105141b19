//! Tandem's storage: the schema, the migrations and every query, on SQLite and PostgreSQL.
//!
//! Nothing above this crate builds SQL. Values go in and come out as `tandem-core` domain types;
//! stored text that no longer parses is reported as [`StoreError::Corrupt`], never passed up raw.
//! Each use case opens one transaction ([`Store::begin_write`] or [`Store::begin_read`]), calls
//! the query methods on [`Tx`] and commits, so a multi-row change is all or nothing.

mod accessibility;
mod accounts;
mod applications;
mod audit;
mod audit_writer;
mod backend;
mod bench_seed;
mod care;
pub mod equality;
mod error;
pub mod evaluation;
mod grants;
mod inbox;
mod invitations;
mod matches;
mod organisations;
mod outbox;
mod people;
mod proposal_jobs;
mod pulses;
mod relationships;
mod reminders;
pub mod reports;
pub mod retention;
mod schemes;
pub mod subject_access;
mod tasks;
#[cfg(feature = "testing")]
pub mod testing;
mod tokens;
mod training;
mod two_factor;

pub use accessibility::{StatementSettings, StoredIssue};
pub use accounts::{PasswordAccount, SessionRecord, SsoLogin};
pub use applications::Decision as ApplicationDecision;
pub use audit::{AuditEntry, AuditRecord, AuditSearch};
pub use backend::{Backend, Tx};
pub use error::StoreError;
pub use inbox::Notification;
pub use matches::MatchRun;
pub use outbox::{MailAttachment, OutboxMessage, PasswordReset};
pub use people::{NewPerson, PeopleSearch, Upload};
pub use relationships::{RelationshipSummary, SummaryQuery};
pub use reminders::SweepRow;
pub use tasks::{Tally, TaskScope, TrainingNeed};
pub use tokens::ApiToken;
pub use two_factor::TwoFactorRecord;

use backend::Pool;

/// A handle on the database; cheap to clone (it is a connection pool).
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    /// Group commit of audit entries written on their own ([`Store::append_audit`]).
    audit_writer: audit_writer::AuditWriter,
}

impl Store {
    /// Connects to `sqlite://PATH` (the file is created if missing) or `postgres://…`.
    /// Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Ok(Self {
            pool: Pool::connect(url, true).await?,
            audit_writer: audit_writer::AuditWriter::default(),
        })
    }

    /// Connects like [`Store::connect`], but a SQLite file that does not exist is an error
    /// rather than a new empty database: for commands that only make sense on data already held.
    pub async fn connect_existing(url: &str) -> Result<Self, StoreError> {
        Ok(Self {
            pool: Pool::connect(url, false).await?,
            audit_writer: audit_writer::AuditWriter::default(),
        })
    }

    /// Writes a consistent copy of a SQLite database to the new file `out` while others go on
    /// reading and writing, and checks the copy's integrity ([`StoreError::Corrupt`] if it fails);
    /// restoring is putting that file where the database was.
    /// On PostgreSQL this is [`StoreError::Unsupported`]: its own tools (`pg_dump`) do it.
    pub async fn backup_to(&self, out: &std::path::Path) -> Result<(), StoreError> {
        self.pool.backup_to(out).await
    }

    /// What SQLite's `PRAGMA integrity_check` finds wrong with the database file: nothing when
    /// it is sound. On PostgreSQL this is [`StoreError::Unsupported`].
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        self.pool.integrity_problems().await
    }

    /// Applies every migration not yet applied. Safe to run at every start.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.pool.migrate().await
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.pool.backend()
    }

    /// Starts a transaction that will write.
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        self.pool.begin_write().await
    }

    /// Starts a transaction that only reads, on a consistent snapshot.
    pub async fn begin_read(&self) -> Result<Tx, StoreError> {
        self.pool.begin_read().await
    }

    /// A second read-only transaction to read beside `tx` on another connection, on the same
    /// snapshot where the backend can share one (PostgreSQL); on SQLite it sees the database
    /// as of its own first read.
    pub async fn begin_read_beside(&self, tx: &mut Tx) -> Result<Tx, StoreError> {
        self.pool.begin_read_beside(tx).await
    }

    /// Answers whether the database can be reached and queried, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut tx = self.begin_read().await?;
        tx.ping().await?;
        tx.rollback().await
    }

    /// Closes every connection; waits for those in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
