//! Matching in the browser: the board where coordinators and champions propose, explain, pin,
//! forbid, pick and confirm pairs; the mentor directory; and the answers to requests.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::flash::{Fixed, Flash};
use crate::form::{Pairs, value};
use crate::query::Query;
use crate::routes::people::capitalise;
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tandem_app::AppError;
use tandem_app::matching;
use tandem_core::domain::SchemeKey;
use tandem_core::pairing::ConstraintKind;
use tandem_core::{ApplicationId, MatchId};
use uuid::Uuid;

mod checks;
mod directory;
mod pair;

pub(crate) use checks::{confirm_all, confirm_all_check, end, end_check};
pub(crate) use directory::{directory, request};
pub(crate) use pair::pair;
use pair::{PairRow, ended_row, pair_row, pinned_pairs};

pub(crate) fn key_of(raw: &str) -> Result<SchemeKey, WebError> {
    SchemeKey::parse(raw).map_err(|_| WebError::NotFound)
}

fn id_of(raw: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(raw.trim()).map_err(|_| WebError::NotFound)
}

fn application(pairs: &Pairs, field: &str, what: &str) -> Result<ApplicationId, WebError> {
    Uuid::parse_str(value(pairs, field).trim())
        .map(ApplicationId)
        .map_err(|_| WebError::BadRequest(format!("choose the {what}")))
}

/// A form the rules refused: its page is shown again with the message at the form's field and
/// what was typed or chosen kept.
#[derive(Debug, Clone)]
pub(crate) enum Refusal {
    /// Pinning or ruling out a pair.
    Constraint { message: String, typed: String },
    /// A pair picked by hand.
    Pick {
        mentee: String,
        mentor: String,
        messages: Vec<String>,
    },
}

impl Refusal {
    /// The summary's errors, each linking to its field: a pin or rule-out refused from the
    /// board itself (its forms live on the pair's page) links to the proposals.
    fn errors(&self) -> Vec<FieldError> {
        match self {
            Self::Constraint { message, .. } => vec![FieldError {
                field: "proposed".to_owned(),
                message: message.clone(),
            }],
            Self::Pick { messages, .. } => vec![FieldError {
                field: "pick-mentor".to_owned(),
                message: messages.join(". "),
            }],
        }
    }

    /// The refusal a use case's error makes on the board, or the error itself when it is not
    /// one the board can show at a field.
    fn of(
        err: AppError,
        make: impl FnOnce(Vec<String>) -> Self,
    ) -> Result<(Self, StatusCode), WebError> {
        let (messages, status) = match err {
            AppError::Invalid(problems) => (
                problems.iter().map(|it| capitalise(&it.message)).collect(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            AppError::RuleBroken(rules) => (
                rules.iter().map(|it| capitalise(it)).collect(),
                StatusCode::CONFLICT,
            ),
            AppError::Conflict(message) => (vec![capitalise(&message)], StatusCode::CONFLICT),
            other => return Err(other.into()),
        };
        Ok((make(messages), status))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "matching.html")]
pub(crate) struct MatchingPage {
    chrome: Chrome,
    scheme_name: String,
    scheme_key: String,
    cohort: String,
    run: Option<String>,
    proposed: Vec<PairRow>,
    proposed_total: usize,
    proposed_range: String,
    previous: Option<String>,
    next: Option<String>,
    unmatched_total: usize,
    excluded_total: usize,
    requested: Vec<PairRow>,
    confirmed: Vec<PairRow>,
    /// Confirmed pairs that have ended: (mentee, mentor, how and when it ended in words).
    ended: Vec<(String, String, String)>,
    unmatched: Vec<(String, String)>,
    excluded: Vec<(String, String)>,
    constraints: Vec<(String, String, String, &'static str, String)>,
    waiting: Vec<(String, String)>,
    mentors: Vec<(String, String)>,
    /// (factor, policy weight out of 100, the multiplier a pair's breakdown shows).
    weights: Vec<(&'static str, u32, u8)>,
    notice: Option<String>,
    proposal: Option<ProposalBanner>,
    /// The page of proposals shown, which the board's forms come back to.
    page: usize,
    errors: Vec<FieldError>,
    /// The pair picked by hand, kept after a refusal: (mentee, mentor) applications.
    picked: (String, String),
}

impl MatchingPage {
    /// Whether a proposal is being worked out (the board then offers to cancel it instead of
    /// starting another).
    fn proposal_running(&self) -> bool {
        self.proposal.as_ref().is_some_and(|it| it.running)
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct BoardQuery {
    /// The page of proposals, from 1.
    page: Option<usize>,
}

/// Proposals shown per page: a cohort of thousands stays quick to load and to read.
const PROPOSALS_PER_PAGE: usize = 50;

/// Unmatched and excluded mentees listed on the board; the rest are counted.
const REASONS_SHOWN: usize = 200;

/// `GET /schemes/{key}/matching`: the matching board for the visitor's cohort.
pub(crate) async fn board(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    Query(query): Query<BoardQuery>,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> Result<MatchingPage, WebError> {
    let key = key_of(&key)?;
    let mut page = board_page(&state, &signed_in, &key, query.page.unwrap_or(1), None).await?;
    page.notice = notice;
    Ok(page)
}

/// The board showing page `page` of the proposals (clamped to those there are), with a refused
/// form's message at its field.
async fn board_page(
    state: &WebState,
    signed_in: &SignedIn,
    key: &SchemeKey,
    page: usize,
    refused: Option<&Refusal>,
) -> Result<MatchingPage, WebError> {
    let session = &signed_in.session;
    let board = matching::board(&state.app, &session.actor, session.organisation.id, key).await?;
    let proposal = proposal_banner(
        matching::latest_proposal(&state.app, &session.actor, session.organisation.id, key)
            .await?
            .as_ref(),
    );
    let weights = &board.scheme.definition.policy.weights;
    let name_of = |id: &ApplicationId| {
        board
            .names
            .get(id)
            .cloned()
            .unwrap_or_else(|| "someone no longer in the directory".to_owned())
    };
    let run = board.run.as_ref().map(|run| {
        format!(
            "Last run {} by {}: {} of {} mentees proposed a mentor, from {} mentors with free places (on average, a pair scores {}).",
            crate::routes::training::local(run.run_at, &session.organisation.time_zone),
            board.run_by.as_deref().unwrap_or("someone unknown"),
            run.matched,
            run.mentees,
            run.mentors,
            tandem_core::words::out_of_100(
                run.total_score,
                board.max_score * run.matched.max(1)
            )
        )
    });
    let reasons = |list: &[(ApplicationId, String)]| -> Vec<(String, String)> {
        list.iter()
            .take(REASONS_SHOWN)
            .map(|(id, reason)| (name_of(id), capitalise(reason)))
            .collect()
    };
    let (unmatched, unmatched_total) = board
        .run
        .as_ref()
        .map(|run| (reasons(&run.unmatched), run.unmatched.len()))
        .unwrap_or_default();
    let (excluded, excluded_total) = board
        .run
        .as_ref()
        .map(|run| (reasons(&run.excluded), run.excluded.len()))
        .unwrap_or_default();
    let proposed_total = board.proposed.len();
    let pages = proposed_total.div_ceil(PROPOSALS_PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let first = (page - 1) * PROPOSALS_PER_PAGE;
    let pinned = pinned_pairs(&board);
    let proposed: Vec<PairRow> = board
        .proposed
        .iter()
        .skip(first)
        .take(PROPOSALS_PER_PAGE)
        .map(|view| pair_row(view, board.max_score, &pinned))
        .collect();
    let link = |page: usize| format!("/schemes/{key}/matching?page={page}#proposed");
    let proposed_range = if proposed_total > PROPOSALS_PER_PAGE {
        format!(
            "Showing {} to {} of {proposed_total}.",
            first + 1,
            first + proposed.len()
        )
    } else {
        String::new()
    };
    let errors = refused.map_or_else(Vec::new, Refusal::errors);
    let picked = match refused {
        Some(Refusal::Pick { mentee, mentor, .. }) => (mentee.clone(), mentor.clone()),
        _ => (String::new(), String::new()),
    };
    Ok(MatchingPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        scheme_name: board.scheme.definition.name.clone(),
        scheme_key: key.to_string(),
        cohort: board.division.as_ref().map_or_else(
            || "every mentee in the scheme".to_owned(),
            |division| format!("mentees in {division}, with mentors from every division"),
        ),
        run,
        proposed,
        proposed_total,
        proposed_range,
        previous: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        unmatched_total,
        excluded_total,
        requested: board
            .requested
            .iter()
            .map(|view| pair_row(view, board.max_score, &pinned))
            .collect(),
        confirmed: board
            .confirmed
            .iter()
            .map(|view| pair_row(view, board.max_score, &pinned))
            .collect(),
        ended: board
            .ended
            .iter()
            .map(|it| ended_row(it, &session.organisation.time_zone))
            .collect(),
        unmatched,
        excluded,
        constraints: board
            .constraints
            .iter()
            .map(|(constraint, mentee, mentor)| {
                (
                    constraint.mentee_application.to_string(),
                    constraint.mentor_application.to_string(),
                    format!(
                        "{} with {}",
                        mentee.record.full_name(),
                        mentor.record.full_name()
                    ),
                    if constraint.kind == ConstraintKind::Pin {
                        "Pinned"
                    } else {
                        "Ruled out"
                    },
                    constraint.reason.clone(),
                )
            })
            .collect(),
        waiting: board
            .waiting
            .iter()
            .map(|it| {
                (
                    it.application.id.to_string(),
                    format!(
                        "{} ({})",
                        it.person.record.full_name(),
                        it.person.record.rank_or_grade
                    ),
                )
            })
            .collect(),
        mentors: board
            .mentors
            .iter()
            .map(|(it, free)| {
                (
                    it.application.id.to_string(),
                    format!(
                        "{} ({}, {free} free)",
                        it.person.record.full_name(),
                        it.person.record.rank_or_grade
                    ),
                )
            })
            .collect(),
        weights: [
            ("Topics", weights.topics),
            ("Location", weights.location),
            ("Rank", weights.rank),
            ("Experience", weights.experience),
            ("Availability", weights.availability),
            ("Stated preference", weights.preference),
            ("Diversity", weights.diversity),
        ]
        .into_iter()
        .map(|(factor, weight)| (factor, weight, tandem_core::pairing::engine_weight(weight)))
        .collect(),
        notice: None,
        proposal,
        page,
        errors,
        picked,
    })
}

impl MatchingPage {
    /// The error at `field`, if any.
    fn error_at(&self, field: &str) -> Option<&str> {
        crate::routes::sign_in::error_for(&self.errors, field)
    }
}

/// The board again after a refused form, on the page of proposals the form was sent from.
async fn refused_board(
    state: &WebState,
    signed_in: &SignedIn,
    key: &SchemeKey,
    pairs: &Pairs,
    (refusal, status): (Refusal, StatusCode),
) -> Result<Response, WebError> {
    let page = board_page(state, signed_in, key, page_of(pairs), Some(&refusal)).await?;
    Ok((status, page).into_response())
}

/// The pair whose page a form was sent from, if it was.
fn pair_sent_from(pairs: &Pairs) -> Option<MatchId> {
    Uuid::parse_str(value(pairs, "pair").trim())
        .ok()
        .map(MatchId)
}

/// The page of proposals a form on the board was sent from.
fn page_of(pairs: &Pairs) -> usize {
    value(pairs, "page").trim().parse().unwrap_or(1)
}

/// A query string of `pairs`, encoded.
pub(crate) fn query_of(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// A redirect to `path` that shows `notice` at the top of the page.
pub(crate) fn notice_redirect(path: &str, notice: impl Into<Flash>) -> Response {
    notice_redirect_to(path, notice, "")
}

/// A redirect to `path` that shows `notice` at the top of the page, scrolled to `anchor`
/// (none when empty).
pub(crate) fn notice_redirect_to(path: &str, notice: impl Into<Flash>, anchor: &str) -> Response {
    let anchor = if anchor.is_empty() {
        String::new()
    } else {
        format!("#{anchor}")
    };
    crate::flash::attach(crate::redirect::to(&format!("{path}{anchor}")), notice)
}

fn back(key: &SchemeKey, notice: impl Into<Flash>) -> Response {
    notice_redirect(&format!("/schemes/{key}/matching"), notice)
}

/// Back to the page of proposals a form was sent from, saying `notice`.
fn back_to_page(key: &SchemeKey, pairs: &Pairs, notice: impl Into<Flash>) -> Response {
    match page_of(pairs) {
        0 | 1 => back(key, notice),
        page => notice_redirect(&format!("/schemes/{key}/matching?page={page}"), notice),
    }
}

/// How long `run` waits for a proposal before showing its progress instead: small cohorts
/// come back with their answer, large ones carry on in the background.
const PROPOSAL_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// What the board says about the cohort's latest background proposal.
pub(crate) struct ProposalBanner {
    /// Still working: the progress region is shown with a cancel button.
    running: bool,
    /// What it is doing or why it stopped, in words.
    words: String,
    /// The share of the current stage done.
    percent: i64,
    /// Stopped without writing anything: shown as a problem.
    problem: bool,
}

/// The notice a finished proposal leaves; a proposal that stopped otherwise is the board's own
/// banner.
fn proposal_done(status: &matching::ProposalStatus) -> Option<Flash> {
    (status.state == tandem_core::proposal::ProposalState::Done).then(|| {
        status
            .run
            .as_ref()
            .map_or(Flash::Said(Fixed::ProposalReady), |run| Flash::Proposed {
                matched: usize::try_from(run.matched).unwrap_or_default(),
                mentees: usize::try_from(run.mentees).unwrap_or_default(),
            })
    })
}

fn proposal_words(status: &matching::ProposalStatus) -> String {
    use tandem_core::proposal::ProposalState;
    let job = &status.job;
    match status.state {
        ProposalState::Running => format!(
            "Working out the best pairs: {}. You can leave this page; the proposal carries on and you can come back to it.",
            job.stage.describe()
        ),
        ProposalState::Done => status.run.as_ref().map_or_else(
            || "The proposal is ready. Nothing is final until you confirm.".to_owned(),
            |run| {
                format!(
                    "Proposed a mentor for {} of {} mentees. Nothing is final until you confirm.",
                    run.matched, run.mentees
                )
            },
        ),
        ProposalState::Failed => format!(
            "The last proposal could not be finished: {}. The proposals below are from before.",
            job.failure
                .map_or("something went wrong", |it| it.describe())
        ),
        ProposalState::Cancelled => {
            "The last proposal was cancelled. The proposals below are from before.".to_owned()
        }
        ProposalState::Interrupted => {
            "The last proposal stopped when the server restarted. The proposals below are from before; run the proposal again."
                .to_owned()
        }
    }
}

/// The banner for the latest job, when there is something to say (a running job, or one that
/// stopped after the last run was written).
fn proposal_banner(status: Option<&matching::ProposalStatus>) -> Option<ProposalBanner> {
    use tandem_core::proposal::ProposalState;
    let status = status?;
    let newer_than_run = status
        .run
        .as_ref()
        .is_none_or(|run| status.job.requested_at >= run.run_at);
    match status.state {
        ProposalState::Done => None,
        ProposalState::Running => Some(ProposalBanner {
            running: true,
            words: proposal_words(status),
            percent: status.job.percent(),
            problem: false,
        }),
        _ if newer_than_run => Some(ProposalBanner {
            running: false,
            words: proposal_words(status),
            percent: 0,
            problem: true,
        }),
        _ => None,
    }
}

/// `POST /schemes/{key}/matching/run`: proposes pairs for the visitor's cohort. The work runs
/// in the background; a small cohort's answer comes back at once, a large one's progress shows
/// on the board.
pub(crate) async fn run(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    CsrfForm(_): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = key_of(&key)?;
    let session = &signed_in.session;
    let started =
        matching::start_proposal(&state.app, &session.actor, session.organisation.id, &key).await?;
    let finished = match started.task {
        Some(task) => tokio::time::timeout(PROPOSAL_WAIT, task).await.is_ok(),
        None => false,
    };
    if !finished {
        return Ok(crate::redirect::to(&format!(
            "/schemes/{key}/matching#proposal"
        )));
    }
    let status =
        matching::latest_proposal(&state.app, &session.actor, session.organisation.id, &key)
            .await?;
    Ok(match status.as_ref().and_then(proposal_done) {
        Some(done) => back(&key, done),
        None => crate::redirect::to(&format!("/schemes/{key}/matching")),
    })
}

/// `POST /schemes/{key}/matching/run/cancel`: stops the visitor's cohort's running proposal;
/// the earlier proposals stay as they were.
pub(crate) async fn cancel_run(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    CsrfForm(_): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = key_of(&key)?;
    let session = &signed_in.session;
    matching::cancel_proposal(&state.app, &session.actor, session.organisation.id, &key).await?;
    Ok(back(&key, Fixed::ProposalStopping))
}

/// `GET /schemes/{key}/matching/progress`: the running proposal's progress as JSON, for the
/// board's script (the page itself shows the same without JavaScript).
pub(crate) async fn progress(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
) -> Result<Response, WebError> {
    let key = key_of(&key)?;
    let session = &signed_in.session;
    let status =
        matching::latest_proposal(&state.app, &session.actor, session.organisation.id, &key)
            .await?;
    let body = match &status {
        Some(status) => serde_json::json!({
            "state": status.state.as_str(),
            "stage": status.job.stage.as_str(),
            "percent": status.job.percent(),
            "words": proposal_words(status),
        }),
        None => serde_json::json!({ "state": "none" }),
    };
    let response = (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response();
    // The script reloads the board once the proposal is done; the board then says what it
    // proposed, as the form's redirect does when the answer comes at once.
    Ok(match &status {
        Some(status) => match proposal_done(status) {
            Some(done) => crate::flash::attach(response, done),
            None => response,
        },
        None => response,
    })
}

/// `POST /matches/{id}/confirm`: confirms one proposal.
pub(crate) async fn confirm(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let key = key_of(value(&pairs, "scheme"))?;
    let url = crate::routes::password::public_url(&state, &headers);
    match matching::confirm(&state.app, &signed_in.session.actor, id, &url).await {
        Ok(()) => Ok(back_to_page(&key, &pairs, Fixed::PairConfirmed)),
        // Not yet confirmable (a place taken meanwhile, an ethics statement not accepted): the
        // error page, in the visitor's frame, says why in words and leads back to the board.
        // The board itself is not shown: showing it is a read to audit, and a refused action
        // changes nothing.
        Err(err) => Err(err.into()),
    }
}

/// `POST /schemes/{key}/matching/pick`: proposes a pair chosen by hand.
pub(crate) async fn pick(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = key_of(&key)?;
    let mentee = application(&pairs, "mentee", "mentee")?;
    let mentor = application(&pairs, "mentor", "mentor")?;
    let session = &signed_in.session;
    let scheme = matching::SchemeRef {
        organisation: session.organisation.id,
        key: &key,
    };
    match matching::pick(&state.app, &session.actor, scheme, mentee, mentor).await {
        Ok(_) => Ok(back(&key, Fixed::PairProposed)),
        // A pair the rules refuse: the board again, the rule broken at the choice and the
        // two people still chosen.
        Err(err) => {
            let refusal = Refusal::of(err, |messages| Refusal::Pick {
                mentee: mentee.to_string(),
                mentor: mentor.to_string(),
                messages,
            })?;
            refused_board(&state, &signed_in, &key, &pairs, refusal).await
        }
    }
}

/// `POST /schemes/{key}/matching/constraints`: pins or rules out a pair.
pub(crate) async fn constrain(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = key_of(&key)?;
    let mentee = application(&pairs, "mentee", "mentee")?;
    let mentor = application(&pairs, "mentor", "mentor")?;
    let kind = ConstraintKind::parse(value(&pairs, "kind"))
        .ok_or_else(|| WebError::BadRequest("choose to pin or to rule out the pair".to_owned()))?;
    let scheme = matching::SchemeRef {
        organisation: signed_in.session.organisation.id,
        key: &key,
    };
    let typed = value(&pairs, "reason");
    match matching::set_constraint(
        &state.app,
        &signed_in.session.actor,
        scheme,
        mentee,
        mentor,
        kind,
        typed,
    )
    .await
    {
        Ok(()) => Ok(back_to_page(&key, &pairs, Fixed::ConstraintSaved)),
        Err(err) => {
            let (refusal, status) = Refusal::of(err, |messages| Refusal::Constraint {
                message: messages.join(". "),
                typed: typed.to_owned(),
            })?;
            // Sent from the pair's page: that page again, the message at its reason box.
            match (pair_sent_from(&pairs), &refusal) {
                (Some(id), Refusal::Constraint { message, typed }) => {
                    pair::refused_pair(&state, &signed_in, &key, id, (message, typed), status).await
                }
                _ => refused_board(&state, &signed_in, &key, &pairs, (refusal, status)).await,
            }
        }
    }
}

/// `POST /schemes/{key}/matching/constraints/delete`: takes away a pin or a rule-out.
pub(crate) async fn unconstrain(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = key_of(&key)?;
    let mentee = application(&pairs, "mentee", "mentee")?;
    let mentor = application(&pairs, "mentor", "mentor")?;
    let scheme = matching::SchemeRef {
        organisation: signed_in.session.organisation.id,
        key: &key,
    };
    matching::remove_constraint(&state.app, &signed_in.session.actor, scheme, mentee, mentor)
        .await?;
    Ok(back(&key, Fixed::ConstraintRemoved))
}

/// `GET /schemes/{key}/matches.csv`: the scheme's pairs as CSV with the marking.
pub(crate) async fn csv(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
) -> Result<Response, WebError> {
    let key = key_of(&key)?;
    let session = &signed_in.session;
    let csv = matching::export_csv(
        &state.app,
        &session.actor,
        &session.organisation.code,
        Some(&key),
    )
    .await?;
    Ok(crate::routes::csv_download(
        &session.organisation.code,
        &key,
        "matches",
        csv,
    ))
}

/// `POST /matches/{id}/answer`: the mentor accepts or declines (with a reason); the mentee may
/// withdraw their request.
pub(crate) async fn answer(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let accept = match value(&pairs, "answer") {
        "accept" => true,
        "decline" | "withdraw" => false,
        _ => {
            return Err(WebError::BadRequest(
                "choose to accept or decline the request".to_owned(),
            ));
        }
    };
    let url = crate::routes::password::public_url(&state, &headers);
    let typed = value(&pairs, "reason");
    match matching::answer_request(
        &state.app,
        &signed_in.session.actor,
        id,
        accept,
        typed,
        &url,
    )
    .await
    {
        Ok(()) => Ok(crate::redirect::to("/applications")),
        // A decline without its reason: Your mentoring again, the message at the request's
        // reason box.
        Err(AppError::Invalid(problems)) => {
            let refused = crate::routes::applications::RefusedAnswer {
                pair: id.to_string(),
                message: problems
                    .iter()
                    .map(|it| capitalise(&it.message))
                    .collect::<Vec<_>>()
                    .join(". "),
                typed: typed.to_owned(),
            };
            let page =
                crate::routes::applications::mine_page(&state, &signed_in, Some(&refused)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}
