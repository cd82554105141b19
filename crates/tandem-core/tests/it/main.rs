//! Tests of tandem-core through its public API: presets, eligibility and authorisation.
#![allow(
    clippy::unwrap_used,
    reason = "a test that meets a bad value should fail loudly"
)]

mod authz;
mod bad_input;
mod eligibility;
mod presets;
