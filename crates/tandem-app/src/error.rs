//! The use-case layer's one error type.
//!
//! Rule: a use case returns `AppError`; each variant says what the caller can tell the user.
//! Store errors pass through unchanged (their message is already safe); rule breaches carry
//! every problem found, not only the first. Messages are lowercase, without a trailing period.

use tandem_core::application::FormProblem;
use tandem_core::authz::Denied;
use tandem_core::eligibility::Refusal;
use tandem_core::hr::ImportProblems;
use tandem_core::policy::PolicyProblem;
use tandem_store::StoreError;

/// What went wrong in a use case.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The actor may not do this.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The thing named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The HR file breaks the import rules; nothing was written. Every problem is counted; the
    /// first are kept in full, as many as the import was asked to keep.
    #[error("the file was not imported: {} found, nothing was changed", tandem_core::words::counted(.0.total(), "problem", "problems"))]
    ImportRejected(ImportProblems),
    /// The policy or programme is not valid; nothing was written.
    #[error("the policy was refused: {} found, nothing was changed", tandem_core::words::counted(.0.len(), "problem", "problems"))]
    PolicyRejected(Vec<PolicyProblem>),
    /// The person may not take part as asked; every reason is given.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Ineligible(Vec<Refusal>),
    /// A form has problems; each names its field. Nothing was written.
    #[error("{} with the form, nothing was changed: {}", tandem_core::words::counted(.0.len(), "problem", "problems"), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FormProblem>),
    /// A pair would break a hard matching rule (R5.1); each rule broken, in words.
    #[error("the pair breaks a matching rule: {}", .0.join("; "))]
    RuleBroken(Vec<String>),
    /// A person cannot be erased yet (R8.4); each reason says what to settle first. Nothing
    /// was changed.
    #[error("this person cannot be erased yet: {}", .0.join("; "))]
    ErasureRefused(Vec<String>),
    /// The change clashes with what is already there.
    #[error("{0}")]
    Conflict(String),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AppError {
    /// A store conflict (a record changed by someone else, a key already taken) is a conflict
    /// the person can act on, not a failure of the service.
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(message) => Self::Conflict(message),
            other => Self::Store(other),
        }
    }
}
