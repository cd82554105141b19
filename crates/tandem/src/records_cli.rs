//! `tandem records …`: records under the data protection law, as an operator at the command
//! line: disposal of what is past its retention (R8.3), everything held on a person as a zip,
//! and their erasure (R8.4).

use crate::commands::{moment, open, operator, org_code};
use anyhow::Context as _;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use tandem_app::retention;
use tandem_app::subject_access::{self, WHAT_GOES, WHAT_STAYS};
use tandem_core::domain::StaffNumber;

/// `tandem records …`.
#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Dispose of every organisation's records past their retention (the sweep does it too).
    Dispose(DisposeArgs),
    /// Write everything held on a person to a zip file (README, JSON and CSV): a subject access
    /// request answered.
    ExportPerson(ExportPersonArgs),
    /// Erase a person's personal data and content; the register and their partners' records
    /// stay. Prints what would go unless --yes is given.
    Erase(EraseArgs),
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

/// `tandem records export-person`.
#[derive(Debug, Args)]
pub struct ExportPersonArgs {
    /// The person's organisation.
    #[arg(long)]
    org: String,
    /// Their staff number.
    staff_number: String,
    /// The zip file to write.
    out: PathBuf,
}

/// `tandem records erase`.
#[derive(Debug, Args)]
pub struct EraseArgs {
    /// The person's organisation.
    #[arg(long)]
    org: String,
    /// Their staff number.
    staff_number: String,
    /// Erase now. Without it nothing changes: the command says what would go and what would
    /// stay, so it is safe to run without a terminal to confirm at.
    #[arg(long)]
    yes: bool,
}

fn staff_number(raw: &str) -> anyhow::Result<StaffNumber> {
    StaffNumber::parse(raw).map_err(|err| anyhow::anyhow!("the staff number {err}"))
}

/// Runs one `records` command.
pub async fn run(database: &str, command: RecordsCommand) -> anyhow::Result<ExitCode> {
    let app = open(database).await?;
    let actor = operator();
    match command {
        RecordsCommand::Dispose(args) => dispose(&app, &args).await,
        RecordsCommand::ExportPerson(args) => {
            let (org, number) = (org_code(&args.org)?, staff_number(&args.staff_number)?);
            let person = subject_access::find_person(&app, &actor, &org, &number).await?;
            let zip = subject_access::export_person(&app, &actor, person).await?;
            std::fs::write(&args.out, &zip)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            println!(
                "wrote everything held on {org} staff number {number} to {} ({} bytes)",
                args.out.display(),
                zip.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        RecordsCommand::Erase(args) => {
            let (org, number) = (org_code(&args.org)?, staff_number(&args.staff_number)?);
            let person = subject_access::find_person(&app, &actor, &org, &number).await?;
            if args.yes {
                subject_access::erase_person(&app, &actor, person).await?;
                println!("erased {org} staff number {number}; they now show as \"Erased person\"");
                return Ok(ExitCode::SUCCESS);
            }
            let check = subject_access::check_erasure(&app, &actor, person).await?;
            println!("erasing {org} staff number {number} would remove:");
            for what in WHAT_GOES {
                println!("  - {what}");
            }
            println!("and keep:");
            for what in WHAT_STAYS {
                println!("  - {what}");
            }
            if check.refusals.is_empty() {
                eprintln!("nothing was changed; add --yes to erase");
            } else {
                eprintln!("nothing was changed, and it cannot be done yet:");
                for reason in &check.refusals {
                    eprintln!("  - {reason}");
                }
            }
            Ok(ExitCode::FAILURE)
        }
    }
}

async fn dispose(app: &tandem_app::App, args: &DisposeArgs) -> anyhow::Result<ExitCode> {
    let at = match &args.at {
        Some(raw) => moment(raw)?,
        None => app.clock.now(),
    };
    let done = retention::dispose_everywhere(app, &operator(), at, args.dry_run).await?;
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
                "  {:<16} {:<44} {:>7}",
                organisation.organisation.code.to_string(),
                disposed.kind.describe(),
                disposed.records
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
