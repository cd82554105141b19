//! The signed-in person's inbox (R9.1) and how they are emailed (R9.2).

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::form::{Pairs, value};
use crate::query::Query;
use crate::routes::sign_in::FieldError;
use crate::routes::training::local;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tandem_app::{AppError, notify};
use tandem_core::notice::DeliveryMode;

/// A notification as the inbox lists it.
pub(crate) struct NoticeRow {
    id: String,
    subject: String,
    body: String,
    when: String,
    unread: bool,
    opens: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "inbox.html")]
pub(crate) struct InboxPage {
    chrome: Chrome,
    rows: Vec<NoticeRow>,
    total: i64,
    unread: i64,
    notice: Option<String>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct InboxQuery {
    page: Option<u32>,
}

/// `GET /inbox`: everything the product told the person, newest first.
pub(crate) async fn page(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<InboxQuery>,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> Result<InboxPage, WebError> {
    let session = &signed_in.session;
    let page = query.page.unwrap_or(1).max(1);
    let inbox = notify::inbox(&state.app, &session.actor, page).await?;
    let zone = session.organisation.time_zone.as_str();
    let rows = inbox
        .notices
        .iter()
        .map(|it| NoticeRow {
            id: it.id.to_string(),
            subject: it.subject.clone(),
            body: it.body.clone(),
            when: local(it.created_at, zone),
            unread: it.read_at.is_none(),
            opens: it.link.is_some(),
        })
        .collect();
    let pages = u32::try_from((inbox.total + notify::INBOX_PAGE - 1) / notify::INBOX_PAGE)
        .unwrap_or(1)
        .max(1);
    Ok(InboxPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/inbox"),
        rows,
        total: inbox.total,
        unread: inbox.unread,
        notice,
        previous: (page > 1).then(|| format!("/inbox?page={}", page - 1)),
        next: (page < pages).then(|| format!("/inbox?page={}", page + 1)),
    })
}

/// `GET /inbox/{id}`: opens a notification: marks it read and goes to its page.
pub(crate) async fn open(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| WebError::NotFound)?;
    let link = notify::open(&state.app, &signed_in.session.actor, id).await?;
    // Only ever a path on this site: a stored link is turned into its path, keeping the query
    // and the place on the page (`#check-in`); `redirect::to` checks it stays here.
    let path = link
        .as_deref()
        .and_then(|it| url::Url::parse(it).ok())
        .map_or_else(
            || "/inbox".to_owned(),
            |url| url[url::Position::BeforePath..].to_owned(),
        );
    Ok(crate::redirect::to(&path))
}

/// `POST /inbox/read`: marks every notification read.
pub(crate) async fn read_all(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(_pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    notify::mark_all_read(&state.app, &signed_in.session.actor).await?;
    Ok(crate::routes::matching::notice_redirect(
        "/inbox",
        crate::flash::Fixed::AllRead,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "notification_settings.html")]
pub(crate) struct SettingsPage {
    chrome: Chrome,
    modes: Vec<(&'static str, &'static str, bool)>,
    notice: Option<String>,
    errors: Vec<FieldError>,
}

fn settings_page(
    signed_in: &SignedIn,
    chosen: Option<DeliveryMode>,
    notice: Option<String>,
    errors: Vec<FieldError>,
) -> SettingsPage {
    SettingsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/account"),
        modes: DeliveryMode::ALL
            .iter()
            .map(|it| (it.as_str(), mode_label(*it), Some(*it) == chosen))
            .collect(),
        notice,
        errors,
    }
}

fn mode_label(mode: DeliveryMode) -> &'static str {
    match mode {
        DeliveryMode::Immediate => "Each email as it happens",
        DeliveryMode::Daily => "One email a day with the day's notifications",
        DeliveryMode::Weekly => "One email a week with the week's notifications",
    }
}

/// `GET /account/notifications`: how the person is emailed.
pub(crate) async fn settings(
    State(state): State<WebState>,
    signed_in: SignedIn,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> Result<SettingsPage, WebError> {
    let mode = notify::mode(&state.app, &signed_in.session.actor).await?;
    Ok(settings_page(&signed_in, Some(mode), notice, Vec::new()))
}

/// `POST /account/notifications`: records the person's choice.
pub(crate) async fn save_settings(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    match notify::set_mode(&state.app, &signed_in.session.actor, value(&pairs, "mode")).await {
        Ok(_) => Ok(crate::routes::matching::notice_redirect(
            "/account/notifications",
            crate::flash::Fixed::NotificationChoiceSaved,
        )),
        Err(AppError::Invalid(problems)) => {
            let errors = FieldError::from_problems(&problems)
                .into_iter()
                .map(|it| FieldError {
                    field: "mode-immediate".to_owned(),
                    ..it
                })
                .collect();
            let page = settings_page(&signed_in, None, None, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
