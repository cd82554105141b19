//! Matching (R5): bulk proposals with the reason for every pair and every unmatched mentee, pins
//! and forbids, a coordinator's pick, confirmation (capacity, ethics and every hard rule checked
//! again), the self-service directory with requests, and ending early to be matched again.
//!
//! Every path builds its problem in [`cohort`] and judges pairs with `tandem-match`; there is no
//! second scoring or rule-checking path.

mod cohort;
mod confirm_check;
mod directory;
mod judge;
mod proposal;
mod supply;

pub use cohort::Entrant;
pub use confirm_check::{ConfirmAll, confirm_all_check};
pub use directory::{DirectoryEntry, DirectorySearch, answer_request, directory, request};
pub use proposal::{
    ProposalStatus, ProposalSummary, StartedProposal, cancel_proposal, latest_proposal, propose,
    start_proposal,
};
pub use supply::{SupplyView, appeal, supply};

use crate::notify::Notify as _;
use crate::{App, AppError, audit};
use cohort::{Filter, breakdown_lines, rule_words};
pub(crate) use judge::judge;
use std::collections::HashMap;
use tandem_core::application::{Application, ApplicationStatus};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{self, Action, Actor, ApplicationScope, Denied, Reach, authorize};
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::eligibility::Role;
use tandem_core::hr::ExistingPerson;
use tandem_core::pairing::{
    ConstraintKind, Lifecycle, Match, MatchSource, MatchStatus, PairConstraint, free_places,
};
use tandem_core::programme::Scheme;
use tandem_core::relationship::{self, Party, Step};
use tandem_core::spreadsheet::{CsvWriter, Kind};
use tandem_core::{ApplicationId, MatchId, Organisation, OrganisationId, PersonId};
use tandem_match as engine;
use tandem_store::{MatchRun, Tx};
use time::OffsetDateTime;
use uuid::Uuid;

/// A match with the two people in it.
#[derive(Debug, Clone)]
pub struct MatchView {
    /// The match.
    pub pair: Match,
    /// The mentor's record.
    pub mentor: ExistingPerson,
    /// The mentee's record.
    pub mentee: ExistingPerson,
}

/// A confirmed pair that has ended, as the coordinator's board keeps it in view.
#[derive(Debug, Clone)]
pub struct EndedPair {
    /// The pair.
    pub view: MatchView,
    /// Who ended it, in words; `None` for a relationship that closed once both had written
    /// their reviews (nobody ended it).
    pub ended_by: Option<String>,
    /// When it ended.
    pub ended_at: Option<OffsetDateTime>,
}

/// Everything the matching page shows for the actor's cohort.
#[derive(Debug, Clone)]
pub struct Board {
    /// The scheme.
    pub scheme: Scheme,
    /// The division the actor matches for; `None` for the whole scheme.
    pub division: Option<String>,
    /// The latest bulk run over this cohort.
    pub run: Option<MatchRun>,
    /// Who started that run, in words.
    pub run_by: Option<String>,
    /// The highest score a pair can reach under the scheme's weights.
    pub max_score: i64,
    /// Proposals waiting to be confirmed.
    pub proposed: Vec<MatchView>,
    /// Requests from the directory waiting for the mentor.
    pub requested: Vec<MatchView>,
    /// Confirmed pairs.
    pub confirmed: Vec<MatchView>,
    /// Pairs that were confirmed and have ended since, with who ended them.
    pub ended: Vec<EndedPair>,
    /// Pins and forbids, with the two people.
    pub constraints: Vec<(PairConstraint, ExistingPerson, ExistingPerson)>,
    /// Mentees on the waiting list in this cohort with no proposal or request (for a pick by
    /// hand).
    pub waiting: Vec<Entrant>,
    /// Mentors with free places, and how many.
    pub mentors: Vec<(Entrant, u32)>,
    /// Names of applications the run mentions, for its reasons.
    pub names: HashMap<ApplicationId, String>,
}

pub(crate) fn scope_of(scheme: &Scheme, person: &ExistingPerson) -> ApplicationScope {
    ApplicationScope {
        organisation: scheme.organisation,
        scheme: scheme.id,
        division: person
            .record
            .department
            .as_ref()
            .map(|it| it.as_ref().to_owned()),
    }
}

/// The cohort an actor matches: the whole scheme for its coordinators (and champions of the
/// organisation or scheme); their division's mentees for a divisional champion.
fn cohort_division(
    actor: &Actor,
    scheme: &Scheme,
    manage: bool,
) -> Result<Option<String>, AppError> {
    match authz::reach(actor, scheme.organisation, scheme.id, manage) {
        Reach::Scheme => Ok(None),
        Reach::Divisions(divisions) => Ok(divisions.into_iter().next()),
        Reach::Nothing => Err(AppError::Denied(Denied {
            reason: "only the scheme's coordinators and champions can match".to_owned(),
        })),
    }
}

async fn scheme_and_owner(
    tx: &mut Tx,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<(Scheme, Organisation), AppError> {
    let scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    let owner = owner_of(tx, &scheme).await?;
    Ok((scheme, owner))
}

async fn owner_of(tx: &mut Tx, scheme: &Scheme) -> Result<Organisation, AppError> {
    tx.organisations()
        .await?
        .into_iter()
        .find(|it| it.id == scheme.organisation)
        .ok_or_else(|| AppError::NotFound("the scheme's organisation is gone".to_owned()))
}

fn unmatched_reason(
    problem: &engine::Problem,
    reason: &engine::UnmatchedReason,
    names: &HashMap<engine::PersonId, String>,
) -> String {
    match reason {
        engine::UnmatchedReason::NoFeasibleMentor { exclusions } => {
            if problem.mentors().is_empty() {
                return "no mentor has a free place".to_owned();
            }
            let parts: Vec<String> = exclusions
                .iter()
                .map(|it| format!("{} {}", it.mentors.len(), rule_words(it.exclusion)))
                .collect();
            format!("no mentor is allowed: {}", parts.join("; "))
        }
        engine::UnmatchedReason::CapacityTaken {
            best_mentor,
            best_score,
            allowed_mentors,
            ..
        } => {
            let best = &problem.mentor(*best_mentor).id;
            let name = names.get(best).map_or(best.as_str(), String::as_str);
            if *allowed_mentors == 1 {
                format!(
                    "the only mentor they may have, {name}, is taken by a pinned pair or one that makes a better total"
                )
            } else {
                format!(
                    "all {allowed_mentors} mentors they may have are taken by pinned pairs or ones that make a better total; the best for them would be {name} (score {best_score})"
                )
            }
        }
    }
}

pub(crate) async fn views(
    tx: &mut Tx,
    matches: Vec<Match>,
    people: &mut HashMap<PersonId, ExistingPerson>,
) -> Result<Vec<MatchView>, AppError> {
    let mut out = Vec::with_capacity(matches.len());
    for pair in matches {
        for id in [pair.mentor, pair.mentee] {
            if let std::collections::hash_map::Entry::Vacant(slot) = people.entry(id) {
                slot.insert(tx.person(id).await?);
            }
        }
        if let (Some(mentor), Some(mentee)) = (people.get(&pair.mentor), people.get(&pair.mentee)) {
            out.push(MatchView {
                mentor: mentor.clone(),
                mentee: mentee.clone(),
                pair,
            });
        }
    }
    Ok(out)
}

/// The matching page's contents for the actor's cohort. The read is audited.
pub async fn board(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<Board, AppError> {
    let mut tx = app.store.begin_read().await?;
    let (board, read) = board_in(&mut tx, actor, organisation, key, app.clock.now()).await?;
    tx.rollback().await?;
    audit::record_read(app, [read]).await?;
    Ok(board)
}

/// [`board`] inside `tx`, with the audit entry of its read for the caller to record: by the
/// group commit after a read, or in the caller's own write.
async fn board_in(
    tx: &mut Tx,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
    now: OffsetDateTime,
) -> Result<(Board, tandem_store::AuditEntry), AppError> {
    let (scheme, owner) = scheme_and_owner(tx, organisation, key).await?;
    let division = cohort_division(actor, &scheme, false)?;
    let run = tx.latest_match_run(scheme.id, division.as_deref()).await?;
    let mut cohort = cohort::build(
        tx,
        &scheme,
        &owner,
        &Filter {
            division: division.clone(),
            people_only: true,
            ..Filter::default()
        },
        now,
    )
    .await?;
    let mut people = std::mem::take(&mut cohort.people);
    let in_scope = |mentee: &ExistingPerson| {
        division.as_deref().is_none_or(|division| {
            mentee.record.department.as_ref().map(AsRef::as_ref) == Some(division)
        })
    };
    let matches = tx.matches_of_scheme(scheme.id).await?;
    let all = views(tx, matches, &mut people).await?;
    let mut proposed = Vec::new();
    let mut requested = Vec::new();
    let mut confirmed = Vec::new();
    let mut ended = Vec::new();
    let mut names_of_people = HashMap::new();
    for view in all {
        if !in_scope(&view.mentee) {
            continue;
        }
        match view.pair.status {
            MatchStatus::Proposed => proposed.push(view),
            MatchStatus::Requested => requested.push(view),
            status if status.holds_place() => confirmed.push(view),
            status if status.is_over() && view.pair.life.confirmed_at.is_some() => {
                ended.push(ended_pair(tx, &mut names_of_people, view).await?);
            }
            _ => {}
        }
    }
    let applications: HashMap<ApplicationId, PersonId> = cohort
        .applications
        .iter()
        .map(|it| (it.id, it.person))
        .collect();
    let mut constraints = Vec::new();
    for constraint in tx.constraints_of_scheme(scheme.id).await? {
        let mentee = applications
            .get(&constraint.mentee_application)
            .and_then(|id| people.get(id));
        let mentor = applications
            .get(&constraint.mentor_application)
            .and_then(|id| people.get(id));
        if let (Some(mentee), Some(mentor)) = (mentee, mentor)
            && in_scope(mentee)
        {
            constraints.push((constraint.clone(), mentee.clone(), mentor.clone()));
        }
    }
    let names: HashMap<ApplicationId, String> = applications
        .iter()
        .filter_map(|(application, person)| {
            people
                .get(person)
                .map(|it| (*application, it.record.full_name()))
        })
        .collect();
    // Mentees a proposal or a request already covers are picked by confirming or ruling out.
    let covered: std::collections::HashSet<ApplicationId> = proposed
        .iter()
        .chain(&requested)
        .map(|view| view.pair.mentee_application)
        .collect();
    let waiting = cohort
        .mentees
        .iter()
        .filter(|it| !covered.contains(&it.application.id))
        .cloned()
        .collect();
    let mentors = cohort
        .mentors
        .iter()
        .zip(&cohort.spec.mentors)
        .map(|(entrant, mentor)| (entrant.clone(), mentor.capacity))
        .collect();
    let run_by = match &run {
        Some(run) => Some(crate::audit_log::who(tx, &mut HashMap::new(), &run.run_by).await?),
        None => None,
    };
    let read = audit::entry(
        actor,
        now,
        AuditAction::MatchingViewed,
        Some(scheme.organisation),
        "scheme",
        Some(scheme.id.0),
        serde_json::json!({ "scheme": key.as_ref(), "division": division }),
    );
    Ok((
        Board {
            max_score: i64::from(tandem_match::max_pair_score(&cohort::engine_weights(
                &scheme.definition.policy.weights,
            ))),
            scheme,
            division,
            run,
            run_by,
            proposed,
            requested,
            confirmed,
            ended,
            constraints,
            waiting,
            mentors,
            names,
        },
        read,
    ))
}

/// A confirmed pair that is over, with who ended it: a closed relationship ran its course, any
/// other was ended by whoever made its last move.
async fn ended_pair(
    tx: &mut Tx,
    names: &mut HashMap<PersonId, String>,
    view: MatchView,
) -> Result<EndedPair, AppError> {
    let closed = view.pair.status == MatchStatus::Closed;
    let ended_by = match (&view.pair.decided_by, closed) {
        (Some(label), false) => Some(crate::audit_log::who(tx, names, label).await?),
        _ => None,
    };
    let ended_at = if closed {
        view.pair.life.closed_at.or(view.pair.decided_at)
    } else {
        view.pair.decided_at
    };
    Ok(EndedPair {
        view,
        ended_by,
        ended_at,
    })
}

/// The two applications of a pair, checked to be a mentor and a mentee of one scheme.
async fn pair_of(
    tx: &mut Tx,
    mentee: ApplicationId,
    mentor: ApplicationId,
) -> Result<(Application, Application, Scheme), AppError> {
    let missing = || AppError::NotFound("there is no such application".to_owned());
    let mentee = tx.application(mentee).await?.ok_or_else(missing)?;
    let mentor = tx.application(mentor).await?.ok_or_else(missing)?;
    if mentee.role != Role::Mentee || mentor.role != Role::Mentor || mentee.scheme != mentor.scheme
    {
        return Err(AppError::Conflict(
            "choose a mentee and a mentor of the same scheme".to_owned(),
        ));
    }
    let scheme = tx
        .scheme(mentee.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))?;
    Ok((mentee, mentor, scheme))
}

/// Where a request says the pair belongs: the scheme's organisation and key, as in its address.
#[derive(Debug, Clone, Copy)]
pub struct SchemeRef<'a> {
    /// The organisation running the scheme.
    pub organisation: OrganisationId,
    /// The scheme's key.
    pub key: &'a SchemeKey,
}

/// `pair_of`, refused unless the pair belongs to `expected` (checked before anything is written,
/// so a request naming the wrong scheme changes nothing).
async fn pair_in(
    tx: &mut Tx,
    expected: SchemeRef<'_>,
    mentee: ApplicationId,
    mentor: ApplicationId,
) -> Result<(Application, Application, Scheme), AppError> {
    let (mentee, mentor, scheme) = pair_of(tx, mentee, mentor).await?;
    if scheme.organisation != expected.organisation || &scheme.definition.key != expected.key {
        return Err(AppError::NotFound(format!(
            "those applications are not in the scheme {}",
            expected.key
        )));
    }
    Ok((mentee, mentor, scheme))
}

/// Pins a pair (keep it in every proposal) or forbids it (never propose it), with a reason.
pub async fn set_constraint(
    app: &App,
    actor: &Actor,
    scheme: SchemeRef<'_>,
    mentee: ApplicationId,
    mentor: ApplicationId,
    kind: ConstraintKind,
    reason: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let (mentee, mentor, scheme) = pair_in(&mut tx, scheme, mentee, mentor).await?;
    let person = tx.person(mentee.person).await?;
    authorize(
        actor,
        &Action::ManageApplications(scope_of(&scheme, &person)),
    )?;
    let reason = tandem_core::application::written(
        "reason",
        reason,
        tandem_core::application::TextLimit::Reason,
        (kind == ConstraintKind::Forbid)
            .then_some("say why the pair is ruled out (e.g. a conflict of interest)"),
    )
    .map_err(|problem| AppError::Invalid(vec![problem]))?;
    tx.set_constraint(
        &PairConstraint {
            scheme: scheme.id,
            mentee_application: mentee.id,
            mentor_application: mentor.id,
            kind,
            reason,
            created_by: actor.audit_label(),
        },
        now,
    )
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        if kind == ConstraintKind::Pin {
            AuditAction::MatchingPinned
        } else {
            AuditAction::MatchingForbidden
        },
        Some(scheme.organisation),
        "application",
        Some(mentee.id.0),
        serde_json::json!({ "mentor_application": mentor.id.to_string() }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes away a pair's pin or forbid.
pub async fn remove_constraint(
    app: &App,
    actor: &Actor,
    scheme: SchemeRef<'_>,
    mentee: ApplicationId,
    mentor: ApplicationId,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let (mentee, mentor, scheme) = pair_in(&mut tx, scheme, mentee, mentor).await?;
    let person = tx.person(mentee.person).await?;
    authorize(
        actor,
        &Action::ManageApplications(scope_of(&scheme, &person)),
    )?;
    if !tx.delete_constraint(mentee.id, mentor.id).await? {
        return Err(AppError::NotFound(
            "the pair has no pin or forbid".to_owned(),
        ));
    }
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::MatchingConstraintRemoved,
        Some(scheme.organisation),
        "application",
        Some(mentee.id.0),
        serde_json::json!({ "mentor_application": mentor.id.to_string() }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Proposes a pair picked by hand in `scheme`; refused, naming each rule, if it breaks a hard
/// rule. Every check comes before anything is written.
pub async fn pick(
    app: &App,
    actor: &Actor,
    scheme: SchemeRef<'_>,
    mentee: ApplicationId,
    mentor: ApplicationId,
) -> Result<MatchView, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let (mentee, mentor, scheme) = pair_in(&mut tx, scheme, mentee, mentor).await?;
    let person = tx.person(mentee.person).await?;
    authorize(
        actor,
        &Action::ManageApplications(scope_of(&scheme, &person)),
    )?;
    let breakdown = judge(&mut tx, &scheme, &mentee, &mentor, now).await?;
    tx.delete_proposals(scheme.id, &[mentee.id]).await?;
    let pair = Match {
        id: MatchId(Uuid::now_v7()),
        scheme: scheme.id,
        mentor_application: mentor.id,
        mentee_application: mentee.id,
        mentor: mentor.person,
        mentee: mentee.person,
        status: MatchStatus::Proposed,
        source: MatchSource::Manual,
        score: Some(breakdown.total),
        explanation: breakdown_lines(&breakdown),
        proposed_by: actor.audit_label(),
        proposed_at: now,
        decided_by: None,
        decided_at: None,
        reason: None,
        version: 1,
        life: Lifecycle::default(),
    };
    tx.insert_match(&pair).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::MatchingPicked,
        Some(scheme.organisation),
        "match",
        Some(pair.id.0),
        serde_json::json!({ "mentee_application": mentee.id.to_string(), "mentor_application": mentor.id.to_string() }),
    )])
    .await?;
    let mentor = tx.person(mentor.person).await?;
    tx.commit().await?;
    Ok(MatchView {
        pair,
        mentor,
        mentee: person,
    })
}

/// Confirms a pair inside `tx`: the mentor's place, the mentee's mentors (at most the policy's
/// `mentors_per_mentee`, never the same mentor twice, through `judge`), the ethics
/// acknowledgements and every hard rule are checked again with both applications held, so two
/// confirmations at once can never exceed a capacity.
pub(crate) async fn confirm_pair(
    tx: &mut Tx,
    actor: &Actor,
    pair: &Match,
    scheme: &Scheme,
    public_url: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    // Always the mentor's application first, then the mentee's: one order, so no deadlock.
    tx.lock_application(pair.mentor_application).await?;
    tx.lock_application(pair.mentee_application).await?;
    let current = tx
        .match_by_id(pair.id)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such match".to_owned()))?;
    if !matches!(
        current.status,
        MatchStatus::Proposed | MatchStatus::Requested
    ) {
        return Err(AppError::Conflict(format!(
            "the pair is already {}",
            current.status.describe().to_lowercase()
        )));
    }
    let (mentee, mentor, _) = pair_of(tx, pair.mentee_application, pair.mentor_application).await?;
    let mentee_person = tx.person(mentee.person).await?;
    let mentor_person = tx.person(mentor.person).await?;
    let policy = &scheme.definition.policy;
    let capacity = mentor.answers.capacity.unwrap_or(1);
    if free_places(capacity, tx.places_taken_by(mentor.id).await?) == 0 {
        return Err(AppError::Conflict(format!(
            "{} has no free place left (they take {capacity})",
            mentor_person.record.full_name()
        )));
    }
    let mentors_had = tx.places_taken_by(mentee.id).await?;
    if mentors_had >= policy.mentors_per_mentee {
        return Err(AppError::Conflict(if policy.mentors_per_mentee == 1 {
            format!(
                "{} already has a mentor in this scheme",
                mentee_person.record.full_name()
            )
        } else {
            format!(
                "{} already has {mentors_had} mentors in this scheme, the most it gives a mentee",
                mentee_person.record.full_name()
            )
        }));
    }
    {
        let waiting: Vec<String> = [(&mentee, &mentee_person), (&mentor, &mentor_person)]
            .iter()
            .filter(|(application, _)| tandem_core::application::ethics_due(policy, application))
            .map(|(_, person)| person.record.full_name())
            .collect();
        if !waiting.is_empty() {
            return Err(AppError::Conflict(format!(
                "waiting for {} to accept the ethics statement (on Your mentoring) before the match is confirmed",
                waiting.join(" and ")
            )));
        }
    }
    judge(tx, scheme, &mentee, &mentor, now).await?;
    let party = if current.status == MatchStatus::Requested {
        Party::Mentor
    } else {
        Party::Staff
    };
    let status = relationship::step(current.status, Step::Confirm, party)
        .map_err(|refused| AppError::Conflict(refused.reason.to_owned()))?;
    tx.update_match(&Match {
        status,
        decided_by: Some(actor.audit_label()),
        decided_at: Some(now),
        reason: None,
        life: Lifecycle {
            confirmed_at: Some(now),
            ..current.life.clone()
        },
        ..current.clone()
    })
    .await?;
    if tx.places_taken_by(mentee.id).await? >= policy.mentors_per_mentee {
        tx.set_application_status(mentee.id, ApplicationStatus::Matched, now)
            .await?;
        // The mentee's other proposals are moot now.
        tx.delete_proposals(scheme.id, &[mentee.id]).await?;
    }
    let link = format!(
        "{}/relationships/{}",
        public_url.trim_end_matches('/'),
        pair.id
    );
    for (person, other, role, next) in [
        (
            &mentee_person,
            &mentor_person,
            "mentor",
            "Your mentor will arrange your first, getting-to-know-you meeting.",
        ),
        (
            &mentor_person,
            &mentee_person,
            "mentee",
            "Please arrange your first, getting-to-know-you meeting: choose a date, time and place on your relationship's page.",
        ),
    ] {
        tx.notify(
            crate::notify::Notice::of(
                person,
                format!("match.confirmed.{}.{}", pair.id, person.id),
                "match.confirmed".to_owned(),
                format!("Your {role} in {}", scheme.definition.name),
                format!(
                    "You have been matched in {}: your {role} is {} ({}). {next}\n{link}",
                    scheme.definition.name,
                    other.record.full_name(),
                    other.record.email
                ),
            ),
            now,
        )
        .await?;
    }
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::MatchConfirmed,
        Some(scheme.organisation),
        "match",
        Some(pair.id.0),
        serde_json::json!({ "source": pair.source.as_str() }),
    )])
    .await?;
    Ok(())
}

/// Confirms a proposed pair (a coordinator or the mentee's champion). Refused with the reason
/// when the mentor is full, the mentee already has a mentor, an ethics acknowledgement is
/// missing, either may no longer take part, or a hard rule is broken.
pub async fn confirm(
    app: &App,
    actor: &Actor,
    id: MatchId,
    public_url: &str,
) -> Result<(), AppError> {
    let mut tx = app.store.begin_write().await?;
    confirm_in(&mut tx, actor, id, public_url, app.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// [`confirm`] inside `tx`. A refusal comes before anything is written, so the transaction can
/// go on without the pair.
async fn confirm_in(
    tx: &mut Tx,
    actor: &Actor,
    id: MatchId,
    public_url: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let pair = tx
        .match_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such match".to_owned()))?;
    let scheme = tx
        .scheme(pair.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))?;
    let mentee = tx.person(pair.mentee).await?;
    authorize(
        actor,
        &Action::ManageApplications(scope_of(&scheme, &mentee)),
    )?;
    if pair.status != MatchStatus::Proposed {
        return Err(AppError::Conflict(format!(
            "the pair is {}, not a proposal",
            pair.status.describe().to_lowercase()
        )));
    }
    confirm_pair(tx, actor, &pair, &scheme, public_url, now).await
}

/// Confirms every proposal in the actor's cohort in one transaction, so a server that stops part
/// way leaves all of them or none; a pair that cannot be confirmed is passed over. Returns how
/// many were confirmed and, for the rest, the pair's names and why not.
pub async fn confirm_all(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
    public_url: &str,
) -> Result<(usize, Vec<(String, String)>), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let (board, read) = board_in(&mut tx, actor, organisation, key, now).await?;
    confirm_check::confirm_all_of(&board)?;
    // The board was read to act on it: its entry goes with the confirmations, all or none.
    tx.insert_audit(&[read]).await?;
    // Every mentor's application, then every mentee's, each in one order: a confirmation of
    // one pair takes its mentor's then its mentee's, so nothing running at the same time can
    // hold one of these while waiting for another this takes first.
    let mut mentors: Vec<ApplicationId> = board
        .proposed
        .iter()
        .map(|view| view.pair.mentor_application)
        .collect();
    let mut mentees: Vec<ApplicationId> = board
        .proposed
        .iter()
        .map(|view| view.pair.mentee_application)
        .collect();
    for applications in [&mut mentors, &mut mentees] {
        applications.sort_by_key(|id| id.0);
        applications.dedup();
    }
    for application in mentors.into_iter().chain(mentees) {
        tx.lock_application(application).await?;
    }
    let mut confirmed = 0;
    let mut refused = Vec::new();
    for view in board.proposed {
        match confirm_in(&mut tx, actor, view.pair.id, public_url, now).await {
            Ok(()) => confirmed += 1,
            Err(
                err @ (AppError::Conflict(_) | AppError::RuleBroken(_) | AppError::NotFound(_)),
            ) => {
                refused.push((
                    format!(
                        "{} with {}",
                        view.mentee.record.full_name(),
                        view.mentor.record.full_name()
                    ),
                    err.to_string(),
                ));
            }
            Err(other) => return Err(other),
        }
    }
    tx.commit().await?;
    Ok((confirmed, refused))
}

/// The columns of the matches CSV, in order, and whether each holds text people typed
/// (neutralised for spreadsheets) or a value the product writes (the score stays a number).
pub const EXPORT_COLUMNS: [(&str, Kind); 14] = [
    ("scheme", Kind::Value),
    ("status", Kind::Value),
    ("source", Kind::Value),
    ("mentee_staff_number", Kind::Text),
    ("mentee_organisation", Kind::Value),
    ("mentee_name", Kind::Text),
    ("mentor_staff_number", Kind::Text),
    ("mentor_organisation", Kind::Value),
    ("mentor_name", Kind::Text),
    ("score", Kind::Value),
    ("proposed_at", Kind::Value),
    ("decided_at", Kind::Value),
    ("decided_by", Kind::Text),
    ("reason", Kind::Text),
];

/// An organisation's matches as CSV, each row with its scheme and state, marking first; only the
/// schemes (and, for champions, the mentees' divisions) the actor may see. Audited.
pub async fn export_csv(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
    scheme: Option<&SchemeKey>,
) -> Result<String, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let held = tx
        .organisation_by_code(organisation)
        .await?
        .ok_or_else(|| crate::organisations::not_found(organisation))?;
    let mut schemes = tx.schemes_of(held.id).await?;
    if let Some(key) = scheme {
        schemes.retain(|it| &it.definition.key == key);
        if schemes.is_empty() {
            return Err(AppError::NotFound(format!(
                "there is no scheme called {key}"
            )));
        }
    }
    let mut writer = CsvWriter::with_marking(held.protective_marking.as_ref(), EXPORT_COLUMNS);
    let stamp = |at: Option<OffsetDateTime>| {
        at.and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
    };
    let mut permitted = 0;
    let mut rows = 0;
    let mut people = HashMap::new();
    for scheme in &schemes {
        let list = Action::ViewApplicationList {
            organisation: held.id,
            scheme: scheme.id,
        };
        if let Err(denied) = authorize(actor, &list) {
            if schemes.len() == 1 {
                return Err(denied.into());
            }
            continue;
        }
        permitted += 1;
        let matches = tx.matches_of_scheme(scheme.id).await?;
        for view in views(&mut tx, matches, &mut people).await? {
            if authorize(
                actor,
                &Action::ViewApplications(scope_of(scheme, &view.mentee)),
            )
            .is_err()
            {
                continue;
            }
            let pair = &view.pair;
            writer.row([
                scheme.definition.key.to_string(),
                pair.status.as_str().to_owned(),
                pair.source.as_str().to_owned(),
                view.mentee.record.staff_number.to_string(),
                view.mentee.record.organisation.to_string(),
                view.mentee.record.full_name(),
                view.mentor.record.staff_number.to_string(),
                view.mentor.record.organisation.to_string(),
                view.mentor.record.full_name(),
                pair.score.map(|it| it.to_string()).unwrap_or_default(),
                stamp(Some(pair.proposed_at)),
                stamp(pair.decided_at),
                pair.decided_by.clone().unwrap_or_default(),
                pair.reason.clone().unwrap_or_default(),
            ]);
            rows += 1;
        }
    }
    if permitted == 0 && !schemes.is_empty() {
        return Err(AppError::Denied(Denied {
            reason: "only the scheme's coordinators and champions can export its matches"
                .to_owned(),
        }));
    }
    tx.rollback().await?;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::MatchesExported,
            Some(held.id),
            "organisation",
            Some(held.id.0),
            serde_json::json!({ "scheme": scheme.map(AsRef::<str>::as_ref), "rows": rows }),
        )],
    )
    .await?;
    Ok(writer.finish_text())
}
