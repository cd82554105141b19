//! The relationship page's forms: each posts, then goes back to the page with a notice, or
//! shows the page again with the form's errors at its fields and what was typed kept.

use super::{answer, id_of};
use crate::csrf::CsrfForm;
use crate::date_input::Folded;
use crate::flash::Fixed;
use crate::form::{Pairs, value};
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use tandem_app::AppError;
use tandem_app::relationships::{self, ActionForm};
use tandem_core::MatchId;
use tandem_core::pairing::MatchStatus;
use tandem_core::relationship::{GrowNotes, HoldReason, MeetingForm};
use uuid::Uuid;

fn meeting_form(pairs: &Pairs) -> MeetingForm {
    MeetingForm {
        date: value(pairs, "date").to_owned(),
        time: value(pairs, "time").to_owned(),
        minutes: value(pairs, "minutes").to_owned(),
        mode: value(pairs, "mode").to_owned(),
        place: value(pairs, "place").to_owned(),
    }
}

/// `POST /relationships/{id}/introduction`: the mentor arranges the introductory meeting.
pub(crate) async fn introduction(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(mut pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let dates = Folded::of(&mut pairs, &[("date", "the date")]);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = dates.apply(
        relationships::arrange_introduction(
            &state.app,
            &signed_in.session.actor,
            id,
            &meeting_form(&pairs),
            &url,
        )
        .await,
    );
    answer(
        &state,
        &signed_in,
        id,
        "introduction",
        pairs,
        outcome,
        (Fixed::IntroductionArranged, "meetings"),
    )
    .await
}

/// `POST /relationships/{id}/go-on`: a member wants to go on after the introductory meeting.
pub(crate) async fn go_on(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = relationships::go_on(&state.app, &signed_in.session.actor, id, &url).await;
    let done = match &outcome {
        Ok(MatchStatus::Active) => Fixed::BothGoOn,
        _ => Fixed::PartnerAskedToGoOn,
    };
    answer(
        &state,
        &signed_in,
        id,
        "decide",
        pairs,
        outcome,
        (done, "next"),
    )
    .await
}

/// `POST /relationships/{id}/stop`: a member does not want to go on after the introduction.
pub(crate) async fn stop(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = relationships::stop_after_introduction(
        &state.app,
        &signed_in.session.actor,
        id,
        value(&pairs, "reason"),
        &url,
    )
    .await;
    match outcome {
        Ok(()) => Ok(crate::routes::matching::notice_redirect(
            "/applications",
            Fixed::NotGoingOn,
        )),
        Err(error) => {
            answer(
                &state,
                &signed_in,
                id,
                "stop",
                pairs,
                Err::<(), _>(error),
                (Fixed::NotGoingOn, ""),
            )
            .await
        }
    }
}

/// `POST /relationships/{id}/sessions`: books a session, or logs one held (`held=true`).
pub(crate) async fn session(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(mut pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let dates = Folded::of(&mut pairs, &[("date", "the date")]);
    let form = meeting_form(&pairs);
    let actor = &signed_in.session.actor;
    let (outcome, done) = if value(&pairs, "held") == "true" {
        (
            relationships::log_session(&state.app, actor, id, &form).await,
            Fixed::SessionLogged,
        )
    } else {
        let url = crate::routes::password::public_url(&state, &headers);
        (
            relationships::book_session(&state.app, actor, id, &form, &url).await,
            Fixed::SessionBooked,
        )
    };
    answer(
        &state,
        &signed_in,
        id,
        "session",
        pairs,
        dates.apply(outcome),
        (done, "meetings"),
    )
    .await
}

/// The relationship a meeting belongs to, for its routes' answers.
async fn pair_of_meeting(
    state: &WebState,
    signed_in: &SignedIn,
    meeting: Uuid,
) -> Result<MatchId, WebError> {
    let (_, relationship) =
        relationships::meeting_and_relationship(&state.app, &signed_in.session.actor, meeting)
            .await?;
    Ok(relationship.pair.id)
}

/// `POST /meetings/{id}/held`: a booked session took place.
pub(crate) async fn held(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(meeting): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let meeting = id_of(&meeting)?;
    let id = pair_of_meeting(&state, &signed_in, meeting).await?;
    let outcome = relationships::mark_held(&state.app, &signed_in.session.actor, meeting).await;
    answer(
        &state,
        &signed_in,
        id,
        "meetings",
        pairs,
        outcome,
        (Fixed::MeetingHeld, "meetings"),
    )
    .await
}

/// `POST /meetings/{id}/cancel`: calls off a booked meeting.
pub(crate) async fn cancel(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(meeting): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let meeting = id_of(&meeting)?;
    let id = pair_of_meeting(&state, &signed_in, meeting).await?;
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome =
        relationships::cancel_meeting(&state.app, &signed_in.session.actor, meeting, &url).await;
    answer(
        &state,
        &signed_in,
        id,
        "meetings",
        pairs,
        outcome,
        (Fixed::MeetingCancelled, "meetings"),
    )
    .await
}

/// `POST /meetings/{id}/notes`: saves a meeting's GROW notes.
pub(crate) async fn notes(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(meeting): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let meeting = id_of(&meeting)?;
    let id = pair_of_meeting(&state, &signed_in, meeting).await?;
    let notes = GrowNotes {
        goal: value(&pairs, "goal").to_owned(),
        reality: value(&pairs, "reality").to_owned(),
        options: value(&pairs, "options").to_owned(),
        way_ahead: value(&pairs, "way_ahead").to_owned(),
    };
    let version = value(&pairs, "version").trim().parse::<i64>().ok();
    let outcome = relationships::save_notes(
        &state.app,
        &signed_in.session.actor,
        meeting,
        &notes,
        version,
    )
    .await;
    let form = format!("notes-{meeting}");
    answer(
        &state,
        &signed_in,
        id,
        &form,
        pairs,
        outcome,
        (Fixed::NotesSaved, "meetings"),
    )
    .await
}

/// `GET /meetings/{id}/calendar.ics`: the meeting as a calendar entry (R7.4).
pub(crate) async fn calendar(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(meeting): Path<String>,
) -> Result<Response, WebError> {
    let meeting = id_of(meeting.trim_end_matches(".ics"))?;
    let (name, text) =
        relationships::invitation(&state.app, &signed_in.session.actor, meeting).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        text,
    )
        .into_response())
}

/// `POST /relationships/{id}/goals`: the mentee sets a goal.
pub(crate) async fn add_goal(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let outcome = relationships::add_goal(
        &state.app,
        &signed_in.session.actor,
        id,
        value(&pairs, "text"),
    )
    .await;
    answer(
        &state,
        &signed_in,
        id,
        "goal",
        pairs,
        outcome,
        (Fixed::GoalAdded, "goals"),
    )
    .await
}

/// `POST /relationships/{id}/goals/{goal}`: the mentee marks a goal achieved, set aside or open.
pub(crate) async fn goal_status(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((id, goal)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let goal = id_of(&goal)?;
    let status = value(&pairs, "status").to_owned();
    let version = value(&pairs, "version").trim().parse::<i64>().unwrap_or(0);
    let outcome = relationships::set_goal_status(
        &state.app,
        &signed_in.session.actor,
        id,
        goal,
        &status,
        version,
    )
    .await;
    answer(
        &state,
        &signed_in,
        id,
        "goals",
        pairs,
        outcome,
        (Fixed::GoalUpdated, "goals"),
    )
    .await
}

/// `POST /relationships/{id}/actions`: adds an agreed action.
pub(crate) async fn add_action(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(mut pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let dates = Folded::of(&mut pairs, &[("due_on", "the date it is due")]);
    let form = ActionForm {
        text: value(&pairs, "text").to_owned(),
        owner: value(&pairs, "owner").to_owned(),
        due_on: value(&pairs, "due_on").to_owned(),
        meeting: Uuid::parse_str(value(&pairs, "meeting")).ok(),
    };
    let outcome = dates
        .apply(relationships::add_action(&state.app, &signed_in.session.actor, id, &form).await);
    answer(
        &state,
        &signed_in,
        id,
        "action",
        pairs,
        outcome,
        (Fixed::ActionAdded, "actions"),
    )
    .await
}

/// `POST /relationships/{id}/actions/{action}`: marks an action done or not done.
pub(crate) async fn action_done(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((id, action)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let action = id_of(&action)?;
    let version = value(&pairs, "version").trim().parse::<i64>().unwrap_or(0);
    let outcome = relationships::set_action_done(
        &state.app,
        &signed_in.session.actor,
        id,
        action,
        value(&pairs, "done") == "true",
        version,
    )
    .await;
    answer(
        &state,
        &signed_in,
        id,
        "actions",
        pairs,
        outcome,
        (Fixed::ActionUpdated, "actions"),
    )
    .await
}

/// `POST /relationships/{id}/reviews`: records a progress review.
pub(crate) async fn review(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let outcome = relationships::record_review(
        &state.app,
        &signed_in.session.actor,
        id,
        value(&pairs, "achieved"),
        value(&pairs, "next_steps"),
    )
    .await;
    answer(
        &state,
        &signed_in,
        id,
        "review",
        pairs,
        outcome,
        (Fixed::ReviewRecorded, "reviews"),
    )
    .await
}

/// `POST /relationships/{id}/hold`: puts the relationship on hold.
pub(crate) async fn hold(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = match HoldReason::parse(value(&pairs, "reason")) {
        Some(reason) => {
            relationships::hold(&state.app, &signed_in.session.actor, id, reason, &url).await
        }
        None => Err(AppError::Invalid(vec![
            tandem_core::application::FormProblem::at(
                "reason",
                "choose why the relationship pauses",
            ),
        ])),
    };
    answer(
        &state,
        &signed_in,
        id,
        "hold",
        pairs,
        outcome,
        (Fixed::OnHold, "next"),
    )
    .await
}

/// `POST /relationships/{id}/resume`: resumes a relationship that was on hold.
pub(crate) async fn resume(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = relationships::resume(&state.app, &signed_in.session.actor, id, &url).await;
    answer(
        &state,
        &signed_in,
        id,
        "resume",
        pairs,
        outcome,
        (Fixed::Resumed, "next"),
    )
    .await
}

/// `POST /relationships/{id}/closing`: a member starts closing the relationship.
pub(crate) async fn start_closing(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome =
        relationships::start_closing(&state.app, &signed_in.session.actor, id, &url).await;
    answer(
        &state,
        &signed_in,
        id,
        "closing-start",
        pairs,
        outcome,
        (Fixed::ClosingStarted, "next"),
    )
    .await
}

/// `POST /relationships/{id}/closing-review`: a member's end-of-mentoring review.
pub(crate) async fn closing_review(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = relationships::write_closing_review(
        &state.app,
        &signed_in.session.actor,
        id,
        value(&pairs, "achieved"),
        value(&pairs, "sustained"),
        &url,
    )
    .await;
    answer(
        &state,
        &signed_in,
        id,
        "closing",
        pairs,
        outcome,
        (Fixed::ClosingReviewKept, "next"),
    )
    .await
}

/// `POST /relationships/{id}/evaluation`: a member answers the confidential evaluation.
pub(crate) async fn evaluation(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = relationships::answer_evaluation(
        &state.app,
        &signed_in.session.actor,
        id,
        |field| value(&pairs, field).to_owned(),
        &url,
    )
    .await;
    answer(
        &state,
        &signed_in,
        id,
        "evaluation",
        pairs,
        outcome,
        (Fixed::EvaluationAnswered, "next"),
    )
    .await
}
