//! Mentor support groups (R4.3). Where a scheme's policy asks for one every
//! `mentor_support_group_months`, a coordinator schedules it as a workshop whose purpose is a
//! support group; the scheme's mentors (approved or matched, still serving) are invited at once,
//! and the sweep invites those who become mentors before it starts. The sweep also tells the
//! coordinators, a month ahead and again once it is overdue, when none is scheduled. Every
//! message is keyed (the group and the mentor; the scheme and the due date), so it is sent once.

use crate::notify::{Notice, Notify as _};
use crate::relationships::coordinators_of;
use crate::{App, AppError};
use tandem_core::authz::{Actor, Reach, reach};
use tandem_core::domain::SchemeKey;
use tandem_core::programme::Scheme;
use tandem_core::training::{SupportGroupDue, Workshop, WorkshopPurpose, support_group_due};
use tandem_core::{OrganisationId, SchemeId};
use tandem_store::Tx;
use time::{Date, OffsetDateTime};

/// What the sweep did about support groups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sent {
    /// Mentors invited to a group.
    pub invited: usize,
    /// Coordinators asked to schedule one.
    pub reminded: usize,
}

/// The day of the latest support group held or scheduled in the scheme, and whether one is
/// still to come.
fn last_group(groups: &[Workshop], zone: &str) -> Option<Date> {
    groups
        .iter()
        .filter(|it| it.purpose == WorkshopPurpose::SupportGroup && !it.cancelled)
        .map(|it| tandem_core::local_time::to_local(it.starts_at, zone).date())
        .max()
}

/// Where the scheme's support groups stand on the organisation's `today`.
async fn due_in(
    tx: &mut Tx,
    scheme: &Scheme,
    zone: &str,
    today: Date,
) -> Result<Option<(SupportGroupDue, Date)>, AppError> {
    let policy = &scheme.definition.policy;
    if policy.mentor_support_group_months.is_none_or(|it| it == 0) {
        return Ok(None);
    }
    let groups = tx.workshops_of_scheme(scheme.id).await?;
    let since = tx
        .mentoring_since(scheme.id)
        .await?
        .map(|at| tandem_core::local_time::to_local(at, zone).date());
    Ok(support_group_due(
        policy,
        last_group(&groups, zone),
        since,
        today,
    ))
}

/// Whether the scheme needs its coordinators to schedule a mentor support group now, and by
/// when; for the scheme's staff (the needs-attention and workshops pages).
pub async fn due(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<Option<(SupportGroupDue, Date)>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    if reach(actor, scheme.organisation, scheme.id, false) == Reach::Nothing {
        return Err(AppError::Denied(tandem_core::authz::Denied {
            reason: "only the scheme's coordinators and champions can see its support groups"
                .to_owned(),
        }));
    }
    let zone = crate::training::time_zone_of(&mut tx, organisation).await?;
    let today = tandem_core::local_time::to_local(now, &zone).date();
    let out = due_in(&mut tx, &scheme, &zone, today).await?;
    tx.rollback().await?;
    Ok(out)
}

/// Invites the scheme's mentors not yet invited to `group`, which is still to come; returns
/// how many were invited now.
pub(crate) async fn invite(
    tx: &mut Tx,
    scheme: &Scheme,
    group: &Workshop,
    zone: &str,
    site: &str,
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let format = time::macros::format_description!(
        "[weekday repr:long] [day padding:none] [month repr:long] [year] at [hour]:[minute]"
    );
    let when = tandem_core::local_time::to_local(group.starts_at, zone)
        .format(&format)
        .unwrap_or_default();
    let name = &scheme.definition.name;
    let site = site.trim_end_matches('/');
    let mut invited = 0;
    for mentor in tx.mentors_of_scheme(scheme.id).await? {
        let person = tx.person(mentor).await?;
        if tx
            .notify(
                Notice::of(
                    &person,
                    format!("support_group.invited.{}.{mentor}", group.id),
                    "support_group.invited".to_owned(),
                    format!("You are invited to a mentor support group: {}", group.title),
                    format!(
                        "{name}'s mentors meet every few months to share what works and what is hard. {} is on {when}, at {}. Book your place from Your mentoring; there are {} places.\n{site}/applications",
                        group.title, group.location, group.capacity
                    ),
                ),
                now,
            )
            .await?
        {
            invited += 1;
        }
    }
    Ok(invited)
}

/// The sweep's part: invites mentors to the groups still to come, and asks the coordinators of
/// each scheme that needs one to schedule a group.
pub async fn send(app: &App, now: OffsetDateTime, public_url: &str) -> Result<Sent, AppError> {
    let site = public_url.trim_end_matches('/');
    let mut tx = app.store.begin_write().await?;
    let mut sent = Sent::default();
    for organisation in tx.organisations().await? {
        let zone = organisation.time_zone.clone();
        let today = tandem_core::local_time::to_local(now, &zone).date();
        for scheme in tx.schemes_of(organisation.id).await? {
            let Some(months) = scheme
                .definition
                .policy
                .mentor_support_group_months
                .filter(|it| *it > 0)
            else {
                continue;
            };
            for group in tx.workshops_of_scheme(scheme.id).await? {
                if group.purpose == WorkshopPurpose::SupportGroup
                    && !group.cancelled
                    && group.starts_at > now
                {
                    sent.invited += invite(&mut tx, &scheme, &group, &zone, site, now).await?;
                }
            }
            let Some((state, due)) = due_in(&mut tx, &scheme, &zone, today).await? else {
                continue;
            };
            sent.reminded += remind(&mut tx, &scheme, months, state, due, site, now).await?;
        }
    }
    tx.commit().await?;
    Ok(sent)
}

async fn remind(
    tx: &mut Tx,
    scheme: &Scheme,
    months: u32,
    state: SupportGroupDue,
    due: Date,
    site: &str,
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let name = &scheme.definition.name;
    let SchemeId(id) = scheme.id;
    let subject = match state {
        SupportGroupDue::DueSoon => format!("Schedule {name}'s next mentor support group by {due}"),
        SupportGroupDue::Overdue => format!("{name}'s mentor support group is overdue"),
    };
    let body = format!(
        "{name} asks for its mentors to meet in a support group every {months} months; the next is due by {due} and none is scheduled. Schedule one from the scheme's workshops, choosing \"Mentor support group\"; its mentors are invited at once.\n{site}/schemes/{}/workshops",
        scheme.definition.key
    );
    let mut reminded = 0;
    for coordinator in coordinators_of(tx, scheme).await? {
        if tx
            .notify(
                Notice::of(
                    &coordinator,
                    format!("{}.{id}.{due}.{}", state.as_str(), coordinator.id),
                    format!("support_group.{}", state.as_str()),
                    subject.clone(),
                    body.clone(),
                ),
                now,
            )
            .await?
        {
            reminded += 1;
        }
    }
    Ok(reminded)
}
