//! Redirects: where a visitor may be sent back to, and a `303 See Other` that cannot fail.
//!
//! Rule: every redirect of a page goes through [`to`], which only ever sends the browser to a
//! path on this site; the one redirect to another site (off to the identity provider) is
//! [`to_identity_provider`]. A visitor-supplied address (`next`) is checked by [`same_site`]
//! the way a browser would read it, so what passes the check is what the browser follows.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use url::Url;

/// Where a visitor lands when the address they were going to is not on this site.
pub(crate) const HOME: &str = "/";

/// A base no request can name, so a reference that keeps it is one relative to this site.
const BASE: &str = "http://tandem.invalid/";

/// The path (with its query and fragment) that `next` names on this site, as a browser would
/// follow it; [`HOME`] for anything else (another site, another scheme, a relative path, or an
/// address that only becomes ours by tricks an intermediary might undo).
///
/// A browser strips leading and trailing C0 controls and spaces, removes every tab and line
/// break, and reads `\` as `/`, so `/\t/evil.example` and `/\evil.example` are the
/// scheme-relative `//evil.example`. The WHATWG parser (the `url` crate) applies exactly those
/// steps; what it gives back is percent-encoded ASCII, so it is always a valid `Location`.
pub(crate) fn same_site(next: &str) -> String {
    let trimmed = next.trim_matches(|it: char| it <= ' ');
    let cleaned: String = trimmed
        .chars()
        .filter(|it| !matches!(it, '\t' | '\n' | '\r'))
        .collect();
    // Only an absolute path: `evil.example` or `?x` would resolve against wherever the
    // visitor happens to be.
    if !cleaned.starts_with('/') {
        return HOME.to_owned();
    }
    // The site's own paths are ASCII; a fullwidth solidus or other lookalike in the path is
    // refused rather than trusted to stay a plain character through every hop.
    let path_end = cleaned.find(['?', '#']).unwrap_or(cleaned.len());
    if !cleaned[..path_end].is_ascii() {
        return HOME.to_owned();
    }
    let Ok(base) = Url::parse(BASE) else {
        return HOME.to_owned();
    };
    let Ok(url) = base.join(&cleaned) else {
        return HOME.to_owned();
    };
    if url.origin() != base.origin() || !url.username().is_empty() || url.password().is_some() {
        return HOME.to_owned();
    }
    // `/..//evil.example` resolves to the path `//evil.example`, which as a `Location` is
    // another host; `/%2f/evil.example` only looks harmless until something decodes it.
    if scheme_relative(url.path()) || scheme_relative(&percent_decoded(url.path())) {
        return HOME.to_owned();
    }
    url[url::Position::BeforePath..].to_owned()
}

/// Whether `path` would be read as `//host…` once tabs and line breaks are dropped and `\` is
/// read as `/`.
fn scheme_relative(path: &str) -> bool {
    let mut slashes = path
        .chars()
        .filter(|it| !matches!(it, '\t' | '\n' | '\r'))
        .take(2)
        .map(|it| matches!(it, '/' | '\\'));
    slashes.next() == Some(true) && slashes.next() == Some(true)
}

/// `path` with `%XX` escapes decoded (bytes that are not UTF-8 become U+FFFD).
fn percent_decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut idx = 0;
    while idx < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|it| (*it as char).to_digit(16))
                .and_then(|it| u8::try_from(it).ok())
        };
        match (bytes[idx], hex(idx + 1), hex(idx + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push(high * 16 + low);
                idx += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                idx += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A `303 See Other` to `location` on this site (checked by [`same_site`], so it never fails
/// and never leaves the site).
pub(crate) fn to(location: &str) -> Response {
    see_other(&same_site(location))
}

/// A `303 See Other` to the organisation's identity provider: the one redirect off this site,
/// to an address the server built from its own configuration.
pub(crate) fn to_identity_provider(url: &str) -> Response {
    match Url::parse(url) {
        Ok(url) if matches!(url.scheme(), "https" | "http") => see_other(url.as_str()),
        _ => {
            tracing::error!("the identity provider's address is not a web address");
            see_other(HOME)
        }
    }
}

fn see_other(location: &str) -> Response {
    let location =
        HeaderValue::from_str(location).unwrap_or_else(|_| HeaderValue::from_static(HOME));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_kept() {
        let cases: &[(&str, &str)] = &[
            // Paths on this site, with their queries and fragments.
            ("/", "/"),
            ("/account", "/account"),
            ("/people?q=hill&page=2", "/people?q=hill&page=2"),
            (
                "/schemes/cleveland-mentoring/matching#proposals",
                "/schemes/cleveland-mentoring/matching#proposals",
            ),
            ("/people?q=a%2Fb#top", "/people?q=a%2Fb#top"),
            ("/people?q=José Hill", "/people?q=Jos%C3%A9%20Hill"),
            (
                "/organisations/cleveland/schemes/reverse",
                "/organisations/cleveland/schemes/reverse",
            ),
            ("/a/./b/../c", "/a/c"),
            ("  /account  ", "/account"),
            ("/acc\tount", "/account"),
            // Tabs, line breaks and controls a browser drops.
            ("/\t/evil.example", "/"),
            ("/\n/evil.example", "/"),
            ("/\r/evil.example", "/"),
            ("/\r\n/evil.example", "/"),
            ("\t//evil.example", "/"),
            ("\u{0}//evil.example", "/"),
            // Other controls inside a path are percent-encoded, as a browser does: still here.
            ("/\u{1}/evil.example", "/%01/evil.example"),
            ("/\u{7f}/evil.example", "/%7F/evil.example"),
            // Backslashes, which a browser reads as slashes.
            ("\\evil.example", "/"),
            ("\\\\evil.example", "/"),
            ("/\\evil.example", "/"),
            ("\\/evil.example", "/"),
            ("/\\/evil.example", "/"),
            // Scheme-relative, and paths that resolve to it.
            ("//evil.example", "/"),
            ("///evil.example", "/"),
            ("//evil.example/account", "/"),
            ("/..//evil.example", "/"),
            ("/./\\evil.example", "/"),
            ("/%2e%2e//evil.example", "/"),
            // Encoded slashes that a decoding hop would turn scheme-relative.
            ("%2f%2fevil.example", "/"),
            ("%2F%2Fevil.example", "/"),
            ("/%2f/evil.example", "/"),
            ("/%2F%2Fevil.example", "/"),
            ("/%5c/evil.example", "/"),
            ("/%09/evil.example", "/"),
            // Other schemes and hosts.
            ("https://evil.example", "/"),
            ("http://evil.example/account", "/"),
            ("HTTPS://evil.example", "/"),
            ("https:evil.example", "/"),
            ("javascript:alert(1)", "/"),
            ("JaVaScRiPt:alert(1)", "/"),
            ("\tjavascript:alert(1)", "/"),
            ("java\nscript:alert(1)", "/"),
            ("data:text/html,<script>alert(1)</script>", "/"),
            ("http://tandem.invalid/account", "/"),
            ("//user@evil.example", "/"),
            // Relative references, resolved against wherever the visitor is.
            ("evil.example", "/"),
            ("account", "/"),
            ("?next=//evil.example", "/"),
            ("#top", "/"),
            ("", "/"),
            ("   ", "/"),
            // Lookalikes of the solidus.
            ("／／evil.example", "/"),
            ("/／evil.example", "/"),
            ("/\u{2215}evil.example", "/"),
            ("\u{2044}\u{2044}evil.example", "/"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(next, want)| same_site(next) != *want)
            .map(|(next, want)| format!("{next:?}: want {want:?}, got {:?}", same_site(next)))
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn every_kept_address_is_a_valid_location() {
        for byte in 0_u8..=255 {
            let odd = char::from(byte);
            for next in [
                format!("/a{odd}b"),
                format!("/{odd}/x"),
                format!("/a?q={odd}#{odd}"),
            ] {
                let kept = same_site(&next);
                assert!(
                    HeaderValue::from_str(&kept).is_ok(),
                    "{next:?} gave {kept:?}"
                );
                assert!(!scheme_relative(&kept), "{next:?} gave {kept:?}");
                assert_eq!(to(&next).status(), StatusCode::SEE_OTHER);
            }
        }
    }
}
