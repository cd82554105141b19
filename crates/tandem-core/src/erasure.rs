//! Erasure of a person (R8.4): what stands in for their identifying fields once they are gone.
//!
//! The person's row is kept, not deleted, so the register of who took part (applications,
//! matches) and the other member's own records still point at someone; that someone is shown
//! as "Erased person" because the names themselves become that marker, so every list, page and
//! email that prints a name says so without knowing about erasure.

use crate::PersonRecord;
use crate::domain::{Email, PersonName, StaffNumber};
use crate::pairing::MatchStatus;
use std::fmt;
use time::Date;
use uuid::Uuid;

/// What every page shows for an erased person.
pub const ERASED_NAME: &str = "Erased person";

const FIRST_NAME: &str = "Erased";
const LAST_NAME: &str = "person";
/// Starts an erased person's staff number and email: an HR file cannot match it by accident,
/// and a reader sees at once what it is.
const PREFIX: &str = "erased-";
/// A reserved domain (RFC 2606), so no mail to an erased address can ever be delivered.
const DOMAIN: &str = "erased.invalid";

/// The values that replace an erased person's names, staff number and email: unique (the
/// columns are) and saying nothing about who they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasedIdentity {
    /// "Erased".
    pub first_name: PersonName,
    /// "person".
    pub last_name: PersonName,
    /// `erased-` and 25 hex digits of the token.
    pub staff_number: StaffNumber,
    /// `erased-<token>@erased.invalid`.
    pub email: Email,
}

impl ErasedIdentity {
    /// The stand-ins made from a fresh `token` (never the person's id, which the audit log and
    /// other records hold: the stand-ins need only be unique, not traceable).
    pub fn new(token: Uuid) -> Self {
        let hex = token.simple().to_string();
        // A staff number holds at most 32 characters: the prefix and the token's last 25 hex
        // digits, which hold all the random bits of a version 4 or 7 UUID.
        let tail = &hex[hex.len() - 25..];
        Self {
            first_name: PersonName::parse(FIRST_NAME).expect("a fixed name is a valid name"),
            last_name: PersonName::parse(LAST_NAME).expect("a fixed name is a valid name"),
            staff_number: StaffNumber::parse(&format!("{PREFIX}{tail}"))
                .expect("a prefix and 25 hex digits are a valid staff number"),
            email: Email::parse(&format!("{PREFIX}{hex}@{DOMAIN}"))
                .expect("a prefix, 32 hex digits and a reserved domain are a valid email"),
        }
    }
}

impl PersonRecord {
    /// Whether this is an erased person's record (R8.4): the marker names and a stand-in
    /// staff number, which no HR file gives.
    pub fn is_erased(&self) -> bool {
        self.first_name.as_ref() == FIRST_NAME
            && self.last_name.as_ref() == LAST_NAME
            && self.staff_number.as_ref().starts_with(PREFIX)
            && self.email.as_ref().ends_with(DOMAIN)
    }
}

/// Why a person cannot be erased yet: something still needs them, and erasing would leave it
/// stranded (a partner with a relationship nobody can close, an applicant waiting for a manager
/// who no longer exists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErasureRefusal {
    /// They were erased already.
    AlreadyErased(Date),
    /// Pairs of theirs are not over (proposed, requested or a live relationship).
    OpenPairs(usize),
    /// Applications wait for them to authorise as line manager.
    AwaitingTheirDecision(usize),
}

impl fmt::Display for ErasureRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AlreadyErased(on) => {
                write!(f, "they were erased on {on}; nothing is left to erase")
            }
            Self::OpenPairs(n) => write!(
                f,
                "they have {} still open (proposed, requested, introductory, active, on hold or \
                 closing); ask the scheme's coordinator to close, withdraw or decline \
                 them first",
                crate::words::counted(*n, "pair or relationship", "pairs or relationships")
            ),
            Self::AwaitingTheirDecision(n) => write!(
                f,
                "{} for them to authorise as line manager; ask the scheme's \
                 coordinator to decide them, or import the HR file that names the applicants' new \
                 line manager, first",
                crate::words::counted(*n, "application waits", "applications wait")
            ),
        }
    }
}

/// Every reason a person with these pairs, applications awaiting their decision and erasure
/// date cannot be erased now; none means they can.
pub fn refusals(
    pairs: &[MatchStatus],
    awaiting_their_decision: usize,
    erased_on: Option<Date>,
) -> Vec<ErasureRefusal> {
    let mut refusals = Vec::new();
    if let Some(on) = erased_on {
        refusals.push(ErasureRefusal::AlreadyErased(on));
    }
    let open = pairs.iter().filter(|status| !status.is_over()).count();
    if open > 0 {
        refusals.push(ErasureRefusal::OpenPairs(open));
    }
    if awaiting_their_decision > 0 {
        refusals.push(ErasureRefusal::AwaitingTheirDecision(
            awaiting_their_decision,
        ));
    }
    refusals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pairs_that_are_over_let_a_person_be_erased() {
        let over = [
            MatchStatus::Closed,
            MatchStatus::Declined,
            MatchStatus::Withdrawn,
        ];
        assert!(refusals(&over, 0, None).is_empty());
        for open in [
            MatchStatus::Proposed,
            MatchStatus::Requested,
            MatchStatus::Introductory,
            MatchStatus::Active,
            MatchStatus::OnHold,
            MatchStatus::Closing,
        ] {
            assert_eq!(
                refusals(&[open, MatchStatus::Closed], 0, None),
                [ErasureRefusal::OpenPairs(1)]
            );
        }
        assert_eq!(
            refusals(&[], 2, None),
            [ErasureRefusal::AwaitingTheirDecision(2)]
        );
    }

    #[test]
    fn the_stand_ins_are_valid_unique_and_read_as_erased() {
        let one = ErasedIdentity::new(Uuid::from_u128(u128::MAX - 1));
        let other = ErasedIdentity::new(Uuid::from_u128(u128::MAX - 2));
        assert_ne!(one.staff_number, other.staff_number);
        assert_ne!(one.email, other.email);
        assert!(one.staff_number.as_ref().len() <= 32);
        assert_eq!(format!("{} {}", one.first_name, one.last_name), ERASED_NAME);
    }
}
