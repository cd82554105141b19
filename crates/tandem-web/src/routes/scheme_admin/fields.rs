//! The scheme policy form's fields: each section, field and choice the editor shows, filled from
//! the submitted (or stored) values.

use tandem_core::domain::{EmploymentStatus, RankBands, RoleType};

use crate::form::{Pairs, checked, value, values};

/// One choice of a radio, select or checkbox group.
#[derive(Debug, Clone)]
pub(crate) struct Choice {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) selected: bool,
}

/// One field as the template draws it; `kind` is text, textarea, number, checkbox, radios or checkboxes.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(super) kind: &'static str,
    pub(super) name: String,
    pub(super) id: String,
    pub(super) label: String,
    pub(super) hint: String,
    pub(super) value: String,
    pub(super) checked: bool,
    pub(super) choices: Vec<Choice>,
    pub(super) error: Option<String>,
}

/// A group of fields under a heading.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub(super) title: &'static str,
    pub(super) fields: Vec<Field>,
}

pub(super) fn field(
    kind: &'static str,
    name: &str,
    label: &str,
    hint: &str,
    pairs: &Pairs,
) -> Field {
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

pub(super) fn choices(
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

pub(super) const KINDS: [(&str, &str); 7] = [
    ("traditional", "Traditional"),
    ("reverse", "Reverse"),
    ("peer", "Peer"),
    ("network", "Network"),
    ("buddy", "Buddy"),
    ("cross_force", "Cross-force"),
    ("community", "Community"),
];
pub(super) const MATCHING: [(&str, &str); 4] = [
    ("self_select", "Mentees choose a mentor from the directory"),
    ("champion", "Divisional champions match"),
    ("coordinator", "The programme coordinator matches"),
    (
        "invitation",
        "By invitation: the coordinator offers a mentor",
    ),
];
pub(super) const DIRECTIONS: [(&str, &str); 4] = [
    ("mentor_senior", "Mentor more senior than mentee"),
    ("mentor_junior", "Mentor more junior than mentee (reverse)"),
    ("peer", "Same rank band"),
    ("any", "Rank does not matter"),
];

pub(super) fn sections(pairs: &Pairs, bands: &RankBands) -> Vec<Section> {
    let role_types: Vec<(&str, &str)> = RoleType::ALL
        .iter()
        .map(|it| (it.as_str(), it.as_str()))
        .collect();
    let statuses: Vec<(&str, &str)> = EmploymentStatus::ALL
        .iter()
        .map(|it| (it.as_str(), it.words()))
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
                    "checkbox",
                    "different_organisation",
                    "A mentor always comes from another organisation than the mentee's",
                    "Needs pairs from different organisations allowed",
                    pairs,
                ),
                field(
                    "checkbox",
                    "different_department",
                    "A mentor always comes from another division or department than the mentee's",
                    "",
                    pairs,
                ),
                field(
                    "number",
                    "min_levels_apart",
                    "Fewest ranks between mentor and mentee",
                    "Counted in the rank direction (mentor above for more senior mentors); leave empty for no limit; 0 to 20",
                    pairs,
                ),
                field(
                    "number",
                    "max_levels_apart",
                    "Most ranks between mentor and mentee",
                    "Counted in the rank direction; leave empty for no limit; 0 to 20",
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
        .chain([field(
            "text",
            "rank_gap_points",
            "Points per rank gap",
            "Ranks apart = points (0 to 100), separated by commas, e.g. 1 = 75, 2 = 100; a gap not listed scores 0. Leave empty for the built-in scale",
            pairs,
        )])
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
pub(super) const CARE_FIELDS: [(&str, &str, &str); 8] = [
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
pub(super) fn evaluation_lines(
    questions: &[tandem_core::relationship::EvaluationQuestion],
) -> String {
    questions
        .iter()
        .map(|it| format!("{} | {} | {}", it.key, it.kind, it.text))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The editor's lines as questions; a line that does not have three parts is a problem.
pub(super) fn evaluation_of(
    text: &str,
) -> Result<Vec<tandem_core::relationship::EvaluationQuestion>, String> {
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

/// A rank gap table as the editor's text: `1 = 75, 2 = 100`, by gap.
pub(super) fn rank_gap_text(policy: &tandem_core::policy::SchemePolicy) -> String {
    let mut entries: Vec<(&String, &u32)> = policy.rank_gap_points.iter().collect();
    entries.sort_by_key(|(gap, _)| (gap.trim().parse::<u32>().ok(), gap.to_string()));
    entries
        .into_iter()
        .map(|(gap, points)| format!("{gap} = {points}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The editor's text as a rank gap table; the policy's own check judges the gaps and points.
pub(super) fn rank_gap_of(text: &str) -> Result<std::collections::BTreeMap<String, u32>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let (gap, points) = entry
                .split_once('=')
                .map(|(gap, points)| (gap.trim(), points.trim()))
                .filter(|(gap, points)| !gap.is_empty() && !points.is_empty())
                .ok_or_else(|| {
                    format!("Write '{entry}' as ranks apart = points, for example 1 = 75")
                })?;
            let points = points.parse().map_err(|_| {
                format!(
                    "Enter the points for gap {gap} as a whole number from 0 to 100, not '{points}'"
                )
            })?;
            Ok((gap.to_owned(), points))
        })
        .collect()
}
