//! Agent review of recorded processes: the backend's `processType` (`VIDEOID_PROCESS_TYPE`,
//! `?review=agent`), the simulator's review queue, its RA console (`/ra/`) and the automatic
//! agent of its control API.

mod common;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const AGENT: &str = "agent";
const PASSWORD: &str = "videoid-sim-agent";

/// A webhook receiver on loopback that keeps every delivery.
struct Hook {
    url: String,
    got: Arc<Mutex<Vec<Value>>>,
}

async fn hook() -> Hook {
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let app = Router::new()
        .route(
            "/hook",
            post(
                |State(got): State<Arc<Mutex<Vec<Value>>>>, Json(event): Json<Value>| async move {
                    got.lock().unwrap().push(event);
                    StatusCode::NO_CONTENT
                },
            ),
        )
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Hook { url, got }
}

impl Hook {
    /// The deliveries about `process_id` so far.
    fn about(&self, process_id: &str) -> usize {
        self.got
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e["eventData"]["processId"] == process_id)
            .count()
    }

    async fn wait_for(&self, process_id: &str) {
        for _ in 0..2000 {
            if self.about(process_id) > 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("no event for {process_id}");
    }
}

/// A signed-in agent of the RA console: the session cookie and the pages' form token.
struct Console {
    sim_url: String,
    cookie: String,
}

/// `POST /ra/sign-in` from the simulator's own origin.
async fn sign_in_as(sim_url: &str, user: &str, password: &str) -> reqwest::Response {
    client()
        .post(format!("{sim_url}/ra/sign-in"))
        .header("origin", sim_url)
        .form(&[("user", user), ("password", password)])
        .send()
        .await
        .unwrap()
}

impl Console {
    async fn sign_in(sim_url: &str) -> Console {
        let response = sign_in_as(sim_url, AGENT, PASSWORD).await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/ra/");
        let set = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        for part in ["HttpOnly", "SameSite=Strict", "Path=/ra"] {
            assert!(set.contains(part), "{set}");
        }
        let cookie = set.split(';').next().unwrap().to_string();
        Console {
            sim_url: sim_url.to_string(),
            cookie,
        }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        client()
            .get(format!("{}{path}", self.sim_url))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert!(!csp.contains("script-src"), "no scripts: {csp}");
        response.text().await.unwrap()
    }

    /// The form token of the console's pages.
    async fn csrf(&self) -> String {
        let html = self.page("/ra/").await;
        let (_, rest) = html
            .split_once("name=\"csrf\" value=\"")
            .expect("a form token");
        rest.split('"').next().unwrap().to_string()
    }

    /// A form `POST` with the session, from `origin`.
    async fn post(&self, path: &str, origin: &str, form: &[(&str, &str)]) -> reqwest::Response {
        client()
            .post(format!("{}{path}", self.sim_url))
            .header("cookie", &self.cookie)
            .header("origin", origin)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    async fn accept(&self, process_id: &str) -> reqwest::Response {
        let csrf = self.csrf().await;
        self.post(
            &format!("/ra/processes/{process_id}/accept"),
            &self.sim_url.clone(),
            &[("csrf", &csrf)],
        )
        .await
    }

    async fn reject(&self, process_id: &str, reasons: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf().await;
        let mut form = vec![("csrf", csrf.as_str())];
        for (kind, message) in reasons {
            form.push(("type", kind));
            form.push(("message", message));
        }
        self.post(
            &format!("/ra/processes/{process_id}/reject"),
            &self.sim_url.clone(),
            &form,
        )
        .await
    }
}

/// A hosted session with `?review=agent`, its capture finished: `(dossierId, processId)`.
async fn recorded(user: &mut EndUser, sim_url: &str, scenario: &str) -> (String, String) {
    user.embed_capture_with(sim_url, scenario, "&review=agent")
        .await
}

async fn get_process(sim_url: &str, d: &str, p: &str) -> Value {
    let token = token(sim_url).await;
    let url = format!("{sim_url}/assure/dossiers/{d}/processes/{p}");
    let (status, process) = json(sim(Method::GET, url, &token, None).await).await;
    assert_eq!(status, 200, "{process}");
    process
}

async fn queued_ids(sim_url: &str) -> Vec<String> {
    control_get(sim_url, "/agents").await["queue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["processId"].as_str().unwrap().to_string())
        .collect()
}

/// Captures a fully automatic process (the backend's default type) and waits (20 s at most)
/// until the simulator made it final: then a final delay has passed since every capture that
/// finished before this call, a positive signal instead of a sleep.
async fn a_final_delay_passes(s: &Servers) {
    let mut control = EndUser::new(&s.host_url);
    let (d, p) = control.embed_capture(&s.sim_url, "accepted").await;
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let process = get_process(&s.sim_url, &d, &p).await;
        assert_eq!(process["processType"], "substantialFullyAuto", "{process}");
        if !matches!(process["status"].as_str(), Some("pending" | "processing")) {
            return;
        }
        assert!(
            Instant::now() < until,
            "the fully automatic control process {p} never became final: {process}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn set_agents(sim_url: &str, body: Value) -> Value {
    let response = control_call(Method::PUT, sim_url, "/agents")
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, answer) = json(response).await;
    assert_eq!(status, 200, "{answer}");
    answer
}

#[tokio::test]
async fn the_console_needs_a_signed_in_agent() {
    let s = servers().await;
    let sim_url = s.sim_url.clone();
    let plain = |path: &str| client().get(format!("{sim_url}{path}")).send();

    let queue = plain("/ra/").await.unwrap();
    assert_eq!(queue.status(), 303);
    assert_eq!(queue.headers()["location"], "/ra/sign-in");
    let review = plain("/ra/processes/some-process").await.unwrap();
    assert_eq!(review.status(), 303);
    let media = plain("/ra/processes/some-process/media/front")
        .await
        .unwrap();
    assert_eq!(media.status(), 401);
    let post = client()
        .post(format!("{sim_url}/ra/processes/some-process/accept"))
        .header("origin", &sim_url)
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 401);

    // The sign-in page is accessible HTML: labelled fields, a heading, a button.
    let page = plain("/ra/sign-in").await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for part in [
        "<h1>Sign in</h1>",
        "<label for=\"user\">",
        "<label for=\"password\">",
        "<button type=\"submit\">Sign in</button>",
    ] {
        assert!(html.contains(part), "{part}");
    }

    // Wrong password, wrong user: refused without a cookie.
    for (user, password) in [(AGENT, "not-the-password"), ("someone", PASSWORD)] {
        let refused = sign_in_as(&sim_url, user, password).await;
        assert_eq!(refused.status(), 401);
        assert!(refused.headers().get("set-cookie").is_none());
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("Wrong user name or password"));
    }
    // A sign-in posted from another origin, or naming none, is refused.
    for origin in [Some("http://evil.example"), None] {
        let mut request = client()
            .post(format!("{sim_url}/ra/sign-in"))
            .form(&[("user", AGENT), ("password", PASSWORD)]);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let refused = request.send().await.unwrap();
        assert_eq!(refused.status(), 403, "{origin:?}");
        assert!(refused.headers().get("set-cookie").is_none());
    }
    // A made-up cookie is no session.
    let forged = client()
        .get(format!("{sim_url}/ra/"))
        .header("cookie", "videoid_ra=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 303);

    let console = Console::sign_in(&sim_url).await;
    let html = console.page("/ra/").await;
    assert!(html.contains("<h1>Review queue</h1>"), "{html}");
    assert!(html.contains("No recorded process is waiting"), "{html}");

    // Signing out ends the session.
    let csrf = console.csrf().await;
    let out = console
        .post("/ra/sign-out", &sim_url, &[("csrf", &csrf)])
        .await;
    assert_eq!(out.status(), 303);
    assert_eq!(console.get("/ra/").await.status(), 303);
    s.shutdown().await;
}

#[tokio::test]
async fn agent_credentials_are_configurable() {
    let s = servers_with(|c| {
        c.sim_agents.user = "ra-officer".into();
        c.sim_agents.password = "correct horse battery".into();
    })
    .await;
    let refused = sign_in_as(&s.sim_url, AGENT, PASSWORD).await;
    assert_eq!(refused.status(), 401, "the defaults no longer work");
    let ok = sign_in_as(&s.sim_url, "ra-officer", "correct horse battery").await;
    assert_eq!(ok.status(), 303);
    s.shutdown().await;
}

async fn an_agent_reviews_and_accepts_a_recorded_process(h: Harness) {
    let hook = hook().await;
    let url = hook.url.clone();
    let s = h
        .servers_with(|c| c.sim_webhook = videoid_www::Webhook::Url(url))
        .await;
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = recorded(&mut user, &s.sim_url, "accepted").await;
    let recorded_at = Instant::now();

    // Captured, yet processing: it waits for an agent, well past the final delay (a fully
    // automatic process captured after it has meanwhile become final).
    a_final_delay_passes(&s).await;
    let process = get_process(&s.sim_url, &d, &p).await;
    assert_eq!(process["processType"], "substantial");
    assert_eq!(process["status"], "processing");
    assert!(process.get("finalResult").is_none());
    assert_eq!(hook.about(&p), 0);
    let (status, result) = user.result(&d, &p).await;
    assert_eq!(status, 200);
    assert_eq!(result["status"], "processing");
    assert_eq!(queued_ids(&s.sim_url).await, vec![p.clone()]);

    // The queue lists it with how long it has waited.
    let console = Console::sign_in(&s.sim_url).await;
    let least = recorded_at.elapsed().as_millis() as u64;
    let queue = console.page("/ra/").await;
    assert!(
        queue.contains(&format!("<a href=\"/ra/processes/{p}\">{p}</a>")),
        "{queue}"
    );
    assert!(queue.contains("<th scope=\"col\">Waiting</th>"), "{queue}");
    let waited: u64 = queue
        .split_once("data-waiting-ms=\"")
        .unwrap()
        .1
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // It entered the queue before `recorded` returned (+1: both ends are whole milliseconds).
    assert!(
        waited + 1 >= least,
        "waited {waited} ms, at least {least} ms"
    );

    // The review page: the stills, the playable video, the OCR fields and the face match.
    let review = console.page(&format!("/ra/processes/{p}")).await;
    for part in [
        format!("<img src=\"/ra/processes/{p}/media/front\""),
        format!("<img src=\"/ra/processes/{p}/media/selfie\""),
        format!("<video controls preload=\"metadata\" width=\"480\" src=\"/ra/processes/{p}/media/video\""),
        "Nordmann".to_string(),
        "<strong id=\"similarity\">high</strong>".to_string(),
        "<button type=\"submit\">Accept</button>".to_string(),
        "<legend>Reject with reasons</legend>".to_string(),
    ] {
        assert!(review.contains(&part), "{part}\n{review}");
    }
    let front = console.get(&format!("/ra/processes/{p}/media/front")).await;
    assert_eq!(front.status(), 200);
    assert_eq!(front.headers()["content-type"], "image/jpeg");
    assert_eq!(&front.bytes().await.unwrap()[..3], &[0xff, 0xd8, 0xff]);
    let video = console.get(&format!("/ra/processes/{p}/media/video")).await;
    assert_eq!(video.status(), 200);
    assert!(video.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("video/"));
    assert_eq!(
        console
            .get(&format!("/ra/processes/{p}/media/passport"))
            .await
            .status(),
        404
    );

    // Without the form token, or from another origin: refused, nothing registered.
    let accept_path = format!("/ra/processes/{p}/accept");
    let csrf = console.csrf().await;
    let no_token = console.post(&accept_path, &s.sim_url, &[]).await;
    assert_eq!(no_token.status(), 403);
    let wrong_token = console
        .post(&accept_path, &s.sim_url, &[("csrf", "not-the-token")])
        .await;
    assert_eq!(wrong_token.status(), 403);
    let cross = console
        .post(&accept_path, "http://evil.example", &[("csrf", &csrf)])
        .await;
    assert_eq!(cross.status(), 403);
    assert_eq!(
        get_process(&s.sim_url, &d, &p).await["status"],
        "processing"
    );

    // Accept: accepted with the accepted finalResult, one webhook.
    let accepted = console.accept(&p).await;
    assert_eq!(accepted.status(), 303);
    let process = get_process(&s.sim_url, &d, &p).await;
    assert_eq!(process["status"], "accepted");
    assert_eq!(process["finalResult"]["lastName"], "Nordmann");
    assert_eq!(process["finalResult"]["documentNumber"], "FH0123456");
    assert_eq!(
        process["providerSpecific"]["manualApproval"],
        json!({ "rejectionReasons": [] })
    );
    hook.wait_for(&p).await;

    // A second registration is refused and fires nothing.
    assert_eq!(console.accept(&p).await.status(), 409);
    assert_eq!(
        console
            .reject(&p, &[("Document.Expired", "too late")])
            .await
            .status(),
        409
    );
    // Had a refusal queued an event, it would be pending until the receiver got it.
    no_pending_events(&s.data_dir).await;
    assert_eq!(hook.about(&p), 1, "exactly one process.complete");
    assert_eq!(get_process(&s.sim_url, &d, &p).await["status"], "accepted");
    assert!(queued_ids(&s.sim_url).await.is_empty());
    assert!(!console.page("/ra/").await.contains(&p));
    s.shutdown().await;
}

async fn an_agent_rejects_with_reasons(h: Harness) {
    let hook = hook().await;
    let url = hook.url.clone();
    let s = h
        .servers_with(|c| c.sim_webhook = videoid_www::Webhook::Url(url))
        .await;
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = recorded(&mut user, &s.sim_url, "accepted").await;
    let console = Console::sign_in(&s.sim_url).await;

    // No reason, or an unknown type: nothing registered.
    let none = console.reject(&p, &[("Document.Expired", "  ")]).await;
    assert_eq!(none.status(), 400);
    let unknown = console.reject(&p, &[("Made.Up", "no")]).await;
    assert_eq!(unknown.status(), 400);
    assert_eq!(
        get_process(&s.sim_url, &d, &p).await["status"],
        "processing"
    );

    let rejected = console
        .reject(
            &p,
            &[
                ("Photo.DoesNotMatchPerson", "The selfie shows someone else"),
                ("Person.Underage", ""),
                ("Document.NotLegible", "The back is blurred"),
            ],
        )
        .await;
    assert_eq!(rejected.status(), 303);
    let process = get_process(&s.sim_url, &d, &p).await;
    assert_eq!(process["status"], "rejected");
    assert!(process.get("finalResult").is_none());
    assert_eq!(
        process["providerSpecific"]["manualApproval"]["rejectionReasons"],
        json!([
            { "type": "Photo.DoesNotMatchPerson", "message": "The selfie shows someone else" },
            { "type": "Document.NotLegible", "message": "The back is blurred" },
        ])
    );
    assert!(process["providerSpecific"]["ocr"].is_object());
    hook.wait_for(&p).await;

    // The full result carries the agent's review; the backend reads the final status.
    let token = token(&s.sim_url).await;
    let url = format!("{}/assure/dossiers/{d}/processes/{p}/download", s.sim_url);
    let zip_bytes = sim(Method::GET, url, &token, None)
        .await
        .bytes()
        .await
        .unwrap();
    let entries = assure_simulator::zip::read_stored(&zip_bytes).unwrap();
    let review = entries
        .iter()
        .find(|(name, _)| name == "manual_approval.json")
        .expect("manual_approval.json");
    let review: Value = serde_json::from_slice(&review.1).unwrap();
    assert_eq!(review["rejectionReasons"][1]["type"], "Document.NotLegible");
    let result = final_result(&mut user, &d, &p).await;
    assert_eq!(result["status"], "rejected");

    assert_eq!(console.accept(&p).await.status(), 409);
    // Had the refusal queued an event, it would be pending until the receiver got it.
    no_pending_events(&s.data_dir).await;
    assert_eq!(hook.about(&p), 1, "exactly one process.complete");
    s.shutdown().await;
}

#[tokio::test]
async fn the_review_page_serves_the_media_as_uploaded() {
    let s = servers().await;
    let mut user = EndUser::new(&s.host_url);
    let (status, session) = user
        .session("?review=agent", json!({ "mode": "sdk" }))
        .await;
    assert_eq!(status, 200, "{session}");
    let provider_api = session["sdkUrl"]
        .as_str()
        .unwrap()
        .strip_suffix("/js/videoid.js")
        .unwrap()
        .to_string();
    sdk_video(&provider_api, session["authorization"].as_str().unwrap(), 2).await;
    let p = session["processId"].as_str().unwrap();
    assert_eq!(queued_ids(&s.sim_url).await, vec![p.to_string()]);
    let console = Console::sign_in(&s.sim_url).await;
    let review = console.page(&format!("/ra/processes/{p}")).await;
    assert!(
        review.contains(&format!("<img src=\"/ra/processes/{p}/media/back\"")),
        "a two-sided document shows its back: {review}"
    );
    for (depiction, bytes, content_type) in [
        ("front", jpeg("front"), "image/jpeg"),
        ("back", jpeg("back"), "image/jpeg"),
        ("selfie", jpeg("face"), "image/jpeg"),
        ("video", recording(), "video/webm"),
    ] {
        let r = console
            .get(&format!("/ra/processes/{p}/media/{depiction}"))
            .await;
        assert_eq!(r.status(), 200, "{depiction}");
        assert_eq!(r.headers()["content-type"], content_type, "{depiction}");
        assert_eq!(r.bytes().await.unwrap().to_vec(), bytes, "{depiction}");
    }
    s.shutdown().await;
}

#[tokio::test]
async fn fully_automatic_processes_never_enter_the_queue() {
    let s = servers().await;
    let mut user = EndUser::new(&s.host_url);
    // The default VIDEOID_PROCESS_TYPE: substantialFullyAuto, ending by its scenario.
    let (d, p) = user.embed_capture(&s.sim_url, "rejected").await;
    let result = final_result(&mut user, &d, &p).await;
    assert_eq!(result["status"], "rejected");
    let process = get_process(&s.sim_url, &d, &p).await;
    assert_eq!(process["processType"], "substantialFullyAuto");
    assert!(process["providerSpecific"].get("manualApproval").is_none());
    assert!(queued_ids(&s.sim_url).await.is_empty());
    let console = Console::sign_in(&s.sim_url).await;
    assert!(!console.page("/ra/").await.contains(&p));
    assert_eq!(console.accept(&p).await.status(), 409);

    // A failed capture of an agent-reviewed type has nothing to review: it ends by itself.
    let (d, p) = recorded(&mut user, &s.sim_url, "failed-inactive").await;
    assert_eq!(final_result(&mut user, &d, &p).await["status"], "failed");
    assert!(queued_ids(&s.sim_url).await.is_empty());
    s.shutdown().await;
}

#[tokio::test]
async fn the_automatic_agent_accepts_after_its_delay() {
    let s = servers_with(|c| c.sim_agents.auto_accept = Some(Duration::from_millis(1000))).await;
    let agents = control_get(&s.sim_url, "/agents").await;
    assert_eq!(agents["online"], true);
    assert_eq!(agents["autoAcceptAfterMs"], 1000);

    let mut user = EndUser::new(&s.host_url);
    let started = Instant::now();
    let (d, p) = recorded(&mut user, &s.sim_url, "accepted").await;
    // Not before its delay: still queued (so processing) once it has waited 300 ms by the
    // simulator's own clock, both read from one answer of the control API.
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let agents = control_get(&s.sim_url, "/agents").await;
        let waiting = agents["queue"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["processId"] == p.as_str())
            .map(|q| q["waitingMs"].as_u64().unwrap());
        let Some(waiting) = waiting else {
            panic!("{p} left the queue before it had waited 300 ms of the 1000 ms: {agents}");
        };
        if waiting >= 300 {
            break;
        }
        assert!(Instant::now() < until, "{p} never waited 300 ms: {agents}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let result = final_result(&mut user, &d, &p).await;
    assert_eq!(result["status"], "accepted");
    assert!(started.elapsed() >= Duration::from_millis(1000));
    let process = get_process(&s.sim_url, &d, &p).await;
    assert_eq!(process["finalResult"]["lastName"], "Nordmann");
    assert_eq!(
        process["providerSpecific"]["manualApproval"],
        json!({ "rejectionReasons": [] })
    );
    s.shutdown().await;
}

#[tokio::test]
async fn agents_go_offline_and_online_through_the_control_api() {
    let s = servers().await;
    let answer = set_agents(&s.sim_url, json!({ "online": false })).await;
    assert_eq!(answer["online"], false);
    assert_eq!(answer["autoAcceptAfterMs"], Value::Null);
    let mut user = EndUser::new(&s.host_url);
    let (d, p) = recorded(&mut user, &s.sim_url, "accepted").await;
    let console = Console::sign_in(&s.sim_url).await;
    assert!(console.page("/ra/").await.contains("Agents are offline"));
    assert_eq!(console.accept(&p).await.status(), 503);

    // The automatic agent does not work while agents are offline.
    set_agents(&s.sim_url, json!({ "autoAcceptAfterMs": 0 })).await;
    // Its turn (after 0 ms) came before a final delay that starts after this call has passed.
    a_final_delay_passes(&s).await;
    assert_eq!(
        get_process(&s.sim_url, &d, &p).await["status"],
        "processing"
    );
    assert_eq!(queued_ids(&s.sim_url).await, vec![p.clone()]);

    // Online again: the automatic agent takes what waited.
    set_agents(&s.sim_url, json!({ "online": true })).await;
    assert_eq!(final_result(&mut user, &d, &p).await["status"], "accepted");

    for bad in [
        json!({ "online": "yes" }),
        json!({ "autoAcceptAfterMs": -1 }),
        json!({ "agents": 3 }),
    ] {
        let response = control_call(Method::PUT, &s.sim_url, "/agents")
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_error(response, 400).await;
    }
    let unauthenticated = client()
        .get(format!("{}/simulator/agents", s.sim_url))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), 401);
    s.shutdown().await;
}

#[tokio::test]
async fn review_agent_picks_substantial_in_simulator_mode() {
    let s = servers().await;
    let mut user = EndUser::new(&s.host_url);
    let (status, body) = user.session("?review=human", json!({})).await;
    assert_eq!(status, 400, "{body}");
    for (query, expected) in [
        ("", "substantialFullyAuto"),
        ("?review=agent", "substantial"),
    ] {
        let (status, session) = user.session(query, json!({ "mode": "sdk" })).await;
        assert_eq!(status, 200, "{session}");
        let d = session["dossierId"].as_str().unwrap();
        let p = session["processId"].as_str().unwrap();
        assert_eq!(
            get_process(&s.sim_url, d, p).await["processType"],
            expected,
            "{query}"
        );
    }
    s.shutdown().await;

    // A site's VIDEOID_PROCESS_TYPE: every session asks for it.
    let s = servers_with(|c| c.process_type = "high".into()).await;
    let mut user = EndUser::new(&s.host_url);
    let (status, session) = user.session("", json!({})).await;
    assert_eq!(status, 200, "{session}");
    let processes = control_get(&s.sim_url, "/processes").await;
    assert_eq!(processes[0]["processType"], "high");
    s.shutdown().await;
}

#[tokio::test]
async fn review_agent_is_ignored_in_signicat_mode_and_no_console_runs() {
    let upstream = servers().await;
    let base_url = upstream.sim_url.clone();
    let s = servers_with(|c| {
        c.real = Some(videoid_www::config::RealAssure {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            base_url,
        })
    })
    .await;
    let mut user = EndUser::new(&s.host_url);
    // Ignored like ?scenario=, even a value simulator mode refuses.
    for query in ["?review=agent", "?review=human"] {
        let (status, session) = user.session(query, json!({ "mode": "sdk" })).await;
        assert_eq!(status, 200, "{query}: {session}");
    }
    let processes = control_get(&upstream.sim_url, "/processes").await;
    let types: Vec<&str> = processes
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["processType"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["substantialFullyAuto", "substantialFullyAuto"]);

    // No console: not on the host origin, and no simulator of this instance answers.
    let on_host = client()
        .get(format!("{}/ra/sign-in", s.host_url))
        .send()
        .await
        .unwrap();
    assert_eq!(on_host.status(), 404);
    assert_ne!(s.sim_url, upstream.sim_url);
    let own_sim = client()
        .get(format!("{}/ra/sign-in", s.sim_url))
        .send()
        .await;
    assert!(
        own_sim.as_ref().map_or(true, |r| r.status() == 404),
        "{own_sim:?}"
    );
    s.shutdown().await;
    upstream.shutdown().await;
}

simulator_tests!(
    an_agent_reviews_and_accepts_a_recorded_process,
    an_agent_rejects_with_reasons,
);
