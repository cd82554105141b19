//! Benchmarks that print figures (never timed tests), and the memory readings they share.

use anyhow::Context;
use clap::Args;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use tandem_app::App;
use tandem_app::people::{ImportRequest, ImportStage, import as import_people};
use tandem_app::workforce::{WorkforceSpec, generate};
use tandem_core::authz::Actor;
use tandem_core::domain::OrgCode;
use tandem_core::hr::{ImportOptions, write_file};
use tandem_core::{Clock, SystemClock};
use tandem_store::Backend;
use tandem_store::testing::TestDatabase;

/// Forgets the process's peak memory so the next reading covers only what follows (Linux).
pub fn reset_peak_memory() {
    // Writing 5 to clear_refs resets the peak resident set size; elsewhere there is nothing to reset.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident memory since start or the last reset, in bytes (Linux).
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Peak memory as text.
pub fn format_memory(bytes: Option<u64>) -> String {
    bytes.map_or_else(
        || "n/a".to_owned(),
        |bytes| format!("{} MiB", bytes / (1024 * 1024)),
    )
}

/// What this machine is, for the figures' heading.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|it| it.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown cpu".to_owned());
    let build = if cfg!(debug_assertions) {
        "debug build: figures are not representative, use --release"
    } else {
        "release build"
    };
    format!("{cores} cores ({cpu}), {build}")
}

/// `tandem bench import`.
#[derive(Debug, Args)]
pub struct ImportBenchArgs {
    /// People in the generated HR file.
    #[arg(long, default_value_t = 300_000)]
    people: usize,
    /// People per organisation (the file holds as many organisations as this needs).
    #[arg(long, default_value_t = 50_000)]
    per_organisation: usize,
    /// Seed of the generated workforce.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Generates an HR file, imports it into a fresh SQLite database (and PostgreSQL when
/// `TANDEM_BENCH_POSTGRES_URL` names a server), then re-imports it unchanged; prints times and
/// peak memory.
pub async fn import(args: ImportBenchArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let today = SystemClock.now().date();
    let per_organisation = args.per_organisation.max(100);
    let organisations = args.people.div_ceil(per_organisation).max(1);
    let mut people = Vec::with_capacity(args.people);
    for idx in 0..organisations {
        let size = per_organisation.min(args.people - people.len());
        let code = OrgCode::parse(&format!("force-{:02}", idx + 1))
            .context("a generated organisation code")?;
        let spec = WorkforceSpec {
            organisation: code,
            people: size,
            email_domain: format!("force{:02}.police.uk", idx + 1),
            first_staff_number: 100_000,
            divisions: Vec::new(),
            locations: (1..=40).map(|n| format!("Station {n}")).collect(),
            national_body: false,
            today,
        };
        people.extend(generate(&spec, args.seed + idx as u64).people);
    }
    let file = write_file(&people);
    let count = people.len();
    drop(people);
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let path = dir.path().join("people.csv");
    std::fs::write(&path, &file).with_context(|| format!("cannot write {}", path.display()))?;
    drop(file);
    println!(
        "tandem bench import: {count} people in {organisations} organisation(s); file {} MiB generated in {:.1} s",
        std::fs::metadata(&path).map_or(0, |it| it.len()) / (1024 * 1024),
        started.elapsed().as_secs_f64()
    );
    println!("machine: {}", machine());
    println!(
        "{:<10} {:>14} {:>12} {:>22} {:>12}",
        "backend", "first import", "peak memory", "re-import (no change)", "peak memory"
    );

    let mut targets = vec![("sqlite", None)];
    if let Ok(server) = std::env::var("TANDEM_BENCH_POSTGRES_URL") {
        targets.push(("postgres", Some(server)));
    }
    for (name, server) in targets {
        let database = match &server {
            None => TestDatabase::new(Backend::Sqlite).await,
            Some(server) => TestDatabase::on_postgres_server(server).await,
        };
        let app = App::new(database.store.clone(), Arc::new(SystemClock));
        let (first, first_peak) = timed_import(&app, &path, count, false).await?;
        let (again, again_peak) = timed_import(&app, &path, count, true).await?;
        println!(
            "{name:<10} {:>12.2} s {:>12} {:>20.2} s {:>12}",
            first,
            format_memory(first_peak),
            again,
            format_memory(again_peak)
        );
        database.remove().await;
    }
    Ok(ExitCode::SUCCESS)
}

async fn timed_import(
    app: &App,
    path: &std::path::Path,
    count: usize,
    unchanged: bool,
) -> anyhow::Result<(f64, Option<u64>)> {
    reset_peak_memory();
    let started = Instant::now();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let request = ImportRequest {
        bytes: &bytes,
        options: ImportOptions {
            full_extract: true,
            create_organisations: true,
        },
        dry_run: false,
        source: "bench",
    };
    let report = import_people(
        app,
        &Actor::Operator {
            name: "bench".to_owned(),
        },
        request,
        &|_: ImportStage| {},
    )
    .await
    .map_err(|err| anyhow::anyhow!("the benchmark import failed: {err}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let expected = if unchanged { (0, count) } else { (count, 0) };
    anyhow::ensure!(
        (report.created, report.unchanged) == expected,
        "the import did not do what the benchmark expects: {report:?}"
    );
    Ok((seconds, peak_memory_bytes()))
}

/// `tandem bench proposal`.
#[derive(Debug, Args)]
pub struct ProposalBenchArgs {
    /// Mentees waiting for a mentor.
    #[arg(long, default_value_t = 5_000)]
    mentees: usize,
    /// Mentors with places.
    #[arg(long, default_value_t = 2_000)]
    mentors: usize,
    /// Seed of the generated workforce.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Seeds a scheme with `mentees` and `mentors` approved, trained applications in a fresh
/// database (SQLite, and PostgreSQL when `TANDEM_BENCH_POSTGRES_URL` names a server), then times a
/// bulk proposal from the database (load, build the problem, solve, store the proposals) and the
/// matching page a coordinator opens afterwards.
pub async fn proposal(args: ProposalBenchArgs) -> anyhow::Result<ExitCode> {
    println!(
        "tandem bench proposal: {} mentees, {} mentors (Police Scotland's policy)",
        args.mentees, args.mentors
    );
    println!("machine: {}", machine());
    println!(
        "{:<10} {:>10} {:>9} {:>13} {:>12} {:>14} {:>12} {:>20}",
        "backend",
        "proposal",
        "matched",
        "total score",
        "peak memory",
        "matching page",
        "page size",
        "others' longest write"
    );
    let mut targets = vec![("sqlite", None)];
    if let Ok(server) = std::env::var("TANDEM_BENCH_POSTGRES_URL") {
        targets.push(("postgres", Some(server)));
    }
    for (name, server) in targets {
        let database = match &server {
            None => TestDatabase::new(Backend::Sqlite).await,
            Some(server) => TestDatabase::on_postgres_server(server).await,
        };
        let app = App::new(database.store.clone(), Arc::new(SystemClock));
        let outcome = proposal_on(&app, &args).await;
        database.remove().await;
        let (seconds, summary, peak, page_ms, page_bytes, (writes, longest_write_ms)) = outcome?;
        println!(
            "{name:<10} {seconds:>8.2} s {:>9} {:>13} {:>12} {page_ms:>11.0} ms {:>9} KiB {longest_write_ms:>12.0} ms ({writes})",
            summary.matched,
            summary.total_score,
            format_memory(peak),
            page_bytes / 1024
        );
    }
    Ok(ExitCode::SUCCESS)
}

type ProposalFigures = (
    f64,
    tandem_app::matching::ProposalSummary,
    Option<u64>,
    f64,
    usize,
    (usize, f64),
);

/// Small write transactions, one every 20 ms until `stop`: how many, and the longest in ms.
async fn other_writes(
    app: App,
    organisation: tandem_core::OrganisationId,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> anyhow::Result<(usize, f64)> {
    let mut count = 0;
    let mut longest: f64 = 0.0;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let started = Instant::now();
        let mut tx = app.store.begin_write().await?;
        tx.insert_audit(&[tandem_store::AuditEntry {
            id: tandem_core::AuditId(uuid::Uuid::now_v7()),
            at: SystemClock.now(),
            actor: "operator:bench".to_owned(),
            // Any small write will do; the benchmark's database is thrown away.
            action: tandem_core::audit::AuditAction::OrganisationUpdated,
            organisation: Some(organisation),
            subject_kind: "organisation".to_owned(),
            subject: Some(organisation.0),
            detail: serde_json::json!({ "bench": "another writer" }),
        }])
        .await?;
        tx.commit().await?;
        longest = longest.max(started.elapsed().as_secs_f64() * 1000.0);
        count += 1;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    Ok((count, longest))
}

/// A fresh force of `people` generated people (12 divisions, 40 stations) with Police Scotland's
/// mentoring scheme, as the benchmarks that need a populated installation start.
pub(crate) async fn bench_force(
    app: &App,
    people: usize,
    seed: u64,
) -> anyhow::Result<(tandem_core::Organisation, tandem_core::programme::Scheme)> {
    let operator = Actor::Operator {
        name: "bench".to_owned(),
    };
    let now = SystemClock.now();
    let code = OrgCode::parse("bench-force").context("the bench organisation's code")?;
    tandem_app::organisations::create(
        app,
        &operator,
        code.clone(),
        "Bench Force".to_owned(),
        tandem_core::OrganisationKind::Force,
    )
    .await?;
    let spec = WorkforceSpec {
        organisation: code.clone(),
        people,
        email_domain: "bench.police.uk".to_owned(),
        first_staff_number: 100_000,
        divisions: (1..=12).map(|n| format!("Division {n}")).collect(),
        locations: (1..=40).map(|n| format!("Station {n}")).collect(),
        national_body: false,
        today: now.date(),
    };
    let file = write_file(&generate(&spec, seed).people);
    let request = ImportRequest {
        bytes: &file,
        options: ImportOptions::default(),
        dry_run: false,
        source: "bench",
    };
    import_people(app, &operator, request, &|_: ImportStage| {})
        .await
        .map_err(|err| anyhow::anyhow!("the benchmark's import failed: {err}"))?;
    let programme = tandem_core::programme::presets::load("police-scotland")
        .context("the police-scotland preset ships")?
        .map_err(|problems| anyhow::anyhow!("the preset is not valid: {problems:?}"))?;
    let scheme = tandem_app::schemes::apply_programme(app, &operator, &programme, &code, None)
        .await?
        .into_iter()
        .next()
        .context("the preset has a scheme")?;
    let organisation = tandem_app::organisations::by_code(app, &code).await?;
    Ok((organisation, scheme))
}

async fn proposal_on(app: &App, args: &ProposalBenchArgs) -> anyhow::Result<ProposalFigures> {
    use tandem_core::application::{Answers, Application, ApplicationStatus};
    use tandem_core::eligibility::Role;
    let operator = Actor::Operator {
        name: "bench".to_owned(),
    };
    let now = SystemClock.now();
    // Enough people that the applicants are a realistic slice of a force.
    let (organisation, scheme) =
        bench_force(app, (args.mentees + args.mentors) * 3 / 2 + 500, args.seed).await?;

    // Applicants: the most senior eligible people mentor, the next ones are mentees.
    let mut tx = app.store.begin_write().await?;
    let mut people = tx.people_of(organisation.id).await?;
    let policy = &scheme.definition.policy;
    people.retain(|person| {
        let band = organisation
            .rank_bands
            .band_of(&person.record.rank_or_grade);
        tandem_core::eligibility::assess(&policy.eligibility.mentee, &person.record, band, false)
            .is_empty()
    });
    let level = |person: &tandem_core::hr::ExistingPerson| {
        organisation
            .rank_bands
            .band_of(&person.record.rank_or_grade)
            .map_or(0, |band| band.level)
    };
    people.sort_by_key(|person| std::cmp::Reverse(level(person)));
    anyhow::ensure!(
        people.len() >= args.mentees + args.mentors,
        "the generated workforce has only {} eligible people",
        people.len()
    );
    let topics = &organisation.topics;
    let slots = tandem_core::application::AVAILABILITY_SLOTS;
    let coordinator = people
        .pop()
        .context("someone to coordinate the bench scheme")?;
    for (index, person) in people.iter().take(args.mentors + args.mentees).enumerate() {
        let role = if index < args.mentors {
            Role::Mentor
        } else {
            Role::Mentee
        };
        let pick = |k: usize| topics[(index * 7 + k * 5) % topics.len()].clone();
        let application = Application {
            id: tandem_core::ApplicationId(uuid::Uuid::now_v7()),
            scheme: scheme.id,
            person: person.id,
            role,
            status: ApplicationStatus::Approved,
            answers: Answers {
                summary: "Bench applicant".to_owned(),
                topics: (0..1 + index % 3).map(pick).collect(),
                capacity: (role == Role::Mentor).then_some(2),
                location: person.record.location.as_ref().map(ToString::to_string),
                will_travel: index % 2 == 0,
                remote_ok: index % 3 != 0,
                availability: (0..3)
                    .map(|k| slots[(index * 3 + k * 7) % slots.len()].to_owned())
                    .collect(),
                preferred_mentor_email: None,
            },
            confidential: false,
            approver: None,
            decided_by: None,
            decision_reason: None,
            decided_at: None,
            statement_signed_at: None,
            agreement_signed_at: None,
            ethics_acknowledged_at: Some(now),
            priority: 0,
            submitted_at: now,
            version: 1,
        };
        tx.insert_application(&application).await?;
        tx.insert_training_record(
            &tandem_core::training::TrainingRecord {
                person: person.id,
                training: policy.training.name.clone(),
                completed_on: now.date(),
                workshop: None,
                recorded_by: "bench".to_owned(),
            },
            now,
        )
        .await?;
    }
    tx.insert_grant(
        uuid::Uuid::now_v7(),
        coordinator.id,
        &tandem_core::authz::Grant {
            role: tandem_core::authz::StaffRole::Coordinator,
            scope: tandem_core::authz::Scope::Organisation(organisation.id),
        },
        "bench",
        now,
    )
    .await?;
    tx.commit().await?;

    reset_peak_memory();
    // Meanwhile someone else keeps writing (as sign-ins and form posts do): the longest any of
    // their writes waits shows whether the proposal holds up other work (R5.9).
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let others = tokio::spawn(other_writes(
        app.clone(),
        organisation.id,
        Arc::clone(&stop),
    ));
    let started = Instant::now();
    let summary =
        tandem_app::matching::propose(app, &operator, organisation.id, &scheme.definition.key)
            .await?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_memory_bytes();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (writes, longest_write_ms) = others.await.context("the other writer stopped")??;

    // The coordinator opens the matching page over HTTP, as a browser would.
    let token = signed_in(app, &coordinator.record.email).await?;
    let (address, server) = serve(app).await?;
    let path = format!("/schemes/{}/matching", scheme.definition.key);
    let measured = median_get(address, &path, &cookie(&token), 5).await;
    server.abort();
    let (page_ms, size) = measured?;
    Ok((
        seconds,
        summary,
        peak,
        page_ms,
        size,
        (writes, longest_write_ms),
    ))
}

/// Gives `email` a password and signs them in, as a browser would; their session's token.
pub(crate) async fn signed_in(
    app: &App,
    email: &tandem_core::domain::Email,
) -> anyhow::Result<tandem_app::accounts::SessionToken> {
    let password = "a benchmark passphrase";
    tandem_app::accounts::set_password(
        app,
        &Actor::Operator {
            name: "bench".to_owned(),
        },
        email,
        &tandem_core::domain::NewPassword::parse(password)
            .map_err(|err| anyhow::anyhow!("{err}"))?,
    )
    .await?;
    tandem_app::accounts::sign_in(app, email.as_ref(), password)
        .await?
        .map_err(|refused| anyhow::anyhow!("{email} cannot sign in: {refused}"))?
        .into_session()
        .ok_or_else(|| {
            anyhow::anyhow!("{email} must sign in with two factors, which the benchmark does not")
        })
}

/// The session cookie a browser sends.
pub(crate) fn cookie(token: &tandem_app::accounts::SessionToken) -> String {
    format!("tandem_session={}", token.expose())
}

/// The web app on a free local port; abort the handle to stop it.
pub(crate) async fn serve(
    app: &App,
) -> anyhow::Result<(
    std::net::SocketAddr,
    tokio::task::JoinHandle<std::io::Result<()>>,
)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot listen on a local port")?;
    let address = listener.local_addr()?;
    let state = tandem_web::WebState::new(app.clone(), tandem_web::WebConfig::default());
    Ok((address, tokio::spawn(tandem_web::serve(state, listener))))
}

/// `GET path` `times` times with `cookie`, each expected to answer 200: the median in ms and
/// the size of the response in bytes.
pub(crate) async fn median_get(
    address: std::net::SocketAddr,
    path: &str,
    cookie: &str,
    times: usize,
) -> anyhow::Result<(f64, usize)> {
    let mut timings = Vec::new();
    let mut size = 0;
    for _ in 0..times.max(1) {
        let (owned_path, cookie) = (path.to_owned(), cookie.to_owned());
        let started = Instant::now();
        let body = tokio::task::spawn_blocking(move || http_get(address, &owned_path, &cookie))
            .await
            .context("the page request stopped")??;
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(
            body.starts_with("HTTP/1.1 200"),
            "{path} did not open: {}",
            body.lines().next().unwrap_or_default()
        );
        size = body.len();
    }
    Ok((median(timings), size))
}

/// The middle of some timings.
pub(crate) fn median(mut timings: Vec<f64>) -> f64 {
    timings.sort_by(f64::total_cmp);
    timings.get(timings.len() / 2).copied().unwrap_or(f64::NAN)
}

/// A plain HTTP/1.1 GET with a cookie; the whole response as text.
fn http_get(address: std::net::SocketAddr, path: &str, cookie: &str) -> anyhow::Result<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

/// Runs `measure` on a fresh database of each backend the benchmark can reach: SQLite, and
/// PostgreSQL when `TANDEM_BENCH_POSTGRES_URL` names a server; each database is removed after.
pub(crate) async fn on_each_backend<F, Fut, T>(
    mut measure: F,
) -> anyhow::Result<Vec<(&'static str, T)>>
where
    F: FnMut(App, &'static str) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let mut targets = vec![("sqlite", None)];
    if let Ok(server) = std::env::var("TANDEM_BENCH_POSTGRES_URL") {
        targets.push(("postgres", Some(server)));
    }
    let mut measured = Vec::new();
    for (name, server) in targets {
        let database = match &server {
            None => TestDatabase::new(Backend::Sqlite).await,
            Some(server) => TestDatabase::on_postgres_server(server).await,
        };
        let app = App::new(database.store.clone(), Arc::new(SystemClock));
        let outcome = measure(app, name).await;
        database.remove().await;
        measured.push((name, outcome?));
    }
    Ok(measured)
}

/// A row of a benchmark's table: its label, its target in words, and its cell per backend.
pub(crate) type FigureRow<'a, F> = (&'a str, &'a str, Box<dyn Fn(&F) -> String + 'a>);

/// A time in ms with its verdict against `target`, if it has one.
pub(crate) fn ms(value: f64, target: Option<f64>) -> String {
    let verdict = match target {
        Some(target) if value <= target => " ok",
        Some(_) => " MISSED",
        None => "",
    };
    format!("{value:.1} ms{verdict}")
}

/// Prints a table: a row per figure, a column per backend measured.
pub(crate) fn print_figures<F>(rows: &[FigureRow<'_, F>], measured: &[(&str, F)]) {
    let mut heading = format!("{:<47} {:>8}", "figure", "target");
    for (name, _) in measured {
        heading.push_str(&format!(" {name:>18}"));
    }
    println!("{heading}");
    for (label, target, value) in rows {
        let mut line = format!("{label:<47} {target:>8}");
        for (_, figures) in measured {
            line.push_str(&format!(" {:>18}", value(figures)));
        }
        println!("{line}");
    }
}
