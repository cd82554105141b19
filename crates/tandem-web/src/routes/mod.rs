//! The routes, one module per resource; each handler reads: authorize → use case → render.

mod account;
mod assets;
mod health;
mod home;
mod schemes;
mod sign_in;

use crate::{WebError, WebState};
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn router() -> Router<WebState> {
    Router::new()
        .route("/", get(home::get))
        .route("/healthz", get(health::get))
        .route("/sign-in", get(sign_in::get).post(sign_in::post))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/account", get(account::get))
        .route("/organisations/{code}/schemes/{key}", get(schemes::get))
        .route("/assets/tandem.css", get(assets::stylesheet))
        .fallback(|| async { WebError::NotFound })
}
