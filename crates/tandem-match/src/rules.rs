//! The hard rules (R5.1): which pairs may never be proposed, and why, in words.
//!
//! The pair test itself lives in `Compiled` (one implementation for every loop); this module
//! names the rules and explains a refusal rule by rule.

use std::fmt;

use crate::problem::{Direction, ForbidRule, MenteeIdx, MentorIdx, Problem};

/// A hard rule that can forbid a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HardRule {
    /// The mentor and the mentee are the same person.
    SamePerson,
    /// Different organisations in a scheme that is not cross-force.
    CrossForce,
    /// The same organisation in a scheme whose mentors come from another one.
    DifferentOrganisation,
    /// The same department in a scheme whose mentors come from another one.
    DifferentDepartment,
    /// The scheme requires training that one of them has not done.
    Training,
    /// The rank gap points against the scheme's direction, and the scheme enforces it.
    RankDirection,
    /// The rank gap is outside the scheme's levels-apart bounds.
    LevelsApart,
    /// The mentor is in the mentee's line-management chain.
    LineManagement,
    /// A declared conflict of interest.
    ConflictOfInterest,
    /// The mentor is already the mentee's mentor, from before this solve.
    CurrentMentor,
    /// A coordinator forbade the pair.
    Forbidden,
}

impl HardRule {
    /// Every hard rule, in the order they are reported.
    pub const ALL: [HardRule; 11] = [
        HardRule::SamePerson,
        HardRule::CrossForce,
        HardRule::DifferentOrganisation,
        HardRule::DifferentDepartment,
        HardRule::Training,
        HardRule::RankDirection,
        HardRule::LevelsApart,
        HardRule::LineManagement,
        HardRule::ConflictOfInterest,
        HardRule::CurrentMentor,
        HardRule::Forbidden,
    ];

    /// The name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            HardRule::SamePerson => "same_person",
            HardRule::CrossForce => "cross_force",
            HardRule::DifferentOrganisation => "different_organisation",
            HardRule::DifferentDepartment => "different_department",
            HardRule::Training => "training",
            HardRule::RankDirection => "rank_direction",
            HardRule::LevelsApart => "levels_apart",
            HardRule::LineManagement => "line_management",
            HardRule::ConflictOfInterest => "conflict_of_interest",
            HardRule::CurrentMentor => "current_mentor",
            HardRule::Forbidden => "forbidden",
        }
    }
}

impl From<ForbidRule> for HardRule {
    fn from(rule: ForbidRule) -> HardRule {
        match rule {
            ForbidRule::LineManagement => HardRule::LineManagement,
            ForbidRule::ConflictOfInterest => HardRule::ConflictOfInterest,
            ForbidRule::CurrentMentor => HardRule::CurrentMentor,
            ForbidRule::Forbidden => HardRule::Forbidden,
        }
    }
}

impl fmt::Display for HardRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One hard rule a pair breaks, with the facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleViolation {
    /// The rule.
    pub rule: HardRule,
    /// Why, in words.
    pub detail: String,
}

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.detail)
    }
}

/// The hard rules a pair breaks, as a bit set over `HardRule::ALL` positions.
///
/// Cheap enough to call for every mentor when explaining an unmatched mentee.
pub(crate) fn broken_rules(problem: &Problem, mentee_idx: MenteeIdx, mentor_idx: MentorIdx) -> u16 {
    let compiled = problem.compiled();
    let (i, j) = (mentee_idx.index(), mentor_idx.index());
    let rules = problem.rules();
    let mut mask = 0u16;
    let mut set = |rule: HardRule| mask |= 1 << rule as u8;
    if compiled.same_person(i, j) {
        set(HardRule::SamePerson);
    }
    if !rules.cross_force && !compiled.same_organisation(i, j) {
        set(HardRule::CrossForce);
    }
    if rules.different_organisation && compiled.same_organisation(i, j) {
        set(HardRule::DifferentOrganisation);
    }
    if rules.different_department && compiled.same_department(i, j) {
        set(HardRule::DifferentDepartment);
    }
    if rules.training_required && !compiled.both_trained(i, j) {
        set(HardRule::Training);
    }
    if rules.enforce_direction && !compiled.direction_allows(i, j) {
        set(HardRule::RankDirection);
    }
    if !compiled.levels_allow(i, j) {
        set(HardRule::LevelsApart);
    }
    for (forbidden, rule, _) in compiled.forbids_of(i) {
        if forbidden == mentor_idx.0 {
            set(rule.into());
        }
    }
    mask
}

/// Every hard rule the pair breaks, in `HardRule::ALL` order; empty when it is allowed.
pub fn violations(
    problem: &Problem,
    mentee_idx: MenteeIdx,
    mentor_idx: MentorIdx,
) -> Vec<RuleViolation> {
    let mask = broken_rules(problem, mentee_idx, mentor_idx);
    let broken = |rule: HardRule| mask & (1 << rule as u8) != 0;
    let compiled = problem.compiled();
    let i = mentee_idx.index();
    let mentee = problem.mentee(mentee_idx);
    let mentor = problem.mentor(mentor_idx);
    let rules = problem.rules();
    let mut found = Vec::new();
    if broken(HardRule::SamePerson) {
        found.push(RuleViolation {
            rule: HardRule::SamePerson,
            detail: format!("{} cannot mentor themselves", mentor.id),
        });
    }
    if broken(HardRule::CrossForce) {
        found.push(RuleViolation {
            rule: HardRule::CrossForce,
            detail: format!(
                "different organisations ({} and {}) and the scheme is not cross-force",
                mentee.organisation.trim(),
                mentor.organisation.trim()
            ),
        });
    }
    if broken(HardRule::DifferentOrganisation) {
        found.push(RuleViolation {
            rule: HardRule::DifferentOrganisation,
            detail: format!(
                "both are in {}, and the scheme wants a mentor from another organisation",
                mentor.organisation.trim()
            ),
        });
    }
    if broken(HardRule::DifferentDepartment) {
        found.push(RuleViolation {
            rule: HardRule::DifferentDepartment,
            detail: format!(
                "both are in {} of {}, and the scheme wants a mentor from another department",
                mentor.department.trim(),
                mentor.organisation.trim()
            ),
        });
    }
    if broken(HardRule::Training) {
        let who = match (mentee.training_done, mentor.training_done) {
            (false, false) => "neither has done",
            (false, true) => "the mentee has not done",
            _ => "the mentor has not done",
        };
        found.push(RuleViolation {
            rule: HardRule::Training,
            detail: format!("{who} the required training"),
        });
    }
    if broken(HardRule::RankDirection) {
        let wanted = match problem.scheme().direction {
            Direction::Traditional => "above",
            Direction::Reverse => "below",
            Direction::Peer => "within one level of",
        };
        found.push(RuleViolation {
            rule: HardRule::RankDirection,
            detail: format!(
                "mentor level {} is not {wanted} mentee level {} ({} scheme)",
                mentor.rank_level,
                mentee.rank_level,
                problem.scheme().direction.as_str()
            ),
        });
    }
    if broken(HardRule::LevelsApart) {
        found.push(RuleViolation {
            rule: HardRule::LevelsApart,
            detail: levels_apart_words(problem, mentee.rank_level, mentor.rank_level),
        });
    }
    let mut forbids: Vec<(ForbidRule, u32)> = compiled
        .forbids_of(i)
        .filter(|(forbidden, _, _)| *forbidden == mentor_idx.0)
        .map(|(_, rule, position)| (rule, position))
        .collect();
    forbids.sort_unstable();
    forbids.dedup_by_key(|(rule, _)| *rule);
    for (rule, position) in forbids {
        let forbid = &rules.forbids[position as usize];
        let reason = forbid.reason.trim();
        found.push(RuleViolation {
            rule: rule.into(),
            detail: if reason.is_empty() {
                format!("rules.forbids[{position}]")
            } else {
                format!("rules.forbids[{position}]: {reason}")
            },
        });
    }
    found
}

/// "The mentor is 3 ranks above the mentee; this scheme allows 1 to 2".
fn levels_apart_words(problem: &Problem, mentee_rank: u8, mentor_rank: u8) -> String {
    let above = i32::from(mentor_rank) - i32::from(mentee_rank);
    let ranks = |n: i32| format!("{n} rank{}", if n == 1 { "" } else { "s" });
    let stands = match above {
        0 => "the mentor is at the mentee's rank".to_owned(),
        n if n > 0 => format!("the mentor is {} above the mentee", ranks(n)),
        n => format!("the mentor is {} below the mentee", ranks(-n)),
    };
    let side = match problem.scheme().direction {
        Direction::Traditional => "above",
        Direction::Reverse => "below",
        Direction::Peer => "apart",
    };
    let rules = problem.rules();
    let allows = match (rules.min_levels_apart, rules.max_levels_apart) {
        (Some(min), Some(max)) if min == max => format!("exactly {min} {side}"),
        (Some(min), Some(max)) => format!("{min} to {max} {side}"),
        (Some(min), None) => format!("at least {min} {side}"),
        (None, Some(max)) => format!("at most {max} {side}"),
        (None, None) => "any gap".to_owned(),
    };
    format!("{stands}; this scheme allows {allows}")
}
