//! The `tandem` command line, run as a user runs it, against a fresh database on each backend.
#![allow(
    clippy::unwrap_used,
    reason = "a test that meets a bad value should fail loudly"
)]

use std::process::Output;
use tokio::process::Command;

mod backup;
mod cli;
mod crash;
mod demo;
mod http;
mod match_cli;
mod process;
mod records;
mod reliability;
mod two_servers;

/// The HR file's columns, in the order the examples write them.
pub(crate) const HEADER: &str = "staff_number,organisation,first_name,last_name,email,department,location,rank_or_grade,role_type,line_manager_staff_number,start_date,on_probation,under_performance_management,employment_status";

/// Runs the `tandem` binary on `database` with `args`, as a user would.
pub(crate) async fn tandem(database: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap()
}

/// Writes `content` to `name` in `dir`; gives the path as an argument.
pub(crate) fn write(dir: &tempfile::TempDir, name: &str, content: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// Output as text.
pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}
