//! Responses of the demo: pages, redirects and the session cookie that may ride on either.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{pages, session};
use latchkey::serve::html::page_response;

/// A page, setting the session cookie when `cookie` carries a token the browser lacks.
pub fn page(status: StatusCode, html: String, cookie: Option<&str>) -> Response {
    with_cookie(page_response(status, html, pages::csp()), cookie)
}

/// 303 See Other: after a form, the browser loads `to` with GET, so a reload does not re-post.
pub fn redirect(to: &'static str, cookie: Option<&str>) -> Response {
    let response = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, HeaderValue::from_static(to))],
    )
        .into_response();
    with_cookie(response, cookie)
}

/// A form whose CSRF token is missing or wrong (or whose session is gone).
pub fn forbidden() -> Response {
    page(StatusCode::FORBIDDEN, pages::forbidden(), None)
}

fn with_cookie(mut response: Response, cookie: Option<&str>) -> Response {
    if let Some(token) = cookie {
        response
            .headers_mut()
            .append(header::SET_COOKIE, session::set_cookie(token));
    }
    response
}
