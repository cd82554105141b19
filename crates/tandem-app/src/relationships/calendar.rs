//! Calendar invitations (R7.4): one `.ics` file per meeting, with the meeting's id as its UID
//! and a sequence that grows with each change, so a changed or cancelled meeting updates the
//! same entry in the member's calendar.

use super::meetings::meeting_and_relationship;
use crate::{App, AppError};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use tandem_core::authz::Actor;
use tandem_core::relationship::{Meeting, MeetingStatus};
use time::OffsetDateTime;
use uuid::Uuid;

fn utc(at: OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(at.unix_timestamp(), 0).unwrap_or_default()
}

/// A meeting as a calendar file, for one of the pair: its file name and its text.
pub async fn invitation(
    app: &App,
    actor: &Actor,
    meeting: Uuid,
) -> Result<(String, String), AppError> {
    let (meeting, relationship) = meeting_and_relationship(app, actor, meeting).await?;
    Ok(calendar_file(
        &meeting,
        &relationship.scheme.definition.name,
        &relationship.partner().record.full_name(),
    ))
}

/// The calendar file of `meeting` for the member whose partner is `partner`: the same UID
/// every time, its sequence growing with each change (the email's attachment and the page's
/// download are this one file).
pub(crate) fn calendar_file(meeting: &Meeting, scheme: &str, partner: &str) -> (String, String) {
    let ends = meeting.starts_at + time::Duration::minutes(i64::from(meeting.minutes));
    let mut event = Event::new();
    event
        .uid(&format!("{}@tandem", meeting.id))
        .sequence(meeting.sequence)
        .timestamp(utc(meeting.updated_at))
        .starts(utc(meeting.starts_at))
        .ends(utc(ends))
        .summary(&format!(
            "Mentoring {} with {partner}",
            meeting.kind.describe()
        ))
        .description(&format!(
            "{} in {scheme} ({}).",
            capitalised(meeting.kind.describe()),
            meeting.mode.describe()
        ))
        .status(if meeting.status == MeetingStatus::Cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if let Some(place) = &meeting.place {
        event.location(place);
    }
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Tandem//Mentoring//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .push(event.done());
    let date = meeting.starts_at.date();
    (
        format!("mentoring-{}-{date}.ics", meeting.kind.as_str()),
        calendar.to_string(),
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
