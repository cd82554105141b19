//! The parts of the relationship's page that look after it beside the pair's own content:
//! extending the end date (R6.4), flags raised by role changes and the pair's declaration
//! (R6.5), concerns raised with the coordinator (R8.2), reasonable adjustments (R8.5) and
//! ending early to be matched again (R6.3); and the forms they post.

use super::{answer, id_of};
use crate::csrf::CsrfForm;
use crate::flash::Fixed;
use crate::form::{Pairs, value};
use crate::form_kit::{FieldKind, Fields, FormView, Refused, button, secondary};
use crate::routes::training::local;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use tandem_app::relationships::{self, ExtensionAnswer, RelationshipPage};
use tandem_core::MatchId;
use tandem_core::adjustment::Adjustments;
use tandem_core::pairing::MatchStatus;
use tandem_core::pulse::{Pulse, Score};
use tandem_core::relationship::{ConcernKind, ExtensionStatus, FlagOutcome};

/// A proposed extension waiting for an answer.
pub(crate) struct WaitingExtension {
    pub(crate) id: String,
    pub(crate) ends_on: String,
    pub(crate) previous: String,
    /// The member looking proposed it.
    pub(crate) mine: bool,
    pub(crate) proposer: String,
}

/// A flag as the pair sees it.
pub(crate) struct FlagRow {
    pub(crate) kind: &'static str,
    pub(crate) raised: String,
    pub(crate) outcome: Option<String>,
    pub(crate) declaration: Option<FormView>,
}

/// The pulse check-in (R11.1): the form while the open round is unanswered, then the answer.
pub(crate) struct CheckInView {
    pub(crate) form: Option<FormView>,
    /// The member's answer to the open round, in words.
    pub(crate) answered: Option<String>,
    /// Earlier answers, in words.
    pub(crate) history: Vec<String>,
}

/// The care sections of the relationship's page.
pub(crate) struct CareView {
    pub(crate) check_in: Option<CheckInView>,
    pub(crate) extension: Option<FormView>,
    /// Why the end date cannot be extended now, when it cannot.
    pub(crate) extension_note: Option<String>,
    pub(crate) waiting: Option<WaitingExtension>,
    /// Earlier extensions, in words.
    pub(crate) extension_history: Vec<String>,
    pub(crate) flags: Vec<FlagRow>,
    /// "Declare an interview panel" is offered.
    pub(crate) panel: bool,
    pub(crate) concern: Option<FormView>,
    /// The concern form was refused: its details open.
    pub(crate) concern_open: bool,
    /// The member's own concerns, in words.
    pub(crate) concerns: Vec<String>,
    /// The partner's shared adjustments, in words.
    pub(crate) partner_adjustments: Vec<String>,
    /// The member has recorded adjustments.
    pub(crate) has_adjustments: bool,
    /// The relationship may be ended early (on its check page).
    pub(crate) end: bool,
    /// The relationship is on hold: ending it can put the mentee back on the list.
    pub(crate) on_hold: bool,
}

fn adjustment_words(adjustments: &Adjustments) -> Vec<String> {
    let mut out = Vec::new();
    if adjustments.remote_meetings {
        out.push("Meetings may be remote (video or phone), the first one included.".to_owned());
    }
    if adjustments.no_travel {
        out.push("Cannot travel to meet: on their own site, or remotely.".to_owned());
    }
    if !adjustments.other.is_empty() {
        out.push(adjustments.other.clone());
    }
    out
}

pub(super) fn view(page: &RelationshipPage, refused: Option<&Refused>) -> CareView {
    let relationship = &page.relationship;
    let pair = &relationship.pair;
    let id = pair.id;
    let zone = relationship.organisation.time_zone.as_str();
    let me = relationship.me().id;
    let live = pair.status.holds_place();
    let policy = &relationship.scheme.definition.policy;
    let waiting = page
        .extensions
        .iter()
        .find(|it| it.status == ExtensionStatus::Proposed)
        .map(|it| WaitingExtension {
            id: it.id.to_string(),
            ends_on: it.ends_on.to_string(),
            previous: it.previous_ends_on.to_string(),
            mine: it.proposed_by == me,
            proposer: if it.proposed_by == relationship.mentor.id {
                relationship.mentor.record.full_name()
            } else {
                relationship.mentee.record.full_name()
            },
        });
    let extension_note = match pair.life.ends_on {
        _ if !live => None,
        Some(ends) if !policy.extension_allowed => Some(format!(
            "This scheme does not allow extensions: the relationship ends on {ends}. Plan your last sessions and your end-of-mentoring review before then."
        )),
        None => match (policy.duration_months.max, policy.extension_allowed) {
            (Some(months), false) => Some(format!(
                "Relationships in this scheme run for up to {months} months from when you both go on, and cannot be extended."
            )),
            (Some(months), true) => Some(format!(
                "Relationships in this scheme run for up to {months} months from when you both go on; you can agree an extension later."
            )),
            (None, _) => None,
        },
        Some(_) if !page.may_extend => Some(
            "The end date can be extended while the relationship is active or on hold.".to_owned(),
        ),
        Some(_) => None,
    };
    let extension = (page.may_extend && waiting.is_none()).then(|| FormView {
        id: "extension".to_owned(),
        action: format!("/relationships/{id}/extensions"),
        legend: Some("Propose a later end date".to_owned()),
        hidden: Vec::new(),
        fields: Fields::of("extension", refused)
            .add(
                "ends_on",
                "New end date",
                Some("Your partner is asked to agree; nothing changes until they do"),
                FieldKind::Date,
                "",
            )
            .done(),
        buttons: vec![secondary("Propose the extension")],
    });
    let extension_history = page
        .extensions
        .iter()
        .filter(|it| it.status != ExtensionStatus::Proposed)
        .map(|it| {
            format!(
                "An extension from {} to {}, proposed on {}: {}.",
                it.previous_ends_on,
                it.ends_on,
                local(it.proposed_at, zone),
                it.status.describe()
            )
        })
        .collect();
    let flags = page
        .flags
        .iter()
        .map(|flag| {
            let form_id = format!("declaration-{}", flag.id);
            FlagRow {
                kind: flag.kind.describe(),
                raised: local(flag.raised_at, zone),
                outcome: flag.settled.as_ref().map(|settled| {
                    let what = match settled.outcome {
                        FlagOutcome::Continue => "The coordinator decided it may continue",
                        FlagOutcome::End => "The coordinator ended the relationship",
                        FlagOutcome::Declared => "You declared the conflict of interest",
                    };
                    format!("{what} on {}: {}", local(settled.at, zone), settled.reason)
                }),
                declaration: (flag.is_open() && live).then(|| FormView {
                    id: form_id.clone(),
                    action: format!("/relationships/{id}/flags/{}/declaration", flag.id),
                    legend: None,
                    hidden: Vec::new(),
                    fields: Fields::of(form_id.clone(), refused)
                        .add(
                            "declaration",
                            "Your conflict-of-interest declaration",
                            Some("What the conflict is and how you will keep it apart from the mentoring; the coordinator and your partner read it"),
                            FieldKind::TextArea,
                            "",
                        )
                        .done(),
                    buttons: vec![secondary("Record the declaration")],
                }),
            }
        })
        .collect();
    let concern = (pair.status != MatchStatus::Requested).then(|| FormView {
        id: "concern".to_owned(),
        action: format!("/relationships/{id}/concerns"),
        legend: None,
        hidden: Vec::new(),
        fields: Fields::of("concern", refused)
            .add(
                "kind",
                "What the concern is about",
                None,
                FieldKind::Radios(
                    ConcernKind::ALL
                        .iter()
                        .map(|it| (it.as_str(), concern_label(*it)))
                        .collect(),
                ),
                "",
            )
            .add(
                "text",
                "What the coordinator needs to know",
                Some("Only what you write here reaches the coordinator; your notes stay private and your partner is not told"),
                FieldKind::TextArea,
                "",
            )
            .done(),
        buttons: vec![secondary("Send the concern to the coordinator")],
    });
    let concerns = page
        .own_concerns
        .iter()
        .map(|it| {
            format!(
                "You raised a concern about {} on {}: {}.",
                it.kind.describe(),
                local(it.raised_at, zone),
                match &it.outcome {
                    Some(outcome) => format!(
                        "the coordinator recorded what was done on {}",
                        local(outcome.recorded_at, zone)
                    ),
                    None => "the coordinator has it".to_owned(),
                }
            )
        })
        .collect();
    // Ending is a page of its own: the check page says what ends before anything does.
    let end = pair.status.holds_place();
    CareView {
        check_in: check_in(page, refused),
        extension,
        extension_note,
        waiting,
        extension_history,
        flags,
        panel: live && !page.flags.iter().any(|it| it.is_open()),
        concern,
        concern_open: refused.is_some_and(|it| it.form == "concern"),
        concerns,
        partner_adjustments: page
            .partner_adjustments
            .as_ref()
            .map(adjustment_words)
            .unwrap_or_default(),
        has_adjustments: page.own_adjustments.as_ref().is_some_and(Adjustments::any),
        end,
        on_hold: pair.status == MatchStatus::OnHold,
    }
}

fn pulse_words(pulse: &Pulse, zone: &str) -> String {
    let comment = match (pulse.comment.is_empty(), pulse.shared) {
        (true, _) => "no comment",
        (false, true) => "your comment is shared with the coordinator",
        (false, false) => "your comment is private to you",
    };
    format!(
        "Check-in {} on {}: you scored {}; {comment}.",
        pulse.round,
        local(pulse.answered_at, zone),
        pulse.score.describe()
    )
}

fn check_in(page: &RelationshipPage, refused: Option<&Refused>) -> Option<CheckInView> {
    let zone = page.relationship.organisation.time_zone.as_str();
    let open = page.check_in.as_ref();
    let history: Vec<String> = page
        .own_pulses
        .iter()
        .filter(|it| open.is_none_or(|open| open.round != it.round))
        .rev()
        .map(|it| pulse_words(it, zone))
        .collect();
    if open.is_none() && history.is_empty() {
        return None;
    }
    let form = open.filter(|it| it.answered.is_none()).map(|open| FormView {
        id: "check-in".to_owned(),
        action: format!("/relationships/{}/check-ins", page.relationship.pair.id),
        legend: None,
        hidden: vec![("round", open.round.to_string())],
        fields: Fields::of("check-in", refused)
            .add(
                "score",
                "How is your mentoring going?",
                Some("The coordinators see your score, never your partner's comments or yours unless you share them"),
                FieldKind::Radios(
                    Score::all()
                        .map(|it| (SCORE_VALUES[usize::from(it.get() - 1)], it.describe()))
                        .collect(),
                ),
                "",
            )
            .add(
                "comment",
                "Anything you want to add (optional)",
                Some("Private to you unless you choose to share it below; your partner never sees it"),
                FieldKind::TextArea,
                "",
            )
            .add(
                "share",
                "May the coordinator read your comment?",
                None,
                FieldKind::Radios(vec![
                    ("no", "No, keep it private"),
                    ("yes", "Yes, share it with the coordinator"),
                ]),
                "no",
            )
            .done(),
        buttons: vec![button("Send your check-in")],
    });
    Some(CheckInView {
        form,
        answered: open
            .and_then(|it| it.answered.as_ref())
            .map(|it| pulse_words(it, zone)),
        history,
    })
}

/// The score radios' values: `FieldKind::Radios` takes static strings.
const SCORE_VALUES: [&str; 5] = ["1", "2", "3", "4", "5"];

fn concern_label(kind: ConcernKind) -> &'static str {
    match kind {
        ConcernKind::RiskOfHarm => "A risk of harm to someone",
        ConcernKind::BreachOfPolicy => "A breach of policy or of the Code of Ethics",
        ConcernKind::IllegalActivity => "Illegal activity",
    }
}

/// `POST /relationships/{id}/extensions`: a member proposes a later end date.
pub(crate) async fn propose_extension(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(mut pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let dates = crate::date_input::Folded::of(&mut pairs, &[("ends_on", "the new end date")]);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = dates.apply(
        relationships::propose_extension(
            &state.app,
            &signed_in.session.actor,
            id,
            value(&pairs, "ends_on"),
            &url,
        )
        .await,
    );
    answer(
        &state,
        &signed_in,
        id,
        "extension",
        pairs,
        outcome,
        (Fixed::ExtensionProposed, "duration"),
    )
    .await
}

/// `POST /relationships/{id}/extensions/{extension}`: the partner agrees or declines, or the
/// proposer takes it back.
pub(crate) async fn answer_extension(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path((id, extension)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let extension = id_of(&extension)?;
    let url = crate::routes::password::public_url(&state, &headers);
    let choice = match value(&pairs, "answer") {
        "agree" => Some(ExtensionAnswer::Agree),
        "decline" => Some(ExtensionAnswer::Decline),
        "take_back" => Some(ExtensionAnswer::TakeBack),
        _ => None,
    };
    let outcome = match choice {
        Some(choice) => {
            relationships::answer_extension(
                &state.app,
                &signed_in.session.actor,
                id,
                extension,
                choice,
                &url,
            )
            .await
        }
        None => Err(tandem_app::AppError::Conflict(
            "choose whether you agree to the new end date".to_owned(),
        )),
    };
    let done = match &outcome {
        Ok(ExtensionStatus::Agreed) => Fixed::ExtensionAgreed,
        Ok(ExtensionStatus::Declined) => Fixed::ExtensionDeclined,
        _ => Fixed::ExtensionTakenBack,
    };
    answer(
        &state,
        &signed_in,
        id,
        "extension-answer",
        pairs,
        outcome,
        (done, "duration"),
    )
    .await
}

/// `POST /relationships/{id}/interview-panel`: a member declares that the mentor sits on an
/// interview panel where the mentee is a candidate.
pub(crate) async fn interview_panel(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome =
        relationships::declare_interview_panel(&state.app, &signed_in.session.actor, id, &url)
            .await;
    answer(
        &state,
        &signed_in,
        id,
        "panel",
        pairs,
        outcome,
        (Fixed::PanelFlagged, "conflicts"),
    )
    .await
}

/// `POST /relationships/{id}/flags/{flag}/declaration`: the pair declares the conflict of
/// interest and how they will manage it.
pub(crate) async fn declaration(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path((id, flag)): Path<(String, String)>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let flag = id_of(&flag)?;
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = relationships::declare_conflict(
        &state.app,
        &signed_in.session.actor,
        id,
        flag,
        value(&pairs, "declaration"),
        &url,
    )
    .await;
    answer(
        &state,
        &signed_in,
        id,
        &format!("declaration-{flag}"),
        pairs,
        outcome,
        (Fixed::DeclarationRecorded, "conflicts"),
    )
    .await
}

/// `POST /relationships/{id}/concerns`: a member raises a concern with the coordinator.
pub(crate) async fn raise_concern(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let url = crate::routes::password::public_url(&state, &headers);
    let outcome = relationships::raise_concern(
        &state.app,
        &signed_in.session.actor,
        id,
        value(&pairs, "kind"),
        value(&pairs, "text"),
        &url,
    )
    .await;
    answer(
        &state,
        &signed_in,
        id,
        "concern",
        pairs,
        outcome,
        (Fixed::ConcernRaised, "concerns"),
    )
    .await
}

/// `POST /relationships/{id}/check-ins`: a member answers the pulse check-in open now.
pub(crate) async fn check_in_answer(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    let outcome = relationships::answer_pulse(
        &state.app,
        &signed_in.session.actor,
        id,
        value(&pairs, "round"),
        value(&pairs, "score"),
        value(&pairs, "comment"),
        value(&pairs, "share"),
    )
    .await;
    answer(
        &state,
        &signed_in,
        id,
        "check-in",
        pairs,
        outcome,
        (Fixed::CheckInRecorded, "check-in"),
    )
    .await
}
