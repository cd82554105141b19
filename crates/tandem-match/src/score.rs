//! The score factors: each a pure function onto 0..=100 points, weighted 0..=10 by the scheme.
//!
//! A pair's score is `sum(weight * points)` over the factors, an integer from 0 to 7,000, so
//! totals are exact and ties are real ties. `Compiled::points` is the one place that feeds
//! these functions; `breakdown` explains a pair with the same numbers.

use std::fmt;

use crate::problem::{
    Adjustment, Direction, Mentee, MenteeIdx, Mentor, MentorIdx, Problem, Scheme,
};
use crate::values::{Tag, Weights};

/// How many factors there are.
pub const FACTOR_COUNT: usize = 7;

/// The most points one factor gives.
pub const MAX_POINTS: u8 = 100;

/// A named part of a pair's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Factor {
    /// Share of the mentee's development areas the mentor offers.
    TopicFit,
    /// Same site, same department, remote, or travel within the organisation.
    LocationFit,
    /// Rank gap, in the scheme's direction.
    RankGap,
    /// The mentor's years of service.
    Experience,
    /// Weekly slots both can meet in.
    Availability,
    /// The mentee asked for this mentor.
    Preference,
    /// The mentor has a characteristic the mentee asked for.
    Diversity,
}

impl Factor {
    /// Every factor, in the order scores are shown.
    pub const ALL: [Factor; FACTOR_COUNT] = [
        Factor::TopicFit,
        Factor::LocationFit,
        Factor::RankGap,
        Factor::Experience,
        Factor::Availability,
        Factor::Preference,
        Factor::Diversity,
    ];

    /// The name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Factor::TopicFit => "topic_fit",
            Factor::LocationFit => "location_fit",
            Factor::RankGap => "rank_gap",
            Factor::Experience => "experience",
            Factor::Availability => "availability",
            Factor::Preference => "preference",
            Factor::Diversity => "diversity",
        }
    }

    /// This factor's weight in a scheme.
    pub fn weight(self, weights: &Weights) -> u8 {
        match self {
            Factor::TopicFit => weights.topic_fit,
            Factor::LocationFit => weights.location_fit,
            Factor::RankGap => weights.rank_gap,
            Factor::Experience => weights.experience,
            Factor::Availability => weights.availability,
            Factor::Preference => weights.preference,
            Factor::Diversity => weights.diversity,
        }
        .get()
    }
}

impl fmt::Display for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub(crate) fn weight_array(weights: &Weights) -> [i32; FACTOR_COUNT] {
    Factor::ALL.map(|factor| i32::from(factor.weight(weights)))
}

/// The highest score any pair can reach under these weights.
pub fn max_pair_score(weights: &Weights) -> i32 {
    weight_array(weights).iter().sum::<i32>() * i32::from(MAX_POINTS)
}

/// Topic fit: `100 * shared / wanted` (rounded down), or 50 when the mentee named no area.
pub fn topic_fit_points(wanted: u32, shared: u32) -> u8 {
    match (100 * shared.min(wanted)).checked_div(wanted) {
        Some(points) => points as u8,
        None => 50,
    }
}

/// The facts about two people's places that the location factor looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceMatch {
    /// Same site or station.
    pub same_location: bool,
    /// Same department within the same organisation.
    pub same_department: bool,
    /// Same organisation.
    pub same_organisation: bool,
    /// Both will meet remotely (the mentee by choice or by adjustment).
    pub remote_both: bool,
    /// The mentee cannot travel (adjustment).
    pub mentee_no_travel: bool,
}

/// Location fit: same site 100, same department 80, remote 60, same organisation 30, else 0.
///
/// A mentee who cannot travel gets no points for the two options that need travel.
pub fn location_fit_points(place: PlaceMatch) -> u8 {
    if place.same_location {
        100
    } else if place.same_department && !place.mentee_no_travel {
        80
    } else if place.remote_both {
        60
    } else if place.same_organisation && !place.mentee_no_travel {
        30
    } else {
        0
    }
}

/// How many levels the mentor stands on the scheme's side of the mentee: traditional counts
/// the mentor above, reverse the mentor below (negative when the wrong way round), peer the
/// distance either way.
pub fn levels_apart(direction: Direction, mentor_rank: u8, mentee_rank: u8) -> i32 {
    let above = i32::from(mentor_rank) - i32::from(mentee_rank);
    match direction {
        Direction::Traditional => above,
        Direction::Reverse => -above,
        Direction::Peer => above.abs(),
    }
}

/// Rank gap points: the scheme's own table when it has one, else the built-in curve.
pub fn rank_gap_points_of(scheme: &Scheme, mentor_rank: u8, mentee_rank: u8) -> u8 {
    match &scheme.rank_gap_points {
        Some(table) => table.points(levels_apart(scheme.direction, mentor_rank, mentee_rank)),
        None => rank_gap_points(scheme.direction, mentor_rank, mentee_rank),
    }
}

/// Rank gap in the scheme's direction, the built-in curve.
///
/// With `gap` = how many levels the mentor stands on the scheme's side of the mentee:
/// traditional: gap 1–2 → 100, 3 → 80, 4 or more → 60, none or wrong way → 0;
/// reverse: gap 1 → 60, 2 → 80, 3 or more → 100, none or wrong way → 0 (a wider gap is the
/// point of reverse mentoring); peer: same level → 100, one apart → 50, else 0.
pub fn rank_gap_points(direction: Direction, mentor_rank: u8, mentee_rank: u8) -> u8 {
    let above = i32::from(mentor_rank) - i32::from(mentee_rank);
    match direction {
        Direction::Traditional => match above {
            i32::MIN..=0 => 0,
            1 | 2 => 100,
            3 => 80,
            _ => 60,
        },
        Direction::Reverse => match -above {
            i32::MIN..=0 => 0,
            1 => 60,
            2 => 80,
            _ => 100,
        },
        Direction::Peer => match above.abs() {
            0 => 100,
            1 => 50,
            _ => 0,
        },
    }
}

/// Experience: 5 points per year of the mentor's service, full marks from 20 years.
pub fn experience_points(years_of_service: u8) -> u8 {
    years_of_service.min(20) * 5
}

/// Availability: `100 * min(shared slots, 3) / 3` (0, 33, 66, 100), or 50 when either
/// person stated no slot.
pub fn availability_points(both_stated: bool, shared_slots: u32) -> u8 {
    if both_stated {
        (100 * shared_slots.min(3) / 3) as u8
    } else {
        50
    }
}

/// Preference: 100 when the mentee named this mentor, else 0.
pub fn preference_points(is_preferred: bool) -> u8 {
    if is_preferred { 100 } else { 0 }
}

/// Diversity: 100 when the mentee asked for a characteristic the mentor declared, else 0.
pub fn diversity_points(asked: bool, shared: bool) -> u8 {
    if asked && shared { 100 } else { 0 }
}

/// One factor's part in a pair's score, with the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactorScore {
    /// Which factor.
    pub factor: Factor,
    /// Its points, 0..=100.
    pub points: u8,
    /// Its weight in the scheme, 0..=10.
    pub weight: u8,
    /// `points * weight`.
    pub contribution: i32,
    /// Why it scored so, in words.
    pub detail: String,
}

/// A pair's score, factor by factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    /// Every factor, in `Factor::ALL` order.
    pub factors: Vec<FactorScore>,
    /// The pair's score: the sum of the contributions.
    pub total: i32,
}

/// A pair's score factor by factor, whether or not the pair is allowed.
pub fn breakdown(problem: &Problem, mentee_idx: MenteeIdx, mentor_idx: MentorIdx) -> Breakdown {
    let points = problem
        .compiled()
        .points(mentee_idx.index(), mentor_idx.index());
    let weights = &problem.scheme().weights;
    let mentee = problem.mentee(mentee_idx);
    let mentor = problem.mentor(mentor_idx);
    let factors: Vec<FactorScore> = Factor::ALL
        .iter()
        .zip(points)
        .map(|(&factor, points)| {
            let weight = factor.weight(weights);
            FactorScore {
                factor,
                points,
                weight,
                contribution: i32::from(points) * i32::from(weight),
                detail: detail(problem, factor, mentee, mentor),
            }
        })
        .collect();
    let total = factors.iter().map(|f| f.contribution).sum();
    debug_assert_eq!(
        total,
        problem
            .compiled()
            .score(mentee_idx.index(), mentor_idx.index())
    );
    Breakdown { factors, total }
}

fn shared_tags<'a>(wanted: &'a [Tag], offered: &[Tag]) -> Vec<&'a str> {
    let mut shared: Vec<&str> = wanted
        .iter()
        .filter(|t| offered.contains(t))
        .map(Tag::as_str)
        .collect();
    shared.dedup();
    shared
}

fn detail(problem: &Problem, factor: Factor, mentee: &Mentee, mentor: &Mentor) -> String {
    match factor {
        Factor::TopicFit => {
            let mut wanted = mentee.development_areas.clone();
            wanted.sort();
            wanted.dedup();
            if wanted.is_empty() {
                "no development area named".to_owned()
            } else {
                let shared = shared_tags(&wanted, &mentor.topics);
                if shared.is_empty() {
                    format!("offers none of {} development areas", wanted.len())
                } else {
                    format!(
                        "offers {} of {}: {}",
                        shared.len(),
                        wanted.len(),
                        shared.join(", ")
                    )
                }
            }
        }
        Factor::LocationFit => {
            let remote_mentee =
                mentee.remote_ok || mentee.adjustments.contains(&Adjustment::RemoteMeetings);
            let no_travel = mentee.adjustments.contains(&Adjustment::NoTravel);
            let same =
                |a: &str, b: &str| !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim());
            let same_org = same(&mentee.organisation, &mentor.organisation);
            if same(&mentee.location, &mentor.location) {
                format!("same site ({})", mentor.location.trim())
            } else if same_org && same(&mentee.department, &mentor.department) && !no_travel {
                format!("same department ({})", mentor.department.trim())
            } else if remote_mentee && mentor.remote_ok {
                "both meet remotely".to_owned()
            } else if same_org && !no_travel {
                "travel within the organisation".to_owned()
            } else if no_travel {
                "the mentee cannot travel and remote is not possible".to_owned()
            } else {
                "different organisation, remote not possible".to_owned()
            }
        }
        Factor::RankGap => {
            let scheme = problem.scheme();
            let levels = format!(
                "mentor level {}, mentee level {} ({} scheme)",
                mentor.rank_level,
                mentee.rank_level,
                scheme.direction.as_str()
            );
            let gap = levels_apart(scheme.direction, mentor.rank_level, mentee.rank_level);
            match &scheme.rank_gap_points {
                Some(table) if gap >= 0 => {
                    format!("rank gap {gap}: {} points; {levels}", table.points(gap))
                }
                Some(_) => format!("the wrong way round: {levels}"),
                None => levels,
            }
        }
        Factor::Experience => format!("{} years of service", mentor.years_of_service),
        Factor::Availability => {
            if mentee.availability.is_empty() || mentor.availability.is_empty() {
                "availability not stated".to_owned()
            } else {
                let shared = mentee.availability.shared(mentor.availability);
                if shared.is_empty() {
                    "no shared slot".to_owned()
                } else {
                    format!(
                        "{} shared slot{}: {shared}",
                        shared.len(),
                        if shared.len() == 1 { "" } else { "s" }
                    )
                }
            }
        }
        Factor::Preference => match &mentee.preferred_mentor {
            Some(preferred) if *preferred == mentor.id => {
                "the mentee asked for this mentor".to_owned()
            }
            Some(preferred) => format!("the mentee asked for {preferred}"),
            None => "no preference stated".to_owned(),
        },
        Factor::Diversity => {
            if mentee.diversity_preference.is_empty() {
                "no preference stated".to_owned()
            } else {
                let shared = shared_tags(&mentee.diversity_preference, &mentor.characteristics);
                if shared.is_empty() {
                    "none of the characteristics asked for".to_owned()
                } else {
                    format!("shares {}", shared.join(", "))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
