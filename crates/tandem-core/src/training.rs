//! Training (R4): what a scheme requires of each role, workshops with a number of places, and
//! who moves up the waiting list when a place frees.
//!
//! A completion is recorded against the training's name (e.g. "Moodle mentoring module"), so
//! it counts for every scheme that asks for training of that name.

use crate::application::waiting_order;
use crate::eligibility::Role;
use crate::ids::{BookingId, PersonId, SchemeId, WorkshopId};
use crate::policy::SchemePolicy;
use std::fmt;
use time::{Date, OffsetDateTime};

/// The training `role` must complete in a scheme with `policy`, if any.
pub fn required_training(policy: &SchemePolicy, role: Role) -> Option<&str> {
    let training = &policy.training;
    let required = match role {
        Role::Mentor => training.mentor_required,
        Role::Mentee => training.mentee_required,
    };
    (required && !training.name.trim().is_empty()).then_some(training.name.as_str())
}

/// Matching waits for the training: the policy requires it before matching.
pub fn blocks_matching(policy: &SchemePolicy, role: Role) -> bool {
    policy.training.before_matching && required_training(policy, role).is_some()
}

/// When a refresher of training completed on `completed_on` falls due, if the scheme asks for
/// refreshers (R4.3).
pub fn refresher_due(policy: &SchemePolicy, completed_on: Date) -> Option<Date> {
    add_months(completed_on, policy.training.refresher_months?)
}

/// The same day `months` later, or the month's last day when it is shorter (31 January and
/// one month is 28 or 29 February).
fn add_months(from: Date, months: u32) -> Option<Date> {
    let total = i32::from(from.month() as u8) - 1 + i32::try_from(months).ok()?;
    let year = from.year() + total.div_euclid(12);
    let month = time::Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?;
    let last_day = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, from.day().min(last_day)).ok()
}

/// How many days before a refresher falls due the person is asked to book one.
pub const REFRESHER_NOTICE_DAYS: i64 = 30;

crate::codes::codes! {
    /// Where a person's refresher training stands (R4.3).
    Refresher {
        /// Due within [`REFRESHER_NOTICE_DAYS`]: the person is asked to book one.
        DueSoon => "refresher_due", "refresher training is due soon";
        /// The date has passed: the person and the coordinators are told it has run out.
        RunOut => "refresher_run_out", "refresher training has run out";
    }
}

/// Where the refresher of training completed on `completed_on` stands on `today`, with the
/// date it falls due; `None` while it is not yet due or the scheme asks for no refreshers.
pub fn refresher_state(
    policy: &SchemePolicy,
    completed_on: Date,
    today: Date,
) -> Option<(Refresher, Date)> {
    let due = refresher_due(policy, completed_on)?;
    if today >= due {
        Some((Refresher::RunOut, due))
    } else if (due - today).whole_days() <= REFRESHER_NOTICE_DAYS {
        Some((Refresher::DueSoon, due))
    } else {
        None
    }
}

crate::codes::codes! {
    /// What a workshop is for.
    WorkshopPurpose {
        /// The scheme's training: attending it records the training as completed (R4.2).
        Training => "training", "training";
        /// A mentor support group (R4.3): the scheme's mentors meet to share practice; attending
        /// records nothing as training.
        SupportGroup => "support_group", "mentor support group";
    }
}

/// How many days before a mentor support group falls due the coordinators are asked to
/// schedule one.
pub const SUPPORT_GROUP_NOTICE_DAYS: i64 = 30;

crate::codes::codes! {
    /// Where a scheme's mentor support groups stand (R4.3).
    SupportGroupDue {
        /// Due within [`SUPPORT_GROUP_NOTICE_DAYS`] and none scheduled.
        DueSoon => "support_group_due", "a mentor support group is due soon";
        /// The date has passed and none is scheduled.
        Overdue => "support_group_overdue", "a mentor support group is overdue";
    }
}

/// Whether a scheme whose policy asks for a mentor support group every
/// `mentor_support_group_months` needs its coordinators to schedule one on `today`, with the
/// date it falls due. `last_group` is the day of the latest support group held or scheduled
/// (not cancelled); before the first, the count starts from `mentoring_since`, the day the
/// scheme's earliest live relationship began. `None` when the scheme asks for none, has no
/// mentor mentoring yet, or the next group is not yet due (a group scheduled ahead, however
/// far, counts as the next one).
pub fn support_group_due(
    policy: &SchemePolicy,
    last_group: Option<Date>,
    mentoring_since: Option<Date>,
    today: Date,
) -> Option<(SupportGroupDue, Date)> {
    let months = policy.mentor_support_group_months.filter(|it| *it > 0)?;
    let from = last_group.or(mentoring_since)?;
    if from >= today {
        return None;
    }
    let due = add_months(from, months)?;
    if today >= due {
        Some((SupportGroupDue::Overdue, due))
    } else if (due - today).whole_days() <= SUPPORT_GROUP_NOTICE_DAYS {
        Some((SupportGroupDue::DueSoon, due))
    } else {
        None
    }
}

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookingStatus {
    /// Has a place.
    Booked,
    /// On the waiting list for a place.
    Waiting,
    /// Came; their training is recorded.
    Attended,
    /// Had a place and did not come.
    Absent,
    /// Gave up the place or left the waiting list.
    Cancelled,
}

impl BookingStatus {
    /// Every status.
    pub const ALL: [Self; 5] = [
        Self::Booked,
        Self::Waiting,
        Self::Attended,
        Self::Absent,
        Self::Cancelled,
    ];

    /// The stored token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Waiting => "waiting",
            Self::Attended => "attended",
            Self::Absent => "absent",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses the stored token.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == raw)
    }

    /// Words for people.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Booked => "Place booked",
            Self::Waiting => "On the waiting list",
            Self::Attended => "Attended",
            Self::Absent => "Did not attend",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Still holds or waits for a place.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Booked | Self::Waiting)
    }
}

impl fmt::Display for BookingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A workshop: a session of a scheme's training with a number of places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workshop {
    /// Its id.
    pub id: WorkshopId,
    /// The scheme whose training it gives.
    pub scheme: SchemeId,
    /// The training it gives (the scheme's training name when it was scheduled); for a
    /// support group, what it is called.
    pub training: String,
    /// Training, or a mentor support group.
    pub purpose: WorkshopPurpose,
    /// What it is called.
    pub title: String,
    /// When it starts.
    pub starts_at: OffsetDateTime,
    /// Where.
    pub location: String,
    /// Places.
    pub capacity: u32,
    /// Mentor and mentee attend together (reverse pairs) and are booked as a pair.
    pub joint: bool,
    /// It was cancelled.
    pub cancelled: bool,
}

/// A person's place, or place in line, at a workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    /// Its id.
    pub id: BookingId,
    /// The workshop.
    pub workshop: WorkshopId,
    /// Who.
    pub person: PersonId,
    /// Where it stands.
    pub status: BookingStatus,
    /// The coordinator's priority on the waiting list (higher first, e.g. EDI priority).
    pub priority: i32,
    /// When the place was asked for.
    pub requested_at: OffsetDateTime,
    /// For joint training: the other member of the pair, booked with them.
    pub partner: Option<PersonId>,
}

/// A person's completed training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingRecord {
    /// Who.
    pub person: PersonId,
    /// Which training (by name).
    pub training: String,
    /// When they completed it.
    pub completed_on: Date,
    /// The workshop they attended, if it was one.
    pub workshop: Option<WorkshopId>,
    /// Who recorded it (audit label).
    pub recorded_by: String,
}

/// Places still free at a workshop with `capacity` and these bookings.
pub fn free_places(capacity: u32, bookings: &[Booking]) -> u32 {
    let taken = bookings
        .iter()
        .filter(|it| matches!(it.status, BookingStatus::Booked | BookingStatus::Attended))
        .count();
    capacity.saturating_sub(u32::try_from(taken).unwrap_or(u32::MAX))
}

/// The waiting list in the order places are offered (R4.2): priority, then date.
pub fn waiting_list(bookings: &[Booking]) -> Vec<&Booking> {
    let mut waiting: Vec<&Booking> = bookings
        .iter()
        .filter(|it| it.status == BookingStatus::Waiting)
        .collect();
    waiting_order(&mut waiting, |it| (it.priority, it.requested_at, it.id));
    waiting
}

/// Who gets the free places, in waiting-list order. A pair booked for joint training moves up
/// together or not at all; when the pair first in line does not fit, the next who fits goes
/// ahead, so a place is never left empty while someone waiting could take it.
pub fn to_promote(capacity: u32, bookings: &[Booking]) -> Vec<BookingId> {
    let mut free = free_places(capacity, bookings);
    let mut promoted: Vec<BookingId> = Vec::new();
    for booking in waiting_list(bookings) {
        if free == 0 {
            break;
        }
        if promoted.contains(&booking.id) {
            continue;
        }
        let partner = booking.partner.and_then(|partner| {
            bookings.iter().find(|it| {
                it.person == partner && it.status == BookingStatus::Waiting && it.id != booking.id
            })
        });
        match partner {
            Some(partner) if free >= 2 => {
                promoted.push(booking.id);
                promoted.push(partner.id);
                free -= 2;
            }
            Some(_) => {}
            None => {
                promoted.push(booking.id);
                free -= 1;
            }
        }
    }
    promoted
}

#[cfg(test)]
mod tests;
