//! Value types parsed once at the boundary: holding one proves the value is valid.
//!
//! Each type has a private field, a `parse` constructor that says what is wrong, and
//! `AsRef<str>` where it is text. Nothing here knows where a value came from (CSV, form, API).

mod email;
mod employment_status;
mod org_code;
mod password;
mod person_name;
mod rank;
mod role_type;
mod scheme_key;
mod staff_number;
mod text;

pub use email::Email;
pub use employment_status::EmploymentStatus;
pub use org_code::OrgCode;
pub use password::NewPassword;
pub use person_name::PersonName;
pub use rank::{BandEdit, BandPart, BandProblem, RankBand, RankBands, RankBandsError, RankOrGrade};
pub use role_type::RoleType;
pub use scheme_key::SchemeKey;
pub use staff_number::StaffNumber;
pub use text::{Declaration, FreeText};

/// Why a raw value could not become a domain value; the message is shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub(crate) String);

impl ParseError {
    /// A parse error with a message for the user.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// Parses a lowercase slug of 2 to 40 letters, digits and single hyphens, case-insensitively.
/// `what` and `example` complete the error message ("… is not an organisation code …").
fn slug(raw: &str, what: &str, example: &str) -> Result<String, ParseError> {
    let code = raw.trim().to_ascii_lowercase();
    if code.is_empty() {
        return Err(ParseError::new(format!(
            "is empty; give {what}, e.g. {example}"
        )));
    }
    let well_formed = (2..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !code.starts_with('-')
        && !code.ends_with('-')
        && !code.contains("--");
    if !well_formed {
        return Err(ParseError::new(format!(
            "'{}' is not {what}: use 2 to 40 letters, digits and single hyphens, e.g. {example}",
            raw.trim()
        )));
    }
    Ok(code)
}

/// Rejects control characters, which have no place in a name or code and break CSV and HTML output.
fn has_control_chars(raw: &str) -> bool {
    raw.chars().any(char::is_control)
}
