//! `Availability`: the weekly slots a person can meet in, as a 21-bit set.

use std::fmt;

use super::ValueError;

/// Every slot name, in bit order: seven days, each with morning, afternoon and evening.
pub const SLOT_NAMES: [&str; 21] = [
    "mon-am", "mon-pm", "mon-eve", "tue-am", "tue-pm", "tue-eve", "wed-am", "wed-pm", "wed-eve",
    "thu-am", "thu-pm", "thu-eve", "fri-am", "fri-pm", "fri-eve", "sat-am", "sat-pm", "sat-eve",
    "sun-am", "sun-pm", "sun-eve",
];

/// The set of weekly slots (`mon-am` … `sun-eve`) in which a person can meet.
///
/// An empty set means "not stated", which the availability factor scores as neutral.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Availability(u32);

impl Availability {
    /// Parses slot names such as `tue-pm`; repeats are harmless, unknown names are refused.
    pub fn parse<'a>(raw: impl IntoIterator<Item = &'a str>) -> Result<Availability, ValueError> {
        let mut bits = 0u32;
        for name in raw {
            let lower = name.trim().to_ascii_lowercase();
            let Some(slot) = SLOT_NAMES.iter().position(|known| *known == lower) else {
                return Err(ValueError(format!(
                    "unknown slot {name:?}: use a day (mon..sun), '-' and am, pm or eve, e.g. \"tue-pm\""
                )));
            };
            bits |= 1 << slot;
        }
        Ok(Availability(bits))
    }

    /// The slots as a bit set, bit `k` standing for `SLOT_NAMES[k]`.
    pub fn bits(self) -> u32 {
        self.0
    }

    /// Whether no slot was stated.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The slot names in week order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        SLOT_NAMES
            .iter()
            .enumerate()
            .filter(move |(slot, _)| self.0 & (1 << slot) != 0)
            .map(|(_, name)| *name)
    }

    /// The slots both sets share.
    pub fn shared(self, other: Availability) -> Availability {
        Availability(self.0 & other.0)
    }

    /// How many slots are in the set.
    pub fn len(self) -> u32 {
        self.0.count_ones()
    }
}

impl fmt::Display for Availability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for name in self.names() {
            if !first {
                f.write_str(",")?;
            }
            f.write_str(name)?;
            first = false;
        }
        Ok(())
    }
}
