//! Tidy checks: the repository's invariants, as tests that fail with the place to fix.

use crate::{checksums, root};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Files git tracks or would track, below the root.
fn files(extensions: &[&str]) -> Vec<PathBuf> {
    let output = Command::new("git")
        .args(["ls-files", "--cached", "--others", "--exclude-standard"])
        .current_dir(root())
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| root().join(line))
        .filter(|path| path.is_file())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| extensions.iter().any(|it| ext == *it))
        })
        .collect()
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_rust_file_says_what_it_is() {
    let missing: Vec<String> = files(&["rs"])
        .into_iter()
        .filter(|path| {
            !std::fs::read_to_string(path)
                .unwrap_or_default()
                .starts_with("//!")
        })
        .map(|path| relative(&path))
        .collect();
    assert!(
        missing.is_empty(),
        "start these files with a `//!` line saying what the module is: {missing:#?}"
    );
}

#[test]
fn no_test_is_ignored_or_expected_to_panic_without_a_fixme() {
    let mut offenders = Vec::new();
    for path in files(&["rs"]) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (idx, line) in text.lines().enumerate() {
            let marker = ["#[ignore", "#[should_panic"]
                .iter()
                .any(|it| line.trim_start().starts_with(it));
            if marker && !line.contains("FIXME") {
                offenders.push(format!("{}:{}", relative(&path), idx + 1));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "an ignored or should_panic test needs a FIXME saying why: {offenders:#?}"
    );
}

#[test]
fn no_trailing_whitespace() {
    let mut offenders = Vec::new();
    for path in files(&["rs", "toml", "sql", "html", "css", "md", "json", "sh"]) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (idx, line) in text.lines().enumerate() {
            if line.ends_with(' ') || line.ends_with('\t') {
                offenders.push(format!("{}:{}", relative(&path), idx + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "trailing whitespace: {offenders:#?}");
}

#[test]
fn every_crate_inherits_the_workspace_lints_and_metadata() {
    let mut offenders = Vec::new();
    for path in files(&["toml"])
        .into_iter()
        .filter(|path| path.file_name().is_some_and(|name| name == "Cargo.toml"))
    {
        if path.parent() == Some(root().as_path()) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for needle in [
            "[lints]\nworkspace = true",
            "version.workspace = true",
            "edition.workspace = true",
            "publish.workspace = true",
        ] {
            if !text.contains(needle) {
                offenders.push(format!(
                    "{} lacks `{}`",
                    relative(&path),
                    needle.replace('\n', " ")
                ));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

/// Lines of the Rust files under `dir` (outside `allowed`) that contain any of `needles`.
fn uses_outside(dir: &str, allowed: &[&str], needles: &[&str]) -> Vec<String> {
    let mut offenders = Vec::new();
    for path in files(&["rs"]) {
        let name = relative(&path);
        if !name.starts_with(dir) || allowed.contains(&name.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (idx, line) in text.lines().enumerate() {
            if needles.iter().any(|it| line.contains(it)) {
                offenders.push(format!("{name}:{}", idx + 1));
            }
        }
    }
    offenders
}

/// A page's redirect goes through `redirect::to`, which only sends the browser to a path on
/// this site and cannot fail on odd bytes.
#[test]
fn every_redirect_goes_through_the_one_check() {
    let offenders = uses_outside(
        "crates/tandem-web/src/",
        &["crates/tandem-web/src/redirect.rs"],
        &["Redirect::", "header::LOCATION", "Redirect}", "Redirect,"],
    );
    assert!(
        offenders.is_empty(),
        "redirect with crate::redirect::to (or to_identity_provider), not axum's Redirect: {offenders:#?}"
    );
}

/// Every CSV the product writes for people goes through `tandem_core::spreadsheet::CsvWriter`,
/// which neutralises text a spreadsheet would run as a formula. The matching engine's
/// `render.rs` writes machine output (ids from a closed set that cannot call a function, and
/// numbers) by hand and is not a `csv::Writer`, so it is not caught here.
#[test]
fn every_csv_export_goes_through_the_one_writer() {
    let offenders = uses_outside(
        "crates/",
        &[
            "crates/tandem-core/src/spreadsheet.rs",
            // A journey plays the HR system writing an upload: test input, not a download.
            "crates/tandem-browser/tests/it/care_journeys.rs",
        ],
        &["csv::Writer", "WriterBuilder"],
    );
    assert!(
        offenders.is_empty(),
        "write CSV with tandem_core::spreadsheet::CsvWriter, saying which columns are text: {offenders:#?}"
    );
}

/// The pure crates (rules and matching) must not reach any crate that does I/O.
#[test]
fn the_pure_crates_do_no_io() {
    // Only this platform's dependencies: offline, cargo has not downloaded the other
    // platforms' crates (macOS and Windows TLS back ends, say), and metadata would fail on them.
    let version = Command::new(env!("CARGO"))
        .arg("-vV")
        .output()
        .expect("cargo -vV runs");
    let host = String::from_utf8_lossy(&version.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: ").map(str::to_owned))
        .expect("cargo -vV names the host platform");
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &host])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let packages: HashMap<&str, &str> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|package| Some((package["id"].as_str()?, package["name"].as_str()?)))
        .collect();
    let nodes: HashMap<&str, Vec<&str>> = metadata["resolve"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|node| {
            let normal = node["deps"]
                .as_array()?
                .iter()
                .filter(|dep| {
                    dep["dep_kinds"]
                        .as_array()
                        .is_some_and(|kinds| kinds.iter().any(|kind| kind["kind"].is_null()))
                })
                .filter_map(|dep| dep["pkg"].as_str())
                .collect();
            Some((node["id"].as_str()?, normal))
        })
        .collect();
    let forbidden = [
        "sqlx",
        "tokio",
        "axum",
        "hyper",
        "reqwest",
        "lettre",
        "tandem-store",
        "tandem-app",
        "tandem-web",
    ];
    for pure in ["tandem-core", "tandem-match"] {
        let Some((&start, _)) = packages.iter().find(|(_, name)| **name == pure) else {
            continue;
        };
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                stack.extend(nodes.get(id).into_iter().flatten());
            }
        }
        let reached: Vec<&str> = seen
            .iter()
            .filter_map(|id| packages.get(id).copied())
            .filter(|name| forbidden.contains(name))
            .collect();
        assert!(
            reached.is_empty(),
            "{pure} must do no I/O but depends on {reached:?}"
        );
    }
}

#[test]
fn merged_migrations_are_never_edited() {
    let recorded =
        checksums::recorded().expect("crates/tandem-store/migrations/checksums.txt exists");
    let current = checksums::current().expect("the migrations folder can be read");
    for (name, sum) in &recorded {
        match current.get(name) {
            None => panic!("migration {name} was deleted; migrations are append-only"),
            Some(now) => assert_eq!(
                now, sum,
                "migration {name} was edited after it was merged; add a new migration instead"
            ),
        }
    }
    let unrecorded: Vec<&String> = current
        .keys()
        .filter(|name| !recorded.contains_key(*name))
        .collect();
    assert!(
        unrecorded.is_empty(),
        "record new migrations with `cargo run -p xtask -- migration-checksums`: {unrecorded:?}"
    );
}

#[test]
fn both_backends_have_the_same_migrations() {
    let names = |backend: &str| -> BTreeSet<String> {
        checksums::current()
            .expect("the migrations folder can be read")
            .into_keys()
            .filter_map(|name| name.strip_prefix(&format!("{backend}/")).map(str::to_owned))
            .collect()
    };
    assert_eq!(
        names("sqlite"),
        names("postgres"),
        "every migration needs a SQLite and a PostgreSQL version"
    );
}
