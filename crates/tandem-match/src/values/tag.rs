//! `Tag`: a normalised topic, development area or self-declared characteristic.

use std::fmt;

use super::ValueError;

const MAX_LEN: usize = 64;

/// A topic or characteristic in one canonical spelling: lowercase, words joined by `_`.
///
/// `"Career Transition"`, `"career-transition"` and `"career_transition"` are one tag, so a
/// coordinator's spelling never decides whether a mentor's offer meets a mentee's need.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag(String);

impl Tag {
    /// Normalises and checks a raw tag: letters, digits, spaces, `-` and `_` only.
    pub fn parse(raw: &str) -> Result<Tag, ValueError> {
        let mut canonical = String::with_capacity(raw.len());
        for word in raw.split(|c: char| c.is_whitespace() || c == '-' || c == '_') {
            if word.is_empty() {
                continue;
            }
            if let Some(bad) = word.chars().find(|c| !c.is_alphanumeric()) {
                return Err(ValueError(format!(
                    "{bad:?} is not allowed in a tag: use letters, digits, spaces, - and _"
                )));
            }
            if !canonical.is_empty() {
                canonical.push('_');
            }
            canonical.extend(word.chars().flat_map(char::to_lowercase));
        }
        if canonical.is_empty() {
            return Err(ValueError("must not be empty".to_owned()));
        }
        if canonical.len() > MAX_LEN {
            return Err(ValueError(format!("must be at most {MAX_LEN} characters")));
        }
        Ok(Tag(canonical))
    }

    /// The canonical spelling.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Tag {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
