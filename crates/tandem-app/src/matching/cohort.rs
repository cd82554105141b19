//! Building the matching problem from the database: who is in the cohort, their features, and
//! the hard rules (R5.1) as `tandem-match` takes them. Every path (bulk, manual pick, directory,
//! API) builds its problem here, so no rule is checked in two ways.

use crate::AppError;
use std::collections::{HashMap, HashSet};
use tandem_core::application::{self, Application, ApplicationStatus, Participation};
use tandem_core::eligibility::{Refusal, Role};
use tandem_core::hr::ExistingPerson;
use tandem_core::line_management::LineManagementTree;
use tandem_core::pairing::{ConstraintKind, engine_weight, free_places, places_taken};
use tandem_core::policy::RankDirection;
use tandem_core::programme::Scheme;
use tandem_core::training::blocks_matching;
use tandem_core::{ApplicationId, Organisation, PersonId, SchemeId};
use tandem_match as engine;
use tandem_store::Tx;
use time::{Date, OffsetDateTime};

/// An applicant in the cohort: their application and HR record.
#[derive(Debug, Clone)]
pub struct Entrant {
    /// The application.
    pub application: Application,
    /// The HR record.
    pub person: ExistingPerson,
}

/// Which applications to take.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    /// Only mentees of this division (a champion's cohort); mentors come from every division.
    pub division: Option<String>,
    /// Only these mentee applications.
    pub mentees: Option<Vec<ApplicationId>>,
    /// Only these mentor applications.
    pub mentors: Option<Vec<ApplicationId>>,
    /// Keep mentors with no free place (for explaining a pair rather than solving).
    pub keep_full_mentors: bool,
    /// Only who is in the cohort, for showing it: training and the hard rules between pairs
    /// (line management, pins, forbids) are left out, so this cohort must not be solved.
    pub people_only: bool,
}

/// The cohort and its problem, ready to validate and solve.
#[derive(Debug)]
pub(crate) struct Cohort {
    pub spec: engine::ProblemSpec,
    /// Mentors, in `spec.mentors` order.
    pub mentors: Vec<Entrant>,
    /// Mentees, in `spec.mentees` order.
    pub mentees: Vec<Entrant>,
    /// Applicants left out because they may no longer take part, with every reason.
    pub excluded: Vec<(Entrant, Vec<Refusal>)>,
    /// Everyone who has applied to the scheme, by id.
    pub people: HashMap<PersonId, ExistingPerson>,
    /// Every application to the scheme, in any state.
    pub applications: Vec<Application>,
}

impl Cohort {
    /// Whether another build of the cohort would be solved and explained the same way: the
    /// same problem and the same applicants left out for the same reasons.
    pub(crate) fn same_as(&self, other: &Cohort) -> bool {
        let left_out = |cohort: &Cohort| -> Vec<(ApplicationId, Vec<Refusal>)> {
            cohort
                .excluded
                .iter()
                .map(|(entrant, refusals)| (entrant.application.id, refusals.clone()))
                .collect()
        };
        self.spec == other.spec && left_out(self) == left_out(other)
    }
}

/// The engine's id for an application.
pub(crate) fn engine_id(id: ApplicationId) -> Result<engine::PersonId, AppError> {
    engine::PersonId::parse(&id.to_string())
        .map_err(|err| AppError::Conflict(format!("an application id is not usable: {err}")))
}

/// A topic as the engine's tag: punctuation (as in "Work/life balance") becomes a space.
fn tag(topic: &str) -> Option<engine::Tag> {
    let cleaned: String = topic
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    engine::Tag::parse(&cleaned).ok()
}

fn tags(topics: &[String]) -> Vec<engine::Tag> {
    let mut out: Vec<engine::Tag> = topics.iter().filter_map(|it| tag(it)).collect();
    out.sort();
    out.dedup();
    out
}

fn years_between(start: Date, today: Date) -> u8 {
    let mut years = today.year() - start.year();
    if (today.month() as u8, today.day()) < (start.month() as u8, start.day()) {
        years -= 1;
    }
    u8::try_from(years.clamp(0, i32::from(engine::MAX_YEARS_OF_SERVICE)))
        .unwrap_or(engine::MAX_YEARS_OF_SERVICE)
}

/// A policy's small count (ranks apart, points) as the engine's byte; a validated policy
/// never needs the clamp.
fn levels(value: u32) -> u8 {
    u8::try_from(value).unwrap_or(u8::MAX)
}

fn direction(policy: RankDirection) -> (engine::Direction, bool) {
    match policy {
        RankDirection::MentorSenior => (engine::Direction::Traditional, true),
        RankDirection::MentorJunior => (engine::Direction::Reverse, true),
        RankDirection::Peer => (engine::Direction::Peer, true),
        RankDirection::Any => (engine::Direction::Traditional, false),
    }
}

/// Builds the cohort of `scheme` (run by `owner`) that `filter` selects, as of `now`.
pub(crate) async fn build(
    tx: &mut Tx,
    scheme: &Scheme,
    owner: &Organisation,
    filter: &Filter,
    now: OffsetDateTime,
) -> Result<Cohort, AppError> {
    let policy = &scheme.definition.policy;
    let today = now.date();
    let organisations: HashMap<String, Organisation> = tx
        .organisations()
        .await?
        .into_iter()
        .map(|it| (it.code.to_string(), it))
        .collect();
    let people: HashMap<PersonId, ExistingPerson> = tx
        .applicants_to_scheme(scheme.id)
        .await?
        .into_iter()
        .map(|it| (it.id, it))
        .collect();

    // What each applicant takes part in elsewhere, for the re-check of eligibility (R3.3).
    let applications = tx.applications_to_scheme(scheme.id).await?;
    let elsewhere = tx
        .live_applications_elsewhere_of_applicants(scheme.id)
        .await?;
    let live = applications
        .iter()
        .filter(|it| it.status.is_open())
        .chain(&elsewhere);
    let mut schemes: HashMap<SchemeId, Scheme> = HashMap::new();
    schemes.insert(scheme.id, scheme.clone());
    let mut participations: HashMap<PersonId, Vec<(ApplicationId, Participation)>> = HashMap::new();
    for other in live {
        if !schemes.contains_key(&other.scheme)
            && let Some(found) = tx.scheme(other.scheme).await?
        {
            schemes.insert(other.scheme, found);
        }
        if let Some(its) = schemes.get(&other.scheme) {
            participations.entry(other.person).or_default().push((
                other.id,
                Participation {
                    scheme: its.id,
                    scheme_name: its.definition.name.clone(),
                    role: other.role,
                    status: other.status,
                    dual_roles_allowed: its.definition.policy.dual_roles_allowed,
                },
            ));
        }
    }

    let matches = tx.matches_of_scheme(scheme.id).await?;
    let taken = places_taken(&matches);
    let trained: HashMap<PersonId, Date> = if filter.people_only {
        HashMap::new()
    } else {
        crate::training::completions(tx, scheme, today).await?
    };
    let constraints = tx.constraints_of_scheme(scheme.id).await?;
    let invited: HashSet<(PersonId, Role)> = tx
        .invitations_of_scheme(scheme.id)
        .await?
        .into_iter()
        .map(|it| (it.person, it.role))
        .collect();

    // Reasonable adjustments (R8.5) count in matching without being shown to anyone.
    let adjustments: HashMap<PersonId, tandem_core::adjustment::Adjustments> = tx
        .adjustments_in_scheme(scheme.id)
        .await?
        .into_iter()
        .map(|it| (it.person, it))
        .collect();
    let wanted = |list: &Option<Vec<ApplicationId>>, id: ApplicationId| {
        list.as_ref().is_none_or(|list| list.contains(&id))
    };
    let mut cohort = Cohort {
        spec: engine::ProblemSpec::default(),
        mentors: Vec::new(),
        mentees: Vec::new(),
        excluded: Vec::new(),
        people: HashMap::new(),
        applications: Vec::new(),
    };
    for application in &applications {
        if application.status != ApplicationStatus::Approved {
            continue;
        }
        let Some(person) = people.get(&application.person) else {
            continue;
        };
        match application.role {
            Role::Mentee => {
                let in_division = filter.division.as_deref().is_none_or(|division| {
                    person.record.department.as_ref().map(AsRef::as_ref) == Some(division)
                });
                if !in_division || !wanted(&filter.mentees, application.id) {
                    continue;
                }
            }
            Role::Mentor => {
                if !wanted(&filter.mentors, application.id) {
                    continue;
                }
            }
        }
        let Some(home) = organisations.get(person.record.organisation.as_ref()) else {
            continue;
        };
        let elsewhere: Vec<Participation> = participations
            .get(&person.id)
            .map(|list| {
                list.iter()
                    .filter(|(id, _)| *id != application.id)
                    .map(|(_, it)| it.clone())
                    .collect()
            })
            .unwrap_or_default();
        // An invitation withdrawn since they applied keeps them out of matching.
        let refusals = application::refusals(
            application.role,
            scheme.id,
            policy,
            owner,
            application::Candidate {
                record: &person.record,
                organisation: home,
                invited: invited.contains(&(person.id, application.role)),
                participations: &elsewhere,
            },
        );
        let entrant = Entrant {
            application: application.clone(),
            person: person.clone(),
        };
        if !refusals.is_empty() {
            cohort.excluded.push((entrant, refusals));
            continue;
        }
        let level = owner
            .rank_bands
            .band_of(&person.record.rank_or_grade)
            .map_or(0, |band| band.level.min(engine::MAX_RANK_LEVEL));
        let training_done =
            !blocks_matching(policy, application.role) || trained.contains_key(&person.id);
        let location = application
            .answers
            .location
            .clone()
            .or_else(|| person.record.location.as_ref().map(ToString::to_string))
            .unwrap_or_default();
        let department = person
            .record
            .department
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let availability = engine::Availability::parse(
            application.answers.availability.iter().map(String::as_str),
        )
        .unwrap_or_default();
        let id = engine_id(application.id)?;
        match application.role {
            Role::Mentor => {
                let capacity = application.answers.capacity.unwrap_or(1);
                let free = free_places(capacity, taken.get(&application.id).copied().unwrap_or(0));
                if free == 0 && !filter.keep_full_mentors {
                    continue;
                }
                cohort.spec.mentors.push(engine::Mentor {
                    id,
                    capacity: free,
                    organisation: person.record.organisation.to_string(),
                    department,
                    location,
                    remote_ok: application.answers.remote_ok
                        || adjustments
                            .get(&person.id)
                            .is_some_and(|it| it.allow_remote_meetings()),
                    rank_level: level,
                    years_of_service: years_between(person.record.start_date, today),
                    topics: tags(&application.answers.topics),
                    availability,
                    training_done,
                    characteristics: Vec::new(),
                });
                cohort.mentors.push(entrant);
            }
            Role::Mentee => {
                // The mentors still wanted: the policy's number less the pairs holding a place.
                let wanted = policy
                    .mentors_per_mentee
                    .saturating_sub(taken.get(&application.id).copied().unwrap_or(0));
                if wanted == 0 && !filter.keep_full_mentors {
                    continue;
                }
                let wanted =
                    u8::try_from(wanted.clamp(1, u32::from(engine::MAX_MENTORS_PER_MENTEE)))
                        .unwrap_or(1);
                cohort.spec.mentees.push(engine::Mentee {
                    id,
                    organisation: person.record.organisation.to_string(),
                    department,
                    location,
                    remote_ok: application.answers.remote_ok,
                    rank_level: level,
                    development_areas: tags(&application.answers.topics),
                    preferred_mentor: None,
                    adjustments: mentee_adjustments(
                        application.answers.will_travel,
                        adjustments.get(&person.id),
                    ),
                    availability,
                    training_done,
                    diversity_preference: Vec::new(),
                    mentors: wanted,
                });
                cohort.mentees.push(entrant);
            }
        }
    }

    // A stated preference names a mentor by email; it counts when that mentor is in the cohort.
    let mentor_by_email: HashMap<String, engine::PersonId> = cohort
        .mentors
        .iter()
        .zip(&cohort.spec.mentors)
        .map(|(entrant, mentor)| (entrant.person.record.email.to_string(), mentor.id.clone()))
        .collect();
    for (entrant, mentee) in cohort.mentees.iter().zip(cohort.spec.mentees.iter_mut()) {
        mentee.preferred_mentor = entrant
            .application
            .answers
            .preferred_mentor_email
            .as_ref()
            .and_then(|email| mentor_by_email.get(email).cloned());
    }

    cohort.applications = applications;
    cohort.people = people;
    if filter.people_only {
        return Ok(cohort);
    }
    cohort.spec.rules.forbids = line_management_forbids(tx, &cohort).await?;
    let index: HashSet<ApplicationId> = cohort
        .mentors
        .iter()
        .chain(&cohort.mentees)
        .map(|it| it.application.id)
        .collect();
    // A mentee is never given a mentor it already has (several mentors per mentee, R5.8).
    for pair in matches.iter().filter(|it| it.status.holds_place()) {
        if index.contains(&pair.mentee_application) && index.contains(&pair.mentor_application) {
            cohort.spec.rules.forbids.push(engine::Forbid {
                mentee: engine_id(pair.mentee_application)?,
                mentor: engine_id(pair.mentor_application)?,
                rule: engine::ForbidRule::CurrentMentor,
                reason: String::new(),
            });
        }
    }
    for constraint in constraints {
        if !index.contains(&constraint.mentee_application)
            || !index.contains(&constraint.mentor_application)
        {
            continue;
        }
        let mentee = engine_id(constraint.mentee_application)?;
        let mentor = engine_id(constraint.mentor_application)?;
        match constraint.kind {
            ConstraintKind::Pin => cohort.spec.rules.pins.push(engine::Pin { mentee, mentor }),
            ConstraintKind::Forbid => cohort.spec.rules.forbids.push(engine::Forbid {
                mentee,
                mentor,
                rule: if constraint
                    .reason
                    .to_lowercase()
                    .contains("conflict of interest")
                {
                    engine::ForbidRule::ConflictOfInterest
                } else {
                    engine::ForbidRule::Forbidden
                },
                reason: constraint.reason,
            }),
        }
    }

    let (direction, enforce_direction) = direction(policy.rank_direction);
    cohort.spec.scheme = engine::Scheme {
        direction,
        weights: engine_weights(&policy.weights),
        maximise_matched: true,
        rank_gap_points: (!policy.rank_gap_points.is_empty()).then(|| {
            engine::RankGapPoints::from_entries(
                policy
                    .rank_gap_table()
                    .into_iter()
                    .map(|(gap, points)| (levels(gap), levels(points))),
            )
        }),
    };
    cohort.spec.rules.cross_force =
        policy.cross_force || owner.kind == tandem_core::OrganisationKind::National;
    cohort.spec.rules.training_required =
        blocks_matching(policy, Role::Mentor) || blocks_matching(policy, Role::Mentee);
    cohort.spec.rules.enforce_direction = enforce_direction;
    cohort.spec.rules.min_levels_apart = policy.min_levels_apart.map(levels);
    cohort.spec.rules.max_levels_apart = policy.max_levels_apart.map(levels);
    cohort.spec.rules.different_organisation = policy.different_organisation;
    cohort.spec.rules.different_department = policy.different_department;
    Ok(cohort)
}

/// A policy's weights (0 to 100) as the engine's.
pub(crate) fn engine_weights(weights: &tandem_core::policy::MatchWeights) -> engine::Weights {
    let weight = |value: u32| engine::Weight::new_clamped(engine_weight(value));
    engine::Weights {
        topic_fit: weight(weights.topics),
        location_fit: weight(weights.location),
        rank_gap: weight(weights.rank),
        experience: weight(weights.experience),
        availability: weight(weights.availability),
        preference: weight(weights.preference),
        diversity: weight(weights.diversity),
    }
}

/// What of a mentee's circumstances changes how places are scored: not travelling (their
/// answer on the form, or a recorded adjustment) and meeting remotely (an adjustment, R8.5).
fn mentee_adjustments(
    will_travel: bool,
    recorded: Option<&tandem_core::adjustment::Adjustments>,
) -> Vec<engine::Adjustment> {
    let mut out = Vec::new();
    if recorded.is_some_and(|it| it.remote_meetings) {
        out.push(engine::Adjustment::RemoteMeetings);
    }
    if !will_travel || recorded.is_some_and(|it| it.no_travel) {
        out.push(engine::Adjustment::NoTravel);
    }
    out
}

/// A mentor may not be anyone above the mentee in their line-management chain (R5.1).
async fn line_management_forbids(
    tx: &mut Tx,
    cohort: &Cohort,
) -> Result<Vec<engine::Forbid>, AppError> {
    let mut forbids = Vec::new();
    if cohort.mentors.is_empty() || cohort.mentees.is_empty() {
        return Ok(forbids);
    }
    let mut mentors_of_person: HashMap<PersonId, Vec<ApplicationId>> = HashMap::new();
    for mentor in &cohort.mentors {
        mentors_of_person
            .entry(mentor.person.id)
            .or_default()
            .push(mentor.application.id);
    }
    let mut organisations: Vec<&str> = cohort
        .mentees
        .iter()
        .map(|it| it.person.record.organisation.as_ref())
        .collect();
    organisations.sort_unstable();
    organisations.dedup();
    for code in organisations {
        let Some(organisation) = tx
            .organisation_by_code(&tandem_core::domain::OrgCode::parse(code).map_err(|err| {
                AppError::Conflict(format!("a stored organisation code is not valid: {err}"))
            })?)
            .await?
        else {
            continue;
        };
        let links = tx.line_management_links(organisation.id).await?;
        let tree = LineManagementTree::new(links).map_err(|err| {
            AppError::Conflict(format!(
                "{} has a loop in its line management; fix the HR directory first: {err}",
                organisation.code
            ))
        })?;
        for mentee in cohort
            .mentees
            .iter()
            .filter(|it| it.person.record.organisation == organisation.code)
        {
            for manager in tree.chain_of(&mentee.person.id) {
                for mentor in mentors_of_person.get(manager).into_iter().flatten() {
                    forbids.push(engine::Forbid {
                        mentee: engine_id(mentee.application.id)?,
                        mentor: engine_id(*mentor)?,
                        rule: engine::ForbidRule::LineManagement,
                        reason: String::new(),
                    });
                }
            }
        }
    }
    Ok(forbids)
}

/// A hard rule in words a coordinator reads, for the mentors it kept away.
pub(crate) fn rule_words(exclusion: engine::Exclusion) -> &'static str {
    use engine::{Exclusion, HardRule};
    match exclusion {
        Exclusion::NoCapacity => "have no free place",
        Exclusion::AlreadyMentor => "are already this mentee's mentors",
        Exclusion::Rule(HardRule::SamePerson) => "are the mentee themselves",
        Exclusion::Rule(HardRule::CrossForce) => {
            "are in another force, and the scheme is not cross-force"
        }
        Exclusion::Rule(HardRule::DifferentOrganisation) => {
            "are in the mentee's own organisation, and this scheme's mentors come from another"
        }
        Exclusion::Rule(HardRule::DifferentDepartment) => {
            "are in the mentee's own department, and this scheme's mentors come from another"
        }
        Exclusion::Rule(HardRule::LevelsApart) => {
            "are too few or too many ranks apart from the mentee for this scheme"
        }
        Exclusion::Rule(HardRule::Training) => {
            "cannot be matched until the training is done (theirs or the mentee's)"
        }
        Exclusion::Rule(HardRule::RankDirection) => {
            "are the wrong way round in rank for this scheme"
        }
        Exclusion::Rule(HardRule::LineManagement) => "are in the mentee's line-management chain",
        Exclusion::Rule(HardRule::ConflictOfInterest) => "have a declared conflict of interest",
        Exclusion::Rule(HardRule::CurrentMentor) => "are already this mentee's mentors",
        Exclusion::Rule(HardRule::Forbidden) => "were ruled out for this mentee by a coordinator",
    }
}

/// A broken rule for one pair, in words.
pub(crate) fn violation_words(violation: &engine::RuleViolation) -> String {
    use engine::HardRule;
    let rule = match violation.rule {
        HardRule::SamePerson => "a person cannot mentor themselves",
        HardRule::CrossForce => {
            "the mentor is in another force, and this scheme is not cross-force"
        }
        // The engine's own organisation and department details are codes, for a file's
        // author; these say it in words.
        HardRule::DifferentOrganisation => {
            return "the mentor is in the mentee's own organisation, and this scheme's mentors come from another".to_owned();
        }
        HardRule::DifferentDepartment => {
            return "the mentor is in the mentee's own department, and this scheme's mentors come from another".to_owned();
        }
        // "The mentor is 3 ranks above the mentee; this scheme allows 1 to 2 above" is numbers
        // and words only, all a person needs.
        HardRule::LevelsApart => return violation.detail.trim().to_owned(),
        HardRule::Training => "the training must be done before matching",
        HardRule::RankDirection => "the rank gap points the wrong way for this scheme",
        HardRule::LineManagement => "the mentor is in the mentee's line-management chain",
        HardRule::ConflictOfInterest => "there is a declared conflict of interest",
        HardRule::CurrentMentor => {
            "the mentor is already this mentee's mentor; a pair is made once"
        }
        HardRule::Forbidden => "a coordinator ruled this pair out",
    };
    // The engine names a forbid by its place in the problem ("rules.forbids[3]: reason"),
    // which is for a problem file's author; a person reads the reason alone.
    let detail = match violation.detail.strip_prefix("rules.forbids[") {
        Some(rest) => rest
            .split_once(']')
            .map_or("", |(_, reason)| reason.trim_start_matches(':').trim()),
        None => violation.detail.trim(),
    };
    if detail.is_empty() {
        rule.to_owned()
    } else {
        format!("{rule} ({detail})")
    }
}

/// A pair's score, factor by factor, one line each.
pub(crate) fn breakdown_lines(breakdown: &engine::Breakdown) -> String {
    breakdown
        .factors
        .iter()
        .map(|factor| {
            // The engine names topics by tag (`work_life_balance`) and slots by code (`tue-pm`);
            // a coordinator reads words.
            let detail = match factor.detail.split_once(": ") {
                Some((shared, slots)) if factor.factor == engine::Factor::Availability => {
                    let slots: Vec<String> = slots.split(',').map(str::to_owned).collect();
                    format!("{shared}: {}", application::availability_words(&slots))
                }
                _ => factor.detail.replace('_', " "),
            };
            format!(
                "{}: {} ({} points × weight {} = {})",
                factor.factor.as_str().replace('_', " "),
                detail,
                factor.points,
                factor.weight,
                factor.contribution
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
