//! Between a scheme and the policy form: a scheme's policy as the form's values, and the values
//! submitted back as changes, every problem named by its field.

use crate::routes::sign_in::FieldError;
use tandem_app::schemes::SchemeChanges;
use tandem_core::domain::{EmploymentStatus, RoleType};
use tandem_core::policy::{
    Bounds, Eligibility, EligibilityPolicy, MatchWeights, MatchingMode, RankDirection, SchemeKind,
    SchemePolicy, TrainingPolicy,
};
use tandem_core::programme::Scheme;

use crate::form::{Pairs, checked, value, values};

use super::fields::{evaluation_lines, evaluation_of, rank_gap_of, rank_gap_text};

pub(super) fn bounds_pairs(pairs: &mut Pairs, name: &str, bounds: Bounds) {
    pairs.push((
        format!("{name}.min"),
        bounds.min.map(|it| it.to_string()).unwrap_or_default(),
    ));
    pairs.push((
        format!("{name}.max"),
        bounds.max.map(|it| it.to_string()).unwrap_or_default(),
    ));
}

/// The form's pairs for a scheme as it is held.
pub(super) fn pairs_of(scheme: &Scheme) -> Pairs {
    let definition = &scheme.definition;
    let policy = &definition.policy;
    let mut pairs: Pairs = vec![
        ("name".to_owned(), definition.name.clone()),
        ("description".to_owned(), definition.description.clone()),
        (
            "organisational_need".to_owned(),
            definition.organisational_need.clone().unwrap_or_default(),
        ),
        ("kind".to_owned(), policy.kind.as_str().to_owned()),
        ("matching".to_owned(), policy.matching.as_str().to_owned()),
        (
            "rank_direction".to_owned(),
            policy.rank_direction.as_str().to_owned(),
        ),
        (
            "max_mentees_per_mentor".to_owned(),
            policy.max_mentees_per_mentor.to_string(),
        ),
        (
            "mentors_per_mentee".to_owned(),
            policy.mentors_per_mentee.to_string(),
        ),
        (
            "review_every_nth_meeting".to_owned(),
            policy
                .review_every_nth_meeting
                .map(|it| it.to_string())
                .unwrap_or_default(),
        ),
        (
            "mentor_support_group_months".to_owned(),
            policy
                .mentor_support_group_months
                .map(|it| it.to_string())
                .unwrap_or_default(),
        ),
        (
            "min_levels_apart".to_owned(),
            policy
                .min_levels_apart
                .map(|it| it.to_string())
                .unwrap_or_default(),
        ),
        (
            "max_levels_apart".to_owned(),
            policy
                .max_levels_apart
                .map(|it| it.to_string())
                .unwrap_or_default(),
        ),
        ("rank_gap_points".to_owned(), rank_gap_text(policy)),
        ("training.name".to_owned(), policy.training.name.clone()),
        (
            "training.refresher_months".to_owned(),
            policy
                .training
                .refresher_months
                .map(|it| it.to_string())
                .unwrap_or_default(),
        ),
    ];
    for (name, on) in [
        ("cross_force", policy.cross_force),
        ("different_organisation", policy.different_organisation),
        ("different_department", policy.different_department),
        ("dual_roles_allowed", policy.dual_roles_allowed),
        ("extension_allowed", policy.extension_allowed),
        ("review_at_final_meeting", policy.review_at_final_meeting),
        (
            "first_meeting_face_to_face",
            policy.first_meeting_face_to_face,
        ),
        ("line_manager_approval", policy.line_manager_approval),
        (
            "confidential_route_to_coordinator",
            policy.confidential_route_to_coordinator,
        ),
        (
            "ethics_acknowledgement_required",
            policy.ethics_acknowledgement_required,
        ),
        (
            "mentor_statement_of_suitability",
            policy.mentor_statement_of_suitability,
        ),
        ("mentor_agreement", policy.mentor_agreement),
        (
            "organisational_need_required",
            policy.organisational_need_required,
        ),
        ("training.mentor_required", policy.training.mentor_required),
        ("training.mentee_required", policy.training.mentee_required),
        ("training.before_matching", policy.training.before_matching),
        ("training.joint", policy.training.joint),
        ("training.places_rationed", policy.training.places_rationed),
    ] {
        if on {
            pairs.push((name.to_owned(), "true".to_owned()));
        }
    }
    bounds_pairs(&mut pairs, "duration_months", policy.duration_months);
    bounds_pairs(&mut pairs, "sessions", policy.sessions);
    bounds_pairs(&mut pairs, "cadence_weeks", policy.cadence_weeks);
    bounds_pairs(&mut pairs, "session_minutes", policy.session_minutes);
    for (role, eligibility) in [
        ("mentor", &policy.eligibility.mentor),
        ("mentee", &policy.eligibility.mentee),
    ] {
        let name = |field: &str| format!("eligibility.{role}.{field}");
        pairs.extend(
            eligibility
                .role_types
                .iter()
                .map(|it| (name("role_types"), it.as_str().to_owned())),
        );
        pairs.extend(
            eligibility
                .employment_statuses
                .iter()
                .map(|it| (name("employment_statuses"), it.as_str().to_owned())),
        );
        pairs.extend(
            eligibility
                .rank_bands
                .iter()
                .map(|it| (name("rank_bands"), it.clone())),
        );
        for (field, on) in [
            ("exclude_probation", eligibility.exclude_probation),
            (
                "exclude_performance_management",
                eligibility.exclude_performance_management,
            ),
            ("invitation_only", eligibility.invitation_only),
        ] {
            if on {
                pairs.push((name(field), "true".to_owned()));
            }
        }
        pairs.push((
            name("self_declared_gender"),
            eligibility.self_declared_gender.join(", "),
        ));
    }
    let weights = policy.weights;
    for (name, weight) in [
        ("topics", weights.topics),
        ("location", weights.location),
        ("rank", weights.rank),
        ("experience", weights.experience),
        ("availability", weights.availability),
        ("preference", weights.preference),
        ("diversity", weights.diversity),
    ] {
        pairs.push((format!("weights.{name}"), weight.to_string()));
    }
    for (name, setting) in policy.care.settings() {
        pairs.push((format!("care.{name}"), setting.to_string()));
    }
    pairs.push((
        "evaluation".to_owned(),
        evaluation_lines(&policy.evaluation),
    ));
    pairs
}

/// Reads the form into changes, with the problems of fields that do not parse. A field that
/// does not parse keeps its `saved` value in the changes, so the scheme's rules can still be
/// checked on the rest and every problem shown at once.
pub(super) fn changes_of(pairs: &Pairs, saved: &SchemePolicy) -> (SchemeChanges, Vec<FieldError>) {
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut number = |name: &str| -> Option<u32> {
        let raw = value(pairs, name).trim();
        if raw.is_empty() {
            return None;
        }
        raw.parse()
            .map_err(|_| {
                errors.push((
                    name.to_owned(),
                    format!("Enter a whole number, not '{raw}'"),
                ))
            })
            .ok()
    };
    let max_mentees = number("max_mentees_per_mentor");
    let mentors_per_mentee = number("mentors_per_mentee");
    let bounds = |number: &mut dyn FnMut(&str) -> Option<u32>, name: &str| Bounds {
        min: number(&format!("{name}.min")),
        max: number(&format!("{name}.max")),
    };
    let duration_months = bounds(&mut number, "duration_months");
    let sessions = bounds(&mut number, "sessions");
    let cadence_weeks = bounds(&mut number, "cadence_weeks");
    let session_minutes = bounds(&mut number, "session_minutes");
    let review_every_nth_meeting = number("review_every_nth_meeting");
    let mentor_support_group_months = number("mentor_support_group_months");
    let refresher_months = number("training.refresher_months");
    let min_levels_apart = number("min_levels_apart");
    let max_levels_apart = number("max_levels_apart");
    let mut weight = |name: &str| number(&format!("weights.{name}")).unwrap_or(0);
    let weights = MatchWeights {
        topics: weight("topics"),
        location: weight("location"),
        rank: weight("rank"),
        experience: weight("experience"),
        availability: weight("availability"),
        preference: weight("preference"),
        diversity: weight("diversity"),
    };
    let mut care = tandem_core::reminder::CarePolicy::default();
    let mut too_large = Vec::new();
    for (name, _) in care.settings() {
        if let Some(setting) = number(&format!("care.{name}"))
            && !care.set(name, setting)
        {
            too_large.push((
                format!("care.{name}"),
                format!("Enter a smaller number than {setting}"),
            ));
        }
    }
    errors.extend(too_large);
    let mut choice = |name: &str| -> Option<String> {
        let raw = value(pairs, name);
        if raw.is_empty() {
            errors.push((name.to_owned(), "Choose one".to_owned()));
            None
        } else {
            Some(raw.to_owned())
        }
    };
    let (kind, matching, direction) =
        (choice("kind"), choice("matching"), choice("rank_direction"));
    let mut required = |name: &str, found: Option<u32>| {
        if found.is_none() && value(pairs, name).trim().is_empty() {
            errors.push((name.to_owned(), "Enter a number".to_owned()));
        }
        found
    };
    let max_mentees = required("max_mentees_per_mentor", max_mentees);
    let mentors_per_mentee = required("mentors_per_mentee", mentors_per_mentee);
    let eligibility = |role: &str| {
        let name = |field: &str| format!("eligibility.{role}.{field}");
        Eligibility {
            role_types: values(pairs, &name("role_types"))
                .into_iter()
                .filter_map(|it| RoleType::parse(it).ok())
                .collect(),
            employment_statuses: values(pairs, &name("employment_statuses"))
                .into_iter()
                .filter_map(|it| EmploymentStatus::parse(it).ok())
                .collect(),
            exclude_probation: checked(pairs, &name("exclude_probation")),
            exclude_performance_management: checked(pairs, &name("exclude_performance_management")),
            rank_bands: values(pairs, &name("rank_bands"))
                .into_iter()
                .map(str::to_owned)
                .collect(),
            invitation_only: checked(pairs, &name("invitation_only")),
            self_declared_gender: value(pairs, &name("self_declared_gender"))
                .split(',')
                .map(str::trim)
                .filter(|it| !it.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    };
    let evaluation = match evaluation_of(value(pairs, "evaluation")) {
        Ok(questions) => Some(questions),
        Err(message) => {
            errors.push(("evaluation".to_owned(), message));
            None
        }
    };
    let rank_gap_points = match rank_gap_of(value(pairs, "rank_gap_points")) {
        Ok(table) => Some(table),
        Err(message) => {
            errors.push(("rank_gap_points".to_owned(), message));
            None
        }
    };
    // A choice the form never offers (a hand-made request) is named, not guessed at.
    let (kind, matching, direction) = (
        kind.as_deref().map(SchemeKind::parse),
        matching.as_deref().map(MatchingMode::parse),
        direction.as_deref().map(RankDirection::parse),
    );
    for (name, unknown) in [
        ("kind", matches!(kind, Some(None))),
        ("matching", matches!(matching, Some(None))),
        ("rank_direction", matches!(direction, Some(None))),
    ] {
        if unknown {
            errors.push((
                name.to_owned(),
                "Choose one of the options shown".to_owned(),
            ));
        }
    }
    let policy = SchemePolicy {
        kind: kind.flatten().unwrap_or(saved.kind),
        matching: matching.flatten().unwrap_or(saved.matching),
        rank_direction: direction.flatten().unwrap_or(saved.rank_direction),
        cross_force: checked(pairs, "cross_force"),
        different_organisation: checked(pairs, "different_organisation"),
        different_department: checked(pairs, "different_department"),
        min_levels_apart,
        max_levels_apart,
        max_mentees_per_mentor: max_mentees.unwrap_or(saved.max_mentees_per_mentor),
        mentors_per_mentee: mentors_per_mentee.unwrap_or(saved.mentors_per_mentee),
        line_manager_approval: checked(pairs, "line_manager_approval"),
        confidential_route_to_coordinator: checked(pairs, "confidential_route_to_coordinator"),
        dual_roles_allowed: checked(pairs, "dual_roles_allowed"),
        organisational_need_required: checked(pairs, "organisational_need_required"),
        first_meeting_face_to_face: checked(pairs, "first_meeting_face_to_face"),
        ethics_acknowledgement_required: checked(pairs, "ethics_acknowledgement_required"),
        mentor_statement_of_suitability: checked(pairs, "mentor_statement_of_suitability"),
        mentor_agreement: checked(pairs, "mentor_agreement"),
        extension_allowed: checked(pairs, "extension_allowed"),
        review_every_nth_meeting,
        review_at_final_meeting: checked(pairs, "review_at_final_meeting"),
        mentor_support_group_months,
        duration_months,
        sessions,
        cadence_weeks,
        session_minutes,
        training: TrainingPolicy {
            name: value(pairs, "training.name").trim().to_owned(),
            mentor_required: checked(pairs, "training.mentor_required"),
            mentee_required: checked(pairs, "training.mentee_required"),
            before_matching: checked(pairs, "training.before_matching"),
            joint: checked(pairs, "training.joint"),
            places_rationed: checked(pairs, "training.places_rationed"),
            refresher_months,
        },
        eligibility: EligibilityPolicy {
            mentor: eligibility("mentor"),
            mentee: eligibility("mentee"),
        },
        weights,
        rank_gap_points: rank_gap_points.unwrap_or_else(|| saved.rank_gap_points.clone()),
        care,
        evaluation: evaluation.unwrap_or_else(|| saved.evaluation.clone()),
    };
    let need = value(pairs, "organisational_need").trim();
    let changes = SchemeChanges {
        name: value(pairs, "name").to_owned(),
        description: value(pairs, "description").to_owned(),
        organisational_need: (!need.is_empty()).then(|| need.to_owned()),
        policy,
    };
    let errors = errors
        .into_iter()
        .map(|(field, message)| FieldError {
            field: field.replace('.', "-"),
            message,
        })
        .collect();
    (changes, errors)
}
