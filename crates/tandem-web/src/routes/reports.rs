//! The programme dashboard (R10.1, R10.5): `/reports` charts each table beside its data, and
//! `/reports/{name}.csv` downloads one table with the protective marking (the dashboard's,
//! equality monitoring's or the evaluation results').

use crate::chart::{Chart, Series};
use crate::chrome::Chrome;
use crate::query::Query;
use crate::report_period::PeriodBoxes;
use crate::routes::equality::EqualityQuery;
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tandem_app::AppError;
use tandem_app::reports::{self, Dashboard, ReportRequest};
use tandem_core::equality::Characteristic;
use tandem_core::reports::{Cell, ReportName, Table};
use tandem_core::spreadsheet::Kind;

/// The dashboard's filters, as the form sends them and its links repeat them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct ReportQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    scheme: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    division: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    role: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

impl ReportQuery {
    fn request(&self) -> ReportRequest {
        ReportRequest {
            scheme: self.scheme.clone(),
            division: self.division.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }
}

/// A table cell as the page writes it.
struct CellView {
    text: String,
    numeric: bool,
}

/// One table of the page, with its chart.
struct TableView {
    id: &'static str,
    title: &'static str,
    summary: String,
    headings: Vec<(String, bool)>,
    rows: Vec<Vec<CellView>>,
    chart: Option<Chart>,
    download: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
pub(crate) struct ReportsPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: ReportQuery,
    organisation: String,
    covers: String,
    previous: String,
    /// (key, name) of the schemes to choose from.
    schemes: Vec<(String, String)>,
    divisions: Vec<String>,
    /// The period's two dates, three boxes each.
    period: Vec<crate::date_input::DateInput>,
    tables: Vec<TableView>,
}

/// The categories (first column) and a series per chosen column of `table`.
fn series_of(table: &Table, columns: &[usize]) -> (Vec<String>, Vec<Series>) {
    let categories = table
        .rows
        .iter()
        .map(|row| row.first().map(Cell::shown).unwrap_or_default())
        .collect();
    let series = columns
        .iter()
        .filter_map(|column| {
            Some(Series {
                name: table.columns.get(*column)?.heading.clone(),
                values: table
                    .rows
                    .iter()
                    .map(|row| row.get(*column).and_then(Cell::number).unwrap_or(0.0))
                    .collect(),
            })
        })
        .collect();
    (categories, series)
}

/// The chart that suits a table: stacked bars of applications by state, lines month by month,
/// and bars of matches and completions per group.
fn chart_of(table: &Table) -> Option<Chart> {
    let id = table.name.code();
    let title = table.name.title();
    match table.name {
        ReportName::Headline
        | ReportName::Now
        | ReportName::EvaluationResponse
        | ReportName::EvaluationScores
        | ReportName::EvaluationThemes => None,
        ReportName::Applications => {
            // Every state; the total is the bar's length.
            let states: Vec<usize> = (1..table.columns.len().saturating_sub(1)).collect();
            let (categories, series) = series_of(table, &states);
            Some(Chart::bars(
                id,
                title,
                &table.summary,
                &categories,
                &series,
                true,
            ))
        }
        ReportName::Monthly => {
            let (categories, series) = series_of(table, &[1, 2, 3, 4]);
            Some(Chart::lines(
                id,
                title,
                &table.summary,
                &categories,
                &series,
            ))
        }
        ReportName::Quality => {
            let (categories, series) = series_of(table, &[3, 4, 5]);
            (!categories.is_empty())
                .then(|| Chart::bars(id, title, &table.summary, &categories, &series, false))
        }
        ReportName::Schemes | ReportName::Divisions | ReportName::Forces => {
            let (categories, series) = series_of(table, &[2, 4]);
            (!categories.is_empty())
                .then(|| Chart::bars(id, title, &table.summary, &categories, &series, false))
        }
    }
}

fn view(table: &Table, query: &str) -> TableView {
    TableView {
        id: table.name.code(),
        title: table.name.title(),
        summary: table.summary.clone(),
        headings: table
            .columns
            .iter()
            .enumerate()
            // The first column names the rows, and reads from the left like them.
            .map(|(index, it)| (it.heading.clone(), index > 0 && it.kind == Kind::Value))
            .collect(),
        rows: table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| CellView {
                        text: cell.shown(),
                        numeric: !matches!(cell, Cell::Text(_)),
                    })
                    .collect()
            })
            .collect(),
        chart: chart_of(table),
        download: format!("/reports/{}.csv?{query}", table.name.code()),
    }
}

fn page(
    chrome: Chrome,
    dashboard: &Dashboard,
    (form, boxes): (ReportQuery, &PeriodBoxes),
    errors: Vec<FieldError>,
) -> ReportsPage {
    // The links download exactly what the page shows, whatever was typed.
    let shown = ReportQuery {
        scheme: dashboard
            .scheme
            .as_ref()
            .map(|it| it.definition.key.to_string())
            .unwrap_or_default(),
        division: dashboard.division.clone().unwrap_or_default(),
        role: String::new(),
        from: dashboard.period.from.to_string(),
        to: dashboard.period.to.to_string(),
    };
    let query = serde_urlencoded::to_string(&shown).unwrap_or_default();
    let form = if form.from.is_empty() && form.to.is_empty() {
        ReportQuery {
            from: shown.from.clone(),
            to: shown.to.clone(),
            ..form
        }
    } else {
        form
    };
    ReportsPage {
        chrome,
        period: boxes.inputs(&form.from, &form.to, &errors),
        errors,
        form,
        organisation: dashboard.organisation.name.clone(),
        covers: dashboard.covers(),
        previous: dashboard.previous.words(),
        schemes: dashboard
            .schemes
            .iter()
            .map(|it| (it.definition.key.to_string(), it.definition.name.clone()))
            .collect(),
        divisions: dashboard.divisions.clone(),
        tables: dashboard.tables.iter().map(|it| view(it, &query)).collect(),
    }
}

/// `GET /reports`: the dashboard of the organisation being worked in.
pub(crate) async fn dashboard(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(mut query): Query<ReportQuery>,
    Query(boxes): Query<PeriodBoxes>,
) -> Result<ReportsPage, WebError> {
    let session = &signed_in.session;
    let chrome = Chrome::new(&signed_in.visitor, Some(session), "/reports");
    let organisation = session.organisation.id;
    let mut errors = boxes.fold(&mut query.from, &mut query.to);
    match reports::dashboard(&state.app, &session.actor, organisation, &query.request()).await {
        Ok(dashboard) => Ok(page(chrome, &dashboard, (query, &boxes), errors)),
        // A period that cannot be read: say so, and show the default period meanwhile.
        Err(AppError::Invalid(problems)) => {
            let fallback = ReportRequest {
                from: String::new(),
                to: String::new(),
                ..query.request()
            };
            let dashboard =
                reports::dashboard(&state.app, &session.actor, organisation, &fallback).await?;
            errors.extend(crate::report_period::errors_of(&problems));
            Ok(page(chrome, &dashboard, (query, &boxes), errors))
        }
        Err(err) => Err(err.into()),
    }
}

/// `GET /reports/{name}.csv`: one table of the dashboard, with the marking and what it covers.
pub(crate) async fn download(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(file): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let code = file.strip_suffix(".csv").unwrap_or_default();
    if let Some(characteristic) = Characteristic::parse_report_name(code) {
        let equality = EqualityQuery {
            scheme: query.scheme,
            division: query.division,
            role: query.role,
            from: query.from,
            to: query.to,
        };
        let csv = tandem_app::equality::download(
            &state.app,
            &session.actor,
            session.organisation.id,
            characteristic,
            &equality.request(),
            equality.role()?,
        )
        .await?;
        // The key as read (the download succeeded, so it names a scheme), never as typed.
        let scope = tandem_core::domain::SchemeKey::parse(&equality.scheme)
            .map_or_else(|_| "all-schemes".to_owned(), |key| key.to_string());
        return Ok(crate::routes::csv_download(
            &session.organisation.code,
            &scope,
            code,
            csv,
        ));
    }
    if let Some(name) = ReportName::parse(code).filter(|it| it.is_evaluation()) {
        let csv = tandem_app::evaluation::download(
            &state.app,
            &session.actor,
            session.organisation.id,
            name,
            &query.request(),
        )
        .await?;
        // The scheme as read: with none asked for, the results are of the first in scope.
        let scope = tandem_core::domain::SchemeKey::parse(&query.scheme)
            .map_or_else(|_| "first-scheme".to_owned(), |key| key.to_string());
        return Ok(crate::routes::csv_download(
            &session.organisation.code,
            &scope,
            name.code(),
            csv,
        ));
    }
    // Authorised before the name is read, so an address says nothing to someone refused.
    let dashboard = reports::dashboard(
        &state.app,
        &session.actor,
        session.organisation.id,
        &query.request(),
    )
    .await?;
    let scope = dashboard.scheme.as_ref().map_or_else(
        || "all-schemes".to_owned(),
        |it| it.definition.key.to_string(),
    );
    let name = ReportName::parse(code).ok_or(WebError::NotFound)?;
    let csv = dashboard.csv(name).ok_or(WebError::NotFound)?;
    Ok(crate::routes::csv_download(
        &session.organisation.code,
        &scope,
        name.code(),
        csv,
    ))
}
