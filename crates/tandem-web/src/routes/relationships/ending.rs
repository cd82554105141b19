//! Ending a relationship early, through its check page: from the relationship's page
//! (`/relationships/{id}/end`), from Your mentoring (`/matches/{id}/end`) and by staff
//! (`/schemes/{key}/relationships/{id}/end`). Each `GET` is the check page; each `POST` acts only
//! when sent from it, and otherwise answers with the check page, what was typed kept.

use super::id_of;
use crate::check::{CheckPage, ReasonField, Tick, confirmed};
use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::form::{Pairs, checked, value};
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tandem_app::AppError;
use tandem_app::relationships::{self, Ending};
use tandem_core::MatchId;
use tandem_core::relationship::Party;

/// Where the ending was started, which decides the address its form sends to and the page
/// it returns to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// The relationship's own page.
    Relationship,
    /// Your mentoring's list of pairs.
    Mentoring,
    /// The relationship as its scheme's staff see it.
    Staff,
}

impl Start {
    fn action(self, ending: &Ending) -> String {
        let id = ending.view.pair.id;
        match self {
            Self::Relationship => format!("/relationships/{id}/end"),
            Self::Mentoring => format!("/matches/{id}/end"),
            Self::Staff => format!(
                "/schemes/{}/relationships/{id}/end",
                ending.scheme.definition.key
            ),
        }
    }

    /// The page to go back to, and its name.
    fn back(self, ending: &Ending) -> (String, String) {
        let id = ending.view.pair.id;
        match (self, ending.party) {
            (Self::Staff, _) | (_, Party::Staff | Party::System) => (
                format!(
                    "/schemes/{}/relationships/{id}",
                    ending.scheme.definition.key
                ),
                "the relationship".to_owned(),
            ),
            (Self::Relationship, _) => (
                format!("/relationships/{id}"),
                "your relationship".to_owned(),
            ),
            (Self::Mentoring, _) => ("/applications".to_owned(), "Your mentoring".to_owned()),
        }
    }
}

/// The check page for `ending`, with the reason and the choice as sent (`None`: first shown).
fn page(chrome: Chrome, from: Start, ending: &Ending, sent: Option<&Pairs>) -> CheckPage {
    let mentee = ending.view.mentee.record.full_name();
    let mentor = ending.view.mentor.record.full_name();
    let scheme = &ending.scheme.definition.name;
    let (heading, mut consequences) = match ending.party {
        Party::Mentor | Party::Mentee => {
            let other = if ending.party == Party::Mentor {
                &mentee
            } else {
                &mentor
            };
            (
                format!("You are about to end your relationship with {other}"),
                vec![
                    format!(
                        "Your relationship with {other} in {scheme} ends now. It cannot be started again."
                    ),
                    "Neither of you can book sessions or write in it any more.".to_owned(),
                    format!("{other} sees on Your mentoring that it has ended; nobody is emailed."),
                    "The coordinator sees the reason you give; your conversations stay private."
                        .to_owned(),
                ],
            )
        }
        Party::Staff | Party::System => (
            format!("You are about to end the relationship of {mentee} with {mentor}"),
            vec![
                format!("The relationship in {scheme} ends now. It cannot be started again."),
                format!(
                    "{mentee} goes back on the waiting list, and will not be proposed {mentor} again."
                ),
                format!(
                    "{mentee} and {mentor} see on Your mentoring that it has ended; nobody is emailed."
                ),
            ],
        ),
    };
    let tick = match ending.party {
        Party::Mentee => Some(Tick {
            name: "rematch",
            label: "Put me back on the waiting list for another mentor",
            checked: sent.is_none_or(|pairs| checked(pairs, "rematch")),
        }),
        Party::Mentor => {
            consequences.push(format!(
                "{mentee}'s application ends with it; they can apply again to be matched with another mentor."
            ));
            None
        }
        _ => None,
    };
    let mut check = CheckPage::new(
        chrome,
        from.back(ending),
        heading,
        from.action(ending),
        "End the relationship",
    );
    check.caption = scheme.clone();
    check.consequences = consequences;
    check.reason = Some(ReasonField {
        label: "Why it is ending",
        hint: "Say briefly why. The coordinator reads this.",
        value: sent
            .map(|pairs| value(pairs, "reason").to_owned())
            .unwrap_or_default(),
        limit: tandem_core::application::TextLimit::Reason.max_chars(),
    });
    check.tick = tick;
    check
}

pub(crate) async fn check(
    state: &WebState,
    signed_in: &SignedIn,
    id: MatchId,
    from: Start,
    sent: Option<&Pairs>,
) -> Result<CheckPage, WebError> {
    let session = &signed_in.session;
    let ending = relationships::ending(&state.app, &session.actor, id).await?;
    let nav = if ending.party.is_member() {
        "/applications"
    } else {
        "/schemes"
    };
    Ok(page(
        Chrome::new(&signed_in.visitor, Some(session), nav),
        from,
        &ending,
        sent,
    ))
}

/// The check page, or the ending itself when the form came from it.
pub(crate) async fn act(
    state: &WebState,
    signed_in: &SignedIn,
    id: MatchId,
    from: Start,
    pairs: Pairs,
) -> Result<Response, WebError> {
    if !confirmed(&pairs) {
        return Ok(check(state, signed_in, id, from, Some(&pairs))
            .await?
            .into_response());
    }
    let session = &signed_in.session;
    let ending = relationships::ending(&state.app, &session.actor, id).await?;
    // Staff always send the mentee back to the waiting list; a mentee chooses.
    let rematch = match ending.party {
        Party::Mentee => checked(&pairs, "rematch"),
        Party::Mentor => false,
        Party::Staff | Party::System => true,
    };
    match relationships::withdraw(
        &state.app,
        &session.actor,
        id,
        value(&pairs, "reason"),
        rematch,
    )
    .await
    {
        Ok(()) => {
            let (path, notice) = match (from, ending.party) {
                (Start::Staff, _) | (_, Party::Staff | Party::System) => (
                    from.back(&ending).0,
                    crate::flash::Fixed::RelationshipEndedBackOnList,
                ),
                _ => (
                    "/applications".to_owned(),
                    crate::flash::Fixed::RelationshipEnded,
                ),
            };
            Ok(crate::routes::matching::notice_redirect(&path, notice))
        }
        Err(AppError::Invalid(problems)) => {
            let mut page = check(state, signed_in, id, from, Some(&pairs)).await?;
            page.errors = FieldError::from_problems(&problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /relationships/{id}/end`: the check page before a member ends their relationship.
pub(crate) async fn end_check(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<CheckPage, WebError> {
    let id = MatchId(id_of(&id)?);
    check(&state, &signed_in, id, Start::Relationship, None).await
}

/// `POST /relationships/{id}/end`: a member ends the relationship early, with a reason; the
/// mentee may go back on the waiting list (R6.3: matched again on return).
pub(crate) async fn end(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    act(&state, &signed_in, id, Start::Relationship, pairs).await
}

/// `GET /schemes/{key}/relationships/{id}/end`: the check page before a coordinator or
/// champion ends a relationship.
pub(crate) async fn staff_end_check(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((_, id)): Path<(String, String)>,
) -> Result<CheckPage, WebError> {
    let id = MatchId(id_of(&id)?);
    check(&state, &signed_in, id, Start::Staff, None).await
}

/// `POST /schemes/{key}/relationships/{id}/end`: a coordinator or champion ends a
/// relationship early, with the reason; the mentee goes back on the waiting list.
pub(crate) async fn staff_end(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    act(&state, &signed_in, id, Start::Staff, pairs).await
}
