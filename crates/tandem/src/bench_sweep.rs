//! `tandem bench sweep`: the reminder sweep over an installation of 100,000 relationships (issue
//! targets: the first sweep ≤ 10 s, a second at the same moment ≤ 2 s and sending nothing, and
//! memory flat in the number of relationships). The installation is seeded as for
//! `bench relationships`, then given what the sweep's other passes read: the scheme asks for
//! refresher training every 24 months and a mentor support group every 6, every mentor and
//! mentee completed the training at some point in the last 25 months, and the members of each
//! active pair have answered every check-in round that has opened.

use crate::bench::{format_memory, machine, on_each_backend, peak_memory_bytes, reset_peak_memory};
use crate::bench_relationships::{RelationshipsBenchArgs, Seeded, seed};
use anyhow::Context as _;
use clap::Args;
use std::process::ExitCode;
use std::time::Instant;
use tandem_app::App;
use tandem_core::{Clock, SystemClock};

/// Targets from the issue, in seconds.
const FIRST_TARGET_S: f64 = 10.0;
const AGAIN_TARGET_S: f64 = 2.0;

/// `tandem bench sweep`.
#[derive(Debug, Args)]
pub struct SweepBenchArgs {
    /// Relationships in the installation.
    #[arg(long, default_value_t = 100_000)]
    relationships: usize,
    /// Meetings each relationship has had or booked, its introductory meeting included.
    #[arg(long, default_value_t = 5)]
    sessions_per_relationship: usize,
}

struct Figures {
    relationships: usize,
    first_s: f64,
    first_sent: usize,
    first_peak: Option<u64>,
    again_s: f64,
    again_sent: usize,
}

/// Runs the benchmark on SQLite, and on PostgreSQL when `TANDEM_BENCH_POSTGRES_URL` is set.
pub async fn sweep(args: SweepBenchArgs) -> anyhow::Result<ExitCode> {
    println!(
        "tandem bench sweep: {} relationships with {} meetings each",
        args.relationships, args.sessions_per_relationship
    );
    println!("machine: {}", machine());
    let args = &args;
    let measured =
        on_each_backend(|app, name| async move { sweep_on(&app, args, name).await }).await?;
    println!(
        "{:<46} {:>8} {:>18} {:>18}",
        "figure",
        "target",
        measured.first().map_or("", |it| it.0),
        measured.get(1).map_or("", |it| it.0)
    );
    let row = |label: &str, target: &str, cell: &dyn Fn(&Figures) -> String| {
        let cells: Vec<String> = measured.iter().map(|(_, it)| cell(it)).collect();
        println!(
            "{label:<46} {target:>8} {:>18} {:>18}",
            cells.first().map_or("", String::as_str),
            cells.get(1).map_or("", String::as_str)
        );
    };
    let verdict = |seconds: f64, target: f64| if seconds <= target { "ok" } else { "MISSED" };
    row("live relationships swept", "", &|it| {
        it.relationships.to_string()
    });
    row("first sweep", "10 s", &|it| {
        format!(
            "{:.2} s {}",
            it.first_s,
            verdict(it.first_s, FIRST_TARGET_S)
        )
    });
    row("  reminders sent", "", &|it| it.first_sent.to_string());
    row("  peak memory", "", &|it| format_memory(it.first_peak));
    row("second sweep at the same moment", "2 s", &|it| {
        format!(
            "{:.2} s {}",
            it.again_s,
            verdict(it.again_s, AGAIN_TARGET_S)
        )
    });
    row("  reminders sent (must be 0)", "", &|it| {
        it.again_sent.to_string()
    });
    Ok(ExitCode::SUCCESS)
}

async fn sweep_on(app: &App, args: &SweepBenchArgs, name: &str) -> anyhow::Result<Figures> {
    let started = Instant::now();
    let (seeded, counts) = seed(
        app,
        &RelationshipsBenchArgs {
            relationships: args.relationships,
            sessions_per_relationship: args.sessions_per_relationship,
            seed: 1,
            workforce: 0,
        },
    )
    .await?;
    let (records, pulses) = seed_care(app, &seeded).await?;
    println!(
        "{name}: seeded in {:.1} s: {} relationships, {} meetings, {records} training records, {pulses} check-in answers",
        started.elapsed().as_secs_f64(),
        counts.relationships,
        counts.meetings
    );
    let now = SystemClock.now();
    reset_peak_memory();
    let started = Instant::now();
    let first = tandem_app::reminders::sweep(app, now, "https://tandem.example").await?;
    let first_s = started.elapsed().as_secs_f64();
    let first_peak = peak_memory_bytes();
    let started = Instant::now();
    let again = tandem_app::reminders::sweep(app, now, "https://tandem.example").await?;
    let again_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        again.total() == 0,
        "the second sweep sent {} reminders",
        again.total()
    );
    Ok(Figures {
        relationships: first.relationships,
        first_s,
        first_sent: first.total(),
        first_peak,
        again_s,
        again_sent: again.total(),
    })
}

/// Refreshers and support groups asked for, training completed and check-ins answered, as in
/// the module's comment; answers (training records, check-in answers) written.
async fn seed_care(app: &App, seeded: &Seeded) -> anyhow::Result<(usize, usize)> {
    use tandem_core::application::ApplicationStatus;
    use tandem_core::pairing::MatchStatus;
    use tandem_core::pulse::{Pulse, Score, round_opens};
    use tandem_core::training::TrainingRecord;
    use time::Duration;

    let now = SystemClock.now();
    let today = now.date();
    let mut tx = app.store.begin_write().await?;
    let mut scheme = tx
        .scheme_by_key(seeded.organisation.id, &seeded.scheme_key)
        .await?
        .context("the bench scheme")?;
    let policy = &mut scheme.definition.policy;
    policy.training.refresher_months = Some(24);
    policy.mentor_support_group_months = Some(6);
    let training = policy.training.name.clone();
    let care = policy.care;
    let version = scheme.version;
    tx.update_scheme(&scheme, version, now).await?;
    let records: Vec<TrainingRecord> = tx
        .applications_to_scheme(scheme.id)
        .await?
        .into_iter()
        .filter(|it| {
            matches!(
                it.status,
                ApplicationStatus::Approved | ApplicationStatus::Matched
            )
        })
        .enumerate()
        .map(|(index, application)| TrainingRecord {
            person: application.person,
            training: training.clone(),
            // Spread over 25 months: about one in 25 falls due within the month, one in 25
            // has run out.
            completed_on: today - Duration::days(30 + i64::try_from(index % 730).unwrap_or(0)),
            workshop: None,
            recorded_by: "operator:bench".to_owned(),
        })
        .collect();
    tx.insert_training_records(&records, now).await?;
    let mut pulses = Vec::new();
    for pair in tx.matches_of_scheme(scheme.id).await? {
        let Some(started_on) = pair.life.started_on else {
            continue;
        };
        if pair.status != MatchStatus::Active {
            continue;
        }
        let mut round = 1;
        while round_opens(&care, started_on, round) <= today {
            let opened = round_opens(&care, started_on, round);
            for (member, lean) in [(pair.mentor, 1_u32), (pair.mentee, 0)] {
                let value = 2 + (round + lean + u32::from(pair.id.0.as_bytes()[15])) % 4;
                pulses.push(Pulse {
                    id: uuid::Uuid::now_v7(),
                    pair: pair.id,
                    person: member,
                    round,
                    score: Score::new(u8::try_from(value).unwrap_or(3)).context("a score")?,
                    comment: String::new(),
                    shared: false,
                    answered_at: opened.midnight().assume_utc() + Duration::hours(10),
                });
            }
            round += 1;
        }
    }
    tx.insert_pulses(&pulses).await?;
    tx.refresh_statistics().await?;
    tx.commit().await?;
    Ok((records.len(), pulses.len()))
}
