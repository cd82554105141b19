//! A pair on the matching board: its row in the table of proposals, and its own page with the
//! two people, the score factor by factor, and the forms to confirm, pin or rule it out.

use super::key_of;
use crate::chrome::Chrome;
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::HashSet;
use tandem_app::matching::{self, Board, MatchView};
use tandem_core::domain::SchemeKey;
use tandem_core::pairing::{ConstraintKind, MatchSource};
use tandem_core::{ApplicationId, MatchId};

/// A person in a pair, as the board shows them.
pub(super) struct Side {
    pub(super) name: String,
    pub(super) detail: String,
    pub(super) application: String,
}

/// A pair as the board and the pair's page show it.
pub(super) struct PairRow {
    pub(super) id: String,
    pub(super) mentee: Side,
    pub(super) mentor: Side,
    pub(super) score: String,
    pub(super) explanation: Vec<String>,
    pub(super) pinned: bool,
    pub(super) source: &'static str,
}

fn side(view: &MatchView, mentor: bool) -> Side {
    let person = if mentor { &view.mentor } else { &view.mentee };
    let record = &person.record;
    Side {
        name: record.full_name(),
        detail: format!(
            "{}, {}{}",
            record.rank_or_grade,
            record
                .department
                .as_ref()
                .map_or("no division", |it| it.as_ref()),
            record
                .location
                .as_ref()
                .map(|it| format!(", {it}"))
                .unwrap_or_default()
        ),
        application: if mentor {
            view.pair.mentor_application.to_string()
        } else {
            view.pair.mentee_application.to_string()
        },
    }
}

/// The pairs the coordinator pinned, by (mentee, mentor) application: a pair pinned since the
/// last run looks pinned before the proposal is run again.
pub(super) fn pinned_pairs(board: &Board) -> HashSet<(ApplicationId, ApplicationId)> {
    board
        .constraints
        .iter()
        .filter(|(constraint, _, _)| constraint.kind == ConstraintKind::Pin)
        .map(|(constraint, _, _)| (constraint.mentee_application, constraint.mentor_application))
        .collect()
}

pub(super) fn pair_row(
    view: &MatchView,
    max_score: i64,
    pinned: &HashSet<(ApplicationId, ApplicationId)>,
) -> PairRow {
    let lines: Vec<String> = view.pair.explanation.lines().map(str::to_owned).collect();
    PairRow {
        id: view.pair.id.to_string(),
        mentee: side(view, false),
        mentor: side(view, true),
        score: view
            .pair
            .score
            .map(|it| tandem_core::words::out_of_100(i64::from(it), max_score))
            .unwrap_or_default(),
        pinned: lines.first().is_some_and(|it| it == "pinned")
            || pinned.contains(&(view.pair.mentee_application, view.pair.mentor_application)),
        explanation: lines.into_iter().filter(|it| it != "pinned").collect(),
        source: match view.pair.source {
            MatchSource::Bulk => "proposed",
            MatchSource::Manual => "picked by hand",
            MatchSource::Directory => "requested by the mentee",
        },
    }
}

/// An ended pair's row: the two names, and who ended it and when, in words.
pub(super) fn ended_row(ended: &matching::EndedPair, time_zone: &str) -> (String, String, String) {
    let on = ended
        .ended_at
        .map(|at| {
            format!(
                " on {}",
                crate::routes::applications::date_only(
                    tandem_core::local_time::to_local(at, time_zone).date()
                )
            )
        })
        .unwrap_or_default();
    let how = match &ended.ended_by {
        Some(who) => format!("Ended by {who}{on}"),
        None => format!("Closed{on}, after both reviews"),
    };
    (
        ended.view.mentee.record.full_name(),
        ended.view.mentor.record.full_name(),
        how,
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "matching_pair.html")]
pub(crate) struct PairPage {
    chrome: Chrome,
    scheme_name: String,
    scheme_key: String,
    pair: PairRow,
    errors: Vec<FieldError>,
    /// A refused pin or rule-out: the message at the reason box.
    reason_error: Option<String>,
    /// The reason as typed, kept after a refusal.
    reason_typed: String,
    /// The most characters a reason to rule a pair out may have.
    reason_limit: usize,
}

/// `GET /schemes/{key}/matching/pairs/{id}`: a proposed pair of the visitor's cohort, in full.
pub(crate) async fn pair(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((key, id)): Path<(String, String)>,
) -> Result<PairPage, WebError> {
    let key = key_of(&key)?;
    let id = MatchId(super::id_of(&id)?);
    pair_page(&state, &signed_in, &key, id, None).await
}

/// The pair's page; a refused pin or rule-out puts its message at the reason box with what was
/// typed. The board's own use case reads the pair, so the page is seen by exactly those who
/// see the board, and only a pair the board proposes has one.
async fn pair_page(
    state: &WebState,
    signed_in: &SignedIn,
    key: &SchemeKey,
    id: MatchId,
    refused: Option<(&str, &str)>,
) -> Result<PairPage, WebError> {
    let session = &signed_in.session;
    let board = matching::board(&state.app, &session.actor, session.organisation.id, key).await?;
    let view = board
        .proposed
        .iter()
        .find(|view| view.pair.id == id)
        .ok_or(WebError::NotFound)?;
    let pair = pair_row(view, board.max_score, &pinned_pairs(&board));
    let errors = refused.map_or_else(Vec::new, |(message, _)| {
        vec![FieldError {
            field: "reason".to_owned(),
            message: message.to_owned(),
        }]
    });
    Ok(PairPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        scheme_name: board.scheme.definition.name.clone(),
        scheme_key: key.to_string(),
        pair,
        errors,
        reason_error: refused.map(|(message, _)| message.to_owned()),
        reason_typed: refused
            .map(|(_, typed)| typed.to_owned())
            .unwrap_or_default(),
        reason_limit: tandem_core::application::TextLimit::Reason.max_chars(),
    })
}

/// The pair's page again after its pin or rule-out was refused: `message` at the reason box,
/// with what was `typed`.
pub(super) async fn refused_pair(
    state: &WebState,
    signed_in: &SignedIn,
    key: &SchemeKey,
    id: MatchId,
    (message, typed): (&str, &str),
    status: StatusCode,
) -> Result<Response, WebError> {
    let page = pair_page(state, signed_in, key, id, Some((message, typed))).await?;
    Ok((status, page).into_response())
}
