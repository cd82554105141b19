//! The store's conformance story, run on SQLite and (with `TANDEM_TEST_POSTGRES_URL`) on PostgreSQL.
#![allow(
    clippy::unwrap_used,
    reason = "a test that meets a bad value should fail loudly"
)]

mod audit_groups;
mod story;
mod tls;
