//! Equality monitoring (R10.3): `/reports/equality` shows how far applications got by each
//! protected characteristic, with small numbers suppressed, and lets an administrator set the
//! threshold. Each view is audited by the use case; downloads go through `/reports/{file}`.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::query::Query;
use crate::report_period::PeriodBoxes;
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tandem_app::AppError;
use tandem_app::equality::{self, EqualityReport};
use tandem_app::reports::ReportRequest;
use tandem_core::authz::{Action, authorize};
use tandem_core::eligibility::Role;
use tandem_core::reports::Cell;

/// The equality page's filters, as its form sends them and its links repeat them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct EqualityQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) scheme: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) division: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) role: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) from: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) to: String,
}

impl EqualityQuery {
    pub(crate) fn request(&self) -> ReportRequest {
        ReportRequest {
            scheme: self.scheme.clone(),
            division: self.division.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }

    /// The role asked for: blank for both, else `mentor` or `mentee`.
    pub(crate) fn role(&self) -> Result<Option<Role>, WebError> {
        match self.role.trim() {
            "" => Ok(None),
            raw => Role::parse(raw).map(Some).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "'{}' is not a role; choose mentors, mentees or both",
                    raw.chars().take(20).collect::<String>()
                ))
            }),
        }
    }
}

/// A cell as the page writes it: a suppressed count is words, and says so to a screen reader.
struct CellView {
    text: String,
    suppressed: bool,
}

struct TableView {
    id: &'static str,
    title: String,
    summary: String,
    headings: Vec<String>,
    rows: Vec<Vec<CellView>>,
    download: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "equality.html")]
pub(crate) struct EqualityPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    notice: Option<String>,
    form: EqualityQuery,
    organisation: String,
    covers: String,
    threshold: u32,
    /// The threshold field: what was typed, when it was refused, else the threshold.
    threshold_input: String,
    /// Whether the visitor may change the threshold.
    sets_threshold: bool,
    schemes: Vec<(String, String)>,
    divisions: Vec<String>,
    /// The period's two dates, three boxes each.
    period: Vec<crate::date_input::DateInput>,
    tables: Vec<TableView>,
}

impl EqualityPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::routes::sign_in::error_for(&self.errors, field)
    }
}

fn page(
    chrome: Chrome,
    report: &EqualityReport,
    (form, boxes): (EqualityQuery, &PeriodBoxes),
    errors: Vec<FieldError>,
    notice: Option<String>,
    sets_threshold: bool,
    typed: Option<String>,
) -> EqualityPage {
    let shown = EqualityQuery {
        scheme: report
            .scheme
            .as_ref()
            .map(|it| it.definition.key.to_string())
            .unwrap_or_default(),
        division: report.division.clone().unwrap_or_default(),
        role: report
            .role
            .map(|it| it.as_str().to_owned())
            .unwrap_or_default(),
        from: report.period.from.to_string(),
        to: report.period.to.to_string(),
    };
    let query = serde_urlencoded::to_string(&shown).unwrap_or_default();
    let tables = report
        .tables
        .iter()
        .map(|table| TableView {
            id: table.characteristic.report_name(),
            title: table.title(),
            summary: table.summary.clone(),
            headings: table.columns.iter().map(|it| it.heading.clone()).collect(),
            rows: table
                .rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|cell| CellView {
                            text: cell.shown(),
                            suppressed: matches!(cell, Cell::Text(text) if text == "hidden" || text == "withheld" || text.starts_with("fewer than")),
                        })
                        .collect()
                })
                .collect(),
            download: format!(
                "/reports/{}.csv?{query}",
                table.characteristic.report_name()
            ),
        })
        .collect();
    let form = if form.from.is_empty() && form.to.is_empty() {
        EqualityQuery {
            from: shown.from.clone(),
            to: shown.to.clone(),
            ..form
        }
    } else {
        form
    };
    EqualityPage {
        chrome,
        period: boxes.inputs(&form.from, &form.to, &errors),
        errors,
        notice,
        form,
        organisation: report.organisation.name.clone(),
        covers: report.covers(),
        threshold: report.threshold.get(),
        threshold_input: typed.unwrap_or_else(|| report.threshold.get().to_string()),
        sets_threshold,
        schemes: report
            .schemes
            .iter()
            .map(|it| (it.definition.key.to_string(), it.definition.name.clone()))
            .collect(),
        divisions: report.divisions.clone(),
        tables,
    }
}

async fn render(
    state: &WebState,
    signed_in: &SignedIn,
    (mut query, boxes): (EqualityQuery, PeriodBoxes),
    mut errors: Vec<FieldError>,
    notice: Option<String>,
    typed: Option<String>,
) -> Result<EqualityPage, WebError> {
    let session = &signed_in.session;
    let chrome = Chrome::new(&signed_in.visitor, Some(session), "/reports/equality");
    let organisation = session.organisation.id;
    let role = query.role()?;
    let sets_threshold =
        authorize(&session.actor, &Action::ManageOrganisation(organisation)).is_ok();
    errors.extend(boxes.fold(&mut query.from, &mut query.to));
    let asked = equality::equality(
        &state.app,
        &session.actor,
        organisation,
        &query.request(),
        None,
        role,
    )
    .await;
    match asked {
        Ok(report) => Ok(page(
            chrome,
            &report,
            (query, &boxes),
            errors,
            notice,
            sets_threshold,
            typed,
        )),
        // A period that cannot be read: say so, and show the default period meanwhile.
        Err(AppError::Invalid(problems)) => {
            let fallback = ReportRequest {
                from: String::new(),
                to: String::new(),
                ..query.request()
            };
            let report = equality::equality(
                &state.app,
                &session.actor,
                organisation,
                &fallback,
                None,
                role,
            )
            .await?;
            let mut all = crate::report_period::errors_of(&problems);
            all.extend(errors);
            Ok(page(
                chrome,
                &report,
                (query, &boxes),
                all,
                notice,
                sets_threshold,
                typed,
            ))
        }
        Err(err) => Err(err.into()),
    }
}

/// `GET /reports/equality`: the organisation's equality tables.
pub(crate) async fn show(
    State(state): State<WebState>,
    signed_in: SignedIn,
    crate::flash::Notice(notice): crate::flash::Notice,
    Query(query): Query<EqualityQuery>,
    Query(boxes): Query<PeriodBoxes>,
) -> Result<EqualityPage, WebError> {
    render(&state, &signed_in, (query, boxes), Vec::new(), notice, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct ThresholdForm {
    #[serde(default)]
    threshold: String,
}

/// `POST /reports/equality/threshold`: an administrator sets the small-number threshold.
pub(crate) async fn save_threshold(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<ThresholdForm>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    match equality::save_threshold(
        &state.app,
        &session.actor,
        session.organisation.id,
        &form.threshold,
    )
    .await
    {
        Ok(threshold) => Ok(crate::flash::attach(
            crate::redirect::to("/reports/equality"),
            crate::flash::Flash::ThresholdSaved(threshold.get()),
        )),
        Err(AppError::Invalid(problems)) => {
            let errors = FieldError::from_problems(&problems);
            let typed = Some(form.threshold.chars().take(20).collect());
            let page = render(
                &state,
                &signed_in,
                (EqualityQuery::default(), PeriodBoxes::default()),
                errors,
                None,
                typed,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}
