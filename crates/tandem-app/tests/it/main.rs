//! Use cases driven end to end on each backend: imports, exports, presets, the demo.
#![allow(
    clippy::unwrap_used,
    reason = "a test that meets a bad value should fail loudly"
)]

mod applications;
mod demo;
mod equality;
mod evaluation;
mod import;
mod invitations;
mod mail;
mod matching;
mod matching_rules;
mod notifications;
mod proposals;
mod pulses;
mod relationship_care;
mod relationships;
mod reminders;
mod reports;
mod retention;
mod schemes;
mod several_mentors;
mod subject_access;
mod support_groups;
mod training;
mod two_factor;

use std::sync::Arc;
use tandem_app::App;
use tandem_core::FixedClock;
use tandem_core::authz::Actor;
use tandem_store::Store;
use time::macros::datetime;

pub fn app(store: Store) -> App {
    App::new(
        store,
        Arc::new(FixedClock::at(datetime!(2026-11-23 09:00 UTC))),
    )
}

pub fn operator() -> Actor {
    Actor::Operator {
        name: "test".to_owned(),
    }
}
