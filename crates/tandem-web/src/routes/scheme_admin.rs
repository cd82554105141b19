//! Managing an organisation's schemes: create one from a preset, change its policy field by
//! field (every problem named next to its field), open or close it for applications.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::routes::people::capitalise;
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::schemes::{self, SchemeChanges};
use tandem_core::domain::{EmploymentStatus, RankBands, RoleType, SchemeKey};
use tandem_core::policy::{
    Bounds, Eligibility, EligibilityPolicy, MatchWeights, MatchingMode, RankDirection, SchemeKind,
    SchemePolicy, TrainingPolicy,
};
use tandem_core::programme::{Scheme, SchemeStatus};

use crate::form::{Pairs, checked, value, values};

// ----- The form's fields ---------------------------------------------------------------------

/// One choice of a radio, select or checkbox group.
#[derive(Debug, Clone)]
pub(crate) struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// One field as the template draws it; `kind` is text, textarea, number, checkbox, radios or checkboxes.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    kind: &'static str,
    name: String,
    id: String,
    label: String,
    hint: String,
    value: String,
    checked: bool,
    choices: Vec<Choice>,
    error: Option<String>,
}

/// A group of fields under a heading.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    title: &'static str,
    fields: Vec<Field>,
}

fn field(kind: &'static str, name: &str, label: &str, hint: &str, pairs: &Pairs) -> Field {
    Field {
        kind,
        name: name.to_owned(),
        id: name.replace('.', "-"),
        label: label.to_owned(),
        hint: hint.to_owned(),
        value: value(pairs, name).to_owned(),
        checked: checked(pairs, name),
        choices: Vec::new(),
        error: None,
    }
}

fn choices(
    kind: &'static str,
    name: &str,
    label: &str,
    hint: &str,
    options: &[(&str, &str)],
    pairs: &Pairs,
) -> Field {
    let chosen = values(pairs, name);
    Field {
        choices: options
            .iter()
            .map(|(value, label)| Choice {
                value: (*value).to_owned(),
                label: (*label).to_owned(),
                selected: chosen.contains(value),
            })
            .collect(),
        ..field(kind, name, label, hint, pairs)
    }
}

const KINDS: [(&str, &str); 7] = [
    ("traditional", "Traditional"),
    ("reverse", "Reverse"),
    ("peer", "Peer"),
    ("network", "Network"),
    ("buddy", "Buddy"),
    ("cross_force", "Cross-force"),
    ("community", "Community"),
];
const MATCHING: [(&str, &str); 4] = [
    ("self_select", "Mentees choose a mentor from the directory"),
    ("champion", "Divisional champions match"),
    ("coordinator", "The programme coordinator matches"),
    (
        "invitation",
        "By invitation: the coordinator offers a mentor",
    ),
];
const DIRECTIONS: [(&str, &str); 4] = [
    ("mentor_senior", "Mentor more senior than mentee"),
    ("mentor_junior", "Mentor more junior than mentee (reverse)"),
    ("peer", "Same rank band"),
    ("any", "Rank does not matter"),
];

fn sections(pairs: &Pairs, bands: &RankBands) -> Vec<Section> {
    let role_types: Vec<(&str, &str)> = RoleType::ALL
        .iter()
        .map(|it| (it.as_str(), it.as_str()))
        .collect();
    let statuses: Vec<(&str, &str)> = EmploymentStatus::ALL
        .iter()
        .map(|it| (it.as_str(), it.as_str()))
        .collect();
    let band_choices: Vec<(&str, &str)> = bands
        .bands()
        .iter()
        .map(|band| (band.code.as_str(), band.name.as_str()))
        .collect();
    let mut sections = vec![
        Section {
            title: "About the scheme",
            fields: vec![
                field("text", "name", "Name", "", pairs),
                field(
                    "textarea",
                    "description",
                    "Description",
                    "What the scheme is for, as applicants will read it",
                    pairs,
                ),
                field(
                    "textarea",
                    "organisational_need",
                    "Organisational development need",
                    "Required for reverse mentoring",
                    pairs,
                ),
                choices("radios", "kind", "Kind of scheme", "", &KINDS, pairs),
            ],
        },
        Section {
            title: "Matching",
            fields: vec![
                choices(
                    "radios",
                    "matching",
                    "Who forms the pairs",
                    "",
                    &MATCHING,
                    pairs,
                ),
                choices(
                    "radios",
                    "rank_direction",
                    "Rank direction",
                    "Reverse schemes pair a junior mentor with a senior mentee",
                    &DIRECTIONS,
                    pairs,
                ),
                field(
                    "checkbox",
                    "cross_force",
                    "Pairs may come from different organisations (they meet remotely)",
                    "",
                    pairs,
                ),
                field(
                    "number",
                    "max_mentees_per_mentor",
                    "Most mentees a mentor has at one time",
                    "1 to 10",
                    pairs,
                ),
                field(
                    "number",
                    "mentors_per_mentee",
                    "Mentors a mentee has at one time",
                    "1 to 3",
                    pairs,
                ),
                field(
                    "checkbox",
                    "dual_roles_allowed",
                    "A person may be a mentor and a mentee at the same time",
                    "",
                    pairs,
                ),
            ],
        },
        Section {
            title: "Length and meetings",
            fields: vec![
                field(
                    "number",
                    "duration_months.min",
                    "Shortest relationship (months)",
                    "Leave empty for no limit; 1 to 60",
                    pairs,
                ),
                field(
                    "number",
                    "duration_months.max",
                    "Longest relationship (months)",
                    "Leave empty for no limit; 1 to 60",
                    pairs,
                ),
                field(
                    "checkbox",
                    "extension_allowed",
                    "A relationship may go beyond the longest if an extension is agreed",
                    "",
                    pairs,
                ),
                field(
                    "number",
                    "sessions.min",
                    "Fewest sessions",
                    "Leave empty for no limit; 1 to 100",
                    pairs,
                ),
                field(
                    "number",
                    "sessions.max",
                    "Most sessions",
                    "Leave empty for no limit; 1 to 100",
                    pairs,
                ),
                field(
                    "number",
                    "cadence_weeks.min",
                    "Meet at least every (weeks, shortest gap)",
                    "1 to 52",
                    pairs,
                ),
                field(
                    "number",
                    "cadence_weeks.max",
                    "Meet at least every (weeks, longest gap)",
                    "1 to 52",
                    pairs,
                ),
                field(
                    "number",
                    "session_minutes.min",
                    "Shortest session (minutes)",
                    "15 to 480",
                    pairs,
                ),
                field(
                    "number",
                    "session_minutes.max",
                    "Longest session (minutes)",
                    "15 to 480",
                    pairs,
                ),
                field(
                    "number",
                    "review_every_nth_meeting",
                    "A progress review every how many meetings",
                    "Leave empty for none; 1 to 20",
                    pairs,
                ),
                field(
                    "checkbox",
                    "review_at_final_meeting",
                    "A progress review at the final meeting",
                    "",
                    pairs,
                ),
                field(
                    "checkbox",
                    "first_meeting_face_to_face",
                    "The first meeting is face to face (unless cross-force or an adjustment applies)",
                    "",
                    pairs,
                ),
            ],
        },
        Section {
            title: "Approvals and agreements",
            fields: vec![
                field(
                    "checkbox",
                    "line_manager_approval",
                    "Line managers authorise applications",
                    "",
                    pairs,
                ),
                field(
                    "checkbox",
                    "confidential_route_to_coordinator",
                    "Someone who cannot go through their manager may go to the coordinator in confidence",
                    "",
                    pairs,
                ),
                field(
                    "checkbox",
                    "ethics_acknowledgement_required",
                    "Both parties acknowledge the ethics statement before a match is confirmed",
                    "",
                    pairs,
                ),
                field(
                    "checkbox",
                    "mentor_statement_of_suitability",
                    "Mentors sign a statement of suitability",
                    "",
                    pairs,
                ),
                field(
                    "checkbox",
                    "mentor_agreement",
                    "Mentors sign a mentor's agreement",
                    "",
                    pairs,
                ),
                field(
                    "checkbox",
                    "organisational_need_required",
                    "The scheme must record the organisational need it serves",
                    "",
                    pairs,
                ),
            ],
        },
        Section {
            title: "Training and support",
            fields: vec![
                field(
                    "text",
                    "training.name",
                    "Training",
                    "For example: Moodle mentoring module",
                    pairs,
                ),
                field(
                    "checkbox",
                    "training.mentor_required",
                    "Mentors must complete it",
                    "",
                    pairs,
                ),
                field(
                    "checkbox",
                    "training.mentee_required",
                    "Mentees must complete it",
                    "",
                    pairs,
                ),
                field(
                    "checkbox",
                    "training.before_matching",
                    "Nobody is matched until they have completed it",
                    "",
                    pairs,
                ),
                field(
                    "checkbox",
                    "training.joint",
                    "Mentor and mentee train together",
                    "",
                    pairs,
                ),
                field(
                    "checkbox",
                    "training.places_rationed",
                    "Places are rationed (a waiting list by priority, then date)",
                    "",
                    pairs,
                ),
                field(
                    "number",
                    "training.refresher_months",
                    "Refresher due after (months)",
                    "Leave empty for none; 1 to 60",
                    pairs,
                ),
                field(
                    "number",
                    "mentor_support_group_months",
                    "Mentor support group every (months)",
                    "Leave empty for none; 1 to 24",
                    pairs,
                ),
            ],
        },
    ];
    for (role, title) in [
        ("mentor", "Who may mentor"),
        ("mentee", "Who may be mentored"),
    ] {
        let name = |field: &str| format!("eligibility.{role}.{field}");
        sections.push(Section {
            title,
            fields: vec![
                choices(
                    "checkboxes",
                    &name("role_types"),
                    "Kinds of worker",
                    "",
                    &role_types,
                    pairs,
                ),
                choices(
                    "checkboxes",
                    &name("employment_statuses"),
                    "Employment statuses",
                    "",
                    &statuses,
                    pairs,
                ),
                field(
                    "checkbox",
                    &name("exclude_probation"),
                    "Not people on probation",
                    "",
                    pairs,
                ),
                field(
                    "checkbox",
                    &name("exclude_performance_management"),
                    "Not people under performance management",
                    "",
                    pairs,
                ),
                choices(
                    "checkboxes",
                    &name("rank_bands"),
                    "Rank bands",
                    "Tick none to admit every band",
                    &band_choices,
                    pairs,
                ),
                field(
                    "checkbox",
                    &name("invitation_only"),
                    "Only people the coordinator invites",
                    "",
                    pairs,
                ),
                field(
                    "text",
                    &name("self_declared_gender"),
                    "Self-declared sex or gender",
                    "Separate with commas, e.g. female, woman; leave empty for everyone",
                    pairs,
                ),
            ],
        });
    }
    sections.push(Section {
        title: "Matching weights (0 to 100)",
        fields: [
            ("topics", "Skills offered against development areas wanted"),
            ("location", "Location (same site, travel, or remote)"),
            ("rank", "Rank gap in the scheme's direction"),
            ("experience", "Mentor's experience"),
            ("availability", "Availability"),
            ("preference", "Mentee's stated preference"),
            ("diversity", "Diversity preference"),
        ]
        .iter()
        .map(|(name, label)| field("number", &format!("weights.{name}"), label, "", pairs))
        .collect(),
    });
    sections.push(Section {
        title: "Reminders",
        fields: CARE_FIELDS
            .iter()
            .map(|(name, label, hint)| field("number", &format!("care.{name}"), label, hint, pairs))
            .collect(),
    });
    sections.push(Section {
        title: "Evaluation when a relationship closes",
        fields: vec![field(
            "textarea",
            "evaluation",
            "Questions of the confidential evaluation",
            "One question a line: a key (letters, digits, _), a bar, score or text, a bar, the question. For example: goals | score | How well did the mentoring help you towards your goals?",
            pairs,
        )],
    });
    sections
}

/// The reminder settings the editor shows: name, label, hint.
const CARE_FIELDS: [(&str, &str, &str); 8] = [
    (
        "first_meeting_days",
        "Days before the mentor is reminded to arrange the first meeting",
        "Counted from the pair's confirmation",
    ),
    (
        "first_meeting_escalate_days",
        "Days before the coordinators hear no first meeting is arranged",
        "",
    ),
    (
        "end_warning_days",
        "Days before the end date when the pair is asked to close or extend",
        "",
    ),
    (
        "inactivity_margin_weeks",
        "Weeks past the longest gap between sessions before the pair is warned",
        "As many weeks again before the coordinators are told",
    ),
    (
        "closure_after_weeks",
        "Weeks without a session before the relationship is proposed for closure",
        "The coordinators close it or keep it with a reason; it never closes by itself",
    ),
    (
        "pulse_first_days",
        "Days after a relationship starts before its first pulse check-in",
        "Each member scores how it is going from 1 to 5; 0 asks for no check-ins",
    ),
    ("pulse_every_days", "Days between pulse check-ins", ""),
    (
        "pulse_low_score",
        "A check-in score at or under this puts the relationship at risk",
        "From 1 to 4",
    ),
];

/// The evaluation's questions as the editor's lines: `key | kind | question`.
fn evaluation_lines(questions: &[tandem_core::relationship::EvaluationQuestion]) -> String {
    questions
        .iter()
        .map(|it| format!("{} | {} | {}", it.key, it.kind, it.text))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The editor's lines as questions; a line that does not have three parts is a problem.
fn evaluation_of(text: &str) -> Result<Vec<tandem_core::relationship::EvaluationQuestion>, String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .enumerate()
        .map(|(idx, line)| {
            let parts: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
            match parts.as_slice() {
                [key, kind, question] => Ok(tandem_core::relationship::EvaluationQuestion {
                    key: (*key).to_owned(),
                    kind: (*kind).to_owned(),
                    text: (*question).to_owned(),
                }),
                _ => Err(format!(
                    "line {} needs a key, a bar, score or text, a bar and the question",
                    idx + 1
                )),
            }
        })
        .collect()
}

// ----- Between a scheme and the form ---------------------------------------------------------

fn bounds_pairs(pairs: &mut Pairs, name: &str, bounds: Bounds) {
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
fn pairs_of(scheme: &Scheme) -> Pairs {
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

/// Reads the form into changes, or the problems of fields that do not parse.
fn changes_of(pairs: &Pairs) -> Result<SchemeChanges, Vec<FieldError>> {
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
    let parsed = (|| -> Option<SchemeChanges> {
        let policy = SchemePolicy {
            kind: SchemeKind::parse(kind.as_deref()?)?,
            matching: MatchingMode::parse(matching.as_deref()?)?,
            rank_direction: RankDirection::parse(direction.as_deref()?)?,
            cross_force: checked(pairs, "cross_force"),
            max_mentees_per_mentor: max_mentees?,
            mentors_per_mentee: mentors_per_mentee?,
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
            care,
            evaluation: evaluation.clone()?,
        };
        let need = value(pairs, "organisational_need").trim();
        Some(SchemeChanges {
            name: value(pairs, "name").to_owned(),
            description: value(pairs, "description").to_owned(),
            organisational_need: (!need.is_empty()).then(|| need.to_owned()),
            policy,
        })
    })();
    match parsed {
        Some(changes) if errors.is_empty() => Ok(changes),
        _ => Err(errors
            .into_iter()
            .map(|(field, message)| FieldError {
                field: field.replace('.', "-"),
                message,
            })
            .collect()),
    }
}

// ----- Pages ---------------------------------------------------------------------------------

struct SchemeRow {
    key: String,
    name: String,
    open: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "schemes_admin.html")]
pub(crate) struct SchemesPage {
    chrome: Chrome,
    organisation: String,
    schemes: Vec<SchemeRow>,
    presets: Vec<(String, String)>,
    errors: Vec<FieldError>,
    chosen_preset: String,
    new_key: String,
    new_name: String,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoticeQuery {
    notice: Option<String>,
}

async fn schemes_page(
    state: &WebState,
    signed_in: &SignedIn,
    errors: Vec<FieldError>,
    chosen: (String, String, String),
    notice: Option<String>,
) -> Result<SchemesPage, WebError> {
    let session = &signed_in.session;
    tandem_core::authz::authorize(
        &session.actor,
        &tandem_core::authz::Action::ManageSchemes(session.organisation.id),
    )
    .map_err(AppError::from)?;
    let schemes = schemes::list(&state.app, &session.actor, &session.organisation.code).await?;
    Ok(SchemesPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        organisation: session.organisation.name.clone(),
        schemes: schemes
            .into_iter()
            .map(|scheme| SchemeRow {
                key: scheme.definition.key.to_string(),
                name: scheme.definition.name,
                open: scheme.status == SchemeStatus::Open,
            })
            .collect(),
        presets: schemes::preset_schemes()
            .into_iter()
            .map(|(preset, key, name)| (format!("{preset}/{key}"), format!("{name} ({preset})")))
            .collect(),
        errors,
        chosen_preset: chosen.0,
        new_key: chosen.1,
        new_name: chosen.2,
        notice,
    })
}

/// `GET /schemes`: the organisation's schemes, to change, open or close, and a form to add one.
pub(crate) async fn list(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<SchemesPage, WebError> {
    let notice = match query.notice.as_deref() {
        Some("created") => Some("The scheme was created. Check its policy below.".to_owned()),
        Some("opened") => Some("The scheme is open for applications.".to_owned()),
        Some("closed") => Some("The scheme is closed for applications.".to_owned()),
        Some("saved") => Some("The scheme's changes were saved.".to_owned()),
        _ => None,
    };
    schemes_page(&state, &signed_in, Vec::new(), Default::default(), notice).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct CreateForm {
    #[serde(default)]
    preset: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    name: String,
}

/// `POST /schemes`: creates a scheme from one of a preset's schemes.
pub(crate) async fn create(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<Response, WebError> {
    let chosen = (form.preset.clone(), form.key.clone(), form.name.clone());
    let mut errors = Vec::new();
    let preset = form.preset.split_once('/');
    if preset.is_none() {
        errors.push(FieldError {
            field: "preset".to_owned(),
            message: "Choose the scheme to start from".to_owned(),
        });
    }
    let key = SchemeKey::parse(&form.key)
        .map_err(|err| {
            errors.push(FieldError {
                field: "key".to_owned(),
                message: capitalise(&format!("the short name {err}")),
            })
        })
        .ok();
    let (Some((preset, preset_scheme)), Some(key), true) = (preset, key, errors.is_empty()) else {
        let page = schemes_page(&state, &signed_in, errors, chosen, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let session = &signed_in.session;
    let name = Some(form.name.clone());
    match schemes::create_from_preset(
        &state.app,
        &session.actor,
        &session.organisation.code,
        preset,
        preset_scheme,
        key.clone(),
        name,
    )
    .await
    {
        Ok(_) => Ok(crate::redirect::to(&format!(
            "/schemes/{key}/edit?notice=created"
        ))),
        Err(AppError::Conflict(message)) => {
            let errors = vec![FieldError {
                field: "key".to_owned(),
                message: capitalise(&message),
            }];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                schemes_page(&state, &signed_in, errors, chosen, None).await?,
            )
                .into_response())
        }
        Err(AppError::PolicyRejected(problems)) => {
            let errors = problems
                .iter()
                .map(|problem| FieldError {
                    field: "preset".to_owned(),
                    message: capitalise(&problem.to_string()),
                })
                .collect();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                schemes_page(&state, &signed_in, errors, chosen, None).await?,
            )
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "scheme_edit.html")]
pub(crate) struct EditPage {
    chrome: Chrome,
    organisation: String,
    key: String,
    version: i64,
    sections: Vec<Section>,
    errors: Vec<FieldError>,
    notice: Option<String>,
}

fn edit_page(
    signed_in: &SignedIn,
    key: &SchemeKey,
    version: i64,
    pairs: &Pairs,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> EditPage {
    let session = &signed_in.session;
    let mut sections = sections(pairs, &session.organisation.rank_bands);
    for section in &mut sections {
        for field in &mut section.fields {
            field.error = errors
                .iter()
                .find(|error| error.field == field.id)
                .map(|error| error.message.clone());
        }
    }
    EditPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        organisation: session.organisation.name.clone(),
        key: key.to_string(),
        version,
        sections,
        errors,
        notice,
    }
}

fn parse_key(raw: &str) -> Result<SchemeKey, WebError> {
    SchemeKey::parse(raw).map_err(|_| WebError::NotFound)
}

/// `GET /schemes/{key}/edit`: the scheme's policy as a form.
pub(crate) async fn edit(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<EditPage, WebError> {
    let key = parse_key(&key)?;
    let session = &signed_in.session;
    let scheme =
        schemes::managed(&state.app, &session.actor, session.organisation.id, &key).await?;
    let notice = (query.notice.as_deref() == Some("created")).then(|| {
        "The scheme was created from the preset. Change what your programme needs, then save."
            .to_owned()
    });
    Ok(edit_page(
        &signed_in,
        &key,
        scheme.version,
        &pairs_of(&scheme),
        Vec::new(),
        notice,
    ))
}

/// Maps a policy problem's field (dotted, maybe a group) to the id of the input to fix.
fn input_for(field: &str, sections: &[Section]) -> String {
    let all: Vec<&Field> = sections
        .iter()
        .flat_map(|section| &section.fields)
        .collect();
    let exact = all.iter().find(|it| it.name == field);
    let within = all
        .iter()
        .find(|it| it.name.starts_with(&format!("{field}.")));
    exact
        .or(within)
        .map_or("name", |it| it.name.as_str())
        .replace('.', "-")
}

/// `POST /schemes/{key}/edit`: saves the policy, or shows every problem next to its field.
pub(crate) async fn save(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = parse_key(&key)?;
    let session = &signed_in.session;
    // Permission first: someone who may not manage the scheme learns nothing from its form.
    schemes::managed(&state.app, &session.actor, session.organisation.id, &key).await?;
    let version: i64 = value(&pairs, "version").parse().unwrap_or(-1);
    let changes = match changes_of(&pairs) {
        Ok(changes) => changes,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                edit_page(&signed_in, &key, version, &pairs, errors, None),
            )
                .into_response());
        }
    };
    match schemes::update(
        &state.app,
        &session.actor,
        session.organisation.id,
        &key,
        version,
        changes,
    )
    .await
    {
        Ok(_) => Ok(crate::redirect::to("/schemes?notice=saved")),
        Err(AppError::PolicyRejected(problems)) => {
            let sections = sections(&pairs, &session.organisation.rank_bands);
            let errors = problems
                .iter()
                .map(|problem| FieldError {
                    field: input_for(&problem.field, &sections),
                    message: capitalise(&problem.message),
                })
                .collect();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                edit_page(&signed_in, &key, version, &pairs, errors, None),
            )
                .into_response())
        }
        Err(AppError::Conflict(message)) => {
            let errors = vec![FieldError {
                field: "name".to_owned(),
                message: capitalise(&format!(
                    "{message}; open the scheme again to see their changes, then make yours"
                )),
            }];
            Ok((
                StatusCode::CONFLICT,
                edit_page(&signed_in, &key, version, &pairs, errors, None),
            )
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct StatusForm {
    #[serde(default)]
    status: String,
}

/// `POST /schemes/{key}/status`: opens or closes the scheme for applications.
pub(crate) async fn status(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> Result<Response, WebError> {
    let key = parse_key(&key)?;
    let status = SchemeStatus::parse(&form.status)
        .ok_or_else(|| WebError::BadRequest("choose open or closed".to_owned()))?;
    let session = &signed_in.session;
    schemes::set_status(
        &state.app,
        &session.actor,
        session.organisation.id,
        &key,
        status,
    )
    .await?;
    let notice = if status == SchemeStatus::Open {
        "opened"
    } else {
        "closed"
    };
    Ok(crate::redirect::to(&format!("/schemes?notice={notice}")))
}
