//! A seeded generator of realistic cohorts, for benchmarks and demonstrations.
//!
//! The same parameters always give the same problem. Density, the share of pairs the hard
//! rules allow, is reached mostly through organisations (a scheme that is not cross-force
//! only pairs people of one force) and the rest through untrained mentors, so a sparse
//! cohort is sparse the way real ones are, not through millions of explicit forbids.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use crate::problem::{
    Adjustment, Direction, Forbid, ForbidRule, Mentee, Mentor, ProblemSpec, Rules, Scheme,
};
use crate::values::{Availability, PersonId, SLOT_NAMES, Tag, ValueError, Weight, Weights};

/// The development areas of the seeds (R3.1), most asked-for first.
pub const TOPICS: [&str; 14] = [
    "leadership",
    "promotion_and_career_progression",
    "confidence",
    "managing_change",
    "team_working",
    "management_challenges",
    "health_and_wellbeing",
    "work_life_balance",
    "diversity_and_inclusion",
    "academic_study",
    "specialist_areas",
    "career_transition",
    "return_to_work",
    "lived_experience",
];

const ORGANISATIONS: [&str; 12] = [
    "police-scotland",
    "cleveland",
    "durham",
    "northumbria",
    "west-yorkshire",
    "merseyside",
    "greater-manchester",
    "thames-valley",
    "kent",
    "avon-and-somerset",
    "south-wales",
    "west-midlands",
];

const DEPARTMENTS: [&str; 8] = [
    "response",
    "cid",
    "roads-policing",
    "custody",
    "public-protection",
    "control-room",
    "people-services",
    "training",
];

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenerateParams {
    /// Number of mentees.
    pub mentees: usize,
    /// Number of mentors.
    pub mentors: usize,
    /// The seed: same seed, same problem.
    pub seed: u64,
    /// Share of pairs the hard rules allow, 0.0 to 1.0.
    pub density: f64,
    /// Mentor capacity is drawn from 1 to this.
    pub max_capacity: u32,
}

impl Default for GenerateParams {
    fn default() -> GenerateParams {
        GenerateParams {
            mentees: 100,
            mentors: 50,
            seed: 1,
            density: 1.0,
            max_capacity: 3,
        }
    }
}

/// A realistic cohort for the parameters, valid by construction.
pub fn generate(params: &GenerateParams) -> Result<ProblemSpec, ValueError> {
    if !(0.0..=1.0).contains(&params.density) {
        return Err(ValueError(format!(
            "density must be from 0 to 1, got {}",
            params.density
        )));
    }
    if params.max_capacity == 0 || params.max_capacity > crate::problem::MAX_CAPACITY {
        return Err(ValueError(format!(
            "the largest capacity must be from 1 to {}, got {}",
            crate::problem::MAX_CAPACITY,
            params.max_capacity
        )));
    }
    if params.mentees > crate::problem::MAX_PEOPLE || params.mentors > crate::problem::MAX_PEOPLE {
        return Err(ValueError(format!(
            "at most {} mentees and mentors",
            crate::problem::MAX_PEOPLE
        )));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    // Density = (1 / organisations) * (share of mentors trained), with forces of equal size.
    let organisations = if params.density <= 0.0 {
        1
    } else {
        ((1.0 / params.density).floor() as usize).max(1)
    };
    let trained_share = (params.density * organisations as f64).min(1.0);
    let organisation_name = |k: usize| match ORGANISATIONS.get(k) {
        Some(name) => (*name).to_owned(),
        None => format!("force-{}", k + 1),
    };

    let mut mentors = Vec::with_capacity(params.mentors);
    for j in 0..params.mentors {
        let organisation = rng.random_range(0..organisations);
        let rank_level = 2 + skewed(&mut rng, 8) as u8;
        mentors.push(Mentor {
            id: id("MR", j),
            capacity: rng.random_range(1..=params.max_capacity),
            organisation: organisation_name(organisation),
            department: DEPARTMENTS[rng.random_range(0..DEPARTMENTS.len())].to_owned(),
            location: site(&organisation_name(organisation), rng.random_range(0..10)),
            remote_ok: rng.random_bool(0.7),
            rank_level,
            years_of_service: rng.random_range(3..=(8 + 3 * rank_level).min(40)),
            topics: topics(&mut rng, 2, 6),
            availability: slots(&mut rng, 3, 8),
            training_done: rng.random_bool(trained_share),
            characteristics: characteristics(&mut rng, 0.3, 0.1),
        });
    }
    let mut mentees = Vec::with_capacity(params.mentees);
    for i in 0..params.mentees {
        let organisation = rng.random_range(0..organisations);
        let mut adjustments = Vec::new();
        if rng.random_bool(0.05) {
            adjustments.push(Adjustment::RemoteMeetings);
        }
        if rng.random_bool(0.02) {
            adjustments.push(Adjustment::NoTravel);
        }
        let preferred_mentor = if params.mentors > 0 && rng.random_bool(0.03) {
            Some(id("MR", rng.random_range(0..params.mentors)))
        } else {
            None
        };
        let wants_diversity = rng.random_bool(0.1);
        mentees.push(Mentee {
            id: id("ME", i),
            organisation: organisation_name(organisation),
            department: DEPARTMENTS[rng.random_range(0..DEPARTMENTS.len())].to_owned(),
            location: site(&organisation_name(organisation), rng.random_range(0..10)),
            remote_ok: rng.random_bool(0.6),
            rank_level: skewed(&mut rng, 7) as u8,
            development_areas: topics(&mut rng, 1, 3),
            preferred_mentor,
            adjustments,
            availability: slots(&mut rng, 2, 6),
            training_done: true,
            diversity_preference: if wants_diversity {
                characteristics(&mut rng, 0.8, 0.3)
            } else {
                Vec::new()
            },
            mentors: 1,
        });
    }

    // Line management and conflicts of interest: a few explicit forbids within a force.
    let mut forbids = Vec::new();
    if params.mentors > 0 {
        for (i, mentee) in mentees.iter().enumerate() {
            let (rule, reason) = match rng.random_range(0..1000) {
                0..20 => (ForbidRule::LineManagement, "line manager"),
                20..25 => (
                    ForbidRule::ConflictOfInterest,
                    "sits on the mentee's promotion board",
                ),
                _ => continue,
            };
            let j = rng.random_range(0..params.mentors);
            if mentors[j].organisation == mentee.organisation {
                forbids.push(Forbid {
                    mentee: id("ME", i),
                    mentor: id("MR", j),
                    rule,
                    reason: reason.to_owned(),
                });
            }
        }
    }

    Ok(ProblemSpec {
        scheme: Scheme {
            direction: Direction::Traditional,
            weights: Weights {
                diversity: Weight::new_clamped(1),
                ..Weights::default()
            },
            maximise_matched: true,
            rank_gap_points: None,
        },
        rules: Rules {
            cross_force: false,
            training_required: true,
            forbids,
            ..Rules::default()
        },
        mentors,
        mentees,
    })
}

pub(crate) fn id(prefix: &str, k: usize) -> PersonId {
    // Letters and digits only: always a valid id.
    PersonId::parse(&format!("{prefix}{:06}", k + 1)).unwrap_or_else(|_| PersonId::placeholder())
}

fn site(organisation: &str, k: usize) -> String {
    format!("{organisation}-site-{}", k + 1)
}

/// A number in `0..n`, small ones more likely (ranks, popular topics).
fn skewed(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let u: f64 = rng.random();
    ((u * u * n as f64) as usize).min(n.saturating_sub(1))
}

fn tag(name: &str) -> Option<Tag> {
    Tag::parse(name).ok()
}

fn topics(rng: &mut ChaCha8Rng, min: usize, max: usize) -> Vec<Tag> {
    let count = rng.random_range(min..=max);
    let mut picked: Vec<usize> = Vec::with_capacity(count);
    while picked.len() < count {
        let k = skewed(rng, TOPICS.len());
        if !picked.contains(&k) {
            picked.push(k);
        }
    }
    // Sorted as a problem file reader sorts them, so a generated problem round-trips.
    let mut tags: Vec<Tag> = picked.iter().filter_map(|&k| tag(TOPICS[k])).collect();
    tags.sort();
    tags
}

fn slots(rng: &mut ChaCha8Rng, min: usize, max: usize) -> Availability {
    // Weekday slots only: that is when most meetings happen.
    let weekday = 15;
    let count = rng.random_range(min..=max);
    let mut names = Vec::with_capacity(count);
    while names.len() < count {
        let name = SLOT_NAMES[rng.random_range(0..weekday)];
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Availability::parse(names).unwrap_or_default()
}

fn characteristics(rng: &mut ChaCha8Rng, woman: f64, bame: f64) -> Vec<Tag> {
    let mut found = Vec::new();
    if rng.random_bool(woman) {
        found.extend(tag("woman"));
    }
    if rng.random_bool(bame) {
        found.extend(tag("ethnic_minority"));
    }
    found.sort();
    found
}
