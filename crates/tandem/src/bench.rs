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
