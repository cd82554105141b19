//! Tandem's domain: the rules of mentoring programmes, as plain data and pure functions.
//!
//! This crate does no I/O and cannot fail for I/O reasons: no database, no network, no files,
//! no clock (time arrives through [`Clock`]). Everything above it (store, use cases, web, CLI)
//! calls these rules; none writes a rule again.

pub mod accessibility;
pub mod adjustment;
pub mod application;
pub mod audit;
pub mod authz;
mod clock;
mod codes;
pub mod domain;
pub mod eligibility;
pub mod equality;
pub mod erasure;
pub mod evaluation;
pub mod hr;
mod ids;
pub mod line_management;
pub mod local_time;
pub mod notice;
mod organisation;
pub mod pairing;
mod person;
pub mod policy;
pub mod programme;
pub mod proposal;
pub mod pulse;
pub mod relationship;
pub mod reminder;
pub mod reports;
pub mod retention;
pub mod spreadsheet;
pub mod supply;
pub mod suppression;
pub mod training;
pub mod two_factor;
pub mod words;

pub use clock::{Clock, FixedClock, SystemClock};
pub use ids::{
    ApplicationId, AuditId, BookingId, MatchId, OrganisationId, PersonId, SchemeId, WorkshopId,
};
pub use organisation::{DEFAULT_TOPICS, Organisation, OrganisationKind, ProtectiveMarking};
pub use person::{DiversityData, PersonRecord};
