//! Fresh, migrated databases for tests, on SQLite always and on PostgreSQL when
//! `TANDEM_TEST_POSTGRES_URL` names a server (DESIGN §3, §9).
//!
//! SQLite gets a file in a temporary directory. PostgreSQL gets a database of its own named
//! `tandem_test_<uuid>`, created on the server and dropped afterwards (kept when
//! `TANDEM_TEST_KEEP_DB=1`, for inspection).
//!
//! A test process migrates (and seeds, for [`on_each_prepared_backend`]) once per backend and
//! gives each test a copy: a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL.
//! Migrating and seeding the demo for every test was most of the suite's time.
use crate::{Backend, Store, backend::Pool};
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::future::Future;
use std::str::FromStr;

mod templates;
use templates::Template;

/// The environment variable naming a PostgreSQL server for tests.
pub const POSTGRES_URL_VAR: &str = "TANDEM_TEST_POSTGRES_URL";

/// The backends tests should run on here.
pub fn backends() -> Vec<Backend> {
    let mut backends = vec![Backend::Sqlite];
    if std::env::var(POSTGRES_URL_VAR).is_ok_and(|url| !url.trim().is_empty()) {
        backends.push(Backend::Postgres);
    }
    backends
}

/// A migrated database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    /// The store on it.
    pub store: Store,
    url: String,
    place: Place,
}

#[derive(Debug)]
enum Place {
    Sqlite(
        #[expect(
            dead_code,
            reason = "held so the directory lives as long as the database"
        )]
        tempfile::TempDir,
    ),
    Postgres {
        admin: Box<PgConnectOptions>,
        name: String,
    },
}

impl TestDatabase {
    /// A fresh migrated database on `backend`: a copy of one migrated once per test process.
    /// Panics if it cannot: a test without its database has nothing to say.
    pub async fn new(backend: Backend) -> Self {
        Self::prepared(backend, "migrated", |_| async {}).await.0
    }

    /// A copy of the database `prepare` wrote on `backend` (once per test process and `key`,
    /// on a migrated database), with what `prepare` returned about it.
    pub async fn prepared<P, PFut, V>(backend: Backend, key: &'static str, prepare: P) -> (Self, V)
    where
        P: FnOnce(Store) -> PFut,
        PFut: Future<Output = V>,
        V: Clone + Send + Sync + 'static,
    {
        let template = templates::prepared(backend, key, prepare).await;
        let value = template
            .value
            .downcast_ref::<V>()
            .expect("a preparation's key is used with one type of value")
            .clone();
        (Self::copy_of(&template).await, value)
    }

    /// A database of its own with the template's contents.
    async fn copy_of(template: &Template) -> Self {
        match &template.source {
            templates::Source::Sqlite(file) => {
                let dir = tempfile::tempdir().expect("create a temporary directory");
                let path = dir.path().join("tandem.db");
                std::fs::copy(file, &path).expect("copy the SQLite template database");
                let url = format!("sqlite://{}", path.display());
                let store = Store::connect(&url)
                    .await
                    .expect("open the SQLite test database");
                Self {
                    store,
                    url,
                    place: Place::Sqlite(dir),
                }
            }
            templates::Source::Postgres {
                server,
                name: source,
            } => {
                let admin = PgConnectOptions::from_str(server)
                    .expect("the server URL is a postgres:// url");
                let name = format!("tandem_test_{}", uuid::Uuid::now_v7().simple());
                templates::create_database(&admin, &name, Some(source)).await;
                let store = Store {
                    pool: Pool::connect_postgres(admin.clone().database(&name))
                        .await
                        .expect("connect to the new PostgreSQL database"),
                    audit_writer: crate::audit_writer::AuditWriter::default(),
                };
                Self {
                    store,
                    url: with_database(server, &name),
                    place: Place::Postgres {
                        admin: Box::new(admin),
                        name,
                    },
                }
            }
        }
    }

    /// Creates and migrates a fresh database on the PostgreSQL server at `server` (any database
    /// URL on that server will do; the database part is replaced).
    pub async fn on_postgres_server(server: &str) -> Self {
        let name = format!("tandem_test_{}", uuid::Uuid::now_v7().simple());
        Self::on_postgres_server_named(server, name).await
    }

    /// Creates and migrates the database `name` on the PostgreSQL server at `server`.
    async fn on_postgres_server_named(server: &str, name: String) -> Self {
        let admin =
            PgConnectOptions::from_str(server).expect("the server URL is a postgres:// url");
        templates::create_database(&admin, &name, None).await;
        let options = admin.clone().database(&name);
        let store = Store {
            pool: Pool::connect_postgres(options)
                .await
                .expect("connect to the new PostgreSQL database"),
            audit_writer: crate::audit_writer::AuditWriter::default(),
        };
        store
            .migrate()
            .await
            .expect("migrate the new PostgreSQL database");
        let url = with_database(server, &name);
        Self {
            store,
            url,
            place: Place::Postgres {
                admin: Box::new(admin),
                name,
            },
        }
    }

    /// The database's URL, for commands under test.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Closes the store and removes the database.
    pub async fn remove(self) {
        self.store.close().await;
        if let Place::Postgres { admin, name } = self.place {
            if std::env::var("TANDEM_TEST_KEEP_DB").is_ok_and(|keep| keep == "1") {
                return;
            }
            if let Ok(mut conn) = PgConnection::connect_with(&admin).await {
                let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                sqlx::query(AssertSqlSafe(drop))
                    .execute(&mut conn)
                    .await
                    .ok();
                conn.close().await.ok();
            }
        }
    }
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(base, query)| (base, Some(query)));
    let authority_end = base.find("://").map_or(0, |idx| idx + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// Runs `test` once per backend, each on a fresh database, and removes the database even
/// when the test panics (the panic is then raised again, naming the backend).
pub async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    on_each_database(|store, _url| test(store)).await;
}

/// Like [`on_each_backend`], also giving the test the database's URL (for commands under test).
pub async fn on_each_database<F, Fut>(test: F)
where
    F: Fn(Store, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for backend in backends() {
        let database = TestDatabase::new(backend).await;
        let outcome = tokio::spawn(test(database.store.clone(), database.url().to_owned())).await;
        database.remove().await;
        raise(backend, outcome);
    }
}

/// Runs `test` once per backend on a copy of a database prepared once per test process and
/// backend: migrated, then given what `prepare` writes (the demo, say), `key` naming the
/// preparation. The test gets what `prepare` returned about the data (the demo's accounts, say).
/// The copy is removed afterwards, as [`on_each_backend`]'s databases are.
pub async fn on_each_prepared_backend<P, PFut, V, F, Fut>(key: &'static str, prepare: P, test: F)
where
    P: Fn(Store) -> PFut,
    PFut: Future<Output = V>,
    V: Clone + Send + Sync + 'static,
    F: Fn(Store, V) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for backend in backends() {
        let (database, value) = TestDatabase::prepared(backend, key, &prepare).await;
        let outcome = tokio::spawn(test(database.store.clone(), value)).await;
        database.remove().await;
        raise(backend, outcome);
    }
}

/// Raises a test's panic again, naming the backend it failed on.
fn raise(backend: Backend, outcome: Result<(), tokio::task::JoinError>) {
    if let Err(err) = outcome {
        match err.try_into_panic() {
            Ok(panic) => {
                tracing::error!("the test failed on {backend:?}");
                let message = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied());
                match message {
                    Some(message) => panic!("on {backend:?}: {message}"),
                    // A payload that is not text (expect-test's, say) has printed its own
                    // report; raise it unchanged.
                    None => std::panic::resume_unwind(panic),
                }
            }
            Err(err) => panic!("the test on {backend:?} did not finish: {err}"),
        }
    }
}

impl crate::Tx {
    /// A digest of every table's rows but those in `skip`, by table: two equal fingerprints
    /// mean nothing in those tables changed (tests of "a refused request changes nothing").
    pub async fn fingerprint(
        &mut self,
        skip: &[&str],
    ) -> Result<std::collections::BTreeMap<String, (i64, u64)>, crate::StoreError> {
        use std::hash::{Hash, Hasher};
        let schema = self.schema().await?;
        let mut out = std::collections::BTreeMap::new();
        for (table, columns) in schema {
            if skip.contains(&table.as_str()) {
                continue;
            }
            let (count, text): (i64, String) = match self {
                crate::Tx::Sqlite(tx) => {
                    let row = columns
                        .iter()
                        .map(|column| format!("quote(\"{column}\")"))
                        .collect::<Vec<_>>()
                        .join(" || ',' || ");
                    let sql = format!(
                        "SELECT count(*), coalesce(group_concat(r, char(30)), '') FROM \
                         (SELECT {row} AS r FROM \"{table}\" ORDER BY r)"
                    );
                    sqlx::query_as(AssertSqlSafe(sql))
                        .fetch_one(&mut **tx)
                        .await?
                }
                crate::Tx::Postgres(tx) => {
                    let sql = format!(
                        "SELECT count(*), coalesce(string_agg(t::text, chr(30) ORDER BY t::text), '') \
                         FROM \"{table}\" AS t"
                    );
                    sqlx::query_as(AssertSqlSafe(sql))
                        .fetch_one(&mut **tx)
                        .await?
                }
            };
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            text.hash(&mut hasher);
            out.insert(table, (count, hasher.finish()));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_replaced_and_parameters_kept() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://u@h/db?sslmode=disable", "t2"),
            "postgres://u@h/t2?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "t3"), "postgres://u@h/t3");
    }
}
