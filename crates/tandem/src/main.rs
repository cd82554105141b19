//! `tandem`: the one entry point. Each command is a thin adapter over the use cases in
//! `tandem-app`; the command lines and their output are a contract (README, docs).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the command line's output is its interface"
)]
mod backup_cli;
mod bench;
mod bench_http;
mod bench_relationships;
mod bench_reports;
mod bench_sweep;
mod commands;
mod match_cli;
mod records_cli;
mod report_cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Tandem: mentoring programmes for police forces and national bodies.
#[derive(Debug, Parser)]
#[command(name = "tandem", version, about)]
struct Cli {
    /// Database: sqlite://PATH (created if missing) or postgres://USER@HOST/DATABASE.
    #[arg(
        long,
        global = true,
        env = "TANDEM_DATABASE_URL",
        default_value = "sqlite://tandem.db"
    )]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Seed demo data (three organisations, their workforce and schemes) and serve the web app.
    Demo(commands::DemoArgs),
    /// Serve the web application.
    Serve(commands::ServeArgs),
    /// Deliver the outbox's emails and sweep for reminders (serve does both too).
    Worker(commands::WorkerArgs),
    /// Send the reminders due now (or at --at): once each, however often it runs.
    Sweep(commands::SweepArgs),
    /// Apply database migrations.
    Migrate,
    /// Back up the SQLite database to a new file while Tandem serves (PostgreSQL: use pg_dump).
    Backup(backup_cli::BackupArgs),
    /// Import data (the HR directory).
    #[command(subcommand)]
    Import(commands::ImportCommand),
    /// Export data: the HR directory, applications, matches.
    #[command(subcommand)]
    Export(commands::ExportCommand),
    /// Records under the data protection law: dispose of what is past its retention, export
    /// everything held on a person, erase a person.
    #[command(subcommand)]
    Records(records_cli::RecordsCommand),
    /// Issue API tokens for integrations.
    #[command(subcommand)]
    Token(commands::TokenCommand),
    /// Manage sign-in accounts.
    #[command(subcommand)]
    Account(commands::AccountCommand),
    /// Matching: solve a problem, list allowed pairs, explain a pair, generate a problem.
    #[command(subcommand)]
    Match(match_cli::MatchCommand),
    /// List, show, check and apply programme presets.
    #[command(subcommand)]
    Preset(commands::PresetCommand),
    /// Benchmarks that print figures.
    #[command(subcommand)]
    Bench(commands::BenchCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Benchmarks print figures; warnings about slow statements there are expected noise.
    let default_level = if matches!(cli.command, Command::Bench(_)) {
        "error"
    } else if matches!(
        cli.command,
        Command::Serve(_) | Command::Demo(_) | Command::Worker(_)
    ) {
        "info"
    } else {
        "warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            report(&anyhow::Error::new(err).context("cannot start the async runtime"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli.database, cli.command)) {
        Ok(code) => code,
        Err(err) => {
            report(&err);
            ExitCode::FAILURE
        }
    }
}

/// Prints an error and its causes for the operator.
fn report(err: &anyhow::Error) {
    use std::io::Write as _;
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {err}");
    for cause in err.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
}
