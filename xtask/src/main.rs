//! Project automation: `cargo run -p xtask -- <task>`. The tidy checks run as this crate's tests.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool's output is its interface"
)]

mod checksums;
#[cfg(test)]
mod tidy;

use std::process::ExitCode;

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    match task.as_deref() {
        Some("migration-checksums") => match checksums::write() {
            Ok(path) => {
                println!("wrote {}", path.display());
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!(
                "usage: cargo run -p xtask -- <task>\n\n\
                 tasks:\n  migration-checksums   record the checksum of a newly added migration\n\n\
                 The repository's tidy checks run with `cargo test -p xtask`."
            );
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of this crate).
pub(crate) fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| ".".into(), std::path::Path::to_path_buf)
}
