//! Tandem's web application: routes, server-rendered pages and static assets.
//!
//! This is the only crate that knows HTTP and HTML. Handlers parse input into domain types,
//! call one use case in `tandem-app`, and render; there is no SQL and no rule here. Pages work
//! without JavaScript and carry the protective marking and a skip link (see `layout.html`).

mod api;
mod chart;
mod check;
mod checked_pages;
mod chrome;
mod cookies;
mod csrf;
mod date_input;
mod error;
mod flash;
mod form;
mod form_kit;
mod query;
mod redirect;
mod report_period;
mod routes;
mod state;
mod visitor;

pub use api::API_ROUTES;
pub use checked_pages::{NOT_PAGES, PAGES};
pub use error::WebError;
pub use routes::ROUTES;
pub use state::{DemoSignIns, WebConfig, WebState};

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy of every response: our own scripts and styles only, nothing inline.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Every route of the application, with CSRF protection and its security headers.
pub fn router(state: WebState) -> Router {
    let security_headers: [(HeaderName, &'static str); 5] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ];
    // The API authenticates by bearer token, not cookies, so it needs no CSRF token.
    let pages = routes::router()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::with_visitor,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            flash::carry,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::protect,
        ));
    let mut router = Router::new()
        .merge(api::router())
        .merge(pages)
        .with_state(state)
        .layer(axum::middleware::from_fn(api::json_errors));
    for (name, value) in security_headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}

/// Serves the application on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(state: WebState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let service = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
