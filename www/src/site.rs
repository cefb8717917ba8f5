//! The demo pages and the phone's handoff page on the host origin.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use videoid_backend::handoff::{LinkRefused, OpenedHandoff, PAGE_PATH};
use videoid_backend::http::{parse_query, query_value};
use videoid_backend::Backend;

const DEMO_SCRIPT: &str = include_str!("../static/demo/demo.js");
const HANDOFF_SCRIPT: &str = include_str!("../static/demo/handoff.js");
const HANDOFF_OPEN_SCRIPT: &str = include_str!("../static/demo/handoff-open.js");
const DEMO_STYLE: &str = include_str!("../static/demo/demo.css");

/// The session endpoint `?endpoint=unreachable` points at (nothing listens on port 9).
pub const UNREACHABLE_SESSION_ENDPOINT: &str = "http://127.0.0.1:9/api/videoid/session";

/// Where the real hosted capture pages live (the frame source in real mode).
const REAL_CAPTURE_ORIGINS: &str = "https://*.signicat.com";

/// What the demo pages need to know about the running servers.
pub struct Pages {
    sim_url: String,
    real_mode: bool,
    provider_origins: Vec<String>,
    backend: Option<Arc<Backend>>,
    parent_origin: Option<String>,
}

impl Pages {
    /// Pages that embed captures from the simulator at `sim_url`, or from Signicat in real
    /// mode, and load VideoID's web SDK from `provider_origins`.
    pub fn new(sim_url: String, real_mode: bool, provider_origins: Vec<String>) -> Pages {
        Pages {
            sim_url,
            real_mode,
            provider_origins,
            backend: None,
            parent_origin: None,
        }
    }

    /// Lets pages of `origin` (a checked origin, from the site's configuration) frame the
    /// demo page, whose element then posts its events there.
    pub fn with_parent(mut self, origin: Option<String>) -> Pages {
        self.parent_origin = origin;
        self
    }

    /// Serves the phone's handoff page with `backend`'s handoffs.
    pub fn with_backend(mut self, backend: Arc<Backend>) -> Pages {
        self.backend = Some(backend);
        self
    }
}

/// Demo page routes on the host origin.
pub fn router(pages: Arc<Pages>) -> Router {
    Router::new()
        .route("/", get(demo_page))
        .route(
            "/demo.js",
            get(|| async { text("text/javascript; charset=utf-8", DEMO_SCRIPT) }),
        )
        .route(
            "/demo.css",
            get(|| async { text("text/css; charset=utf-8", DEMO_STYLE) }),
        )
        .route(
            "/handoff.js",
            get(|| async { text("text/javascript; charset=utf-8", HANDOFF_SCRIPT) }),
        )
        .route(
            "/handoff-open.js",
            get(|| async { text("text/javascript; charset=utf-8", HANDOFF_OPEN_SCRIPT) }),
        )
        .route("/videoid/return", get(return_page))
        .route(PAGE_PATH, get(handoff_page).post(handoff_open))
        .with_state(pages)
}

fn text(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

fn html(policy: &str, body: String) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    response
}

/// Escapes text for an HTML attribute value or element content.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// What the demo page's query string asks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoOptions {
    /// `(attribute, value)` pairs copied onto the element.
    pub attributes: Vec<(&'static str, String)>,
    /// The element's `session-endpoint`.
    pub session_endpoint: String,
    /// `?endpoint=unreachable` was asked for.
    pub unreachable: bool,
}

/// Maps the demo page's query (`mode lang inactivity load wait fallback handoff agent mrz
/// scenario auto framing capture-sdk review flow endpoint`).
pub fn demo_options(pairs: &[(String, String)]) -> DemoOptions {
    const COPIED: &[(&str, &str)] = &[
        ("mode", "mode"),
        ("lang", "lang"),
        ("inactivity", "inactivity-timeout"),
        ("load", "load-timeout"),
        ("wait", "result-wait"),
        ("fallback", "fallback"),
        ("handoff", "handoff"),
        ("agent", "agent-timeout"),
        ("mrz", "expose-mrz"),
    ];
    let mut attributes: Vec<(&'static str, String)> = COPIED
        .iter()
        .filter_map(|(param, attr)| query_value(pairs, param).map(|v| (*attr, v.to_string())))
        .collect();
    // This backend serves the handoff, so the demo offers it unless the query says otherwise
    // (the element's own default is off: a page opts in where its backend has the endpoint).
    if !attributes.iter().any(|(attr, _)| *attr == "handoff") {
        attributes.push(("handoff", "auto".to_string()));
    }
    let knobs: Vec<(&str, &str)> = [
        "scenario",
        "auto",
        "framing",
        "capture-sdk",
        "review",
        "flow",
    ]
    .iter()
    .filter_map(|k| query_value(pairs, k).map(|v| (*k, v)))
    .collect();
    let unreachable = query_value(pairs, "endpoint") == Some("unreachable");
    let base = if unreachable {
        UNREACHABLE_SESSION_ENDPOINT
    } else {
        "/api/videoid/session"
    };
    let session_endpoint = match serde_urlencoded::to_string(&knobs) {
        Ok(q) if !q.is_empty() => format!("{base}?{q}"),
        _ => base.to_string(),
    };
    DemoOptions {
        attributes,
        session_endpoint,
        unreachable,
    }
}

impl Pages {
    fn frame_sources(&self) -> String {
        // 'self': the capture page ends by redirecting the frame to our return page.
        if self.real_mode {
            format!("'self' {REAL_CAPTURE_ORIGINS}")
        } else {
            format!("'self' {}", self.sim_url)
        }
    }

    /// The demo's policy. VideoID's web SDK (`mode="sdk"`) needs the provider's origin in
    /// `script-src` (the SDK), `connect-src` (its API) and `media-src`/`img-src` (what it shows).
    fn demo_policy(&self, unreachable: bool) -> String {
        let provider = self.provider_origins.join(" ");
        // The attended SDK signals over a WebSocket to the provider: `ws:`/`wss:` of the same
        // origins (an `https:` source does not cover `wss:`).
        let sockets: Vec<String> = self
            .provider_origins
            .iter()
            .filter_map(|o| {
                o.strip_prefix("https://")
                    .map(|h| format!("wss://{h}"))
                    .or_else(|| o.strip_prefix("http://").map(|h| format!("ws://{h}")))
            })
            .collect();
        let sockets = sockets.join(" ");
        let connect = if unreachable {
            format!("'self' {provider} {sockets} http://127.0.0.1:9")
        } else {
            format!("'self' {provider} {sockets}")
        };
        format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {provider}; frame-src {}; \
             style-src 'self'; img-src 'self' data: blob: {provider}; media-src 'self' blob: {provider}; \
             connect-src {connect}; base-uri 'none'; object-src 'none'; frame-ancestors 'self'{}",
            self.frame_sources(),
            self.parent_origin
                .as_ref()
                .map(|o| format!(" {o}"))
                .unwrap_or_default()
        )
    }

    /// The element's fixed attributes: id, endpoints, allowed origins.
    fn element_attributes(&self, session_endpoint: &str) -> String {
        let allowed = if self.real_mode {
            format!("{REAL_CAPTURE_ORIGINS} {}", self.provider_origins.join(" "))
        } else {
            self.sim_url.clone()
        };
        format!(
            "id=\"capture\" session-endpoint=\"{}\" result-endpoint=\"/api/videoid/result\" \
             allowed-origins=\"{}\"",
            escape_html(session_endpoint),
            escape_html(&allowed)
        )
    }

    fn demo_html(&self, options: &DemoOptions) -> String {
        let mut attributes = self.element_attributes(&options.session_endpoint);
        if let Some(origin) = &self.parent_origin {
            attributes.push_str(&format!(" parent-origin=\"{}\"", escape_html(origin)));
        }
        for (name, value) in &options.attributes {
            attributes.push_str(&format!(" {name}=\"{}\"", escape_html(value)));
        }
        let backend = if self.real_mode {
            "the real Signicat Assure API".to_string()
        } else {
            format!(
                "the local Assure simulator at {}",
                escape_html(&self.sim_url)
            )
        };
        DEMO_PAGE
            .replace("{{ELEMENT_ATTRIBUTES}}", &attributes)
            .replace("{{BACKEND}}", &backend)
    }
}

const DEMO_PAGE: &str = include_str!("../static/demo/index.html");

async fn demo_page(State(pages): State<Arc<Pages>>, RawQuery(query): RawQuery) -> Response {
    let pairs = match parse_query(query.as_deref()) {
        Ok(pairs) => pairs,
        Err(bad) => return bad.into_response(),
    };
    let options = demo_options(&pairs);
    html(
        &pages.demo_policy(options.unreachable),
        pages.demo_html(&options),
    )
}

const RETURN_PAGE: &str = "<!doctype html>
<html lang=\"en\">
<head>
  <meta charset=\"utf-8\">
  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
  <title>Finishing identity verification</title>
  <link rel=\"icon\" href=\"data:,\">
  <link rel=\"stylesheet\" href=\"/demo.css\">
  <script type=\"module\" src=\"/pkg/return.js\"></script>
</head>
<body class=\"return-page\">
  <main>
    <p role=\"status\">Finishing your identity verification…</p>
  </main>
</body>
</html>
";

async fn return_page() -> Response {
    let policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                  img-src 'self' data:; connect-src 'self'; base-uri 'none'; object-src 'none'; \
                  frame-ancestors 'self'";
    html(policy, RETURN_PAGE.to_string())
}

const HANDOFF_PAGE: &str = include_str!("../static/demo/handoff.html");

/// The link's page before it is opened: a form that POSTs the token.
const HANDOFF_OPEN_PAGE: &str = include_str!("../static/demo/handoff-open.html");

/// The policy of the pages with no script.
const HANDOFF_STATIC_POLICY: &str =
    "default-src 'none'; style-src 'self'; img-src data:; base-uri 'none'; object-src 'none'; \
     frame-ancestors 'self'";

const HANDOFF_USED_PAGE: &str = "<!doctype html>
<html lang=\"en\">
<head>
  <meta charset=\"utf-8\">
  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
  <title>This link was used or has expired</title>
  <link rel=\"icon\" href=\"data:,\">
  <link rel=\"stylesheet\" href=\"/demo.css\">
</head>
<body class=\"handoff-page\">
  <main class=\"wrap\">
    <h1 id=\"handoff-used\">This link was used or has expired</h1>
    <p>Each code works once and for a few minutes only. Start again on your computer to get a new code.</p>
  </main>
</body>
</html>
";

const HANDOFF_UNAVAILABLE_PAGE: &str = "<!doctype html>
<html lang=\"en\">
<head>
  <meta charset=\"utf-8\">
  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
  <title>Please try again</title>
  <link rel=\"stylesheet\" href=\"/demo.css\">
</head>
<body class=\"handoff-page\">
  <main class=\"wrap\">
    <h1>Please try again</h1>
    <p>The link could not be opened just now. Reload this page in a moment.</p>
  </main>
</body>
</html>
";

/// The handoff pages carry no script of their own but `/handoff-open.js` and `/handoff.js`,
/// and send no referrer to other origins (the link's token is in the URL). Their own origin,
/// which knows the token, gets it: `no-referrer` would also make the form's POST say
/// `Origin: null`, which the cross-site check refuses.
fn handoff_response(policy: &str, status: StatusCode, body: String) -> Response {
    let mut response = html(policy, body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

impl Pages {
    /// The phone's page for an opened handoff: the element in the handoff's mode and language,
    /// never offering another handoff.
    fn handoff_html(&self, opened: &OpenedHandoff) -> String {
        let handoff = &opened.handoff;
        let session_endpoint = match handoff.scenario.as_deref() {
            Some(scenario) => {
                let query =
                    serde_urlencoded::to_string([("scenario", scenario)]).unwrap_or_default();
                format!("/api/videoid/session?{query}")
            }
            None => "/api/videoid/session".to_string(),
        };
        let mut attributes = self.element_attributes(&session_endpoint);
        attributes.push_str(&format!(
            " mode=\"{}\" handoff=\"off\"",
            escape_html(&handoff.mode)
        ));
        if let Some(lang) = &handoff.lang {
            attributes.push_str(&format!(" lang=\"{}\"", escape_html(lang)));
        }
        // Digits only (the backend draws them); escaped all the same.
        let code = handoff.pair_code.as_deref().unwrap_or("");
        HANDOFF_PAGE
            .replace("{{ELEMENT_ATTRIBUTES}}", &attributes)
            .replace("{{PAIR_CODE}}", &escape_html(code))
    }
}

/// `GET /videoid/handoff?t=…`: a page whose form opens the link (see [`handoff_open`]), or
/// 410 "used or expired". A GET only looks: a preview of the link leaves it usable.
async fn handoff_page(State(pages): State<Arc<Pages>>, RawQuery(query): RawQuery) -> Response {
    let Some(backend) = &pages.backend else {
        return used_link();
    };
    let pairs = parse_query(query.as_deref()).unwrap_or_default();
    let Some(token) = query_value(&pairs, "t") else {
        return used_link();
    };
    match backend.handoff_link_usable(token).await {
        // The token is an id (URL-safe characters only), checked by `handoff_link_usable`.
        Ok(true) => handoff_response(
            &pages.demo_policy(false),
            StatusCode::OK,
            HANDOFF_OPEN_PAGE.replace("{{TOKEN}}", &escape_html(token)),
        ),
        Ok(false) => used_link(),
        Err(e) => unavailable(&e),
    }
}

/// `POST /videoid/handoff` (form field `t`): opens the link once, giving the phone its own
/// cookie and the page with the element, or answers 410 "used or expired".
async fn handoff_open(
    State(pages): State<Arc<Pages>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let policy = pages.demo_policy(false);
    let Some(backend) = &pages.backend else {
        return used_link();
    };
    // Opening the link names the phone's end-user (a cookie): only from the link's own page.
    if !backend.same_site_request(&headers) {
        return videoid_backend::csrf::refused();
    }
    let form = std::str::from_utf8(&body).ok().filter(|f| f.len() <= 1024);
    let pairs = parse_query(form).unwrap_or_default();
    let Some(token) = query_value(&pairs, "t") else {
        return used_link();
    };
    match backend.open_handoff_link(token).await {
        Ok(opened) => {
            let mut response =
                handoff_response(&policy, StatusCode::OK, pages.handoff_html(&opened));
            response
                .headers_mut()
                .insert(header::SET_COOKIE, opened.cookie);
            response
        }
        Err(LinkRefused::Gone) => used_link(),
        Err(LinkRefused::Storage(e)) => unavailable(&e),
    }
}

/// `410` and the "this link was used or has expired" page, with no capture.
fn used_link() -> Response {
    handoff_response(
        HANDOFF_STATIC_POLICY,
        StatusCode::GONE,
        HANDOFF_USED_PAGE.to_string(),
    )
}

/// `503` and a "try again" page: the database failed.
fn unavailable(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "could not open a handoff link");
    handoff_response(
        "default-src 'none'; style-src 'self'; base-uri 'none'; object-src 'none'",
        StatusCode::SERVICE_UNAVAILABLE,
        HANDOFF_UNAVAILABLE_PAGE.to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(q).unwrap()
    }

    #[test]
    fn demo_query_maps_to_attributes_and_endpoint() {
        let o = demo_options(&pairs(
            "mode=embed&inactivity=5&wait=30&scenario=rejected&auto=1&framing=deny",
        ));
        assert_eq!(
            o.attributes,
            vec![
                ("mode", "embed".to_string()),
                ("inactivity-timeout", "5".to_string()),
                ("result-wait", "30".to_string()),
                ("handoff", "auto".to_string())
            ]
        );
        assert_eq!(
            o.session_endpoint,
            "/api/videoid/session?scenario=rejected&auto=1&framing=deny"
        );
        assert!(!o.unreachable);
        let o = demo_options(&pairs(
            "mode=native&handoff=always&scenario=accepted&mrz=true",
        ));
        assert_eq!(
            o.attributes,
            vec![
                ("mode", "native".to_string()),
                ("handoff", "always".to_string()),
                ("expose-mrz", "true".to_string())
            ]
        );
        assert_eq!(o.session_endpoint, "/api/videoid/session?scenario=accepted");
        let o = demo_options(&pairs("endpoint=unreachable"));
        assert_eq!(o.session_endpoint, UNREACHABLE_SESSION_ENDPOINT);
        assert_eq!(o.attributes, vec![("handoff", "auto".to_string())]);
    }

    #[test]
    fn page_escapes_attribute_values() {
        let pages = Pages::new(
            "http://127.0.0.1:1".into(),
            false,
            vec!["http://127.0.0.1:1".into()],
        );
        let html = pages.demo_html(&demo_options(&pairs("lang=%22%3E%3Cscript%3E")));
        assert!(html.contains("lang=\"&quot;&gt;&lt;script&gt;\""));
        assert!(!html.contains("\"><script>"));
    }

    #[test]
    fn the_policy_lets_the_provider_sdk_load_connect_and_show_media() {
        let pages = Pages::new(
            "http://127.0.0.1:1".into(),
            true,
            vec!["https://*.electronicid.eu".into()],
        );
        let policy = pages.demo_policy(false);
        for directive in ["script-src", "connect-src", "media-src", "img-src"] {
            let sources = policy
                .split(';')
                .map(str::trim)
                .find(|d| d.starts_with(directive))
                .unwrap();
            assert!(sources.contains("https://*.electronicid.eu"), "{sources}");
        }
        // The attended SDK's signalling socket.
        assert!(policy
            .contains("connect-src 'self' https://*.electronicid.eu wss://*.electronicid.eu;"));
        let html = pages.demo_html(&demo_options(&pairs("mode=sdk")));
        assert!(
            html.contains("allowed-origins=\"https://*.signicat.com https://*.electronicid.eu\"")
        );
        assert!(html.contains("mode=\"sdk\""));
        let o = demo_options(&pairs("capture-sdk=native&scenario=accepted"));
        assert_eq!(
            o.session_endpoint,
            "/api/videoid/session?scenario=accepted&capture-sdk=native"
        );
        let o = demo_options(&pairs("review=agent&scenario=accepted"));
        assert_eq!(
            o.session_endpoint,
            "/api/videoid/session?scenario=accepted&review=agent"
        );
        let o = demo_options(&pairs("mode=sdk&flow=attended&agent=30"));
        assert_eq!(o.session_endpoint, "/api/videoid/session?flow=attended");
        assert!(o.attributes.contains(&("agent-timeout", "30".to_string())));
    }
}
