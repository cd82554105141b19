//! The home page: every organisation and the schemes it runs.

use crate::WebError;
use crate::WebState;
use crate::chrome::Chrome;
use crate::visitor::Visitor;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use tandem_app::organisations;
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
    chrome: Chrome,
    organisations: Vec<OrganisationView>,
}

/// `GET /`: the catalogue of organisations and their schemes.
pub(crate) async fn get(
    State(state): State<WebState>,
    visitor: Visitor,
) -> Result<HomePage, WebError> {
    let actor = visitor
        .session
        .as_ref()
        .map_or(Actor::Anonymous, |session| session.actor.clone());
    let catalogue = organisations::catalogue(&state.app, &actor).await?;
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
        chrome: Chrome::new(&visitor, None, "/"),
        organisations,
    })
}
