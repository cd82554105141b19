//! A scheme's relationships as its coordinators and champions see them (R6, R8.1): state,
//! dates and counts of meetings, filtered to what the actor may reach, never what a pair wrote.
//! Every read is audited.

use crate::{App, AppError, audit};
use std::collections::HashMap;
use tandem_core::audit::AuditAction;
use tandem_core::authz::{self, Actor, Denied, Reach};
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::hr::ExistingPerson;
use tandem_core::pairing::{Match, MatchStatus};
use tandem_core::programme::Scheme;
use tandem_core::spreadsheet::{CsvWriter, Kind};
use tandem_core::{OrganisationId, PersonId, relationship};
use tandem_store::Tx;
use time::OffsetDateTime;

/// One relationship on the staff list.
#[derive(Debug, Clone)]
pub struct RelationshipRow {
    /// The pair: state and dates.
    pub pair: Match,
    /// The mentor's record.
    pub mentor: ExistingPerson,
    /// The mentee's record.
    pub mentee: ExistingPerson,
    /// Meetings held.
    pub held: i64,
    /// When the last meeting was held.
    pub last_held: Option<OffsetDateTime>,
    /// The next booked meeting.
    pub next_booked: Option<OffsetDateTime>,
    /// A progress review is due.
    pub review_due: bool,
    /// Flags (R6.5) waiting for a decision.
    pub open_flags: i64,
}

/// What the list shows.
#[derive(Debug, Clone, Default)]
pub struct RelationshipFilter {
    /// Only this state.
    pub state: Option<MatchStatus>,
    /// Only mentees of this division.
    pub division: Option<String>,
}

/// A scheme's relationships for its staff.
#[derive(Debug, Clone)]
pub struct SchemeRelationships {
    /// The scheme.
    pub scheme: Scheme,
    /// The rows, oldest confirmation first.
    pub rows: Vec<RelationshipRow>,
    /// The divisions the actor may filter by (their reach's, or every division with a pair).
    pub divisions: Vec<String>,
    /// How many relationships match the filter in all.
    pub total: u32,
    /// The page shown, from 1.
    pub page: u32,
    /// How many pages there are.
    pub pages: u32,
}

fn division_of(person: &ExistingPerson) -> Option<&str> {
    person.record.department.as_ref().map(AsRef::as_ref)
}

/// The reach of `actor` over `scheme`'s relationships, refused when it is nothing.
fn reach_of(actor: &Actor, scheme: &Scheme) -> Result<Reach, AppError> {
    let reach = authz::reach(actor, scheme.organisation, scheme.id, false);
    if reach == Reach::Nothing {
        return Err(AppError::Denied(Denied {
            reason: "only the scheme's coordinators and champions can see its relationships"
                .to_owned(),
        }));
    }
    Ok(reach)
}

/// The organisation's date at `now`, for the rules that count days.
async fn today_of(
    tx: &mut Tx,
    scheme: &Scheme,
    now: OffsetDateTime,
) -> Result<time::Date, AppError> {
    let zone = tx
        .organisations()
        .await?
        .into_iter()
        .find(|it| it.id == scheme.organisation)
        .map(|it| it.time_zone)
        .unwrap_or_default();
    Ok(tandem_core::local_time::to_local(now, &zone).date())
}

/// Rows from summaries and the people they name (a summary whose people are missing is left
/// out); `keep` says which mentees the actor may see.
fn rows_of(
    scheme: &Scheme,
    summaries: Vec<tandem_store::RelationshipSummary>,
    people: &HashMap<PersonId, ExistingPerson>,
    today: time::Date,
    keep: impl Fn(&ExistingPerson) -> bool,
) -> Vec<RelationshipRow> {
    let policy = &scheme.definition.policy;
    let mut out = Vec::new();
    for summary in summaries {
        let (Some(mentor), Some(mentee)) = (
            people.get(&summary.pair.mentor),
            people.get(&summary.pair.mentee),
        ) else {
            continue;
        };
        if !keep(mentee) {
            continue;
        }
        let held = u32::try_from(summary.held).unwrap_or(u32::MAX);
        let last_review = summary.last_review_at.and_then(|it| u32::try_from(it).ok());
        out.push(RelationshipRow {
            review_due: summary.pair.status == MatchStatus::Active
                && relationship::progress_review_due(
                    policy,
                    held,
                    last_review,
                    summary.pair.life.ends_on,
                    today,
                ),
            mentor: mentor.clone(),
            mentee: mentee.clone(),
            held: summary.held,
            last_held: summary.last_held,
            next_booked: summary.next_booked,
            open_flags: summary.open_flags,
            pair: summary.pair,
        });
    }
    out
}

/// Every relationship of `scheme` the actor may see (for the CSV and the API).
async fn all_rows(
    tx: &mut Tx,
    actor: &Actor,
    scheme: &Scheme,
    now: OffsetDateTime,
) -> Result<Vec<RelationshipRow>, AppError> {
    let reach = reach_of(actor, scheme)?;
    let people: HashMap<PersonId, ExistingPerson> = tx
        .applicants_to_scheme(scheme.id)
        .await?
        .into_iter()
        .map(|it| (it.id, it))
        .collect();
    let today = today_of(tx, scheme, now).await?;
    let summaries = tx.relationship_summaries(scheme.id, now).await?;
    Ok(rows_of(scheme, summaries, &people, today, |mentee| {
        reach.divisions().is_none_or(|divisions| {
            division_of(mentee).is_some_and(|it| divisions.iter().any(|d| d == it))
        })
    }))
}

/// Rows on one page of the staff list.
pub const PAGE_ROWS: u32 = 100;

/// A scheme's relationships, one page at a time, as its coordinators (the whole scheme) and
/// champions (their division's mentees) may see them; the filters and the page are applied by
/// the database. The read is audited.
pub async fn of_scheme(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
    filter: &RelationshipFilter,
    page: u32,
) -> Result<SchemeRelationships, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    let reach = reach_of(actor, &scheme)?;
    let chosen: Option<Vec<String>> = match (reach.divisions(), &filter.division) {
        (None, None) => None,
        (None, Some(division)) => Some(vec![division.clone()]),
        (Some(divisions), None) => Some(divisions.to_vec()),
        (Some(divisions), Some(division)) => Some(
            divisions
                .iter()
                .filter(|it| *it == division)
                .cloned()
                .collect(),
        ),
    };
    let page = page.max(1);
    let (summaries, total) = tx
        .relationship_page(
            scheme.id,
            &tandem_store::SummaryQuery {
                state: filter.state,
                divisions: chosen.as_deref(),
                limit: i64::from(PAGE_ROWS),
                offset: i64::from(page - 1) * i64::from(PAGE_ROWS),
            },
            now,
        )
        .await?;
    let ids: Vec<PersonId> = summaries
        .iter()
        .flat_map(|it| [it.pair.mentor, it.pair.mentee])
        .collect();
    let people = tx.people_map(&ids).await?;
    let today = today_of(&mut tx, &scheme, now).await?;
    let rows = rows_of(&scheme, summaries, &people, today, |_| true);
    let divisions = match reach {
        Reach::Divisions(divisions) => divisions,
        _ => tx.relationship_divisions(scheme.id).await?,
    };
    tx.rollback().await?;
    // The list is read outside the write lock; only its audit entry is written.
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::RelationshipsViewed,
            Some(scheme.organisation),
            "scheme",
            Some(scheme.id.0),
            serde_json::json!({ "scheme": key.as_ref(), "rows": rows.len(), "page": page }),
        )],
    )
    .await?;
    let total = u32::try_from(total).unwrap_or(u32::MAX);
    Ok(SchemeRelationships {
        scheme,
        rows,
        divisions,
        total,
        page,
        pages: total.div_ceil(PAGE_ROWS).max(1),
    })
}

/// Every relationship of a scheme the actor may see, for integrations (the API); audited.
pub async fn all_of_scheme(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<Vec<RelationshipRow>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    let rows = all_rows(&mut tx, actor, &scheme, now).await?;
    tx.rollback().await?;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::RelationshipsViewed,
            Some(scheme.organisation),
            "scheme",
            Some(scheme.id.0),
            serde_json::json!({ "scheme": key.as_ref(), "rows": rows.len() }),
        )],
    )
    .await?;
    Ok(rows)
}

/// The columns of the relationships CSV, in order: state, dates and counts, never content.
pub const EXPORT_COLUMNS: [(&str, Kind); 16] = [
    ("scheme", Kind::Value),
    ("state", Kind::Value),
    ("mentor_staff_number", Kind::Text),
    ("mentor_name", Kind::Text),
    ("mentee_staff_number", Kind::Text),
    ("mentee_name", Kind::Text),
    ("mentee_division", Kind::Text),
    ("confirmed_on", Kind::Value),
    ("started_on", Kind::Value),
    ("ends_on", Kind::Value),
    ("sessions_held", Kind::Value),
    ("last_session_on", Kind::Value),
    ("next_session_on", Kind::Value),
    ("review_due", Kind::Value),
    ("on_hold_because", Kind::Value),
    ("flags_open", Kind::Value),
];

/// An organisation's relationships as CSV (one scheme's, or every scheme the actor may see),
/// marking first. Audited.
pub async fn export_csv(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
    scheme: Option<&SchemeKey>,
) -> Result<String, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let held = tx
        .organisation_by_code(organisation)
        .await?
        .ok_or_else(|| crate::organisations::not_found(organisation))?;
    let mut schemes = tx.schemes_of(held.id).await?;
    if let Some(key) = scheme {
        schemes.retain(|it| &it.definition.key == key);
        if schemes.is_empty() {
            return Err(AppError::NotFound(format!(
                "there is no scheme called {key}"
            )));
        }
    }
    let mut writer = CsvWriter::with_marking(held.protective_marking.as_ref(), EXPORT_COLUMNS);
    let date = |at: Option<OffsetDateTime>| {
        at.map(|it| {
            tandem_core::local_time::to_local(it, &held.time_zone)
                .date()
                .to_string()
        })
        .unwrap_or_default()
    };
    let mut permitted = 0;
    let mut count = 0;
    for scheme in &schemes {
        let found = match all_rows(&mut tx, actor, scheme, now).await {
            Ok(found) => found,
            Err(AppError::Denied(denied)) if schemes.len() == 1 => return Err(denied.into()),
            Err(AppError::Denied(_)) => continue,
            Err(other) => return Err(other),
        };
        permitted += 1;
        for row in found {
            let life = &row.pair.life;
            writer.row([
                scheme.definition.key.to_string(),
                row.pair.status.as_str().to_owned(),
                row.mentor.record.staff_number.to_string(),
                row.mentor.record.full_name(),
                row.mentee.record.staff_number.to_string(),
                row.mentee.record.full_name(),
                division_of(&row.mentee).unwrap_or_default().to_owned(),
                date(life.confirmed_at),
                life.started_on.map(|it| it.to_string()).unwrap_or_default(),
                life.ends_on.map(|it| it.to_string()).unwrap_or_default(),
                row.held.to_string(),
                date(row.last_held),
                date(row.next_booked),
                if row.review_due { "yes" } else { "no" }.to_owned(),
                life.hold
                    .map(|it| it.reason.as_str().to_owned())
                    .unwrap_or_default(),
                row.open_flags.to_string(),
            ]);
            count += 1;
        }
    }
    if permitted == 0 && !schemes.is_empty() {
        return Err(AppError::Denied(Denied {
            reason: "only the scheme's coordinators and champions can export its relationships"
                .to_owned(),
        }));
    }
    tx.rollback().await?;
    // Read outside the write lock; only the audit entry is written.
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::RelationshipsExported,
            Some(held.id),
            "organisation",
            Some(held.id.0),
            serde_json::json!({ "scheme": scheme.map(AsRef::<str>::as_ref), "rows": count }),
        )],
    )
    .await?;
    Ok(writer.finish_text())
}
