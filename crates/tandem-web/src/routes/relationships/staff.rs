//! A scheme's relationships for its coordinators and champions: state, dates and meetings,
//! filtered by state and division, and as CSV; never what a pair wrote.

use crate::chrome::Chrome;
use crate::query::Query;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use tandem_app::relationships;
use tandem_core::pairing::MatchStatus;

/// A row of the staff list.
pub(crate) struct StaffRow {
    id: String,
    mentee: String,
    mentor: String,
    state: &'static str,
    started: String,
    ends: String,
    held: i64,
    last: String,
    next: String,
    needs: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "scheme_relationships.html")]
pub(crate) struct SchemeRelationshipsPage {
    chrome: Chrome,
    scheme_name: String,
    scheme_key: String,
    states: Vec<(&'static str, &'static str, bool)>,
    divisions: Vec<(String, bool)>,
    rows: Vec<StaffRow>,
    /// Relationships matching the filter, on every page.
    total: u32,
    /// "Page 2 of 7", when there is more than one.
    page_of: Option<String>,
    previous: Option<String>,
    next: Option<String>,
    /// Concerns raised go to the scheme's coordinators alone: the link is theirs.
    may_read_concerns: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct StaffQuery {
    state: Option<String>,
    division: Option<String>,
    page: Option<u32>,
}

/// `GET /schemes/{key}/relationships`: the scheme's relationships for its coordinators and
/// champions: state, dates and meetings, never content.
pub(crate) async fn of_scheme(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    Query(query): Query<StaffQuery>,
) -> Result<SchemeRelationshipsPage, WebError> {
    let key = crate::routes::matching::key_of(&key)?;
    let session = &signed_in.session;
    let wanted_state = query.state.as_deref().and_then(MatchStatus::parse);
    let wanted_division = query.division.filter(|it| !it.trim().is_empty());
    let filter = relationships::RelationshipFilter {
        state: wanted_state,
        division: wanted_division.clone(),
    };
    let found = relationships::of_scheme(
        &state.app,
        &session.actor,
        session.organisation.id,
        &key,
        &filter,
        query.page.unwrap_or(1),
    )
    .await?;
    let zone = session.organisation.time_zone.as_str();
    let day = |at: Option<time::OffsetDateTime>| {
        at.map(|it| {
            tandem_core::local_time::to_local(it, zone)
                .date()
                .to_string()
        })
        .unwrap_or_default()
    };
    let rows = found
        .rows
        .iter()
        .map(|row| {
            let life = &row.pair.life;
            let mut needs = Vec::new();
            if row.open_flags > 0 {
                needs.push("Flagged: a suitability decision is needed".to_owned());
            }
            if row.review_due {
                needs.push("Progress review due".to_owned());
            }
            if let Some(hold) = life.hold {
                needs.push(format!("On hold: {}", hold.reason.describe()));
            }
            StaffRow {
                id: row.pair.id.to_string(),
                mentee: row.mentee.record.full_name(),
                mentor: row.mentor.record.full_name(),
                state: row.pair.status.describe(),
                started: life.started_on.map(|it| it.to_string()).unwrap_or_default(),
                ends: life.ends_on.map(|it| it.to_string()).unwrap_or_default(),
                held: row.held,
                last: day(row.last_held),
                next: day(row.next_booked),
                needs: needs.join("; "),
            }
        })
        .collect();
    let link = |page: u32| {
        let page = page.to_string();
        let mut pairs = vec![("page", page.as_str())];
        if let Some(state) = wanted_state {
            pairs.push(("state", state.as_str()));
        }
        if let Some(division) = &wanted_division {
            pairs.push(("division", division.as_str()));
        }
        format!(
            "/schemes/{key}/relationships?{}",
            crate::routes::matching::query_of(&pairs)
        )
    };
    let (page, pages) = (found.page, found.pages);
    let may_read_concerns = tandem_core::authz::authorize(
        &session.actor,
        &tandem_core::authz::Action::HandleConcerns(tandem_core::authz::ApplicationScope {
            organisation: found.scheme.organisation,
            scheme: found.scheme.id,
            division: None,
        }),
    )
    .is_ok();
    Ok(SchemeRelationshipsPage {
        may_read_concerns,
        total: found.total,
        page_of: (pages > 1).then(|| format!("Page {page} of {pages}")),
        previous: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        scheme_name: found.scheme.definition.name.clone(),
        scheme_key: key.to_string(),
        states: MatchStatus::ALL
            .iter()
            .filter(|it| !matches!(it, MatchStatus::Proposed | MatchStatus::Requested))
            .map(|it| (it.as_str(), it.describe(), Some(*it) == wanted_state))
            .collect(),
        divisions: found
            .divisions
            .iter()
            .map(|it| (it.clone(), Some(it) == wanted_division.as_ref()))
            .collect(),
        rows,
    })
}

/// `GET /schemes/{key}/relationships.csv`: the same as CSV, with the marking.
pub(crate) async fn of_scheme_csv(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
) -> Result<Response, WebError> {
    let key = crate::routes::matching::key_of(&key)?;
    let session = &signed_in.session;
    let csv = relationships::export_csv(
        &state.app,
        &session.actor,
        &session.organisation.code,
        Some(&key),
    )
    .await?;
    Ok(crate::routes::csv_download(
        &session.organisation.code,
        &key,
        "relationships",
        csv,
    ))
}
