//! `tandem export report`: one table of an organisation's programme reports, equality
//! monitoring or evaluation results as CSV, the same figures, suppression, marking and note the
//! pages download.

use crate::commands::{open, operator, org_code, scheme_key};
use clap::Args;
use tandem_app::reports::{self, ReportRequest};
use tandem_app::{equality, evaluation};
use tandem_core::eligibility::Role;
use tandem_core::equality::Characteristic;
use tandem_core::reports::ReportName;

/// Which table, for which scope and period.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Name the tables and what each holds, instead of writing one.
    #[arg(long)]
    list: bool,
    /// The organisation.
    #[arg(long, required_unless_present = "list")]
    org: Option<String>,
    /// The table, e.g. dashboard-headline (see --list).
    #[arg(long, required_unless_present = "list")]
    report: Option<String>,
    /// Only this scheme (its key); the evaluation tables take the first scheme without it.
    #[arg(long)]
    scheme: Option<String>,
    /// Only people of this division.
    #[arg(long)]
    division: Option<String>,
    /// The first day, YYYY-MM-DD (default: twelve months before --to).
    #[arg(long)]
    from: Option<String>,
    /// The last day, YYYY-MM-DD (default: today).
    #[arg(long)]
    to: Option<String>,
    /// For the equality tables: only applications to `mentor` or to be mentored (`mentee`).
    #[arg(long)]
    role: Option<String>,
}

/// The list of tables, a line each: its name and what it holds.
fn list() -> String {
    let dashboard = ReportName::ALL
        .iter()
        .chain(&ReportName::EVALUATION)
        .map(|name| (name.code(), name.describe().to_owned()));
    let equality = Characteristic::ALL.iter().map(|it| {
        (
            it.report_name(),
            format!(
                "how far applications got by {}, small numbers suppressed",
                it.describe().to_ascii_lowercase()
            ),
        )
    });
    dashboard
        .chain(equality)
        .map(|(name, what)| format!("{name:<32} {what}\n"))
        .collect()
}

/// The CSV the arguments ask for, or the list of tables.
pub async fn export(database: &str, args: ReportArgs) -> anyhow::Result<String> {
    if args.list {
        return Ok(list());
    }
    let (Some(org), Some(report)) = (args.org.as_deref(), args.report.as_deref()) else {
        anyhow::bail!("give --org and --report, or --list to name the reports");
    };
    let organisation = org_code(org)?;
    let scheme = args.scheme.as_deref().map(scheme_key).transpose()?;
    let role = match args.role.as_deref() {
        None => None,
        Some(raw) => Some(Role::parse(raw).ok_or_else(|| {
            anyhow::anyhow!("--role {raw}: give mentor or mentee, or leave it out for both")
        })?),
    };
    let request = ReportRequest {
        scheme: scheme.map(|it| it.to_string()).unwrap_or_default(),
        division: args.division.unwrap_or_default(),
        from: args.from.unwrap_or_default(),
        to: args.to.unwrap_or_default(),
    };
    if let Some(characteristic) = Characteristic::parse_report_name(report) {
        let app = open(database).await?;
        return Ok(equality::export(
            &app,
            &operator(),
            &organisation,
            characteristic,
            &request,
            role,
        )
        .await?);
    }
    let name = ReportName::parse(report).ok_or_else(|| {
        anyhow::anyhow!(
            "--report {report}: there is no such report; `tandem export report --list` names them"
        )
    })?;
    let app = open(database).await?;
    if name.is_evaluation() {
        return Ok(evaluation::export(&app, &operator(), &organisation, name, &request).await?);
    }
    Ok(reports::export(&app, &operator(), &organisation, name, &request).await?)
}
