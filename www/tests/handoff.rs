//! Handing a capture over to a phone, over real HTTP: the desktop's link, the phone's page
//! and its own cookie, the phone's native capture into the desktop's dossier, the status the
//! desktop reads, revocation, and two instances on one database.

mod common;

use base64::Engine;
use common::*;
use serde_json::{json, Value};

/// A phone: keeps only the `videoid_handoff` cookie the handoff page sets.
struct Phone {
    host_url: String,
    cookie: Option<String>,
}

impl Phone {
    fn new(host_url: &str) -> Phone {
        Phone {
            host_url: host_url.to_string(),
            cookie: None,
        }
    }

    /// Opens a handoff link as a browser does: GETs it (which changes nothing), then POSTs the
    /// token from the page's form. Status and page text of the last answer; remembers the
    /// cookie it sets.
    async fn open(&mut self, url: &str) -> (u16, reqwest::header::HeaderMap, String) {
        let page = client().get(url).send().await.unwrap();
        let status = page.status().as_u16();
        assert!(
            page.headers().get("set-cookie").is_none(),
            "a GET of the link sets no cookie"
        );
        let text = page.text().await.unwrap();
        if status != 200 {
            return (status, reqwest::header::HeaderMap::new(), text);
        }
        let token = url.split_once("t=").unwrap().1;
        assert!(
            text.contains(&format!("name=\"t\" value=\"{token}\"")),
            "the page's form carries the token: {text}"
        );
        let response = post_link(&self.host_url, format!("t={token}")).await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        for value in headers.get_all("set-cookie") {
            let value = value.to_str().unwrap();
            let (name, v) = value.split(';').next().unwrap().split_once('=').unwrap();
            assert_eq!(
                name, "videoid_handoff",
                "the phone gets only its own cookie"
            );
            self.cookie = Some(v.to_string());
        }
        (status, headers, response.text().await.unwrap())
    }

    fn with_cookie(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.cookie {
            Some(c) => request.header("cookie", format!("videoid_handoff={c}")),
            None => request,
        }
    }

    async fn session(&self, query: &str, body: Value) -> reqwest::Response {
        let url = format!("{}/api/videoid/session{query}", self.host_url);
        self.with_cookie(client().post(url).json(&body))
            .send()
            .await
            .unwrap()
    }

    async fn status(&self) -> (u16, Value) {
        let url = format!("{}/api/videoid/handoff/phone", self.host_url);
        json(self.with_cookie(client().get(url)).send().await.unwrap()).await
    }

    async fn put(&self, token: &str, step: &str) -> reqwest::Response {
        let url = format!("{}/api/videoid/upload/{step}", self.host_url);
        self.with_cookie(client().put(url))
            .bearer_auth(token)
            .header("content-type", "image/jpeg")
            .body(jpeg(step))
            .send()
            .await
            .unwrap()
    }

    async fn complete(&self, token: &str) -> reqwest::Response {
        let url = format!("{}/api/videoid/upload/complete", self.host_url);
        self.with_cookie(client().post(url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    async fn result(&self, dossier_id: &str, process_id: &str) -> reqwest::Response {
        let url = format!("{}/api/videoid/result", self.host_url);
        let request = client()
            .get(url)
            .query(&[("dossierId", dossier_id), ("processId", process_id)]);
        self.with_cookie(request).send().await.unwrap()
    }
}

/// `POST /api/videoid/handoff{query}` as `user`.
async fn create(user: &mut EndUser, query: &str, body: Value) -> (u16, Value) {
    let url = format!("{}/api/videoid/handoff{query}", user.host_url);
    json(user.send(client().post(url).json(&body)).await).await
}

/// A new handoff of `user`: its id and link.
async fn handoff(user: &mut EndUser, query: &str) -> (String, String) {
    let (status, body) = create(user, query, json!({ "mode": "native", "lang": "en" })).await;
    assert_eq!(status, 201, "{body}");
    (
        body["id"].as_str().unwrap().to_string(),
        body["url"].as_str().unwrap().to_string(),
    )
}

/// `GET /api/videoid/handoff/{id}/events` as `user`: status and body.
async fn events(user: &mut EndUser, id: &str) -> (u16, Value) {
    let response = user.get(&format!("/api/videoid/handoff/{id}/events")).await;
    if response.status() == 200 {
        assert_eq!(response.headers()["cache-control"], "no-store");
    }
    json(response).await
}

/// `POST /api/videoid/handoff/{id}/confirm` as `user`: the phone with the code is theirs.
async fn confirm(user: &mut EndUser, id: &str) -> (u16, Value) {
    let url = format!("{}/api/videoid/handoff/{id}/confirm", user.host_url);
    json(user.send(client().post(url)).await).await
}

/// The desktop confirms the code its phone shows (the same on both screens).
async fn pair(user: &mut EndUser, id: &str, phone: &Phone) {
    let (status, shown) = events(user, id).await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["status"], "pairing", "{shown}");
    let (_, on_phone) = phone.status().await;
    assert_eq!(
        on_phone["code"], shown["code"],
        "both screens show one code"
    );
    let (status, paired) = confirm(user, id).await;
    assert_eq!(status, 200, "{paired}");
    assert_eq!(paired["status"], "paired");
}

async fn revoke(user: &mut EndUser, id: &str) -> u16 {
    let url = format!("{}/api/videoid/handoff/{id}", user.host_url);
    user.send(client().delete(url)).await.status().as_u16()
}

/// Only status and ids: no personal data in what the desktop polls.
fn assert_status_only(body: &Value) {
    for key in body.as_object().unwrap().keys() {
        assert!(
            ["id", "status", "expiresAt", "dossierId", "processId"].contains(&key.as_str()),
            "unexpected field {key}: {body}"
        );
    }
}

/// The handoff page's form: `POST /videoid/handoff` with `body` (`t=…`).
async fn post_link(host_url: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
    client()
        .post(format!("{host_url}/videoid/handoff"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

fn token_of(url: &str) -> String {
    url.split_once("?t=").expect("a t parameter").1.to_string()
}

/// An attacker's phone names a victim's process id in a result read: Assure does not know it
/// in the attacker's dossier, so it is never bound to the attacker's handoff, and revoking that
/// handoff leaves the victim's uploads alone.
#[tokio::test]
async fn a_phone_binds_only_a_process_assure_confirms_in_its_dossier() {
    let s = servers().await;
    let mut victim = EndUser::new(&s.host_url);
    let (status, session) = victim
        .session("", json!({ "mode": "native", "lang": "en" }))
        .await;
    assert_eq!(status, 200, "{session}");
    let victim_process = session["processId"].as_str().unwrap();
    let victim_token = session["uploadToken"].as_str().unwrap();

    let mut attacker = EndUser::new(&s.host_url);
    let (status, body) = create(&mut attacker, "", json!({ "mode": "embed" })).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let mut phone = Phone::new(&s.host_url);
    assert_eq!(phone.open(body["url"].as_str().unwrap()).await.0, 200);
    pair(&mut attacker, &id, &phone).await;
    let started = phone.session("", json!({ "mode": "embed" })).await;
    let (status, started) = json(started).await;
    assert_eq!(status, 200, "{started}");
    let attacker_dossier = started["dossierId"].as_str().unwrap();

    let read = phone.result(attacker_dossier, victim_process).await;
    assert_error(read, 404).await;
    assert_eq!(revoke(&mut attacker, &id).await, 204);

    let upload = phone_less_put(&s.host_url, victim_token, "front").await;
    assert_eq!(upload.status(), 201, "the victim's capture goes on");
    s.shutdown().await;
}

/// Someone else's phone opened the link first (it saw the QR code): the desktop sees a code
/// its own phone does not show, says "not mine", and that phone's session ends before it
/// captured anything; the end-user's own phone, coming second, gets the used-link page.
#[tokio::test]
async fn not_mine_ends_the_other_phones_session_before_any_capture() {
    let s = servers().await;
    let mut desktop = EndUser::new(&s.host_url);
    let (id, url) = handoff(&mut desktop, "?scenario=accepted").await;
    let mut intruder = Phone::new(&s.host_url);
    assert_eq!(intruder.open(&url).await.0, 200);
    let (_, shown) = events(&mut desktop, &id).await;
    assert_eq!(shown["status"], "pairing");
    // The end-user's own phone cannot open the link any more.
    let mut own = Phone::new(&s.host_url);
    assert_eq!(own.open(&url).await.0, 410);
    // "Not mine".
    assert_eq!(revoke(&mut desktop, &id).await, 204);
    assert_eq!(
        intruder.status().await,
        (200, json!({ "status": "cancelled" }))
    );
    let session = intruder
        .session("?scenario=accepted", json!({ "mode": "native" }))
        .await;
    assert_error(session, 410).await;
    let (status, _) = confirm(&mut desktop, &id).await;
    assert_eq!(status, 410, "nothing left to confirm");
    let (_, dossier) = json(desktop.get("/api/videoid/dossier").await).await;
    assert_eq!(dossier["processes"], json!([]), "nothing was captured");
    s.shutdown().await;
}

/// An upload as the element on the desktop sends it (no phone cookie).
async fn phone_less_put(host_url: &str, token: &str, step: &str) -> reqwest::Response {
    client()
        .put(format!("{host_url}/api/videoid/upload/{step}"))
        .bearer_auth(token)
        .header("content-type", "image/jpeg")
        .body(jpeg(step))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_phone_captures_into_the_desktops_dossier_and_the_desktop_follows() {
    let s = servers().await;
    let mut desktop = EndUser::new(&s.host_url);
    let (status, created) = create(
        &mut desktop,
        "?scenario=accepted",
        json!({ "mode": "native", "lang": "en" }),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert!(desktop.cookie.is_some(), "a new end-user is named");
    let mut keys: Vec<&String> = created.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["expiresAt", "expiresIn", "id", "url"]);
    let id = created["id"].as_str().unwrap().to_string();
    let url = created["url"].as_str().unwrap().to_string();
    let expires_in = created["expiresIn"].as_u64().unwrap();
    assert!((1..=600).contains(&expires_in), "{expires_in}");
    let expires_at =
        videoid_backend::clock::parse_rfc3339_ms(created["expiresAt"].as_str().unwrap()).unwrap();
    let now = videoid_backend::store::now_ms() as u64;
    assert!(
        expires_at > now && expires_at <= now + 600_000 + 1_000,
        "{created}"
    );
    // The link: the host's page, a token of at least 128 random bits that is not the id.
    assert!(
        url.starts_with(&format!("{}/videoid/handoff?t=", s.host_url)),
        "{url}"
    );
    let token = token_of(&url);
    let bits = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&token)
        .expect("the token is base64url")
        .len()
        * 8;
    assert!(bits >= 128, "{bits} bits");
    assert!(!url.contains(&id) && token != id);

    let (status, body) = events(&mut desktop, &id).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "waiting");
    assert_eq!(body["id"], id.as_str());
    assert!(body.get("dossierId").is_none() && body.get("processId").is_none());
    assert_status_only(&body);

    // The phone opens the link: the page, its own cookie, never the desktop's.
    let mut phone = Phone::new(&s.host_url);
    let (status, headers, page) = phone.open(&url).await;
    assert_eq!(status, 200, "{page}");
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(headers.contains_key("content-security-policy"));
    let set_cookie = headers["set-cookie"].to_str().unwrap();
    for attribute in [
        "HttpOnly",
        "SameSite=Lax",
        "Path=/api/videoid",
        "Max-Age=600",
    ] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    let phone_cookie = phone.cookie.clone().expect("the phone's cookie");
    assert_ne!(Some(&phone_cookie), desktop.cookie.as_ref());
    assert!(page.contains("<videoid-capture"), "{page}");
    for attribute in [
        "mode=\"native\"",
        "handoff=\"off\"",
        "lang=\"en\"",
        "session-endpoint=\"/api/videoid/session?scenario=accepted\"",
        "id=\"handoff-done\"",
        "id=\"handoff-ended\"",
    ] {
        assert!(page.contains(attribute), "{attribute}: {page}");
    }
    assert!(!page.contains(&token), "no secret in the page");
    assert!(!page.contains(&phone_cookie), "no secret in the page");
    // Both screens show one code; the phone captures nothing until the desktop confirms it.
    let (_, pairing) = events(&mut desktop, &id).await;
    assert_eq!(pairing["status"], "pairing");
    let code = pairing["code"].as_str().unwrap().to_string();
    assert!(
        code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    assert!(
        page.contains(&format!(">{code}</strong>")),
        "the phone's page shows {code}"
    );
    assert_eq!(
        phone.status().await,
        (200, json!({ "status": "pairing", "code": code }))
    );
    let early = phone
        .session("?scenario=accepted", json!({ "mode": "native" }))
        .await;
    assert_eq!(
        assert_error(early, 409).await,
        "confirm the code on your computer first"
    );
    pair(&mut desktop, &id, &phone).await;
    assert_eq!(phone.status().await, (200, json!({ "status": "paired" })));
    let (status, twice) = confirm(&mut desktop, &id).await;
    assert_eq!(status, 409, "confirmed once: {twice}");

    // A second open: the "used or expired" page, no capture, no cookie.
    let mut again = Phone::new(&s.host_url);
    let (status, headers, page) = again.open(&url).await;
    assert_eq!(status, 410);
    assert!(page.contains("id=\"handoff-used\""), "{page}");
    assert!(!page.contains("<videoid-capture"), "{page}");
    assert!(!headers.contains_key("set-cookie"));
    assert_eq!(again.cookie, None);

    // The phone's session acts for the desktop's end-user: a process in their dossier.
    let response = phone
        .session(
            "?scenario=accepted",
            json!({ "mode": "native", "lang": "en" }),
        )
        .await;
    assert!(
        !response.headers().contains_key("set-cookie"),
        "the phone is not named as an end-user"
    );
    let (status, session) = json(response).await;
    assert_eq!(status, 200, "{session}");
    let dossier_id = session["dossierId"].as_str().unwrap().to_string();
    let process_id = session["processId"].as_str().unwrap().to_string();
    let upload_token = session["uploadToken"].as_str().unwrap().to_string();
    let (status, dossier) = json(desktop.get("/api/videoid/dossier").await).await;
    assert_eq!(status, 200, "{dossier}");
    assert_eq!(
        dossier["dossierId"],
        dossier_id.as_str(),
        "the desktop's dossier"
    );
    let (_, body) = events(&mut desktop, &id).await;
    assert_eq!(
        (&body["status"], &body["dossierId"], &body["processId"]),
        (&json!("capturing"), &json!(dossier_id), &json!(process_id))
    );

    for (n, step) in ["front", "back", "selfie"].into_iter().enumerate() {
        let (status, body) = json(phone.put(&upload_token, step).await).await;
        assert_eq!(status, 201, "{step}: {body}");
        if n == 0 {
            assert_eq!(events(&mut desktop, &id).await.1["status"], "uploading");
        }
    }
    let (status, body) = json(phone.complete(&upload_token).await).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = events(&mut desktop, &id).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "complete");
    assert_eq!(body["dossierId"], dossier_id.as_str());
    assert_eq!(body["processId"], process_id.as_str());
    assert_status_only(&body);
    assert_eq!(phone.status().await.1["status"], "complete");

    // The phone reads the result of its own process; the desktop reads it as its own.
    let (status, body) = json(phone.result(&dossier_id, &process_id).await).await;
    assert_eq!(status, 200, "{body}");
    let result = final_result(&mut desktop, &dossier_id, &process_id).await;
    assert_eq!(result["status"], "accepted", "{result}");

    // Finished: the phone's cookie starts nothing more; a revoke leaves it complete.
    let response = phone
        .session("?scenario=accepted", json!({ "mode": "native" }))
        .await;
    assert_error(response, 410).await;
    assert_eq!(revoke(&mut desktop, &id).await, 204);
    assert_eq!(events(&mut desktop, &id).await.1["status"], "complete");

    // Another end-user, or nobody, learns nothing about it and cannot revoke it.
    let mut other = EndUser::new(&s.host_url);
    handoff(&mut other, "").await;
    assert_error(
        other
            .get(&format!("/api/videoid/handoff/{id}/events"))
            .await,
        404,
    )
    .await;
    assert_eq!(revoke(&mut other, &id).await, 404);
    let mut nobody = EndUser::new(&s.host_url);
    assert_eq!(events(&mut nobody, &id).await.0, 404);
    assert_eq!(revoke(&mut nobody, &id).await, 404);
    // Nor can a phone read another process of the dossier than its own.
    let other_process = desktop.embed_capture(&s.sim_url, "accepted").await.1;
    assert_error(phone.result(&dossier_id, &other_process).await, 404).await;
    s.shutdown().await;
}

#[tokio::test]
async fn a_revoked_handoff_stops_the_link_and_the_phone() {
    let s = servers().await;
    let mut desktop = EndUser::new(&s.host_url);

    // Revoked before it was opened: the link shows the used-or-expired page.
    let (id, url) = handoff(&mut desktop, "?scenario=accepted").await;
    assert_eq!(revoke(&mut desktop, &id).await, 204);
    assert_eq!(events(&mut desktop, &id).await.1["status"], "cancelled");
    let mut phone = Phone::new(&s.host_url);
    let (status, _, page) = phone.open(&url).await;
    assert_eq!(status, 410);
    assert!(page.contains("id=\"handoff-used\""));
    assert_eq!(phone.cookie, None);

    // Revoked while the phone captures: its session, uploads and completion answer 410.
    let (id, url) = handoff(&mut desktop, "?scenario=accepted").await;
    let mut phone = Phone::new(&s.host_url);
    assert_eq!(phone.open(&url).await.0, 200);
    pair(&mut desktop, &id, &phone).await;
    let (status, session) = json(
        phone
            .session("?scenario=accepted", json!({ "mode": "native" }))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{session}");
    let upload_token = session["uploadToken"].as_str().unwrap();
    let (status, body) = json(phone.put(upload_token, "front").await).await;
    assert_eq!(status, 201, "{body}");

    assert_eq!(revoke(&mut desktop, &id).await, 204);
    assert_eq!(revoke(&mut desktop, &id).await, 204, "idempotent");
    let (_, body) = events(&mut desktop, &id).await;
    assert_eq!(body["status"], "cancelled");
    assert_eq!(
        phone.status().await,
        (200, json!({ "status": "cancelled" }))
    );
    let message = assert_error(
        phone
            .session("?scenario=accepted", json!({ "mode": "native" }))
            .await,
        410,
    )
    .await;
    assert_eq!(message, "the handoff was cancelled");
    assert_error(phone.put(upload_token, "back").await, 410).await;
    assert_error(phone.complete(upload_token).await, 410).await;
    // The cancelled handoff's upload session is refused with or without the phone's cookie.
    let bare = client()
        .put(format!("{}/api/videoid/upload/back", s.host_url))
        .bearer_auth(upload_token)
        .header("content-type", "image/jpeg")
        .body(jpeg("back"))
        .send()
        .await
        .unwrap();
    assert_error(bare, 410).await;
    assert_eq!(events(&mut desktop, &id).await.1["status"], "cancelled");
    s.shutdown().await;
}

#[tokio::test]
async fn a_get_of_the_link_leaves_it_usable_and_only_the_pages_post_opens_it() {
    let s = servers().await;
    let mut desktop = EndUser::new(&s.host_url);
    let (status, created) = create(&mut desktop, "", json!({ "mode": "native" })).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let url = created["url"].as_str().unwrap().to_string();
    let token = token_of(&url);
    // A preview, a scanner, a desktop tab: GETs, however many, change nothing.
    for _ in 0..3 {
        let page = client().get(&url).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.headers().get("set-cookie").is_none());
        assert_eq!(page.headers()["referrer-policy"], "same-origin");
        let text = page.text().await.unwrap();
        assert!(
            text.contains("<form id=\"handoff-open\" method=\"post\" action=\"/videoid/handoff\">"),
            "{text}"
        );
        assert!(
            !text.contains("<videoid-capture"),
            "no capture before the POST"
        );
    }
    assert_eq!(events(&mut desktop, &id).await.1["status"], "waiting");
    // A POST without the token, or with another one, opens nothing.
    for body in ["", "t=", "x=1", "t=not-a-token", "t=%3Cscript%3E"] {
        let response = post_link(&s.host_url, body).await;
        assert_eq!(response.status(), 410, "{body}");
        assert!(response.headers().get("set-cookie").is_none(), "{body}");
    }
    assert_eq!(events(&mut desktop, &id).await.1["status"], "waiting");
    // The page's POST opens it, once.
    let mut phone = Phone::new(&s.host_url);
    assert_eq!(phone.open(&url).await.0, 200);
    assert!(phone.cookie.is_some());
    assert_eq!(events(&mut desktop, &id).await.1["status"], "pairing");
    assert_eq!(client().get(&url).send().await.unwrap().status(), 410);
    let again = post_link(&s.host_url, format!("t={token}")).await;
    assert_eq!(again.status(), 410);
    assert!(again.headers().get("set-cookie").is_none());
    s.shutdown().await;
}

#[tokio::test]
async fn bad_links_and_requests_are_refused_without_changing_anything() {
    let s = servers().await;
    for query in ["", "?t=", "?t=..%2Fx", "?t=not-a-token", "?t=%3Cscript%3E"] {
        let mut phone = Phone::new(&s.host_url);
        let (status, headers, page) = phone
            .open(&format!("{}/videoid/handoff{query}", s.host_url))
            .await;
        assert_eq!(status, 410, "{query}");
        assert!(page.contains("id=\"handoff-used\""), "{query}");
        assert!(!headers.contains_key("set-cookie"), "{query}");
    }
    // No phone cookie, or one the backend never issued.
    let phone = Phone::new(&s.host_url);
    let (status, body) = phone.status().await;
    assert_eq!(status, 404);
    assert!(body["error"].is_string(), "{body}");
    let stranger = Phone {
        host_url: s.host_url.clone(),
        cookie: Some("never-issued".to_string()),
    };
    assert_eq!(stranger.status().await.0, 404);
    assert_error(stranger.session("", json!({ "mode": "native" })).await, 410).await;

    let mut desktop = EndUser::new(&s.host_url);
    for (query, body) in [
        ("", json!({ "mode": "camera" })),
        ("", json!({ "mode": "native", "lang": "<x>" })),
        ("?scenario=explode", json!({ "mode": "native" })),
    ] {
        let (status, answer) = create(&mut desktop, query, body).await;
        assert_eq!(status, 400, "{answer}");
    }
    let url = format!("{}/api/videoid/handoff", s.host_url);
    let response = desktop
        .send(
            client()
                .post(url)
                .header("content-type", "text/plain")
                .body("{}"),
        )
        .await;
    assert_error(response, 415).await;
    assert_eq!(s.store.census().await.unwrap().handoffs, 0);
    assert_eq!(events(&mut desktop, "../x").await.0, 404);
    assert_eq!(events(&mut desktop, "unknown").await.0, 404);
    s.shutdown().await;
}

#[tokio::test]
async fn the_desktop_cookie_wins_over_the_phone_cookie() {
    let s = servers().await;
    let mut desktop = EndUser::new(&s.host_url);
    let (id, url) = handoff(&mut desktop, "?scenario=accepted").await;
    let mut phone = Phone::new(&s.host_url);
    assert_eq!(phone.open(&url).await.0, 200);
    pair(&mut desktop, &id, &phone).await;
    // A browser holding both (the desktop itself) acts as the desktop: nothing is recorded.
    let both = format!(
        "videoid_user={}; videoid_handoff={}",
        desktop.cookie.as_ref().unwrap(),
        phone.cookie.as_ref().unwrap()
    );
    let response = client()
        .post(format!(
            "{}/api/videoid/session?scenario=accepted",
            s.host_url
        ))
        .header("cookie", both)
        .json(&json!({ "mode": "native" }))
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{body}");
    let (_, handoff) = events(&mut desktop, &id).await;
    assert_eq!(handoff["status"], "paired");
    assert!(handoff.get("processId").is_none());
    s.shutdown().await;
}

#[tokio::test]
async fn two_instances_on_one_database_share_handoffs() {
    let a = servers().await;
    let b = second_instance(&a).await;

    let mut desktop = EndUser::new(&a.host_url);
    let (id, url) = handoff(&mut desktop, "?scenario=accepted").await;
    // The phone reaches the other instance.
    let url_b = url.replace(&a.host_url, &b.host_url);
    let mut phone = Phone::new(&b.host_url);
    assert_eq!(phone.open(&url_b).await.0, 200);
    pair(&mut desktop, &id, &phone).await;
    let (status, session) = json(
        phone
            .session("?scenario=accepted", json!({ "mode": "native" }))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(events(&mut desktop, &id).await.1["status"], "capturing");
    // The desktop revokes on its instance; the phone's instance refuses it at once.
    assert_eq!(revoke(&mut desktop, &id).await, 204);
    assert_error(
        phone
            .session("?scenario=accepted", json!({ "mode": "native" }))
            .await,
        410,
    )
    .await;
    // And the link, used on b, is used on a too.
    let mut again = Phone::new(&a.host_url);
    assert_eq!(again.open(&url).await.0, 410);
    b.shutdown().await;
    a.shutdown().await;
}

/// The hosted flow and VideoID's web SDK on the phone: the handoff learns the process (at the
/// session, or at the hosted flow's return) and completes when the phone reads the result.
#[tokio::test]
async fn hosted_and_sdk_captures_on_the_phone_complete_the_handoff() {
    let s = servers().await;
    let mut desktop = EndUser::new(&s.host_url);

    // Hosted (embed): the capture URL names no process; the phone's first read names it.
    let (status, created) = create(
        &mut desktop,
        "?scenario=accepted",
        json!({ "mode": "embed" }),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    let mut phone = Phone::new(&s.host_url);
    let (status, _, page) = phone.open(created["url"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert!(page.contains("mode=\"embed\""), "{page}");
    pair(&mut desktop, id, &phone).await;
    let (status, session) = json(
        phone
            .session("?scenario=accepted", json!({ "mode": "embed" }))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{session}");
    let dossier_id = session["dossierId"].as_str().unwrap();
    let (_, body) = events(&mut desktop, id).await;
    assert_eq!(body["status"], "capturing");
    assert_eq!(body["dossierId"], dossier_id);
    assert!(body.get("processId").is_none(), "{body}");
    let art = artifact_of(session["url"].as_str().unwrap());
    let process_id = artifact(&s.sim_url, &art).await["processId"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(finish(&s.sim_url, &art, "accepted").await.0, 200);
    let (status, body) = json(phone.result(dossier_id, &process_id).await).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = events(&mut desktop, id).await;
    assert_eq!(body["status"], "complete");
    assert_eq!(body["processId"], process_id.as_str());

    // VideoID's web SDK: the session names the process.
    let (id, phone, session) = sdk_phone(&s, &mut desktop).await;
    let id = id.as_str();
    let (dossier_id, process_id) = (
        session["dossierId"].as_str().unwrap(),
        session["processId"].as_str().unwrap(),
    );
    assert_eq!(events(&mut desktop, id).await.1["processId"], process_id);
    // Still pending: reading it does not complete the handoff.
    assert_eq!(phone.result(dossier_id, process_id).await.status(), 200);
    assert_eq!(events(&mut desktop, id).await.1["status"], "capturing");
    sdk_capture(&session).await;
    assert_eq!(phone.result(dossier_id, process_id).await.status(), 200);
    let (_, body) = events(&mut desktop, id).await;
    assert_eq!(body["status"], "complete");
    assert_eq!(body["processId"], process_id);
    s.shutdown().await;
}

/// The phone may be gone once its capture ends: Assure's `process.complete` webhook completes
/// the handoff without the phone reading anything.
#[tokio::test]
async fn the_webhook_completes_a_handoff_the_phone_left() {
    let s = servers().await;
    let mut desktop = EndUser::new(&s.host_url);
    let (id, _phone, session) = sdk_phone(&s, &mut desktop).await;
    let id = id.as_str();
    sdk_capture(&session).await;
    // The desktop polls, as the element does, until the webhook arrived.
    let mut last = Value::Null;
    for _ in 0..400 {
        last = events(&mut desktop, id).await.1;
        if last["status"] == "complete" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(last["status"], "complete", "{last}");
    assert_eq!(last["processId"], session["processId"]);
    s.shutdown().await;
}

/// An event about the phone's process before it ended (forged, early or replayed): Assure
/// says the process is still pending, so the handoff does not complete.
#[tokio::test]
async fn an_event_ends_a_handoff_only_on_a_final_status() {
    let s = servers_with(|c| {
        c.webhook_secret = Some(WEBHOOK_SECRET.to_string());
        c.sim_webhook = videoid_www::Webhook::Off;
    })
    .await;
    let mut desktop = EndUser::new(&s.host_url);
    let (id, _phone, session) = sdk_phone(&s, &mut desktop).await;
    let event = process_complete(
        "early-1",
        session["dossierId"].as_str().unwrap(),
        session["processId"].as_str().unwrap(),
    );
    let hook = format!("{}/api/videoid/events/{WEBHOOK_SECRET}", s.host_url);
    let (status, body) = json(client().post(&hook).json(&event).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    let (_, shown) = events(&mut desktop, &id).await;
    assert_eq!(shown["status"], "capturing", "{shown}");
    s.shutdown().await;
}

/// A handoff in `mode: "sdk"` whose link a new phone opened and whose session it started:
/// the handoff's id, the phone and its session answer.
async fn sdk_phone(s: &Servers, desktop: &mut EndUser) -> (String, Phone, Value) {
    let (status, created) = create(desktop, "?scenario=accepted", json!({ "mode": "sdk" })).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let mut phone = Phone::new(&s.host_url);
    assert_eq!(phone.open(created["url"].as_str().unwrap()).await.0, 200);
    pair(desktop, &id, &phone).await;
    let (status, session) = json(
        phone
            .session("?scenario=accepted", json!({ "mode": "sdk" }))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{session}");
    (id, phone, session)
}

/// The simulated web SDK's whole capture for an sdk session answer.
async fn sdk_capture(session: &Value) {
    let provider_api = session["sdkUrl"]
        .as_str()
        .unwrap()
        .strip_suffix("/js/videoid.js")
        .unwrap()
        .to_string();
    sdk_video(
        &provider_api,
        session["authorization"].as_str().unwrap(),
        session["idType"].as_u64().unwrap() as u32,
    )
    .await;
}
