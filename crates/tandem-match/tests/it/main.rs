//! Integration tests of `tandem-match` through its public API only.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on a broken fixture, which is what we want"
)]

mod bad_input;
mod bmatching;
mod check;
mod cohorts;
mod determinism;
mod examples;
mod fixture;
mod network;
mod problem_file;
mod progress;
pub mod properties;
