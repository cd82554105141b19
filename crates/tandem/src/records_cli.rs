//! `tandem records`: retention and disposal of an installation's records (R8.3).

use crate::commands::{moment, open, operator};
use clap::{Args, Subcommand};
use std::process::ExitCode;
use tandem_app::retention;

/// What to do with records.
#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Dispose of every organisation's records past their retention (the sweep does it too).
    Dispose(DisposeArgs),
}

/// `tandem records dispose`.
#[derive(Debug, Args)]
pub struct DisposeArgs {
    /// Count what would be disposed of, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// As of this moment (RFC 3339, e.g. 2027-03-01T09:00:00Z) instead of now.
    #[arg(long)]
    at: Option<String>,
}

/// Runs a `tandem records` command.
pub async fn run(database: &str, command: RecordsCommand) -> anyhow::Result<ExitCode> {
    match command {
        RecordsCommand::Dispose(args) => dispose(database, &args).await,
    }
}

async fn dispose(database: &str, args: &DisposeArgs) -> anyhow::Result<ExitCode> {
    let app = open(database).await?;
    let at = match &args.at {
        Some(raw) => moment(raw)?,
        None => app.clock.now(),
    };
    let done = retention::dispose_everywhere(&app, &operator(), at, args.dry_run).await?;
    let verb = if args.dry_run {
        "would dispose of"
    } else {
        "disposed of"
    };
    let total: u64 = done
        .iter()
        .flat_map(|it| &it.disposed)
        .map(|it| it.records)
        .sum();
    println!("{verb} {total} records past their retention");
    for organisation in &done {
        for disposed in organisation.disposed.iter().filter(|it| it.records > 0) {
            println!(
                "  {:<12} {:<44} {:>7}",
                organisation.organisation.code.to_string(),
                disposed.kind.describe(),
                disposed.records
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
