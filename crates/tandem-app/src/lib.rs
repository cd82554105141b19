//! Tandem's use cases, one module per capability.
//!
//! Every use case takes an [`Actor`](tandem_core::authz::Actor), checks permission through
//! [`authorize`](tandem_core::authz::authorize), runs inside one store transaction, writes its
//! audit entries in that same transaction (a read's entries go by the store's group commit once
//! it has read, and it returns only after they are committed), and returns domain values. The web pages, the JSON
//! API and the CLI are thin adapters over these functions: no rule is written twice.

pub mod accessibility;
pub mod accounts;
pub mod adjustments;
pub mod applications;
mod audit;
pub mod audit_log;
pub mod demo;
pub mod equality;
mod error;
pub mod evaluation;
pub mod invitations;
pub mod letter;
pub mod line_manager_digest;
pub mod mail;
pub mod matching;
pub mod notify;
pub mod organisations;
pub mod outbox;
pub mod people;
pub mod refreshers;
pub mod relationships;
pub mod reminders;
pub mod reports;
pub mod retention;
pub mod roles;
pub mod schemes;
pub mod sso;
pub mod subject_access;
pub mod support_groups;
pub mod tasks;
pub mod tokens;
pub mod training;
pub mod two_factor;
pub mod waiting_list;
pub mod workforce;

pub use error::AppError;
/// Search filters the web layer fills in; plain data defined next to the queries that use them.
pub use tandem_store::{AuditSearch, PeopleSearch};

use std::sync::Arc;
use tandem_core::Clock;
use tandem_store::Store;

/// What every use case needs: the store and the clock.
#[derive(Debug, Clone)]
pub struct App {
    /// The database.
    pub store: Store,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
}

impl App {
    /// An application over `store` reading time from `clock`.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }
}
