//! The audit log viewer: who did what to which record, and when.

use crate::chrome::Chrome;
use crate::query::Query;
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;
use tandem_app::AuditSearch;
use tandem_app::audit_log;
use tandem_core::domain::StaffNumber;
use time::macros::format_description;
use time::{Date, PrimitiveDateTime, Time};
use uuid::Uuid;

const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AuditQuery {
    /// The person the entries are about (their id, as person pages link it).
    #[serde(default)]
    person: String,
    /// The staff number of whoever acted.
    #[serde(default)]
    actor: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    page: Option<i64>,
}

struct Line {
    at: String,
    actor: String,
    action: String,
    subject: Option<(String, String)>,
    detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub(crate) struct AuditPage {
    chrome: Chrome,
    organisation: String,
    query_person: String,
    query_actor: String,
    query_from: String,
    query_to: String,
    errors: Vec<FieldError>,
    lines: Vec<Line>,
    total: i64,
    next: Option<String>,
    previous: Option<String>,
}

fn parse_day(raw: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    Date::parse(raw, format_description!("[year]-[month]-[day]"))
        .map_err(|_| {
            errors.push(FieldError {
                field: field.to_owned(),
                message: format!(
                    "Enter the date as YYYY-MM-DD, for example 2026-11-23 (not '{raw}')"
                ),
            })
        })
        .ok()
}

/// A stored value of an entry's detail as a person reads it: a staff role by its name, a code's
/// words without underscores.
fn value_words(text: &str) -> String {
    tandem_core::authz::StaffRole::parse(text)
        .map_or_else(|| text.replace('_', " "), |role| role.words().to_owned())
}

/// An entry's detail in words. Identifiers are left out: the entry names whom it is about, and
/// an id tells a reader nothing.
fn detail_words(detail: &serde_json::Value) -> String {
    let Some(object) = detail.as_object() else {
        return String::new();
    };
    object
        .iter()
        .filter(|(_, value)| !value.is_null() && value.as_str() != Some(""))
        .filter(|(_, value)| {
            value
                .as_str()
                .is_none_or(|text| Uuid::parse_str(text).is_err())
        })
        .map(|(key, value)| {
            let value = match value {
                serde_json::Value::String(text) => value_words(text),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|it| it.as_str().map_or_else(|| it.to_string(), value_words))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            format!("{}: {value}", key.replace('_', " "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `GET /audit`: the organisation's audit log, newest first, filtered by person, actor and dates.
pub(crate) async fn get(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<AuditQuery>,
) -> Result<AuditPage, WebError> {
    let SignedIn { session, visitor } = signed_in;
    let mut errors = Vec::new();
    let subject = match query.person.trim() {
        "" => None,
        raw => match Uuid::parse_str(raw) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError {
                    field: "person".to_owned(),
                    message: "That is not a person's reference; follow the link from their page"
                        .to_owned(),
                });
                None
            }
        },
    };
    let actor = match query.actor.trim() {
        "" => None,
        raw => match StaffNumber::parse(raw) {
            Ok(number) => {
                match audit_log::actor_label(
                    &state.app,
                    &session.actor,
                    session.organisation.id,
                    &number,
                )
                .await?
                {
                    Some(label) => Some(label),
                    None => {
                        errors.push(FieldError {
                            field: "actor".to_owned(),
                            message: format!(
                                "Nobody in {} has staff number {number}",
                                session.organisation.name
                            ),
                        });
                        None
                    }
                }
            }
            Err(err) => {
                errors.push(FieldError {
                    field: "actor".to_owned(),
                    message: format!("The staff number {err}"),
                });
                None
            }
        },
    };
    let from = parse_day(&query.from, "from", &mut errors)
        .map(|day| PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_utc());
    let to = parse_day(&query.to, "to", &mut errors).map(|day| {
        PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_utc() + time::Duration::days(1)
    });
    let page = query.page.unwrap_or(1).max(1);
    let search = AuditSearch {
        organisation: None,
        subject,
        actor,
        from,
        to,
        limit: PAGE_SIZE,
        offset: (page - 1).saturating_mul(PAGE_SIZE),
    };
    let (lines, total) = if errors.is_empty() {
        audit_log::search(
            &state.app,
            &session.actor,
            Some(session.organisation.id),
            search.clone(),
        )
        .await?
    } else {
        (Vec::new(), 0)
    };
    let link = |page: i64| {
        let pairs = [
            ("person", query.person.as_str()),
            ("actor", query.actor.as_str()),
            ("from", query.from.as_str()),
            ("to", query.to.as_str()),
        ];
        let kept: Vec<&(&str, &str)> = pairs
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .collect();
        let mut encoded = serde_urlencoded::to_string(kept).unwrap_or_default();
        if !encoded.is_empty() {
            encoded.push('&');
        }
        format!("/audit?{encoded}page={page}")
    };
    let shown = i64::try_from(lines.len()).unwrap_or(i64::MAX);
    Ok(AuditPage {
        chrome: Chrome::new(&visitor, Some(&session), "/audit"),
        organisation: session.organisation.name.clone(),
        query_person: query.person.clone(),
        query_actor: query.actor.clone(),
        query_from: query.from.clone(),
        query_to: query.to.clone(),
        errors,
        next: (search.offset + shown < total).then(|| link(page + 1)),
        previous: (page > 1).then(|| link(page - 1)),
        total,
        lines: lines
            .into_iter()
            .map(|line| Line {
                at: format!(
                    "{} {:02}:{:02} UTC",
                    line.record.at.date(),
                    line.record.at.hour(),
                    line.record.at.minute()
                ),
                actor: line.actor,
                action: line.record.action.words().to_owned(),
                subject: line.subject_person.map(|(id, name)| (id.to_string(), name)),
                detail: detail_words(&line.record.detail),
            })
            .collect(),
    })
}
