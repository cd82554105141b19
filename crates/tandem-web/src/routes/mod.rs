//! The routes, one module per resource; each handler reads: authorize → use case → render.

mod assets;
mod health;
mod home;
mod schemes;

use crate::WebError;
use axum::Router;
use axum::routing::get;
use tandem_app::App;

/// The marking shown where no single organisation's setting applies (the installation default).
pub(crate) const DEFAULT_MARKING: &str = "OFFICIAL";

pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/", get(home::get))
        .route("/healthz", get(health::get))
        .route("/organisations/{code}/schemes/{key}", get(schemes::get))
        .route("/assets/tandem.css", get(assets::stylesheet))
        .fallback(|| async { WebError::NotFound })
}
