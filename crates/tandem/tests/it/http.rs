//! A browser over real connections (reqwest), enough for forms: cookies, the CSRF field,
//! redirects not followed. Its requests name one site (`tandem.test`), as behind a load balancer, and each
//! goes to the app server the test chooses.

use std::collections::BTreeMap;
use std::net::SocketAddr;

/// The site's name, as every app server behind the balancer is reached.
const HOST: &str = "tandem.test";

/// A response, read whole.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub(crate) fn location(&self) -> &str {
        self.header("location").unwrap_or_default()
    }

    /// The notice the action leaves for the next page (its flash cookie), in words.
    pub(crate) fn notice(&self) -> String {
        let value = self
            .headers
            .iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
            .find_map(|(_, value)| value.strip_prefix("tandem_notice="))
            .map(|value| value.split(';').next().unwrap_or_default())
            .unwrap_or_default();
        url::form_urlencoded::parse(format!("notice={value}").as_bytes())
            .next()
            .map(|(_, text)| text.into_owned())
            .unwrap_or_default()
    }
}

/// One person's browser: their cookies and the token of the last form they were shown.
#[derive(Debug, Default, Clone)]
pub(crate) struct Browser {
    pub(crate) cookies: BTreeMap<String, String>,
    form_token: Option<String>,
}

impl Browser {
    pub(crate) async fn get(&mut self, server: SocketAddr, path: &str) -> Reply {
        let reply = self
            .send(server, reqwest::Method::GET, path, None)
            .await
            .unwrap_or_else(|| panic!("GET {path}: the connection closed without an answer"));
        self.read_form_token(&reply.body);
        reply
    }

    /// Posts a form with the token of the last page's forms, as a browser sends a form it was
    /// shown; opens `/` (or `/sign-in` before signing in) first when it has been shown none.
    pub(crate) async fn post(
        &mut self,
        server: SocketAddr,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        self.try_post(server, path, fields)
            .await
            .unwrap_or_else(|| panic!("POST {path}: the connection closed without an answer"))
    }

    /// [`Browser::post`], or `None` when the connection closes before a whole answer (the
    /// server was killed meanwhile).
    pub(crate) async fn try_post(
        &mut self,
        server: SocketAddr,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Option<Reply> {
        if self.form_token.is_none() {
            let page = if self.cookies.contains_key("tandem_session") {
                "/"
            } else {
                "/sign-in"
            };
            self.get(server, page).await;
        }
        let token = self.form_token.clone().unwrap_or_default();
        let mut form = vec![("csrf", token.as_str())];
        form.extend_from_slice(fields);
        let reply = self
            .send(server, reqwest::Method::POST, path, Some(&form))
            .await?;
        self.read_form_token(&reply.body);
        Some(reply)
    }

    /// Signs in with a password; panics unless the server starts a session.
    pub(crate) async fn sign_in(&mut self, server: SocketAddr, email: &str, password: &str) {
        let reply = self
            .post(
                server,
                "/sign-in",
                &[("email", email), ("password", password), ("next", "/")],
            )
            .await;
        assert!(
            reply.status == 303 && self.cookies.contains_key("tandem_session"),
            "signing in as {email}: {} {}",
            reply.status,
            reply.body
        );
        // The token before signing in is refused after it.
        self.form_token = None;
    }

    fn read_form_token(&mut self, body: &str) {
        const FIELD: &str = "name=\"csrf\" value=\"";
        if let Some(start) = body.find(FIELD).map(|at| at + FIELD.len())
            && let Some(len) = body[start..].find('"')
        {
            self.form_token = Some(body[start..start + len].to_owned());
        }
    }

    async fn send(
        &mut self,
        server: SocketAddr,
        method: reqwest::Method,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> Option<Reply> {
        // The workspace's one rustls provider (set already if another test got here first).
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        // Redirects are the test's to follow; every request names the one site, whichever server
        // it goes to.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .ok()?;
        let mut request = client
            .request(method, format!("http://{server}{path}"))
            .header(reqwest::header::HOST, HOST)
            .header(reqwest::header::ACCEPT, "text/html");
        if !self.cookies.is_empty() {
            let cookies: Vec<String> = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            request = request.header(reqwest::header::COOKIE, cookies.join("; "));
        }
        if let Some(form) = form {
            request = request
                .header(reqwest::header::ORIGIN, format!("http://{HOST}"))
                .form(form);
        }
        let response = request.send().await.ok()?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        // A body cut short (the server was killed while sending it) is no answer.
        let body = response.text().await.ok()?;
        for (name, value) in &headers {
            if name != "set-cookie" {
                continue;
            }
            let (pair, attributes) = value.split_once(';').unwrap_or((value, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Some(Reply {
            status,
            headers,
            body,
        })
    }
}

/// Sends `path` from a browser that has nothing: for `/healthz` and the like.
pub(crate) async fn get(server: SocketAddr, path: &str) -> Reply {
    Browser::default().get(server, path).await
}
