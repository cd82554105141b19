//! Programme care driven by time (R6.4, R7.3, R11.2): what the product should say to whom about
//! one relationship, worked out from its state and dates at a given moment. The sweep asks this
//! for every live relationship; each answer carries a key that names its occasion (the meeting
//! it follows, the end date it warns of), so an answer found again at a later sweep is the same
//! reminder, never a second one.
//!
//! Nothing here closes or changes a relationship: the product reminds and tells the
//! coordinators; people decide.

use crate::codes::codes;
use crate::pairing::MatchStatus;
use crate::policy::SchemePolicy;
use crate::relationship::progress_review_due;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

/// When the product reminds people about a scheme's relationships: each field tunes one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CarePolicy {
    /// Days after confirmation without an introductory meeting before the mentor is reminded.
    pub first_meeting_days: u32,
    /// Days after confirmation without an introductory meeting before the coordinators are told.
    pub first_meeting_escalate_days: u32,
    /// Days before the end date when the pair is asked to close or agree an extension.
    pub end_warning_days: u32,
    /// Weeks past the longest gap between sessions (`cadence_weeks.max`) before the pair is
    /// warned that nothing has been logged; as many weeks again before the coordinators are.
    pub inactivity_margin_weeks: u32,
    /// Weeks without a session after which the relationship is proposed to the coordinators
    /// for closure (they close it or keep it with a reason).
    pub closure_after_weeks: u32,
    /// Days after the relationship goes active before the first pulse check-in (R11.1); 0
    /// asks for no check-ins.
    pub pulse_first_days: u32,
    /// Days between one pulse check-in and the next.
    pub pulse_every_days: u32,
    /// A check-in score at or under this puts the relationship at risk.
    pub pulse_low_score: u8,
}

impl CarePolicy {
    /// The scheme asks its pairs for pulse check-ins.
    pub fn pulse_enabled(&self) -> bool {
        self.pulse_first_days > 0
    }

    /// The settings a coordinator tunes, by name, with their values: the one list the scheme
    /// editor shows and reads back.
    pub fn settings(&self) -> [(&'static str, u32); 8] {
        [
            ("first_meeting_days", self.first_meeting_days),
            (
                "first_meeting_escalate_days",
                self.first_meeting_escalate_days,
            ),
            ("end_warning_days", self.end_warning_days),
            ("inactivity_margin_weeks", self.inactivity_margin_weeks),
            ("closure_after_weeks", self.closure_after_weeks),
            ("pulse_first_days", self.pulse_first_days),
            ("pulse_every_days", self.pulse_every_days),
            ("pulse_low_score", u32::from(self.pulse_low_score)),
        ]
    }

    /// Sets the setting `name` (as `settings` names it); false when there is no such setting
    /// or the value does not fit it.
    pub fn set(&mut self, name: &str, value: u32) -> bool {
        let slot = match name {
            "first_meeting_days" => &mut self.first_meeting_days,
            "first_meeting_escalate_days" => &mut self.first_meeting_escalate_days,
            "end_warning_days" => &mut self.end_warning_days,
            "inactivity_margin_weeks" => &mut self.inactivity_margin_weeks,
            "closure_after_weeks" => &mut self.closure_after_weeks,
            "pulse_first_days" => &mut self.pulse_first_days,
            "pulse_every_days" => &mut self.pulse_every_days,
            "pulse_low_score" => {
                return u8::try_from(value)
                    .map(|it| self.pulse_low_score = it)
                    .is_ok();
            }
            _ => return false,
        };
        *slot = value;
        true
    }
}

impl Default for CarePolicy {
    fn default() -> Self {
        Self {
            first_meeting_days: 14,
            first_meeting_escalate_days: 28,
            end_warning_days: 30,
            inactivity_margin_weeks: 4,
            closure_after_weeks: 26,
            pulse_first_days: 30,
            pulse_every_days: 60,
            pulse_low_score: 2,
        }
    }
}

/// The longest gap between sessions assumed when the scheme sets no cadence.
pub const DEFAULT_GAP_WEEKS: u32 = 8;

codes! {
    /// What the product says about a relationship, and why.
    Nudge {
        /// The mentor has not arranged the introductory meeting.
        ArrangeFirstMeeting => "first_meeting", "the introductory meeting is still to be arranged";
        /// Still no introductory meeting, later: the coordinators are told.
        FirstMeetingOverdue => "first_meeting_overdue", "no introductory meeting has been arranged";
        /// Nothing is booked and the longest gap between sessions has passed (R7.3).
        BookNextSession => "book_session", "it is time to book the next session";
        /// A progress review is due: every Nth meeting or the final one (R7.3).
        ReviewDue => "review_due", "a progress review is due";
        /// The end date is near: close, or agree an extension (R6.4).
        EndApproaching => "end_approaching", "the relationship's end date is near";
        /// The end date has passed: close, or agree an extension; nothing closes by itself.
        EndReached => "end_reached", "the relationship has reached its end date";
        /// No session logged for the cadence and a margin (R11.2).
        Inactive => "inactive", "no session has been logged for a long time";
        /// Inactive for longer: the coordinators are told.
        InactiveToCoordinators => "inactive_coordinators", "the pair has not met for a long time";
        /// Inactive for the configured time: proposed to the coordinators for closure.
        ProposeClosure => "propose_closure", "proposed for closure after a long time without a session";
        /// A pulse check-in is open (R11.1).
        PulseCheckIn => "pulse", "a check-in on how the mentoring is going";
    }
}

codes! {
    /// Who a nudge goes to.
    Audience {
        /// The mentor only.
        Mentor => "mentor", "the mentor";
        /// Both members.
        Pair => "pair", "the mentor and the mentee";
        /// The scheme's coordinators.
        Coordinators => "coordinators", "the coordinators";
    }
}

/// One relationship as the sweep reads it: its state and dates, never what the pair wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Where it stands.
    pub status: MatchStatus,
    /// When it was confirmed.
    pub confirmed_at: Option<OffsetDateTime>,
    /// The day it became active.
    pub started_on: Option<Date>,
    /// Its planned end.
    pub ends_on: Option<Date>,
    /// The introductory meeting is arranged (booked or held).
    pub introduction_arranged: bool,
    /// When the last meeting was held.
    pub last_held: Option<OffsetDateTime>,
    /// A meeting is booked ahead.
    pub booked_ahead: bool,
    /// Meetings held, the introductory meeting included.
    pub held: u32,
    /// The meetings held when the last progress review was recorded.
    pub last_review_at: Option<u32>,
    /// When a coordinator last decided to keep it open after it was proposed for closure.
    pub kept_open_at: Option<OffsetDateTime>,
}

/// A nudge due now, with the key that makes it happen once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// What.
    pub nudge: Nudge,
    /// To whom.
    pub to: Audience,
    /// The occasion: the same nudge for the same occasion has the same key.
    pub key: String,
}

fn due(nudge: Nudge, to: Audience, occasion: impl std::fmt::Display) -> Due {
    Due {
        nudge,
        to,
        key: format!("{}:{}:{occasion}", nudge.as_str(), to.as_str()),
    }
}

/// Everything due for one relationship at `now` (`today` is the organisation's date then).
/// Each rule reads the scheme's policy; the answer depends on the state, not on what was sent.
pub fn due_now(
    policy: &SchemePolicy,
    relationship: &Snapshot,
    now: OffsetDateTime,
    today: Date,
) -> Vec<Due> {
    let care = &policy.care;
    let mut out = Vec::new();
    match relationship.status {
        MatchStatus::Introductory => {
            if let Some(confirmed) = relationship.confirmed_at
                && !relationship.introduction_arranged
            {
                let waited = now - confirmed;
                if waited >= days(care.first_meeting_days) {
                    out.push(due(
                        Nudge::ArrangeFirstMeeting,
                        Audience::Mentor,
                        "confirmed",
                    ));
                }
                if waited >= days(care.first_meeting_escalate_days) {
                    out.push(due(
                        Nudge::FirstMeetingOverdue,
                        Audience::Coordinators,
                        "confirmed",
                    ));
                }
            }
        }
        MatchStatus::Active => {
            // Past its end date the pair is asked to close or extend, not to book sessions.
            if relationship.ends_on.is_none_or(|ends| today < ends) {
                active(policy, relationship, now, today, &mut out);
            }
            ending(policy, relationship, today, &mut out);
        }
        MatchStatus::OnHold => ending(policy, relationship, today, &mut out),
        _ => {}
    }
    out
}

fn days(count: u32) -> Duration {
    Duration::days(i64::from(count))
}

fn weeks(count: u32) -> Duration {
    Duration::weeks(i64::from(count))
}

fn active(
    policy: &SchemePolicy,
    relationship: &Snapshot,
    now: OffsetDateTime,
    today: Date,
    out: &mut Vec<Due>,
) {
    let care = &policy.care;
    // The last time the pair met, or the relationship started, or a coordinator kept it open.
    let started = relationship.started_on.map(|it| it.midnight().assume_utc());
    let Some(since) = [relationship.last_held, started, relationship.kept_open_at]
        .into_iter()
        .flatten()
        .max()
    else {
        return;
    };
    let occasion = since.date();
    let quiet = now - since;
    let gap = weeks(policy.cadence_weeks.max.unwrap_or(DEFAULT_GAP_WEEKS));
    let margin = weeks(care.inactivity_margin_weeks);
    if !relationship.booked_ahead {
        if quiet >= gap {
            out.push(due(Nudge::BookNextSession, Audience::Pair, occasion));
        }
        if quiet >= gap + margin {
            out.push(due(Nudge::Inactive, Audience::Pair, occasion));
        }
        if quiet >= gap + margin + margin {
            out.push(due(
                Nudge::InactiveToCoordinators,
                Audience::Coordinators,
                occasion,
            ));
        }
        if quiet >= weeks(care.closure_after_weeks) {
            out.push(due(Nudge::ProposeClosure, Audience::Coordinators, occasion));
        }
    }
    if let Some(started) = relationship.started_on
        && let Some(round) = crate::pulse::open_round(care, started, today)
    {
        out.push(due(Nudge::PulseCheckIn, Audience::Pair, round));
    }
    if progress_review_due(
        policy,
        relationship.held,
        relationship.last_review_at,
        relationship.ends_on,
        today,
    ) {
        out.push(due(Nudge::ReviewDue, Audience::Pair, relationship.held));
    }
}

fn ending(policy: &SchemePolicy, relationship: &Snapshot, today: Date, out: &mut Vec<Due>) {
    let Some(ends) = relationship.ends_on else {
        return;
    };
    if today >= ends {
        out.push(due(Nudge::EndReached, Audience::Pair, ends));
        out.push(due(Nudge::EndReached, Audience::Coordinators, ends));
    } else if ends - today <= days(policy.care.end_warning_days) {
        out.push(due(Nudge::EndApproaching, Audience::Pair, ends));
    }
}

#[cfg(test)]
mod tests;
