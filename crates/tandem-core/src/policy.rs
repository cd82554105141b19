//! A scheme's policy (REQUIREMENTS R2.1): every number and switch of a programme, as data.
//!
//! Rules read the policy; no rule branches on a programme's name. A policy arrives as TOML
//! (a preset or a coordinator's edit) and is checked as a whole: [`SchemePolicy::problems`]
//! names each field that is wrong and the range it must be in.

use crate::domain::{EmploymentStatus, RankBands, RoleType};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The kind of scheme, as programmes describe themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemeKind {
    /// An experienced person mentors a less experienced one.
    Traditional,
    /// A frontline mentor and a senior mentee, for a named organisational need.
    Reverse,
    /// Peers of the same rank band, the mentor more experienced in it.
    Peer,
    /// A network's scheme for its members (e.g. the women's chief officer network).
    Network,
    /// Someone who went through a process recently supports someone going through it.
    Buddy,
    /// A scheme open across forces.
    CrossForce,
    /// A scheme open to community and external participants.
    Community,
}

/// Who forms the pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchingMode {
    /// The mentee picks a mentor with free capacity from the directory.
    SelfSelect,
    /// Divisional champions match.
    Champion,
    /// The programme coordinator matches.
    Coordinator,
    /// The coordinator invites eligible people and offers them a mentor.
    Invitation,
}

/// Which way the rank gap must point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankDirection {
    /// The mentor is more senior than the mentee.
    MentorSenior,
    /// The mentor is more junior than the mentee (reverse mentoring).
    MentorJunior,
    /// The same rank band.
    Peer,
    /// Rank does not matter.
    Any,
}

/// An optional lower and upper limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    /// Lower limit, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// Upper limit, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl Bounds {
    /// Neither limit is set.
    pub fn is_unset(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }
}

/// Training a scheme requires (R4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingPolicy {
    /// What the training is called (e.g. "Moodle mentoring module").
    #[serde(default)]
    pub name: String,
    /// Mentors must complete it.
    #[serde(default)]
    pub mentor_required: bool,
    /// Mentees must complete it.
    #[serde(default)]
    pub mentee_required: bool,
    /// Matching is blocked until it is done.
    #[serde(default)]
    pub before_matching: bool,
    /// Mentor and mentee train together (reverse schemes).
    #[serde(default)]
    pub joint: bool,
    /// Places are rationed: over-subscription goes to a waiting list ordered by the
    /// coordinator's priority, then by date.
    #[serde(default)]
    pub places_rationed: bool,
    /// Months after which a refresher is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresher_months: Option<u32>,
}

/// Who may take part in one role (mentor or mentee), and the scheme's audience for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// Kinds of worker admitted.
    pub role_types: Vec<RoleType>,
    /// Employment statuses admitted.
    pub employment_statuses: Vec<EmploymentStatus>,
    /// Refuse people on probation.
    #[serde(default)]
    pub exclude_probation: bool,
    /// Refuse people under performance management.
    #[serde(default)]
    pub exclude_performance_management: bool,
    /// Rank bands admitted (band codes of the organisation's mapping); empty admits every band.
    #[serde(default)]
    pub rank_bands: Vec<String>,
    /// Only people on the scheme's invitation list.
    #[serde(default)]
    pub invitation_only: bool,
    /// Self-declared sex or gender identity admitted (matched ignoring case); empty admits all.
    #[serde(default)]
    pub self_declared_gender: Vec<String>,
}

/// Eligibility for each role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibilityPolicy {
    /// Who may mentor.
    pub mentor: Eligibility,
    /// Who may be mentored.
    pub mentee: Eligibility,
}

/// Weights of the matching score factors (R5.2), each 0 to 100; the coordinator sees and tunes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchWeights {
    /// Skills offered against development areas wanted.
    pub topics: u32,
    /// Same site or division, travel, or remote acceptable.
    pub location: u32,
    /// Rank gap in the scheme's direction.
    pub rank: u32,
    /// The mentor's experience.
    pub experience: u32,
    /// Availability overlap.
    pub availability: u32,
    /// A mentee's stated preference for a mentor.
    pub preference: u32,
    /// Diversity preferences, where the scheme asks for them.
    pub diversity: u32,
}

impl Default for MatchWeights {
    fn default() -> Self {
        Self {
            topics: 40,
            location: 20,
            rank: 15,
            experience: 10,
            availability: 10,
            preference: 5,
            diversity: 0,
        }
    }
}

fn yes() -> bool {
    true
}

fn is_false(value: &bool) -> bool {
    !value
}

/// The widest rank gap a policy may name: rank bands' levels run from 0 to 20.
pub const MAX_LEVELS_APART: u32 = 20;

/// Everything that makes one scheme run the way its programme says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemePolicy {
    /// The kind of scheme.
    pub kind: SchemeKind,
    /// Who forms pairs.
    pub matching: MatchingMode,
    /// Which way the rank gap points (enforced at matching, R2.3).
    pub rank_direction: RankDirection,
    /// Pairs may come from different organisations; their meetings default to remote.
    pub cross_force: bool,
    /// The mentor must come from another organisation than the mentee's (needs `cross_force`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub different_organisation: bool,
    /// The mentor must come from another department (division or command) than the mentee's.
    #[serde(default, skip_serializing_if = "is_false")]
    pub different_department: bool,
    /// The fewest rank levels the mentor stands from the mentee, counted in the scheme's
    /// direction (above for `mentor_senior`, below for `mentor_junior`, either way for `peer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_levels_apart: Option<u32>,
    /// The most rank levels the mentor stands from the mentee, counted as `min_levels_apart`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_levels_apart: Option<u32>,
    /// Most mentees a mentor has at one time.
    pub max_mentees_per_mentor: u32,
    /// Mentors a mentee has at one time.
    pub mentors_per_mentee: u32,
    /// Mentors and mentees need their line manager's authorisation.
    pub line_manager_approval: bool,
    /// A mentee who cannot go through their manager may go to the coordinator in confidence.
    #[serde(default = "yes")]
    pub confidential_route_to_coordinator: bool,
    /// A person may be a mentor and a mentee at the same time.
    pub dual_roles_allowed: bool,
    /// The scheme must record the organisational development need it serves.
    #[serde(default)]
    pub organisational_need_required: bool,
    /// The first meeting is face to face unless the pair is cross-force or an adjustment applies.
    #[serde(default = "yes")]
    pub first_meeting_face_to_face: bool,
    /// Both parties acknowledge the ethics statement before a match is confirmed.
    #[serde(default = "yes")]
    pub ethics_acknowledgement_required: bool,
    /// Mentors sign a statement of suitability.
    #[serde(default)]
    pub mentor_statement_of_suitability: bool,
    /// Mentors sign a mentor's agreement.
    #[serde(default)]
    pub mentor_agreement: bool,
    /// A relationship may continue past the maximum duration if an extension is agreed.
    #[serde(default)]
    pub extension_allowed: bool,
    /// A progress review is due every Nth meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_every_nth_meeting: Option<u32>,
    /// A progress review is due at the final meeting.
    #[serde(default)]
    pub review_at_final_meeting: bool,
    /// Months between the mentor support-group meetings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor_support_group_months: Option<u32>,
    /// Length of a relationship in months.
    #[serde(default, skip_serializing_if = "Bounds::is_unset")]
    pub duration_months: Bounds,
    /// Number of sessions agreed.
    #[serde(default, skip_serializing_if = "Bounds::is_unset")]
    pub sessions: Bounds,
    /// Weeks between sessions.
    #[serde(default, skip_serializing_if = "Bounds::is_unset")]
    pub cadence_weeks: Bounds,
    /// Length of a session in minutes.
    #[serde(default, skip_serializing_if = "Bounds::is_unset")]
    pub session_minutes: Bounds,
    /// Training required.
    pub training: TrainingPolicy,
    /// Who may take part.
    pub eligibility: EligibilityPolicy,
    /// Matching score weights.
    #[serde(default)]
    pub weights: MatchWeights,
    /// Points (0 to 100) per rank gap, replacing the built-in curve: the gap (levels apart in
    /// the scheme's direction, written as a key) to its points, e.g. `{ 1 = 75, 2 = 100 }`; a
    /// gap not listed scores 0. Empty keeps the built-in curve.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rank_gap_points: BTreeMap<String, u32>,
    /// When the product reminds people and tells the coordinators (R6.4, R7.3, R11.2).
    #[serde(default)]
    pub care: crate::reminder::CarePolicy,
    /// The confidential evaluation each member answers when the relationship closes (R6.6).
    #[serde(
        default = "crate::relationship::default_questions",
        skip_serializing_if = "is_default_evaluation"
    )]
    pub evaluation: Vec<crate::relationship::EvaluationQuestion>,
}

fn is_default_evaluation(questions: &[crate::relationship::EvaluationQuestion]) -> bool {
    questions == crate::relationship::default_questions().as_slice()
}

/// One thing wrong with a policy: the field (as a dotted path) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    /// The field, e.g. `max_mentees_per_mentor` or `eligibility.mentee.rank_bands`.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

struct Checker {
    problems: Vec<PolicyProblem>,
}

impl Checker {
    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.problems.push(PolicyProblem {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn range(&mut self, field: &str, value: u32, min: u32, max: u32) {
        if !(min..=max).contains(&value) {
            self.fail(
                field,
                format!("{value} is out of range; allowed {min} to {max}"),
            );
        }
    }

    fn optional(&mut self, field: &str, value: Option<u32>, min: u32, max: u32) {
        if let Some(value) = value {
            self.range(field, value, min, max);
        }
    }

    fn bounds(&mut self, field: &str, bounds: Bounds, min: u32, max: u32) {
        self.optional(&format!("{field}.min"), bounds.min, min, max);
        self.optional(&format!("{field}.max"), bounds.max, min, max);
        if let (Some(low), Some(high)) = (bounds.min, bounds.max)
            && low > high
        {
            self.fail(
                field,
                format!("the lower limit ({low}) is above the upper limit ({high}); lower the first or raise the second"),
            );
        }
    }

    fn eligibility(&mut self, role: &str, eligibility: &Eligibility) {
        if eligibility.role_types.is_empty() {
            self.fail(
                &format!("eligibility.{role}.role_types"),
                "admits nobody; choose at least one kind of worker",
            );
        }
        if eligibility.employment_statuses.is_empty() {
            self.fail(
                &format!("eligibility.{role}.employment_statuses"),
                "admits nobody; choose at least one employment status, usually serving",
            );
        }
        if eligibility
            .self_declared_gender
            .iter()
            .any(|gender| gender.trim().is_empty())
        {
            self.fail(
                &format!("eligibility.{role}.self_declared_gender"),
                "has an empty entry between two commas; remove it",
            );
        }
    }
}

impl SchemePolicy {
    /// Every problem with the policy on its own; empty when it is valid.
    pub fn problems(&self) -> Vec<PolicyProblem> {
        let mut check = Checker {
            problems: Vec::new(),
        };
        check.range("max_mentees_per_mentor", self.max_mentees_per_mentor, 1, 10);
        check.range("mentors_per_mentee", self.mentors_per_mentee, 1, 3);
        check.optional(
            "review_every_nth_meeting",
            self.review_every_nth_meeting,
            1,
            20,
        );
        check.optional(
            "mentor_support_group_months",
            self.mentor_support_group_months,
            1,
            24,
        );
        check.bounds("duration_months", self.duration_months, 1, 60);
        check.bounds("sessions", self.sessions, 1, 100);
        check.bounds("cadence_weeks", self.cadence_weeks, 1, 52);
        check.bounds("session_minutes", self.session_minutes, 15, 480);
        let care = &self.care;
        check.range("care.first_meeting_days", care.first_meeting_days, 1, 180);
        check.range(
            "care.first_meeting_escalate_days",
            care.first_meeting_escalate_days,
            1,
            365,
        );
        if care.first_meeting_escalate_days < care.first_meeting_days {
            check.fail(
                "care.first_meeting_escalate_days",
                format!(
                    "{} is sooner than the mentor's reminder ({} days); tell the coordinators after it",
                    care.first_meeting_escalate_days, care.first_meeting_days
                ),
            );
        }
        check.range("care.end_warning_days", care.end_warning_days, 1, 180);
        check.range(
            "care.inactivity_margin_weeks",
            care.inactivity_margin_weeks,
            1,
            26,
        );
        check.range("care.closure_after_weeks", care.closure_after_weeks, 4, 104);
        check.range("care.pulse_first_days", care.pulse_first_days, 0, 365);
        check.range("care.pulse_every_days", care.pulse_every_days, 14, 365);
        check.range(
            "care.pulse_low_score",
            u32::from(care.pulse_low_score),
            1,
            4,
        );
        check.optional(
            "training.refresher_months",
            self.training.refresher_months,
            1,
            60,
        );
        for (field, weight) in [
            ("weights.topics", self.weights.topics),
            ("weights.location", self.weights.location),
            ("weights.rank", self.weights.rank),
            ("weights.experience", self.weights.experience),
            ("weights.availability", self.weights.availability),
            ("weights.preference", self.weights.preference),
            ("weights.diversity", self.weights.diversity),
        ] {
            check.range(field, weight, 0, 100);
        }
        let weights = self.weights;
        if weights.topics
            + weights.location
            + weights.rank
            + weights.experience
            + weights.availability
            + weights.preference
            + weights.diversity
            == 0
        {
            check.fail("weights", "every weight is 0; give at least one factor a weight so matching can prefer better pairs");
        }
        self.pairing_problems(&mut check);
        for (field, message) in crate::relationship::question_problems(&self.evaluation) {
            check.fail(&field, message);
        }
        if let (Some(every), Some(most)) = (self.review_every_nth_meeting, self.sessions.max)
            && every > most
        {
            check.fail(
                "review_every_nth_meeting",
                format!("{every} is more than the most sessions a pair has ({most}), so no review would ever fall due"),
            );
        }
        match self.kind {
            SchemeKind::Reverse => {
                if self.rank_direction != RankDirection::MentorJunior {
                    check.fail("rank_direction", "a reverse scheme pairs a junior mentor with a senior mentee; choose a mentor more junior than the mentee");
                }
                if !self.organisational_need_required {
                    check.fail(
                        "organisational_need_required",
                        "a reverse scheme records the organisational development need it serves; require the scheme to record it",
                    );
                }
            }
            SchemeKind::Peer if self.rank_direction != RankDirection::Peer => {
                check.fail(
                    "rank_direction",
                    "a peer scheme pairs people of the same rank band; choose the same rank band",
                );
            }
            _ => {}
        }
        let training = &self.training;
        let required = training.mentor_required || training.mentee_required;
        if required && training.name.trim().is_empty() {
            check.fail(
                "training.name",
                "name the required training so people know what to complete",
            );
        }
        if training.joint && !(training.mentor_required && training.mentee_required) {
            check.fail(
                "training.joint",
                "joint training needs both mentors and mentees to complete it; require it of both",
            );
        }
        if training.before_matching && !required {
            check.fail("training.before_matching", "no training is required, so nothing can block matching; require it for mentors or mentees");
        }
        if self.matching == MatchingMode::SelfSelect && self.eligibility.mentee.invitation_only {
            check.fail("matching", "mentees choose their own mentor, but only invited mentees may join; choose matching by invitation");
        }
        check.eligibility("mentor", &self.eligibility.mentor);
        check.eligibility("mentee", &self.eligibility.mentee);
        check.problems
    }

    /// The rules on who may be paired with whom, and the rank gap table.
    fn pairing_problems(&self, check: &mut Checker) {
        check.optional(
            "min_levels_apart",
            self.min_levels_apart,
            0,
            MAX_LEVELS_APART,
        );
        check.optional(
            "max_levels_apart",
            self.max_levels_apart,
            0,
            MAX_LEVELS_APART,
        );
        if let (Some(min), Some(max)) = (self.min_levels_apart, self.max_levels_apart)
            && min > max
        {
            check.fail(
                "max_levels_apart",
                format!("{max} is below the fewest ranks between mentor and mentee ({min}), so no pair could be matched; make it at least {min}"),
            );
        }
        if self.rank_direction == RankDirection::Any {
            for (field, set) in [
                ("min_levels_apart", self.min_levels_apart.is_some()),
                ("max_levels_apart", self.max_levels_apart.is_some()),
                ("rank_gap_points", !self.rank_gap_points.is_empty()),
            ] {
                if set {
                    check.fail(field, "rank does not matter in this scheme, so there is no direction to count ranks in; choose a rank direction, or leave this empty");
                }
            }
        }
        if self.different_organisation && !self.cross_force {
            check.fail("different_organisation", "mentors from another organisation need pairs from different organisations allowed; allow them too");
        }
        // One field holds the whole table, so each problem names its gap.
        for (gap, points) in &self.rank_gap_points {
            match gap.trim().parse::<u32>() {
                Ok(levels) if levels <= MAX_LEVELS_APART => {
                    if *points > 100 {
                        check.fail(
                            "rank_gap_points",
                            format!("gap {levels}: {points} points is out of range; allowed 0 to 100"),
                        );
                    }
                }
                _ => check.fail(
                    "rank_gap_points",
                    format!("'{gap}' is not a rank gap; write the ranks apart as a whole number from 0 to {MAX_LEVELS_APART}"),
                ),
            }
        }
    }

    /// The rank gap table as `(gap, points)`, by gap; entries that are not valid are left out.
    pub fn rank_gap_table(&self) -> Vec<(u32, u32)> {
        let mut table: Vec<(u32, u32)> = self
            .rank_gap_points
            .iter()
            .filter_map(|(gap, points)| Some((gap.trim().parse().ok()?, *points)))
            .filter(|(gap, points)| *gap <= MAX_LEVELS_APART && *points <= 100)
            .collect();
        table.sort_unstable();
        table
    }

    /// Problems that depend on the organisation: rank bands the policy names must exist.
    pub fn problems_in(&self, bands: &RankBands) -> Vec<PolicyProblem> {
        let mut problems = Vec::new();
        for (role, eligibility) in [
            ("mentor", &self.eligibility.mentor),
            ("mentee", &self.eligibility.mentee),
        ] {
            for code in &eligibility.rank_bands {
                if bands.band(code).is_none() {
                    let known: Vec<&str> = bands
                        .bands()
                        .iter()
                        .map(|band| band.name.as_str())
                        .collect();
                    problems.push(PolicyProblem {
                        field: format!("eligibility.{role}.rank_bands"),
                        message: format!(
                            "admits the rank band '{code}', which the organisation does not have; choose from {}",
                            known.join(", ")
                        ),
                    });
                }
            }
        }
        problems
    }

    /// Parses a policy from TOML and checks it.
    pub fn from_toml(text: &str) -> Result<Self, Vec<PolicyProblem>> {
        let policy: Self = toml::from_str(text).map_err(|err| vec![toml_problem(text, &err)])?;
        let problems = policy.problems();
        if problems.is_empty() {
            Ok(policy)
        } else {
            Err(problems)
        }
    }

    /// The policy as TOML; [`SchemePolicy::from_toml`] reads it back unchanged.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a policy is plain tables and always serialises")
    }
}

/// Turns a TOML error into a problem that names the line and, where serde knows it, the field.
pub(crate) fn toml_problem(text: &str, err: &toml::de::Error) -> PolicyProblem {
    let field = match err.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before
                .rsplit('\n')
                .next()
                .map_or(0, |it| it.chars().count())
                + 1;
            format!("line {line}, column {column}")
        }
        None => "policy".to_owned(),
    };
    PolicyProblem {
        field,
        message: err.message().trim().to_owned(),
    }
}

/// The tokens of a policy enumeration, as policy files and forms write them.
macro_rules! tokens {
    ($name:ident { $($variant:ident => $token:literal),* $(,)? }) => {
        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The token (`snake_case`, as in policy files).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $token),*
                }
            }

            /// The value of a token, if it is one.
            pub fn parse(token: &str) -> Option<Self> {
                match token {
                    $($token => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

tokens!(SchemeKind {
    Traditional => "traditional",
    Reverse => "reverse",
    Peer => "peer",
    Network => "network",
    Buddy => "buddy",
    CrossForce => "cross_force",
    Community => "community",
});

tokens!(MatchingMode {
    SelfSelect => "self_select",
    Champion => "champion",
    Coordinator => "coordinator",
    Invitation => "invitation",
});

tokens!(RankDirection {
    MentorSenior => "mentor_senior",
    MentorJunior => "mentor_junior",
    Peer => "peer",
    Any => "any",
});

#[cfg(test)]
mod token_tests {
    use super::*;

    #[test]
    fn tokens_match_the_policy_file_spelling() {
        for kind in SchemeKind::ALL {
            let written = toml::to_string(&BTreeMap::from([("kind", kind)])).unwrap();
            assert_eq!(written.trim(), format!("kind = \"{}\"", kind.as_str()));
            assert_eq!(SchemeKind::parse(kind.as_str()), Some(*kind));
        }
        for mode in MatchingMode::ALL {
            assert_eq!(MatchingMode::parse(mode.as_str()), Some(*mode));
        }
        for direction in RankDirection::ALL {
            assert_eq!(RankDirection::parse(direction.as_str()), Some(*direction));
        }
        assert_eq!(RankDirection::parse("sideways"), None);
    }
}

#[cfg(test)]
mod message_tests;
