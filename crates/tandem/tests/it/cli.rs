//! Import, export, presets, migrate, demo and benchmarks through the binary: output and exit codes are the contract.

use crate::{HEADER, tandem, text, write};
use std::io::{Read, Write};
use tandem_store::testing::on_each_database;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const TEAM: &str = "\
100,cleveland,Ann,Hill,ann@cleveland.police.uk,Response,Middlesbrough,Inspector,officer,,2005-03-01,no,no,serving
101,cleveland,Bo,Khan,bo@cleveland.police.uk,Response,Middlesbrough,Sergeant,officer,100,2012-09-10,no,no,serving
102,cleveland,Cy,Reid,cy@cleveland.police.uk,Response,Hartlepool,Constable,officer,101,2024-01-15,yes,no,serving
";

#[tokio::test]
async fn import_reports_counts_refuses_bad_files_whole_and_reimports_unchanged() {
    on_each_database(|_store, url| async move {
        let dir = tempfile::tempdir().unwrap();
        let good = write(&dir, "people.csv", &format!("{HEADER}\n{TEAM}"));

        let output = tandem(&url, &["import", "people", &good, "--create-organisations"]).await;
        assert!(output.status.success(), "{}", text(&output.stderr));
        let stdout = text(&output.stdout);
        assert!(stdout.starts_with(&format!("Imported {good}: 3 rows\n")), "{stdout}");
        assert!(stdout.contains("  organisation created: cleveland\n"), "{stdout}");
        assert!(stdout.contains("  created:              3\n"), "{stdout}");

        let output = tandem(&url, &["import", "people", &good, "--full"]).await;
        assert!(output.status.success());
        assert!(text(&output.stdout).contains("  unchanged:            3\n"));

        let bad = write(
            &dir,
            "bad.csv",
            &format!("{HEADER}\n{TEAM}103,cleveland,Di,Moss,ann@cleveland.police.uk,,,Constable,detective,999,2020-02-30,,,serving\n104,cleveland,Ed,Cole,ed@cleveland.police.uk,,,Constable,officer,999,2020-01-01,,,serving\n"),
        );
        let output = tandem(&url, &["import", "people", &bad]).await;
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(
            text(&output.stderr),
            format!(
                "line 5, column role_type: 'detective' is not a role type: use officer, staff, special, volunteer or external\n\
                 line 5, column start_date: '2020-02-30' is not a date: use YYYY-MM-DD, e.g. 2019-04-01\n\
                 line 6, column line_manager_staff_number: no person with staff number 999 in cleveland (neither in this file nor already known)\n\
                 {bad} was not imported: 3 problems; nothing was changed\n"
            )
        );
        let output = tandem(&url, &["export", "people", "--org", "cleveland"]).await;
        assert_eq!(text(&output.stdout).lines().count(), 4, "nothing from the bad file was written");
    })
    .await;
}

#[tokio::test]
async fn a_file_of_many_bad_rows_prints_the_first_problems_and_counts_and_can_write_them_all() {
    on_each_database(|_store, url| async move {
        let dir = tempfile::tempdir().unwrap();
        let rows: String = (0..150)
            .map(|n| format!("{},cleveland,Ann,Hill,not-an-email,,,Constable,officer,,2020-02-30,,,serving\n", 500 + n))
            .collect();
        let bad = write(&dir, "bad.csv", &format!("{HEADER}\n{rows}"));
        let output = tandem(&url, &["import", "people", &bad, "--create-organisations"]).await;
        assert_eq!(output.status.code(), Some(1));
        let stderr = text(&output.stderr);
        assert_eq!(stderr.lines().filter(|line| line.starts_with("line ")).count(), 200, "{stderr}");
        assert!(stderr.contains(&format!("… and 100 more problems. By kind:\n  {:<40} {:>8}\n", "Values that do not parse", 300)), "{stderr}");
        assert!(stderr.contains("add --problems FILE.csv"), "{stderr}");
        assert!(stderr.ends_with(&format!("{bad} was not imported: 300 problems; nothing was changed\n")), "{stderr}");

        let all = dir.path().join("problems.csv");
        let all_arg = all.display().to_string();
        let output = tandem(&url, &["import", "people", &bad, "--problems", &all_arg]).await;
        assert_eq!(output.status.code(), Some(1));
        let written = std::fs::read_to_string(&all).unwrap();
        assert_eq!(written.lines().nth(1), Some("line,column,kind,problem"));
        assert_eq!(written.lines().count(), 2 + 300, "{written}");

        // A spreadsheet's UTF-16 export is named as such, without printing its bytes.
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(format!("{HEADER}\n{TEAM}").encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let path = dir.path().join("utf16.csv");
        std::fs::write(&path, utf16).unwrap();
        let output = tandem(&url, &["import", "people", &path.display().to_string()]).await;
        assert_eq!(output.status.code(), Some(1));
        let stderr = text(&output.stderr);
        assert!(stderr.starts_with("line 1: the file is UTF-16"), "{stderr}");
        assert!(!stderr.contains('\0'), "{stderr:?}");
    })
    .await;
}

#[tokio::test]
async fn a_misspelt_header_is_named_and_a_dry_run_writes_nothing() {
    on_each_database(|_store, url| async move {
        let dir = tempfile::tempdir().unwrap();
        let misspelt = write(
            &dir,
            "misspelt.csv",
            &format!("{}\n{TEAM}", HEADER.replace("email", "e-mail")),
        );
        let output = tandem(
            &url,
            &["import", "people", &misspelt, "--create-organisations"],
        )
        .await;
        assert_eq!(output.status.code(), Some(1));
        let stderr = text(&output.stderr);
        assert!(
            stderr.starts_with(
                "line 1, column e-mail: unknown column 'e-mail'; the columns are staff_number,"
            ),
            "{stderr}"
        );
        assert!(
            stderr.contains("line 1: missing required column 'email'\n"),
            "{stderr}"
        );

        let good = write(&dir, "people.csv", &format!("{HEADER}\n{TEAM}"));
        let output = tandem(
            &url,
            &[
                "import",
                "people",
                &good,
                "--create-organisations",
                "--dry-run",
            ],
        )
        .await;
        assert!(output.status.success());
        assert!(text(&output.stdout).starts_with(&format!(
            "Dry run of {good}: 3 rows checked, nothing was written."
        )));
        let output = tandem(&url, &["export", "people"]).await;
        assert!(output.status.success());
        assert_eq!(
            text(&output.stdout).lines().count(),
            1,
            "only the header: the dry run wrote nobody"
        );
    })
    .await;
}

#[tokio::test]
async fn an_export_round_trips_through_import() {
    on_each_database(|_store, url| async move {
        let dir = tempfile::tempdir().unwrap();
        let good = write(
            &dir,
            "people.csv",
            &format!(
                "{HEADER},sex\n{}",
                TEAM.lines()
                    .map(|line| format!("{line},Female\n"))
                    .collect::<String>()
            ),
        );
        assert!(
            tandem(&url, &["import", "people", &good, "--create-organisations"])
                .await
                .status
                .success()
        );
        let exported = tandem(&url, &["export", "people", "--org", "cleveland"]).await;
        assert!(exported.status.success());
        let path = write(&dir, "exported.csv", &text(&exported.stdout));
        let output = tandem(&url, &["import", "people", &path, "--full"]).await;
        assert!(
            text(&output.stdout).contains("  unchanged:            3\n"),
            "{}",
            text(&output.stdout)
        );
        let output = tandem(&url, &["export", "people", "--org", "durham"]).await;
        assert_eq!(output.status.code(), Some(1));
        assert!(
            text(&output.stderr).starts_with("error: there is no organisation with code durham")
        );
    })
    .await;
}

#[tokio::test]
async fn presets_are_listed_shown_checked_and_applied() {
    on_each_database(|_store, url| async move {
        let dir = tempfile::tempdir().unwrap();
        let output = tandem(&url, &["preset", "list"]).await;
        assert_eq!(
            text(&output.stdout),
            "college-national   College of Policing national mentoring schemes\n\
             police-scotland    Police Scotland mentoring programme\n\
             cleveland          Cleveland Police mentoring programme\n"
        );
        let shown = text(&tandem(&url, &["preset", "show", "police-scotland"]).await.stdout);
        assert!(shown.contains("max_mentees_per_mentor = 2\n"), "{shown}");
        let copy = write(&dir, "copy.toml", &shown);
        let output = tandem(&url, &["preset", "check", &copy]).await;
        assert_eq!(text(&output.stdout), format!("{copy} is a valid programme: 1 scheme\n"));

        let broken = write(&dir, "broken.toml", &shown.replace("max_mentees_per_mentor = 2", "max_mentees_per_mentor = 0"));
        let output = tandem(&url, &["preset", "check", &broken]).await;
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(
            text(&output.stderr),
            format!("schemes[0] (mentoring).policy.max_mentees_per_mentor: 0 is out of range; allowed 1 to 10\n{broken} is not a valid programme: 1 problem\n")
        );

        let team = write(&dir, "people.csv", &format!("{HEADER}\n{}", TEAM.replace("cleveland", "police-scotland")));
        assert!(tandem(&url, &["import", "people", &team, "--create-organisations"]).await.status.success());
        let output = tandem(&url, &["preset", "apply", "police-scotland", "--org", "police-scotland"]).await;
        assert_eq!(text(&output.stdout), "Created 1 scheme in police-scotland from police-scotland:\n  mentoring                Mentoring programme\n");
        let output = tandem(&url, &["preset", "apply", &broken, "--org", "police-scotland"]).await;
        assert_eq!(output.status.code(), Some(1));
        assert!(text(&output.stderr).contains("max_mentees_per_mentor: 0 is out of range; allowed 1 to 10"));
        let output = tandem(&url, &["preset", "apply", "police-scotland", "--org", "police-scotland"]).await;
        assert_eq!(output.status.code(), Some(1));
        assert!(text(&output.stderr).contains("already runs the scheme mentoring"));
    })
    .await;
}

#[tokio::test]
async fn a_bad_database_url_says_what_is_expected() {
    let output = tandem("mysql://localhost/tandem", &["migrate"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("neither sqlite://PATH nor postgres://USER@HOST/DATABASE"),
        "{}",
        text(&output.stderr)
    );
}

#[tokio::test]
async fn the_demo_seeds_once_and_serves_the_home_page() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let output = tandem(&url, &["demo", "--seed-only"]).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with(&format!("Seeded demo data into {url}\n")),
        "{stdout}"
    );
    // The accounts to try, by journey, in words.
    assert!(
        stdout.contains("  Administering the organisation\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("National administrator for the whole installation, College of Policing"),
        "{stdout}"
    );
    assert!(!stdout.contains("national_admin"), "{stdout}");
    // The demo's applications and pairs export with their scheme and state.
    let applications = tandem(
        &url,
        &["export", "applications", "--org", "police-scotland"],
    )
    .await;
    assert!(
        applications.status.success(),
        "{}",
        text(&applications.stderr)
    );
    let applications = text(&applications.stdout);
    let mut lines = applications.lines();
    assert_eq!(lines.next(), Some("# OFFICIAL"), "the marking comes first");
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("scheme,role,status,staff_number")
    );
    assert!(applications.contains("mentoring,mentor,approved,"));
    assert!(applications.contains("mentoring,mentee,matched,"));
    let matches = text(
        &tandem(
            &url,
            &[
                "export",
                "matches",
                "--org",
                "police-scotland",
                "--scheme",
                "mentoring",
            ],
        )
        .await
        .stdout,
    );
    assert!(
        matches.contains("\nmentoring,introductory,bulk,"),
        "{matches}"
    );
    assert!(matches.contains("\nmentoring,proposed,bulk,"), "{matches}");
    let unknown = tandem(
        &url,
        &[
            "export",
            "matches",
            "--org",
            "police-scotland",
            "--scheme",
            "nope",
        ],
    )
    .await;
    assert!(!unknown.status.success());
    assert!(
        text(&unknown.stderr).contains("there is no scheme called nope"),
        "{}",
        text(&unknown.stderr)
    );
    // The reports' tables, as the reports page downloads them.
    let list = text(&tandem(&url, &["export", "report", "--list"]).await.stdout);
    assert!(
        list.starts_with("dashboard-headline               each measure over the period, the period before, and the change\n"),
        "{list}"
    );
    assert!(
        list.contains("\nequality-ethnicity               how far applications got by ethnicity, small numbers suppressed\n"),
        "{list}"
    );
    assert!(
        list.contains("\nevaluation-scores                a scheme's evaluation: each score question's spread and mean, small groups suppressed\n"),
        "{list}"
    );
    assert_eq!(list.lines().count(), 19, "{list}");
    // The evaluation results of the first scheme, as the page downloads them.
    let scores = tandem(
        &url,
        &[
            "export",
            "report",
            "--org",
            "police-scotland",
            "--report",
            "evaluation-scores",
        ],
    )
    .await;
    assert!(scores.status.success(), "{}", text(&scores.stderr));
    let scores = text(&scores.stdout);
    assert!(
        scores.contains(
            "\nQuestion,Scored 1,Scored 2,Scored 3,Scored 4,Scored 5,Answers,Mean (1 to 5)\n"
        ),
        "{scores}"
    );
    let headline = tandem(
        &url,
        &[
            "export",
            "report",
            "--org",
            "police-scotland",
            "--report",
            "dashboard-headline",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
        ],
    )
    .await;
    assert!(headline.status.success(), "{}", text(&headline.stderr));
    let headline = text(&headline.stdout);
    let mut lines = headline.lines();
    assert_eq!(lines.next(), Some("# OFFICIAL"));
    assert_eq!(
        lines.next(),
        Some("\"# The programme at a glance: Police Scotland, 1 Jan 2025 to 31 Dec 2025\"")
    );
    assert_eq!(
        lines.next(),
        Some("Measure,This period,Previous period,Change")
    );
    assert!(headline.contains("\nMatches made,"), "{headline}");
    let forces = text(
        &tandem(
            &url,
            &[
                "export",
                "report",
                "--org",
                "college",
                "--report",
                "dashboard-forces",
            ],
        )
        .await
        .stdout,
    );
    assert!(forces.contains("\nForce,Applications,Matches,"), "{forces}");
    assert!(
        forces.contains("\nCleveland Police,"),
        "the College's schemes count each force's participants: {forces}"
    );
    // The equality tables, suppressed as the page shows them.
    let sex = tandem(
        &url,
        &[
            "export",
            "report",
            "--org",
            "police-scotland",
            "--report",
            "equality-sex",
            "--role",
            "mentee",
        ],
    )
    .await;
    assert!(sex.status.success(), "{}", text(&sex.stderr));
    let sex = text(&sex.stdout);
    assert!(sex.starts_with("# OFFICIAL\n"), "{sex}");
    assert!(
        sex.contains("\nSex,Applied,Eligible,Approved,Matched,Completed,"),
        "{sex}"
    );
    assert!(
        sex.contains("fewer than 5"),
        "the demo's small groups are suppressed: {sex}"
    );
    for (args, message) in [
        (
            vec![
                "export",
                "report",
                "--org",
                "police-scotland",
                "--report",
                "dashboard",
            ],
            "--report dashboard: there is no such report; `tandem export report --list` names them",
        ),
        (
            vec![
                "export",
                "report",
                "--org",
                "police-scotland",
                "--report",
                "dashboard-headline",
                "--from",
                "2025-02-30",
            ],
            "from '2025-02-30' is not a date; give it as YYYY-MM-DD, e.g. 2026-01-31",
        ),
        (
            vec![
                "export",
                "report",
                "--org",
                "police-scotland",
                "--report",
                "equality-sex",
                "--role",
                "coach",
            ],
            "--role coach: give mentor or mentee, or leave it out for both",
        ),
    ] {
        let refused = tandem(&url, &args).await;
        assert_eq!(refused.status.code(), Some(1));
        assert!(
            text(&refused.stderr).contains(message),
            "{}",
            text(&refused.stderr)
        );
    }
    let again = text(&tandem(&url, &["demo", "--seed-only"]).await.stdout);
    assert!(
        again.starts_with(&format!("Reusing the demo data already in {url}\n")),
        "{again}"
    );

    let mut server = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["--database", &url, "demo", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let mut address = None;
    while let Some(line) = lines.next_line().await.unwrap() {
        if let Some(rest) = line.strip_prefix("Tandem is running at http://") {
            address = rest.split('/').next().map(str::to_owned);
            break;
        }
    }
    let address = address.expect("the server prints its address");
    let get = |path: &str| {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    };
    let health = get("/healthz");
    assert!(
        health.starts_with("HTTP/1.1 200 OK") && health.ends_with("ok"),
        "{health}"
    );
    let home = get("/");
    assert!(
        home.contains("Cleveland Police")
            && home.contains("Women&#39;s chief officer network mentoring")
    );
    server.kill().await.unwrap();
}

#[tokio::test]
async fn a_password_is_set_from_standard_input_and_checked_against_the_policy() {
    on_each_database(|store, url| async move {
        let dir = tempfile::tempdir().unwrap();
        let team = write(&dir, "people.csv", &format!("{HEADER}\n{TEAM}"));
        assert!(
            tandem(&url, &["import", "people", &team, "--create-organisations"])
                .await
                .status
                .success()
        );
        let set = |password: &'static str| {
            let url = url.clone();
            async move {
                let mut child = Command::new(env!("CARGO_BIN_EXE_tandem"))
                    .args([
                        "--database",
                        &url,
                        "account",
                        "set-password",
                        "ann@cleveland.police.uk",
                    ])
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                use tokio::io::AsyncWriteExt as _;
                let mut stdin = child.stdin.take().unwrap();
                stdin.write_all(password.as_bytes()).await.unwrap();
                drop(stdin);
                child.wait_with_output().await.unwrap()
            }
        };
        let short = set("short\n").await;
        assert_eq!(short.status.code(), Some(1));
        assert!(
            text(&short.stderr).contains("the password is too short: use at least 12 characters"),
            "{}",
            text(&short.stderr)
        );
        let good = set("a long enough passphrase\n").await;
        assert!(good.status.success(), "{}", text(&good.stderr));
        assert_eq!(
            text(&good.stdout),
            "password set for ann@cleveland.police.uk; their sessions have ended\n"
        );
        let app = tandem_app::App::new(store, std::sync::Arc::new(tandem_core::SystemClock));
        let signed_in = tandem_app::accounts::sign_in(
            &app,
            "ann@cleveland.police.uk",
            "a long enough passphrase",
        )
        .await
        .unwrap();
        assert!(signed_in.is_ok());
    })
    .await;
}

#[tokio::test]
async fn an_api_token_is_issued_from_the_command_line_and_opens_the_api() {
    on_each_database(|store, url| async move {
        let dir = tempfile::tempdir().unwrap();
        let team = write(&dir, "people.csv", &format!("{HEADER}\n{TEAM}"));
        assert!(
            tandem(&url, &["import", "people", &team, "--create-organisations"])
                .await
                .status
                .success()
        );
        let issued = tandem(
            &url,
            &["token", "issue", "--org", "cleveland", "--name", "HR feed"],
        )
        .await;
        assert!(issued.status.success(), "{}", text(&issued.stderr));
        let secret = text(&issued.stdout).trim().to_owned();
        assert!(
            secret.starts_with("tandem_") && secret.len() == 71,
            "{secret}"
        );
        assert!(text(&issued.stderr).contains("read only"));
        let app = tandem_app::App::new(store, std::sync::Arc::new(tandem_core::SystemClock));
        let actor = tandem_app::tokens::actor_for(&app, &secret)
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(
            actor,
            tandem_core::authz::Actor::Token {
                write: false,
                organisation: Some(_),
                ..
            }
        ));
        let unknown = tandem(&url, &["token", "issue", "--org", "durham", "--name", "x"]).await;
        assert_eq!(unknown.status.code(), Some(1));
    })
    .await;
}

#[tokio::test]
async fn the_relationships_benchmark_runs_small_and_prints_its_three_figures() {
    // The benchmark makes its own databases; PostgreSQL too when the tests have a server. With
    // more relationships than a page holds, it checks the first page and the total.
    let mut command = Command::new(env!("CARGO_BIN_EXE_tandem"));
    command
        .args([
            "bench",
            "relationships",
            "--relationships",
            "150",
            "--sessions-per-relationship",
            "3",
        ])
        .env("RUST_LOG", "warn")
        .env_remove("TANDEM_BENCH_POSTGRES_URL");
    if let Ok(server) = std::env::var(tandem_store::testing::POSTGRES_URL_VAR) {
        command.env("TANDEM_BENCH_POSTGRES_URL", server);
    }
    let output = command.output().await.unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    for label in [
        "relationship page, 60 sessions (use case)",
        "relationship page, 60 sessions (HTTP, member)",
        "scheme relationships page (HTTP, coordinator)",
        "relationships CSV (HTTP, coordinator)",
        "151 relationships",
    ] {
        assert!(stdout.contains(label), "{label} is missing from\n{stdout}");
    }
}

#[tokio::test]
async fn a_sweep_sends_what_is_due_once_and_says_what_it_sent() {
    on_each_database(|_store, url| async move {
        let seeded = tandem(&url, &["demo", "--seed-only"]).await;
        assert!(seeded.status.success(), "{}", text(&seeded.stderr));
        // Months after the demo's day, its quiet relationships are due reminders.
        let at = "2027-09-01T09:00:00Z";
        let first = tandem(&url, &["sweep", "--at", at]).await;
        assert!(first.status.success(), "{}", text(&first.stderr));
        let stdout = text(&first.stdout);
        let line = stdout.lines().next().unwrap_or_default();
        assert!(
            line.starts_with("swept ")
                && line.contains(" live relationships as of 2027-09-01T09:00:00Z: "),
            "{stdout}"
        );
        assert!(!line.ends_with(": 0 reminders sent"), "{stdout}");
        assert!(
            stdout.contains("end_reached") || stdout.contains("book_session"),
            "{stdout}"
        );
        let again = text(&tandem(&url, &["sweep", "--at", at]).await.stdout);
        assert!(
            again
                .lines()
                .next()
                .unwrap_or_default()
                .ends_with(": 0 reminders sent"),
            "{again}"
        );
        let bad = tandem(&url, &["sweep", "--at", "next tuesday"]).await;
        assert_eq!(bad.status.code(), Some(1));
        assert!(text(&bad.stderr).contains("is not a moment such as 2027-03-01T09:00:00Z"));
    })
    .await;
}
