//! `tandem backup`: a consistent copy of the SQLite database, taken while the server serves and
//! checked before it is reported written. On PostgreSQL it says which of PostgreSQL's own tools
//! to use instead; it never restores (docs/operations.md says how).

use anyhow::{Context, bail};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use tandem_store::{Backend, Store};

/// `tandem backup OUT`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file to write the backup to; an existing file is never overwritten.
    out: PathBuf,
}

/// Backs up the database named by `--database` into a new file.
pub async fn backup(database: &str, args: BackupArgs) -> anyhow::Result<ExitCode> {
    let out = args.out;
    if Backend::of_url(database)? == Backend::Postgres {
        bail!(
            "tandem backup copies SQLite databases only; back up PostgreSQL with its own tools \
             (pg_dump, or continuous archiving for point-in-time recovery), as docs/operations.md describes"
        );
    }
    let exists = out
        .try_exists()
        .with_context(|| format!("cannot tell whether {} exists", out.display()))?;
    if exists {
        bail!(
            "{} already exists; give the backup a new file name (a backup never overwrites a file)",
            out.display()
        );
    }
    let store = Store::connect_existing(database).await.with_context(|| {
        format!("cannot open the database {database}; check --database or TANDEM_DATABASE_URL names the file the server uses")
    })?;
    let written = store.backup_to(&out).await.with_context(|| {
        format!(
            "cannot back up to {}; check its folder exists, is writable and has room",
            out.display()
        )
    });
    store.close().await;
    written?;
    let bytes = std::fs::metadata(&out)
        .with_context(|| format!("cannot read the backup {} back", out.display()))?
        .len();
    println!(
        "backed up {database} to {} ({bytes} bytes; integrity check ok)",
        out.display()
    );
    println!(
        "to restore: stop Tandem, move the database file and any -wal and -shm files beside it aside, copy {} in its place and start Tandem (docs/operations.md)",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
