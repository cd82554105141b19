//! Applications to a scheme (R3): what a mentor offers and a mentee wants, where each
//! application stands, and the refusals that depend on what a person already takes part in.
//!
//! A form arrives as strings ([`ApplicationForm`]) from a page or the API and is parsed here,
//! once, into [`Answers`]; every problem names its field so the page can show it beside it.

use crate::eligibility::{Refusal, Role};
use crate::ids::{ApplicationId, PersonId, SchemeId};
use crate::policy::SchemePolicy;
use std::fmt;
use time::OffsetDateTime;

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplicationStatus {
    /// Waiting for the applicant's line manager to authorise it.
    AwaitingManager,
    /// Waiting for the coordinator: the applicant went to them in confidence, or has no manager.
    AwaitingCoordinator,
    /// Accepted into the scheme: a mentor is available to be matched; a mentee is on the
    /// waiting list for a mentor.
    Approved,
    /// A mentee has a confirmed mentor.
    Matched,
    /// The manager or the coordinator declined it, with a reason.
    Declined,
    /// The applicant withdrew it.
    Withdrawn,
}

impl ApplicationStatus {
    /// Every status, in the order an application moves through them.
    pub const ALL: [Self; 6] = [
        Self::AwaitingManager,
        Self::AwaitingCoordinator,
        Self::Approved,
        Self::Matched,
        Self::Declined,
        Self::Withdrawn,
    ];

    /// The stored token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwaitingManager => "awaiting_manager",
            Self::AwaitingCoordinator => "awaiting_coordinator",
            Self::Approved => "approved",
            Self::Matched => "matched",
            Self::Declined => "declined",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// Parses the stored token.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == raw)
    }

    /// The person still takes part through this application (it counts against dual roles,
    /// "already has a mentor" and applying twice).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::AwaitingManager | Self::AwaitingCoordinator | Self::Approved | Self::Matched
        )
    }

    /// Why the applicant may not withdraw an application in this state, or `None` when they
    /// may: the one rule the withdraw button and the use case both follow.
    pub fn withdrawal_refusal(self) -> Option<&'static str> {
        match self {
            Self::Matched => {
                Some("the application has led to a match; end the mentoring relationship instead")
            }
            Self::Declined => Some("the application was declined; there is nothing to withdraw"),
            Self::Withdrawn => Some("the application is already withdrawn"),
            Self::AwaitingManager | Self::AwaitingCoordinator | Self::Approved => None,
        }
    }

    /// Someone still has to decide on it.
    pub fn is_awaiting_decision(self) -> bool {
        matches!(self, Self::AwaitingManager | Self::AwaitingCoordinator)
    }

    /// What the status means, in words, for someone in `role`.
    pub fn describe(self, role: Role) -> &'static str {
        match (self, role) {
            (Self::AwaitingManager, _) => "Waiting for line manager",
            (Self::AwaitingCoordinator, _) => "Waiting for the coordinator",
            (Self::Approved, Role::Mentor) => "Approved: available to mentees",
            (Self::Approved, Role::Mentee) => "On the waiting list for a mentor",
            (Self::Matched, _) => "Matched",
            (Self::Declined, _) => "Declined",
            (Self::Withdrawn, _) => "Withdrawn",
        }
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The weekly slots people say they can meet in; the matching engine uses the same names.
pub const AVAILABILITY_SLOTS: [&str; 21] = [
    "mon-am", "mon-pm", "mon-eve", "tue-am", "tue-pm", "tue-eve", "wed-am", "wed-pm", "wed-eve",
    "thu-am", "thu-pm", "thu-eve", "fri-am", "fri-pm", "fri-eve", "sat-am", "sat-pm", "sat-eve",
    "sun-am", "sun-pm", "sun-eve",
];

/// An availability slot in words, e.g. `tue-pm` as "Tuesday afternoon"; `None` for a code this
/// version does not know.
pub fn slot_words(slot: &str) -> Option<String> {
    let (day, part) = slot.split_once('-')?;
    let day = match day {
        "mon" => "Monday",
        "tue" => "Tuesday",
        "wed" => "Wednesday",
        "thu" => "Thursday",
        "fri" => "Friday",
        "sat" => "Saturday",
        "sun" => "Sunday",
        _ => return None,
    };
    let part = match part {
        "am" => "morning",
        "pm" => "afternoon",
        "eve" => "evening",
        _ => return None,
    };
    Some(format!("{day} {part}"))
}

/// Weekly availability in words, in the slots' order ("Monday morning, Thursday evening"), or
/// "Not given".
pub fn availability_words(slots: &[String]) -> String {
    let words: Vec<String> = slots.iter().filter_map(|slot| slot_words(slot)).collect();
    if words.is_empty() {
        "Not given".to_owned()
    } else {
        words.join(", ")
    }
}

/// Longest a summary (skills offered, aims) may be.
pub const SUMMARY_MAX_CHARS: usize = 2000;

/// An application form as submitted: every field as the person typed or ticked it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationForm {
    /// Mentor: skills and experience offered. Mentee: aims.
    pub summary: String,
    /// Mentor: development areas they can support. Mentee: areas they want to develop.
    pub topics: Vec<String>,
    /// Mentor: how many mentees they will take.
    pub capacity: String,
    /// Where they work from, if it differs from the HR record.
    pub location: String,
    /// They will travel to meet.
    pub will_travel: bool,
    /// They will meet remotely.
    pub remote_ok: bool,
    /// Weekly slots they can meet in.
    pub availability: Vec<String>,
    /// Mentee: the email of a mentor they would like (who must apply themselves).
    pub preferred_mentor_email: String,
    /// Mentor: signs the statement of suitability.
    pub statement_of_suitability: bool,
    /// Mentor: signs the mentor's agreement.
    pub mentor_agreement: bool,
    /// Acknowledges the ethics statement (R3.6).
    pub ethics_acknowledged: bool,
    /// Goes to the coordinator in confidence instead of the line manager (R3.4).
    pub confidential: bool,
}

/// What an applicant says, parsed and valid for the scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    /// Mentor: skills and experience offered. Mentee: aims.
    pub summary: String,
    /// Topics from the organisation's list, in its order.
    pub topics: Vec<String>,
    /// Mentor: most mentees they will take (within the policy's maximum). Mentee: `None`.
    pub capacity: Option<u32>,
    /// Where they meet from, if they said.
    pub location: Option<String>,
    /// They will travel to meet.
    pub will_travel: bool,
    /// They will meet remotely.
    pub remote_ok: bool,
    /// Weekly slots, in [`AVAILABILITY_SLOTS`] order.
    pub availability: Vec<String>,
    /// Mentee: the email of the mentor they would like, if any.
    pub preferred_mentor_email: Option<String>,
}

/// One thing wrong with a form: the field and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormProblem {
    /// The form field, e.g. `capacity` or `topics`.
    pub field: &'static str,
    /// What is wrong, in words the applicant can act on.
    pub message: String,
}

impl fmt::Display for FormProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl FormProblem {
    /// A problem at `field`.
    pub fn at(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// How long written answers may be: the one list of text limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextLimit {
    /// A reason given for a decision (declining, ruling out, ending).
    Reason,
    /// A note, a goal, an action or a review: what a pair writes.
    Note,
}

impl TextLimit {
    /// The most characters allowed.
    pub fn max_chars(self) -> usize {
        match self {
            Self::Reason => 500,
            Self::Note => 4000,
        }
    }
}

/// Written text from a form, trimmed: refused at `field` when it is longer than `limit`, or
/// empty while `needed` says what to write.
pub fn written(
    field: &'static str,
    raw: &str,
    limit: TextLimit,
    needed: Option<&str>,
) -> Result<String, FormProblem> {
    let text = raw.trim();
    let max = limit.max_chars();
    if text.chars().count() > max {
        return Err(FormProblem::at(
            field,
            format!("shorten this to {max} characters or fewer"),
        ));
    }
    match needed {
        Some(what) if text.is_empty() => Err(FormProblem::at(field, what)),
        _ => Ok(text.to_owned()),
    }
}

/// What the applicant signed with the form, recorded with its time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Signatures {
    /// The mentor's statement of suitability.
    pub statement_of_suitability: bool,
    /// The mentor's agreement.
    pub mentor_agreement: bool,
    /// The ethics statement.
    pub ethics: bool,
}

/// Parses a form for `role` in a scheme with `policy`, offering the organisation's `topics`.
/// Every problem is reported, each naming its field.
pub fn parse_form(
    form: &ApplicationForm,
    role: Role,
    policy: &SchemePolicy,
    topics: &[String],
) -> Result<(Answers, Signatures), Vec<FormProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: &'static str, message: String| {
        problems.push(FormProblem { field, message });
    };

    let summary = form.summary.trim();
    let what = match role {
        Role::Mentor => "the skills and experience you offer",
        Role::Mentee => "what you want to get from mentoring",
    };
    if summary.is_empty() {
        problem("summary", format!("describe {what}"));
    } else if summary.chars().count() > SUMMARY_MAX_CHARS {
        problem(
            "summary",
            format!("shorten {what} to {SUMMARY_MAX_CHARS} characters or fewer"),
        );
    } else if has_control_chars(summary) {
        problem(
            "summary",
            "remove the control characters from the text".to_owned(),
        );
    }

    let mut chosen = Vec::new();
    for raw in &form.topics {
        match topics
            .iter()
            .find(|topic| topic.eq_ignore_ascii_case(raw.trim()))
        {
            Some(topic) => chosen.push(topic.clone()),
            None => problem(
                "topics",
                format!("'{}' is not one of the organisation's topics", raw.trim()),
            ),
        }
    }
    let chosen: Vec<String> = topics
        .iter()
        .filter(|topic| chosen.contains(topic))
        .cloned()
        .collect();
    if chosen.is_empty() && form.topics.is_empty() {
        problem(
            "topics",
            match role {
                Role::Mentor => "choose at least one area you can support",
                Role::Mentee => "choose at least one area you want to develop",
            }
            .to_owned(),
        );
    }

    let capacity = match role {
        Role::Mentee => None,
        Role::Mentor => {
            let max = policy.max_mentees_per_mentor;
            match form.capacity.trim().parse::<u32>() {
                Ok(capacity) if (1..=max).contains(&capacity) => Some(capacity),
                Ok(_) | Err(_) if form.capacity.trim().is_empty() => {
                    problem(
                        "capacity",
                        format!("enter how many mentees you can take, from 1 to {max}"),
                    );
                    None
                }
                Ok(_) | Err(_) => {
                    problem(
                        "capacity",
                        format!("the scheme allows 1 to {max} mentees per mentor"),
                    );
                    None
                }
            }
        }
    };

    let location = form.location.trim();
    if location.chars().count() > 200 {
        problem(
            "location",
            "shorten the location to 200 characters or fewer".to_owned(),
        );
    } else if has_control_chars(location) {
        problem(
            "location",
            "remove the control characters from the location".to_owned(),
        );
    }

    for slot in &form.availability {
        if !AVAILABILITY_SLOTS.contains(&slot.as_str()) {
            problem(
                "availability",
                format!("'{slot}' is not a time slot; use mon-am to sun-eve"),
            );
        }
    }
    let availability: Vec<String> = AVAILABILITY_SLOTS
        .iter()
        .filter(|slot| form.availability.iter().any(|chosen| chosen == *slot))
        .map(|slot| (*slot).to_owned())
        .collect();

    let preferred = form.preferred_mentor_email.trim();
    let preferred_mentor_email = match role {
        Role::Mentee if !preferred.is_empty() => match crate::domain::Email::parse(preferred) {
            Ok(email) => Some(email.to_string()),
            Err(err) => {
                problem("preferred_mentor_email", format!("the email {err}"));
                None
            }
        },
        _ => None,
    };

    if role == Role::Mentor
        && policy.mentor_statement_of_suitability
        && !form.statement_of_suitability
    {
        problem(
            "statement_of_suitability",
            "this scheme asks mentors to sign the statement of suitability".to_owned(),
        );
    }
    if role == Role::Mentor && policy.mentor_agreement && !form.mentor_agreement {
        problem(
            "mentor_agreement",
            "this scheme asks mentors to sign the mentor's agreement".to_owned(),
        );
    }
    if form.confidential && !confidential_route_offered(policy) {
        problem(
            "confidential",
            "this scheme has no confidential route to the coordinator; untick it".to_owned(),
        );
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((
        Answers {
            summary: summary.to_owned(),
            topics: chosen,
            capacity,
            location: (!location.is_empty()).then(|| location.to_owned()),
            will_travel: form.will_travel,
            remote_ok: form.remote_ok,
            availability,
            preferred_mentor_email,
        },
        Signatures {
            statement_of_suitability: role == Role::Mentor && form.statement_of_suitability,
            mentor_agreement: role == Role::Mentor && form.mentor_agreement,
            ethics: form.ethics_acknowledged,
        },
    ))
}

fn has_control_chars(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// An application as held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// Its id.
    pub id: ApplicationId,
    /// The scheme applied to.
    pub scheme: SchemeId,
    /// The applicant.
    pub person: PersonId,
    /// Mentor or mentee.
    pub role: Role,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// What the applicant said.
    pub answers: Answers,
    /// It went to the coordinator in confidence; the line manager is never told.
    pub confidential: bool,
    /// The line manager asked to authorise it, if one was.
    pub approver: Option<PersonId>,
    /// Who decided it (audit label), when someone did.
    pub decided_by: Option<String>,
    /// The reason given with a decision (always given when declining).
    pub decision_reason: Option<String>,
    /// When it was decided.
    pub decided_at: Option<OffsetDateTime>,
    /// When the mentor signed the statement of suitability.
    pub statement_signed_at: Option<OffsetDateTime>,
    /// When the mentor signed the mentor's agreement.
    pub agreement_signed_at: Option<OffsetDateTime>,
    /// When the applicant acknowledged the ethics statement.
    pub ethics_acknowledged_at: Option<OffsetDateTime>,
    /// The coordinator's priority on the waiting list (higher first, e.g. EDI priority).
    pub priority: i32,
    /// When it was made.
    pub submitted_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// What a person already takes part in, as the refusals below need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    /// The scheme.
    pub scheme: SchemeId,
    /// Its name, for the reason shown.
    pub scheme_name: String,
    /// Their role in it.
    pub role: Role,
    /// Where their application stands.
    pub status: ApplicationStatus,
    /// That scheme lets a person be a mentor and a mentee at once.
    pub dual_roles_allowed: bool,
}

/// Every reason, from what the person already takes part in, that they may not take `role`
/// in `scheme` (R3.3): applying twice, being active in the other role where either scheme
/// forbids dual roles, and a mentee who already has as many mentors as the scheme allows.
pub fn participation_refusals(
    role: Role,
    scheme: SchemeId,
    policy: &SchemePolicy,
    existing: &[Participation],
) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let open = existing.iter().filter(|it| it.status.is_open());
    for it in open {
        if it.scheme == scheme && it.role == role {
            if role == Role::Mentee && it.status == ApplicationStatus::Matched {
                refusals.push(Refusal::AlreadyHasMentor {
                    scheme: it.scheme_name.clone(),
                });
            } else {
                refusals.push(Refusal::AlreadyApplied {
                    role,
                    scheme: it.scheme_name.clone(),
                });
            }
        } else if it.role != role && !(policy.dual_roles_allowed && it.dual_roles_allowed) {
            refusals.push(Refusal::ActiveInOtherRole {
                role: it.role,
                scheme: it.scheme_name.clone(),
            });
        }
    }
    refusals
}

/// A person as the eligibility rules see them against one scheme.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// Their HR record.
    pub record: &'a crate::PersonRecord,
    /// Their organisation.
    pub organisation: &'a crate::Organisation,
    /// They hold an invitation to the scheme.
    pub invited: bool,
    /// What else they take part in (not counting the application being judged).
    pub participations: &'a [Participation],
}

/// Every reason `candidate` may not take `role` in a scheme with `policy` run by
/// `scheme_organisation` (R3.3): the scheme's organisation (unless it is open across forces or run
/// by the national body), the HR record against the audience (rank bands are the scheme
/// organisation's), and what they already take part in. Checked at application and again at
/// matching.
pub fn refusals(
    role: Role,
    scheme: SchemeId,
    policy: &SchemePolicy,
    scheme_organisation: &crate::Organisation,
    candidate: Candidate<'_>,
) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let open_to_all =
        policy.cross_force || scheme_organisation.kind == crate::OrganisationKind::National;
    if candidate.organisation.id != scheme_organisation.id && !open_to_all {
        refusals.push(Refusal::OutsideOrganisation {
            organisation: scheme_organisation.name.clone(),
        });
    }
    let audience = match role {
        Role::Mentor => &policy.eligibility.mentor,
        Role::Mentee => &policy.eligibility.mentee,
    };
    let band = scheme_organisation
        .rank_bands
        .band_of(&candidate.record.rank_or_grade);
    refusals.extend(crate::eligibility::assess(
        audience,
        candidate.record,
        band,
        candidate.invited,
    ));
    refusals.extend(participation_refusals(
        role,
        scheme,
        policy,
        candidate.participations,
    ));
    refusals
}

/// Positions on a waiting list: the coordinator's priority first (higher first), then the
/// date of the request, then its id so ties have one order. Sorts `items` in place; the
/// same order serves mentees waiting for a mentor and people waiting for a training place.
pub fn waiting_order<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> (i32, OffsetDateTime, K)) {
    items.sort_by(|a, b| {
        let (priority_a, at_a, id_a) = key(a);
        let (priority_b, at_b, id_b) = key(b);
        priority_b
            .cmp(&priority_a)
            .then(at_a.cmp(&at_b))
            .then(id_a.cmp(&id_b))
    });
}

#[cfg(test)]
mod tests;

/// A person a coordinator invited to take a role in a scheme whose audience is by invitation
/// (the women's network's stage 5 candidates, the buddies who passed recently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// The scheme.
    pub scheme: SchemeId,
    /// Who is invited.
    pub person: PersonId,
    /// As what.
    pub role: Role,
    /// Why, in the coordinator's words (e.g. "stage 5 candidate, 2027 cohort").
    pub note: Option<String>,
    /// Who invited them (audit label).
    pub invited_by: String,
    /// When.
    pub invited_at: OffsetDateTime,
}

/// An appeal for mentors of one rank band, sent where the scheme is short of them (R10.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentorAppeal {
    /// The scheme.
    pub scheme: SchemeId,
    /// The rank band asked for, by name.
    pub rank_band: String,
    /// The coordinator's message.
    pub message: String,
    /// How many people it went to.
    pub recipients: u32,
    /// Who sent it (audit label).
    pub sent_by: String,
    /// When.
    pub sent_at: OffsetDateTime,
}

/// Whether an applicant may send their application to the coordinator in confidence instead
/// of through their line manager (R3.4): only where the manager is asked at all.
pub fn confidential_route_offered(policy: &SchemePolicy) -> bool {
    policy.line_manager_approval && policy.confidential_route_to_coordinator
}

/// Whether the applicant still has to accept the ethics statement before they are matched
/// (R3.6).
pub fn ethics_due(policy: &SchemePolicy, application: &Application) -> bool {
    policy.ethics_acknowledgement_required
        && application.ethics_acknowledged_at.is_none()
        && application.status.is_open()
}
