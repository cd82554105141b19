//! The home page: every organisation and the schemes it runs.

use super::DEFAULT_MARKING;
use crate::WebError;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use tandem_app::{App, organisations};
use tandem_core::authz::Actor;
use tandem_core::programme::SchemeStatus;

struct OrganisationView {
    name: String,
    code: String,
    schemes: Vec<SchemeSummary>,
}

struct SchemeSummary {
    key: String,
    name: String,
    description: String,
    open: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub(crate) struct HomePage {
    marking: &'static str,
    organisations: Vec<OrganisationView>,
}

/// `GET /`: the catalogue of organisations and their schemes.
pub(crate) async fn get(State(app): State<App>) -> Result<HomePage, WebError> {
    let catalogue = organisations::catalogue(&app, &Actor::Anonymous).await?;
    let organisations = catalogue
        .into_iter()
        .map(|(organisation, schemes)| OrganisationView {
            name: organisation.name,
            code: organisation.code.to_string(),
            schemes: schemes
                .into_iter()
                .map(|scheme| SchemeSummary {
                    key: scheme.definition.key.to_string(),
                    name: scheme.definition.name,
                    description: scheme.definition.description,
                    open: scheme.status == SchemeStatus::Open,
                })
                .collect(),
        })
        .collect();
    Ok(HomePage {
        marking: DEFAULT_MARKING,
        organisations,
    })
}
