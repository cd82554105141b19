//! The commands: parse arguments into domain types, call a use case, print the outcome.

use crate::Command;
use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tandem_app::mail::Mailer;
use tandem_app::people::{ImportReport, ImportRequest, ImportStage};
use tandem_app::sso::{Sso, SsoConfig};
use tandem_app::{
    App, AppError, accounts, demo, organisations, outbox, people, reminders, schemes, tokens,
};
use tandem_core::authz::Actor;
use tandem_core::domain::{Email, NewPassword, OrgCode};
use tandem_core::hr::{ImportOptions, Keep, SHOWN_PROBLEMS};
use tandem_core::programme::{Programme, presets};
use tandem_core::{FixedClock, SystemClock};
use tandem_store::Store;
use tandem_web::{DemoSignIns, WebConfig, WebState};

/// Where email goes and how links in it start.
#[derive(Debug, Clone, Args)]
pub struct MailArgs {
    /// SMTP server for email, e.g. smtp://relay.internal:25 or smtps://user:pass@mail.example:465;
    /// without one, emails wait in the outbox.
    #[arg(long, env = "TANDEM_SMTP_URL")]
    smtp_url: Option<String>,
    /// The sender of Tandem's emails.
    #[arg(
        long,
        env = "TANDEM_MAIL_FROM",
        default_value = "Tandem <no-reply@tandem.invalid>"
    )]
    mail_from: String,
    /// The site's address as people reach it, for links in emails, e.g. https://tandem.force.police.uk.
    #[arg(long, env = "TANDEM_PUBLIC_URL")]
    public_url: Option<String>,
    /// Seconds the outbox worker keeps the emails it takes to itself (120 unless given): a worker
    /// that dies mid-batch holds them back this long. Shorter recovers sooner, but a claim that
    /// runs out while its batch of 20 is still going out (each email may wait 20 s for a slow
    /// server) lets another worker send some of it again.
    #[arg(
        long,
        env = "TANDEM_OUTBOX_CLAIM_SECONDS",
        value_parser = clap::value_parser!(u16).range(1..)
    )]
    outbox_claim_seconds: Option<u16>,
}

impl MailArgs {
    /// The mailer, when an SMTP server is given; its emails link people to their settings on
    /// `site` (the public address, or where this process serves).
    fn mailer(&self, site: &str) -> anyhow::Result<Option<Mailer>> {
        self.smtp_url
            .as_deref()
            .map(|url| {
                Mailer::new(url, &self.mail_from)
                    .map(|mailer| mailer.with_site(site))
                    .map_err(|err| anyhow::anyhow!(err))
            })
            .transpose()
    }

    fn claim(&self) -> time::Duration {
        self.outbox_claim_seconds.map_or(outbox::CLAIM, |seconds| {
            time::Duration::seconds(i64::from(seconds))
        })
    }
}

/// Single sign-on by OpenID Connect.
#[derive(Debug, Clone, Args)]
pub struct SsoArgs {
    /// The identity provider's issuer, e.g. https://login.microsoftonline.com/TENANT/v2.0.
    #[arg(long, env = "TANDEM_OIDC_ISSUER", requires_all = ["oidc_client_id", "oidc_client_secret", "public_url"])]
    oidc_issuer: Option<String>,
    /// Tandem's client id at the provider.
    #[arg(long, env = "TANDEM_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    /// Tandem's client secret at the provider.
    #[arg(long, env = "TANDEM_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    /// What the sign-in button says.
    #[arg(
        long,
        env = "TANDEM_OIDC_LABEL",
        default_value = "Sign in with your organisation account"
    )]
    oidc_label: String,
}

impl SsoArgs {
    fn sso(&self, mail: &MailArgs) -> anyhow::Result<Option<Sso>> {
        let (Some(issuer), Some(client_id), Some(client_secret)) = (
            &self.oidc_issuer,
            &self.oidc_client_id,
            &self.oidc_client_secret,
        ) else {
            return Ok(None);
        };
        let public = mail.public_url.as_deref().ok_or_else(|| {
            anyhow::anyhow!(
                "single sign-on needs --public-url (TANDEM_PUBLIC_URL) for its return address"
            )
        })?;
        let config = SsoConfig {
            issuer: issuer.clone(),
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
            redirect_url: format!("{}/sign-in/sso/callback", public.trim_end_matches('/')),
            label: self.oidc_label.clone(),
        };
        Ok(Some(Sso::new(config)?))
    }
}

/// `tandem sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Sweep as of this moment (RFC 3339, e.g. 2027-03-01T09:00:00Z) instead of now.
    #[arg(long)]
    at: Option<String>,
    /// The site's address as people reach it, for links in the reminders.
    #[arg(
        long,
        env = "TANDEM_PUBLIC_URL",
        default_value = "http://localhost:8080"
    )]
    public_url: String,
}

/// `tandem worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    mail: MailArgs,
    /// Deliver what is due once and exit, instead of running until stopped.
    #[arg(long)]
    once: bool,
    /// With --once: sweep and deliver as of this moment (RFC 3339) instead of now, e.g. to send
    /// what `tandem sweep --at` the same moment wrote, which is due only then.
    #[arg(long, requires = "once")]
    at: Option<String>,
}

/// `tandem demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    mail: MailArgs,
    #[command(flatten)]
    sso: SsoArgs,
    /// Address to serve on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Seed the database and exit without serving.
    #[arg(long)]
    seed_only: bool,
}

/// `tandem serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    mail: MailArgs,
    #[command(flatten)]
    sso: SsoArgs,
    /// Address to serve on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Mark cookies `Secure` (with the `__Host-` prefix): use when the site is reached over HTTPS,
    /// e.g. behind a TLS-terminating proxy.
    #[arg(long, env = "TANDEM_SECURE_COOKIES")]
    secure_cookies: bool,
}

/// `tandem token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue an API token for an integration and print its secret (shown only this once).
    Issue {
        /// The organisation it is limited to; leave out for an installation-wide token.
        #[arg(long)]
        org: Option<String>,
        /// What uses it, e.g. "HR feed".
        #[arg(long)]
        name: String,
        /// It may change schemes and roles, not only read.
        #[arg(long)]
        write: bool,
    },
}

/// `tandem account …`.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Set a person's password, read from standard input (one line); ends their sessions.
    SetPassword {
        /// The person's work email.
        email: String,
    },
    /// Reset a person's two-factor sign-in (a lost phone and no recovery code); ends their
    /// sessions. They set it up again at their next sign-in if their roles require it.
    ResetTwoFactor {
        /// The person's work email.
        email: String,
    },
}

/// `tandem import …`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import the HR directory from a CSV file (REQUIREMENTS Appendix A); all or nothing.
    People {
        /// The CSV file.
        file: PathBuf,
        /// The file is a full extract of each organisation it names: people it omits are marked as leavers.
        #[arg(long)]
        full: bool,
        /// Create organisations the file names that do not exist yet.
        #[arg(long)]
        create_organisations: bool,
        /// Check the file and print what would change, without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// When the file has problems, write every one of them to this CSV file (the terminal
        /// shows the first 200 and the counts by kind).
        #[arg(long, value_name = "FILE.csv")]
        problems: Option<PathBuf>,
    },
}

/// `tandem export …`.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write the HR directory as CSV to standard output, in the import format.
    People {
        /// Only this organisation.
        #[arg(long)]
        org: Option<String>,
    },
    /// Write an organisation's applications as CSV (scheme and state on every row).
    Applications {
        /// The organisation.
        #[arg(long)]
        org: String,
        /// Only this scheme (its key).
        #[arg(long)]
        scheme: Option<String>,
    },
    /// Write an organisation's matches as CSV (scheme and state on every row).
    Matches {
        /// The organisation.
        #[arg(long)]
        org: String,
        /// Only this scheme (its key).
        #[arg(long)]
        scheme: Option<String>,
    },
    /// Write an organisation's relationships as CSV: state, dates and meetings, never content.
    Relationships {
        /// The organisation.
        #[arg(long)]
        org: String,
        /// Only this scheme (its key).
        #[arg(long)]
        scheme: Option<String>,
    },
    /// Write one table of an organisation's programme reports as CSV, with the protective
    /// marking, as the reports page shows it; `--list` names the tables.
    Report(crate::report_cli::ReportArgs),
}

/// Writes an export to standard output.
pub(crate) fn write_out(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(bytes) {
        // A reader that stops early (`| head`) is not a failure of the export.
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(err).context("cannot write to standard output"))
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// A scheme key from the command line.
pub(crate) fn scheme_key(raw: &str) -> anyhow::Result<tandem_core::domain::SchemeKey> {
    tandem_core::domain::SchemeKey::parse(raw)
        .map_err(|err| anyhow::anyhow!("--scheme {raw}: {err}"))
}

/// `tandem preset …`.
#[derive(Debug, Subcommand)]
pub enum PresetCommand {
    /// Name the shipped presets.
    List,
    /// Print a preset's schemes and policies as TOML.
    Show {
        /// Preset name.
        name: String,
    },
    /// Check a programme file (TOML) and print every problem, naming the field.
    Check {
        /// The programme file.
        file: PathBuf,
    },
    /// Create a preset's (or a programme file's) schemes in an organisation.
    Apply {
        /// Preset name, or the path of a programme file ending in .toml.
        name: String,
        /// The organisation's code.
        #[arg(long)]
        org: String,
    },
}

/// `tandem bench …`.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Generate an HR file and time importing it, then re-importing it unchanged.
    Import(crate::bench::ImportBenchArgs),
    /// Solve generated cohorts: time, peak memory, matched and total score per size.
    Match(crate::match_cli::BenchMatchArgs),
    /// Time a bulk proposal for a whole cohort from the database, and its matching page.
    Proposal(crate::bench::ProposalBenchArgs),
    /// Time a relationship's page, a scheme's relationships page and its CSV at 20,000 pairs.
    Relationships(crate::bench_relationships::RelationshipsBenchArgs),
    /// Times the reminder sweep over 100,000 relationships, then again at the same moment.
    Sweep(crate::bench_sweep::SweepBenchArgs),
    /// The programme reports and equality monitoring over a force of 300,000 people with 20,000
    /// relationships and 400,000 meetings (targets: 300 ms a dashboard page, 500 ms the
    /// equality funnels).
    Reports(crate::bench_reports::ReportsBenchArgs),
    /// Drive a running Tandem (or the demo, served here) at a fixed rate, open loop, over a
    /// coordinator's and a pair's pages: latency percentiles and errors per page (target: p99
    /// ≤ 50 ms at 200 requests a second).
    Http(crate::bench_http::HttpBenchArgs),
}

pub(crate) fn operator() -> Actor {
    let name = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    Actor::Operator { name }
}

/// A moment given on the command line (`--at`), in RFC 3339.
pub(crate) fn moment(raw: &str) -> anyhow::Result<time::OffsetDateTime> {
    time::OffsetDateTime::parse(raw.trim(), &time::format_description::well_known::Rfc3339)
        .with_context(|| format!("--at {raw} is not a moment such as 2027-03-01T09:00:00Z"))
}

pub(crate) async fn open(database: &str) -> anyhow::Result<App> {
    let store = Store::connect(database)
        .await
        .with_context(|| format!("cannot open the database {database}"))?;
    store
        .migrate()
        .await
        .context("cannot bring the database schema up to date")?;
    Ok(App::new(store, Arc::new(SystemClock)))
}

pub(crate) fn org_code(raw: &str) -> anyhow::Result<OrgCode> {
    OrgCode::parse(raw).map_err(|err| anyhow::anyhow!("--org {err}"))
}

/// Runs one command; the exit code says whether it did what was asked.
pub async fn run(database: String, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Demo(args) => run_demo(&database, args).await,
        Command::Serve(args) => {
            let app = open(&database).await?;
            let config = WebConfig {
                secure_cookies: args.secure_cookies,
                public_url: args.mail.public_url.clone(),
                demo: None,
            };
            let sso = args.sso.sso(&args.mail)?;
            serve(app, config, sso, &args.mail, args.listen).await
        }
        Command::Migrate => {
            let store = Store::connect(&database)
                .await
                .with_context(|| format!("cannot open the database {database}"))?;
            store.migrate().await.context("cannot apply migrations")?;
            println!("migrations applied to {database}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup(args) => crate::backup_cli::backup(&database, args).await,
        Command::Import(ImportCommand::People {
            file,
            full,
            create_organisations,
            dry_run,
            problems,
        }) => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let app = open(&database).await?;
            import_people(
                &app,
                &file,
                &bytes,
                ImportOptions {
                    full_extract: full,
                    create_organisations,
                },
                dry_run,
                problems.as_deref(),
            )
            .await
        }
        Command::Export(ExportCommand::People { org }) => {
            let app = open(&database).await?;
            let code = org.as_deref().map(org_code).transpose()?;
            let csv = people::export(&app, &operator(), code.as_ref()).await?;
            write_out(&csv)
        }
        Command::Export(ExportCommand::Applications { org, scheme }) => {
            let app = open(&database).await?;
            let key = scheme.as_deref().map(scheme_key).transpose()?;
            let csv = tandem_app::applications::export_csv(
                &app,
                &operator(),
                &org_code(&org)?,
                key.as_ref(),
            )
            .await?;
            write_out(csv.as_bytes())
        }
        Command::Export(ExportCommand::Matches { org, scheme }) => {
            let app = open(&database).await?;
            let key = scheme.as_deref().map(scheme_key).transpose()?;
            let csv =
                tandem_app::matching::export_csv(&app, &operator(), &org_code(&org)?, key.as_ref())
                    .await?;
            write_out(csv.as_bytes())
        }
        Command::Export(ExportCommand::Relationships { org, scheme }) => {
            let app = open(&database).await?;
            let key = scheme.as_deref().map(scheme_key).transpose()?;
            let csv = tandem_app::relationships::export_csv(
                &app,
                &operator(),
                &org_code(&org)?,
                key.as_ref(),
            )
            .await?;
            write_out(csv.as_bytes())
        }
        Command::Export(ExportCommand::Report(args)) => {
            let csv = crate::report_cli::export(&database, args).await?;
            write_out(csv.as_bytes())
        }
        Command::Preset(command) => preset(&database, command).await,
        Command::Worker(args) => {
            let app = open(&database).await?;
            let public_url = args
                .mail
                .public_url
                .clone()
                .unwrap_or_else(|| "http://localhost:8080".to_owned());
            let mailer = args.mail.mailer(&public_url)?.ok_or_else(|| {
                anyhow::anyhow!("give the SMTP server with --smtp-url or TANDEM_SMTP_URL")
            })?;
            if args.once {
                let app = match &args.at {
                    Some(raw) => {
                        App::new(app.store.clone(), Arc::new(FixedClock::at(moment(raw)?)))
                    }
                    None => app,
                };
                let swept = reminders::sweep(&app, app.clock.now(), &public_url).await?;
                let delivery =
                    outbox::deliver_due_claiming(&app, &mailer, args.mail.claim()).await?;
                println!(
                    "reminders {}, sent {}, failed {} (failures are tried again later)",
                    swept.total(),
                    delivery.sent,
                    delivery.failed
                );
                return Ok(ExitCode::SUCCESS);
            }
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let sweeper = tokio::spawn(reminders::run_sweeper(
                app.clone(),
                public_url,
                reminders::SWEEP_EVERY,
                stopped.clone(),
            ));
            let worker = tokio::spawn(outbox::run_worker(
                app,
                mailer,
                std::time::Duration::from_secs(5),
                args.mail.claim(),
                stopped,
            ));
            println!(
                "delivering the outbox every 5 s and sweeping for reminders every 15 minutes; press Ctrl-C to stop"
            );
            tokio::signal::ctrl_c()
                .await
                .context("cannot wait for Ctrl-C")?;
            let _ = stop.send(true);
            let _ = worker.await;
            let _ = sweeper.await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Sweep(args) => {
            let app = open(&database).await?;
            let at = match &args.at {
                Some(raw) => moment(raw)?,
                None => app.clock.now(),
            };
            let report = reminders::sweep(&app, at, &args.public_url).await?;
            let when = at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            println!(
                "swept {} live relationships as of {when}: {} reminders sent",
                report.relationships,
                report.total()
            );
            for (nudge, count) in &report.sent {
                println!("  {nudge:<24} {count:>6}");
            }
            for (what, count) in [
                ("moved up the waiting list", report.moved_up),
                ("training refreshers", report.refreshers),
                ("invited to support group", report.support_groups.invited),
                ("support group due", report.support_groups.reminded),
                ("line manager digests", report.line_manager_digests),
                ("digests", report.digests),
                (
                    "records disposed of",
                    usize::try_from(report.disposed).unwrap_or(usize::MAX),
                ),
            ] {
                if count > 0 {
                    println!("  {what:<24} {count:>6}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Token(TokenCommand::Issue { org, name, write }) => {
            let app = open(&database).await?;
            let organisation = match org {
                Some(code) => Some(organisations::by_code(&app, &org_code(&code)?).await?.id),
                None => None,
            };
            let (token, secret) =
                tokens::issue(&app, &operator(), organisation, &name, write).await?;
            eprintln!(
                "issued API token {} ({}); its secret, shown only now:",
                token.id,
                if write { "read and write" } else { "read only" }
            );
            println!("{secret}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Account(AccountCommand::SetPassword { email }) => {
            let email = Email::parse(&email).map_err(|err| anyhow::anyhow!("the email {err}"))?;
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("cannot read the password from standard input")?;
            let password = NewPassword::parse(line.trim_end_matches(['\r', '\n']))
                .map_err(|err| anyhow::anyhow!("the password {err}"))?;
            let app = open(&database).await?;
            accounts::set_password(&app, &operator(), &email, &password).await?;
            println!("password set for {email}; their sessions have ended");
            Ok(ExitCode::SUCCESS)
        }
        Command::Account(AccountCommand::ResetTwoFactor { email }) => {
            let email = Email::parse(&email).map_err(|err| anyhow::anyhow!("the email {err}"))?;
            let app = open(&database).await?;
            tandem_app::two_factor::reset_by_email(&app, &operator(), &email).await?;
            println!("two-factor sign-in reset for {email}; their sessions have ended");
            Ok(ExitCode::SUCCESS)
        }
        Command::Records(command) => crate::records_cli::run(&database, command).await,
        Command::Bench(BenchCommand::Import(args)) => crate::bench::import(args).await,
        Command::Bench(BenchCommand::Proposal(args)) => crate::bench::proposal(args).await,
        Command::Bench(BenchCommand::Sweep(args)) => crate::bench_sweep::sweep(args).await,
        Command::Bench(BenchCommand::Reports(args)) => crate::bench_reports::reports(args).await,
        Command::Bench(BenchCommand::Http(args)) => crate::bench_http::http(args).await,
        Command::Bench(BenchCommand::Relationships(args)) => {
            crate::bench_relationships::relationships(args).await
        }
        Command::Bench(BenchCommand::Match(args)) => {
            // Solving is CPU-bound and uses threads of its own: keep it off the async workers.
            tokio::task::spawn_blocking(move || crate::match_cli::bench(args)).await??;
            Ok(ExitCode::SUCCESS)
        }
        Command::Match(command) => {
            tokio::task::spawn_blocking(move || crate::match_cli::run(command)).await??;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn run_demo(database: &str, args: DemoArgs) -> anyhow::Result<ExitCode> {
    let app = open(database).await?;
    let summary = demo::seed(&app, &operator(), &site_of(&args.mail, args.listen))
        .await
        .context("cannot seed the demo data")?;
    if summary.seeded {
        println!("Seeded demo data into {database}");
    } else {
        println!("Reusing the demo data already in {database}");
    }
    for ((code, people), (_, schemes)) in summary.people.iter().zip(&summary.schemes) {
        println!(
            "  {code:<16} {people:>5} people  {}",
            tandem_core::words::counted(*schemes, "scheme", "schemes")
        );
    }
    println!();
    println!(
        "Sign in as any of them with the password {}:",
        demo::DEMO_PASSWORD
    );
    for journey in demo::Journey::ALL {
        let accounts: Vec<_> = summary
            .accounts
            .iter()
            .filter(|it| it.journey == journey)
            .collect();
        if accounts.is_empty() {
            continue;
        }
        println!();
        println!("  {}", journey.heading());
        for account in accounts {
            println!("    {:<40} {}", account.email, account.title);
        }
    }
    if args.seed_only {
        return Ok(ExitCode::SUCCESS);
    }
    println!();
    let config = WebConfig {
        secure_cookies: false,
        public_url: args.mail.public_url.clone(),
        demo: Some(DemoSignIns {
            password: demo::DEMO_PASSWORD.to_owned(),
            accounts: summary.accounts,
        }),
    };
    let sso = args.sso.sso(&args.mail)?;
    serve(app, config, sso, &args.mail, args.listen).await
}

/// The address people reach the site on, for links in emails: `--public-url`, or the one it
/// listens on.
fn site_of(mail: &MailArgs, listen: SocketAddr) -> String {
    mail.public_url
        .clone()
        .unwrap_or_else(|| format!("http://{listen}"))
}

async fn serve(
    app: App,
    config: WebConfig,
    sso: Option<Sso>,
    mail: &MailArgs,
    listen: SocketAddr,
) -> anyhow::Result<ExitCode> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let site = site_of(mail, listen);
    let sweeper = tokio::spawn(reminders::run_sweeper(
        app.clone(),
        site.clone(),
        reminders::SWEEP_EVERY,
        stopped.clone(),
    ));
    let worker = match mail.mailer(&site)? {
        Some(mailer) => Some(tokio::spawn(outbox::run_worker(
            app.clone(),
            mailer,
            std::time::Duration::from_secs(5),
            mail.claim(),
            stopped,
        ))),
        None => {
            tracing::warn!(
                "no SMTP server configured (--smtp-url): emails wait in the outbox until one is"
            );
            None
        }
    };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener
        .local_addr()
        .context("cannot read the listening address")?;
    println!(
        "Tandem is running at http://{address}/ (health: http://{address}/healthz); press Ctrl-C to stop"
    );
    let mut state = WebState::new(app, config);
    if let Some(sso) = sso {
        state = state.with_sso(sso);
    }
    let served = tandem_web::serve(state, listener).await;
    let _ = stop.send(true);
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    let _ = sweeper.await;
    served.context("the web server stopped with an error")?;
    Ok(ExitCode::SUCCESS)
}

async fn import_people(
    app: &App,
    file: &std::path::Path,
    bytes: &[u8],
    options: ImportOptions,
    dry_run: bool,
    problems_file: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("checking");
    let progress = |stage: ImportStage| match stage {
        ImportStage::Checking => bar.set_message("checking the file"),
        ImportStage::Writing { done, total } => {
            bar.set_message("writing");
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let source = file.display().to_string();
    let request = ImportRequest {
        bytes,
        options,
        dry_run,
        source: &source,
    };
    let keep = if problems_file.is_some() {
        Keep::All
    } else {
        Keep::First(SHOWN_PROBLEMS)
    };
    let outcome = people::import_keeping(app, &operator(), request, keep, &progress).await;
    bar.finish_and_clear();
    match outcome {
        Ok(report) => {
            print_report(&source, &report);
            Ok(ExitCode::SUCCESS)
        }
        Err(AppError::ImportRejected(problems)) => {
            for problem in problems.iter().take(SHOWN_PROBLEMS) {
                eprintln!("{problem}");
            }
            let not_shown = problems.total().saturating_sub(SHOWN_PROBLEMS as u64);
            if not_shown > 0 {
                eprintln!(
                    "… and {}. By kind:",
                    tandem_core::words::counted(not_shown, "more problem", "more problems")
                );
                for (kind, count) in problems.counts() {
                    eprintln!("  {:<40} {count:>8}", kind.label());
                }
            }
            if let Some(path) = problems_file {
                std::fs::write(path, problems.csv("OFFICIAL-SENSITIVE: problems in an HR file, with the personal data it held"))
                    .with_context(|| format!("cannot write {}", path.display()))?;
                eprintln!("every problem is in {}", path.display());
            } else if not_shown > 0 {
                eprintln!("to list every problem in a CSV file, add --problems FILE.csv");
            }
            eprintln!(
                "{source} was not imported: {}; nothing was changed",
                tandem_core::words::counted(problems.total(), "problem", "problems")
            );
            Ok(ExitCode::FAILURE)
        }
        Err(err) => Err(err.into()),
    }
}

fn print_report(source: &str, report: &ImportReport) {
    if report.dry_run {
        println!(
            "Dry run of {source}: {} rows checked, nothing was written. Importing it would make these changes:",
            report.rows
        );
    } else {
        println!("Imported {source}: {} rows", report.rows);
    }
    for code in &report.organisations_created {
        println!("  organisation created: {code}");
    }
    println!("  created:       {:>8}", report.created);
    println!("  updated:       {:>8}", report.updated);
    println!("  unchanged:     {:>8}", report.unchanged);
    println!("  marked leaver: {:>8}", report.marked_leaver);
    if report.relationships_flagged > 0 {
        println!(
            "  relationships flagged for a decision (the mentor now manages the mentee): {}",
            report.relationships_flagged
        );
    }
    if report.relationships_of_leavers > 0 {
        println!(
            "  open relationships of people no longer serving, told to their coordinators: {}",
            report.relationships_of_leavers
        );
    }
}

fn load_programme(name: &str) -> anyhow::Result<(Programme, Option<String>)> {
    if let Some(result) = presets::load(name) {
        let programme = result.map_err(|problems| policy_error(name, &problems))?;
        return Ok((programme, Some(name.to_owned())));
    }
    if !name.ends_with(".toml") {
        bail!(
            "there is no preset called {name}; `tandem preset list` names them, or give the path of a .toml programme file"
        );
    }
    let text = std::fs::read_to_string(name).with_context(|| format!("cannot read {name}"))?;
    let programme =
        Programme::from_toml(&text).map_err(|problems| policy_error(name, &problems))?;
    Ok((programme, None))
}

fn policy_error(name: &str, problems: &[tandem_core::policy::PolicyProblem]) -> anyhow::Error {
    let lines: Vec<String> = problems
        .iter()
        .map(|problem| format!("  {problem}"))
        .collect();
    anyhow::anyhow!(
        "{name} is not a valid programme ({}):\n{}",
        tandem_core::words::counted(problems.len(), "problem", "problems"),
        lines.join("\n")
    )
}

async fn preset(database: &str, command: PresetCommand) -> anyhow::Result<ExitCode> {
    match command {
        PresetCommand::List => {
            for name in presets::names() {
                let title = presets::load(name)
                    .and_then(Result::ok)
                    .map(|programme| programme.title)
                    .unwrap_or_default();
                println!("{name:<18} {title}");
            }
        }
        PresetCommand::Show { name } => {
            let (programme, _) = load_programme(&name)?;
            print!("{}", programme.to_toml());
        }
        PresetCommand::Check { file } => {
            let path = file.display().to_string();
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("cannot read {path}"))?;
            match Programme::from_toml(&text) {
                Ok(programme) => println!(
                    "{path} is a valid programme: {}",
                    tandem_core::words::counted(programme.schemes.len(), "scheme", "schemes")
                ),
                Err(problems) => {
                    for problem in &problems {
                        eprintln!("{problem}");
                    }
                    eprintln!(
                        "{path} is not a valid programme: {}",
                        tandem_core::words::counted(problems.len(), "problem", "problems")
                    );
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        PresetCommand::Apply { name, org } => {
            let (programme, preset) = load_programme(&name)?;
            let code = org_code(&org)?;
            let app = open(database).await?;
            match schemes::apply_programme(&app, &operator(), &programme, &code, preset.as_deref())
                .await
            {
                Ok(created) => {
                    println!(
                        "Created {} in {code} from {name}:",
                        tandem_core::words::counted(created.len(), "scheme", "schemes")
                    );
                    for scheme in created {
                        println!("  {:<24} {}", scheme.definition.key, scheme.definition.name);
                    }
                }
                Err(AppError::PolicyRejected(problems)) => {
                    return Err(policy_error(&name, &problems));
                }
                Err(err) => return Err(err.into()),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
