//! `PersonId`: the id of a mentor or mentee, safe to print unquoted in CSV and text.

use std::fmt;

use super::ValueError;

/// The longest id we accept; staff numbers and UUIDs are far shorter.
const MAX_LEN: usize = 128;

/// A mentor's or mentee's id: 1 to 128 ASCII letters, digits or `-_.:@/`.
///
/// The character set is closed so that ids never need quoting in the CSV and text outputs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonId(String);

impl PersonId {
    /// Parses an id, refusing empty, over-long or unusual ones.
    pub fn parse(raw: &str) -> Result<PersonId, ValueError> {
        if raw.is_empty() {
            return Err(ValueError("must not be empty".to_owned()));
        }
        if raw.len() > MAX_LEN {
            return Err(ValueError(format!("must be at most {MAX_LEN} characters")));
        }
        if let Some(bad) = raw.chars().find(|c| !is_id_char(*c)) {
            return Err(ValueError(format!(
                "{bad:?} is not allowed: use letters, digits and - _ . : @ /"
            )));
        }
        Ok(PersonId(raw.to_owned()))
    }

    /// Stands in for an id that failed to parse, so that a reader can go on collecting
    /// errors; it never reaches a `Problem` because the failure is reported.
    pub(crate) fn placeholder() -> PersonId {
        PersonId("?".to_owned())
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '@' | '/')
}

impl AsRef<str> for PersonId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
