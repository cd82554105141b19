//! A browser over real sockets, enough for forms: cookies, the CSRF field, redirects not
//! followed. Its requests name one site (`tandem.test`), as behind a load balancer, and each
//! goes to the app server the test chooses.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

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
        decode(value)
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
            .send(server, "GET", path, None)
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
        let mut body = format!("csrf={}", encode(&token));
        for (name, value) in fields {
            body.push_str(&format!("&{}={}", encode(name), encode(value)));
        }
        let reply = self.send(server, "POST", path, Some(&body)).await?;
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
        method: &str,
        path: &str,
        form: Option<&str>,
    ) -> Option<Reply> {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\nAccept: text/html\r\n"
        );
        if !self.cookies.is_empty() {
            let cookies: Vec<String> = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            request.push_str(&format!("Cookie: {}\r\n", cookies.join("; ")));
        }
        if let Some(form) = form {
            request.push_str(&format!(
                "Origin: http://{HOST}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
                form.len()
            ));
        } else {
            request.push_str("\r\n");
        }
        let mut stream = tokio::net::TcpStream::connect(server).await.ok()?;
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).await.ok()?;
        let reply = parse(&bytes)?;
        for (name, value) in &reply.headers {
            if !name.eq_ignore_ascii_case("set-cookie") {
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
        Some(reply)
    }
}

/// Sends `path` from a browser that has nothing: for `/healthz` and the like.
pub(crate) async fn get(server: SocketAddr, path: &str) -> Reply {
    Browser::default().get(server, path).await
}

/// The answer in `bytes`, if they hold a whole one.
fn parse(bytes: &[u8]) -> Option<Reply> {
    let split = bytes.windows(4).position(|window| window == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut body = bytes[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let chunked = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("transfer-encoding") && value.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = unchunk(&body)?;
    } else if let Some(length) = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse::<usize>().ok())
        && body.len() < length
    {
        return None;
    }
    Some(Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// A chunked body decoded, if it is whole (ends with its last, empty chunk).
fn unchunk(mut bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let end = bytes.windows(2).position(|window| window == b"\r\n")?;
        let size = String::from_utf8_lossy(&bytes[..end]);
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        let start = end + 2;
        out.extend_from_slice(bytes.get(start..start + size)?);
        bytes = bytes.get(start + size + 2..)?;
    }
}

/// Form encoding: everything but unreserved characters as `%XX`.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// Form decoding: `+` as a space, `%XX` as its byte.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut idx = 0;
    while idx < bytes.len() {
        match bytes[idx] {
            b'+' => out.push(b' '),
            b'%' if idx + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[idx + 1..idx + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                idx += 2;
            }
            byte => out.push(byte),
        }
        idx += 1;
    }
    String::from_utf8(out).unwrap()
}
