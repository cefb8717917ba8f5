//! Live interviews: the signalling sockets (`{providerApiUrl}/ws/call`, `/ra/ws`), the queue
//! of live calls, opening hours, the relay between an agent and the end-user, the console's
//! uploads, hang-up, a user who leaves, and the automatic agent. The SDK's and the console's
//! sides are played by WebSocket clients here; `tests/calls/` runs them in browsers.

use assure_simulator::standalone::{self, Command, Standalone};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

const CLIENT: (&str, &str) = ("videoid-sim-client", "videoid-sim-secret");

async fn start() -> Standalone {
    let args = ["--port", "0", "--final-delay", "50ms"].map(String::from);
    let Ok(Command::Run(options)) = standalone::Options::parse(args, |_| None) else {
        panic!("options");
    };
    standalone::start(*options).await.unwrap()
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn token(url: &str) -> String {
    let answer: Value = http()
        .post(format!("{url}/auth/open/connect/token"))
        .basic_auth(CLIENT.0, Some(CLIENT.1))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"].as_str().unwrap().to_string()
}

/// A VideoID process of `process_type`: `(dossierId, processId, authorization)`.
async fn process(url: &str, process_type: &str) -> (String, String, String) {
    let token = token(url).await;
    let dossier: Value = http()
        .post(format!("{url}/assure/dossiers"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let d = dossier["dossierId"].as_str().unwrap().to_string();
    let process: Value = http()
        .post(format!("{url}/assure/dossiers/{d}/processes"))
        .bearer_auth(&token)
        .json(&json!({ "provider": "signicatvideoid", "processType": process_type }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        d,
        process["processId"].as_str().unwrap().to_string(),
        process["authorization"].as_str().unwrap().to_string(),
    )
}

/// Opens the authorization's video session (an identity card: FRONT, BACK, FACE): its id.
async fn open_video(url: &str, authorization: &str) -> String {
    let response = http()
        .post(format!("{url}/provider/api/videos"))
        .bearer_auth(authorization)
        .json(&json!({ "idType": 2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let video: Value = response.json().await.unwrap();
    video["id"].as_str().unwrap().to_string()
}

/// A `high` process with its video open: `(dossierId, processId, authorization, videoId)`.
async fn callable(url: &str) -> (String, String, String, String) {
    let (d, p, a) = process(url, "high").await;
    let v = open_video(url, &a).await;
    (d, p, a, v)
}

fn ws_url(url: &str, path: &str) -> String {
    format!("{}{path}", url.replacen("http://", "ws://", 1))
}

async fn user(url: &str, authorization: &str) -> Result<Ws, WsError> {
    let target = ws_url(
        url,
        &format!("/provider/ws/call?authorization={authorization}"),
    );
    tokio_tungstenite::connect_async(target)
        .await
        .map(|(ws, _)| ws)
}

/// The HTTP status a refused socket got.
fn refused_status(result: Result<Ws, WsError>) -> u16 {
    match result {
        Err(WsError::Http(response)) => response.status().as_u16(),
        Err(e) => panic!("not an HTTP refusal: {e}"),
        Ok(_) => panic!("the socket was accepted"),
    }
}

/// Signs an agent in: the session cookie (`name=value`) and the pages' form token.
async fn sign_in(url: &str) -> (String, String) {
    let response = http()
        .post(format!("{url}/ra/sign-in"))
        .header("origin", url)
        .form(&[("user", "agent"), ("password", "videoid-sim-agent")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = http()
        .get(format!("{url}/ra/"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (_, rest) = html.split_once("name=\"csrf\" value=\"").unwrap();
    let csrf = rest.split('"').next().unwrap().to_string();
    (cookie, csrf)
}

async fn agent_with(url: &str, cookie: Option<&str>, origin: &str) -> Result<Ws, WsError> {
    let mut request = ws_url(url, "/ra/ws").into_client_request().unwrap();
    request
        .headers_mut()
        .insert("origin", HeaderValue::from_str(origin).unwrap());
    if let Some(cookie) = cookie {
        request
            .headers_mut()
            .insert("cookie", HeaderValue::from_str(cookie).unwrap());
    }
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(ws, _)| ws)
}

async fn agent(url: &str, cookie: &str) -> Ws {
    agent_with(url, Some(cookie), url).await.unwrap()
}

async fn send(ws: &mut Ws, message: Value) {
    ws.send(Message::text(message.to_string())).await.unwrap();
}

/// The next JSON message (`None` when the socket closed).
async fn next(ws: &mut Ws) -> Option<Value> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a message within 5 s");
        match message {
            Some(Ok(Message::Text(text))) => return Some(serde_json::from_str(&text).unwrap()),
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
            Some(Ok(_)) => {}
        }
    }
}

/// The next message of `kind`, skipping others (e.g. the consoles' queue snapshots).
async fn expect(ws: &mut Ws, kind: &str) -> Value {
    loop {
        let message = next(ws)
            .await
            .unwrap_or_else(|| panic!("closed before {kind}"));
        if message["type"] == kind {
            return message;
        }
    }
}

/// The next queue snapshot whose calls satisfy `check`.
async fn queue_until(ws: &mut Ws, check: impl Fn(&[Value]) -> bool) -> Value {
    loop {
        let snapshot = expect(ws, "queue").await;
        if check(snapshot["calls"].as_array().unwrap()) {
            return snapshot;
        }
    }
}

async fn agents(url: &str) -> Value {
    http()
        .get(format!("{url}/simulator/agents"))
        .basic_auth(CLIENT.0, Some(CLIENT.1))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn set_agents(url: &str, body: Value) -> (u16, Value) {
    let response = http()
        .put(format!("{url}/simulator/agents"))
        .basic_auth(CLIENT.0, Some(CLIENT.1))
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn get_process(url: &str, d: &str, p: &str) -> Value {
    let token = token(url).await;
    http()
        .get(format!("{url}/assure/dossiers/{d}/processes/{p}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// A console upload (`/ra/calls/{p}{path}`) with the session and the form token.
async fn console_put(
    url: &str,
    (cookie, csrf): &(String, String),
    p: &str,
    path: &str,
    content_type: &str,
) -> u16 {
    http()
        .put(format!("{url}/ra/calls/{p}{path}"))
        .header("cookie", cookie)
        .header("origin", url)
        .header("x-csrf-token", csrf)
        .header("content-type", content_type)
        .body(vec![0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_user_socket_needs_a_valid_authorization_of_a_high_process_with_its_video_open() {
    let sim = start().await;
    let url = sim.url.clone();
    let missing = tokio_tungstenite::connect_async(ws_url(&url, "/provider/ws/call")).await;
    assert_eq!(refused_status(missing.map(|(ws, _)| ws)), 401);
    assert_eq!(refused_status(user(&url, "not-a-token").await), 401);
    let (_, _, automatic) = process(&url, "substantialFullyAuto").await;
    open_video(&url, &automatic).await;
    assert_eq!(refused_status(user(&url, &automatic).await), 409);
    let (_, _, unopened) = process(&url, "high").await;
    assert_eq!(refused_status(user(&url, &unopened).await), 409);
    // Nothing of that reached the queue.
    assert_eq!(agents(&url).await["calls"], json!([]));
    // A plain GET (no upgrade) of an authorized call is told what the path is.
    let (_, _, a, _) = callable(&url).await;
    let plain = http()
        .get(format!("{url}/provider/ws/call?authorization={a}"))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 426);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_agent_socket_needs_a_session_and_the_simulators_own_origin() {
    let sim = start().await;
    let url = sim.url.clone();
    assert_eq!(refused_status(agent_with(&url, None, &url).await), 401);
    let (cookie, _) = sign_in(&url).await;
    assert_eq!(
        refused_status(agent_with(&url, Some(&cookie), "http://evil.example").await),
        403
    );
    assert_eq!(
        refused_status(agent_with(&url, Some("videoid_ra=forged"), &url).await),
        401
    );
    let mut console = agent(&url, &cookie).await;
    let first = expect(&mut console, "queue").await;
    assert_eq!(first["calls"], json!([]));
    // Bad input gets a typed error and changes nothing.
    console.send(Message::text("not json")).await.unwrap();
    assert_eq!(expect(&mut console, "error").await["code"], "bad-message");
    send(
        &mut console,
        json!({ "type": "pickUp", "processId": "nope" }),
    )
    .await;
    assert_eq!(expect(&mut console, "error").await["code"], "not-waiting");
    send(
        &mut console,
        json!({ "type": "hangUp", "processId": "nope" }),
    )
    .await;
    assert_eq!(expect(&mut console, "error").await["code"], "not-on-call");
    sim.shutdown().await;
}

#[tokio::test]
async fn waiting_users_learn_their_position_and_consoles_see_the_queue_move() {
    let sim = start().await;
    let url = sim.url.clone();
    let (cookie, _) = sign_in(&url).await;
    let mut console = agent(&url, &cookie).await;
    let (_, p1, a1, _) = callable(&url).await;
    let (_, p2, a2, _) = callable(&url).await;
    let mut u1 = user(&url, &a1).await.unwrap();
    let q1 = expect(&mut u1, "queued").await;
    assert_eq!(q1["position"], 1);
    assert_eq!(q1["estimatedWaitSeconds"], 60);
    let mut u2 = user(&url, &a2).await.unwrap();
    assert_eq!(expect(&mut u2, "queued").await["position"], 2);
    let snapshot = queue_until(&mut console, |calls| calls.len() == 2).await;
    assert_eq!(snapshot["calls"][0]["processId"], p1.as_str());
    assert_eq!(snapshot["calls"][0]["position"], 1);
    assert_eq!(snapshot["calls"][1]["position"], 2);
    assert!(snapshot["calls"][0]["waitingMs"].as_u64().is_some());
    let control = agents(&url).await;
    assert_eq!(control["calls"].as_array().unwrap().len(), 2);
    assert_eq!(control["open"], true);

    // The first user leaves: the second moves up, the console sees it and says who left.
    send(&mut u1, json!({ "type": "leave" })).await;
    assert_eq!(
        next(&mut u1).await,
        None,
        "the server closes a leaving socket"
    );
    assert_eq!(expect(&mut u2, "queued").await["position"], 1);
    let snapshot = queue_until(&mut console, |calls| calls.len() == 1).await;
    assert_eq!(snapshot["calls"][0]["processId"], p2.as_str());
    assert_eq!(snapshot["left"][0]["processId"], p1.as_str());
    assert_eq!(snapshot["left"][0]["duringCall"], false);
    let page = http()
        .get(format!("{url}/ra/"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["refresh"], "3");
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("href=\"/ra/calls/{p2}\"")), "{html}");
    assert!(
        html.contains(&format!("The user of call {p1} left the queue")),
        "{html}"
    );

    // A socket that just closes leaves too.
    drop(u2);
    queue_until(&mut console, |calls| calls.is_empty()).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn agents_offline_or_outside_hours_close_the_service_at_once() {
    let sim = start().await;
    let url = sim.url.clone();
    let (status, _) = set_agents(
        &url,
        json!({ "hours": { "opens": "9:00", "closes": "17:00" } }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        agents(&url).await["hours"],
        Value::Null,
        "a bad PUT changes nothing"
    );

    let (_, _, a, _) = callable(&url).await;
    let mut waiting = user(&url, &a).await.unwrap();
    expect(&mut waiting, "queued").await;
    let (status, answer) = set_agents(&url, json!({ "online": false })).await;
    assert_eq!(status, 200);
    assert_eq!(answer["open"], false);
    let failed = expect(&mut waiting, "failed").await;
    assert_eq!(failed["name"], "AgentUnavailable");
    assert_eq!(failed["reason"], "closed");
    assert!(failed.get("opensAt").is_none());
    assert_eq!(next(&mut waiting).await, None);

    let (_, _, a, _) = callable(&url).await;
    let mut late = user(&url, &a).await.unwrap();
    assert_eq!(expect(&mut late, "failed").await["reason"], "closed");

    // Online, but outside the hours (a one-minute window twelve hours away).
    let now_minutes = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 60)
        % (24 * 60);
    let opens = (now_minutes + 12 * 60) % (24 * 60);
    let closes = (opens + 1) % (24 * 60);
    let hhmm = |m: u64| format!("{:02}:{:02}", m / 60, m % 60);
    let (status, answer) = set_agents(
        &url,
        json!({ "online": true, "hours": { "opens": hhmm(opens), "closes": hhmm(closes) } }),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["hours"]["opens"], hhmm(opens));
    let (_, _, a, _) = callable(&url).await;
    let mut closed = user(&url, &a).await.unwrap();
    let failed = expect(&mut closed, "failed").await;
    assert_eq!(failed["name"], "AgentUnavailable");
    let opens_at = failed["opensAt"].as_str().unwrap();
    assert!(
        opens_at.ends_with('Z') && opens_at.contains(&format!("T{}", hhmm(opens))),
        "{opens_at}"
    );

    // Always open again.
    set_agents(&url, json!({ "hours": null })).await;
    let (_, _, a, _) = callable(&url).await;
    let mut open = user(&url, &a).await.unwrap();
    expect(&mut open, "queued").await;
    sim.shutdown().await;
}

#[tokio::test]
async fn an_agent_picks_up_relays_prompts_and_a_hang_up_without_media_drops_the_call() {
    let sim = start().await;
    let url = sim.url.clone();
    let (cookie, _) = sign_in(&url).await;
    let mut console = agent(&url, &cookie).await;
    let (_, p, a, _) = callable(&url).await;
    let mut u = user(&url, &a).await.unwrap();
    expect(&mut u, "queued").await;

    send(&mut console, json!({ "type": "pickUp", "processId": p })).await;
    let picked = expect(&mut console, "pickedUp").await;
    assert_eq!(picked["iceServers"], json!([]));
    assert_eq!(picked["phases"], json!(["FRONT", "BACK", "FACE"]));
    let connected = expect(&mut u, "agentConnected").await;
    assert_eq!(connected["automatic"], false);
    assert_eq!(connected["iceServers"], json!([]));
    let snapshot = queue_until(&mut console, |c| {
        c.first().is_some_and(|c| c["state"] == "connected")
    })
    .await;
    assert_eq!(snapshot["calls"][0]["agent"], "agent");

    // Signals both ways, as they are.
    let offer = json!({ "description": { "type": "offer", "sdp": "v=0..." } });
    send(
        &mut console,
        json!({ "type": "signal", "processId": p, "data": offer }),
    )
    .await;
    assert_eq!(expect(&mut u, "signal").await["data"], offer);
    let answer = json!({ "description": { "type": "answer", "sdp": "v=0..." } });
    send(&mut u, json!({ "type": "signal", "data": answer })).await;
    let relayed = expect(&mut console, "signal").await;
    assert_eq!(relayed["data"], answer);
    assert_eq!(relayed["processId"], p.as_str());

    // Prompts reach the SDK; its continue reaches the agent; bad ones are refused.
    send(
        &mut console,
        json!({ "type": "prompt", "processId": p, "phase": "BACK" }),
    )
    .await;
    assert_eq!(expect(&mut u, "phaseStarting").await["name"], "BACK");
    send(&mut u, json!({ "type": "continue", "phase": "BACK" })).await;
    assert_eq!(expect(&mut console, "phaseReady").await["phase"], "BACK");
    send(
        &mut console,
        json!({ "type": "prompt", "processId": p, "phase": "SELFIE" }),
    )
    .await;
    assert_eq!(expect(&mut console, "error").await["code"], "bad-message");
    send(&mut u, json!({ "type": "signal", "data": "text" })).await;
    assert_eq!(expect(&mut u, "error").await["code"], "bad-message");
    send(&mut u, json!({ "type": "dance" })).await;
    assert_eq!(expect(&mut u, "error").await["code"], "bad-message");
    // A second console cannot take the call, nor talk on it.
    let mut other = agent(&url, &cookie).await;
    send(&mut other, json!({ "type": "pickUp", "processId": p })).await;
    assert_eq!(expect(&mut other, "error").await["code"], "not-waiting");
    send(
        &mut other,
        json!({ "type": "prompt", "processId": p, "phase": "FACE" }),
    )
    .await;
    assert_eq!(expect(&mut other, "error").await["code"], "not-on-call");

    // Hang-up before the media are in: the call drops, the user waits again (same place).
    send(&mut console, json!({ "type": "hangUp", "processId": p })).await;
    let ended = expect(&mut console, "ended").await;
    assert_eq!(ended["completed"], false);
    expect(&mut u, "agentDisconnected").await;
    assert_eq!(expect(&mut u, "queued").await["position"], 1);
    // The agent may pick it up again.
    send(&mut console, json!({ "type": "pickUp", "processId": p })).await;
    expect(&mut console, "pickedUp").await;
    expect(&mut u, "agentConnected").await;
    // The user leaves during the call: the agent is told.
    drop(u);
    assert_eq!(
        expect(&mut console, "userLeft").await["processId"],
        p.as_str()
    );
    let snapshot = queue_until(&mut console, |c| c.is_empty()).await;
    assert_eq!(snapshot["left"][0]["duringCall"], true);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_agents_stills_and_recording_complete_the_call_then_the_agent_registers() {
    let sim = start().await;
    let url = sim.url.clone();
    let session = sign_in(&url).await;
    let mut console = agent(&url, &session.0).await;
    let (d, p, a, video_id) = callable(&url).await;
    let mut u = user(&url, &a).await.unwrap();
    expect(&mut u, "queued").await;

    // Uploads need the call's process open, the session, the form token and the own origin.
    assert_eq!(
        console_put(
            &url,
            &(session.0.clone(), "stale".into()),
            &p,
            "/images/front",
            "image/jpeg"
        )
        .await,
        403
    );
    assert_eq!(
        console_put(&url, &session, &p, "/images/selfie", "image/jpeg").await,
        404
    );
    assert_eq!(
        console_put(&url, &session, &p, "/images/front", "image/png").await,
        415
    );
    assert_eq!(
        console_put(&url, &session, "nope", "/images/front", "image/jpeg").await,
        404
    );

    send(&mut console, json!({ "type": "pickUp", "processId": p })).await;
    expect(&mut console, "pickedUp").await;
    for phase in ["front", "back", "face"] {
        let path = format!("/images/{phase}");
        assert_eq!(
            console_put(&url, &session, &p, &path, "image/jpeg").await,
            201
        );
    }
    assert_eq!(
        console_put(&url, &session, &p, "/recording", "video/webm").await,
        201
    );
    send(&mut console, json!({ "type": "hangUp", "processId": p })).await;
    assert_eq!(expect(&mut console, "ended").await["completed"], true);
    assert_eq!(expect(&mut u, "completed").await["id"], video_id.as_str());
    assert_eq!(next(&mut u).await, None);

    // The process waits for the agent's registration.
    let process = get_process(&url, &d, &p).await;
    assert_eq!(process["status"], "processing");
    let queued = agents(&url).await;
    assert_eq!(queued["queue"][0]["processId"], p.as_str());
    assert_eq!(queued["calls"], json!([]));
    // The authorization is spent.
    assert_eq!(refused_status(user(&url, &a).await), 401);
    // Uploads after the end are refused.
    assert_eq!(
        console_put(&url, &session, &p, "/recording", "video/webm").await,
        409
    );

    // The call page's Reject form (the registration of the review page).
    let page = http()
        .get(format!("{url}/ra/calls/{p}"))
        .header("cookie", &session.0)
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    for id in [
        "remote-video",
        "local-video",
        "ask-front",
        "ask-back",
        "ask-face",
        "take-still",
        "hang-up",
        "accept",
        "reject",
        "reason-message",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(!html.contains("<script>"), "no inline script");
    let rejected = http()
        .post(format!("{url}/ra/processes/{p}/reject"))
        .header("cookie", &session.0)
        .header("origin", &url)
        .form(&[
            ("csrf", session.1.as_str()),
            ("type", "Document.Expired"),
            ("message", "Expired in 2020"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(rejected.status(), 303);
    let process = get_process(&url, &d, &p).await;
    assert_eq!(process["status"], "rejected");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_automatic_agent_takes_live_calls_and_the_sdk_uploads_its_own_media() {
    let sim = start().await;
    let url = sim.url.clone();
    let (status, _) = set_agents(&url, json!({ "autoAcceptAfterMs": 100 })).await;
    assert_eq!(status, 200);
    let (d, p, a, video_id) = callable(&url).await;
    let mut u = user(&url, &a).await.unwrap();
    let queued = expect(&mut u, "queued").await;
    assert!(queued["estimatedWaitSeconds"].as_u64().unwrap() <= 1);
    let connected = expect(&mut u, "agentConnected").await;
    assert_eq!(connected["automatic"], true);
    let control = agents(&url).await;
    assert_eq!(control["calls"][0]["agent"], "auto");
    // Plays the SDK: each prompted phase, a still through the provider API, then the recording.
    let mut prompted = Vec::new();
    loop {
        let message = next(&mut u).await.expect("the call goes on");
        match message["type"].as_str().unwrap() {
            "phaseStarting" => {
                let name = message["name"].as_str().unwrap().to_string();
                send(&mut u, json!({ "type": "continue", "phase": name })).await;
                let file = name.to_ascii_lowercase();
                let response = http()
                    .put(format!(
                        "{url}/provider/api/videos/{video_id}/images/{file}"
                    ))
                    .bearer_auth(&a)
                    .header("content-type", "image/jpeg")
                    .body(vec![0xff, 0xd8, 0xff, 0xe0, 9])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
                send(&mut u, json!({ "type": "captured", "phase": name })).await;
                prompted.push(name);
            }
            "recordingRequested" => {
                let response = http()
                    .put(format!("{url}/provider/api/videos/{video_id}/recording"))
                    .bearer_auth(&a)
                    .header("content-type", "video/webm")
                    .body(vec![0x1a, 0x45, 0xdf, 0xa3, 1])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
                send(&mut u, json!({ "type": "recordingUploaded" })).await;
            }
            "completed" => {
                assert_eq!(message["id"], video_id.as_str());
                break;
            }
            "queued" | "agentConnected" => {}
            other => panic!("unexpected {other}: {message}"),
        }
    }
    assert_eq!(prompted, ["FRONT", "BACK", "FACE"]);
    // The automatic agent then accepts.
    for _ in 0..100 {
        if get_process(&url, &d, &p).await["status"] == "accepted" {
            sim.shutdown().await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the automatic agent did not accept");
}
