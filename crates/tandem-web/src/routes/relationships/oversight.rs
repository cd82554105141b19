//! What the programme team sees beside the list of relationships: one relationship with its
//! flags and the suitability decision (R6.5), and the concerns raised in a scheme with what was
//! done about them (R8.2). Never what a pair wrote.

use super::id_of;
use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::form::{Pairs, value};
use crate::form_kit::{FieldKind, Fields, FormView, Refused, button};
use crate::routes::sign_in::FieldError;
use crate::routes::training::local;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tandem_app::AppError;
use tandem_app::relationships;
use tandem_core::MatchId;
use tandem_core::relationship::FlagOutcome;
use tandem_core::reminder::Nudge;

fn capitalise_words(text: &str) -> String {
    crate::routes::people::capitalise(text)
}

/// A flag as the programme team sees it.
pub(crate) struct StaffFlag {
    kind: &'static str,
    raised: String,
    settled: Option<String>,
    decide: Option<FormView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_relationship.html")]
pub(crate) struct StaffRelationshipPage {
    chrome: Chrome,
    scheme_name: String,
    scheme_key: String,
    mentee: String,
    mentor: String,
    summary: Vec<(&'static str, String)>,
    flags: Vec<StaffFlag>,
    /// What needs a coordinator now, in words.
    attention: Vec<String>,
    /// Keep it open, when it is proposed for closure.
    keep_open: Option<FormView>,
    /// The check page to end it early, for those who may.
    end: Option<String>,
    /// Pulse check-ins: one row per round (round, opened, mentor's score, mentee's score).
    check_ins: Vec<[String; 4]>,
    /// Why the check-ins put it at risk, in words (empty when they do not).
    at_risk: Vec<&'static str>,
    /// Comments the members shared, in words.
    shared_comments: Vec<(String, String)>,
    notice: Option<String>,
    errors: Vec<FieldError>,
}

/// A score as the coordinators read it.
fn score_words(score: Option<tandem_core::pulse::Score>) -> String {
    score.map_or_else(|| "Not answered".to_owned(), |it| it.describe().to_owned())
}

async fn staff_page(
    state: &WebState,
    signed_in: &SignedIn,
    id: MatchId,
    refused: Option<&Refused>,
    notice: Option<String>,
) -> Result<StaffRelationshipPage, WebError> {
    let session = &signed_in.session;
    let found = relationships::staff_view(&state.app, &session.actor, id).await?;
    let zone = session.organisation.time_zone.as_str();
    let life = &found.pair.life;
    let date = |at: Option<time::Date>| at.map(|it| it.to_string()).unwrap_or_default();
    let mut summary = vec![("State", found.pair.status.describe().to_owned())];
    if let Some(hold) = life.hold {
        summary.push(("On hold because of", hold.reason.describe().to_owned()));
    }
    summary.push(("Started", date(life.started_on)));
    summary.push(("Ends", date(life.ends_on)));
    summary.push(("Meetings held", found.held.to_string()));
    summary.push((
        "Last met",
        found
            .last_held
            .map(|it| local(it, zone))
            .unwrap_or_default(),
    ));
    let pair_id = found.pair.id;
    let flags = found
        .flags
        .iter()
        .map(|flag| {
            let form_id = format!("decide-{}", flag.id);
            StaffFlag {
                kind: flag.kind.describe(),
                raised: local(flag.raised_at, zone),
                settled: flag.settled.as_ref().map(|settled| {
                    let what = match settled.outcome {
                        FlagOutcome::Continue => "Decided it may continue",
                        FlagOutcome::End => "Ended",
                        FlagOutcome::Declared => "The pair declared the conflict of interest",
                    };
                    format!("{what} on {}: {}", local(settled.at, zone), settled.reason)
                }),
                decide: (flag.is_open() && found.may_decide).then(|| FormView {
                    id: form_id.clone(),
                    action: format!("/flags/{}/decision", flag.id),
                    legend: Some("Your suitability decision".to_owned()),
                    hidden: vec![
                        ("relationship", pair_id.to_string()),
                        ("scheme", found.scheme.definition.key.to_string()),
                    ],
                    fields: Fields::of(form_id.clone(), refused)
                        .add(
                            "outcome",
                            "Can the relationship continue?",
                            None,
                            FieldKind::Radios(vec![
                                ("continue", "Yes, it continues"),
                                (
                                    "end",
                                    "No, end it (the mentee goes back on the waiting list)",
                                ),
                            ]),
                            "",
                        )
                        .add(
                            "reason",
                            "Why",
                            Some("Both members read this"),
                            FieldKind::TextArea,
                            "",
                        )
                        .done(),
                    buttons: vec![button("Record the decision")],
                }),
            }
        })
        .collect();
    let key = found.scheme.definition.key.to_string();
    let proposed = found.nudges.contains(&Nudge::ProposeClosure);
    let keep_open = (proposed && found.may_decide).then(|| FormView {
        id: "keep".to_owned(),
        action: format!("/schemes/{key}/relationships/{pair_id}/keep-open"),
        legend: Some("Keep it open".to_owned()),
        hidden: Vec::new(),
        fields: Fields::of("keep", refused)
            .add(
                "reason",
                "Why it stays open",
                Some("The quiet time is counted again from today"),
                FieldKind::TextArea,
                "",
            )
            .done(),
        buttons: vec![button("Keep the relationship open")],
    });
    // Ending is a page of its own: the check page says what ends before anything does.
    let end = (found.may_decide && found.pair.status.holds_place())
        .then(|| format!("/schemes/{key}/relationships/{pair_id}/end"));
    Ok(StaffRelationshipPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        scheme_name: found.scheme.definition.name.clone(),
        scheme_key: key,
        mentee: found.mentee.record.full_name(),
        mentor: found.mentor.record.full_name(),
        summary,
        flags,
        attention: found
            .nudges
            .iter()
            .map(|it| capitalise_words(it.describe()))
            .collect(),
        keep_open,
        end,
        check_ins: found
            .pulses
            .rounds
            .iter()
            .map(|it| {
                [
                    it.round.to_string(),
                    it.opened_on.to_string(),
                    score_words(it.mentor),
                    score_words(it.mentee),
                ]
            })
            .collect(),
        at_risk: found.pulses.risks.iter().map(|it| it.describe()).collect(),
        shared_comments: found
            .pulses
            .shared
            .iter()
            .map(|it| {
                (
                    format!("The {} at check-in {}", it.by.words(), it.round),
                    it.text.clone(),
                )
            })
            .collect(),
        notice,
        errors: refused.map(|it| it.errors.clone()).unwrap_or_default(),
    })
}

/// `GET /schemes/{key}/relationships/{id}`: one relationship for its coordinators and
/// champions: state, dates, meetings counted and flags.
pub(crate) async fn staff_relationship(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((_key, id)): Path<(String, String)>,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> Result<StaffRelationshipPage, WebError> {
    let id = MatchId(id_of(&id)?);
    staff_page(&state, &signed_in, id, None, notice).await
}

/// `POST /flags/{id}/decision`: a coordinator or champion records the suitability decision.
pub(crate) async fn flag_decision(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let flag = id_of(&id)?;
    let relationship = MatchId(id_of(value(&pairs, "relationship"))?);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = relationships::decide_flag(
        &state.app,
        &signed_in.session.actor,
        flag,
        value(&pairs, "outcome"),
        value(&pairs, "reason"),
        &url,
    )
    .await;
    let form = format!("decide-{flag}");
    let key = crate::routes::matching::key_of(value(&pairs, "scheme"))?.to_string();
    let outcome = outcome.map(|decided| {
        match decided {
            FlagOutcome::End => crate::flash::Fixed::FlagEndedRelationship,
            _ => crate::flash::Fixed::FlagDecided,
        }
        .into()
    });
    staff_answer(
        &state,
        &signed_in,
        &key,
        relationship,
        (&form, pairs),
        outcome,
    )
    .await
}

/// A concern on the scheme's list.
pub(crate) struct ConcernRow {
    id: String,
    raised: String,
    kind: &'static str,
    reporter: String,
    status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "concerns.html")]
pub(crate) struct ConcernsPage {
    chrome: Chrome,
    scheme_name: String,
    scheme_key: String,
    rows: Vec<ConcernRow>,
}

/// `GET /schemes/{key}/concerns`: the concerns raised in a scheme, for its coordinators.
pub(crate) async fn concerns_list(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
) -> Result<ConcernsPage, WebError> {
    let key = crate::routes::matching::key_of(&key)?;
    let session = &signed_in.session;
    let (scheme, views) = relationships::concerns_of_scheme(
        &state.app,
        &session.actor,
        session.organisation.id,
        &key,
    )
    .await?;
    let zone = session.organisation.time_zone.as_str();
    let rows = views
        .iter()
        .map(|view| ConcernRow {
            id: view.concern.id.to_string(),
            raised: local(view.concern.raised_at, zone),
            kind: view.concern.kind.describe(),
            reporter: format!(
                "{} ({})",
                view.reporter.record.full_name(),
                view.reporter_role.as_str()
            ),
            status: match &view.concern.outcome {
                Some(outcome) => format!("Dealt with on {}", local(outcome.recorded_at, zone)),
                None => "Waiting for what was done".to_owned(),
            },
        })
        .collect();
    Ok(ConcernsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        scheme_name: scheme.definition.name.clone(),
        scheme_key: key.to_string(),
        rows,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "concern.html")]
pub(crate) struct ConcernPage {
    chrome: Chrome,
    scheme_name: String,
    scheme_key: String,
    kind: &'static str,
    raised: String,
    reporter: String,
    partner: String,
    text: String,
    outcome: Option<String>,
    form: Option<FormView>,
    notice: Option<String>,
    errors: Vec<FieldError>,
}

async fn concern_view(
    state: &WebState,
    signed_in: &SignedIn,
    id: uuid::Uuid,
    refused: Option<&Refused>,
    notice: Option<String>,
) -> Result<ConcernPage, WebError> {
    let session = &signed_in.session;
    let view = relationships::concern(&state.app, &session.actor, id).await?;
    let zone = session.organisation.time_zone.as_str();
    let concern = &view.concern;
    Ok(ConcernPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        scheme_name: view.scheme.definition.name.clone(),
        scheme_key: view.scheme.definition.key.to_string(),
        kind: concern.kind.describe(),
        raised: local(concern.raised_at, zone),
        reporter: format!(
            "{} ({}, {})",
            view.reporter.record.full_name(),
            view.reporter_role.as_str(),
            view.reporter.record.email
        ),
        partner: view.partner.record.full_name(),
        text: concern.text.clone(),
        outcome: concern
            .outcome
            .as_ref()
            .map(|it| format!("Recorded on {}: {}", local(it.recorded_at, zone), it.text)),
        form: concern.outcome.is_none().then(|| FormView {
            id: "outcome".to_owned(),
            action: format!("/concerns/{id}/outcome"),
            legend: Some("What was done".to_owned()),
            hidden: Vec::new(),
            fields: Fields::of("outcome", refused)
                .add(
                    "outcome",
                    "What you did about the concern",
                    Some("The reporter is told that you recorded it, not what you wrote"),
                    FieldKind::TextArea,
                    "",
                )
                .done(),
            buttons: vec![button("Record what was done")],
        }),
        notice,
        errors: refused.map(|it| it.errors.clone()).unwrap_or_default(),
    })
}

/// `GET /concerns/{id}`: a concern, for the scheme's coordinators (the read is audited).
pub(crate) async fn concern_page(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> Result<ConcernPage, WebError> {
    let id = id_of(&id)?;
    concern_view(&state, &signed_in, id, None, notice).await
}

/// `POST /concerns/{id}/outcome`: the coordinator records what was done.
pub(crate) async fn concern_outcome(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = id_of(&id)?;
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = relationships::record_outcome(
        &state.app,
        &signed_in.session.actor,
        id,
        value(&pairs, "outcome"),
        &url,
    )
    .await;
    let refused = match outcome {
        Ok(()) => {
            return Ok(crate::routes::matching::notice_redirect_to(
                &format!("/concerns/{id}"),
                crate::flash::Fixed::ConcernOutcomeRecorded,
                "",
            ));
        }
        Err(AppError::Invalid(problems)) => Refused::new("outcome", &problems, pairs),
        Err(AppError::Conflict(message)) => Refused {
            form: "outcome".to_owned(),
            errors: vec![FieldError {
                field: "outcome".to_owned(),
                message: crate::routes::people::capitalise(&message),
            }],
            kept: pairs,
        },
        Err(other) => return Err(other.into()),
    };
    let page = concern_view(&state, &signed_in, id, Some(&refused), None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The answer to a form on the staff relationship page: back to it with the notice `outcome`
/// carries, or the page again with the form's error at its field and what was typed kept.
async fn staff_answer(
    state: &WebState,
    signed_in: &SignedIn,
    key: &str,
    id: MatchId,
    (form, kept): (&str, Pairs),
    outcome: Result<crate::flash::Flash, AppError>,
) -> Result<Response, WebError> {
    let refused = match outcome {
        Ok(notice) => {
            return Ok(crate::routes::matching::notice_redirect_to(
                &format!("/schemes/{key}/relationships/{id}"),
                notice,
                "",
            ));
        }
        Err(AppError::Invalid(problems)) => Refused::new(form, &problems, kept),
        Err(AppError::Conflict(message)) => Refused {
            form: form.to_owned(),
            errors: vec![FieldError {
                field: form.to_owned(),
                message: crate::routes::people::capitalise(&message),
            }],
            kept,
        },
        Err(other) => return Err(other.into()),
    };
    let page = staff_page(state, signed_in, id, Some(&refused), None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `POST /schemes/{key}/relationships/{id}/keep-open`: a coordinator keeps a relationship
/// proposed for closure open, with the reason.
pub(crate) async fn keep_open(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((key, id)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = crate::routes::matching::key_of(&key)?.to_string();
    let id = MatchId(id_of(&id)?);
    let outcome = tandem_app::reminders::keep_open(
        &state.app,
        &signed_in.session.actor,
        id,
        value(&pairs, "reason"),
    )
    .await;
    staff_answer(
        &state,
        &signed_in,
        &key,
        id,
        ("keep", pairs),
        outcome.map(|()| crate::flash::Fixed::KeptOpen.into()),
    )
    .await
}

/// A relationship on the needs-attention list.
pub(crate) struct AttentionRow {
    id: String,
    mentee: String,
    mentor: String,
    state: &'static str,
    last: String,
    why: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "attention.html")]
pub(crate) struct AttentionPage {
    chrome: Chrome,
    scheme_name: String,
    scheme_key: String,
    rows: Vec<AttentionRow>,
    /// A mentor support group to schedule, in words, when one is due (R4.3).
    support_group: Option<String>,
    /// People whose training has run out: name, role, completed on, refresher due on.
    run_out: Vec<(String, &'static str, String, String)>,
}

/// `GET /schemes/{key}/attention`: the relationships that need a coordinator now.
pub(crate) async fn attention(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
) -> Result<AttentionPage, WebError> {
    let key = crate::routes::matching::key_of(&key)?;
    let session = &signed_in.session;
    let (scheme, found) = tandem_app::reminders::needs_attention(
        &state.app,
        &session.actor,
        session.organisation.id,
        &key,
    )
    .await?;
    let support_group = support_group_words(
        tandem_app::support_groups::due(&state.app, &session.actor, session.organisation.id, &key)
            .await?,
    );
    let run_out =
        tandem_app::refreshers::run_out(&state.app, &session.actor, session.organisation.id, &key)
            .await?
            .into_iter()
            .map(|it| {
                (
                    it.person.record.full_name(),
                    it.role.as_str(),
                    it.completed.to_string(),
                    it.due.to_string(),
                )
            })
            .collect();
    let zone = session.organisation.time_zone.as_str();
    let rows = found
        .iter()
        .map(|item| {
            let mut why: Vec<String> = item
                .nudges
                .iter()
                .map(|it| capitalise_words(it.describe()))
                .collect();
            if item.open_flags > 0 {
                why.push("Flagged: a suitability decision is needed".to_owned());
            }
            for party in &item.departed {
                why.push(format!("The {} is no longer serving", party.words()));
            }
            if !item.risks.is_empty() {
                let reasons: Vec<&str> = item.risks.iter().map(|it| it.describe()).collect();
                why.push(format!("At risk: {}", reasons.join(", ")));
            }
            AttentionRow {
                id: item.pair.id.to_string(),
                mentee: item.mentee.record.full_name(),
                mentor: item.mentor.record.full_name(),
                state: item.pair.status.describe(),
                last: item.last_held.map(|it| local(it, zone)).unwrap_or_default(),
                why: why.join("; "),
            }
        })
        .collect();
    Ok(AttentionPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        scheme_name: scheme.definition.name.clone(),
        scheme_key: key.to_string(),
        rows,
        support_group,
        run_out,
    })
}

/// Where a scheme's mentor support groups stand, in words, when the coordinators must act.
pub(crate) fn support_group_words(
    due: Option<(tandem_core::training::SupportGroupDue, time::Date)>,
) -> Option<String> {
    use tandem_core::training::SupportGroupDue;
    due.map(|(state, on)| match state {
        SupportGroupDue::DueSoon => {
            format!("A mentor support group is due by {on} and none is scheduled.")
        }
        SupportGroupDue::Overdue => {
            format!("A mentor support group was due by {on} and none is scheduled.")
        }
    })
}
