//! A seeded cross-organisation network cohort: the shape of the mentoring schemes that
//! networks of many organisations run, and the cohort the comparison used.
//!
//! Its rules are policy, never forbids: the mentor comes from another organisation and stands
//! one or two grades above the mentee, a gap of two scores more than a gap of one, the same
//! profession scores, a shared identity scores, and each mentee has up to three mentors while
//! each mentor takes up to three mentees. A 5,000 × 5,000 cohort is a few megabytes of
//! problem, not seventeen million forbidden pairs.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use crate::generate::id;
use crate::problem::{
    Direction, MAX_MENTORS_PER_MENTEE, Mentee, Mentor, ProblemSpec, Rules, Scheme,
};
use crate::values::{Availability, Tag, ValueError, Weight, Weights};
use crate::{MAX_CAPACITY, RankGapPoints};

/// The professions of the network: a mentee's and a mentor's profession is their one topic,
/// so the topic factor scores 100 for the same profession and 0 for another.
const PROFESSIONS: [&str; 10] = [
    "policy",
    "operational_delivery",
    "digital",
    "finance",
    "human_resources",
    "project_delivery",
    "commercial",
    "legal",
    "analysis",
    "communications",
];

/// Identities a person may declare and wish to share with a mentor.
const IDENTITIES: [(&str, f64); 4] = [
    ("woman", 0.5),
    ("ethnic_minority", 0.15),
    ("disabled", 0.12),
    ("lgbt", 0.07),
];

/// Grades from 0 (most junior) to this; mentees sit low, mentors high.
const TOP_GRADE: u8 = 7;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkParams {
    /// Number of mentees.
    pub mentees: usize,
    /// Number of mentors.
    pub mentors: usize,
    /// The seed: same seed, same cohort.
    pub seed: u64,
    /// Organisations in the network (at least 2, so every mentee has someone to ask).
    pub organisations: usize,
    /// Mentors each mentee wants, 1 to `MAX_MENTORS_PER_MENTEE`.
    pub mentors_per_mentee: u8,
    /// Mentees each mentor takes, 1 to `MAX_CAPACITY`.
    pub mentor_capacity: u32,
}

impl Default for NetworkParams {
    fn default() -> NetworkParams {
        NetworkParams {
            mentees: 500,
            mentors: 500,
            seed: 1,
            organisations: 20,
            mentors_per_mentee: 3,
            mentor_capacity: 3,
        }
    }
}

/// A network cohort for the parameters, valid by construction.
pub fn generate_network(params: &NetworkParams) -> Result<ProblemSpec, ValueError> {
    if params.organisations < 2 {
        return Err(ValueError(format!(
            "a network needs at least 2 organisations, got {}",
            params.organisations
        )));
    }
    if !(1..=MAX_MENTORS_PER_MENTEE).contains(&params.mentors_per_mentee) {
        return Err(ValueError(format!(
            "mentors per mentee must be from 1 to {MAX_MENTORS_PER_MENTEE}, got {}",
            params.mentors_per_mentee
        )));
    }
    if !(1..=MAX_CAPACITY).contains(&params.mentor_capacity) {
        return Err(ValueError(format!(
            "a mentor's capacity must be from 1 to {MAX_CAPACITY}, got {}",
            params.mentor_capacity
        )));
    }
    if params.mentees > crate::problem::MAX_PEOPLE || params.mentors > crate::problem::MAX_PEOPLE {
        return Err(ValueError(format!(
            "at most {} mentees and mentors",
            crate::problem::MAX_PEOPLE
        )));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let person = |rng: &mut ChaCha8Rng, lowest: u8, highest: u8| {
        let organisation = format!("department-{}", rng.random_range(1..=params.organisations));
        let grade = rng.random_range(lowest..=highest);
        let profession = Tag::parse(PROFESSIONS[rng.random_range(0..PROFESSIONS.len())]).ok();
        let identities: Vec<Tag> = IDENTITIES
            .iter()
            .filter(|(_, share)| rng.random_bool(*share))
            .filter_map(|(name, _)| Tag::parse(name).ok())
            .collect();
        (organisation, grade, profession, identities)
    };

    let mut mentors = Vec::with_capacity(params.mentors);
    for j in 0..params.mentors {
        let (organisation, rank_level, profession, mut characteristics) =
            person(&mut rng, 1, TOP_GRADE);
        characteristics.sort();
        mentors.push(Mentor {
            id: id("MR", j),
            capacity: params.mentor_capacity,
            organisation,
            department: String::new(),
            location: String::new(),
            remote_ok: true,
            rank_level,
            years_of_service: rng.random_range(3..=30),
            topics: profession.into_iter().collect(),
            availability: Availability::default(),
            training_done: true,
            characteristics,
        });
    }
    let mut mentees = Vec::with_capacity(params.mentees);
    for i in 0..params.mentees {
        let (organisation, rank_level, profession, mut identities) =
            person(&mut rng, 0, TOP_GRADE - 1);
        identities.sort();
        mentees.push(Mentee {
            id: id("ME", i),
            organisation,
            department: String::new(),
            location: String::new(),
            remote_ok: true,
            rank_level,
            development_areas: profession.into_iter().collect(),
            preferred_mentor: None,
            adjustments: Vec::new(),
            availability: Availability::default(),
            training_done: true,
            // A mentee who declared an identity would like a mentor who shares it.
            diversity_preference: identities,
            mentors: params.mentors_per_mentee,
        });
    }

    let off = Weight::new_clamped(0);
    let on = Weight::new_clamped(1);
    Ok(ProblemSpec {
        scheme: Scheme {
            direction: Direction::Traditional,
            weights: Weights {
                topic_fit: on,
                location_fit: off,
                rank_gap: on,
                experience: off,
                availability: off,
                preference: off,
                diversity: on,
            },
            maximise_matched: true,
            rank_gap_points: Some(RankGapPoints::from_entries([(1, 75), (2, 100)])),
        },
        rules: Rules {
            cross_force: true,
            training_required: false,
            enforce_direction: true,
            min_levels_apart: Some(1),
            max_levels_apart: Some(2),
            different_organisation: true,
            different_department: false,
            forbids: Vec::new(),
            pins: Vec::new(),
        },
        mentors,
        mentees,
    })
}
