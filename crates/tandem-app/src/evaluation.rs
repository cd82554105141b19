//! Evaluation results (R10.4): what the members of a scheme's relationships said in their
//! closing evaluation, for the staff whose scope it is: the spread and mean of each score, the
//! response rate, and the written answers without a name, grouped by the themes the scheme's
//! coordinators tag them with. Groups smaller than the organisation's small-number threshold
//! show nothing of what was said (`tandem_core::evaluation`).
//!
//! Every view and download is audited naming the scope, never an answer; tagging is audited
//! naming the question and themes, never the words or whose they are.

use crate::reports::{ReportRequest, Resolved, resolve, window};
use crate::{App, AppError, audit};
use sha2::{Digest, Sha256};
use tandem_core::application::FormProblem;
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::evaluation::{Respondent, Results, Theme, ThemeKey, parse_tags};
use tandem_core::programme::Scheme;
use tandem_core::reports::{Period, ReportName, Table};
use tandem_core::{Organisation, OrganisationId};
use tandem_store::reports::ReportFilter;

/// A scheme's evaluation results over a period, as they may be shown.
#[derive(Debug, Clone)]
pub struct EvaluationResults {
    /// The organisation running the scheme.
    pub organisation: Organisation,
    /// The scheme.
    pub scheme: Scheme,
    /// Only relationships whose mentee is of this division, if one was chosen.
    pub division: Option<String>,
    /// The days in which the relationships counted began closing.
    pub period: Period,
    /// The schemes that can be chosen.
    pub schemes: Vec<Scheme>,
    /// The divisions that can be chosen.
    pub divisions: Vec<String>,
    /// The results, suppressed for small groups.
    pub results: Results,
    /// The tables, in [`ReportName::EVALUATION`] order.
    pub tables: Vec<Table>,
}

impl EvaluationResults {
    /// What the results cover, in words: "Police Scotland, Mentoring programme, 1 Dec 2025 to
    /// 30 Nov 2026".
    pub fn covers(&self) -> String {
        crate::reports::covers(
            &self.organisation,
            Some(&self.scheme),
            self.division.as_deref(),
            Some("relationships that began closing"),
            self.period,
        )
    }

    /// One table as a CSV file with the organisation's protective marking.
    pub fn csv(&self, name: ReportName) -> Option<String> {
        let table = self.tables.iter().find(|table| table.name == name)?;
        Some(table.csv(
            self.organisation.protective_marking.as_ref(),
            &self.covers(),
        ))
    }
}

/// A fresh random reference for a member's evaluation answers: what results show in place of
/// them, so it must not follow from who they are or when they answered.
pub(crate) fn new_reference() -> Result<String, AppError> {
    let mut bytes = [0_u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|err| AppError::Conflict(format!("no randomness available: {err}")))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// A written answer's handle: a hash of its member's reference and its question, so the
/// handles of one member's answers to two questions cannot be told to be theirs.
fn answer_handle(reference: &str, question: &str) -> String {
    let digest = Sha256::digest(format!("{reference}/{question}").as_bytes());
    digest
        .iter()
        .take(12)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The results of the scheme `request` names (the first the actor may see when it names
/// none) for the staff whose scope it is; audited.
pub async fn results(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    request: &ReportRequest,
) -> Result<EvaluationResults, AppError> {
    let results = read(app, actor, organisation, request).await?;
    record(app, actor, &results, None).await?;
    Ok(results)
}

/// One table of the results as CSV with the marking, for a download; audited as one.
pub async fn download(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    name: ReportName,
    request: &ReportRequest,
) -> Result<String, AppError> {
    let results = read(app, actor, organisation, request).await?;
    let csv = results.csv(name).ok_or_else(|| {
        AppError::NotFound(format!(
            "{} is not a table of the evaluation results",
            name.code()
        ))
    })?;
    record(app, actor, &results, Some(name)).await?;
    Ok(csv)
}

/// The same for `tandem export report --report evaluation-…`, by the organisation's code.
pub async fn export(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
    name: ReportName,
    request: &ReportRequest,
) -> Result<String, AppError> {
    let id = crate::organisations::by_code(app, organisation).await?.id;
    download(app, actor, id, name, request).await
}

async fn read(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    request: &ReportRequest,
) -> Result<EvaluationResults, AppError> {
    let mut tx = app.store.begin_read().await?;
    let Resolved {
        owner,
        scheme,
        division,
        period,
        filter,
        schemes: visible,
    } = resolve(&mut tx, app, actor, organisation, request).await?;
    // Questions and themes are a scheme's own: with none chosen, the first one in scope.
    let scheme = match scheme {
        Some(it) => it,
        None => visible.first().cloned().ok_or_else(|| {
            AppError::NotFound("there is no scheme whose evaluation you may see".to_owned())
        })?,
    };
    let filter = ReportFilter {
        scheme: Some(scheme.id),
        ..filter
    };
    let window = window(period, &owner.time_zone)?;
    let threshold = tx.equality_threshold(organisation).await?;
    let response = tx.evaluation_response(&filter, window).await?;
    let respondents: Vec<Respondent> = tx
        .evaluation_answers_in(&filter, window)
        .await?
        .into_iter()
        .map(|it| Respondent {
            handle: it.reference,
            words_shared: it.words_shared,
            answers: it.answers,
            themes: it.themes,
        })
        .collect();
    let themes = tx.evaluation_themes(scheme.id).await?;
    let divisions = tx.report_divisions(organisation).await?;
    tx.rollback().await?;

    let questions = &scheme.definition.policy.evaluation;
    let results = Results::build(
        questions,
        themes,
        response.members,
        &respondents,
        threshold,
        answer_handle,
    );
    let tables = vec![
        results.response_table(),
        results.scores_table(questions),
        results.themes_table(),
    ];
    Ok(EvaluationResults {
        organisation: owner,
        scheme,
        division,
        period,
        schemes: visible,
        divisions,
        results,
        tables,
    })
}

/// Records a view or download in a short write of its own, after the reading.
async fn record(
    app: &App,
    actor: &Actor,
    results: &EvaluationResults,
    download: Option<ReportName>,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let organisation = results.organisation.id;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::EvaluationViewed,
            Some(organisation),
            "scheme",
            Some(results.scheme.id.0),
            serde_json::json!({
                "scheme": results.scheme.definition.key.as_ref(),
                "division": results.division,
                "from": results.period.from.to_string(),
                "to": results.period.to.to_string(),
                "threshold": results.threshold(),
                "download": download.map(ReportName::code),
            }),
        )],
    )
    .await?;
    Ok(())
}

impl EvaluationResults {
    fn threshold(&self) -> u32 {
        self.results.threshold.get()
    }
}

/// The scheme of `organisation` called `raw`, for a change to its themes.
async fn scheme_named(
    tx: &mut tandem_store::Tx,
    organisation: OrganisationId,
    raw: &str,
) -> Result<Scheme, AppError> {
    let key = SchemeKey::parse(raw)
        .map_err(|err| AppError::Invalid(vec![FormProblem::at("scheme", err.to_string())]))?;
    tx.scheme_by_key(organisation, &key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))
}

/// Adds a theme to a scheme's list from the label a coordinator typed; audited.
pub async fn add_theme(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    scheme: &str,
    label: &str,
) -> Result<Theme, AppError> {
    authorize(actor, &Action::ManageSchemes(organisation))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let scheme = scheme_named(&mut tx, organisation, scheme).await?;
    let themes = tx.evaluation_themes(scheme.id).await?;
    let theme = Theme::add(&themes, label).map_err(|problem| AppError::Invalid(vec![problem]))?;
    tx.insert_evaluation_theme(scheme.id, &theme, now).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::EvaluationThemeAdded,
        Some(organisation),
        "scheme",
        Some(scheme.id.0),
        serde_json::json!({ "theme": theme.key.as_str(), "label": theme.label }),
    )])
    .await?;
    tx.commit().await?;
    Ok(theme)
}

/// Takes a theme off a scheme's list and off the answers tagged with it; audited.
pub async fn remove_theme(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    scheme: &str,
    theme: &str,
) -> Result<(), AppError> {
    authorize(actor, &Action::ManageSchemes(organisation))?;
    let theme = ThemeKey::parse(theme).map_err(|problem| AppError::Invalid(vec![problem]))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let scheme = scheme_named(&mut tx, organisation, scheme).await?;
    if !tx.delete_evaluation_theme(scheme.id, &theme).await? {
        return Err(AppError::NotFound(format!(
            "the scheme has no theme {}",
            theme.as_str()
        )));
    }
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::EvaluationThemeRemoved,
        Some(organisation),
        "scheme",
        Some(scheme.id.0),
        serde_json::json!({ "theme": theme.as_str() }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Tags the written answer `handle` of the results `request` shows with the themes ticked
/// (replacing those it had), by a coordinator who may change the scheme; only an answer the
/// results show can be tagged. Audited naming the question and the themes.
pub async fn save_themes(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    request: &ReportRequest,
    handle: &str,
    themes: &[String],
) -> Result<(), AppError> {
    authorize(actor, &Action::ManageSchemes(organisation))?;
    let shown = read(app, actor, organisation, request).await?;
    let question = shown
        .results
        .words
        .iter()
        .flatten()
        .find(|(_, answers)| answers.iter().any(|it| it.handle == handle))
        .map(|(question, _)| question.key.clone())
        .ok_or_else(|| {
            AppError::NotFound(
                "that answer is not among those shown; open the results again".to_owned(),
            )
        })?;
    let tags = parse_tags(&shown.results.themes, themes)
        .map_err(|problem| AppError::Invalid(vec![problem]))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let reference = tx
        .evaluation_references(shown.scheme.id)
        .await?
        .into_iter()
        .find(|it| answer_handle(it, &question) == handle)
        .ok_or_else(|| {
            AppError::NotFound(
                "that answer is not among those shown; open the results again".to_owned(),
            )
        })?;
    tx.save_answer_themes(shown.scheme.id, &reference, &question, &tags, now)
        .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::EvaluationThemesSaved,
        Some(organisation),
        "scheme",
        Some(shown.scheme.id.0),
        serde_json::json!({
            "question": question,
            "themes": tags.iter().map(ThemeKey::as_str).collect::<Vec<_>>(),
        }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}
