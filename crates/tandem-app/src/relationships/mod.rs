//! The mentoring relationship (R6, R7, R8.1): what a confirmed pair does for six to twelve
//! months, in their confidential space. Every move goes through `relationship::step` (the one
//! state machine) and every read or write of content through `Action::PairContent`, which only
//! the two members pass, whoever else asks.

mod calendar;
mod closing;
mod concerns;
mod content;
mod ending;
mod extension;
mod flags;
mod meetings;
mod pulse;
mod staff;

pub use calendar::invitation;
pub use closing::{answer_evaluation, own_evaluation, start_closing, write_closing_review};
pub use concerns::{
    ConcernView, concern, of_scheme as concerns_of_scheme, raise_concern, record_outcome,
};
pub use content::{
    ActionForm, add_action, add_goal, record_review, save_notes, set_action_done, set_goal_status,
};
pub(crate) use ending::end_for_withdrawal;
pub use ending::{Ending, ending, withdraw};
pub use extension::{ExtensionAnswer, answer_extension, may_extend, propose_extension};
pub use flags::{
    StaffRelationship, decide_flag, declare_conflict, declare_interview_panel, staff_view,
};
pub(crate) use flags::{flag_line_management_changes, report_departures};
pub use meetings::{
    arrange_introduction, book_session, cancel_meeting, log_session, mark_held,
    meeting_and_relationship,
};
pub(crate) use pulse::trend as pulse_trend;
pub use pulse::{OpenCheckIn, PulseTrend, SharedComment, TrendRound, answer_pulse};
pub use staff::{
    EXPORT_COLUMNS, PAGE_ROWS, RelationshipFilter, RelationshipRow, SchemeRelationships,
    all_of_scheme, export_csv, of_scheme,
};

use crate::matching::{MatchView, views};
use crate::notify::Notify as _;
use crate::{App, AppError, audit};
use std::collections::HashMap;
use tandem_core::adjustment::Adjustments;
use tandem_core::application::{ApplicationStatus, TextLimit, written};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, PairMembers, Scope, StaffRole, authorize};
use tandem_core::eligibility::Role;
use tandem_core::hr::ExistingPerson;
use tandem_core::pairing::{ConstraintKind, Hold, Lifecycle, Match, MatchStatus, PairConstraint};
use tandem_core::programme::Scheme;
use tandem_core::relationship::{
    self, AgreedAction, Concern, Extension, Flag, Goal, HoldReason, Meeting, MeetingKind,
    MeetingNotes, MeetingStatus, Party, Review, ReviewKind, Step,
};
use tandem_core::{MatchId, Organisation, PersonId};
use tandem_store::Tx;
use time::OffsetDateTime;
use uuid::Uuid;

/// A relationship as one of its members sees it.
#[derive(Debug, Clone)]
pub struct Relationship {
    /// The pair, with its state and dates.
    pub pair: Match,
    /// The scheme (its policy rules the relationship).
    pub scheme: Scheme,
    /// The organisation running the scheme (its time zone, its marking).
    pub organisation: Organisation,
    /// The mentor's record.
    pub mentor: ExistingPerson,
    /// The mentee's record.
    pub mentee: ExistingPerson,
    /// Which of the two is looking.
    pub party: Party,
}

impl Relationship {
    /// The other member.
    pub fn partner(&self) -> &ExistingPerson {
        if self.party == Party::Mentor {
            &self.mentee
        } else {
            &self.mentor
        }
    }

    /// The member looking.
    pub fn me(&self) -> &ExistingPerson {
        if self.party == Party::Mentor {
            &self.mentor
        } else {
            &self.mentee
        }
    }

    /// Whether the two come from different organisations.
    pub fn cross_force(&self) -> bool {
        self.mentor.record.organisation != self.mentee.record.organisation
    }

    /// The pair's members, for `authorize`.
    pub fn members(&self) -> PairMembers {
        members(&self.pair)
    }
}

/// Everything on a relationship's page, for its two members only.
#[derive(Debug, Clone)]
pub struct RelationshipPage {
    /// The relationship.
    pub relationship: Relationship,
    /// Its meetings, earliest first.
    pub meetings: Vec<Meeting>,
    /// GROW notes by meeting.
    pub notes: HashMap<Uuid, MeetingNotes>,
    /// Goals, oldest first.
    pub goals: Vec<Goal>,
    /// Agreed actions, oldest first.
    pub actions: Vec<AgreedAction>,
    /// Progress and closing reviews, oldest first.
    pub reviews: Vec<Review>,
    /// Meetings held so far (the introductory meeting included).
    pub held: u32,
    /// A progress review is due (R7.3).
    pub review_due: bool,
    /// Who has answered the closing evaluation (never what they answered).
    pub evaluated: Vec<PersonId>,
    /// Proposed and past extensions, oldest first.
    pub extensions: Vec<Extension>,
    /// Its end date may be extended now (the policy allows it and the state does).
    pub may_extend: bool,
    /// Flags raised by role changes (R6.5), oldest first.
    pub flags: Vec<Flag>,
    /// The concerns the member looking raised (never the partner's).
    pub own_concerns: Vec<Concern>,
    /// The partner's reasonable adjustments, when they chose to share them.
    pub partner_adjustments: Option<Adjustments>,
    /// The member's own adjustments, if recorded.
    pub own_adjustments: Option<Adjustments>,
    /// The pulse check-in open now (R11.1), with the member's answer if given.
    pub check_in: Option<OpenCheckIn>,
    /// The member's own check-in answers, oldest first.
    pub own_pulses: Vec<tandem_core::pulse::Pulse>,
    /// When what the pair wrote was disposed of under the retention schedule (R8.3).
    pub content_disposed_at: Option<OffsetDateTime>,
}

pub(super) fn members(pair: &Match) -> PairMembers {
    PairMembers {
        mentor: pair.mentor,
        mentee: pair.mentee,
    }
}

/// Loads a relationship for `actor`, refused unless they are one of the pair.
pub(crate) async fn load(
    tx: &mut Tx,
    actor: &Actor,
    id: MatchId,
) -> Result<Relationship, AppError> {
    let missing = || AppError::NotFound("there is no such relationship".to_owned());
    let pair = tx.match_by_id(id).await?.ok_or_else(missing)?;
    authorize(actor, &Action::PairContent(members(&pair)))?;
    if matches!(pair.status, MatchStatus::Proposed) {
        return Err(missing());
    }
    let scheme = tx
        .scheme(pair.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))?;
    let organisation = tx
        .organisations()
        .await?
        .into_iter()
        .find(|it| it.id == scheme.organisation)
        .ok_or_else(|| AppError::NotFound("the scheme's organisation is gone".to_owned()))?;
    let mentor = tx.person(pair.mentor).await?;
    let mentee = tx.person(pair.mentee).await?;
    let party = if actor.person() == Some(pair.mentor) {
        Party::Mentor
    } else {
        Party::Mentee
    };
    Ok(Relationship {
        pair,
        scheme,
        organisation,
        mentor,
        mentee,
        party,
    })
}

/// `relationship::step` as a use-case error.
pub(crate) fn next_state(relationship: &Relationship, step: Step) -> Result<MatchStatus, AppError> {
    relationship::step(relationship.pair.status, step, relationship.party)
        .map_err(|refused| AppError::Conflict(refused.reason.to_owned()))
}

/// Meetings held, the introductory meeting included.
pub(crate) fn held(meetings: &[Meeting]) -> u32 {
    u32::try_from(
        meetings
            .iter()
            .filter(|it| it.status == MeetingStatus::Held)
            .count(),
    )
    .unwrap_or(u32::MAX)
}

/// A relationship's page (R6, R7), for its two members only.
pub async fn page(app: &App, actor: &Actor, id: MatchId) -> Result<RelationshipPage, AppError> {
    let mut tx = app.store.begin_read().await?;
    let relationship = load(&mut tx, actor, id).await?;
    let meetings = tx.meetings_of(id).await?;
    let notes = tx
        .notes_of(id)
        .await?
        .into_iter()
        .map(|it| (it.meeting, it))
        .collect();
    let goals = tx.goals_of(id).await?;
    let actions = tx.actions_of(id).await?;
    let reviews = tx.reviews_of(id).await?;
    let evaluated = tx.evaluated_by(id).await?;
    let extensions = tx.extensions_of(id).await?;
    let flags = flags::of_pair(&mut tx, id).await?;
    let own_concerns = tx.concerns_raised_by(id, relationship.me().id).await?;
    let own_adjustments = tx.adjustments_of(relationship.me().id).await?;
    let own_pulses = tx.own_pulses(id, relationship.me().id).await?;
    let content_disposed_at = tx.content_disposed_at(id).await?;
    let partner_adjustments = tx
        .adjustments_of(relationship.partner().id)
        .await?
        .filter(|it| it.shared_with_partner && it.any());
    tx.rollback().await?;
    let held = held(&meetings);
    let last_review = reviews
        .iter()
        .filter(|it| it.kind == ReviewKind::Progress)
        .map(|it| it.at_meeting)
        .max();
    let policy = &relationship.scheme.definition.policy;
    let today =
        tandem_core::local_time::to_local(app.clock.now(), &relationship.organisation.time_zone)
            .date();
    let review_due = relationship.pair.status == MatchStatus::Active
        && relationship::progress_review_due(
            policy,
            held,
            last_review,
            relationship.pair.life.ends_on,
            today,
        );
    let may_extend = may_extend(&relationship);
    let check_in = pulse::open_check_in(&relationship, &own_pulses, today);
    Ok(RelationshipPage {
        relationship,
        meetings,
        notes,
        goals,
        actions,
        reviews,
        held,
        review_due,
        evaluated,
        extensions,
        may_extend,
        flags,
        own_concerns,
        partner_adjustments,
        own_adjustments,
        check_in,
        own_pulses,
        content_disposed_at,
    })
}

/// A move as the audit log names it, and what the partner is told (subject, body).
struct Announced {
    action: AuditAction,
    partner_hears: Option<(String, String)>,
}

/// Writes the relationship's new state and dates, audits the move and tells the partner.
async fn moved(
    tx: &mut Tx,
    actor: &Actor,
    relationship: &Relationship,
    next: Match,
    announced: Announced,
    public_url: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let Announced {
        action,
        partner_hears,
    } = announced;
    tx.update_match(&next).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        action,
        Some(relationship.scheme.organisation),
        "match",
        Some(next.id.0),
        serde_json::json!({ "status": next.status.as_str() }),
    )])
    .await?;
    if let Some((subject, body)) = partner_hears {
        let partner = relationship.partner();
        tx.notify(
            crate::notify::Notice::of(
                partner,
                format!("{action}.{}.{}.{}", next.id, next.version + 1, partner.id),
                action.code().to_owned(),
                subject,
                format!("{body}\n{}", link(public_url, next.id)),
            ),
            now,
        )
        .await?;
    }
    Ok(())
}

/// The people a scheme's coordinators are: everyone with the coordinator role over the scheme
/// or its whole organisation, each once. They hear of closings, concerns and flags.
pub(crate) async fn coordinators_of(
    tx: &mut Tx,
    scheme: &Scheme,
) -> Result<Vec<ExistingPerson>, AppError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (person, grant) in tx.all_grants().await? {
        let covers = grant.role == StaffRole::Coordinator
            && match grant.scope {
                Scope::Organisation(organisation) => organisation == scheme.organisation,
                Scope::Scheme { scheme: it, .. } => it == scheme.id,
                _ => false,
            };
        if covers && seen.insert(person) {
            out.push(tx.person(person).await?);
        }
    }
    Ok(out)
}

/// The relationship's page, as a link in an email.
pub(crate) fn link(public_url: &str, id: MatchId) -> String {
    format!("{}/relationships/{id}", public_url.trim_end_matches('/'))
}

/// A member says they want to go on after the introductory meeting (R6.1); once both have, the
/// relationship is active and its end date follows the scheme's duration (R6.4).
pub async fn go_on(
    app: &App,
    actor: &Actor,
    id: MatchId,
    public_url: &str,
) -> Result<MatchStatus, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    let pair = &relationship.pair;
    let mine = if relationship.party == Party::Mentor {
        pair.life.mentor_went_on_at
    } else {
        pair.life.mentee_went_on_at
    };
    if mine.is_some() {
        return Err(AppError::Conflict(
            "you have already said you go on; waiting for your partner".to_owned(),
        ));
    }
    let partner_went_on = if relationship.party == Party::Mentor {
        pair.life.mentee_went_on_at.is_some()
    } else {
        pair.life.mentor_went_on_at.is_some()
    };
    let meetings = tx.meetings_of(id).await?;
    let introduction = meetings
        .iter()
        .find(|it| it.kind == MeetingKind::Introductory && it.status != MeetingStatus::Cancelled);
    let met = introduction.is_some_and(|it| it.starts_at <= now);
    let status = next_state(
        &relationship,
        Step::GoOn {
            met,
            partner_went_on,
        },
    )?;
    if let Some(meeting) = introduction.filter(|it| it.status == MeetingStatus::Booked) {
        tx.update_meeting(&Meeting {
            status: MeetingStatus::Held,
            updated_at: now,
            ..meeting.clone()
        })
        .await?;
    }
    let mut life = pair.life.clone();
    if relationship.party == Party::Mentor {
        life.mentor_went_on_at = Some(now);
    } else {
        life.mentee_went_on_at = Some(now);
    }
    let started = status == MatchStatus::Active;
    if started {
        let today =
            tandem_core::local_time::to_local(now, &relationship.organisation.time_zone).date();
        life.started_on = Some(today);
        life.ends_on = relationship::planned_end(&relationship.scheme.definition.policy, today);
    }
    let me = relationship.me().record.full_name();
    let word = if started {
        (
            format!(
                "Your mentoring relationship in {} has started",
                relationship.scheme.definition.name
            ),
            format!(
                "{me} wants to go on too: your relationship is active. Set your goals and book your next session on its page."
            ),
        )
    } else {
        (
            format!("{me} wants to go on"),
            format!(
                "{me} would like to go on after your introductory meeting. Say whether you do too on your relationship's page."
            ),
        )
    };
    moved(
        &mut tx,
        actor,
        &relationship,
        Match {
            status,
            life,
            ..pair.clone()
        },
        Announced {
            action: if started {
                AuditAction::RelationshipStarted
            } else {
                AuditAction::RelationshipWentOn
            },
            partner_hears: Some(word),
        },
        public_url,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(status)
}

/// A member does not want to go on after the introductory meeting (the mentor may decline,
/// R6.1): the pair ends, and the mentee goes back on the waiting list with their history, never
/// proposed the same mentor again (R5.6).
pub async fn stop_after_introduction(
    app: &App,
    actor: &Actor,
    id: MatchId,
    reason: &str,
    public_url: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    let reason = written(
        "reason",
        reason,
        TextLimit::Reason,
        Some("say briefly why you do not go on; the coordinator reads it, not your partner"),
    )
    .map_err(|problem| AppError::Invalid(vec![problem]))?;
    let meetings = tx.meetings_of(id).await?;
    let met = meetings.iter().any(|it| {
        it.kind == MeetingKind::Introductory
            && it.status != MeetingStatus::Cancelled
            && it.starts_at <= now
    });
    let status = next_state(&relationship, Step::StopAfterIntroduction { met })?;
    let pair = &relationship.pair;
    back_on_the_list(&mut tx, actor, pair, true, now).await?;
    let me = relationship.me().record.full_name();
    moved(
        &mut tx,
        actor,
        &relationship,
        Match {
            status,
            decided_by: Some(actor.audit_label()),
            decided_at: Some(now),
            reason: Some(reason),
            ..pair.clone()
        },
        Announced {
            action: AuditAction::RelationshipDeclinedAfterIntroduction,
            partner_hears: Some((
                format!("{me} will not go on with the mentoring relationship"),
                format!(
                    "After your introductory meeting {me} decided not to go on. {}",
                    if relationship.party == Party::Mentor {
                        "You are back on the waiting list and will be matched with someone else."
                    } else {
                        "Thank you for your time; your place is free for another mentee."
                    }
                ),
            )),
        },
        public_url,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// After a pair ends: with `rematch`, the mentee is back on the waiting list and never proposed
/// this mentor again (R5.6); otherwise a mentee whose only mentor this was has no live
/// application left.
pub(super) async fn back_on_the_list(
    tx: &mut Tx,
    actor: &Actor,
    pair: &Match,
    rematch: bool,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    tx.lock_application(pair.mentor_application).await?;
    tx.lock_application(pair.mentee_application).await?;
    let mentee_application = tx
        .application(pair.mentee_application)
        .await?
        .ok_or_else(|| AppError::NotFound("the mentee's application is gone".to_owned()))?;
    if rematch {
        tx.set_application_status(mentee_application.id, ApplicationStatus::Approved, now)
            .await?;
        tx.set_constraint(
            &PairConstraint {
                scheme: pair.scheme,
                mentee_application: pair.mentee_application,
                mentor_application: pair.mentor_application,
                kind: ConstraintKind::Forbid,
                reason: "their earlier relationship ended early".to_owned(),
                created_by: actor.audit_label(),
            },
            now,
        )
        .await?;
    } else if mentee_application.status == ApplicationStatus::Matched {
        tx.set_application_status(mentee_application.id, ApplicationStatus::Withdrawn, now)
            .await?;
    }
    Ok(())
}

/// Puts an active relationship on hold (R6.3), with the reason's category.
pub async fn hold(
    app: &App,
    actor: &Actor,
    id: MatchId,
    reason: HoldReason,
    public_url: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    let status = next_state(&relationship, Step::Hold)?;
    let pair = &relationship.pair;
    let me = relationship.me().record.full_name();
    moved(
        &mut tx,
        actor,
        &relationship,
        Match {
            status,
            life: Lifecycle {
                hold: Some(Hold { reason, since: now }),
                ..pair.life.clone()
            },
            ..pair.clone()
        },
        Announced {
            action: AuditAction::RelationshipPutOnHold,
            partner_hears: Some((
            "Your mentoring relationship is on hold".to_owned(),
            format!(
                "{me} put your relationship on hold ({}). Either of you can resume it on its page.",
                reason.describe()
            ),
        )),
        },
        public_url,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Resumes a relationship that was on hold.
pub async fn resume(
    app: &App,
    actor: &Actor,
    id: MatchId,
    public_url: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    let status = next_state(&relationship, Step::Resume)?;
    let pair = &relationship.pair;
    let me = relationship.me().record.full_name();
    moved(
        &mut tx,
        actor,
        &relationship,
        Match {
            status,
            life: Lifecycle {
                hold: None,
                ..pair.life.clone()
            },
            ..pair.clone()
        },
        Announced {
            action: AuditAction::RelationshipResumed,
            partner_hears: Some((
                "Your mentoring relationship has resumed".to_owned(),
                format!("{me} resumed your relationship. Book your next session on its page."),
            )),
        },
        public_url,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One of the signed-in person's pairs, as mentor or mentee.
#[derive(Debug, Clone)]
pub struct OwnMatch {
    /// The pair and the two people.
    pub view: MatchView,
    /// The scheme's name.
    pub scheme: String,
    /// The person's role in it.
    pub role: Role,
    /// For a mentor a request waits on: what the mentee wrote on their application for a
    /// mentor to read (aims, development areas, where and when they can meet).
    pub request: Option<tandem_core::application::Answers>,
}

/// The signed-in person's pairs (proposals are the coordinators' business until confirmed).
pub async fn mine(app: &App, actor: &Actor) -> Result<Vec<OwnMatch>, AppError> {
    let person = actor.person().ok_or_else(|| {
        AppError::NotFound("only a signed-in person has pairs of their own".to_owned())
    })?;
    authorize(actor, &Action::ActOnOwnApplication { applicant: person })?;
    let mut tx = app.store.begin_read().await?;
    let matches: Vec<Match> = tx
        .matches_of_person(person)
        .await?
        .into_iter()
        .filter(|it| it.status != MatchStatus::Proposed)
        .collect();
    let mut people: HashMap<PersonId, ExistingPerson> = HashMap::new();
    let mut out = Vec::new();
    for view in views(&mut tx, matches, &mut people).await? {
        let scheme = tx
            .scheme(view.pair.scheme)
            .await?
            .map(|it| it.definition.name)
            .unwrap_or_default();
        let role = if view.pair.mentor == person {
            Role::Mentor
        } else {
            Role::Mentee
        };
        let request = if role == Role::Mentor && view.pair.status == MatchStatus::Requested {
            tx.application(view.pair.mentee_application)
                .await?
                .map(|application| application.answers)
        } else {
            None
        };
        out.push(OwnMatch {
            view,
            scheme,
            role,
            request,
        });
    }
    tx.rollback().await?;
    Ok(out)
}
