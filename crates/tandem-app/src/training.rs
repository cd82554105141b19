//! Training (R4): recording completions, scheduling workshops, booking places (a pair together
//! for joint training), waiting lists that move people up when a place frees, and attendance.

use crate::notify::{Notice, Notify as _};
use crate::{App, AppError, audit};
use std::collections::HashMap;
use tandem_core::application::{Application, ApplicationStatus, FormProblem};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, ApplicationScope, authorize};
use tandem_core::domain::SchemeKey;
use tandem_core::eligibility::Role;
use tandem_core::hr::ExistingPerson;
use tandem_core::programme::Scheme;
use tandem_core::training::{
    self, Booking, BookingStatus, TrainingRecord, Workshop, WorkshopPurpose, required_training,
};
use tandem_core::{ApplicationId, BookingId, OrganisationId, PersonId, SchemeId, WorkshopId};
use tandem_store::Tx;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Most places a workshop may offer.
pub const MAX_PLACES: u32 = 500;

/// A workshop as a coordinator types it: date and time in the organisation's time zone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkshopForm {
    /// What it is called.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, 24-hour.
    pub time: String,
    /// Where.
    pub location: String,
    /// How many places.
    pub capacity: String,
    /// Mentor and mentee attend together.
    pub joint: bool,
    /// A mentor support group (R4.3) rather than the scheme's training.
    pub support_group: bool,
}

/// A booking with the person it is for and, while waiting, their place in line.
#[derive(Debug, Clone)]
pub struct BookingView {
    /// The booking.
    pub booking: Booking,
    /// Who.
    pub person: ExistingPerson,
    /// Place on the waiting list (1 first), while waiting.
    pub position: Option<usize>,
}

/// A workshop with its places and waiting list.
#[derive(Debug, Clone)]
pub struct WorkshopView {
    /// The workshop.
    pub workshop: Workshop,
    /// Places not yet taken.
    pub free: u32,
    /// Everyone booked, waiting, or who attended, places first then the waiting list in order.
    pub bookings: Vec<BookingView>,
}

/// One of the signed-in person's workshop bookings.
#[derive(Debug, Clone)]
pub struct OwnBooking {
    /// The booking.
    pub booking: Booking,
    /// The workshop.
    pub workshop: Workshop,
    /// Place on the waiting list and how many wait, while waiting.
    pub position: Option<(usize, usize)>,
}

/// The signed-in person's training: what they completed, their bookings, and the workshops
/// they may book a place at.
#[derive(Debug, Clone)]
pub struct OwnTraining {
    /// Completed training, most recent first.
    pub records: Vec<TrainingRecord>,
    /// Their bookings, newest first.
    pub bookings: Vec<OwnBooking>,
    /// Upcoming workshops of schemes they applied to whose training they still need.
    pub open: Vec<(Workshop, u32)>,
}

fn scope_of(scheme: &Scheme, person: &ExistingPerson) -> ApplicationScope {
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

async fn scheme_of(tx: &mut Tx, id: SchemeId) -> Result<Scheme, AppError> {
    tx.scheme(id)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))
}

/// The organisation's time zone (London when it is gone).
pub(crate) async fn time_zone_of(
    tx: &mut Tx,
    organisation: OrganisationId,
) -> Result<String, AppError> {
    Ok(tx
        .organisations()
        .await?
        .into_iter()
        .find(|it| it.id == organisation)
        .map_or_else(|| "Europe/London".to_owned(), |it| it.time_zone))
}

/// The date a workshop happened on, where it was held.
async fn local_date(tx: &mut Tx, scheme: &Scheme, at: OffsetDateTime) -> Result<Date, AppError> {
    let zone = time_zone_of(tx, scheme.organisation).await?;
    Ok(tandem_core::local_time::to_local(at, &zone).date())
}

fn parse_workshop(
    form: &WorkshopForm,
    zone: &str,
    now: OffsetDateTime,
) -> Result<(String, OffsetDateTime, String, u32), Vec<FormProblem>> {
    let mut problems = Vec::new();
    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        problems.push(FormProblem {
            field: "title",
            message: "enter the workshop's title, up to 200 characters".to_owned(),
        });
    }
    let date = Date::parse(
        form.date.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    );
    if date.is_err() {
        problems.push(FormProblem {
            field: "date",
            message: "enter the date as year-month-day, e.g. 2027-01-14".to_owned(),
        });
    }
    let clock = time::Time::parse(
        form.time.trim(),
        time::macros::format_description!("[hour]:[minute]"),
    );
    if clock.is_err() {
        problems.push(FormProblem {
            field: "time",
            message: "enter the start time as hours:minutes, e.g. 09:30".to_owned(),
        });
    }
    let location = form.location.trim();
    if location.is_empty() || location.chars().count() > 200 {
        problems.push(FormProblem {
            field: "location",
            message: "enter where it is held (or 'Online'), up to 200 characters".to_owned(),
        });
    }
    let capacity = match form.capacity.trim().parse::<u32>() {
        Ok(places) if (1..=MAX_PLACES).contains(&places) => Some(places),
        _ => {
            problems.push(FormProblem {
                field: "capacity",
                message: format!("enter the number of places, from 1 to {MAX_PLACES}"),
            });
            None
        }
    };
    let starts_at = match (date, clock) {
        (Ok(date), Ok(clock)) => {
            match tandem_core::local_time::to_utc(time::PrimitiveDateTime::new(date, clock), zone) {
                Ok(at) if at > now => Some(at),
                Ok(_) => {
                    problems.push(FormProblem {
                        field: "date",
                        message: "the workshop must start in the future".to_owned(),
                    });
                    None
                }
                Err(err) => {
                    problems.push(FormProblem {
                        field: "date",
                        message: err,
                    });
                    None
                }
            }
        }
        _ => None,
    };
    match (starts_at, capacity) {
        (Some(starts_at), Some(capacity)) if problems.is_empty() => {
            Ok((title.to_owned(), starts_at, location.to_owned(), capacity))
        }
        _ => Err(problems),
    }
}

/// Schedules a workshop of a scheme's training (R4.2), or a mentor support group (R4.3), whose
/// mentors are invited at once. Only the scheme's organisation's coordinators and
/// administrators; every problem with the form names its field.
pub async fn schedule(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
    form: &WorkshopForm,
    public_url: &str,
) -> Result<Workshop, AppError> {
    authorize(actor, &Action::ManageSchemes(organisation))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    let policy = &scheme.definition.policy;
    let (purpose, name) = if form.support_group {
        if policy.mentor_support_group_months.is_none_or(|it| it == 0) {
            return Err(AppError::Conflict(
                "this scheme's policy asks for no mentor support groups; set how often they meet under Manage schemes first".to_owned(),
            ));
        }
        (
            WorkshopPurpose::SupportGroup,
            WorkshopPurpose::SupportGroup.describe().to_owned(),
        )
    } else {
        let name = policy.training.name.trim().to_owned();
        if name.is_empty() {
            return Err(AppError::Conflict(
                "this scheme's policy names no training; name it under Manage schemes first"
                    .to_owned(),
            ));
        }
        (WorkshopPurpose::Training, name)
    };
    let zone = time_zone_of(&mut tx, organisation).await?;
    let (title, starts_at, location, capacity) =
        parse_workshop(form, &zone, now).map_err(AppError::Invalid)?;
    let workshop = Workshop {
        id: WorkshopId(Uuid::now_v7()),
        scheme: scheme.id,
        training: name,
        purpose,
        title,
        starts_at,
        location,
        capacity,
        joint: form.joint && purpose == WorkshopPurpose::Training,
        cancelled: false,
    };
    tx.insert_workshop(&workshop, now).await?;
    let invited = if purpose == WorkshopPurpose::SupportGroup {
        crate::support_groups::invite(&mut tx, &scheme, &workshop, &zone, public_url, now).await?
    } else {
        0
    };
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::WorkshopScheduled,
        Some(organisation),
        "workshop",
        Some(workshop.id.0),
        serde_json::json!({
            "scheme": key.as_ref(),
            "capacity": capacity,
            "joint": workshop.joint,
            "purpose": purpose.as_str(),
            "invited": invited,
        }),
    )])
    .await?;
    tx.commit().await?;
    Ok(workshop)
}

async fn views(
    tx: &mut Tx,
    workshop: Workshop,
    people: &mut HashMap<PersonId, ExistingPerson>,
) -> Result<WorkshopView, AppError> {
    let bookings = tx.bookings_of_workshop(workshop.id).await?;
    let free = training::free_places(workshop.capacity, &bookings);
    let waiting: Vec<BookingId> = training::waiting_list(&bookings)
        .into_iter()
        .map(|it| it.id)
        .collect();
    let mut ordered: Vec<Booking> = bookings
        .iter()
        .filter(|it| {
            matches!(
                it.status,
                BookingStatus::Booked | BookingStatus::Attended | BookingStatus::Absent
            )
        })
        .cloned()
        .collect();
    for id in &waiting {
        if let Some(booking) = bookings.iter().find(|it| it.id == *id) {
            ordered.push(booking.clone());
        }
    }
    let mut out = Vec::with_capacity(ordered.len());
    for booking in ordered {
        if let std::collections::hash_map::Entry::Vacant(slot) = people.entry(booking.person) {
            slot.insert(tx.person(booking.person).await?);
        }
        if let Some(person) = people.get(&booking.person) {
            out.push(BookingView {
                position: waiting
                    .iter()
                    .position(|id| *id == booking.id)
                    .map(|it| it + 1),
                person: person.clone(),
                booking,
            });
        }
    }
    Ok(WorkshopView {
        workshop,
        free,
        bookings: out,
    })
}

/// A scheme's workshops with their places and waiting lists, soonest first. The read is audited.
pub async fn workshops(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<(Scheme, Vec<WorkshopView>), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    authorize(
        actor,
        &Action::ViewApplicationList {
            organisation,
            scheme: scheme.id,
        },
    )?;
    let mut people = HashMap::new();
    let mut out = Vec::new();
    for workshop in tx.workshops_of_scheme(scheme.id).await? {
        out.push(views(&mut tx, workshop, &mut people).await?);
    }
    tx.rollback().await?;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::WorkshopsViewed,
            Some(organisation),
            "scheme",
            Some(scheme.id.0),
            serde_json::json!({ "scheme": key.as_ref(), "workshops": out.len() }),
        )],
    )
    .await?;
    Ok((scheme, out))
}

/// The live application through which `person` may come to the workshop, if any: one that
/// needs its training, or for a support group, theirs as an approved or matched mentor.
async fn needing(
    tx: &mut Tx,
    person: PersonId,
    scheme: &Scheme,
    workshop: &Workshop,
) -> Result<Option<Application>, AppError> {
    Ok(tx
        .applications_of_person(person)
        .await?
        .into_iter()
        .find(|application| {
            application.scheme == scheme.id && may_attend(scheme, application, workshop)
        }))
}

/// The one rule for who a workshop is for: training for those whose open application needs
/// it; a support group for the scheme's approved or matched mentors.
fn may_attend(scheme: &Scheme, application: &Application, workshop: &Workshop) -> bool {
    match workshop.purpose {
        WorkshopPurpose::Training => {
            application.status.is_open()
                && required_training(&scheme.definition.policy, application.role)
                    .is_some_and(|name| name == workshop.training)
        }
        WorkshopPurpose::SupportGroup => {
            application.role == Role::Mentor
                && matches!(
                    application.status,
                    ApplicationStatus::Approved | ApplicationStatus::Matched
                )
        }
    }
}

fn email<'a>(
    person: &'a ExistingPerson,
    key: String,
    kind: String,
    subject: String,
    body: String,
) -> Notice<'a> {
    Notice::of(person, key, kind, subject, body)
}

fn when(workshop: &Workshop, zone: &str) -> String {
    let local = tandem_core::local_time::to_local(workshop.starts_at, zone);
    let format = time::macros::format_description!(
        "[weekday repr:long] [day padding:none] [month repr:long] [year] at [hour]:[minute]"
    );
    local.format(&format).unwrap_or_default()
}

/// Books `person` a place at a workshop, or puts them on its waiting list when it is full
/// (R4.2); for joint training, books `partner` with them: both get places or both wait. A person
/// books for themselves; a coordinator or champion books anyone who applied to the scheme and
/// needs its training. Places can never be over-filled, even by two bookings at once.
pub async fn book(
    app: &App,
    actor: &Actor,
    workshop: WorkshopId,
    person: PersonId,
    partner: Option<PersonId>,
) -> Result<Vec<Booking>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let held = tx
        .workshop(workshop)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such workshop".to_owned()))?;
    let scheme = scheme_of(&mut tx, held.scheme).await?;
    let mut party = vec![tx.person(person).await?];
    if let Some(partner) = partner.filter(|it| *it != person) {
        if !held.joint {
            return Err(AppError::Conflict(
                "this workshop is not for joint training; book each person on their own".to_owned(),
            ));
        }
        party.push(tx.person(partner).await?);
    }
    for member in &party {
        let own = actor.person() == Some(member.id) && party.len() == 1;
        if own {
            authorize(
                actor,
                &Action::ActOnOwnApplication {
                    applicant: member.id,
                },
            )?;
        } else {
            authorize(
                actor,
                &Action::ManageApplications(scope_of(&scheme, member)),
            )?;
        }
    }
    if held.cancelled || held.starts_at <= now {
        return Err(AppError::Conflict(
            "the workshop has been cancelled or has already started; choose another".to_owned(),
        ));
    }
    for member in &party {
        if needing(&mut tx, member.id, &scheme, &held).await?.is_none() {
            return Err(AppError::Conflict(format!(
                "{} has no application to {} that {}; they apply first",
                member.record.full_name(),
                scheme.definition.name,
                match held.purpose {
                    WorkshopPurpose::Training => format!("needs {}", held.training),
                    WorkshopPurpose::SupportGroup =>
                        "makes them a mentor there (support groups are for mentors)".to_owned(),
                }
            )));
        }
    }
    let held = tx.lock_workshop(workshop).await?;
    let existing = tx.bookings_of_workshop(workshop).await?;
    let free = training::free_places(held.capacity, &existing);
    let someone_waits = existing
        .iter()
        .any(|it| it.status == BookingStatus::Waiting);
    let needed = u32::try_from(party.len()).unwrap_or(u32::MAX);
    let status = if free >= needed && !someone_waits {
        BookingStatus::Booked
    } else {
        BookingStatus::Waiting
    };
    let zone = time_zone_of(&mut tx, scheme.organisation).await?;
    let mut made = Vec::new();
    for (index, member) in party.iter().enumerate() {
        let other = party.get(1 - index.min(1)).filter(|_| party.len() == 2);
        let booking = Booking {
            id: BookingId(Uuid::now_v7()),
            workshop,
            person: member.id,
            status,
            priority: 0,
            requested_at: now,
            partner: other.map(|it| it.id),
        };
        match tx.insert_booking(&booking).await {
            Err(tandem_store::StoreError::Conflict(message)) => {
                return Err(AppError::Conflict(format!(
                    "{}: {message}",
                    member.record.full_name()
                )));
            }
            other => other?,
        }
        let body = match status {
            BookingStatus::Booked => format!(
                "You have a place at {} ({}) on {}, at {}.",
                held.title,
                held.training,
                when(&held, &zone),
                held.location
            ),
            _ => format!(
                "{} on {} is full, so you are on its waiting list. We will email you when a place frees.",
                held.title,
                when(&held, &zone)
            ),
        };
        tx.notify(
            email(
                member,
                format!("workshop.{}.{}", booking.id, status.as_str()),
                format!("workshop.{}", status.as_str()),
                format!("{}: {}", held.title, status.describe()),
                body,
            ),
            now,
        )
        .await?;
        made.push(booking);
    }
    tx.insert_audit(
        &made
            .iter()
            .map(|booking| {
                audit::entry(
                    actor,
                    now,
                    AuditAction::WorkshopBooked,
                    Some(scheme.organisation),
                    "booking",
                    Some(booking.id.0),
                    serde_json::json!({ "workshop": workshop.to_string(), "status": booking.status.as_str() }),
                )
            })
            .collect::<Vec<_>>(),
    )
    .await?;
    tx.commit().await?;
    Ok(made)
}

/// Gives up a place or leaves the waiting list (with a joint partner), and offers the freed
/// places to the waiting list in order, emailing whoever moves up.
pub async fn cancel(app: &App, actor: &Actor, booking: BookingId) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let held = tx
        .booking(booking)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such booking".to_owned()))?;
    let workshop = tx
        .workshop(held.workshop)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such workshop".to_owned()))?;
    let scheme = scheme_of(&mut tx, workshop.scheme).await?;
    let person = tx.person(held.person).await?;
    if actor.person() == Some(held.person) {
        authorize(
            actor,
            &Action::ActOnOwnApplication {
                applicant: held.person,
            },
        )?;
    } else {
        authorize(
            actor,
            &Action::ManageApplications(scope_of(&scheme, &person)),
        )?;
    }
    if !held.status.is_live() {
        return Err(AppError::Conflict(format!(
            "the booking is already {}",
            held.status.describe().to_lowercase()
        )));
    }
    let workshop = tx.lock_workshop(held.workshop).await?;
    let bookings = tx.bookings_of_workshop(held.workshop).await?;
    let mut cancelled = vec![held.id];
    if let Some(partner) = held.partner
        && let Some(theirs) = bookings
            .iter()
            .find(|it| it.person == partner && it.status.is_live())
    {
        cancelled.push(theirs.id);
    }
    for id in &cancelled {
        tx.set_booking_status(*id, BookingStatus::Cancelled, now)
            .await?;
    }
    let after: Vec<Booking> = bookings
        .into_iter()
        .map(|mut it| {
            if cancelled.contains(&it.id) {
                it.status = BookingStatus::Cancelled;
            }
            it
        })
        .collect();
    let promoted = promote(&mut tx, &workshop, &scheme, &after, now).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::WorkshopCancelledBooking,
        Some(scheme.organisation),
        "booking",
        Some(booking.0),
        serde_json::json!({ "workshop": workshop.id.to_string(), "moved_up": promoted }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives free places to the waiting list in order; returns how many moved up.
async fn promote(
    tx: &mut Tx,
    workshop: &Workshop,
    scheme: &Scheme,
    bookings: &[Booking],
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let promoted = training::to_promote(workshop.capacity, bookings);
    let zone = time_zone_of(tx, scheme.organisation).await?;
    for id in &promoted {
        tx.set_booking_status(*id, BookingStatus::Booked, now)
            .await?;
        if let Some(booking) = bookings.iter().find(|it| it.id == *id) {
            let person = tx.person(booking.person).await?;
            tx.notify(
                email(
                    &person,
                    format!("workshop.{id}.booked"),
                    "workshop.booked".to_owned(),
                    format!("{}: a place for you", workshop.title),
                    format!(
                        "A place has come free at {} on {}, at {}, and it is yours. If you cannot come, cancel it on Your mentoring so the next person can have it.",
                        workshop.title,
                        when(workshop, &zone),
                        workshop.location
                    ),
                ),
                now,
            )
            .await?;
        }
    }
    Ok(promoted.len())
}

/// Sets a waiting booking's priority (higher first, e.g. EDI priority).
pub async fn set_priority(
    app: &App,
    actor: &Actor,
    booking: BookingId,
    priority: i32,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let held = tx
        .booking(booking)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such booking".to_owned()))?;
    let workshop = tx
        .workshop(held.workshop)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such workshop".to_owned()))?;
    let scheme = scheme_of(&mut tx, workshop.scheme).await?;
    let person = tx.person(held.person).await?;
    authorize(
        actor,
        &Action::ManageApplications(scope_of(&scheme, &person)),
    )?;
    if !(0..=9).contains(&priority) {
        return Err(AppError::Invalid(vec![FormProblem {
            field: "priority",
            message: "use a priority from 0 (none) to 9 (first)".to_owned(),
        }]));
    }
    tx.lock_workshop(held.workshop).await?;
    tx.set_booking_priority(booking, priority, now).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::WorkshopPrioritySet,
        Some(scheme.organisation),
        "booking",
        Some(booking.0),
        serde_json::json!({ "priority": priority }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records who came to a workshop once it has started: those in `attended` have the training
/// recorded on the workshop's date (a support group is not training: its attendance is all
/// that is kept); everyone else with a place is marked as not attending.
pub async fn record_attendance(
    app: &App,
    actor: &Actor,
    workshop: WorkshopId,
    attended: &[PersonId],
) -> Result<usize, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let held = tx
        .workshop(workshop)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such workshop".to_owned()))?;
    let scheme = scheme_of(&mut tx, held.scheme).await?;
    authorize(actor, &Action::ManageSchemes(scheme.organisation))?;
    if held.starts_at > now {
        return Err(AppError::Conflict(
            "the workshop has not happened yet; record attendance after it starts".to_owned(),
        ));
    }
    let held = tx.lock_workshop(workshop).await?;
    let on = local_date(&mut tx, &scheme, held.starts_at).await?;
    let label = actor.audit_label();
    let mut recorded = 0;
    for booking in tx.bookings_of_workshop(workshop).await? {
        if booking.status != BookingStatus::Booked {
            continue;
        }
        if attended.contains(&booking.person) {
            tx.set_booking_status(booking.id, BookingStatus::Attended, now)
                .await?;
            recorded += 1;
            if held.purpose == WorkshopPurpose::SupportGroup {
                continue;
            }
            tx.insert_training_record(
                &TrainingRecord {
                    person: booking.person,
                    training: held.training.clone(),
                    completed_on: on,
                    workshop: Some(workshop),
                    recorded_by: label.clone(),
                },
                now,
            )
            .await?;
        } else {
            tx.set_booking_status(booking.id, BookingStatus::Absent, now)
                .await?;
        }
    }
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::WorkshopAttendanceRecorded,
        Some(scheme.organisation),
        "workshop",
        Some(workshop.0),
        serde_json::json!({ "attended": recorded }),
    )])
    .await?;
    tx.commit().await?;
    Ok(recorded)
}

/// Records that an applicant completed the training their role needs in the scheme (e.g. an
/// e-learning module), on `completed_on`, which cannot be in the future (R4.1).
pub async fn record_completion(
    app: &App,
    actor: &Actor,
    application: ApplicationId,
    completed_on: Date,
) -> Result<TrainingRecord, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let held = tx
        .application(application)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such application".to_owned()))?;
    let scheme = scheme_of(&mut tx, held.scheme).await?;
    let person = tx.person(held.person).await?;
    authorize(
        actor,
        &Action::ManageApplications(scope_of(&scheme, &person)),
    )?;
    let Some(name) = required_training(&scheme.definition.policy, held.role) else {
        return Err(AppError::Conflict(format!(
            "{} asks no training of a {}",
            scheme.definition.name,
            held.role.as_str()
        )));
    };
    let today = local_date(&mut tx, &scheme, now).await?;
    if completed_on > today {
        return Err(AppError::Invalid(vec![FormProblem {
            field: "completed_on",
            message: "the completion date cannot be in the future".to_owned(),
        }]));
    }
    let record = TrainingRecord {
        person: held.person,
        training: name.to_owned(),
        completed_on,
        workshop: None,
        recorded_by: actor.audit_label(),
    };
    tx.insert_training_record(&record, now).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::TrainingRecorded,
        Some(scheme.organisation),
        "person",
        Some(held.person.0),
        serde_json::json!({ "training": name }),
    )])
    .await?;
    tx.commit().await?;
    Ok(record)
}

/// The signed-in person's training, bookings and the workshops open to them.
pub async fn mine(app: &App, actor: &Actor) -> Result<OwnTraining, AppError> {
    let person = actor.person().ok_or_else(|| {
        AppError::NotFound("only a signed-in person has training of their own".to_owned())
    })?;
    authorize(actor, &Action::ActOnOwnApplication { applicant: person })?;
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let records = tx.training_records_of(person).await?;
    let mut bookings = Vec::new();
    for booking in tx.bookings_of_person(person).await? {
        let Some(workshop) = tx.workshop(booking.workshop).await? else {
            continue;
        };
        let all = tx.bookings_of_workshop(workshop.id).await?;
        let waiting = training::waiting_list(&all);
        let position = waiting
            .iter()
            .position(|it| it.id == booking.id)
            .map(|at| (at + 1, waiting.len()));
        bookings.push(OwnBooking {
            booking,
            workshop,
            position,
        });
    }
    let mut open = Vec::new();
    for application in tx.applications_of_person(person).await? {
        if !application.status.is_open() {
            continue;
        }
        let scheme = scheme_of(&mut tx, application.scheme).await?;
        let policy = &scheme.definition.policy;
        // Trained already and no refresher due: training workshops are not for them.
        let today = local_date(&mut tx, &scheme, now).await?;
        let trained = required_training(policy, application.role).is_some_and(|name| {
            records
                .iter()
                .filter(|it| it.training == name)
                .map(|it| it.completed_on)
                .max()
                .is_some_and(|last| training::refresher_state(policy, last, today).is_none())
        });
        for workshop in tx.workshops_of_scheme(scheme.id).await? {
            let booked = bookings
                .iter()
                .any(|it| it.workshop.id == workshop.id && it.booking.status.is_live());
            if workshop.cancelled
                || workshop.starts_at <= now
                || !may_attend(&scheme, &application, &workshop)
                || (workshop.purpose == WorkshopPurpose::Training && trained)
                || booked
            {
                continue;
            }
            let all = tx.bookings_of_workshop(workshop.id).await?;
            let free = training::free_places(workshop.capacity, &all);
            open.push((workshop, free));
        }
    }
    tx.rollback().await?;
    Ok(OwnTraining {
        records,
        bookings,
        open,
    })
}

/// For each applicant to a scheme, the date they last completed the training their role needs
/// there; absent when they have not (or need none).
pub async fn completions(
    tx: &mut Tx,
    scheme: &Scheme,
    on: Date,
) -> Result<HashMap<PersonId, Date>, AppError> {
    let name = scheme.definition.policy.training.name.trim();
    if name.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(tx
        .training_completions(name, on)
        .await?
        .into_iter()
        .collect())
}
