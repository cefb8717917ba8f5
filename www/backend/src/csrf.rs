//! Cross-site request forgery: a request that changes something must come from the site's
//! own pages (or an origin allowed by CORS), not from any page the end-user happens to visit.
//!
//! `SameSite=Lax` cookies alone leave same-site pages (another subdomain, say) free to send
//! `no-cors` POSTs with the cookie. So every request other than `GET`, `HEAD` and `OPTIONS`
//! is checked here:
//! - a browser names where it comes from: `Origin` must be the public origin, its loopback
//!   alias, or one of the CORS origins; `Origin: null` (a sandboxed frame, a redirect) is
//!   refused;
//! - a browser that sends no `Origin` but `Sec-Fetch-Site` must say `same-origin` or `none`
//!   (typed into the address bar);
//! - a request with neither comes from no browser (a server, `curl`), which holds no
//!   end-user's cookie to abuse, and passes.
//!
//! The Assure webhook (`POST /api/videoid/events`) comes from Assure's servers and is
//! authenticated on its own. JSON bodies must also declare `application/json`
//! ([`crate::extract::JsonBody`]): a page cannot send that type cross-origin without a
//! preflight that CORS refuses. Refusals are `403 { "error" }`.

use crate::http::json_error;
use crate::state::Backend;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The webhook's path: Assure's servers call it, not a browser.
const WEBHOOK: &str = "/api/videoid/events";
const WEBHOOK_WITH_SECRET: &str = "/api/videoid/events/";

/// Refuses a state-changing request from another site (module docs).
pub(crate) async fn guard(
    State(backend): State<Arc<Backend>>,
    request: Request,
    next: Next,
) -> Response {
    let reads = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let path = request.uri().path();
    let webhook = path == WEBHOOK || path.starts_with(WEBHOOK_WITH_SECRET);
    if reads || webhook || backend.same_site_request(request.headers()) {
        return next.run(request).await;
    }
    refused()
}

/// `403 { "error" }` for a request from another site.
pub fn refused() -> Response {
    json_error(
        StatusCode::FORBIDDEN,
        "this request did not come from this site's pages",
    )
}

impl Backend {
    /// True when a state-changing request with these headers may go on (module docs): it
    /// comes from the site's own origin or a CORS origin, or from no browser at all.
    pub fn same_site_request(&self, headers: &HeaderMap) -> bool {
        if let Some(origin) = headers.get(header::ORIGIN) {
            let Ok(origin) = origin.to_str() else {
                return false;
            };
            return origin == self.host_url
                || origin == self.loopback_alias
                || self.cors_origins.iter().any(|allowed| allowed == origin);
        }
        match headers.get("sec-fetch-site").map(|v| v.to_str()) {
            None => true,
            Some(Ok(site)) => matches!(site, "same-origin" | "none"),
            Some(Err(_)) => false,
        }
    }
}
