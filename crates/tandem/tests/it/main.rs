//! The `tandem` command line, run as a user runs it, against a fresh database on each backend.
#![allow(
    clippy::unwrap_used,
    reason = "a test that meets a bad value should fail loudly"
)]

mod backup;
mod cli;
mod records;
mod reliability;
