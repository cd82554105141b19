//! Health check for load balancers and operators.

use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;

/// `GET /healthz`: 200 `ok` when the database answers, 503 otherwise.
pub(crate) async fn get(State(state): State<WebState>) -> (StatusCode, &'static str) {
    match state.app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(err) => {
            tracing::error!(error = %err, "health check: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the database does not answer",
            )
        }
    }
}
