//! Reading and writing our cookies: `HttpOnly`, `SameSite=Lax`, and `Secure` with the `__Host-`
//! prefix when the site is served over TLS.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The session cookie's name.
pub(crate) fn session_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tandem_session"
    } else {
        "tandem_session"
    }
}

/// The CSRF cookie's name.
pub(crate) fn csrf_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tandem_csrf"
    } else {
        "tandem_csrf"
    }
}

/// The value of cookie `name` in the request, if present.
pub(crate) fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value; `max_age` in seconds, `None` for a browser-session cookie, 0 to delete.
pub(crate) fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}
