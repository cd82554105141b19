//! The self-service directory (R5.5): where a scheme lets mentees choose, they browse mentors
//! with free places (by topic, location, remote), send a request, and the mentor accepts or
//! declines. A request is judged by the same rules as every other pair.

use super::confirm_pair;
use super::judge::{judge, judge_all};
use crate::outbox::letter;
use crate::{App, AppError, audit};
use std::collections::HashMap;
use tandem_core::application::{Application, ApplicationStatus, FormProblem};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, Denied, authorize};
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::eligibility::Role;
use tandem_core::hr::ExistingPerson;
use tandem_core::pairing::{Lifecycle, Match, MatchSource, MatchStatus, free_places, places_taken};
use tandem_core::policy::MatchingMode;
use tandem_core::relationship::{self, Party, Step};
use tandem_core::{ApplicationId, MatchId, PersonId};
use uuid::Uuid;

/// What a mentee searches the directory for; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectorySearch {
    /// A topic from the organisation's list.
    pub topic: String,
    /// Part of a location (station, site, town).
    pub location: String,
    /// Only mentors who meet remotely.
    pub remote: bool,
}

/// A mentor as the directory shows them.
#[derive(Debug, Clone)]
pub struct DirectoryEntry {
    /// Their application (what a request names).
    pub application: Application,
    /// Their HR record.
    pub person: ExistingPerson,
    /// Places still free.
    pub free: u32,
    /// The viewer's request to them is waiting for an answer.
    pub requested: bool,
}

/// The mentee's own approved application to a self-select scheme, or why they cannot use its
/// directory.
async fn own_mentee_application(
    tx: &mut tandem_store::Tx,
    actor: &Actor,
    scheme: &tandem_core::programme::Scheme,
) -> Result<Application, AppError> {
    let person = actor.person().ok_or_else(|| {
        AppError::Denied(Denied {
            reason: "sign in as yourself to use the directory".to_owned(),
        })
    })?;
    authorize(actor, &Action::ActOnOwnApplication { applicant: person })?;
    if scheme.definition.policy.matching != MatchingMode::SelfSelect {
        return Err(AppError::Conflict(format!(
            "in {} the coordinators match mentees; there is no directory to choose from",
            scheme.definition.name
        )));
    }
    tx.applications_of_person(person)
        .await?
        .into_iter()
        .find(|it| it.scheme == scheme.id && it.role == Role::Mentee && it.status.is_open())
        .filter(|it| it.status == ApplicationStatus::Approved)
        .ok_or_else(|| {
            AppError::Conflict(format!(
                "the directory opens once your application to be a mentee in {} is approved",
                scheme.definition.name
            ))
        })
}

/// The directory as a mentee sees it: the mentors they may ask, and why others are not shown.
#[derive(Debug, Clone)]
pub struct Directory {
    /// The scheme.
    pub scheme: tandem_core::programme::Scheme,
    /// Mentors with a free place who fit the search and whom the mentee may ask.
    pub entries: Vec<DirectoryEntry>,
    /// Mentors with a free place who fit the search but whom the rules forbid the mentee to
    /// ask, counted by why (in words, for the mentee), the largest count first.
    pub hidden: Vec<(String, usize)>,
    /// The mentee has not done the training the scheme requires before matching, so no mentor
    /// can be asked yet.
    pub training_due: bool,
    /// Why the mentee may not be matched at all at the moment, in words; empty when they may.
    pub refused: Vec<String>,
    /// The mentor whose answer the mentee's request waits for: no other can be asked meanwhile.
    pub pending: Option<ExistingPerson>,
}

/// Why a mentor is not listed, in the mentee's words; `None` for a mentor who is listed.
fn hidden_because(barriers: &[super::judge::Barrier]) -> &'static str {
    use tandem_match::HardRule;
    match barriers.first().and_then(|it| it.rule) {
        Some(HardRule::LineManagement) => "in your line-management chain",
        Some(HardRule::Training) => "still to do the training the scheme requires",
        Some(HardRule::CrossForce) => "in another force, and this scheme is not cross-force",
        Some(HardRule::DifferentOrganisation) => {
            "in your own force, and this scheme's mentors come from another"
        }
        Some(HardRule::DifferentDepartment) => {
            "in your own department, and this scheme's mentors come from another"
        }
        Some(HardRule::LevelsApart) => "too few or too many ranks from yours for this scheme",
        Some(HardRule::RankDirection) => "the wrong way round in rank for this scheme",
        Some(HardRule::ConflictOfInterest) => "declared to have a conflict of interest with you",
        Some(HardRule::CurrentMentor) => "already your mentor",
        Some(HardRule::Forbidden) => "ruled out for you by a coordinator",
        Some(HardRule::SamePerson) => "you yourself",
        None => "no longer able to take part",
    }
}

/// Mentors with free places in a self-select scheme, for a mentee whose application is
/// approved: only those the mentee may ask, judged by the rules a request is judged by.
pub async fn directory(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
    key: &SchemeKey,
    search: &DirectorySearch,
) -> Result<Directory, AppError> {
    let mut tx = app.store.begin_read().await?;
    let owner = tx
        .organisation_by_code(organisation)
        .await?
        .ok_or_else(|| crate::organisations::not_found(organisation))?;
    let scheme = tx
        .scheme_by_key(owner.id, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{organisation} runs no scheme called {key}")))?;
    let mine = own_mentee_application(&mut tx, actor, &scheme).await?;
    let matches = tx.matches_of_scheme(scheme.id).await?;
    let taken = places_taken(&matches);
    let people: HashMap<PersonId, ExistingPerson> = tx
        .applicants_to_scheme(scheme.id)
        .await?
        .into_iter()
        .map(|it| (it.id, it))
        .collect();
    let judged = judge_all(&mut tx, &scheme, &mine, None, app.clock.now()).await?;
    let verdicts: HashMap<ApplicationId, &[super::judge::Barrier]> = judged
        .mentors
        .iter()
        .map(|(id, verdict)| (*id, verdict.as_ref().map_or_else(Vec::as_slice, |_| &[])))
        .collect();
    let pending = matches
        .iter()
        .find(|it| it.status == MatchStatus::Requested && it.mentee_application == mine.id)
        .and_then(|it| people.get(&it.mentor).cloned());
    // Until the mentee may be matched at all, no mentor is listed and the page says why once.
    let askable = judged.mentee_refused.is_empty() && judged.mentee_trained;
    let topic = search.topic.trim().to_lowercase();
    let place = search.location.trim().to_lowercase();
    let mut out = Vec::new();
    let mut hidden: HashMap<&'static str, usize> = HashMap::new();
    for application in tx.applications_to_scheme(scheme.id).await? {
        if application.role != Role::Mentor
            || application.status != ApplicationStatus::Approved
            || application.person == mine.person
        {
            continue;
        }
        let Some(person) = people.get(&application.person) else {
            continue;
        };
        let free = free_places(
            application.answers.capacity.unwrap_or(1),
            taken.get(&application.id).copied().unwrap_or(0),
        );
        let location = application
            .answers
            .location
            .clone()
            .or_else(|| person.record.location.as_ref().map(ToString::to_string))
            .unwrap_or_default()
            .to_lowercase();
        let fits = free > 0
            && (topic.is_empty()
                || application
                    .answers
                    .topics
                    .iter()
                    .any(|it| it.to_lowercase() == topic))
            && (place.is_empty() || location.contains(&place))
            && (!search.remote || application.answers.remote_ok);
        if !fits {
            continue;
        }
        // A mentor the engine did not judge is one the cohort left out: not askable either.
        let barriers = verdicts.get(&application.id).copied();
        if askable && barriers.is_some_and(<[_]>::is_empty) {
            let requested = matches.iter().any(|it| {
                it.status == MatchStatus::Requested
                    && it.mentee_application == mine.id
                    && it.mentor_application == application.id
            });
            out.push(DirectoryEntry {
                person: person.clone(),
                free,
                requested,
                application,
            });
        } else if askable {
            *hidden
                .entry(hidden_because(barriers.unwrap_or_default()))
                .or_default() += 1;
        }
    }
    out.sort_by(|a, b| {
        (
            a.person.record.last_name.as_ref(),
            a.person.record.first_name.as_ref(),
        )
            .cmp(&(
                b.person.record.last_name.as_ref(),
                b.person.record.first_name.as_ref(),
            ))
    });
    let mut hidden: Vec<(String, usize)> = hidden
        .into_iter()
        .map(|(why, n)| (why.to_owned(), n))
        .collect();
    hidden.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    tx.rollback().await?;
    Ok(Directory {
        training_due: judged.mentee_refused.is_empty() && !judged.mentee_trained,
        refused: judged.mentee_refused,
        scheme,
        entries: out,
        hidden,
        pending,
    })
}

/// Sends a mentor a request from the directory. One request at a time; the mentor must have a
/// free place, and the pair must break no hard rule (each broken rule is named).
pub async fn request(
    app: &App,
    actor: &Actor,
    mentor: ApplicationId,
    public_url: &str,
) -> Result<Match, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let mentor_application = tx
        .application(mentor)
        .await?
        .filter(|it| it.role == Role::Mentor)
        .ok_or_else(|| AppError::NotFound("there is no such mentor".to_owned()))?;
    let scheme = tx
        .scheme(mentor_application.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))?;
    let mine = own_mentee_application(&mut tx, actor, &scheme).await?;
    tx.lock_application(mentor_application.id).await?;
    tx.lock_application(mine.id).await?;
    let pending = tx
        .matches_of_scheme(scheme.id)
        .await?
        .into_iter()
        .any(|it| it.mentee_application == mine.id && it.status == MatchStatus::Requested);
    if pending {
        return Err(AppError::Conflict(
            "you are waiting for a mentor's answer already; withdraw that request to ask someone else".to_owned(),
        ));
    }
    let mentor_person = tx.person(mentor_application.person).await?;
    let taken = tx.places_taken_by(mentor_application.id).await?;
    if free_places(mentor_application.answers.capacity.unwrap_or(1), taken) == 0 {
        return Err(AppError::Conflict(format!(
            "{} has no free place left; choose another mentor",
            mentor_person.record.full_name()
        )));
    }
    let breakdown = judge(&mut tx, &scheme, &mine, &mentor_application, now).await?;
    let pair = Match {
        id: MatchId(Uuid::now_v7()),
        scheme: scheme.id,
        mentor_application: mentor_application.id,
        mentee_application: mine.id,
        mentor: mentor_application.person,
        mentee: mine.person,
        status: MatchStatus::Requested,
        source: MatchSource::Directory,
        score: Some(breakdown.total),
        explanation: super::breakdown_lines(&breakdown),
        proposed_by: actor.audit_label(),
        proposed_at: now,
        decided_by: None,
        decided_at: None,
        reason: None,
        version: 1,
        life: Lifecycle::default(),
    };
    tx.insert_match(&pair).await?;
    let mentee_person = tx.person(mine.person).await?;
    tx.enqueue(&letter(
        &mentor_person,
        format!("match.requested.{}", pair.id),
        format!("{} asks you to be their mentor", mentee_person.record.full_name()),
        format!(
            "{} ({}) would like you as their mentor in {}. What they want from mentoring:\n\n{}\n\nAccept or decline on Your mentoring:\n{}/applications",
            mentee_person.record.full_name(),
            mentee_person.record.rank_or_grade,
            scheme.definition.name,
            mine.answers.summary,
            public_url.trim_end_matches('/')
        ),
        now,
    ))
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::MatchRequested,
        Some(scheme.organisation),
        "match",
        Some(pair.id.0),
        serde_json::json!({ "scheme": scheme.definition.key.as_ref() }),
    )])
    .await?;
    tx.commit().await?;
    Ok(pair)
}

/// The mentor's answer to a request: accept (the pair is confirmed, with every check a
/// confirmation makes) or decline with a reason the mentee reads. The mentee may also withdraw
/// their own request (`accept = false`).
pub async fn answer_request(
    app: &App,
    actor: &Actor,
    id: MatchId,
    accept: bool,
    reason: &str,
    public_url: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let pair = tx
        .match_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such request".to_owned()))?;
    let me = actor.person();
    let as_mentor = me == Some(pair.mentor);
    let as_mentee = me == Some(pair.mentee) && !accept;
    if !as_mentor && !as_mentee {
        return Err(AppError::Denied(Denied {
            reason: "only the mentor asked can answer a request".to_owned(),
        }));
    }
    authorize(
        actor,
        &Action::ActOnOwnApplication {
            applicant: if as_mentor { pair.mentor } else { pair.mentee },
        },
    )?;
    if pair.status != MatchStatus::Requested {
        return Err(AppError::Conflict(format!(
            "the request was already answered: {}",
            pair.status.describe().to_lowercase()
        )));
    }
    let scheme = tx
        .scheme(pair.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))?;
    if accept {
        confirm_pair(&mut tx, actor, &pair, &scheme, public_url, now).await?;
    } else {
        let reason = reason.trim();
        if as_mentor && reason.is_empty() {
            return Err(AppError::Invalid(vec![FormProblem {
                field: "reason",
                message: "say briefly why you decline, so the mentee can choose well next time"
                    .to_owned(),
            }]));
        }
        let (party, move_) = if as_mentor {
            (Party::Mentor, Step::Decline)
        } else {
            (Party::Mentee, Step::Withdraw)
        };
        let status = relationship::step(pair.status, move_, party)
            .map_err(|refused| AppError::Conflict(refused.reason.to_owned()))?;
        tx.update_match(&Match {
            status,
            decided_by: Some(actor.audit_label()),
            decided_at: Some(now),
            reason: (!reason.is_empty()).then(|| reason.to_owned()),
            ..pair.clone()
        })
        .await?;
        if as_mentor {
            let mentee = tx.person(pair.mentee).await?;
            let mentor = tx.person(pair.mentor).await?;
            tx.enqueue(&letter(
                &mentee,
                format!("match.declined.{id}"),
                format!("{} cannot mentor you", mentor.record.full_name()),
                format!(
                    "{} declined your request in {}. Their reason: {reason}\n\nChoose another mentor from the directory:\n{}/applications",
                    mentor.record.full_name(),
                    scheme.definition.name,
                    public_url.trim_end_matches('/')
                ),
                now,
            ))
            .await?;
        }
    }
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        if accept {
            AuditAction::MatchRequestAccepted
        } else if as_mentor {
            AuditAction::MatchRequestDeclined
        } else {
            AuditAction::MatchRequestWithdrawn
        },
        Some(scheme.organisation),
        "match",
        Some(id.0),
        serde_json::json!({}),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}
