//! Meetings of a pair (R6.2, R7.1): the introductory meeting and sessions, booked ahead or
//! logged once held, parsed once from what a member typed.

use crate::application::FormProblem;
use crate::codes::codes;
use crate::local_time;
use crate::policy::SchemePolicy;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

codes! {
    /// Which meeting it is.
    MeetingKind {
        /// The "getting to know you" meeting the mentor arranges (R6.2).
        Introductory => "introductory", "introductory meeting";
        /// A mentoring session.
        Session => "session", "session";
    }
}

codes! {
    /// How the pair meets (R7.1).
    MeetingMode {
        /// Face to face.
        InPerson => "in_person", "in person";
        /// A video call.
        Video => "video", "video call";
        /// A phone call.
        Phone => "phone", "phone call";
    }
}

codes! {
    /// Where a meeting stands.
    MeetingStatus {
        /// Booked ahead.
        Booked => "booked", "booked";
        /// Took place (logged).
        Held => "held", "held";
        /// Called off.
        Cancelled => "cancelled", "cancelled";
    }
}

/// A meeting as a member typed it: booked ahead, or logged after it was held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingForm {
    /// `YYYY-MM-DD`, in the organisation's time zone.
    pub date: String,
    /// `HH:MM`, 24-hour, in the organisation's time zone.
    pub time: String,
    /// Length in minutes.
    pub minutes: String,
    /// `in_person`, `video` or `phone`.
    pub mode: String,
    /// Where (a place for a meeting in person; optional otherwise, e.g. the call's link).
    pub place: String,
}

/// A meeting that parsed: when (in UTC), how long, how and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMeeting {
    /// When it starts.
    pub starts_at: OffsetDateTime,
    /// How long, in minutes.
    pub minutes: u32,
    /// How.
    pub mode: MeetingMode,
    /// Where, if said.
    pub place: Option<String>,
}

/// Why a meeting is refused, per field.
pub type MeetingProblem = FormProblem;

/// The longest place or link kept.
const PLACE_LIMIT: usize = 200;

impl MeetingForm {
    /// Parses the form for a meeting that is booked ahead (`held` false: it must be in the
    /// future) or logged (`held` true: it must have taken place), with the length the scheme's
    /// sessions may have; every problem is reported, each at its field.
    pub fn parse(
        &self,
        policy: &SchemePolicy,
        zone: &str,
        now: OffsetDateTime,
        held: bool,
    ) -> Result<PlannedMeeting, Vec<MeetingProblem>> {
        let mut problems = Vec::new();
        let date = Date::parse(
            self.date.trim(),
            time::macros::format_description!("[year]-[month]-[day]"),
        );
        if date.is_err() {
            problems.push(problem(
                "date",
                "enter the date as year-month-day, e.g. 2027-01-14",
            ));
        }
        let clock = Time::parse(
            self.time.trim(),
            time::macros::format_description!("[hour]:[minute]"),
        );
        if clock.is_err() {
            problems.push(problem(
                "time",
                "enter the start time as hours:minutes, e.g. 09:30",
            ));
        }
        let minutes = self.minutes.trim().parse::<u32>().ok().filter(|it| *it > 0);
        let (low, high) = (
            policy.session_minutes.min.unwrap_or(15),
            policy.session_minutes.max.unwrap_or(480),
        );
        match minutes {
            None => problems.push(problem("minutes", "enter the length in minutes, e.g. 60")),
            Some(it) if it < low || it > high => problems.push(problem(
                "minutes",
                &format!("sessions in this scheme last {low} to {high} minutes"),
            )),
            Some(_) => {}
        }
        let mode = MeetingMode::parse(self.mode.trim());
        if mode.is_none() {
            problems.push(problem(
                "mode",
                "choose in person, video call or phone call",
            ));
        }
        let place = self.place.trim();
        if place.chars().count() > PLACE_LIMIT {
            problems.push(problem(
                "place",
                &format!("shorten the place to {PLACE_LIMIT} characters or fewer"),
            ));
        } else if place.is_empty() && mode == Some(MeetingMode::InPerson) {
            problems.push(problem("place", "say where you will meet"));
        }
        let starts_at = match (date, clock) {
            (Ok(date), Ok(clock)) => {
                match local_time::to_utc(PrimitiveDateTime::new(date, clock), zone) {
                    Ok(at) => Some(at),
                    Err(message) => {
                        problems.push(FormProblem {
                            field: "time",
                            message,
                        });
                        None
                    }
                }
            }
            _ => None,
        };
        if let Some(at) = starts_at {
            if held && at > now {
                problems.push(problem(
                    "date",
                    "a session you log has taken place: choose a date and time in the past, or book it instead",
                ));
            } else if !held && at <= now {
                problems.push(problem(
                    "date",
                    "a booking is for a date and time still to come; log a session that has taken place instead",
                ));
            }
        }
        match (starts_at, minutes, mode) {
            (Some(starts_at), Some(minutes), Some(mode)) if problems.is_empty() => {
                Ok(PlannedMeeting {
                    starts_at,
                    minutes,
                    mode,
                    place: (!place.is_empty()).then(|| place.to_owned()),
                })
            }
            _ => Err(problems),
        }
    }
}

fn problem(field: &'static str, message: &str) -> FormProblem {
    FormProblem {
        field,
        message: message.to_owned(),
    }
}

/// Why the introductory meeting may not be held this way (R6.2): it is face to face unless
/// the scheme says otherwise, the pair is from two forces, or a reasonable adjustment allows
/// meeting remotely (R8.5).
pub fn first_meeting_refusal(
    policy: &SchemePolicy,
    mode: MeetingMode,
    cross_force: bool,
    remote_adjustment: bool,
) -> Option<&'static str> {
    if mode == MeetingMode::InPerson
        || !policy.first_meeting_face_to_face
        || cross_force
        || remote_adjustment
    {
        None
    } else {
        Some(
            "the first meeting in this scheme is face to face; it may be remote only when you are from different forces or a reasonable adjustment allows it",
        )
    }
}
