//! Live interviews (attended VideoID): the queue of waiting calls and the signalling between
//! the end-user's attended SDK and an agent in the RA console, over WebSockets.
//!
//! ```text
//! GET {providerApiUrl}/ws/call?authorization=…   the end-user's socket (any origin; the
//!                                                authorization is the credential)
//! GET /ra/ws                                     an agent's socket (console session cookie,
//!                                                the simulator's own Origin)
//! GET /ra/calls/{processId}                      the call page (camera, WebRTC, prompts, stills)
//! PUT /ra/calls/{processId}/images/{front|back|face}   a still the agent took (image/jpeg)
//! PUT /ra/calls/{processId}/recording            the agent's recording of the call (video/*)
//! ```
//! Every message is one JSON object with a `type`; the protocol is listed in `www/README.md`
//! ("Live interviews"). The user's socket is accepted for a process that is pending, of
//! `processType` `high`, whose authorization is valid and not spent, and whose video session
//! is open (`POST {providerApiUrl}/api/videos` first). Media flow peer to peer: the simulator
//! relays the SDP offer/answer and ICE candidates and offers no ICE servers
//! (`iceServers: []`); a real provider supplies STUN/TURN.
//!
//! The automatic agent of the control API (`autoAcceptAfterMs`) takes live calls too: it
//! "picks up" after that delay, prompts each phase, and, as it has no browser, asks the SDK to
//! upload its own stills and recording through the provider API; it then ends the call
//! (`completed`) and accepts the process. That is a simulation shortcut, not VideoID's service.

use crate::agent_session::{signed_in, AUTO_AGENT};
use crate::clock::now_rfc3339;
use crate::http::essence;
use crate::ids;
use crate::media::{read_limited, MAX_STILL_BYTES, MAX_VIDEO_BYTES};
use crate::model::{Media, Process, Status};
use crate::{now_ms, Simulator};
use axum::body::Body;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::mpsc;

/// Largest signalling message (an SDP with many candidates fits easily).
pub const MAX_MESSAGE_BYTES: usize = 64 << 10;
/// How long one waiting position is estimated to take (`estimatedWaitSeconds` per position)
/// when no automatic agent is on.
pub const SECONDS_PER_POSITION: u64 = 60;
/// How many departures the console remembers ("the user left").
const LEFT_KEPT: usize = 20;
/// How long the console shows a departure.
const LEFT_SHOWN_MS: u64 = 10 * 60 * 1000;
/// The phases a live interview knows.
const PHASES: &[&str] = &["FRONT", "BACK", "FACE"];

/// Opening hours of the agents, in UTC: `opens` ≤ now < `closes` (over midnight when
/// `closes` < `opens`; equal times: always open).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hours {
    /// Minutes after midnight UTC.
    pub opens: u32,
    /// Minutes after midnight UTC.
    pub closes: u32,
}

impl Hours {
    /// Reads `"HH:MM"`.
    pub fn minutes(text: &str) -> Option<u32> {
        let (h, m) = text.split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let h: u32 = h.parse().ok()?;
        let m: u32 = m.parse().ok()?;
        (h < 24 && m < 60).then_some(h * 60 + m)
    }

    fn text(minutes: u32) -> String {
        format!("{:02}:{:02}", minutes / 60, minutes % 60)
    }

    /// `{ "opens": "HH:MM", "closes": "HH:MM" }`.
    pub fn to_json(self) -> Value {
        json!({ "opens": Hours::text(self.opens), "closes": Hours::text(self.closes) })
    }

    /// Whether `ms` (since the epoch) is within the hours.
    pub fn is_open(self, ms: u64) -> bool {
        let minute = ((ms / 60_000) % (24 * 60)) as u32;
        if self.opens == self.closes {
            return true;
        }
        if self.opens < self.closes {
            self.opens <= minute && minute < self.closes
        } else {
            minute >= self.opens || minute < self.closes
        }
    }

    /// The next opening after `ms`, in ms since the epoch.
    pub fn next_opening(self, ms: u64) -> u64 {
        let day = 24 * 60 * 60_000;
        let midnight = ms - ms % day;
        let today = midnight + u64::from(self.opens) * 60_000;
        if today > ms {
            today
        } else {
            today + day
        }
    }
}

/// Something to send on a socket.
enum Out {
    Json(Value),
    Close,
}

type Tx = mpsc::UnboundedSender<Out>;

fn send(tx: &Tx, value: Value) {
    let _ = tx.send(Out::Json(value));
}

/// Who took a call.
enum Peer {
    /// An agent's console socket.
    Console { conn: u64, agent: String },
    /// The automatic agent; `next` is the index of the phase it asks for next.
    Auto { next: usize },
}

struct Call {
    dossier_id: String,
    phases: Vec<String>,
    enqueued_ms: u64,
    user_conn: u64,
    user: Tx,
    peer: Option<Peer>,
    last_position: Option<usize>,
}

struct Console {
    tx: Tx,
    call: Option<String>,
}

struct Left {
    process_id: String,
    waited_ms: u64,
    at_ms: u64,
    during_call: bool,
}

#[derive(Default)]
struct CallState {
    /// By process id.
    calls: BTreeMap<String, Call>,
    consoles: HashMap<u64, Console>,
    left: VecDeque<Left>,
    next_conn: u64,
    hours: Option<Hours>,
}

/// The live calls, the agents' consoles and the opening hours.
#[derive(Default)]
pub(crate) struct Calls {
    state: Mutex<CallState>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A waiting or connected call as the console and the control API list it.
#[derive(Clone, Debug)]
pub struct LiveCall {
    pub process_id: String,
    pub dossier_id: String,
    pub waiting_ms: u64,
    /// 1-based, while waiting.
    pub position: Option<usize>,
    /// `"waiting"` or `"connected"`.
    pub state: &'static str,
    pub automatic: bool,
    /// The agent on the call (`auto` for the automatic agent).
    pub agent: Option<String>,
}

/// A call whose user left, as the console shows it.
#[derive(Clone, Debug)]
pub struct LeftCall {
    pub process_id: String,
    pub waited_ms: u64,
    pub ago_ms: u64,
    pub during_call: bool,
}

impl CallState {
    fn waiting(&self) -> Vec<String> {
        let mut waiting: Vec<(&String, u64)> = self
            .calls
            .iter()
            .filter(|(_, c)| c.peer.is_none())
            .map(|(id, c)| (id, c.enqueued_ms))
            .collect();
        waiting.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
        waiting.into_iter().map(|(id, _)| id.clone()).collect()
    }

    fn list(&self, now: u64) -> Vec<LiveCall> {
        let waiting = self.waiting();
        let mut list: Vec<LiveCall> = self
            .calls
            .iter()
            .map(|(id, c)| LiveCall {
                process_id: id.clone(),
                dossier_id: c.dossier_id.clone(),
                waiting_ms: now.saturating_sub(c.enqueued_ms),
                position: waiting.iter().position(|w| w == id).map(|p| p + 1),
                state: if c.peer.is_some() {
                    "connected"
                } else {
                    "waiting"
                },
                automatic: matches!(c.peer, Some(Peer::Auto { .. })),
                agent: match &c.peer {
                    Some(Peer::Console { agent, .. }) => Some(agent.clone()),
                    Some(Peer::Auto { .. }) => Some(AUTO_AGENT.to_string()),
                    None => None,
                },
            })
            .collect();
        list.sort_by_key(|c| std::cmp::Reverse(c.waiting_ms));
        list
    }

    fn left_list(&self, now: u64) -> Vec<LeftCall> {
        self.left
            .iter()
            .filter(|l| now.saturating_sub(l.at_ms) < LEFT_SHOWN_MS)
            .map(|l| LeftCall {
                process_id: l.process_id.clone(),
                waited_ms: l.waited_ms,
                ago_ms: now.saturating_sub(l.at_ms),
                during_call: l.during_call,
            })
            .collect()
    }

    /// Tells each waiting user its position when it changed, and every console the queue.
    fn refresh(&mut self, auto_after: Option<Duration>) {
        let now = now_ms();
        let waiting = self.waiting();
        for (index, id) in waiting.iter().enumerate() {
            let Some(call) = self.calls.get_mut(id) else {
                continue;
            };
            let position = index + 1;
            if call.last_position == Some(position) {
                continue;
            }
            call.last_position = Some(position);
            let estimate = match auto_after {
                Some(after) => {
                    let at = call.enqueued_ms + after.as_millis() as u64;
                    at.saturating_sub(now).div_ceil(1000)
                }
                None => position as u64 * SECONDS_PER_POSITION,
            };
            send(
                &call.user,
                json!({ "type": "queued", "position": position, "estimatedWaitSeconds": estimate }),
            );
        }
        for call in self.calls.values_mut() {
            if call.peer.is_some() {
                call.last_position = None;
            }
        }
        let snapshot = self.snapshot(now);
        for console in self.consoles.values() {
            send(&console.tx, snapshot.clone());
        }
    }

    fn snapshot(&self, now: u64) -> Value {
        let calls: Vec<Value> = self.list(now).iter().map(live_call_json).collect();
        let left: Vec<Value> = self
            .left_list(now)
            .iter()
            .map(|l| {
                json!({ "processId": l.process_id, "waitedMs": l.waited_ms, "agoMs": l.ago_ms,
                        "duringCall": l.during_call })
            })
            .collect();
        json!({ "type": "queue", "calls": calls, "left": left })
    }
}

/// A live call as JSON (control API, console socket).
pub fn live_call_json(c: &LiveCall) -> Value {
    let mut v = json!({
        "processId": c.process_id,
        "dossierId": c.dossier_id,
        "waitingMs": c.waiting_ms,
        "state": c.state,
        "automatic": c.automatic,
    });
    if let Some(p) = c.position {
        v["position"] = json!(p);
    }
    if let Some(agent) = &c.agent {
        v["agent"] = json!(agent);
    }
    v
}

/// Why the service does not take calls now: `None` when it does, else `Some(opensAt)`.
pub(crate) enum Availability {
    Open,
    Closed { opens_at: Option<String> },
}

impl Simulator {
    fn calls(&self) -> MutexGuard<'_, CallState> {
        lock(&self.calls.state)
    }

    /// The opening hours (`None`: always open while agents are online).
    pub(crate) fn hours(&self) -> Option<Hours> {
        self.calls().hours
    }

    /// Whether agents take calls now.
    pub(crate) fn availability(&self) -> Availability {
        if !self.agents.state().online {
            return Availability::Closed { opens_at: None };
        }
        let now = now_ms();
        match self.hours() {
            Some(hours) if !hours.is_open(now) => {
                let at = std::time::UNIX_EPOCH + Duration::from_millis(hours.next_opening(now));
                Availability::Closed {
                    opens_at: Some(crate::clock::rfc3339(at)),
                }
            }
            _ => Availability::Open,
        }
    }

    /// The live calls and recent departures, for the console and the control API.
    pub(crate) fn live_calls(&self) -> (Vec<LiveCall>, Vec<LeftCall>) {
        let now = now_ms();
        let state = self.calls();
        (state.list(now), state.left_list(now))
    }

    /// Sets the opening hours; then closes waiting calls when the service is closed, and hands
    /// waiting calls to the automatic agent when it is on.
    pub(crate) fn set_hours(self: &Arc<Self>, hours: Option<Option<Hours>>) {
        if let Some(hours) = hours {
            self.calls().hours = hours;
        }
        self.agents_changed();
    }

    /// After a change of the agents' settings.
    pub(crate) fn agents_changed(self: &Arc<Self>) {
        if let Availability::Closed { opens_at } = self.availability() {
            let mut state = self.calls();
            let waiting = state.waiting();
            for id in waiting {
                if let Some(call) = state.calls.remove(&id) {
                    send(&call.user, closed_message(&opens_at));
                    let _ = call.user.send(Out::Close);
                }
            }
            let auto = self.agents.state().auto_accept;
            state.refresh(auto);
            return;
        }
        let waiting = self.calls().waiting();
        for id in waiting {
            self.auto_pick_up_later(id);
        }
    }

    fn auto_pick_up_later(self: &Arc<Self>, process_id: String) {
        let Some(after) = self.agents.state().auto_accept else {
            return;
        };
        let Some((conn, enqueued)) = self
            .calls()
            .calls
            .get(&process_id)
            .map(|c| (c.user_conn, c.enqueued_ms))
        else {
            return;
        };
        let sim = self.clone();
        let mut stop = self.stop.clone();
        tokio::spawn(async move {
            let at = enqueued + after.as_millis() as u64;
            let wait = Duration::from_millis(at.saturating_sub(now_ms()));
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
            sim.auto_pick_up(&process_id, conn);
        });
    }

    /// The automatic agent takes the call if it still waits (same user socket) and it is open.
    fn auto_pick_up(self: &Arc<Self>, process_id: &str, conn: u64) {
        if self.agents.state().auto_accept.is_none()
            || !matches!(self.availability(), Availability::Open)
        {
            return;
        }
        let auto = self.agents.state().auto_accept;
        let mut state = self.calls();
        let Some(call) = state.calls.get_mut(process_id) else {
            return;
        };
        if call.user_conn != conn || call.peer.is_some() {
            return;
        }
        call.peer = Some(Peer::Auto { next: 1 });
        send(
            &call.user,
            json!({ "type": "agentConnected", "automatic": true, "iceServers": [] }),
        );
        if let Some(first) = call.phases.first() {
            send(
                &call.user,
                json!({ "type": "phaseStarting", "name": first }),
            );
        }
        state.refresh(auto);
    }
}

fn closed_message(opens_at: &Option<String>) -> Value {
    let mut message = json!({
        "type": "failed",
        "name": "AgentUnavailable",
        "reason": "closed",
        "message": "no agent is available: the service is closed",
    });
    if let Some(at) = opens_at {
        message["opensAt"] = json!(at);
    }
    message
}

/// An error answer of the sockets' HTTP side: `{ "error", "code" }`.
fn refused(status: StatusCode, code: &str, message: &str) -> Response {
    let mut response = (status, Json(json!({ "error": message, "code": code }))).into_response();
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// The query's `authorization`.
fn query_authorization(query: Option<&str>) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query?).ok()?;
    pairs
        .into_iter()
        .find(|(k, _)| k == "authorization")
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// The process a user's socket is for: authorization valid and not spent, pending,
/// `high`, video session open.
fn callable(sim: &Simulator, authorization: Option<&str>) -> Result<Process, Response> {
    let Some(authorization) = authorization else {
        return Err(refused(
            StatusCode::UNAUTHORIZED,
            "authorization-missing",
            "an authorization is required (?authorization=…)",
        ));
    };
    let store = sim.store();
    let Some(process) = store.process_of_authorization(authorization).cloned() else {
        return Err(refused(
            StatusCode::UNAUTHORIZED,
            "authorization-invalid",
            "unknown authorization",
        ));
    };
    if process.authorization_expires_at_ms.unwrap_or(0) <= now_ms() {
        return Err(refused(
            StatusCode::UNAUTHORIZED,
            "authorization-expired",
            "the authorization has expired",
        ));
    }
    if process.video.as_ref().is_some_and(|v| v.completed) {
        return Err(refused(
            StatusCode::UNAUTHORIZED,
            "authorization-used",
            "the authorization has been used",
        ));
    }
    if process.status != Status::Pending || process.capture.as_ref().is_some_and(|c| c.finished) {
        return Err(refused(
            StatusCode::CONFLICT,
            "process-not-pending",
            "the process no longer takes a video",
        ));
    }
    if process.process_type.as_deref() != Some("high") {
        return Err(refused(
            StatusCode::CONFLICT,
            "not-attended",
            "only processes of processType high have a live interview",
        ));
    }
    if process.video.is_none() {
        return Err(refused(
            StatusCode::CONFLICT,
            "no-video",
            "open the video session first (POST {providerApiUrl}/api/videos)",
        ));
    }
    Ok(process)
}

/// `GET {providerApiUrl}/ws/call?authorization=…`: the end-user's socket.
pub(crate) async fn user_socket(
    State(sim): State<Arc<Simulator>>,
    RawQuery(query): RawQuery,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let authorization = query_authorization(query.as_deref());
    let process = match callable(&sim, authorization.as_deref()) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(ws) = ws else {
        return refused(
            StatusCode::UPGRADE_REQUIRED,
            "websocket-required",
            "this is a WebSocket endpoint",
        );
    };
    ws.max_message_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| run_user(sim, socket, process))
}

/// Sends what the channel gives and reads what the socket gives, until either ends.
async fn pump(
    socket: &mut WebSocket,
    rx: &mut mpsc::UnboundedReceiver<Out>,
    stop: &mut tokio::sync::watch::Receiver<bool>,
    mut on_message: impl FnMut(Result<Value, String>) -> bool,
) {
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Out::Json(value)) => {
                    if socket.send(Message::Text(Utf8Bytes::from(value.to_string()))).await.is_err() {
                        return;
                    }
                }
                Some(Out::Close) | None => {
                    let _ = socket.send(Message::Close(Some(CloseFrame {
                        code: 1000,
                        reason: Utf8Bytes::from_static("ended"),
                    }))).await;
                    return;
                }
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let parsed = serde_json::from_str::<Value>(text.as_str())
                        .map_err(|_| "the message is not JSON".to_string())
                        .and_then(|v| if v.get("type").and_then(Value::as_str).is_some() {
                            Ok(v)
                        } else {
                            Err("a message is a JSON object with a string type".to_string())
                        });
                    if !on_message(parsed) {
                        return;
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    if !on_message(Err("messages are JSON text".to_string())) {
                        return;
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = async { let _ = stop.wait_for(|s| *s).await; } => return,
        }
    }
}

fn bad_message(tx: &Tx, message: &str) {
    send(
        tx,
        json!({ "type": "error", "code": "bad-message", "message": message }),
    );
}

async fn run_user(sim: Arc<Simulator>, mut socket: WebSocket, process: Process) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let process_id = process.process_id.clone();
    if let Availability::Closed { opens_at } = sim.availability() {
        send(&tx, closed_message(&opens_at));
        let _ = tx.send(Out::Close);
        let mut stop = sim.stop.clone();
        pump(&mut socket, &mut rx, &mut stop, |_| true).await;
        return;
    }
    let video = process.video.clone();
    let conn = {
        let mut state = sim.calls();
        state.next_conn += 1;
        let conn = state.next_conn;
        // A second socket for the same process takes the place of the first.
        let previous = state.calls.remove(&process_id);
        let enqueued_ms = match &previous {
            Some(old) if old.peer.is_none() => old.enqueued_ms,
            _ => now_ms(),
        };
        if let Some(old) = previous {
            send(
                &old.user,
                json!({ "type": "error", "code": "replaced", "message": "another socket took this call" }),
            );
            let _ = old.user.send(Out::Close);
            if let Some(Peer::Console { conn, .. }) = old.peer {
                if let Some(console) = state.consoles.get_mut(&conn) {
                    console.call = None;
                    send(
                        &console.tx,
                        json!({ "type": "userLeft", "processId": process_id }),
                    );
                }
            }
        }
        state.calls.insert(
            process_id.clone(),
            Call {
                dossier_id: process.dossier_id.clone(),
                phases: video
                    .as_ref()
                    .map(|v| {
                        v.phases
                            .iter()
                            .filter(|p| PHASES.contains(&p.as_str()))
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default(),
                enqueued_ms,
                user_conn: conn,
                user: tx.clone(),
                peer: None,
                last_position: None,
            },
        );
        state.refresh(sim.agents.state().auto_accept);
        conn
    };
    sim.auto_pick_up_later(process_id.clone());
    let mut stop = sim.stop.clone();
    let handler = sim.clone();
    let pid = process_id.clone();
    let user_tx = tx.clone();
    pump(&mut socket, &mut rx, &mut stop, move |message| {
        handler.user_message(&pid, conn, &user_tx, message)
    })
    .await;
    sim.user_gone(&process_id, conn);
}

impl Simulator {
    /// One message of a user's socket; false ends the socket.
    fn user_message(
        self: &Arc<Self>,
        process_id: &str,
        conn: u64,
        tx: &Tx,
        message: Result<Value, String>,
    ) -> bool {
        let message = match message {
            Ok(m) => m,
            Err(e) => {
                bad_message(tx, &e);
                return true;
            }
        };
        let kind = message["type"].as_str().unwrap_or_default();
        let mut guard = self.calls();
        let state = &mut *guard;
        let Some(call) = state.calls.get_mut(process_id) else {
            return false;
        };
        if call.user_conn != conn {
            return false;
        }
        match kind {
            "leave" => return false,
            "signal" => {
                if !message["data"].is_object() {
                    bad_message(tx, "signal needs a data object");
                    return true;
                }
                let Some(Peer::Console { conn: agent, .. }) = &call.peer else {
                    bad_message(tx, "no agent is on the call");
                    return true;
                };
                let agent = *agent;
                if let Some(console) = state.consoles.get(&agent) {
                    send(
                        &console.tx,
                        json!({ "type": "signal", "processId": process_id, "data": message["data"] }),
                    );
                }
            }
            "continue" | "captured" => {
                let phase = message["phase"].as_str().unwrap_or_default();
                if !call.phases.iter().any(|p| p == phase) {
                    bad_message(tx, "phase must be one of the video's phases");
                    return true;
                }
                match &mut call.peer {
                    Some(Peer::Console { conn: agent, .. }) if kind == "continue" => {
                        let agent = *agent;
                        if let Some(console) = state.consoles.get(&agent) {
                            send(
                                &console.tx,
                                json!({ "type": "phaseReady", "processId": process_id, "phase": phase }),
                            );
                        }
                    }
                    Some(Peer::Auto { next }) if kind == "captured" => {
                        match call.phases.get(*next) {
                            Some(name) => {
                                *next += 1;
                                send(tx, json!({ "type": "phaseStarting", "name": name }));
                            }
                            None => send(tx, json!({ "type": "recordingRequested" })),
                        }
                    }
                    _ => {}
                }
            }
            "recordingUploaded" => {
                if !matches!(call.peer, Some(Peer::Auto { .. })) {
                    bad_message(tx, "only the automatic agent asks for the recording");
                    return true;
                }
                drop(guard);
                // On completion the channel says `completed`, then closes the socket.
                self.end_call(process_id, true);
                return true;
            }
            _ => bad_message(tx, "unknown message type"),
        }
        true
    }

    /// The user's socket closed: the call leaves the queue; an agent on it is told.
    fn user_gone(self: &Arc<Self>, process_id: &str, conn: u64) {
        let mut guard = self.calls();
        let state = &mut *guard;
        if state
            .calls
            .get(process_id)
            .is_none_or(|c| c.user_conn != conn)
        {
            return;
        }
        let Some(call) = state.calls.remove(process_id) else {
            return;
        };
        let now = now_ms();
        let during_call = call.peer.is_some();
        if let Some(Peer::Console { conn, .. }) = call.peer {
            if let Some(console) = state.consoles.get_mut(&conn) {
                console.call = None;
                send(
                    &console.tx,
                    json!({ "type": "userLeft", "processId": process_id }),
                );
            }
        }
        state.left.push_front(Left {
            process_id: process_id.to_string(),
            waited_ms: now.saturating_sub(call.enqueued_ms),
            at_ms: now,
            during_call,
        });
        state.left.truncate(LEFT_KEPT);
        state.refresh(self.agents.state().auto_accept);
    }
}

/// How an agent's hang-up ended a call.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ended {
    /// The media were in: the process is complete (`processing`, in the review queue).
    Completed,
    /// Media missing: the call dropped; the user waits again.
    Dropped,
    /// No such call.
    Gone,
}

impl Simulator {
    /// Ends the call of `process_id`: completes the process when its media are in (then the
    /// user gets `completed`), else drops it (the user gets `agentDisconnected` and waits again).
    fn end_call(self: &Arc<Self>, process_id: &str, automatic: bool) -> Ended {
        let completed = self.complete_live(process_id);
        let auto = self.agents.state().auto_accept;
        let mut guard = self.calls();
        let state = &mut *guard;
        let Some(call) = state.calls.get_mut(process_id) else {
            return Ended::Gone;
        };
        let peer = call.peer.take();
        if let Some(Peer::Console { conn, .. }) = &peer {
            let conn = *conn;
            if let Some(console) = state.consoles.get_mut(&conn) {
                console.call = None;
                send(
                    &console.tx,
                    json!({ "type": "ended", "processId": process_id,
                            "completed": completed.is_some() }),
                );
            }
        }
        let ended = match completed {
            Some(video_id) => {
                if let Some(call) = state.calls.remove(process_id) {
                    send(&call.user, json!({ "type": "completed", "id": video_id }));
                    let _ = call.user.send(Out::Close);
                }
                Ended::Completed
            }
            None => {
                if let Some(call) = state.calls.get(process_id) {
                    send(&call.user, json!({ "type": "agentDisconnected" }));
                }
                Ended::Dropped
            }
        };
        state.refresh(auto);
        drop(guard);
        if ended == Ended::Dropped && !automatic {
            self.auto_pick_up_later(process_id.to_string());
        }
        ended
    }

    /// Completes the video session of a live call whose media are in: the video's id, or
    /// `None` (media missing, or the process no longer pending).
    fn complete_live(self: &Arc<Self>, process_id: &str) -> Option<String> {
        let mut store = self.store();
        let mut process = store.process_by_id(process_id).cloned()?;
        if process.status != Status::Pending {
            return None;
        }
        if !process.missing_media().is_empty() {
            return None;
        }
        let video = process.video.as_mut()?;
        if video.completed {
            return None;
        }
        video.completed = true;
        let video_id = video.id.clone();
        if let Some(capture) = process.capture.as_mut() {
            capture.finished = true;
        }
        let outcome = process.scenario_outcome();
        if let Err(e) = self.start_processing(&mut store, process, outcome) {
            eprintln!("videoid-www: simulator storage: {e}");
            return None;
        }
        Some(video_id)
    }
}

/// `GET /ra/ws`: an agent's socket (console session; the simulator's own origin).
pub(crate) async fn agent_socket(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let own = sim.settings.base_url.trim_end_matches('/');
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    if origin != Some(own) {
        return refused(
            StatusCode::FORBIDDEN,
            "origin",
            "the console's socket is opened only from the simulator's own pages",
        );
    }
    let Some((agent, _)) = signed_in(&sim, &headers) else {
        return refused(
            StatusCode::UNAUTHORIZED,
            "sign-in",
            "sign in to the console first",
        );
    };
    let Ok(ws) = ws else {
        return refused(
            StatusCode::UPGRADE_REQUIRED,
            "websocket-required",
            "this is a WebSocket endpoint",
        );
    };
    ws.max_message_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| run_agent(sim, socket, agent))
}

async fn run_agent(sim: Arc<Simulator>, mut socket: WebSocket, agent: String) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let conn = {
        let mut state = sim.calls();
        state.next_conn += 1;
        let conn = state.next_conn;
        state.consoles.insert(
            conn,
            Console {
                tx: tx.clone(),
                call: None,
            },
        );
        send(&tx, state.snapshot(now_ms()));
        conn
    };
    let mut stop = sim.stop.clone();
    let handler = sim.clone();
    let agent_tx = tx.clone();
    pump(&mut socket, &mut rx, &mut stop, move |message| {
        handler.agent_message(conn, &agent, &agent_tx, message);
        true
    })
    .await;
    // A console that goes away drops its call.
    let call = lock(&sim.calls.state)
        .consoles
        .remove(&conn)
        .and_then(|c| c.call);
    if let Some(process_id) = call {
        sim.drop_call(&process_id);
    }
}

impl Simulator {
    /// The agent left without hanging up: the user gets `agentDisconnected` and waits again.
    fn drop_call(self: &Arc<Self>, process_id: &str) {
        let auto = self.agents.state().auto_accept;
        let mut state = self.calls();
        if let Some(call) = state.calls.get_mut(process_id) {
            call.peer = None;
            send(&call.user, json!({ "type": "agentDisconnected" }));
        }
        state.refresh(auto);
        drop(state);
        self.auto_pick_up_later(process_id.to_string());
    }

    fn agent_message(
        self: &Arc<Self>,
        conn: u64,
        agent: &str,
        tx: &Tx,
        message: Result<Value, String>,
    ) {
        let message = match message {
            Ok(m) => m,
            Err(e) => return bad_message(tx, &e),
        };
        let kind = message["type"].as_str().unwrap_or_default();
        let Some(process_id) = message["processId"].as_str().map(str::to_string) else {
            return bad_message(tx, "processId is required");
        };
        let auto = self.agents.state().auto_accept;
        let open = matches!(self.availability(), Availability::Open);
        let mut guard = self.calls();
        let state = &mut *guard;
        let current = state.consoles.get(&conn).and_then(|c| c.call.clone());
        let error = |code: &str, text: &str| {
            send(
                tx,
                json!({ "type": "error", "code": code, "message": text, "processId": process_id }),
            )
        };
        match kind {
            "pickUp" => {
                if current.is_some() {
                    return error("busy", "hang up the current call first");
                }
                if !open {
                    return error("closed", "agents are offline or outside opening hours");
                }
                let Some(call) = state.calls.get_mut(&process_id) else {
                    return error("not-waiting", "this call is not waiting (the user left?)");
                };
                if call.peer.is_some() {
                    return error("not-waiting", "another agent took this call");
                }
                call.peer = Some(Peer::Console {
                    conn,
                    agent: agent.to_string(),
                });
                send(
                    &call.user,
                    json!({ "type": "agentConnected", "automatic": false, "iceServers": [] }),
                );
                let phases = call.phases.clone();
                if let Some(console) = state.consoles.get_mut(&conn) {
                    console.call = Some(process_id.clone());
                }
                send(
                    tx,
                    json!({ "type": "pickedUp", "processId": process_id, "phases": phases,
                            "iceServers": [] }),
                );
                state.refresh(auto);
            }
            "signal" | "prompt" | "hangUp" => {
                if current.as_deref() != Some(process_id.as_str()) {
                    return error("not-on-call", "pick the call up first");
                }
                let Some(call) = state.calls.get(&process_id) else {
                    return error("not-on-call", "the user left");
                };
                match kind {
                    "signal" => {
                        if !message["data"].is_object() {
                            return bad_message(tx, "signal needs a data object");
                        }
                        send(
                            &call.user,
                            json!({ "type": "signal", "data": message["data"] }),
                        );
                    }
                    "prompt" => {
                        let phase = message["phase"].as_str().unwrap_or_default();
                        if !call.phases.iter().any(|p| p == phase) {
                            return bad_message(tx, "phase must be one of the video's phases");
                        }
                        send(
                            &call.user,
                            json!({ "type": "phaseStarting", "name": phase }),
                        );
                    }
                    _ => {
                        drop(guard);
                        self.end_call(&process_id, false);
                    }
                }
            }
            _ => bad_message(tx, "unknown message type"),
        }
    }
}

/// The process of a console upload: pending, `high`, video session open and not completed;
/// `phase` (when given) one of its phases.
fn uploadable(sim: &Simulator, process_id: &str, phase: Option<&str>) -> Result<Process, Response> {
    let Some(process) = sim.store().process_by_id(process_id).cloned() else {
        return Err(refused(
            StatusCode::NOT_FOUND,
            "unknown-process",
            "no such process",
        ));
    };
    let open = process.status == Status::Pending
        && process.process_type.as_deref() == Some("high")
        && process.video.as_ref().is_some_and(|v| !v.completed);
    if !open {
        return Err(refused(
            StatusCode::CONFLICT,
            "process-not-pending",
            "this process has no open live call",
        ));
    }
    if let Some(phase) = phase {
        let known = process
            .video
            .as_ref()
            .is_some_and(|v| v.phases.iter().any(|p| p.eq_ignore_ascii_case(phase)));
        if !known {
            return Err(refused(
                StatusCode::NOT_FOUND,
                "unknown-phase",
                "not a phase of this video",
            ));
        }
    }
    Ok(process)
}

/// The agent of a console upload: own origin, session, and the form token in `X-CSRF-Token`.
fn console_upload(sim: &Simulator, headers: &HeaderMap) -> Result<(), Response> {
    let own = sim.settings.base_url.trim_end_matches('/');
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    if origin != Some(own) {
        return Err(refused(
            StatusCode::FORBIDDEN,
            "origin",
            "uploads come only from the console's own pages",
        ));
    }
    let Some((_, csrf)) = signed_in(sim, headers) else {
        return Err(refused(
            StatusCode::UNAUTHORIZED,
            "sign-in",
            "sign in to the console first",
        ));
    };
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !ids::secrets_equal(token, &csrf) {
        return Err(refused(
            StatusCode::FORBIDDEN,
            "csrf",
            "the form token is missing or stale",
        ));
    }
    Ok(())
}

async fn store_upload(
    sim: &Simulator,
    headers: &HeaderMap,
    process_id: &str,
    phase: Option<&str>,
    name: &str,
    body: Body,
    limit: usize,
) -> Response {
    if let Err(r) = uploadable(sim, process_id, phase) {
        return r;
    }
    let bytes = match read_limited(headers, body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "the upload is too large",
            )
        }
    };
    if bytes.is_empty() {
        return refused(StatusCode::BAD_REQUEST, "empty", "the upload is empty");
    }
    let staged = match sim.store().data().stage(&bytes) {
        Ok(s) => s,
        Err(e) => return crate::storage_error(e),
    };
    let mut store = sim.store();
    let process = match store.process_by_id(process_id).cloned() {
        Some(p)
            if p.status == Status::Pending && p.video.as_ref().is_some_and(|v| !v.completed) =>
        {
            p
        }
        _ => {
            return refused(
                StatusCode::CONFLICT,
                "process-not-pending",
                "this process has no open live call",
            )
        }
    };
    let media = Media {
        content_type: essence(headers),
        bytes: bytes.len() as u64,
        quality: None,
    };
    let mut process = process;
    process.updated_at = now_rfc3339();
    if let Err(e) = store.put_media(process, name, staged, media) {
        return crate::storage_error(e);
    }
    (
        StatusCode::CREATED,
        Json(json!({ "medium": name, "bytes": bytes.len() })),
    )
        .into_response()
}

/// `PUT /ra/calls/{processId}/images/{front|back|face}`: a still the agent took from the call.
pub(crate) async fn put_still(
    State(sim): State<Arc<Simulator>>,
    Path((process_id, phase)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(r) = console_upload(&sim, &headers) {
        return r;
    }
    let name = match phase.as_str() {
        "front" => "front",
        "back" => "back",
        "face" => "selfie",
        _ => {
            return refused(
                StatusCode::NOT_FOUND,
                "unknown-phase",
                "phase is front, back or face",
            )
        }
    };
    if essence(&headers) != "image/jpeg" {
        return refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-type",
            "stills are image/jpeg",
        );
    }
    store_upload(
        &sim,
        &headers,
        &process_id,
        Some(&phase),
        name,
        body,
        MAX_STILL_BYTES,
    )
    .await
}

/// `PUT /ra/calls/{processId}/recording`: the agent's recording of the call.
pub(crate) async fn put_recording(
    State(sim): State<Arc<Simulator>>,
    Path(process_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(r) = console_upload(&sim, &headers) {
        return r;
    }
    if !matches!(
        essence(&headers).as_str(),
        "video/webm" | "video/mp4" | "video/quicktime"
    ) {
        return refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-type",
            "the recording is video/webm, video/mp4 or video/quicktime",
        );
    }
    store_upload(
        &sim,
        &headers,
        &process_id,
        None,
        "video",
        body,
        MAX_VIDEO_BYTES,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_and_wrap() {
        assert_eq!(Hours::minutes("09:30"), Some(570));
        assert_eq!(Hours::minutes("24:00"), None);
        assert_eq!(Hours::minutes("9:30"), None);
        assert_eq!(Hours::minutes("ab:cd"), None);
        let day = Hours {
            opens: 9 * 60,
            closes: 17 * 60,
        };
        let at = |h: u64, m: u64| (h * 60 + m) * 60_000 + 3 * 24 * 3600 * 1000;
        assert!(day.is_open(at(9, 0)));
        assert!(day.is_open(at(16, 59)));
        assert!(!day.is_open(at(17, 0)));
        assert!(!day.is_open(at(8, 59)));
        assert_eq!(day.next_opening(at(8, 0)), at(9, 0));
        assert_eq!(day.next_opening(at(18, 0)), at(9, 0) + 24 * 3600 * 1000);
        let night = Hours {
            opens: 22 * 60,
            closes: 6 * 60,
        };
        assert!(night.is_open(at(23, 0)));
        assert!(night.is_open(at(5, 0)));
        assert!(!night.is_open(at(12, 0)));
        assert_eq!(
            day.to_json(),
            json!({ "opens": "09:00", "closes": "17:00" })
        );
    }

    #[test]
    fn the_authorization_comes_from_the_query() {
        assert_eq!(
            query_authorization(Some("authorization=a%2Bb&x=1")),
            Some("a+b".into())
        );
        assert_eq!(query_authorization(Some("authorization=")), None);
        assert_eq!(query_authorization(None), None);
    }
}
