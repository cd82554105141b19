//! `tandem bench http`: ordinary pages under a steady load, as a coordinator and the two members
//! of a pair see them (issue target: p99 ≤ 50 ms for every page at 200 requests a second on
//! SQLite).
//!
//! The load is open-loop: request `i` is due at `i / rate` seconds whether or not earlier ones
//! have answered, and its latency counts from when it was due, so a server that falls behind
//! shows as latency (and its queue), never as a gentler rate. Everyone signs in through the
//! sign-in form with its CSRF token, as a browser does, so the pages run exactly as in use.

use crate::bench::{machine, on_each_backend};
use anyhow::Context;
use clap::Args;
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;
use tokio::time::Instant;

/// Target from the issue: every page's 99th percentile, in ms.
const P99_TARGET_MS: f64 = 50.0;

/// How long one request may take before it counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// `tandem bench http`.
#[derive(Debug, Args)]
pub struct HttpBenchArgs {
    /// A running Tandem to drive, e.g. http://127.0.0.1:8080 (with the demo's data, or give the
    /// accounts below). Without it the benchmark seeds the demo into a fresh database (SQLite,
    /// and PostgreSQL when TANDEM_BENCH_POSTGRES_URL is set) and serves it itself.
    #[arg(long)]
    url: Option<String>,
    /// Requests a second, spread evenly over the pages.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=5_000))]
    rate: u32,
    /// How long the load lasts.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=600))]
    seconds: u32,
    /// The coordinator to sign in as (with --url; the demo's Police Scotland coordinator otherwise).
    #[arg(long, requires = "url")]
    coordinator: Option<String>,
    /// The mentor of an active relationship to sign in as (with --url).
    #[arg(long, requires = "url")]
    mentor: Option<String>,
    /// The mentee of an active relationship to sign in as (with --url).
    #[arg(long, requires = "url")]
    mentee: Option<String>,
    /// The password of those accounts.
    #[arg(long, default_value = tandem_app::demo::DEMO_PASSWORD)]
    password: String,
}

/// Who signs in for the load.
struct Accounts {
    coordinator: String,
    mentor: String,
    mentee: String,
    password: String,
}

/// One page of the mix: how the table names it, its address, and whose session asks for it.
struct Page {
    label: String,
    path: String,
    cookie: String,
}

/// One page's answers.
#[derive(Default)]
struct Tally {
    /// Milliseconds from when each request was due to the end of its body.
    latencies: Vec<f64>,
    errors: usize,
}

/// What a run measured.
struct Run {
    pages: Vec<(String, Tally)>,
    sent_in: Duration,
}

/// Runs the load against `--url`, or against the demo served here on each backend.
pub async fn http(args: HttpBenchArgs) -> anyhow::Result<ExitCode> {
    println!(
        "tandem bench http: {} requests a second for {} s, open loop, over a coordinator's and a pair's pages",
        args.rate, args.seconds
    );
    println!("machine: {}", machine());
    let args = &args;
    let runs = match &args.url {
        Some(url) => {
            let accounts = Accounts {
                coordinator: args.coordinator.clone().context(
                    "with --url, give --coordinator, --mentor and --mentee (tandem demo lists its accounts)",
                )?,
                mentor: args.mentor.clone().context("with --url, give --mentor")?,
                mentee: args.mentee.clone().context("with --url, give --mentee")?,
                password: args.password.clone(),
            };
            let base = url.trim_end_matches('/').to_owned();
            vec![(base.clone(), load(&base, &accounts, args).await?)]
        }
        None => on_each_backend(|app, name| async move {
            let started = std::time::Instant::now();
            let summary = tandem_app::demo::seed(
                &app,
                &tandem_core::authz::Actor::Operator {
                    name: "bench".to_owned(),
                },
                "http://tandem.test",
            )
            .await
            .context("cannot seed the demo data")?;
            println!(
                "{name}: demo seeded in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            let accounts = demo_accounts(&summary.accounts, &args.password)?;
            let (address, server) = crate::bench::serve(&app).await?;
            let run = load(&format!("http://{address}"), &accounts, args).await;
            server.abort();
            run
        })
        .await?
        .into_iter()
        .map(|(name, run)| (name.to_owned(), run))
        .collect(),
    };
    let mut failed = false;
    for (name, run) in &runs {
        failed |= print_run(name, run);
    }
    // A page that errs under load is a fault, not a figure; a missed target is only a figure.
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The demo's Police Scotland coordinator and the two members of one of its active pairs.
fn demo_accounts(
    accounts: &[tandem_app::demo::DemoAccount],
    password: &str,
) -> anyhow::Result<Accounts> {
    let find = |role: &str| {
        accounts
            .iter()
            .filter(|it| it.role.starts_with(role))
            .min_by_key(|it| it.organisation != "police-scotland")
            .map(|it| it.email.clone())
            .with_context(|| format!("the demo has no {role}"))
    };
    Ok(Accounts {
        coordinator: find("coordinator")?,
        mentor: find("mentor in an active relationship")?,
        mentee: find("mentee in an active relationship")?,
        password: password.to_owned(),
    })
}

/// Signs everyone in, finds the pages' addresses, then sends the load.
async fn load(base: &str, accounts: &Accounts, args: &HttpBenchArgs) -> anyhow::Result<Run> {
    // reqwest takes TLS (for an https --url) from the process's rustls provider; aws-lc-rs is
    // the one the rest of the binary uses.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let client = reqwest::Client::builder()
        // A redirect is an answer in its own right (post/redirect/get): following it would time
        // two pages as one.
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .build()
        .context("cannot build the HTTP client")?;
    let coordinator = sign_in(&client, base, &accounts.coordinator, &accounts.password).await?;
    let mentor = sign_in(&client, base, &accounts.mentor, &accounts.password).await?;
    let mentee = sign_in(&client, base, &accounts.mentee, &accounts.password).await?;
    let pages = pages(&client, base, &coordinator, &mentor, &mentee).await?;
    println!(
        "{base}: {} pages, signed in as {}, {} and {}",
        pages.len(),
        accounts.coordinator,
        accounts.mentor,
        accounts.mentee
    );
    send(&client, base, &pages, args.rate, args.seconds).await
}

/// Signs in through the form as a browser does (its CSRF cookie and token, the Origin header);
/// the cookies to send afterwards.
async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> anyhow::Result<String> {
    let form = client
        .get(format!("{base}/sign-in"))
        .send()
        .await
        .with_context(|| format!("cannot reach {base}/sign-in"))?;
    let mut jar = BTreeMap::new();
    keep_cookies(&mut jar, &form);
    let page = form.text().await.context("cannot read the sign-in page")?;
    let csrf = attribute_after(&page, "name=\"csrf\" value=\"")
        .context("the sign-in page has no CSRF token")?;
    let answer = client
        .post(format!("{base}/sign-in"))
        .header(ORIGIN, base)
        .header(COOKIE, cookie_header(&jar))
        .form(&[
            ("csrf", csrf.as_str()),
            ("next", "/"),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .with_context(|| format!("cannot sign in as {email}"))?;
    let status = answer.status();
    let before = jar.len();
    keep_cookies(&mut jar, &answer);
    anyhow::ensure!(
        status.is_redirection()
            && jar.keys().any(|name| name.contains("session"))
            && jar.len() > before,
        "{email} could not sign in ({status}): check the account and the password"
    );
    Ok(cookie_header(&jar))
}

/// Adds a response's `Set-Cookie`s to `jar`.
fn keep_cookies(jar: &mut BTreeMap<String, String>, response: &reqwest::Response) {
    for value in response.headers().get_all(SET_COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        let pair = value.split(';').next().unwrap_or_default();
        if let Some((name, value)) = pair.split_once('=') {
            jar.insert(name.trim().to_owned(), value.trim().to_owned());
        }
    }
}

fn cookie_header(jar: &BTreeMap<String, String>) -> String {
    jar.iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The text from just after `marker` to the next `"`.
fn attribute_after(page: &str, marker: &str) -> Option<String> {
    let start = page.find(marker)? + marker.len();
    let len = page[start..].find('"')?;
    Some(page[start..start + len].to_owned())
}

/// `GET path` as `cookie`; its body, which must have opened.
async fn page_text(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    cookie: &str,
) -> anyhow::Result<String> {
    let answer = client
        .get(format!("{base}{path}"))
        .header(COOKIE, cookie)
        .send()
        .await
        .with_context(|| format!("cannot open {path}"))?;
    anyhow::ensure!(
        answer.status().is_success(),
        "{path} answered {}",
        answer.status()
    );
    answer
        .text()
        .await
        .with_context(|| format!("cannot read {path}"))
}

/// The mix: the ordinary pages each person opens in a day's work, with the addresses of the
/// scheme, the person and the relationships found by following links, as someone clicking would.
async fn pages(
    client: &reqwest::Client,
    base: &str,
    coordinator: &str,
    mentor: &str,
    mentee: &str,
) -> anyhow::Result<Vec<Page>> {
    let schemes = page_text(client, base, "/schemes", coordinator).await?;
    let key = attribute_after(&schemes, "href=\"/schemes/")
        .and_then(|rest| rest.split('/').next().map(str::to_owned))
        .context("the coordinator manages no scheme")?;
    let people = page_text(client, base, "/people", coordinator).await?;
    let person = attribute_after(&people, "<td><a href=\"/people/")
        .context("the coordinator's directory lists nobody")?;
    let scheme_pairs = page_text(
        client,
        base,
        &format!("/schemes/{key}/relationships"),
        coordinator,
    )
    .await?;
    let pair = attribute_after(
        &scheme_pairs,
        &format!("href=\"/schemes/{key}/relationships/"),
    )
    .context("the coordinator's scheme has no relationship")?;
    let own = |text: &str| {
        attribute_after(text, "href=\"/relationships/").context("no relationship to open")
    };
    let mentee_pair = own(&page_text(client, base, "/applications", mentee).await?)?;
    let mentor_pair = own(&page_text(client, base, "/applications", mentor).await?)?;
    let as_coordinator = [
        ("/", "/".to_owned()),
        ("/schemes", "/schemes".to_owned()),
        (
            "/schemes/{key}/applications",
            format!("/schemes/{key}/applications"),
        ),
        (
            "/schemes/{key}/workshops",
            format!("/schemes/{key}/workshops"),
        ),
        (
            "/schemes/{key}/relationships",
            format!("/schemes/{key}/relationships"),
        ),
        (
            "/schemes/{key}/relationships/{id}",
            format!("/schemes/{key}/relationships/{pair}"),
        ),
        (
            "/schemes/{key}/attention",
            format!("/schemes/{key}/attention"),
        ),
        ("/people", "/people".to_owned()),
        ("/people/{id}", format!("/people/{person}")),
        ("/inbox", "/inbox".to_owned()),
    ];
    let as_member = |who: &str, cookie: &str, pair: &str| {
        [
            ("/", "/".to_owned()),
            ("/applications", "/applications".to_owned()),
            ("/relationships/{id}", format!("/relationships/{pair}")),
            ("/inbox", "/inbox".to_owned()),
        ]
        .into_iter()
        .map(|(label, path)| Page {
            label: format!("{who} {label}"),
            path,
            cookie: cookie.to_owned(),
        })
        .collect::<Vec<_>>()
    };
    let mut pages: Vec<Page> = as_coordinator
        .into_iter()
        .map(|(label, path)| Page {
            label: format!("coordinator {label}"),
            path,
            cookie: coordinator.to_owned(),
        })
        .collect();
    pages.extend(as_member("mentor", mentor, &mentor_pair));
    pages.extend(as_member("mentee", mentee, &mentee_pair));
    Ok(pages)
}

/// Sends `rate` requests a second for `seconds`, round the pages in turn, each on schedule in a
/// task of its own; waits for every answer.
async fn send(
    client: &reqwest::Client,
    base: &str,
    pages: &[Page],
    rate: u32,
    seconds: u32,
) -> anyhow::Result<Run> {
    anyhow::ensure!(!pages.is_empty(), "no pages to load");
    let total = u64::from(rate) * u64::from(seconds);
    let (answers, mut answered) = tokio::sync::mpsc::unbounded_channel();
    let start = Instant::now() + Duration::from_millis(100);
    for index in 0..total {
        let due = start + Duration::from_secs_f64(index as f64 / f64::from(rate));
        tokio::time::sleep_until(due).await;
        let page = usize::try_from(index).unwrap_or(0) % pages.len();
        let request = client
            .get(format!("{base}{}", pages[page].path))
            .header(COOKIE, &pages[page].cookie);
        let answers = answers.clone();
        tokio::spawn(async move {
            let ok = match request.send().await {
                Ok(answer) => {
                    let status = answer.status();
                    // The page is not served until its last byte is.
                    answer.bytes().await.is_ok() && (status.is_success() || status.is_redirection())
                }
                Err(_) => false,
            };
            let _ = answers.send((page, due.elapsed(), ok));
        });
    }
    let sent_in = start.elapsed();
    drop(answers);
    let mut tallies: Vec<Tally> = pages.iter().map(|_| Tally::default()).collect();
    while let Some((page, latency, ok)) = answered.recv().await {
        let tally = &mut tallies[page];
        tally.latencies.push(latency.as_secs_f64() * 1000.0);
        if !ok {
            tally.errors += 1;
        }
    }
    Ok(Run {
        pages: pages
            .iter()
            .map(|it| it.label.clone())
            .zip(tallies)
            .collect(),
        sent_in,
    })
}

/// The value at the `q` quantile by nearest rank (a latency some request had).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Prints a row of the table.
fn print_row(label: &str, latencies: &mut [f64], errors: usize, verdict: bool) {
    latencies.sort_by(f64::total_cmp);
    let p99 = quantile(latencies, 0.99);
    let mark = match (verdict, p99 <= P99_TARGET_MS) {
        (false, _) => "",
        (true, true) => " ok",
        (true, false) => " MISSED",
    };
    println!(
        "{label:<47} {:>8} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>7}{mark}",
        latencies.len(),
        quantile(latencies, 0.5),
        quantile(latencies, 0.9),
        p99,
        latencies.last().copied().unwrap_or(f64::NAN),
        errors
    );
}

/// Prints a run's table (a row per page, then all of them); whether any request failed.
fn print_run(name: &str, run: &Run) -> bool {
    let sent = run
        .pages
        .iter()
        .map(|(_, it)| it.latencies.len())
        .sum::<usize>();
    println!();
    println!(
        "{name}: {sent} requests sent in {:.1} s ({:.0} a second); latency in ms from when each was due",
        run.sent_in.as_secs_f64(),
        sent as f64 / run.sent_in.as_secs_f64().max(f64::MIN_POSITIVE)
    );
    println!(
        "{:<47} {:>8} {:>9} {:>9} {:>9} {:>9} {:>7}  p99 target {P99_TARGET_MS} ms",
        "page", "requests", "p50", "p90", "p99", "max", "errors"
    );
    let mut all = Vec::new();
    let mut errors = 0;
    for (label, tally) in &run.pages {
        let mut latencies = tally.latencies.clone();
        print_row(label, &mut latencies, tally.errors, true);
        all.extend(latencies);
        errors += tally.errors;
    }
    print_row("all pages", &mut all, errors, false);
    errors > 0
}
