//! The matching problem: a cohort, the scheme and its hard rules, validated as a whole.
//!
//! `ProblemSpec` is plain data that anyone can build (the JSON reader, the generator, the
//! application from its database); `Problem::new` is the single gate that turns it into a
//! `Problem` or into every reason it is not one. Nothing downstream re-checks.

use std::collections::HashMap;
use std::fmt;

use crate::compiled::Compiled;
use crate::rules::{self, HardRule};
use crate::values::{Availability, PersonId, Tag, Weights};

/// The highest rank level (0 is the most junior).
pub const MAX_RANK_LEVEL: u8 = 20;
/// The most years of service we accept.
pub const MAX_YEARS_OF_SERVICE: u8 = 60;
/// The most mentees a mentor can take; far above any policy, it keeps the arithmetic small.
pub const MAX_CAPACITY: u32 = 10_000;
/// The most mentors one mentee may want (a policy's `mentors_per_mentee` stays within it).
pub const MAX_MENTORS_PER_MENTEE: u8 = 3;
/// The most mentors or mentees in one problem, so indices fit in `u32`.
pub const MAX_PEOPLE: usize = 1_000_000;

/// Which way a scheme wants the rank gap to point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    /// The mentor is above the mentee.
    #[default]
    Traditional,
    /// The mentor is below the mentee (frontline mentors, senior mentees).
    Reverse,
    /// Mentor and mentee are at the same level.
    Peer,
}

impl Direction {
    /// The name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Traditional => "traditional",
            Direction::Reverse => "reverse",
            Direction::Peer => "peer",
        }
    }
}

/// A reasonable adjustment recorded for a mentee (R8.5) that changes how places are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Adjustment {
    /// Meetings may be remote even though the mentee did not say remote is fine.
    RemoteMeetings,
    /// The mentee cannot travel: only the same site or remote meetings count.
    NoTravel,
}

impl Adjustment {
    /// The name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Adjustment::RemoteMeetings => "remote_meetings",
            Adjustment::NoTravel => "no_travel",
        }
    }
}

/// The hard rule a forbidden pair comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum ForbidRule {
    /// The mentor is in the mentee's line-management chain.
    LineManagement,
    /// A declared conflict of interest.
    ConflictOfInterest,
    /// The mentor is already the mentee's mentor (a pair made before this solve): a pair is
    /// made once.
    CurrentMentor,
    /// A coordinator forbade the pair.
    #[default]
    Forbidden,
}

impl ForbidRule {
    /// The name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            ForbidRule::LineManagement => "line_management",
            ForbidRule::ConflictOfInterest => "conflict_of_interest",
            ForbidRule::CurrentMentor => "current_mentor",
            ForbidRule::Forbidden => "forbidden",
        }
    }
}

/// A mentor of the cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentor {
    /// Unique among mentors.
    pub id: PersonId,
    /// How many more mentees this mentor can take (0 is allowed).
    pub capacity: u32,
    /// The force or body the mentor belongs to; required.
    pub organisation: String,
    /// Division, department or command; empty when unknown.
    pub department: String,
    /// Site or station; empty when unknown.
    pub location: String,
    /// Whether the mentor will meet remotely.
    pub remote_ok: bool,
    /// Rank or grade band, 0 (most junior) to 20.
    pub rank_level: u8,
    /// Years of service, 0 to 60.
    pub years_of_service: u8,
    /// Skills and development areas the mentor can support.
    pub topics: Vec<Tag>,
    /// Weekly slots the mentor can meet in.
    pub availability: Availability,
    /// Whether the mentor finished the training the scheme requires.
    pub training_done: bool,
    /// Self-declared characteristics, used only by the diversity factor.
    pub characteristics: Vec<Tag>,
}

/// A mentee of the cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentee {
    /// Unique among mentees.
    pub id: PersonId,
    /// The force or body the mentee belongs to; required.
    pub organisation: String,
    /// Division, department or command; empty when unknown.
    pub department: String,
    /// Site or station; empty when unknown.
    pub location: String,
    /// Whether the mentee will meet remotely.
    pub remote_ok: bool,
    /// Rank or grade band, 0 (most junior) to 20.
    pub rank_level: u8,
    /// Development areas the mentee wants help with.
    pub development_areas: Vec<Tag>,
    /// A mentor the mentee asked for, who must be in the cohort.
    pub preferred_mentor: Option<PersonId>,
    /// Reasonable adjustments that change how places are scored.
    pub adjustments: Vec<Adjustment>,
    /// Weekly slots the mentee can meet in.
    pub availability: Availability,
    /// Whether the mentee finished the training the scheme requires.
    pub training_done: bool,
    /// Characteristics the mentee would like the mentor to share.
    pub diversity_preference: Vec<Tag>,
    /// How many mentors the mentee wants, 1 to `MAX_MENTORS_PER_MENTEE`; pins count
    /// towards it, and the same mentor is never given twice.
    pub mentors: u8,
}

/// What the scheme wants from a pair, and what it optimises first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scheme {
    /// Which way the rank gap should point.
    pub direction: Direction,
    /// The weight of each score factor.
    pub weights: Weights,
    /// Match as many mentees as possible first, then maximise the score; otherwise maximise
    /// the score alone (and match the most mentees among equal scores).
    pub maximise_matched: bool,
    /// Points per rank gap instead of the built-in curve of `rank_gap_points`.
    pub rank_gap_points: Option<RankGapPoints>,
}

/// A scheme's own points per rank gap: for each gap (the levels the mentor stands on the
/// scheme's side of the mentee, 0 to `MAX_RANK_LEVEL`), its points; a gap not listed, or the
/// wrong way round, scores 0. `Problem::new` checks that no entry is above 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RankGapPoints(pub [Option<u8>; MAX_RANK_LEVEL as usize + 1]);

impl RankGapPoints {
    /// The table of these `(gap, points)` entries; gaps above `MAX_RANK_LEVEL` are left out.
    pub fn from_entries(entries: impl IntoIterator<Item = (u8, u8)>) -> RankGapPoints {
        let mut table = RankGapPoints::default();
        for (gap, points) in entries {
            if let Some(slot) = table.0.get_mut(usize::from(gap)) {
                *slot = Some(points);
            }
        }
        table
    }

    /// The listed `(gap, points)` entries, by gap.
    pub fn entries(&self) -> impl Iterator<Item = (u8, u8)> + '_ {
        (0u8..)
            .zip(self.0)
            .filter_map(|(gap, points)| Some((gap, points?)))
    }

    /// The points of a gap in the scheme's direction (negative: the wrong way round).
    pub fn points(&self, gap: i32) -> u8 {
        usize::try_from(gap)
            .ok()
            .and_then(|gap| self.0.get(gap).copied().flatten())
            .unwrap_or(0)
    }
}

/// A pair that must not be proposed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forbid {
    /// The mentee's id.
    pub mentee: PersonId,
    /// The mentor's id.
    pub mentor: PersonId,
    /// The hard rule behind it.
    pub rule: ForbidRule,
    /// Free text for the coordinator, possibly empty.
    pub reason: String,
}

/// A pair that must be part of the answer (R5.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// The mentee's id.
    pub mentee: PersonId,
    /// The mentor's id.
    pub mentor: PersonId,
}

/// The hard rules as data (R5.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rules {
    /// Whether a mentor may come from another organisation.
    pub cross_force: bool,
    /// Whether both people must have finished the scheme's training.
    pub training_required: bool,
    /// Whether a pair against the scheme's direction is forbidden rather than scored low.
    pub enforce_direction: bool,
    /// The fewest levels the mentor must stand on the scheme's side of the mentee.
    pub min_levels_apart: Option<u8>,
    /// The most levels the mentor may stand on the scheme's side of the mentee.
    pub max_levels_apart: Option<u8>,
    /// The mentor must come from another organisation (needs `cross_force`).
    pub different_organisation: bool,
    /// The mentor must come from another department, or another organisation.
    pub different_department: bool,
    /// Forbidden pairs: line management, conflicts of interest, coordinators' forbids.
    pub forbids: Vec<Forbid>,
    /// Pairs that must be kept.
    pub pins: Vec<Pin>,
}

/// Everything a solve needs, unvalidated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProblemSpec {
    /// Direction, weights and objective.
    pub scheme: Scheme,
    /// Hard rules.
    pub rules: Rules,
    /// The mentors, in the order ties are broken by.
    pub mentors: Vec<Mentor>,
    /// The mentees, in the order ties are broken by.
    pub mentees: Vec<Mentee>,
}

/// The position of a mentor in `Problem::mentors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MentorIdx(pub(crate) u32);

/// The position of a mentee in `Problem::mentees`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MenteeIdx(pub(crate) u32);

impl MentorIdx {
    /// The position as a `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl MenteeIdx {
    /// The position as a `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One reason a `ProblemSpec` is not a valid problem, naming where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemError {
    /// Where: e.g. `mentors[3] (MR4).capacity` or `rules.pins[0] (ME1 -> MR2)`.
    pub at: String,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
}

impl fmt::Display for ProblemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// Every reason a problem was refused, check by check (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemErrors(pub Vec<ProblemError>);

impl fmt::Display for ProblemErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(
            f,
            "the problem has {count} error{}",
            if count == 1 { "" } else { "s" }
        )?;
        for error in &self.0 {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProblemErrors {}

/// A validated problem: ids unique, references resolved, values in range, pins feasible.
#[derive(Debug, Clone)]
pub struct Problem {
    spec: ProblemSpec,
    mentor_by_id: HashMap<PersonId, MentorIdx>,
    mentee_by_id: HashMap<PersonId, MenteeIdx>,
    pinned_mentors: Vec<Vec<MentorIdx>>,
    compiled: Compiled,
}

impl Problem {
    /// Validates a spec, reporting every problem found rather than the first.
    pub fn new(spec: ProblemSpec) -> Result<Problem, ProblemErrors> {
        let mut errors = Vec::new();
        if spec.mentors.len() > MAX_PEOPLE || spec.mentees.len() > MAX_PEOPLE {
            errors.push(ProblemError {
                at: "problem".to_owned(),
                message: format!("at most {MAX_PEOPLE} mentors and {MAX_PEOPLE} mentees"),
            });
            return Err(ProblemErrors(errors));
        }
        let mentor_by_id = index_mentors(&spec.mentors, &mut errors);
        let mentee_by_id = index_mentees(&spec.mentees, &mentor_by_id, &mut errors);
        check_policy(&spec.scheme, &spec.rules, &mut errors);
        // Where a reference is, in words, is worked out only for one that is wrong: a file
        // may hold a million forbids.
        for (k, forbid) in spec.rules.forbids.iter().enumerate() {
            let at = || {
                format!(
                    "rules.forbids[{k}] ({} -> {})",
                    forbid.mentee, forbid.mentor
                )
            };
            check_reference(&at, "mentee", &forbid.mentee, &mentee_by_id, &mut errors);
            check_reference(&at, "mentor", &forbid.mentor, &mentor_by_id, &mut errors);
        }
        for (k, pin) in spec.rules.pins.iter().enumerate() {
            let at = || format!("rules.pins[{k}] ({} -> {})", pin.mentee, pin.mentor);
            check_reference(&at, "mentee", &pin.mentee, &mentee_by_id, &mut errors);
            check_reference(&at, "mentor", &pin.mentor, &mentor_by_id, &mut errors);
        }
        if !errors.is_empty() {
            return Err(ProblemErrors(errors));
        }

        let mut problem = Problem {
            compiled: Compiled::new(&spec, &mentor_by_id, &mentee_by_id),
            pinned_mentors: vec![Vec::new(); spec.mentees.len()],
            spec,
            mentor_by_id,
            mentee_by_id,
        };
        problem.resolve_pins(&mut errors);
        if errors.is_empty() {
            problem.compiled.set_pins(&problem.pinned_mentors);
            Ok(problem)
        } else {
            Err(ProblemErrors(errors))
        }
    }

    /// Checks each pin against the hard rules, the other pins and the mentor's capacity.
    fn resolve_pins(&mut self, errors: &mut Vec<ProblemError>) {
        let mut pinned_on_mentor: Vec<Vec<usize>> = vec![Vec::new(); self.spec.mentors.len()];
        let mut pins_of_mentee: Vec<Vec<usize>> = vec![Vec::new(); self.spec.mentees.len()];
        for (k, pin) in self.spec.rules.pins.iter().enumerate() {
            let at = format!("rules.pins[{k}] ({} -> {})", pin.mentee, pin.mentor);
            let (Some(mentee), Some(mentor)) = (
                self.mentee_by_id.get(&pin.mentee).copied(),
                self.mentor_by_id.get(&pin.mentor).copied(),
            ) else {
                continue;
            };
            let violations = rules::violations(self, mentee, mentor);
            if !violations.is_empty() {
                let broken: Vec<String> = violations.iter().map(ToString::to_string).collect();
                errors.push(ProblemError {
                    at,
                    message: format!("the pin breaks a hard rule: {}", broken.join("; ")),
                });
                continue;
            }
            let earlier = &pins_of_mentee[mentee.index()];
            let wanted = self.spec.mentees[mentee.index()].mentors;
            if earlier.len() >= usize::from(wanted) {
                let names: Vec<String> =
                    earlier.iter().map(|e| format!("rules.pins[{e}]")).collect();
                errors.push(ProblemError {
                    at,
                    message: if wanted == 1 {
                        format!(
                            "mentee {} is already pinned by {}: a mentee has at most one mentor",
                            pin.mentee,
                            names.join(", ")
                        )
                    } else {
                        format!(
                            "mentee {} wants {wanted} mentors and is already pinned by {}; remove a pin or raise its mentors",
                            pin.mentee,
                            names.join(", ")
                        )
                    },
                });
                continue;
            }
            if let Some(&same) = earlier
                .iter()
                .find(|&&e| self.spec.rules.pins[e].mentor == pin.mentor)
            {
                errors.push(ProblemError {
                    at,
                    message: format!(
                        "the same pair is already pinned by rules.pins[{same}]: a mentee has a mentor once"
                    ),
                });
                continue;
            }
            pins_of_mentee[mentee.index()].push(k);
            pinned_on_mentor[mentor.index()].push(k);
            self.pinned_mentors[mentee.index()].push(mentor);
        }
        for (mentor, pins) in self.spec.mentors.iter().zip(&pinned_on_mentor) {
            let capacity = mentor.capacity as usize;
            if let Some(&first_over) = pins.get(capacity) {
                let pin = &self.spec.rules.pins[first_over];
                let names: Vec<String> = pins.iter().map(|k| format!("rules.pins[{k}]")).collect();
                errors.push(ProblemError {
                    at: format!(
                        "rules.pins[{first_over}] ({} -> {})",
                        pin.mentee, pin.mentor
                    ),
                    message: format!(
                        "pins exceed the capacity of mentor {} (capacity {capacity}, pinned by {})",
                        mentor.id,
                        names.join(", ")
                    ),
                });
            }
        }
    }

    /// The mentors, in input order.
    pub fn mentors(&self) -> &[Mentor] {
        &self.spec.mentors
    }

    /// The mentees, in input order.
    pub fn mentees(&self) -> &[Mentee] {
        &self.spec.mentees
    }

    /// One mentor.
    pub fn mentor(&self, idx: MentorIdx) -> &Mentor {
        &self.spec.mentors[idx.index()]
    }

    /// One mentee.
    pub fn mentee(&self, idx: MenteeIdx) -> &Mentee {
        &self.spec.mentees[idx.index()]
    }

    /// Every mentor index, in input order.
    pub fn mentor_indices(&self) -> impl Iterator<Item = MentorIdx> + use<> {
        (0..self.spec.mentors.len() as u32).map(MentorIdx)
    }

    /// Every mentee index, in input order.
    pub fn mentee_indices(&self) -> impl Iterator<Item = MenteeIdx> + use<> {
        (0..self.spec.mentees.len() as u32).map(MenteeIdx)
    }

    /// The scheme: direction, weights, objective.
    pub fn scheme(&self) -> &Scheme {
        &self.spec.scheme
    }

    /// The hard rules as given.
    pub fn rules(&self) -> &Rules {
        &self.spec.rules
    }

    /// The spec this problem was built from.
    pub fn spec(&self) -> &ProblemSpec {
        &self.spec
    }

    /// Finds a mentor by id.
    pub fn mentor_index(&self, id: &str) -> Option<MentorIdx> {
        let id = PersonId::parse(id).ok()?;
        self.mentor_by_id.get(&id).copied()
    }

    /// Finds a mentee by id.
    pub fn mentee_index(&self, id: &str) -> Option<MenteeIdx> {
        let id = PersonId::parse(id).ok()?;
        self.mentee_by_id.get(&id).copied()
    }

    /// The mentors a mentee is pinned to (none for most), in the order of the pins.
    pub fn pinned_mentors(&self, mentee: MenteeIdx) -> &[MentorIdx] {
        &self.pinned_mentors[mentee.index()]
    }

    /// Whether a mentee is pinned to this mentor.
    pub fn is_pinned(&self, mentee: MenteeIdx, mentor: MentorIdx) -> bool {
        self.pinned_mentors[mentee.index()].contains(&mentor)
    }

    /// Whether a pair breaks no hard rule.
    pub fn is_feasible(&self, mentee: MenteeIdx, mentor: MentorIdx) -> bool {
        self.compiled.feasible_pair(mentee.index(), mentor.index())
    }

    /// Calls `f` with each mentor the hard rules allow for this mentee, in mentor order, and
    /// the pair's score.
    pub fn for_each_allowed_pair(&self, mentee: MenteeIdx, mut f: impl FnMut(MentorIdx, i32)) {
        let i = mentee.index();
        self.compiled.for_each_allowed(i, false, |j| {
            f(MentorIdx(j as u32), self.compiled.score(i, j));
        });
    }

    /// The hard rules a pair breaks, empty when the pair is allowed.
    pub fn violations(&self, mentee: MenteeIdx, mentor: MentorIdx) -> Vec<rules::RuleViolation> {
        rules::violations(self, mentee, mentor)
    }

    /// Every hard rule that exists, in the order they are reported.
    pub fn hard_rules() -> &'static [HardRule] {
        &HardRule::ALL
    }

    pub(crate) fn compiled(&self) -> &Compiled {
        &self.compiled
    }
}

fn index_mentors(
    mentors: &[Mentor],
    errors: &mut Vec<ProblemError>,
) -> HashMap<PersonId, MentorIdx> {
    let mut by_id = HashMap::with_capacity(mentors.len());
    for (k, mentor) in mentors.iter().enumerate() {
        let at = format!("mentors[{k}] ({})", mentor.id);
        if let Some(first) = by_id.insert(mentor.id.clone(), MentorIdx(k as u32)) {
            by_id.insert(mentor.id.clone(), first);
            errors.push(ProblemError {
                at: format!("{at}.id"),
                message: format!("duplicate id: mentors[{}] has it too", first.index()),
            });
        }
        if mentor.capacity > MAX_CAPACITY {
            errors.push(ProblemError {
                at: format!("{at}.capacity"),
                message: format!("must be from 0 to {MAX_CAPACITY}, got {}", mentor.capacity),
            });
        }
        check_person(&at, &mentor.organisation, mentor.rank_level, errors);
        if mentor.years_of_service > MAX_YEARS_OF_SERVICE {
            errors.push(ProblemError {
                at: format!("{at}.years_of_service"),
                message: format!(
                    "must be from 0 to {MAX_YEARS_OF_SERVICE}, got {}",
                    mentor.years_of_service
                ),
            });
        }
    }
    by_id
}

fn index_mentees(
    mentees: &[Mentee],
    mentor_by_id: &HashMap<PersonId, MentorIdx>,
    errors: &mut Vec<ProblemError>,
) -> HashMap<PersonId, MenteeIdx> {
    let mut by_id = HashMap::with_capacity(mentees.len());
    for (k, mentee) in mentees.iter().enumerate() {
        let at = format!("mentees[{k}] ({})", mentee.id);
        if let Some(first) = by_id.insert(mentee.id.clone(), MenteeIdx(k as u32)) {
            by_id.insert(mentee.id.clone(), first);
            errors.push(ProblemError {
                at: format!("{at}.id"),
                message: format!("duplicate id: mentees[{}] has it too", first.index()),
            });
        }
        check_person(&at, &mentee.organisation, mentee.rank_level, errors);
        if !(1..=MAX_MENTORS_PER_MENTEE).contains(&mentee.mentors) {
            errors.push(ProblemError {
                at: format!("{at}.mentors"),
                message: format!(
                    "must be from 1 to {MAX_MENTORS_PER_MENTEE}, got {}",
                    mentee.mentors
                ),
            });
        }
        if let Some(preferred) = &mentee.preferred_mentor
            && !mentor_by_id.contains_key(preferred)
        {
            errors.push(ProblemError {
                at: format!("{at}.preferred_mentor"),
                message: format!("no mentor has id {preferred}"),
            });
        }
    }
    by_id
}

/// The scheme's own rules and tables: in range and not contradicting each other.
fn check_policy(scheme: &Scheme, rules: &Rules, errors: &mut Vec<ProblemError>) {
    for (field, levels) in [
        ("min_levels_apart", rules.min_levels_apart),
        ("max_levels_apart", rules.max_levels_apart),
    ] {
        if let Some(levels) = levels
            && levels > MAX_RANK_LEVEL
        {
            errors.push(ProblemError {
                at: format!("rules.{field}"),
                message: format!("must be from 0 to {MAX_RANK_LEVEL}, got {levels}"),
            });
        }
    }
    if let (Some(min), Some(max)) = (rules.min_levels_apart, rules.max_levels_apart)
        && min > max
    {
        errors.push(ProblemError {
            at: "rules.max_levels_apart".to_owned(),
            message: format!(
                "must be at least min_levels_apart ({min}), got {max}: no pair could be that far apart"
            ),
        });
    }
    if rules.different_organisation && !rules.cross_force {
        errors.push(ProblemError {
            at: "rules.different_organisation".to_owned(),
            message: "needs cross_force: true; a scheme that is not cross-force pairs people of the same organisation".to_owned(),
        });
    }
    if let Some(table) = &scheme.rank_gap_points {
        for (gap, points) in table.entries() {
            if points > crate::score::MAX_POINTS {
                errors.push(ProblemError {
                    at: format!("scheme.rank_gap_points.{gap}"),
                    message: format!(
                        "must be from 0 to {}, got {points}",
                        crate::score::MAX_POINTS
                    ),
                });
            }
        }
    }
}

fn check_person(at: &str, organisation: &str, rank_level: u8, errors: &mut Vec<ProblemError>) {
    if organisation.trim().is_empty() {
        errors.push(ProblemError {
            at: format!("{at}.organisation"),
            message: "must not be empty".to_owned(),
        });
    }
    if rank_level > MAX_RANK_LEVEL {
        errors.push(ProblemError {
            at: format!("{at}.rank_level"),
            message: format!("must be from 0 to {MAX_RANK_LEVEL}, got {rank_level}"),
        });
    }
}

fn check_reference<T>(
    at: &dyn Fn() -> String,
    role: &str,
    id: &PersonId,
    by_id: &HashMap<PersonId, T>,
    errors: &mut Vec<ProblemError>,
) {
    if !by_id.contains_key(id) {
        errors.push(ProblemError {
            at: format!("{}.{role}", at()),
            message: format!("no {role} has id {id}"),
        });
    }
}
