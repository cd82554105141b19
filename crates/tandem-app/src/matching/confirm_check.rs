//! What confirming every proposal on a board does, for the check page before it: how many
//! pairs and how many people are told. [`confirm_all`](super::confirm_all) asks the same
//! question first, so the page and the action cannot disagree.

use super::{Board, board};
use crate::{App, AppError};
use std::collections::HashSet;
use tandem_core::OrganisationId;
use tandem_core::domain::SchemeKey;
use tandem_core::programme::Scheme;

/// Confirming all the proposals of a cohort, as its check page states it.
#[derive(Debug, Clone)]
pub struct ConfirmAll {
    /// The scheme.
    pub scheme: Scheme,
    /// The division whose mentees the cohort holds; `None` for the whole scheme.
    pub division: Option<String>,
    /// Proposals to confirm.
    pub pairs: usize,
    /// Different people in them, each told of their match.
    pub people: usize,
}

/// Whether every proposal on `board` may be confirmed at once, and what that does.
pub(super) fn confirm_all_of(board: &Board) -> Result<ConfirmAll, AppError> {
    if board.proposed.is_empty() {
        return Err(AppError::Conflict(
            "there is no proposal to confirm; propose pairs first".to_owned(),
        ));
    }
    let people: HashSet<_> = board
        .proposed
        .iter()
        .flat_map(|view| [view.pair.mentor, view.pair.mentee])
        .collect();
    Ok(ConfirmAll {
        scheme: board.scheme.clone(),
        division: board.division.clone(),
        pairs: board.proposed.len(),
        people: people.len(),
    })
}

/// What confirming every proposal in the actor's cohort of `key` would do. The board's read
/// is audited, as the board's is.
pub async fn confirm_all_check(
    app: &App,
    actor: &tandem_core::authz::Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<ConfirmAll, AppError> {
    confirm_all_of(&board(app, actor, organisation, key).await?)
}
