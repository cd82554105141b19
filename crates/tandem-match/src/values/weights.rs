//! `Weight` and `Weights`: how much each score factor counts, each 0 to 10.

use super::ValueError;

/// The largest weight a coordinator can give one factor.
pub const MAX_WEIGHT: u8 = 10;

/// How much one factor counts in a pair's score: an integer from 0 (ignored) to 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Weight(u8);

impl Weight {
    /// Parses a weight, refusing anything outside 0..=10.
    pub fn parse(raw: i64) -> Result<Weight, ValueError> {
        match u8::try_from(raw) {
            Ok(value) if value <= MAX_WEIGHT => Ok(Weight(value)),
            _ => Err(ValueError(format!(
                "must be an integer from 0 to {MAX_WEIGHT}, got {raw}"
            ))),
        }
    }

    /// A weight known at compile time to be in range; larger values are clamped to 10.
    pub const fn new_clamped(value: u8) -> Weight {
        if value > MAX_WEIGHT {
            Weight(MAX_WEIGHT)
        } else {
            Weight(value)
        }
    }

    /// The weight as a number.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// The weight of every factor of a scheme (see `Factor` for what each one measures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Weights {
    /// Development areas wanted that the mentor offers.
    pub topic_fit: Weight,
    /// Same site, same department, remote, or travel.
    pub location_fit: Weight,
    /// Rank gap in the scheme's direction.
    pub rank_gap: Weight,
    /// The mentor's years of service.
    pub experience: Weight,
    /// Weekly slots both can meet in.
    pub availability: Weight,
    /// The mentee named this mentor.
    pub preference: Weight,
    /// The mentor has a characteristic the mentee asked for.
    pub diversity: Weight,
}

impl Default for Weights {
    /// Topics first, then stated preference and place, then the rest; diversity off.
    fn default() -> Weights {
        Weights {
            topic_fit: Weight::new_clamped(5),
            location_fit: Weight::new_clamped(3),
            rank_gap: Weight::new_clamped(2),
            experience: Weight::new_clamped(1),
            availability: Weight::new_clamped(2),
            preference: Weight::new_clamped(3),
            diversity: Weight::new_clamped(0),
        }
    }
}
