//! The relationship's page (R6, R7): the pair's own space, one page per relationship, where
//! they arrange the introductory meeting, say whether they go on, book and log sessions, keep
//! GROW notes, goals and actions, record reviews and close. Only the two of them reach it.
//! Its forms post to `forms`; a scheme's list for its staff is `staff`.

use crate::chrome::Chrome;
use crate::form::Pairs;
use crate::form_kit::{FieldKind, Fields, FormView, Refused, button, secondary};
use crate::routes::sign_in::FieldError;
use crate::routes::training::local;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tandem_app::AppError;
use tandem_app::relationships::{self, RelationshipPage};
use tandem_core::MatchId;
use tandem_core::pairing::MatchStatus;
use tandem_core::relationship::{
    ActionOwner, GoalStatus, HoldReason, MeetingKind, MeetingStatus, Party, ReviewKind,
};
use uuid::Uuid;

mod care;
pub(crate) mod ending;
mod forms;
mod oversight;
mod staff;

pub(crate) use care::{
    answer_extension, check_in_answer, declaration, interview_panel, propose_extension,
    raise_concern,
};
pub(crate) use ending::{end, end_check, staff_end, staff_end_check};
pub(crate) use forms::*;
pub(crate) use oversight::*;
pub(crate) use staff::*;

pub(super) fn id_of(raw: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(raw.trim()).map_err(|_| WebError::NotFound)
}

/// A meeting as the page lists it.
pub(crate) struct MeetingRow {
    id: String,
    what: String,
    when: String,
    details: String,
    status: &'static str,
    booked: bool,
    past: bool,
    notes: Option<FormView>,
    has_notes: bool,
}

/// A goal as the page lists it.
pub(crate) struct GoalRow {
    id: String,
    text: String,
    status: &'static str,
    version: i64,
    open: bool,
}

/// An action as the page lists it.
pub(crate) struct ActionRow {
    id: String,
    text: String,
    owner: &'static str,
    due: String,
    done: bool,
    version: i64,
}

/// A review as the page lists it.
pub(crate) struct ReviewRow {
    kind: &'static str,
    by: String,
    when: String,
    at_meeting: u32,
    achieved: String,
    next_steps: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "relationship.html")]
pub(crate) struct RelationshipView {
    chrome: Chrome,
    id: String,
    scheme: String,
    partner: String,
    partner_role: &'static str,
    partner_email: String,
    summary: Vec<(&'static str, String)>,
    notice: Option<String>,
    errors: Vec<FieldError>,
    /// What to do next, in words.
    next: Vec<String>,
    introduction: Option<FormView>,
    decide: bool,
    stop: Option<FormView>,
    session: Option<FormView>,
    review: Option<FormView>,
    hold: Option<FormView>,
    resume: bool,
    goal: Option<FormView>,
    action: Option<FormView>,
    meetings: Vec<MeetingRow>,
    goals: Vec<GoalRow>,
    actions: Vec<ActionRow>,
    reviews: Vec<ReviewRow>,
    mentee: bool,
    writable: bool,
    care: care::CareView,
    /// "Start closing" is offered.
    closing_start: bool,
    closing_review: Option<FormView>,
    evaluation: Option<FormView>,
}

const MODES: [(&str, &str); 3] = [
    ("in_person", "In person"),
    ("video", "Video call"),
    ("phone", "Phone call"),
];

fn meeting_fields(
    form: &str,
    refused: Option<&Refused>,
    minutes: u32,
) -> Vec<crate::form_kit::FieldView> {
    Fields::of(form, refused)
        .add("date", "Date", None, FieldKind::Date, "")
        .add(
            "time",
            "Start time",
            Some("24-hour clock, for example 14:30"),
            FieldKind::Time,
            "",
        )
        .add(
            "minutes",
            "Length in minutes",
            None,
            FieldKind::Number,
            minutes.to_string(),
        )
        .add(
            "mode",
            "How you will meet",
            None,
            FieldKind::Radios(MODES.to_vec()),
            "in_person",
        )
        .add(
            "place",
            "Where",
            Some("A room and building for a meeting in person; a link for a call is optional"),
            FieldKind::Text,
            "",
        )
        .done()
}

fn view(
    page: RelationshipPage,
    chrome: Chrome,
    refused: Option<&Refused>,
    notice: Option<String>,
    now: time::OffsetDateTime,
) -> RelationshipView {
    let care = care::view(&page, refused);
    let relationship = &page.relationship;
    let pair = &relationship.pair;
    let zone = relationship.organisation.time_zone.as_str();
    let policy = &relationship.scheme.definition.policy;
    let id = pair.id.to_string();
    let state = pair.status;
    let mentor = relationship.party == Party::Mentor;
    let minutes = policy.session_minutes.min.unwrap_or(60);
    let date = |at: Option<time::Date>| at.map(|it| it.to_string()).unwrap_or_default();
    let mut summary = vec![("State", state.describe().to_owned())];
    if let Some(hold) = pair.life.hold {
        summary.push(("On hold because of", hold.reason.describe().to_owned()));
    }
    if let Some(started) = pair.life.started_on {
        summary.push(("Started", started.to_string()));
    }
    if let Some(ends) = pair.life.ends_on {
        summary.push(("Ends", ends.to_string()));
    }
    summary.push(("Meetings held", page.held.to_string()));
    if let Some(disposed) = page.content_disposed_at {
        summary.push((
            "What you wrote",
            format!(
                "Disposed of on {} under the retention schedule; the dates of your meetings stay",
                disposed.date()
            ),
        ));
    }
    let introduction_meeting = page
        .meetings
        .iter()
        .find(|it| it.kind == MeetingKind::Introductory && it.status != MeetingStatus::Cancelled);
    let i_went_on = if mentor {
        pair.life.mentor_went_on_at.is_some()
    } else {
        pair.life.mentee_went_on_at.is_some()
    };
    let met = introduction_meeting.is_some_and(|it| it.starts_at <= now);
    let partner_name = relationship.partner().record.full_name();
    let mut next = Vec::new();
    let introductory = state == MatchStatus::Introductory;
    if introductory {
        match (introduction_meeting, mentor) {
            (None, true) => next
                .push("Arrange your introductory, getting-to-know-you meeting below.".to_owned()),
            (None, false) => next.push(format!(
                "{partner_name} will arrange your introductory meeting; you will get an email."
            )),
            (Some(meeting), _) if !met => next.push(format!(
                "Your introductory meeting is on {}.",
                local(meeting.starts_at, zone)
            )),
            (Some(_), _) if i_went_on => next.push(format!(
                "You said you want to go on. Waiting for {partner_name} to say whether they do."
            )),
            (Some(_), _) => {
                next.push("After your introductory meeting: do you want to go on?".to_owned())
            }
        }
    }
    if page.review_due {
        next.push(format!(
            "A progress review is due after {} meetings: record what has been achieved and what comes next.",
            page.held
        ));
    }
    if state == MatchStatus::OnHold {
        next.push("The relationship is on hold. Either of you can resume it.".to_owned());
    }
    let introduction = (introductory && mentor && !i_went_on).then(|| FormView {
        id: "introduction".to_owned(),
        action: format!("/relationships/{id}/introduction"),
        legend: Some(if introduction_meeting.is_some() {
            "Change the introductory meeting".to_owned()
        } else {
            "Arrange the introductory meeting".to_owned()
        }),
        hidden: Vec::new(),
        fields: meeting_fields("introduction", refused, minutes),
        buttons: vec![button(if introduction_meeting.is_some() {
            "Change the meeting"
        } else {
            "Arrange the meeting"
        })],
    });
    let decide = introductory && met && !i_went_on;
    let stop = decide.then(|| FormView {
        id: "stop".to_owned(),
        action: format!("/relationships/{id}/stop"),
        legend: None,
        hidden: Vec::new(),
        fields: Fields::of("stop", refused)
            .add(
                "reason",
                "Why you do not want to go on",
                Some(
                    "The coordinator reads this; your partner is told only that you will not go on",
                ),
                FieldKind::TextArea,
                "",
            )
            .done(),
        buttons: vec![secondary("I do not want to go on")],
    });
    let active = state == MatchStatus::Active;
    let session = active.then(|| FormView {
        id: "session".to_owned(),
        action: format!("/relationships/{id}/sessions"),
        legend: Some("Book a session, or log one you have held".to_owned()),
        hidden: Vec::new(),
        fields: meeting_fields("session", refused, minutes),
        buttons: vec![
            crate::form_kit::ButtonView {
                submits: Some(("held", "false")),
                ..button("Book the session")
            },
            crate::form_kit::ButtonView {
                submits: Some(("held", "true")),
                ..secondary("Log it as held")
            },
        ],
    });
    let review = (active && page.review_due).then(|| FormView {
        id: "review".to_owned(),
        action: format!("/relationships/{id}/reviews"),
        legend: Some("Record the progress review".to_owned()),
        hidden: Vec::new(),
        fields: Fields::of("review", refused)
            .add(
                "achieved",
                "What has been achieved so far",
                None,
                FieldKind::TextArea,
                "",
            )
            .add(
                "next_steps",
                "What comes next",
                None,
                FieldKind::TextArea,
                "",
            )
            .done(),
        buttons: vec![button("Record the review")],
    });
    let hold = active.then(|| FormView {
        id: "hold".to_owned(),
        action: format!("/relationships/{id}/hold"),
        legend: None,
        hidden: Vec::new(),
        fields: Fields::of("hold", refused)
            .add(
                "reason",
                "Why the relationship pauses",
                Some("Only the reason's kind is kept; the coordinator sees it"),
                FieldKind::Radios(
                    HoldReason::ALL
                        .iter()
                        .map(|it| (it.as_str(), capital(it.describe())))
                        .collect(),
                ),
                "",
            )
            .done(),
        buttons: vec![secondary("Put the relationship on hold")],
    });
    let writable = tandem_core::relationship::writable(state);
    let mentee = relationship.party == Party::Mentee;
    let goal = (writable && mentee).then(|| FormView {
        id: "goal".to_owned(),
        action: format!("/relationships/{id}/goals"),
        legend: Some("Set a goal".to_owned()),
        hidden: Vec::new(),
        fields: Fields::of("goal", refused)
            .add(
                "text",
                "Your goal",
                Some("What you want from the relationship, in your own words"),
                FieldKind::TextArea,
                "",
            )
            .done(),
        buttons: vec![button("Add the goal")],
    });
    let action = writable.then(|| FormView {
        id: "action".to_owned(),
        action: format!("/relationships/{id}/actions"),
        legend: Some("Add an action you agreed".to_owned()),
        hidden: Vec::new(),
        fields: Fields::of("action", refused)
            .add("text", "What is to be done", None, FieldKind::TextArea, "")
            .add(
                "owner",
                "Whose action it is",
                None,
                FieldKind::Radios(vec![("mentee", "The mentee's"), ("mentor", "The mentor's")]),
                "mentee",
            )
            .add("due_on", "Due by (optional)", None, FieldKind::Date, "")
            .done(),
        buttons: vec![button("Add the action")],
    });
    let meetings = page
        .meetings
        .iter()
        .rev()
        .map(|meeting| {
            let held = meeting.status == MeetingStatus::Held;
            let notes = page.notes.get(&meeting.id);
            let form_id = format!("notes-{}", meeting.id);
            let notes_form = (held && writable).then(|| {
                let current = notes.map(|it| it.notes.clone()).unwrap_or_default();
                FormView {
                    id: form_id.clone(),
                    action: format!("/meetings/{}/notes", meeting.id),
                    legend: None,
                    hidden: vec![
                        ("meeting", meeting.id.to_string()),
                        (
                            "version",
                            notes.map(|it| it.version.to_string()).unwrap_or_default(),
                        ),
                    ],
                    fields: Fields::of(form_id.clone(), refused)
                        .add(
                            "goal",
                            "Goal: what the mentee wanted from this meeting",
                            None,
                            FieldKind::TextArea,
                            current.goal,
                        )
                        .add(
                            "reality",
                            "Reality: where things stand",
                            None,
                            FieldKind::TextArea,
                            current.reality,
                        )
                        .add(
                            "options",
                            "Options: what could be done",
                            None,
                            FieldKind::TextArea,
                            current.options,
                        )
                        .add(
                            "way_ahead",
                            "Way ahead: what will be done",
                            None,
                            FieldKind::TextArea,
                            current.way_ahead,
                        )
                        .done(),
                    buttons: vec![button("Save the notes")],
                }
            });
            MeetingRow {
                id: meeting.id.to_string(),
                what: capital(meeting.kind.describe()).to_owned(),
                when: local(meeting.starts_at, zone),
                details: format!(
                    "{} minutes, {}{}",
                    meeting.minutes,
                    meeting.mode.describe(),
                    meeting
                        .place
                        .as_deref()
                        .map(|it| format!(", {it}"))
                        .unwrap_or_default()
                ),
                status: meeting.status.describe(),
                booked: meeting.status == MeetingStatus::Booked,
                past: meeting.starts_at <= now,
                has_notes: notes.is_some(),
                notes: notes_form,
            }
        })
        .collect();
    let goals = page
        .goals
        .iter()
        .map(|goal| GoalRow {
            id: goal.id.to_string(),
            text: goal.text.clone(),
            status: goal.status.describe(),
            version: goal.version,
            open: goal.status == GoalStatus::Open,
        })
        .collect();
    let actions = page
        .actions
        .iter()
        .map(|action| ActionRow {
            id: action.id.to_string(),
            text: action.text.clone(),
            owner: match action.owner {
                ActionOwner::Mentor => "Mentor",
                ActionOwner::Mentee => "Mentee",
            },
            due: date(action.due_on),
            done: action.done,
            version: action.version,
        })
        .collect();
    let reviews = page
        .reviews
        .iter()
        .map(|review| ReviewRow {
            kind: match review.kind {
                ReviewKind::Progress => "Progress review",
                ReviewKind::Closing => "End-of-mentoring review",
            },
            by: if review.author == relationship.mentor.id {
                relationship.mentor.record.full_name()
            } else {
                relationship.mentee.record.full_name()
            },
            when: local(review.created_at, zone),
            at_meeting: review.at_meeting,
            achieved: review.achieved.clone(),
            next_steps: review.next_steps.clone(),
        })
        .collect();
    let me = relationship.me().id;
    let closing = state == MatchStatus::Closing;
    let reviewed_closing = page
        .reviews
        .iter()
        .any(|it| it.kind == ReviewKind::Closing && it.author == me);
    let evaluated = page.evaluated.contains(&me);
    if closing && reviewed_closing && evaluated {
        next.push(format!(
            "You have written your review and answered the evaluation. The relationship closes once {partner_name} has done the same."
        ));
    } else if closing {
        next.push(
            "Closing: write your end-of-mentoring review and answer the short evaluation below."
                .to_owned(),
        );
    }
    if state == MatchStatus::Closed {
        next.push(
            "The relationship is closed. Thank you both; you can still read it here.".to_owned(),
        );
    }
    let closing_review = (closing && !reviewed_closing).then(|| FormView {
        id: "closing".to_owned(),
        action: format!("/relationships/{id}/closing-review"),
        legend: Some("Your end-of-mentoring review".to_owned()),
        hidden: Vec::new(),
        fields: Fields::of("closing", refused)
            .add(
                "achieved",
                "What the mentoring achieved",
                None,
                FieldKind::TextArea,
                "",
            )
            .add(
                "sustained",
                "How you will keep it going",
                None,
                FieldKind::TextArea,
                "",
            )
            .done(),
        buttons: vec![button("Send your review")],
    });
    let evaluation = (closing && !evaluated).then(|| {
        let mut fields = Fields::of("evaluation", refused);
        for (question, name) in policy
            .evaluation
            .iter()
            .zip(tandem_core::relationship::ANSWER_FIELDS)
        {
            fields = match question.answer_kind() {
                tandem_core::relationship::AnswerKind::Score => fields.add(
                    name,
                    question.text.clone(),
                    Some("1 means not at all, 5 means very much"),
                    FieldKind::Radios(vec![
                        ("1", "1"),
                        ("2", "2"),
                        ("3", "3"),
                        ("4", "4"),
                        ("5", "5"),
                    ]),
                    "",
                ),
                tandem_core::relationship::AnswerKind::Text => fields.add(
                    name,
                    question.text.clone(),
                    Some("Optional"),
                    FieldKind::TextArea,
                    "",
                ),
            };
        }
        FormView {
            id: "evaluation".to_owned(),
            action: format!("/relationships/{id}/evaluation"),
            legend: Some("The confidential evaluation".to_owned()),
            hidden: Vec::new(),
            fields: fields.done(),
            buttons: vec![button("Send your answers")],
        }
    });
    let partner = relationship.partner();
    RelationshipView {
        chrome,
        id: id.clone(),
        scheme: relationship.scheme.definition.name.clone(),
        partner: partner.record.full_name(),
        partner_role: if mentor { "mentee" } else { "mentor" },
        partner_email: partner.record.email.to_string(),
        summary,
        notice,
        errors: refused.map(|it| it.errors.clone()).unwrap_or_default(),
        next,
        introduction,
        decide,
        stop,
        session,
        review,
        hold,
        resume: state == MatchStatus::OnHold,
        goal,
        action,
        meetings,
        goals,
        actions,
        reviews,
        mentee,
        writable,
        care,
        closing_start: matches!(state, MatchStatus::Active | MatchStatus::OnHold),
        closing_review,
        evaluation,
    }
}

fn capital(text: &'static str) -> &'static str {
    // The codes' words are lowercase for use mid-sentence; a few labels start a line.
    match text {
        "introductory meeting" => "Introductory meeting",
        "session" => "Session",
        "career break" => "Career break",
        "parental leave" => "Parental leave",
        "sickness" => "Sickness",
        "secondment" => "Secondment",
        "another reason" => "Another reason",
        other => other,
    }
}

pub(super) async fn render(
    state: &WebState,
    signed_in: &SignedIn,
    id: MatchId,
    refused: Option<&Refused>,
    notice: Option<String>,
) -> Result<RelationshipView, WebError> {
    let session = &signed_in.session;
    let page = relationships::page(&state.app, &session.actor, id).await?;
    Ok(view(
        page,
        Chrome::new(&signed_in.visitor, Some(session), "/applications"),
        refused,
        notice,
        state.app.clock.now(),
    ))
}

/// `GET /relationships/{id}`: the relationship's page, for its two members.
pub(crate) async fn page(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> Result<RelationshipView, WebError> {
    let id = MatchId(id_of(&id)?);
    render(&state, &signed_in, id, None, notice).await
}

/// The answer to a form on the page: back to it with a notice, or the page again with the
/// form's errors at its fields and what was typed kept.
pub(super) async fn answer<T>(
    state: &WebState,
    signed_in: &SignedIn,
    id: MatchId,
    form: &str,
    kept: Pairs,
    outcome: Result<T, AppError>,
    (done, anchor): (crate::flash::Fixed, &str),
) -> Result<Response, WebError> {
    match outcome {
        Ok(_) => Ok(crate::routes::matching::notice_redirect_to(
            &format!("/relationships/{id}"),
            done,
            anchor,
        )),
        Err(AppError::Invalid(problems)) => {
            let refused = Refused::new(form, &problems, kept);
            let page = render(state, signed_in, id, Some(&refused), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(AppError::Conflict(message)) => {
            let refused = Refused {
                form: form.to_owned(),
                errors: vec![FieldError {
                    field: form.to_owned(),
                    message: crate::routes::people::capitalise(&message),
                }],
                kept,
            };
            let page = render(state, signed_in, id, Some(&refused), None).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
