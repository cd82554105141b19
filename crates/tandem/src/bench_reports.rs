//! `tandem bench reports`: the programme reports over a force of 300,000 people with 40,000
//! applications, 20,000 relationships and 400,000 meetings (issue targets: each dashboard page
//! ≤ 300 ms, the equality funnels ≤ 500 ms, on SQLite and PostgreSQL).
//!
//! The installation is seeded as for `bench relationships` (its pairs' history written in
//! batches), in a workforce of the size asked for, with mentees waiting besides, who applied
//! over the last year; every timed read goes through the application, as the use case and as a
//! coordinator's browser would.

use crate::bench::{
    FigureRow, cookie, format_memory, machine, median, median_get, ms, on_each_backend,
    peak_memory_bytes, print_figures, reset_peak_memory, serve, signed_in,
};
use crate::bench_relationships::{RelationshipsBenchArgs, Seeded, seed};
use clap::Args;
use std::process::ExitCode;
use std::time::Instant;
use tandem_app::App;
use tandem_app::reports::ReportRequest;
use tandem_core::application::{Answers, Application, ApplicationStatus};
use tandem_core::authz::Actor;
use tandem_core::eligibility::Role;
use tandem_core::{ApplicationId, Clock, SystemClock};
use time::Duration;
use uuid::Uuid;

/// Targets from the issue, in ms.
const DASHBOARD_TARGET_MS: f64 = 300.0;
const EQUALITY_TARGET_MS: f64 = 500.0;
const DISPOSAL_TARGET_MS: f64 = 10_000.0;

/// `tandem bench reports`.
#[derive(Debug, Args)]
pub struct ReportsBenchArgs {
    /// People in the force.
    #[arg(long, default_value_t = 300_000)]
    people: usize,
    /// Relationships, each with its mentor's and mentee's applications.
    #[arg(long, default_value_t = 20_000)]
    relationships: usize,
    /// Meetings each relationship has had or booked.
    #[arg(long, default_value_t = 20)]
    sessions_per_relationship: usize,
    /// Mentees approved and waiting besides, who applied over the last year.
    #[arg(long, default_value_t = 10_000)]
    waiting: usize,
}

/// What one backend measured, in ms.
struct Figures {
    dashboard_app: f64,
    dashboard_http: f64,
    dashboard_scheme_http: f64,
    equality_app: f64,
    equality_http: f64,
    disposal: f64,
    disposed_relationships: u64,
    peak: Option<u64>,
}

/// Runs the benchmark on SQLite, and on PostgreSQL when `TANDEM_BENCH_POSTGRES_URL` is set.
pub async fn reports(args: ReportsBenchArgs) -> anyhow::Result<ExitCode> {
    println!(
        "tandem bench reports: {} people, {} relationships with {} meetings each, {} mentees waiting",
        args.people, args.relationships, args.sessions_per_relationship, args.waiting
    );
    println!("machine: {}", machine());
    let args = &args;
    let measured =
        on_each_backend(|app, name| async move { reports_on(&app, args, name).await }).await?;
    let rows: Vec<FigureRow<'_, Figures>> = vec![
        (
            "dashboard, whole force, 12 months (use case)",
            "300 ms",
            Box::new(|it| ms(it.dashboard_app, Some(DASHBOARD_TARGET_MS))),
        ),
        (
            "dashboard page (HTTP, coordinator)",
            "300 ms",
            Box::new(|it| ms(it.dashboard_http, Some(DASHBOARD_TARGET_MS))),
        ),
        (
            "dashboard page, one scheme (HTTP)",
            "300 ms",
            Box::new(|it| ms(it.dashboard_scheme_http, Some(DASHBOARD_TARGET_MS))),
        ),
        (
            "equality, 8 characteristics (use case)",
            "500 ms",
            Box::new(|it| ms(it.equality_app, Some(EQUALITY_TARGET_MS))),
        ),
        (
            "equality page (HTTP, coordinator)",
            "500 ms",
            Box::new(|it| ms(it.equality_http, Some(EQUALITY_TARGET_MS))),
        ),
        (
            "disposal of ended relationships' content (see count)",
            "10 s",
            Box::new(|it| ms(it.disposal, Some(DISPOSAL_TARGET_MS))),
        ),
        (
            "relationships disposed of",
            "",
            Box::new(|it| it.disposed_relationships.to_string()),
        ),
        (
            "peak memory while measuring",
            "",
            Box::new(|it| format_memory(it.peak)),
        ),
    ];
    print_figures(&rows, &measured);
    Ok(ExitCode::SUCCESS)
}

/// Mentees approved and waiting, who applied on days spread over the last year.
async fn seed_waiting(app: &App, seeded: &Seeded, waiting: usize) -> anyhow::Result<usize> {
    let now = SystemClock.now();
    let mut tx = app.store.begin_write().await?;
    let scheme = tx
        .scheme_by_key(seeded.organisation.id, &seeded.scheme_key)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the bench scheme has gone"))?;
    let taken: std::collections::HashSet<_> = tx
        .applications_to_scheme(scheme.id)
        .await?
        .into_iter()
        .map(|it| it.person)
        .collect();
    let people = tx.people_of(seeded.organisation.id).await?;
    let mut written = 0;
    for (index, person) in people
        .iter()
        .filter(|it| !taken.contains(&it.id) && it.id != seeded.coordinator.id)
        .take(waiting)
        .enumerate()
    {
        let submitted_at = now - Duration::days(i64::try_from(index % 360).unwrap_or(0));
        tx.insert_application(&Application {
            id: ApplicationId(Uuid::now_v7()),
            scheme: scheme.id,
            person: person.id,
            role: Role::Mentee,
            status: ApplicationStatus::Approved,
            answers: Answers {
                summary: "Bench applicant waiting".to_owned(),
                topics: seeded
                    .organisation
                    .topics
                    .get(index % seeded.organisation.topics.len().max(1))
                    .cloned()
                    .into_iter()
                    .collect(),
                capacity: None,
                location: None,
                will_travel: false,
                remote_ok: true,
                availability: vec!["mon-am".to_owned()],
                preferred_mentor_email: None,
            },
            confidential: false,
            approver: None,
            decided_by: None,
            decision_reason: None,
            decided_at: None,
            statement_signed_at: None,
            agreement_signed_at: None,
            ethics_acknowledged_at: Some(submitted_at),
            priority: 0,
            submitted_at,
            version: 1,
        })
        .await?;
        written += 1;
    }
    tx.commit().await?;
    Ok(written)
}

async fn reports_on(app: &App, args: &ReportsBenchArgs, name: &str) -> anyhow::Result<Figures> {
    let started = Instant::now();
    let (seeded, counts) = seed(
        app,
        &RelationshipsBenchArgs {
            relationships: args.relationships,
            sessions_per_relationship: args.sessions_per_relationship,
            seed: 1,
            workforce: args.people,
        },
    )
    .await?;
    let waiting = seed_waiting(app, &seeded, args.waiting).await?;
    println!(
        "{name}: seeded in {:.1} s: {} people, {} applications, {} relationships, {} meetings",
        started.elapsed().as_secs_f64(),
        args.people,
        counts.applications + waiting,
        counts.relationships,
        counts.meetings
    );
    let token = signed_in(app, &seeded.coordinator.record.email).await?;
    let coordinator: Actor = tandem_app::accounts::session(app, &token)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the session just started has gone"))?
        .actor;
    let organisation = seeded.organisation.id;
    let whole = ReportRequest::default();

    reset_peak_memory();
    let mut timings = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let dashboard =
            tandem_app::reports::dashboard(app, &coordinator, organisation, &whole).await?;
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(
            dashboard.tables.len() >= 5,
            "the dashboard has {} tables",
            dashboard.tables.len()
        );
    }
    let dashboard_app = median(timings);

    let mut timings = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let report =
            tandem_app::equality::equality(app, &coordinator, organisation, &whole, None, None)
                .await?;
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(
            report.tables.len() == 8,
            "{} equality tables",
            report.tables.len()
        );
    }
    let equality_app = median(timings);

    let (address, server) = serve(app).await?;
    let over_http = async {
        let cookie = cookie(&token);
        let dashboard = median_get(address, "/reports", &cookie, 5).await?;
        let scheme = median_get(
            address,
            &format!("/reports?scheme={}", seeded.scheme_key),
            &cookie,
            5,
        )
        .await?;
        let equality = median_get(address, "/reports/equality", &cookie, 5).await?;
        anyhow::Ok((dashboard.0, scheme.0, equality.0))
    }
    .await;
    server.abort();
    let (dashboard_http, dashboard_scheme_http, equality_http) = over_http?;

    // Five years on, every ended relationship is past its retention.
    let later = SystemClock.now() + Duration::days(5 * 366);
    let started = Instant::now();
    let done = tandem_app::retention::dispose_everywhere(
        app,
        &Actor::Operator {
            name: "bench".to_owned(),
        },
        later,
        false,
    )
    .await?;
    let disposal = started.elapsed().as_secs_f64() * 1000.0;
    let disposed_relationships = done
        .iter()
        .flat_map(|it| &it.disposed)
        .filter(|it| it.kind == tandem_core::retention::RecordKind::PairContent)
        .map(|it| it.records)
        .sum();
    Ok(Figures {
        disposal,
        disposed_relationships,
        dashboard_app,
        dashboard_http,
        dashboard_scheme_http,
        equality_app,
        equality_http,
        peak: peak_memory_bytes(),
    })
}
