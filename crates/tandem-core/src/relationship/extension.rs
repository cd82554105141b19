//! Extensions (R6.4): a relationship runs to the end date its scheme's duration gives, and goes
//! past it only when one member proposes a new end date and the other agrees, where the
//! scheme's policy allows extensions at all.

use crate::application::FormProblem;
use crate::codes::codes;
use crate::ids::{MatchId, PersonId};
use crate::policy::SchemePolicy;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

codes! {
    /// Where a proposed extension stands.
    ExtensionStatus {
        /// Proposed by one member; the other has not answered.
        Proposed => "proposed", "waiting for an answer";
        /// Agreed by both: the relationship's end date moved.
        Agreed => "agreed", "agreed";
        /// The other member declined it.
        Declined => "declined", "declined";
        /// Its proposer took it back.
        Withdrawn => "withdrawn", "taken back";
    }
}

/// One proposal to move a relationship's end date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// Its id.
    pub id: Uuid,
    /// The relationship.
    pub pair: MatchId,
    /// The member who proposed it.
    pub proposed_by: PersonId,
    /// When.
    pub proposed_at: OffsetDateTime,
    /// The end date before it.
    pub previous_ends_on: Date,
    /// The new end date it proposes.
    pub ends_on: Date,
    /// Where it stands.
    pub status: ExtensionStatus,
    /// When the other member answered, or the proposer took it back.
    pub answered_at: Option<OffsetDateTime>,
}

/// The longest one extension may add when the scheme sets no duration of its own.
const DEFAULT_LONGEST_MONTHS: u32 = 12;

/// The new end date a member proposes, parsed and checked (R6.4): a real date after the
/// current end date and after today, adding at most the scheme's longest duration.
pub fn proposed_end(
    policy: &SchemePolicy,
    current_end: Option<Date>,
    today: Date,
    raw: &str,
) -> Result<Date, FormProblem> {
    let field = "ends_on";
    let Some(current_end) = current_end else {
        return Err(FormProblem::at(
            field,
            "this relationship has no end date to extend",
        ));
    };
    let date = Date::parse(
        raw.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        FormProblem::at(
            field,
            "enter the new end date as year-month-day, e.g. 2027-09-30",
        )
    })?;
    if date <= current_end {
        return Err(FormProblem::at(
            field,
            format!("an extension ends after the current end date, {current_end}"),
        ));
    }
    if date <= today {
        return Err(FormProblem::at(field, "choose an end date still to come"));
    }
    let months = policy
        .duration_months
        .max
        .or(policy.duration_months.min)
        .unwrap_or(DEFAULT_LONGEST_MONTHS);
    let latest = super::add_months(current_end, months);
    if date > latest {
        return Err(FormProblem::at(
            field,
            format!(
                "an extension adds at most {months} months in this scheme: choose {latest} or earlier"
            ),
        ));
    }
    Ok(date)
}
