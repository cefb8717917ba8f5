//! Handoff of a capture to the end-user's phone: the desktop asks for a link (shown as a QR
//! code), the phone opens it once and gets its own short-lived session for the desktop
//! end-user's dossier, and the desktop follows the phone's progress.
//!
//! - `POST /api/videoid/handoff` → `201 { id, url, expiresAt, expiresIn }`: the link's token is
//!   256 random bits, stored only as its digest (a single-use token of kind `handoff`), valid
//!   for [`LINK_LIFETIME`] and bound to the desktop's end-user;
//! - `GET /api/videoid/handoff/{id}/events` → `{ id, status, code?, expiresAt, dossierId?,
//!   processId? }` for the handoff's own end-user (anyone else: 404);
//! - pairing: once a phone opened the link, both screens show a code ([`PAIR_CODE_DIGITS`]),
//!   `status` is `pairing` with `code`, and the phone may not capture (`409`) until the
//!   desktop confirms it: `POST /api/videoid/handoff/{id}/confirm` → `paired`; "not mine"
//!   is the revocation below;
//! - `DELETE /api/videoid/handoff/{id}` revokes it (`204`, idempotent);
//! - `GET /api/videoid/handoff/phone` → `{ status, code? }` for the phone's cookie
//!   [`PHONE_COOKIE`];
//! - the page `GET /videoid/handoff?t=…` (the demo site) only looks at the link
//!   ([`Backend::handoff_link_usable`]): a GET changes nothing, so a link preview or a
//!   mail scanner that fetches the URL does not use it up. The page's form `POST`s the
//!   token (at once, by script; or by the user's tap) to `/videoid/handoff`, which opens
//!   the link through [`Backend::open_handoff_link`].
//!
//! Status moves are the store's single statements, so two instances on one database, or
//! concurrent requests, never move a handoff backwards.

use crate::endusers;
use crate::extract::{JsonBody, Query};
use crate::http::json_error;
use crate::ids;
use crate::state::{cookie_value, storage_failure, Backend, Visitor};
use crate::store::{Consumed, Handoff, HandoffStatus, NewHandoff, NewToken, StoreError, Token};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

/// The phone's own cookie: a random secret bound to one handoff (never the desktop's cookie).
pub const PHONE_COOKIE: &str = "videoid_handoff";

/// The kind of the link's single-use token.
pub const TOKEN_KIND: &str = "handoff";

/// How long a link may be opened.
pub const LINK_LIFETIME: Duration = Duration::from_secs(600);

/// The digits of the pairing code both screens show once the phone opened the link: 10,000
/// codes, drawn evenly. It is no secret against a guesser (nothing can be entered): a person
/// compares it on two screens, so someone else's phone that opened the link first shows
/// another code than the end-user's own (which shows "used"), or the end-user sees a prompt
/// while holding no phone. It lives as long as the phone's session before confirmation.
pub const PAIR_CODE_DIGITS: u32 = 4;

/// The phone's page, on the host origin.
pub const PAGE_PATH: &str = "/videoid/handoff";

/// The element modes a handoff may run on the phone.
const MODES: &[&str] = &["native", "sdk", "embed", "auto"];

#[derive(Deserialize, Default)]
pub(crate) struct HandoffRequest {
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

fn rfc3339_ms(ms: i64) -> String {
    let at = UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or_default());
    crate::clock::rfc3339(at)
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The answer for a phone whose handoff ended (or never was): 410.
fn ended(status: Option<HandoffStatus>) -> Response {
    let message = match status {
        Some(HandoffStatus::Cancelled) => "the handoff was cancelled",
        Some(HandoffStatus::Complete) => "the handoff is complete",
        Some(HandoffStatus::Expired) => "the handoff has expired",
        _ => "the handoff has ended",
    };
    json_error(StatusCode::GONE, message)
}

/// A handoff the phone opened: its cookie and what the page runs.
pub struct OpenedHandoff {
    pub handoff: Handoff,
    /// The `Set-Cookie` value that gives the phone its own session.
    pub cookie: HeaderValue,
}

/// Why a link did not open.
#[derive(Debug)]
pub enum LinkRefused {
    /// Used, expired, revoked, unknown or malformed: the "used or expired" page.
    Gone,
    /// The database failed.
    Storage(StoreError),
}

impl From<StoreError> for LinkRefused {
    fn from(e: StoreError) -> Self {
        LinkRefused::Storage(e)
    }
}

impl Backend {
    /// The `Set-Cookie` value that names the phone's handoff session.
    fn phone_cookie(&self, secret: &str) -> HeaderValue {
        let secure = if self.host_url.starts_with("https://") {
            "; Secure"
        } else {
            ""
        };
        let max_age = self.session_lifetime.as_secs().max(1);
        let value = format!(
            "{PHONE_COOKIE}={secret}; Path=/api/videoid; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
        );
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// True when the simulator's test knobs may be used (the phone page passes the scenario on).
    pub fn is_simulator(&self) -> bool {
        self.simulator_mode
    }

    /// The handoff a link's token names, if it is the handoff of the token's own end-user.
    async fn linked_handoff(&self, link: &Token) -> Result<Option<Handoff>, StoreError> {
        let id = serde_json::from_str::<Value>(&link.payload)
            .ok()
            .and_then(|p| p["handoff"].as_str().map(str::to_string));
        let Some(id) = id else { return Ok(None) };
        let handoff = self.store.handoff(&id).await?;
        Ok(handoff.filter(|h| link.enduser.as_ref() == Some(&h.enduser)))
    }

    /// Whether a handoff link can still be opened: its token is known, unused and unexpired,
    /// and its handoff still waits for the phone. Reads only.
    pub async fn handoff_link_usable(&self, token: &str) -> Result<bool, StoreError> {
        if !ids::is_valid_id(token) {
            return Ok(false);
        }
        let now = crate::store::now_ms();
        let link = self.store.token(TOKEN_KIND, token, now).await?;
        let Some(link) = link.filter(|l| !l.consumed) else {
            return Ok(false);
        };
        let handoff = self.linked_handoff(&link).await?;
        Ok(handoff.is_some_and(|h| h.status_at(now) == HandoffStatus::Waiting))
    }

    /// Opens a handoff link: uses its token (once), binds a new phone secret and moves the
    /// handoff to `opened`.
    pub async fn open_handoff_link(&self, token: &str) -> Result<OpenedHandoff, LinkRefused> {
        if !ids::is_valid_id(token) {
            return Err(LinkRefused::Gone);
        }
        let now = crate::store::now_ms();
        let Consumed::Now(used) = self.store.consume_token(TOKEN_KIND, token, now).await? else {
            return Err(LinkRefused::Gone);
        };
        let Some(Handoff { id, .. }) = self.linked_handoff(&used).await? else {
            return Err(LinkRefused::Gone);
        };
        let secret = ids::try_token().map_err(StoreError::from)?;
        let code = ids::try_digits(PAIR_CODE_DIGITS).map_err(StoreError::from)?;
        let until = now + self.session_lifetime.as_millis() as i64;
        if !self
            .store
            .open_handoff(&id, &secret, &code, now, until)
            .await?
        {
            return Err(LinkRefused::Gone);
        }
        let handoff = self.store.handoff(&id).await?.ok_or(LinkRefused::Gone)?;
        Ok(OpenedHandoff {
            handoff,
            cookie: self.phone_cookie(&secret),
        })
    }
}

/// The desktop end-user's session for a request from a phone: only with the phone cookie and
/// without the desktop's (the desktop cookie wins). `Ok(None)`: not a phone request.
pub(crate) async fn phone_visitor(
    backend: &Backend,
    headers: &HeaderMap,
) -> Result<Option<(Visitor, Handoff)>, Response> {
    const WHAT: &str = "continue the capture on this device";
    if cookie_value(headers, endusers::COOKIE).is_some() {
        return Ok(None);
    }
    let Some(secret) = cookie_value(headers, PHONE_COOKIE) else {
        return Ok(None);
    };
    let handoff = match backend.store.phone_handoff(&secret).await {
        Ok(Some(h)) => h,
        Ok(None) => return Err(ended(None)),
        Err(e) => return Err(storage_failure(WHAT, &e)),
    };
    let status = handoff.status_at(crate::store::now_ms());
    if status == HandoffStatus::Opened {
        // Nothing is captured before the desktop confirmed this phone's code.
        return Err(json_error(
            StatusCode::CONFLICT,
            "confirm the code on your computer first",
        ));
    }
    if !matches!(
        status,
        HandoffStatus::Paired | HandoffStatus::Capturing | HandoffStatus::Uploading
    ) {
        return Err(ended(Some(status)));
    }
    let user = match backend.store.enduser(&handoff.enduser).await {
        Ok(Some(user)) => user,
        Ok(None) => return Err(ended(None)),
        Err(e) => return Err(storage_failure(WHAT, &e)),
    };
    let visitor = Visitor {
        // Never sent: the phone is not named with the desktop's cookie.
        cookie: String::new(),
        key: user.key,
        dossier_id: user.dossier_id,
        named_now: false,
    };
    Ok(Some((visitor, handoff)))
}

/// Records the process a phone's session started; 410 when the handoff ended meanwhile.
pub(crate) async fn record_session(
    backend: &Backend,
    handoff: &Handoff,
    answer: &Value,
) -> Result<(), Response> {
    let Some(dossier_id) = answer["dossierId"].as_str() else {
        return Ok(());
    };
    let process_id = answer["processId"].as_str();
    let now = crate::store::now_ms();
    match backend
        .store
        .handoff_capturing(&handoff.id, dossier_id, process_id, now)
        .await
    {
        Ok(true) => Ok(()),
        Ok(false) => {
            let status = match backend.store.handoff(&handoff.id).await {
                Ok(h) => h.map(|h| h.status_at(now)),
                Err(_) => None,
            };
            Err(ended(status))
        }
        Err(e) => Err(storage_failure("continue the capture on this device", &e)),
    }
}

/// The handoff a process belongs to, for the upload calls: `Err(410)` when it was cancelled or
/// expired, `Ok(None)` when the process is no handoff's.
pub(crate) async fn live_for_process(
    backend: &Backend,
    process_id: &str,
) -> Result<Option<String>, Response> {
    match backend.store.process_handoff(process_id).await {
        Ok(None) => Ok(None),
        Ok(Some(h)) => match h.status_at(crate::store::now_ms()) {
            s @ (HandoffStatus::Cancelled | HandoffStatus::Expired) => Err(ended(Some(s))),
            _ => Ok(Some(h.id)),
        },
        Err(e) => Err(storage_failure("read the handoff", &e)),
    }
}

/// Moves a handoff forward after the phone's progress (nothing without a handoff).
pub(crate) async fn progress(
    backend: &Backend,
    handoff_id: Option<&str>,
    to: HandoffStatus,
) -> Result<(), Response> {
    let Some(id) = handoff_id else {
        return Ok(());
    };
    match backend
        .store
        .advance_handoff(id, to, crate::store::now_ms())
        .await
    {
        Ok(_) => Ok(()),
        Err(e) => Err(storage_failure("record the handoff's progress", &e)),
    }
}

/// Whether the phone cookie of `headers` may read this process of this dossier: the process
/// its handoff started (a hosted flow's, named at its first read once Assure confirms it).
pub(crate) async fn phone_reads(
    backend: &Backend,
    headers: &HeaderMap,
    dossier_id: &str,
    process_id: &str,
) -> Result<Option<PhoneRead>, StoreError> {
    let Some(secret) = cookie_value(headers, PHONE_COOKIE) else {
        return Ok(None);
    };
    let Some(handoff) = backend.store.phone_handoff(&secret).await? else {
        return Ok(None);
    };
    let now = crate::store::now_ms();
    if matches!(
        handoff.status_at(now),
        HandoffStatus::Cancelled | HandoffStatus::Expired
    ) || handoff.dossier_id.as_deref() != Some(dossier_id)
    {
        return Ok(None);
    }
    Ok(match handoff.process_id.as_deref() {
        Some(known) if known == process_id => Some(PhoneRead {
            handoff_id: handoff.id,
            unbound: false,
        }),
        Some(_) => None,
        None => Some(PhoneRead {
            handoff_id: handoff.id,
            unbound: true,
        }),
    })
}

/// A phone's read of a process ([`phone_reads`]).
pub(crate) struct PhoneRead {
    /// The phone's handoff.
    pub handoff_id: String,
    /// The handoff names no process yet: the first that Assure confirms in its dossier
    /// becomes its own ([`bind_confirmed`]).
    pub unbound: bool,
}

/// Binds `process_id` to the phone's handoff, once Assure has answered for it in the
/// handoff's dossier (never before: an id that is not the dossier's must not be bound, or its
/// owner's uploads would end with this handoff). False when another process won meanwhile.
pub(crate) async fn bind_confirmed(
    backend: &Backend,
    read: &PhoneRead,
    process_id: &str,
) -> Result<bool, StoreError> {
    if !read.unbound {
        return Ok(true);
    }
    backend
        .store
        .bind_handoff_process(&read.handoff_id, process_id, crate::store::now_ms())
        .await
}

/// `POST /api/videoid/handoff`: a link for the desktop end-user's phone.
pub(crate) async fn create(
    State(backend): State<Arc<Backend>>,
    Query(pairs): Query,
    headers: HeaderMap,
    JsonBody(request): JsonBody<HandoffRequest>,
) -> Response {
    let mode = request
        .mode
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "auto".to_string());
    if !MODES.contains(&mode.as_str()) {
        return json_error(
            StatusCode::BAD_REQUEST,
            "mode must be embed, auto, native or sdk",
        );
    }
    let lang = request.lang.filter(|l| !l.is_empty());
    if lang
        .as_deref()
        .is_some_and(|l| !crate::state::is_language_tag(l))
    {
        return json_error(StatusCode::BAD_REQUEST, "lang is not a language tag");
    }
    let scenario = if backend.simulator_mode {
        match crate::state::simulator_knobs(&pairs) {
            Ok(knobs) => knobs.scenario,
            Err(message) => return json_error(StatusCode::BAD_REQUEST, message),
        }
    } else {
        None
    };
    const WHAT: &str = "hand the capture over to another device";
    let visitor = match backend.visitor_or_new(&headers).await {
        Ok(visitor) => visitor,
        Err(e) => return storage_failure(WHAT, &e),
    };
    let (id, token) = match (ids::try_uuid(), ids::try_token()) {
        (Ok(id), Ok(token)) => (id, token),
        (Err(e), _) | (_, Err(e)) => return storage_failure(WHAT, &e.into()),
    };
    let now = crate::store::now_ms();
    let lifetime = LINK_LIFETIME.min(backend.session_lifetime);
    let expires_at_ms = now + lifetime.as_millis() as i64;
    let stored = async {
        backend
            .store
            .create_handoff(&NewHandoff {
                id: &id,
                enduser: &visitor.key,
                mode: &mode,
                lang: lang.as_deref(),
                scenario: scenario.as_deref(),
                created_at_ms: now,
                expires_at_ms,
            })
            .await?;
        let payload = json!({ "handoff": id }).to_string();
        backend
            .store
            .put_token(&NewToken {
                kind: TOKEN_KIND,
                secret: &token,
                enduser: Some(&visitor.key),
                payload: &payload,
                created_at_ms: now,
                expires_at_ms,
            })
            .await
    }
    .await;
    let mut response = match stored {
        Ok(true) => {
            let origin = backend.page_origin(&headers);
            let answer = json!({
                "id": id,
                "url": format!("{origin}{PAGE_PATH}?t={token}"),
                "expiresAt": rfc3339_ms(expires_at_ms),
                "expiresIn": lifetime.as_secs(),
            });
            no_store((StatusCode::CREATED, Json(answer)).into_response())
        }
        Ok(false) => storage_failure(WHAT, &StoreError("a link token was issued twice".into())),
        Err(e) => storage_failure(WHAT, &e),
    };
    if visitor.named_now {
        response
            .headers_mut()
            .insert(header::SET_COOKIE, backend.cookie(Some(&visitor.cookie)));
    }
    response
}

/// The handoff `id` of the request's (desktop) end-user; 404 for anyone else.
async fn own_handoff(
    backend: &Backend,
    headers: &HeaderMap,
    id: &str,
    what: &str,
) -> Result<Handoff, Response> {
    let unknown = || json_error(StatusCode::NOT_FOUND, "unknown handoff");
    if !ids::is_valid_id(id) {
        return Err(unknown());
    }
    let visitor = match backend.visitor(headers).await {
        Ok(Some(v)) => v,
        Ok(None) => return Err(unknown()),
        Err(e) => return Err(storage_failure(what, &e)),
    };
    match backend.store.handoff(id).await {
        Ok(Some(h)) if h.enduser == visitor.key => Ok(h),
        Ok(_) => Err(unknown()),
        Err(e) => Err(storage_failure(what, &e)),
    }
}

/// `GET /api/videoid/handoff/{id}/events`: where the handoff stands (status and ids only).
pub(crate) async fn events(
    State(backend): State<Arc<Backend>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let handoff = match own_handoff(&backend, &headers, &id, "read the handoff").await {
        Ok(h) => h,
        Err(r) => return r,
    };
    no_store(Json(status_answer(&handoff)).into_response())
}

/// Where a handoff stands, for its desktop: status, the pairing code while it waits for the
/// desktop's confirmation, and the ids once the phone's capture started.
fn status_answer(handoff: &Handoff) -> Value {
    let status = handoff.status_at(crate::store::now_ms());
    let mut answer = json!({
        "id": handoff.id,
        "status": status.api_name(),
        "expiresAt": rfc3339_ms(handoff.expires_at_ms),
    });
    if let (HandoffStatus::Opened, Some(code)) = (status, &handoff.pair_code) {
        answer["code"] = json!(code);
    }
    if let Some(dossier_id) = &handoff.dossier_id {
        answer["dossierId"] = json!(dossier_id);
    }
    if let Some(process_id) = &handoff.process_id {
        answer["processId"] = json!(process_id);
    }
    answer
}

/// `POST /api/videoid/handoff/{id}/confirm`: the desktop's end-user says the phone that
/// shows this handoff's code is theirs; the phone may capture from now on. `409` when no
/// phone waits for that (not opened yet, or confirmed before), `410` when it ended.
pub(crate) async fn confirm(
    State(backend): State<Arc<Backend>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    const WHAT: &str = "confirm the phone";
    if let Err(r) = own_handoff(&backend, &headers, &id, WHAT).await {
        return r;
    }
    let now = crate::store::now_ms();
    match backend.store.confirm_handoff(&id, now).await {
        Ok(true) => {}
        Ok(false) => {
            return match backend.store.handoff(&id).await {
                Ok(Some(h)) if !h.status_at(now).is_final() => {
                    json_error(StatusCode::CONFLICT, "no phone waits for a confirmation")
                }
                Ok(h) => ended(h.map(|h| h.status_at(now))),
                Err(e) => storage_failure(WHAT, &e),
            }
        }
        Err(e) => return storage_failure(WHAT, &e),
    }
    match backend.store.handoff(&id).await {
        Ok(Some(h)) => no_store(Json(status_answer(&h)).into_response()),
        Ok(None) => ended(None),
        Err(e) => storage_failure(WHAT, &e),
    }
}

/// `DELETE /api/videoid/handoff/{id}`: revokes the link and the phone's session.
pub(crate) async fn revoke(
    State(backend): State<Arc<Backend>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    const WHAT: &str = "cancel the handoff";
    if let Err(r) = own_handoff(&backend, &headers, &id, WHAT).await {
        return r;
    }
    let now = crate::store::now_ms();
    match backend
        .store
        .advance_handoff(&id, HandoffStatus::Cancelled, now)
        .await
    {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => storage_failure(WHAT, &e),
    }
}

/// `GET /api/videoid/handoff/phone`: the status of the phone cookie's handoff.
pub(crate) async fn phone(State(backend): State<Arc<Backend>>, headers: HeaderMap) -> Response {
    let unknown = || json_error(StatusCode::NOT_FOUND, "no handoff on this device");
    let Some(secret) = cookie_value(&headers, PHONE_COOKIE) else {
        return unknown();
    };
    match backend.store.phone_handoff(&secret).await {
        Ok(Some(h)) => {
            let status = h.status_at(crate::store::now_ms());
            let mut answer = json!({ "status": status.api_name() });
            if let (HandoffStatus::Opened, Some(code)) = (status, &h.pair_code) {
                answer["code"] = json!(code);
            }
            no_store(Json(answer).into_response())
        }
        Ok(None) => unknown(),
        Err(e) => storage_failure("read the handoff", &e),
    }
}
