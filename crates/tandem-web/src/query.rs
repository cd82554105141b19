//! The query string of a page's address, read into a struct. An address whose query this page
//! cannot read (`?page=last`, a hand-edited link) gets the ordinary error page in the visitor's
//! own frame, saying what to do, instead of the framework's plain-text rejection.

use crate::WebError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// `axum::extract::Query` with the service's own error page.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Query<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(query)| Self(query))
            .map_err(|_| {
                WebError::BadRequest(
                    "The address has a part this page cannot read, such as a page number that is not a number. Go back and use the page's own links."
                        .to_owned(),
                )
            })
    }
}
