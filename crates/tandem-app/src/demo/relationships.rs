//! The demo's relationships: each programme's confirmed pairs given a life that has already
//! happened (meetings over months, GROW notes, goals, actions, a review at the third meeting),
//! so every state can be looked at: active, on hold for parental leave, closing, closed with its
//! evaluation, one flagged after an HR change made the mentor the mentee's manager, and some
//! still at the introductory meeting. Active pairs have answered their earlier check-ins (the
//! mentee's last score low, so the coordinators see one at risk) and have one open now.
//!
//! History cannot be made through the use cases (a booking must be in the future), so the
//! seeding writes it with the store, as the pairs would have over the months.

use crate::{App, AppError};
use tandem_core::evaluation::Theme;
use tandem_core::pairing::{Hold, Lifecycle, Match, MatchStatus};
use tandem_core::relationship::{
    ActionOwner, AgreedAction, Answer, Goal, GoalStatus, GrowNotes, HoldReason, Meeting,
    MeetingKind, MeetingMode, MeetingStatus, Review, ReviewKind, planned_end,
};
use tandem_core::{MatchId, PersonId};
use tandem_store::Tx;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Where a demo relationship has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DemoStory {
    Active,
    OnHold,
    Closing,
    Closed,
}

/// What happens to the n-th confirmed pair of a scheme of `pairs`: in a scheme with many,
/// three more have closed, so its evaluation results have enough answers to show (R10.4).
fn story(index: usize, pairs: usize) -> Option<DemoStory> {
    match index {
        0 => Some(DemoStory::Active),
        1 => Some(DemoStory::OnHold),
        2 => Some(DemoStory::Closing),
        3 => Some(DemoStory::Closed),
        5..=7 if pairs >= MANY_PAIRS => Some(DemoStory::Closed),
        _ => None,
    }
}

/// A scheme with at least this many pairs has more of them closed.
const MANY_PAIRS: usize = 8;

/// The pair whose introductory meeting was yesterday: both still to say whether they go on.
const DECIDING: usize = 4;

/// Schemes whose first pair has just been confirmed: the mentor is still to arrange the
/// introductory meeting (face to face in Cleveland, by video if they like in the College).
const BEFORE_INTRODUCTION: [(&str, &str); 2] = [
    ("cleveland", "reverse"),
    ("college", "peer-chief-constables"),
];

/// The scheme whose active pair an HR change has just flagged (R6.5): the mentee now reports
/// to their mentor, and the coordinator is to decide.
const FLAGGED: (&str, &str) = ("cleveland", "traditional");

/// Gives the confirmed pairs of every scheme their history.
pub(super) async fn seed(app: &App) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    for organisation in tx.organisations().await? {
        for scheme in tx.schemes_of(organisation.id).await? {
            let pairs: Vec<Match> = tx
                .matches_of_scheme(scheme.id)
                .await?
                .into_iter()
                .filter(|it| it.status == MatchStatus::Introductory)
                .collect();
            let fresh = BEFORE_INTRODUCTION
                .contains(&(organisation.code.as_ref(), scheme.definition.key.as_ref()));
            let count = pairs.len();
            if count >= MANY_PAIRS {
                evaluation_themes(&mut tx, scheme.id, now).await?;
            }
            for (index, pair) in pairs.into_iter().enumerate() {
                let policy = &scheme.definition.policy;
                if fresh && index == 0 {
                    continue;
                }
                match story(index, count) {
                    Some(story) => {
                        live(&mut tx, &pair, policy, story, index, now).await?;
                        if story == DemoStory::Active
                            && (organisation.code.as_ref(), scheme.definition.key.as_ref())
                                == FLAGGED
                        {
                            restructured(&mut tx, &pair, now).await?;
                        }
                    }
                    None if index == DECIDING => {
                        tx.insert_meeting(&meeting(
                            pair.id,
                            MeetingKind::Introductory,
                            MeetingStatus::Booked,
                            now - Duration::days(1),
                            pair.mentor,
                            now - Duration::days(8),
                        ))
                        .await?;
                    }
                    // The others have their introductory meeting booked for next week.
                    None if index % 2 == 0 => {
                        tx.insert_meeting(&meeting(
                            pair.id,
                            MeetingKind::Introductory,
                            MeetingStatus::Booked,
                            now + Duration::days(7 + i64::try_from(index).unwrap_or(0)),
                            pair.mentor,
                            now,
                        ))
                        .await?;
                    }
                    None => {}
                }
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// An HR change makes the mentor the mentee's line manager, as an import would, and the
/// relationship is flagged the way an import flags it.
async fn restructured(tx: &mut Tx, pair: &Match, now: OffsetDateTime) -> Result<(), AppError> {
    let mentor = tx.person(pair.mentor).await?;
    let mentee = tx.person(pair.mentee).await?;
    if mentor.record.organisation != mentee.record.organisation {
        return Ok(());
    }
    let Some(organisation) = tx.organisation_by_code(&mentee.record.organisation).await? else {
        return Ok(());
    };
    let mut record = mentee.record.clone();
    record.line_manager = Some(mentor.record.staff_number.clone());
    tx.update_person(mentee.id, &record, Some(mentor.id), now)
        .await?;
    let hr = tandem_core::authz::Actor::Operator {
        name: "hr-import".to_owned(),
    };
    crate::relationships::flag_line_management_changes(tx, &hr, organisation.id, now).await?;
    Ok(())
}

fn label(person: PersonId) -> String {
    format!("person:{person}")
}

fn meeting(
    pair: MatchId,
    kind: MeetingKind,
    status: MeetingStatus,
    at: OffsetDateTime,
    by: PersonId,
    now: OffsetDateTime,
) -> Meeting {
    Meeting {
        id: Uuid::now_v7(),
        pair,
        kind,
        status,
        starts_at: at,
        minutes: 60,
        mode: if kind == MeetingKind::Introductory {
            MeetingMode::InPerson
        } else {
            MeetingMode::Video
        },
        place: (kind == MeetingKind::Introductory).then(|| "Meeting room 2".to_owned()),
        arranged_by: label(by),
        sequence: 0,
        created_at: at.min(now),
        updated_at: at.min(now),
        version: 1,
    }
}

const NOTES: [(&str, &str, &str, &str); 5] = [
    (
        "Get to know each other and agree how we will work",
        "Five years in response; wants a supervisory role",
        "Acting up; the sergeants' exam; shadowing",
        "Meet every six weeks; mentee books",
    ),
    (
        "Prepare for the sergeants' exam",
        "Weak on legislation papers",
        "Study group; past papers; a revision plan",
        "Two past papers before next time",
    ),
    (
        "Handling difficult conversations",
        "Avoids challenging colleagues",
        "Role play; the feedback model from training",
        "Try the model at one team briefing",
    ),
    (
        "Review progress against the goals",
        "Exam passed; confidence growing",
        "Acting sergeant opportunity; a course",
        "Apply for the acting role",
    ),
    (
        "Leading a team for the first time",
        "Acting up since last month",
        "Weekly one-to-ones; delegation",
        "Set up one-to-ones with each team member",
    ),
];

async fn live(
    tx: &mut Tx,
    pair: &Match,
    policy: &tandem_core::policy::SchemePolicy,
    story: DemoStory,
    index: usize,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let months_ago = match story {
        DemoStory::Active => 5,
        DemoStory::OnHold => 4,
        DemoStory::Closing => 9,
        DemoStory::Closed => 11,
    };
    let start = now - Duration::days(30 * months_ago);
    // They applied, and were approved, weeks before they were matched: the reports' waits.
    let waited = Duration::days(match story {
        DemoStory::Active => 20,
        DemoStory::OnHold => 45,
        DemoStory::Closing => 12,
        DemoStory::Closed => 30,
    });
    for application in [pair.mentee_application, pair.mentor_application] {
        tx.backdate_application(
            application,
            start - waited - Duration::weeks(2),
            start - waited,
        )
        .await?;
    }
    let sessions = match story {
        DemoStory::OnHold => 2,
        DemoStory::Active => 3,
        DemoStory::Closing | DemoStory::Closed => 5,
    };
    let mut held = Vec::new();
    let introduction = meeting(
        pair.id,
        MeetingKind::Introductory,
        MeetingStatus::Held,
        start,
        pair.mentor,
        now,
    );
    tx.insert_meeting(&introduction).await?;
    held.push(introduction);
    // Active pairs met monthly and have not met for nine weeks: the cadence reminder and, where
    // a scheme asks for it sooner, the proposal for closure are due in the demo now.
    let every = match story {
        DemoStory::Active => Duration::days(29),
        _ => Duration::weeks(6),
    };
    for n in 1..=sessions {
        let at = start + every * n;
        let session = meeting(
            pair.id,
            MeetingKind::Session,
            MeetingStatus::Held,
            at,
            pair.mentee,
            now,
        );
        tx.insert_meeting(&session).await?;
        held.push(session);
    }
    for (meeting, (goal, reality, options, way_ahead)) in held.iter().zip(NOTES) {
        tx.save_meeting_notes(
            pair.id,
            meeting.id,
            &GrowNotes {
                goal: goal.to_owned(),
                reality: reality.to_owned(),
                options: options.to_owned(),
                way_ahead: way_ahead.to_owned(),
            },
            None,
            &label(pair.mentee),
            meeting.starts_at,
        )
        .await?;
    }
    for (text, status) in [
        ("Pass the sergeants' exam", GoalStatus::Achieved),
        ("Lead a team with confidence", GoalStatus::Open),
    ] {
        tx.insert_goal(&Goal {
            id: Uuid::now_v7(),
            pair: pair.id,
            text: text.to_owned(),
            status,
            created_by: label(pair.mentee),
            created_at: start,
            updated_at: start,
            version: 1,
        })
        .await?;
    }
    for (text, owner, done) in [
        (
            "Two past papers before the next session",
            ActionOwner::Mentee,
            true,
        ),
        ("Send the feedback model notes", ActionOwner::Mentor, true),
        (
            "Ask the inspector about acting up",
            ActionOwner::Mentee,
            false,
        ),
    ] {
        tx.insert_action(&AgreedAction {
            id: Uuid::now_v7(),
            pair: pair.id,
            meeting: held.get(1).map(|it| it.id),
            text: text.to_owned(),
            owner,
            due_on: Some((start + Duration::weeks(10)).date()),
            done,
            created_by: label(pair.mentee),
            created_at: start,
            updated_at: start,
            version: 1,
        })
        .await?;
    }
    if held.len() >= 3 {
        tx.insert_review(&Review {
            id: Uuid::now_v7(),
            pair: pair.id,
            kind: ReviewKind::Progress,
            author: pair.mentee,
            at_meeting: 3,
            achieved: "The exam is passed and I ask for feedback more often".to_owned(),
            next_steps: "Work towards an acting sergeant role".to_owned(),
            created_at: held[2].starts_at,
        })
        .await?;
    }
    let started_on = start.date();
    let mut life = Lifecycle {
        confirmed_at: pair.life.confirmed_at.map(|it| it.min(start)),
        mentor_went_on_at: Some(start),
        mentee_went_on_at: Some(start),
        started_on: Some(started_on),
        ends_on: planned_end(policy, started_on),
        ..Lifecycle::default()
    };
    if story == DemoStory::Active {
        check_ins(tx, pair, policy, started_on, now).await?;
    }
    let status = match story {
        DemoStory::Active => MatchStatus::Active,
        DemoStory::OnHold => {
            life.hold = Some(Hold {
                reason: HoldReason::ParentalLeave,
                since: now - Duration::weeks(3),
            });
            MatchStatus::OnHold
        }
        DemoStory::Closing | DemoStory::Closed => {
            life.closing_started_at = Some(now - Duration::weeks(2));
            closing_reviews(tx, pair, story == DemoStory::Closed, index, now).await?;
            if story == DemoStory::Closed {
                life.closed_at = Some(now - Duration::weeks(1));
                MatchStatus::Closed
            } else {
                MatchStatus::Closing
            }
        }
    };
    tx.update_match(&Match {
        status,
        life,
        ..pair.clone()
    })
    .await?;
    Ok(())
}

/// The check-ins an active pair answered before the one open now (R11.1): the mentor content,
/// the mentee's score falling at the last, with a comment shared with the coordinator, so the
/// coordinators' pages show a relationship at risk.
async fn check_ins(
    tx: &mut Tx,
    pair: &Match,
    policy: &tandem_core::policy::SchemePolicy,
    started_on: time::Date,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let care = &policy.care;
    let Some(open) = tandem_core::pulse::open_round(care, started_on, now.date()) else {
        return Ok(());
    };
    for round in 1..open {
        let answered_at = tandem_core::pulse::round_opens(care, started_on, round)
            .midnight()
            .assume_utc()
            + Duration::hours(10);
        let last = round + 1 == open;
        for (person, score, comment) in [
            (pair.mentor, 4, ""),
            (
                pair.mentee,
                if last { 2 } else { 4 },
                if last {
                    "Shift changes mean we keep cancelling; could the coordinator help us find a regular slot?"
                } else {
                    ""
                },
            ),
        ] {
            tx.insert_pulse(&tandem_core::pulse::Pulse {
                id: Uuid::now_v7(),
                pair: pair.id,
                person,
                round,
                score: tandem_core::pulse::Score::new(score)
                    .ok_or_else(|| AppError::Conflict("a demo score is 1 to 5".to_owned()))?,
                comment: comment.to_owned(),
                shared: !comment.is_empty(),
                answered_at,
            })
            .await?;
        }
    }
    Ok(())
}

/// The themes a coordinator of a scheme with many answers has begun tagging them with.
async fn evaluation_themes(
    tx: &mut Tx,
    scheme: tandem_core::SchemeId,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let mut themes = Vec::new();
    for label in ["Time to meet", "Confidence", "Training and guidance"] {
        let theme = Theme::add(&themes, label)
            .map_err(|problem| AppError::Conflict(format!("a demo theme: {}", problem.message)))?;
        tx.insert_evaluation_theme(scheme, &theme, now).await?;
        themes.push(theme);
    }
    Ok(())
}

/// What the demo's members said in their evaluations: scores for goals, match, preparation
/// and taking part again, what worked and what could be better; each pair's two members take
/// two of them, by the pair's place in its scheme.
const EVALUATIONS: [([u8; 4], &str, &str); 6] = [
    ([5, 4, 4, 5], "Honest conversations", ""),
    (
        [4, 5, 3, 5],
        "Having someone outside my chain of command to think out loud with",
        "More time protected for meetings",
    ),
    (
        [3, 3, 2, 4],
        "Setting goals at the first meeting",
        "The training came too late to help with the first meetings",
    ),
    ([5, 5, 4, 5], "Practising for the promotion board", ""),
    ([2, 3, 3, 3], "", "Finding time to meet around shifts"),
    (
        [4, 4, 5, 4],
        "Confidence to apply for the acting role",
        "Clearer guidance on how to end the relationship",
    ),
];

/// The mentee's closing review (and, when closed, the mentor's and both evaluations).
async fn closing_reviews(
    tx: &mut Tx,
    pair: &Match,
    both: bool,
    index: usize,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let authors: &[(PersonId, &str, &str)] = if both {
        &[
            (
                pair.mentee,
                "Promoted to sergeant and leading a team",
                "Keep the study group going",
            ),
            (
                pair.mentor,
                "Watched a confident leader emerge",
                "Stay in touch each quarter",
            ),
        ]
    } else {
        &[(pair.mentee, "More confident at work", "Monthly reflection")]
    };
    for (member, (author, achieved, sustained)) in authors.iter().enumerate() {
        tx.insert_review(&Review {
            id: Uuid::now_v7(),
            pair: pair.id,
            kind: ReviewKind::Closing,
            author: *author,
            at_meeting: 6,
            achieved: (*achieved).to_owned(),
            next_steps: (*sustained).to_owned(),
            created_at: now - Duration::weeks(1),
        })
        .await?;
        if both {
            let (scores, worked, better) = EVALUATIONS[(index + member * 3) % EVALUATIONS.len()];
            let mut answers: Vec<(String, Answer)> = ["goals", "match", "preparation", "again"]
                .iter()
                .zip(scores)
                .map(|(key, score)| ((*key).to_owned(), Answer::Score(score)))
                .collect();
            answers.push(("worked".to_owned(), Answer::Text(worked.to_owned())));
            answers.push(("better".to_owned(), Answer::Text(better.to_owned())));
            let json = serde_json::to_string(&answers)
                .map_err(|err| AppError::Conflict(err.to_string()))?;
            let reference = crate::evaluation::new_reference()?;
            tx.insert_evaluation(
                pair.id,
                *author,
                &json,
                &reference,
                now - Duration::weeks(1),
            )
            .await?;
        }
    }
    Ok(())
}
