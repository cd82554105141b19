//! Evaluation results (R10.4): `/reports/evaluation` shows a scheme's evaluation over a period
//! (each score question charted beside its data table, the response rate, the written answers
//! without a name and their count per theme), lets the scheme's coordinators tag each written
//! answer with themes and keep the scheme's theme list. Each view is audited by the use case;
//! downloads go through `/reports/{file}`.

use crate::chart::{Chart, Series};
use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::form::{Pairs, value, values};
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
use tandem_app::evaluation::{self, EvaluationResults};
use tandem_app::reports::ReportRequest;
use tandem_core::authz::{Action, authorize};
use tandem_core::reports::{Cell, ReportName, Table};

/// The page's filters, as its form sends them and its links and forms repeat them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct EvaluationQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    scheme: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    division: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    from: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    to: String,
}

impl EvaluationQuery {
    fn request(&self) -> ReportRequest {
        ReportRequest {
            scheme: self.scheme.clone(),
            division: self.division.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }

    /// The filters a posted form repeats.
    fn posted(pairs: &Pairs) -> Self {
        Self {
            scheme: value(pairs, "scheme").to_owned(),
            division: value(pairs, "division").to_owned(),
            from: value(pairs, "from").to_owned(),
            to: value(pairs, "to").to_owned(),
        }
    }
}

/// One table as the page writes it: headings, then rows of cells.
struct TableView {
    id: &'static str,
    title: &'static str,
    summary: String,
    headings: Vec<String>,
    rows: Vec<Vec<String>>,
    download: String,
}

impl TableView {
    fn of(table: &Table, query: &str) -> Self {
        Self {
            id: table.name.code(),
            title: table.name.title(),
            summary: table.summary.clone(),
            headings: table.columns.iter().map(|it| it.heading.clone()).collect(),
            rows: table
                .rows
                .iter()
                .map(|row| row.iter().map(Cell::shown).collect())
                .collect(),
            download: format!("/reports/{}.csv?{query}", table.name.code()),
        }
    }
}

/// One score question: its chart and its data table (a row per score).
struct ScoreView {
    id: String,
    question: String,
    chart: Chart,
    rows: Vec<(String, u64)>,
    answers: u64,
    mean: String,
}

/// One written answer with its theme boxes.
struct AnswerView {
    handle: String,
    text: String,
    /// (key, label, ticked) for each of the scheme's themes.
    themes: Vec<(String, String, bool)>,
    error: Option<String>,
}

/// A text question and its answers.
struct WordsView {
    question: String,
    answers: Vec<AnswerView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluation.html")]
pub(crate) struct EvaluationPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    notice: Option<String>,
    form: EvaluationQuery,
    /// The filters the page shows, for the forms that post back to it.
    shown: EvaluationQuery,
    organisation: String,
    scheme_name: String,
    covers: String,
    threshold: u32,
    schemes: Vec<(String, String)>,
    divisions: Vec<String>,
    response: TableView,
    scores: TableView,
    score_questions: Vec<ScoreView>,
    themes: TableView,
    words: Option<Vec<WordsView>>,
    /// Whether the visitor may tag answers and keep the theme list.
    tags: bool,
    theme_list: Vec<(String, String)>,
    /// The new theme's field: what was typed, when it was refused.
    label_input: String,
    /// The period's two dates, three boxes each.
    period: Vec<crate::date_input::DateInput>,
}

impl EvaluationPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::routes::sign_in::error_for(&self.errors, field)
    }
}

const SCORE_LABELS: [&str; 5] = ["1 (not at all)", "2", "3", "4", "5 (very much)"];

#[allow(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
fn score_views(results: &EvaluationResults) -> Vec<ScoreView> {
    let Some(scores) = &results.results.scores else {
        return Vec::new();
    };
    scores
        .iter()
        .map(|(question, distribution)| {
            let id = format!("score-{}", question.key);
            let categories: Vec<String> = SCORE_LABELS.iter().map(|it| (*it).to_owned()).collect();
            let series = [Series {
                name: "People who gave the score".to_owned(),
                values: distribution.counts.iter().map(|it| *it as f64).collect(),
            }];
            let mean = distribution
                .mean()
                .map_or_else(|| "none".to_owned(), |mean| format!("{mean:.1}"));
            let summary = format!(
                "{} answered; the mean score was {mean}.",
                distribution.answers()
            );
            ScoreView {
                chart: Chart::bars(&id, &question.text, &summary, &categories, &series, false),
                id,
                question: question.text.clone(),
                rows: categories.into_iter().zip(distribution.counts).collect(),
                answers: distribution.answers(),
                mean,
            }
        })
        .collect()
}

fn page(
    chrome: Chrome,
    results: &EvaluationResults,
    (form, boxes): (EvaluationQuery, &PeriodBoxes),
    errors: Vec<FieldError>,
    notice: Option<String>,
    tags: bool,
    label_input: String,
) -> EvaluationPage {
    let shown = EvaluationQuery {
        scheme: results.scheme.definition.key.to_string(),
        division: results.division.clone().unwrap_or_default(),
        from: results.period.from.to_string(),
        to: results.period.to.to_string(),
    };
    let query = serde_urlencoded::to_string(&shown).unwrap_or_default();
    let table = |name: ReportName| {
        results
            .tables
            .iter()
            .find(|it| it.name == name)
            .map(|it| TableView::of(it, &query))
    };
    let empty = |name: ReportName| TableView {
        id: name.code(),
        title: name.title(),
        summary: String::new(),
        headings: Vec::new(),
        rows: Vec::new(),
        download: String::new(),
    };
    let theme_list: Vec<(String, String)> = results
        .results
        .themes
        .iter()
        .map(|it| (it.key.as_str().to_owned(), it.label.clone()))
        .collect();
    let words = results.results.words.as_ref().map(|words| {
        words
            .iter()
            .map(|(question, answers)| WordsView {
                question: question.text.clone(),
                answers: answers
                    .iter()
                    .map(|answer| {
                        let field = format!("themes-{}", answer.handle);
                        AnswerView {
                            error: crate::routes::sign_in::error_for(&errors, &field)
                                .map(str::to_owned),
                            handle: answer.handle.clone(),
                            text: answer.text.clone(),
                            themes: results
                                .results
                                .themes
                                .iter()
                                .map(|theme| {
                                    (
                                        theme.key.as_str().to_owned(),
                                        theme.label.clone(),
                                        answer.themes.contains(&theme.key),
                                    )
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect()
    });
    // What was typed stays in the filters, or the period shown when nothing was.
    let form = if form.from.is_empty() && form.to.is_empty() {
        EvaluationQuery {
            scheme: shown.scheme.clone(),
            from: shown.from.clone(),
            to: shown.to.clone(),
            ..form
        }
    } else {
        EvaluationQuery {
            scheme: shown.scheme.clone(),
            ..form
        }
    };
    EvaluationPage {
        chrome,
        period: boxes.inputs(&form.from, &form.to, &errors),
        errors,
        notice,
        form,
        organisation: results.organisation.name.clone(),
        scheme_name: results.scheme.definition.name.clone(),
        covers: results.covers(),
        threshold: results.results.threshold.get(),
        schemes: results
            .schemes
            .iter()
            .map(|it| (it.definition.key.to_string(), it.definition.name.clone()))
            .collect(),
        divisions: results.divisions.clone(),
        response: table(ReportName::EvaluationResponse)
            .unwrap_or_else(|| empty(ReportName::EvaluationResponse)),
        scores: table(ReportName::EvaluationScores)
            .unwrap_or_else(|| empty(ReportName::EvaluationScores)),
        score_questions: score_views(results),
        themes: table(ReportName::EvaluationThemes)
            .unwrap_or_else(|| empty(ReportName::EvaluationThemes)),
        words,
        tags,
        theme_list,
        label_input,
        shown,
    }
}

async fn render(
    state: &WebState,
    signed_in: &SignedIn,
    (mut query, boxes): (EvaluationQuery, PeriodBoxes),
    mut errors: Vec<FieldError>,
    notice: Option<String>,
    label_input: String,
) -> Result<EvaluationPage, WebError> {
    let session = &signed_in.session;
    let chrome = Chrome::new(&signed_in.visitor, Some(session), "/reports/evaluation");
    let organisation = session.organisation.id;
    let tags = authorize(&session.actor, &Action::ManageSchemes(organisation)).is_ok();
    errors.extend(boxes.fold(&mut query.from, &mut query.to));
    match evaluation::results(&state.app, &session.actor, organisation, &query.request()).await {
        Ok(results) => Ok(page(
            chrome,
            &results,
            (query, &boxes),
            errors,
            notice,
            tags,
            label_input,
        )),
        // A period that cannot be read: say so, and show the default period meanwhile.
        Err(AppError::Invalid(problems)) => {
            let fallback = ReportRequest {
                from: String::new(),
                to: String::new(),
                ..query.request()
            };
            let results =
                evaluation::results(&state.app, &session.actor, organisation, &fallback).await?;
            let mut all = crate::report_period::errors_of(&problems);
            all.extend(errors);
            Ok(page(
                chrome,
                &results,
                (query, &boxes),
                all,
                notice,
                tags,
                label_input,
            ))
        }
        Err(err) => Err(err.into()),
    }
}

/// `GET /reports/evaluation`: a scheme's evaluation results.
pub(crate) async fn show(
    State(state): State<WebState>,
    signed_in: SignedIn,
    crate::flash::Notice(notice): crate::flash::Notice,
    Query(query): Query<EvaluationQuery>,
    Query(boxes): Query<PeriodBoxes>,
) -> Result<EvaluationPage, WebError> {
    render(
        &state,
        &signed_in,
        (query, boxes),
        Vec::new(),
        notice,
        String::new(),
    )
    .await
}

/// Back to the page the form was on, with a notice.
fn back(query: &EvaluationQuery, anchor: &str, notice: crate::flash::Fixed) -> Response {
    let encoded = serde_urlencoded::to_string(query).unwrap_or_default();
    crate::flash::attach(
        crate::redirect::to(&format!("/reports/evaluation?{encoded}#{anchor}")),
        notice,
    )
}

/// `POST /reports/evaluation/themes`: a coordinator tags one written answer with themes.
pub(crate) async fn tag(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let query = EvaluationQuery::posted(&pairs);
    let handle = value(&pairs, "handle").to_owned();
    let themes: Vec<String> = values(&pairs, "theme")
        .into_iter()
        .map(str::to_owned)
        .collect();
    match evaluation::save_themes(
        &state.app,
        &session.actor,
        session.organisation.id,
        &query.request(),
        &handle,
        &themes,
    )
    .await
    {
        Ok(()) => Ok(back(
            &query,
            &format!("answer-{handle}"),
            crate::flash::Fixed::AnswerThemesSaved,
        )),
        Err(AppError::Invalid(problems)) => {
            let errors = problems
                .iter()
                .map(|problem| FieldError {
                    field: format!("themes-{handle}"),
                    message: crate::routes::people::capitalise(&problem.message),
                })
                .collect();
            let page = render(
                &state,
                &signed_in,
                (query, PeriodBoxes::default()),
                errors,
                None,
                String::new(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /reports/evaluation/theme-list`: a coordinator adds a theme to the scheme's list.
pub(crate) async fn add_theme(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let query = EvaluationQuery::posted(&pairs);
    let label = value(&pairs, "label");
    match evaluation::add_theme(
        &state.app,
        &session.actor,
        session.organisation.id,
        &query.scheme,
        label,
    )
    .await
    {
        Ok(_) => Ok(back(
            &query,
            "themes-heading",
            crate::flash::Fixed::ThemeAdded,
        )),
        Err(AppError::Invalid(problems)) => {
            let errors = FieldError::from_problems(&problems);
            let typed = label.chars().take(200).collect();
            let page = render(
                &state,
                &signed_in,
                (query, PeriodBoxes::default()),
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

/// `POST /reports/evaluation/theme-list/remove`: a coordinator takes a theme off the list.
pub(crate) async fn remove_theme(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let query = EvaluationQuery::posted(&pairs);
    evaluation::remove_theme(
        &state.app,
        &session.actor,
        session.organisation.id,
        &query.scheme,
        value(&pairs, "theme"),
    )
    .await?;
    Ok(back(
        &query,
        "themes-heading",
        crate::flash::Fixed::ThemeRemoved,
    ))
}
