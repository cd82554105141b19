//! Role changes (R6.5): a relationship is flagged when an HR import puts the mentor above the
//! mentee in the line-management chain, or when someone declares that the mentor sits on an
//! interview panel where the mentee is a candidate. The flag shows to the pair and to the
//! coordinators until a coordinator decides (continue, with the reason, or end) or the pair
//! declares the conflict of interest and how they will manage it.

use super::{Relationship, link, load};
use crate::matching::scope_of;
use crate::notify::Notify as _;
use crate::{App, AppError, audit};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::EmploymentStatus;
use tandem_core::hr::ExistingPerson;
use tandem_core::line_management::LineManagementTree;
use tandem_core::pairing::Match;
use tandem_core::programme::Scheme;
use tandem_core::relationship::{
    self, Flag, FlagKind, FlagOutcome, FlagSettlement, Party, Step, mentor_manages,
    parse_settlement,
};
use tandem_core::{MatchId, OrganisationId};
use tandem_store::Tx;
use time::OffsetDateTime;
use uuid::Uuid;

/// Raises a flag (once: a relationship with the same kind of flag still open is left as it
/// is), audits it and tells the pair and the coordinators.
async fn raise(
    tx: &mut Tx,
    actor: &Actor,
    pair: &Match,
    kind: FlagKind,
    public_url: Option<&str>,
    now: OffsetDateTime,
) -> Result<Option<Flag>, AppError> {
    if tx
        .flags_of(pair.id)
        .await?
        .iter()
        .any(|it| it.kind == kind && it.is_open())
    {
        return Ok(None);
    }
    let scheme = tx
        .scheme(pair.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))?;
    let flag = Flag {
        id: Uuid::now_v7(),
        pair: pair.id,
        kind,
        raised_at: now,
        raised_by: actor.audit_label(),
        settled: None,
    };
    tx.insert_flag(&flag).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::RelationshipFlagged,
        Some(scheme.organisation),
        "match",
        Some(pair.id.0),
        serde_json::json!({ "flag": flag.id.to_string(), "kind": kind.as_str() }),
    )])
    .await?;
    let name = &scheme.definition.name;
    let where_to = public_url.map_or_else(
        || "Open it from Your mentoring in Tandem.".to_owned(),
        |url| format!("Its page: {}", link(url, pair.id)),
    );
    for person in [pair.mentor, pair.mentee] {
        let member = tx.person(person).await?;
        tx.notify(
            crate::notify::Notice::of(&member, format!("flag.raised.{}.{}", flag.id, member.id), "flag.raised".to_owned(), format!("Your mentoring relationship in {name} needs a decision"), format!(
                "Your relationship has been flagged: {}. The coordinator will decide whether it continues; you can also declare the conflict of interest and how you will keep it apart from the mentoring. {where_to}",
                kind.describe()
            )),
            now,
        )
        .await?;
    }
    let mentor = tx.person(pair.mentor).await?;
    let mentee = tx.person(pair.mentee).await?;
    for coordinator in super::coordinators_of(tx, &scheme).await? {
        tx.notify(
            crate::notify::Notice::of(&coordinator, format!("flag.raised.{}.coordinator.{}", flag.id, coordinator.id), "flag.raised".to_owned(), format!("A relationship in {name} needs a suitability decision"), format!(
                "The relationship of {} (mentor) and {} (mentee) has been flagged: {}. Record whether it continues under the scheme's relationships.",
                mentor.record.full_name(),
                mentee.record.full_name(),
                kind.describe()
            )),
            now,
        )
        .await?;
    }
    Ok(Some(flag))
}

/// After a change to `organisation`'s directory (an HR import), in the same transaction: flags
/// every live relationship whose mentor now sits above the mentee in the line-management
/// chain. Returns how many were flagged.
pub(crate) async fn flag_line_management_changes(
    tx: &mut Tx,
    actor: &Actor,
    organisation: OrganisationId,
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let pairs = tx.live_pairs_touching(organisation).await?;
    if pairs.is_empty() {
        return Ok(0);
    }
    // The import refused any loop before it wrote, so the tree builds.
    let Ok(tree) = LineManagementTree::new(tx.line_management_links(organisation).await?) else {
        return Ok(0);
    };
    let mut flagged = 0;
    for (id, mentor, mentee) in pairs {
        if !mentor_manages(&tree, mentor, mentee) {
            continue;
        }
        let Some(pair) = tx.match_by_id(id).await? else {
            continue;
        };
        if raise(tx, actor, &pair, FlagKind::LineManagement, None, now)
            .await?
            .is_some()
        {
            flagged += 1;
        }
    }
    Ok(flagged)
}

/// After an HR import, in its transaction: tells the coordinators of every open relationship
/// of someone the import recorded as no longer serving (a leaver, retired, on a career break,
/// suspended), once per relationship and person, so they put it on hold or end it; the
/// reminders stop for that person (the sweep sends them nothing). Returns how many
/// relationships were reported.
pub(crate) async fn report_departures(
    tx: &mut Tx,
    actor: &Actor,
    departed: &[tandem_core::PersonId],
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let mut reported = 0;
    for person in departed {
        let who = tx.person(*person).await?;
        for pair in tx.matches_of_person(*person).await? {
            if !pair.status.holds_place() {
                continue;
            }
            let Some(scheme) = tx.scheme(pair.scheme).await? else {
                continue;
            };
            let Some(party) = Party::of(&pair, *person) else {
                continue;
            };
            let role = party.words();
            let other = if party == Party::Mentor {
                pair.mentee
            } else {
                pair.mentor
            };
            let other = tx.person(other).await?;
            let name = who.record.full_name();
            let status = match who.record.employment_status {
                EmploymentStatus::Leaver => "having left",
                EmploymentStatus::Retired => "retired",
                EmploymentStatus::CareerBreak => "on a career break",
                EmploymentStatus::Suspended => "suspended",
                EmploymentStatus::Serving => continue,
            };
            for coordinator in super::coordinators_of(tx, &scheme).await? {
                tx.notify(
                    crate::notify::Notice::of(
                        &coordinator,
                        format!("member_left.{}.{person}.{}", pair.id, coordinator.id),
                        "relationship.member_left".to_owned(),
                        format!("{name} is no longer serving: a relationship in {} needs you", scheme.definition.name),
                        format!(
                            "The HR directory now records {name} ({role} to {}) as {status}. Their relationship is still open and they will be sent nothing more: put it on hold or end it from the scheme's relationships that need attention.",
                            other.record.full_name()
                        ),
                    )
                    .urgent(),
                    now,
                )
                .await?;
            }
            tx.insert_audit(&[audit::entry(
                actor,
                now,
                AuditAction::RelationshipMemberLeft,
                Some(scheme.organisation),
                "match",
                Some(pair.id.0),
                serde_json::json!({ "person": person.to_string(), "status": who.record.employment_status.as_str() }),
            )])
            .await?;
            reported += 1;
        }
    }
    Ok(reported)
}

/// What may settle a flag, and the relationship and scheme it is on.
async fn flag_and_pair(tx: &mut Tx, id: Uuid) -> Result<(Flag, Match, Scheme), AppError> {
    let flag = tx
        .flag(id)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such flag".to_owned()))?;
    let pair = tx
        .match_by_id(flag.pair)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such relationship".to_owned()))?;
    let scheme = tx
        .scheme(pair.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))?;
    Ok((flag, pair, scheme))
}

/// A member declares that the mentor sits on an interview panel where the mentee is a
/// candidate (R6.5): the relationship is flagged for the coordinator.
pub async fn declare_interview_panel(
    app: &App,
    actor: &Actor,
    id: MatchId,
    public_url: &str,
) -> Result<Flag, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    live(&relationship.pair)?;
    let flag = raise(
        &mut tx,
        actor,
        &relationship.pair,
        FlagKind::InterviewPanel,
        Some(public_url),
        now,
    )
    .await?
    .ok_or_else(|| {
        AppError::Conflict(
            "the relationship is already flagged for an interview panel; the coordinator will decide"
                .to_owned(),
        )
    })?;
    tx.commit().await?;
    Ok(flag)
}

fn live(pair: &Match) -> Result<(), AppError> {
    if pair.status.holds_place() {
        Ok(())
    } else {
        Err(AppError::Conflict(
            "only a relationship that is under way can be flagged".to_owned(),
        ))
    }
}

/// The pair records a conflict-of-interest declaration on an open flag: what the conflict is
/// and how they will keep it apart from the mentoring. It settles the flag.
pub async fn declare_conflict(
    app: &App,
    actor: &Actor,
    id: MatchId,
    flag: Uuid,
    declaration: &str,
    public_url: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    let (open, pair, scheme) = flag_and_pair(&mut tx, flag).await?;
    if pair.id != id {
        return Err(AppError::NotFound("there is no such flag".to_owned()));
    }
    let (outcome, reason) =
        parse_settlement(FlagOutcome::Declared.as_str(), declaration).map_err(|problems| {
            AppError::Invalid(
                problems
                    .into_iter()
                    .map(|mut it| {
                        it.field = "declaration";
                        it
                    })
                    .collect(),
            )
        })?;
    settle(
        &mut tx,
        actor,
        &open,
        &scheme,
        FlagSettlement {
            outcome,
            reason,
            by: actor.audit_label(),
            at: now,
        },
        now,
    )
    .await?;
    let me = relationship.me().record.full_name();
    for coordinator in super::coordinators_of(&mut tx, &scheme).await? {
        tx.notify(
            crate::notify::Notice::of(&coordinator, format!("flag.declared.{flag}.{}", coordinator.id), "flag.declared".to_owned(), format!("A conflict of interest was declared in {}", scheme.definition.name), format!(
                "{me} declared the conflict of interest in their relationship ({}) and how they will manage it. Read it under the scheme's relationships.",
                open.kind.describe()
            )),
            now,
        )
        .await?;
    }
    tell_partner(&mut tx, &relationship, flag, public_url, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn tell_partner(
    tx: &mut Tx,
    relationship: &Relationship,
    flag: Uuid,
    public_url: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let partner = relationship.partner();
    let me = relationship.me().record.full_name();
    tx.notify(
        crate::notify::Notice::of(partner, format!("flag.declared.{flag}.{}", partner.id), "flag.declared".to_owned(), "A conflict of interest was declared in your mentoring relationship".to_owned(), format!(
            "{me} declared the conflict of interest and how you will manage it. Read it on your relationship's page:\n{}",
            link(public_url, relationship.pair.id)
        )),
        now,
    )
    .await?;
    Ok(())
}

async fn settle(
    tx: &mut Tx,
    actor: &Actor,
    flag: &Flag,
    scheme: &Scheme,
    settlement: FlagSettlement,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    if !flag.is_open() {
        return Err(AppError::Conflict(
            "this flag has already been settled".to_owned(),
        ));
    }
    let outcome = settlement.outcome;
    tx.settle_flag(flag.id, &settlement).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::RelationshipFlagSettled,
        Some(scheme.organisation),
        "match",
        Some(flag.pair.0),
        serde_json::json!({ "flag": flag.id.to_string(), "outcome": outcome.as_str() }),
    )])
    .await?;
    Ok(())
}

/// One relationship as its coordinators and champions see it: its state, dates, meetings
/// counted and flags, never what the pair wrote.
#[derive(Debug, Clone)]
pub struct StaffRelationship {
    /// The pair (state and dates only).
    pub pair: Match,
    /// Its scheme.
    pub scheme: Scheme,
    /// The mentor.
    pub mentor: ExistingPerson,
    /// The mentee.
    pub mentee: ExistingPerson,
    /// Meetings held.
    pub held: usize,
    /// When the last meeting was held.
    pub last_held: Option<OffsetDateTime>,
    /// Its flags, oldest first, with how each was settled.
    pub flags: Vec<Flag>,
    /// The actor may decide its flags (a coordinator or champion who may act on it).
    pub may_decide: bool,
    /// What the reminder rules find for the coordinators now (R11.2): not met for a long time,
    /// proposed for closure, the end date reached.
    pub nudges: Vec<tandem_core::reminder::Nudge>,
    /// Its pulse check-ins: scores by round, why they put it at risk, shared comments.
    pub pulses: super::PulseTrend,
}

/// A relationship for the coordinators and champions who may see it; the read is audited.
pub async fn staff_view(
    app: &App,
    actor: &Actor,
    id: MatchId,
) -> Result<StaffRelationship, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let missing = || AppError::NotFound("there is no such relationship".to_owned());
    let pair = tx.match_by_id(id).await?.ok_or_else(missing)?;
    if matches!(
        pair.status,
        tandem_core::pairing::MatchStatus::Proposed | tandem_core::pairing::MatchStatus::Requested
    ) {
        return Err(missing());
    }
    let scheme = tx
        .scheme(pair.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))?;
    let mentee = tx.person(pair.mentee).await?;
    let scope = scope_of(&scheme, &mentee);
    authorize(actor, &Action::ViewRelationships(scope.clone()))?;
    let may_decide = authorize(actor, &Action::ManageRelationships(scope)).is_ok();
    let mentor = tx.person(pair.mentor).await?;
    let held: Vec<OffsetDateTime> = tx
        .meetings_of(id)
        .await?
        .into_iter()
        .filter(|it| it.status == relationship::MeetingStatus::Held)
        .map(|it| it.starts_at)
        .collect();
    let flags = tx.flags_of(id).await?;
    let zone = tx
        .organisations()
        .await?
        .into_iter()
        .find(|it| it.id == scheme.organisation)
        .map(|it| it.time_zone)
        .unwrap_or_default();
    let today = tandem_core::local_time::to_local(now, &zone).date();
    let nudges = match tx.sweep_row(id, now).await? {
        Some(row) => crate::reminders::coordinator_nudges(&scheme, &row, now, today),
        None => Vec::new(),
    };
    let answers = tx.pulses_for_staff(id).await?;
    let pulses = super::pulse_trend(&scheme.definition.policy.care, &pair, &answers, today);
    tx.rollback().await?;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::RelationshipViewed,
            Some(scheme.organisation),
            "match",
            Some(id.0),
            serde_json::json!({}),
        )],
    )
    .await?;
    Ok(StaffRelationship {
        held: held.len(),
        last_held: held.iter().max().copied(),
        pair,
        scheme,
        mentor,
        mentee,
        flags,
        may_decide,
        nudges,
        pulses,
    })
}

/// A coordinator or champion records the suitability decision on an open flag: the
/// relationship continues (with the reason), or it ends (and the mentee goes back on the
/// waiting list, never proposed this mentor again). Both members are told.
pub async fn decide_flag(
    app: &App,
    actor: &Actor,
    id: Uuid,
    outcome: &str,
    reason: &str,
    public_url: &str,
) -> Result<FlagOutcome, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let (open, pair, scheme) = flag_and_pair(&mut tx, id).await?;
    let mentee = tx.person(pair.mentee).await?;
    authorize(
        actor,
        &Action::ManageRelationships(scope_of(&scheme, &mentee)),
    )?;
    let (outcome, reason) = parse_settlement(outcome, reason).map_err(AppError::Invalid)?;
    if outcome == FlagOutcome::Declared {
        return Err(AppError::Invalid(vec![
            tandem_core::application::FormProblem::at(
                "outcome",
                "choose whether the relationship continues or ends; the pair declares a conflict themselves",
            ),
        ]));
    }
    let ending = outcome == FlagOutcome::End;
    let ended = if ending {
        Some(
            relationship::step(pair.status, Step::Withdraw, Party::Staff)
                .map_err(|refused| AppError::Conflict(refused.reason.to_owned()))?,
        )
    } else {
        None
    };
    settle(
        &mut tx,
        actor,
        &open,
        &scheme,
        FlagSettlement {
            outcome,
            reason: reason.clone(),
            by: actor.audit_label(),
            at: now,
        },
        now,
    )
    .await?;
    if let Some(status) = ended {
        super::back_on_the_list(&mut tx, actor, &pair, true, now).await?;
        tx.update_match(&Match {
            status,
            decided_by: Some(actor.audit_label()),
            decided_at: Some(now),
            reason: Some(reason.clone()),
            ..pair.clone()
        })
        .await?;
        tx.insert_audit(&[audit::entry(
            actor,
            now,
            AuditAction::MatchEnded,
            Some(scheme.organisation),
            "match",
            Some(pair.id.0),
            serde_json::json!({ "rematch": true, "flag": id.to_string() }),
        )])
        .await?;
    }
    let mentor = tx.person(pair.mentor).await?;
    for member in [&mentor, &mentee] {
        let (subject, what) = if ending {
            (
                format!(
                    "Your mentoring relationship in {} has ended",
                    scheme.definition.name
                ),
                "The coordinator decided the relationship cannot continue",
            )
        } else {
            (
                format!(
                    "Your mentoring relationship in {} continues",
                    scheme.definition.name
                ),
                "The coordinator decided the relationship may continue",
            )
        };
        tx.notify(
            crate::notify::Notice::of(
                member,
                format!("flag.decided.{id}.{}", member.id),
                "flag.decided".to_owned(),
                subject,
                format!(
                    "{what} ({}): {reason}\n{}",
                    open.kind.describe(),
                    link(public_url, pair.id)
                ),
            ),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

/// The flags of a relationship the actor is in, for its page.
pub(crate) async fn of_pair(tx: &mut Tx, pair: MatchId) -> Result<Vec<Flag>, AppError> {
    Ok(tx.flags_of(pair).await?)
}
