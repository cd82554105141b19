//! The router driven in process (no sockets): pages, sign-in, sessions, CSRF, headers and errors.
#![allow(
    clippy::unwrap_used,
    reason = "a test that meets a bad value should fail loudly"
)]

mod accessibility;
mod admin;
mod api;
mod applications;
mod authz;
mod checks;
mod crawl;
mod evaluation;
mod home;
mod import;
mod inbox;
mod invitations;
mod matching;
mod matching_board;
mod pages;
mod records;
mod relationship_care;
mod relationships;
mod report_period;
mod reports;
mod schemes_admin;
mod settings;
mod sign_in;
mod sso;
mod subject_access;
mod training;
mod two_factor;
mod words;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use tandem_app::App;
use tandem_core::FixedClock;
use tandem_web::{WebConfig, WebState};
use time::macros::datetime;
use tower::ServiceExt;

/// Runs `test` once per backend, like `on_each_backend`, on a copy of the demo seeded once per
/// test process: a test's own `demo::seed` finds the demo there and only reads its accounts.
pub async fn on_each_demo<F, Fut>(test: F)
where
    F: Fn(tandem_store::Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    tandem_store::testing::on_each_prepared_backend(
        "demo",
        |store| async move {
            let operator = tandem_core::authz::Actor::Operator {
                name: "test".to_owned(),
            };
            tandem_app::demo::seed(&app(store), &operator, "http://tandem.test")
                .await
                .expect("seed the demo");
        },
        |store, ()| test(store),
    )
    .await;
}

/// The demo's accounts and schemes: on a database from [`on_each_demo`] the demo is there
/// already, so this only reads them.
/// A browser signed in as `email` with the demo's password.
pub(crate) async fn signed_in(app: &App, email: &str) -> Browser {
    let mut browser = Browser::new(app, WebConfig::default());
    let reply = browser
        .post(
            "/sign-in",
            &[
                ("email", email),
                ("password", tandem_app::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{email} signs in");
    browser
}

pub async fn demo_summary(app: &App) -> tandem_app::demo::DemoSummary {
    let operator = tandem_core::authz::Actor::Operator {
        name: "test".to_owned(),
    };
    tandem_app::demo::seed(app, &operator, "http://tandem.test")
        .await
        .expect("seed the demo")
}

pub fn app(store: tandem_store::Store) -> App {
    App::new(
        store,
        Arc::new(FixedClock::at(datetime!(2026-11-23 09:00 UTC))),
    )
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|it| it.to_str().ok())
            .unwrap_or_default()
    }
}

async fn send(router: axum::Router, request: Request<Body>) -> Reply {
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        // Lossy, so a download that is not text (a zip) can still be checked by its headers.
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// One anonymous request with no cookies.
pub async fn get(app: &App, uri: &str) -> (StatusCode, HeaderMap, String) {
    let reply = send(
        tandem_web::router(WebState::new(app.clone(), WebConfig::default())),
        Request::get(uri).body(Body::empty()).unwrap(),
    )
    .await;
    (reply.status, reply.headers, reply.body)
}

/// A browser: keeps cookies between requests and fills in the CSRF field of forms.
#[derive(Debug)]
pub struct Browser {
    pub state: WebState,
    pub cookies: BTreeMap<String, String>,
    /// The token of the forms on the last page that had one, and the session cookie then.
    form_token: Option<(Option<String>, String)>,
}

impl Browser {
    pub fn new(app: &App, config: WebConfig) -> Self {
        Self {
            state: WebState::new(app.clone(), config),
            cookies: BTreeMap::new(),
            form_token: None,
        }
    }

    fn session_cookie(&self) -> Option<String> {
        self.cookies
            .iter()
            .find(|(name, _)| name.ends_with("tandem_session"))
            .map(|(_, value)| value.clone())
    }

    /// Keeps the token of the page's forms, as a person's next form would send it.
    fn read_form_token(&mut self, body: &str) {
        const FIELD: &str = "name=\"csrf\" value=\"";
        if let Some(start) = body.find(FIELD).map(|at| at + FIELD.len())
            && let Some(len) = body[start..].find('"')
        {
            self.form_token = Some((self.session_cookie(), body[start..start + len].to_owned()));
        }
    }

    /// Fetches a page with a form when the token held is not this session's, as a person
    /// opens a form before sending it.
    async fn ensure_form_token(&mut self) {
        let current = self.session_cookie();
        if self
            .form_token
            .as_ref()
            .is_some_and(|(session, _)| *session == current)
        {
            return;
        }
        let page = if current.is_some() { "/" } else { "/sign-in" };
        self.get(page).await;
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn remember(&mut self, headers: &HeaderMap) {
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        self.get_from(uri, None).await
    }

    /// Fetches a page as a link on `referer` (a full address) opens it.
    pub async fn get_from(&mut self, uri: &str, referer: Option<&str>) -> Reply {
        let mut request = Request::get(uri)
            .header(header::COOKIE, self.cookie_header())
            .header(header::HOST, "tandem.test");
        if let Some(referer) = referer {
            request = request.header(header::REFERER, referer);
        }
        let request = request.body(Body::empty()).unwrap();
        let reply = send(tandem_web::router(self.state.clone()), request).await;
        self.remember(&reply.headers);
        self.read_form_token(&reply.body);
        reply
    }

    /// The token of the forms on the last page fetched that had a form.
    pub fn csrf(&self) -> String {
        self.form_token
            .as_ref()
            .map(|(_, token)| token.clone())
            .unwrap_or_default()
    }

    /// Posts a form as a browser would: with the CSRF token, from this site.
    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        self.ensure_form_token().await;
        let csrf = self.csrf();
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(uri, &all, None).await
    }

    /// Posts a multipart form with one file, as a browser's file upload does.
    pub async fn post_file(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        content: &[u8],
    ) -> Reply {
        self.ensure_form_token().await;
        let boundary = "tandem-test-boundary";
        let mut body = Vec::new();
        let csrf = self.csrf();
        for (name, value) in std::iter::once(("csrf", csrf.as_str())).chain(fields.iter().copied())
        {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(uri)
            .header(header::COOKIE, self.cookie_header())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        let reply = send(tandem_web::router(self.state.clone()), request).await;
        self.remember(&reply.headers);
        self.read_form_token(&reply.body);
        reply
    }

    /// Posts exactly these fields, optionally with an `Origin` header.
    pub async fn post_raw(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut request = Request::post(uri)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "tandem.test");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        let reply = send(
            tandem_web::router(self.state.clone()),
            request.body(Body::from(body)).unwrap(),
        )
        .await;
        self.remember(&reply.headers);
        self.read_form_token(&reply.body);
        reply
    }
}
