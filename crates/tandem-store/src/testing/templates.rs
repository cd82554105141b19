//! Databases prepared once per test process and backend, which tests copy.
//!
//! A template outlives the test that prepared it (statics are never dropped), so each is named
//! after the process: a later process removes the templates of processes that are gone.

use super::POSTGRES_URL_VAR;
use crate::{Backend, Store};
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::any::Any;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

/// A prepared database and what its preparation returned.
pub(super) struct Template {
    pub(super) source: Source,
    pub(super) value: Arc<dyn Any + Send + Sync>,
}

/// Where a template's data is.
pub(super) enum Source {
    /// A SQLite file, copied for each test.
    Sqlite(PathBuf),
    /// A PostgreSQL database on `server`, the template of each test's database.
    Postgres { server: String, name: String },
}

/// The templates of this process, by backend and preparation. The lock is held while one is
/// prepared, so tests that need it at the same moment wait for the one preparation.
type Templates = tokio::sync::Mutex<Vec<((Backend, &'static str), Arc<Template>)>>;

fn templates() -> &'static Templates {
    static TEMPLATES: OnceLock<Templates> = OnceLock::new();
    TEMPLATES.get_or_init(Templates::default)
}

/// The template `key` on `backend`, prepared now if this process has none yet.
pub(super) async fn prepared<P, PFut, V>(
    backend: Backend,
    key: &'static str,
    prepare: P,
) -> Arc<Template>
where
    P: FnOnce(Store) -> PFut,
    PFut: Future<Output = V>,
    V: Clone + Send + Sync + 'static,
{
    let mut templates = templates().lock().await;
    if let Some((_, template)) = templates.iter().find(|(it, _)| *it == (backend, key)) {
        return Arc::clone(template);
    }
    let template = Arc::new(match backend {
        Backend::Sqlite => prepare_sqlite(key, prepare).await,
        Backend::Postgres => prepare_postgres(key, prepare).await,
    });
    templates.push(((backend, key), Arc::clone(&template)));
    template
}

/// The prefix of this process's template names, and of every process's.
const PREFIX: &str = "tandem_template_";

fn own_prefix() -> String {
    format!("{PREFIX}{}_", std::process::id())
}

/// Whether the process that named a template `name` is gone.
fn owner_gone(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .and_then(|rest| rest.split('_').next())
        .and_then(|pid| pid.parse::<u32>().ok())
        .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists())
}

fn keep() -> bool {
    std::env::var("TANDEM_TEST_KEEP_DB").is_ok_and(|keep| keep == "1")
}

async fn prepare_sqlite<P, PFut, V>(key: &'static str, prepare: P) -> Template
where
    P: FnOnce(Store) -> PFut,
    PFut: Future<Output = V>,
    V: Clone + Send + Sync + 'static,
{
    let root = std::env::temp_dir();
    if !keep()
        && let Ok(entries) = std::fs::read_dir(&root)
    {
        for entry in entries.flatten() {
            if entry.file_name().to_str().is_some_and(owner_gone) {
                std::fs::remove_dir_all(entry.path()).ok();
            }
        }
    }
    let dir = root.join(format!("{}{key}", own_prefix()));
    std::fs::create_dir_all(&dir).expect("create the template directory");
    let file = dir.join("tandem.db");
    let work = tempfile::tempdir().expect("create a temporary directory");
    let url = format!("sqlite://{}", work.path().join("tandem.db").display());
    let store = Store::connect(&url)
        .await
        .expect("open the SQLite template database");
    store
        .migrate()
        .await
        .expect("migrate the SQLite template database");
    let value = prepare(store.clone()).await;
    std::fs::remove_file(&file).ok();
    store
        .backup_to(&file)
        .await
        .expect("write the SQLite template database");
    store.close().await;
    Template {
        source: Source::Sqlite(file),
        value: Arc::new(value),
    }
}

async fn prepare_postgres<P, PFut, V>(key: &'static str, prepare: P) -> Template
where
    P: FnOnce(Store) -> PFut,
    PFut: Future<Output = V>,
    V: Clone + Send + Sync + 'static,
{
    let server = std::env::var(POSTGRES_URL_VAR).expect("TANDEM_TEST_POSTGRES_URL is set");
    let admin = PgConnectOptions::from_str(&server).expect("the server URL is a postgres:// url");
    if !keep() {
        drop_gone_templates(&admin).await;
    }
    let name = format!("{}{key}", own_prefix());
    create_database_replacing(&admin, &name).await;
    let database = super::TestDatabase::on_postgres_server_named(&server, name.clone()).await;
    let value = prepare(database.store.clone()).await;
    // Closed, so that copies can be made of it (PostgreSQL waits a moment for the server's side
    // of each connection to end).
    database.store.close().await;
    Template {
        source: Source::Postgres { server, name },
        value: Arc::new(value),
    }
}

/// Drops `name` if an earlier process with this one's number left it.
async fn create_database_replacing(admin: &PgConnectOptions, name: &str) {
    let mut conn = PgConnection::connect_with(admin)
        .await
        .expect("connect to the PostgreSQL server");
    sqlx::query(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await
    .expect("drop an old PostgreSQL template database");
    conn.close().await.ok();
}

/// Drops the templates of test processes that are gone.
async fn drop_gone_templates(admin: &PgConnectOptions) {
    let Ok(mut conn) = PgConnection::connect_with(admin).await else {
        return;
    };
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'tandem\\_template\\_%'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap_or_default();
    for name in names.iter().filter(|it| owner_gone(it)) {
        let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        sqlx::query(AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .ok();
    }
    conn.close().await.ok();
}

/// Creates the database `name`, empty or a copy of `template`.
pub(super) async fn create_database(admin: &PgConnectOptions, name: &str, template: Option<&str>) {
    let mut conn = PgConnection::connect_with(admin)
        .await
        .expect("connect to the PostgreSQL server");
    let sql = match template {
        Some(template) => format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""),
        None => format!("CREATE DATABASE \"{name}\""),
    };
    sqlx::query(AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .expect("create a PostgreSQL database");
    conn.close().await.ok();
}
