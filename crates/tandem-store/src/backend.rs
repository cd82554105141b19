//! The one place where SQLite and PostgreSQL differ: connecting, migrating, and a transaction
//! type that runs the same portable SQL on either.
//!
//! Queries are written once, with `$1` placeholders, and run inside [`on_backend!`], which
//! compiles the body once per backend with a concrete connection type.

use crate::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions as _, Connection as _, PgPool, Postgres, Sqlite, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server (several app servers share it).
    Postgres,
}

impl Backend {
    /// Picks the backend from a URL's scheme.
    pub fn of_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::Url(format!(
                "'{url}' is neither sqlite://PATH nor postgres://USER@HOST/DATABASE"
            )))
        }
    }
}

/// What to do instead of `tandem backup` on PostgreSQL.
const POSTGRES_BACKUP: &str = "PostgreSQL databases are backed up and checked with PostgreSQL's own tools (pg_dump, or continuous archiving for point-in-time recovery); see docs/operations.md";

/// Rows a SQLite connection reads ahead of its caller.
const ROW_BUFFER: usize = 1_024;

/// A connection pool on one backend.
#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Pool {
    pub(crate) async fn connect(url: &str, create_if_missing: bool) -> Result<Self, StoreError> {
        match Backend::of_url(url)? {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|err| StoreError::Url(err.to_string()))?
                    .create_if_missing(create_if_missing)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    // A query's rows cross from SQLite's thread to the caller through a channel;
                    // at sqlx's default of 50 the two threads wake each other every 50 rows, which
                    // cost the reminder sweep a quarter of its time.
                    .row_buffer_size(ROW_BUFFER);
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(options)
                    .await?;
                Ok(Self::Sqlite(pool))
            }
            Backend::Postgres => {
                let options = PgConnectOptions::from_str(url)
                    .map_err(|err| StoreError::Url(err.to_string()))?;
                Self::connect_postgres(options).await
            }
        }
    }

    pub(crate) async fn connect_postgres(options: PgConnectOptions) -> Result<Self, StoreError> {
        // Tandem's statements are short and many; PostgreSQL's JIT compiles those whose plans
        // it guesses are costly (the per-relationship counts of the staff list and the sweep)
        // and can spend longer compiling them than running them, so Tandem's connections ask
        // for it off (a connection's options win over role and database settings).
        let options = options.options([("jit", "off")]);
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Self::Postgres(pool))
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    pub(crate) async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Self::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// A transaction that will write. SQLite takes the write lock up front (`BEGIN IMMEDIATE`)
    /// so two writers queue on the busy timeout instead of one failing when it upgrades.
    pub(crate) async fn begin_write(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Self::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Self::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A transaction that only reads (a consistent snapshot; never blocks writers on SQLite).
    pub(crate) async fn begin_read(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Self::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Self::Postgres(pool) => Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        })
    }

    /// A second read-only transaction, on its own connection, to read beside `tx`: a page that
    /// reads much reads in two halves at once. On PostgreSQL it sees exactly `tx`'s snapshot
    /// (`pg_export_snapshot`, then `SET TRANSACTION SNAPSHOT`, as `pg_dump`'s parallel workers
    /// do). SQLite cannot hand a snapshot to another connection: there each transaction sees
    /// the database as of its first read, so two begun together differ only by a write
    /// committed between their first reads.
    pub(crate) async fn begin_read_beside(&self, tx: &mut Tx) -> Result<Tx, StoreError> {
        match (self, tx) {
            (Self::Postgres(pool), Tx::Postgres(tx)) => {
                let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
                    .fetch_one(&mut **tx)
                    .await?;
                // `SET TRANSACTION SNAPSHOT` takes a literal, not a parameter; PostgreSQL's
                // snapshot names are hexadecimal digits and dashes.
                if snapshot.is_empty()
                    || !snapshot
                        .chars()
                        .all(|it| it.is_ascii_hexdigit() || it == '-')
                {
                    return Err(StoreError::Unsupported(format!(
                        "PostgreSQL named a snapshot {snapshot:?}, which Tandem does not expect; read in one transaction"
                    )));
                }
                let mut beside = pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "SET TRANSACTION SNAPSHOT '{snapshot}'"
                )))
                .execute(&mut *beside)
                .await?;
                Ok(Tx::Postgres(beside))
            }
            _ => self.begin_read().await,
        }
    }

    /// SQLite's `VACUUM INTO` reads the database in one read transaction, so the copy is
    /// consistent under WAL while writers carry on, and SQLite itself refuses an `out` that
    /// already holds data.
    pub(crate) async fn backup_to(&self, out: &Path) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(pool) => {
                let out = out.to_str().ok_or_else(|| {
                    StoreError::Unsupported(format!(
                        "the backup's path {} is not UTF-8; choose a plain file name",
                        out.display()
                    ))
                })?;
                sqlx::query("VACUUM INTO $1")
                    .bind(out)
                    .execute(pool)
                    .await?;
                // Read-only, so that checking the copy does not change it (opening it as the
                // server does would switch it to WAL and leave files beside it).
                let mut copy = SqliteConnectOptions::new()
                    .filename(out)
                    .read_only(true)
                    .connect()
                    .await?;
                let problems = integrity_check(&mut copy).await?;
                copy.close().await?;
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(StoreError::Corrupt(format!(
                        "the backup {out} fails SQLite's integrity check ({}); do not rely on it: check the disk and take another",
                        problems.join("; ")
                    )))
                }
            }
            Self::Postgres(_) => Err(StoreError::Unsupported(POSTGRES_BACKUP.to_owned())),
        }
    }

    pub(crate) async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        match self {
            Self::Sqlite(pool) => integrity_check(&mut *pool.acquire().await?).await,
            Self::Postgres(_) => Err(StoreError::Unsupported(POSTGRES_BACKUP.to_owned())),
        }
    }

    pub(crate) async fn close(&self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }
}

/// Every problem `PRAGMA integrity_check` reports; a sound file reports the one row `ok`.
async fn integrity_check(conn: &mut sqlx::SqliteConnection) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(row,)| row)
        .filter(|row| row != "ok")
        .collect())
}

/// An open transaction on either backend. Dropping it without [`Tx::commit`] rolls back.
#[derive(Debug)]
pub enum Tx {
    #[doc(hidden)]
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    #[doc(hidden)]
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    /// Makes every write in the transaction permanent, together.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.commit().await?,
            Self::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    /// Undoes every write in the transaction.
    pub async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.rollback().await?,
            Self::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }

    /// Which backend the transaction runs on.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Runs `$body` with `$conn` bound to the transaction's connection, compiled once per backend,
/// so one piece of portable SQL serves both.
macro_rules! on_backend {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::backend::Tx::Sqlite(tx) => {
                let $conn: &mut sqlx::SqliteConnection = &mut *tx;
                $body
            }
            $crate::backend::Tx::Postgres(tx) => {
                let $conn: &mut sqlx::PgConnection = &mut *tx;
                $body
            }
        }
    };
}
pub(crate) use on_backend;

impl Tx {
    /// Every table and its columns (sorted), read from the database itself; the migrations of
    /// both backends must produce the same answer.
    pub async fn schema(
        &mut self,
    ) -> Result<std::collections::BTreeMap<String, Vec<String>>, StoreError> {
        let rows: Vec<(String, String)> = match self {
            Self::Sqlite(tx) => {
                sqlx::query_as(
                    "SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%'",
                )
                .fetch_all(&mut **tx)
                .await?
            }
            Self::Postgres(tx) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx_%'",
                )
                .fetch_all(&mut **tx)
                .await?
            }
        };
        let mut schema: std::collections::BTreeMap<String, Vec<String>> =
            std::collections::BTreeMap::new();
        for (table, column) in rows {
            schema.entry(table).or_default().push(column);
        }
        for columns in schema.values_mut() {
            columns.sort();
        }
        Ok(schema)
    }
}

impl Tx {
    /// Brings PostgreSQL's planner statistics up to date after a bulk load (the benchmarks'
    /// seeding), as its autovacuum would within a minute: plans made on an empty table's
    /// statistics are not the ones an installation runs. SQLite keeps statistics only when
    /// `ANALYZE` is run, which Tandem never does, so there this does nothing.
    pub async fn refresh_statistics(&mut self) -> Result<(), StoreError> {
        if let Self::Postgres(tx) = self {
            sqlx::query("ANALYZE").execute(&mut **tx).await?;
        }
        Ok(())
    }
}

impl Tx {
    /// A trivial query, to prove the connection works.
    pub(crate) async fn ping(&mut self) -> Result<(), StoreError> {
        let (one,): (i32,) = on_backend!(self, |conn| sqlx::query_as("SELECT 1")
            .fetch_one(conn)
            .await)?;
        debug_assert_eq!(one, 1);
        Ok(())
    }
}
