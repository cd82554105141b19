//! Value types of the problem: each parses its raw form once and is valid from then on.

mod availability;
mod person_id;
mod tag;
mod weights;

pub use availability::{Availability, SLOT_NAMES};
pub use person_id::PersonId;
pub use tag::Tag;
pub use weights::{Weight, Weights};

/// Why a raw value was refused; the caller adds the field path and the person's id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub(crate) String);

#[cfg(test)]
mod tests;
