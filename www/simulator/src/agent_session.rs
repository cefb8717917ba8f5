//! Who is signed in to the RA console: the console session's cookie, read by the console's
//! pages (`ra.rs`) and by the agent's call socket (`calls.rs`) alike, and the name the
//! automatic agent registers with.

use crate::Simulator;
use axum::http::{header, HeaderMap};

/// The console session's cookie.
pub const COOKIE: &str = "videoid_ra";
/// The user name the automatic agent registers with.
pub const AUTO_AGENT: &str = "auto";

/// The console session's token, from the request's cookies.
pub(crate) fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The signed-in agent: `(user, form token)`.
pub(crate) fn signed_in(sim: &Simulator, headers: &HeaderMap) -> Option<(String, String)> {
    sim.agents.session(&cookie_token(headers)?)
}
