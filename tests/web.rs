//! Browser tests of the wasm handle and its adapters, in headless Chromium
//! (`wasm-bindgen-test-runner`). They mount the real handle into the test
//! page, talk to the runner's own HTTP server and to the stub backend (a
//! hostile one under `/hostile/`), and wait on real events. The UI is drawn by
//! Yew on its next turn: tests `flush()` its scheduler before reading markup.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlIFrameElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn mounting_renders_the_idle_screen_and_says_ready() {
    let host = Host::new();
    let _handle = host.handle(&[("session-endpoint", "/api/session")]);
    flush().await;
    assert_eq!(host.state(), "idle");
    let ready = host.events("videoid-ready");
    assert_eq!(ready.len(), 1);
    let entry = host.log.get(0);
    assert_eq!(get(&entry, "bubbles"), JsValue::TRUE);
    assert_eq!(get(&entry, "composed"), JsValue::TRUE);
    for part in [
        "container",
        "stage",
        "panel",
        "title",
        "message",
        "actions",
        "status",
    ] {
        assert!(host.part(part).is_some(), "part {part} is missing");
    }
    let status = host.part("status").unwrap();
    assert_eq!(status.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(status.get_attribute("aria-live").as_deref(), Some("polite"));
    let start = host.part("start-button").unwrap();
    assert_eq!(start.text_content().as_deref(), Some("Start verification"));
    assert_eq!(start.get_attribute("type").as_deref(), Some("button"));
}

#[wasm_bindgen_test]
async fn invalid_attributes_fail_with_the_field_named() {
    for (name, value) in [
        ("inactivity-timeout", "abc"),
        ("mode", "bogus"),
        ("allowed-origins", "not a url"),
    ] {
        let host = Host::new();
        let handle = host.handle(&[("session-endpoint", "/api/session"), (name, value)]);
        handle.start();
        flush().await;
        let failed = host.events("videoid-failed");
        assert_eq!(failed.len(), 1, "{name}");
        assert_eq!(get_str(&failed[0], "code"), "Config.Invalid");
        assert_eq!(get_str(&get(&failed[0], "detail"), "field"), name);
        assert_eq!(get(&failed[0], "recoverable"), JsValue::FALSE);
        assert_eq!(host.state(), "failed");
        assert!(host.part("title").is_some(), "the failure screen shows");
        assert!(
            host.part("retry-button").is_none(),
            "no retry for a page bug"
        );
    }
}

#[wasm_bindgen_test]
async fn a_rate_limit_is_a_recoverable_backend_error_that_says_how_long_to_wait() {
    let host = Host::new();
    let endpoint = format!("{STUB}/hostile/rate-limited");
    let handle = host.handle(&[("session-endpoint", endpoint.as_str())]);
    host.wait_for("videoid-ready", 1, 5000).await;
    handle.start();
    let failed = host.wait_for("videoid-failed", 1, 5000).await;
    assert_eq!(get_str(&failed[0], "code"), "Backend.Error");
    let detail = get(&failed[0], "detail");
    assert_eq!(get(&detail, "status").as_f64(), Some(429.0));
    assert_eq!(get(&detail, "retryAfter").as_f64(), Some(7.0));
    assert_eq!(get(&failed[0], "recoverable"), JsValue::TRUE);
    flush().await;
    assert!(
        host.part("retry-button").is_some(),
        "starting again is offered"
    );
}

#[wasm_bindgen_test]
async fn a_backend_error_keeps_its_status_and_offers_a_retry() {
    let host = Host::new();
    let handle = host.handle(&[("session-endpoint", "/no-such-endpoint"), ("lang", "nb")]);
    host.wait_for("videoid-ready", 1, 5000).await;
    handle.start();
    let failed = host.wait_for("videoid-failed", 1, 5000).await;
    assert_eq!(get_str(&failed[0], "code"), "Backend.Error");
    assert_eq!(
        get(&get(&failed[0], "detail"), "status").as_f64(),
        Some(404.0)
    );
    assert_eq!(
        get(&failed[0], "recoverable"),
        JsValue::FALSE,
        "a 404 will not heal by itself"
    );
    flush().await;
    let message = host.part("message").unwrap().text_content().unwrap();
    assert!(
        message.contains("Serveren"),
        "Norwegian message expected, got {message}"
    );
}

#[wasm_bindgen_test]
async fn an_unreachable_backend_is_a_network_failure() {
    let host = Host::new();
    let handle = host.handle(&[("session-endpoint", "http://127.0.0.1:9/session")]);
    handle.start();
    let failed = host.wait_for("videoid-failed", 1, 8000).await;
    assert_eq!(get_str(&failed[0], "code"), "Network.Unreachable");
    flush().await;
    assert!(host.part("retry-button").is_some());
    let status = host.part("status").unwrap().text_content().unwrap();
    assert!(
        status.contains("could not reach the server"),
        "announced: {status}"
    );
}

#[wasm_bindgen_test]
async fn a_frame_from_a_disallowed_origin_is_never_shown() {
    let host = Host::new();
    let handle = host.handle(&[("capture-url", "https://evil.example/capture/")]);
    handle.start();
    let failed = host.events("videoid-failed");
    assert_eq!(get_str(&failed[0], "code"), "Session.Invalid");
    assert_eq!(
        get_str(&get(&failed[0], "detail"), "reason"),
        "origin-not-allowed"
    );
    assert!(host.part("frame").is_none());
}

#[wasm_bindgen_test]
async fn the_same_origin_load_check_completes_exactly_once() {
    let host = Host::new();
    let url = format!(
        "{}/return-page?dossierId=d1&processId=p1&status=processing",
        origin()
    );
    let handle = host.handle(&[("capture-url", &url)]);
    flush().await;
    handle.start();
    assert_eq!(host.state(), "capturing");
    let frame = host.part("frame").unwrap();
    let allow = frame.get_attribute("allow").unwrap();
    assert_eq!(
        allow,
        format!("camera {0}; microphone {0}; fullscreen", origin())
    );
    let complete = host.wait_for("videoid-complete", 1, 5000).await;
    assert_eq!(complete.len(), 1);
    assert_eq!(get_str(&complete[0], "dossierId"), "d1");
    assert_eq!(get_str(&complete[0], "processId"), "p1");
    assert_eq!(
        host.state(),
        "complete",
        "no result endpoint: complete at once"
    );
    assert!(
        host.part("frame").is_none(),
        "the frame goes when the capture returns"
    );
    // Every message the return page posted before it went is handled by the time this
    // one, posted after them all, comes back.
    message_fence().await;
    assert_eq!(host.events("videoid-complete").len(), 1);
}

#[wasm_bindgen_test]
async fn only_well_formed_returns_from_our_own_frame_complete() {
    let host = Host::new();
    let url = format!("{}/capture-page", origin());
    let handle = host.handle(&[("capture-url", &url), ("inactivity-timeout", "60")]);
    flush().await;
    handle.start();
    let frame: HtmlIFrameElement = host.part("frame").unwrap().dyn_into().unwrap();
    // Wait until the capture page (not the frame's first blank document) has loaded, so
    // that script runs inside it.
    let loaded = |frame: &HtmlIFrameElement| {
        frame.content_document().is_some_and(|d| {
            d.ready_state() == "complete" && d.url().is_ok_and(|u| u.ends_with("/capture-page"))
        })
    };
    let mut waited = 0;
    while !loaded(&frame) && waited < 5000 {
        sleep(20).await;
        waited += 20;
    }
    assert!(loaded(&frame), "the capture page loads in the frame");
    let good = r#"{source:"videoid-capture",v:1,type:"return",dossierId:"d1",processId:"p1",status:"processing"}"#;
    // From the page itself: right origin, wrong source.
    let window = web_sys::window().unwrap();
    let message = js_sys::eval(
        r#"({source:"videoid-capture",v:1,type:"return",dossierId:"dW",processId:"p1",status:"processing"})"#,
    )
    .unwrap();
    window.post_message(&message, "*").unwrap();
    // From the frame, but malformed or of another protocol version.
    run_in_frame(
        &frame,
        r#"parent.postMessage({source:"videoid-capture",v:2,type:"return",dossierId:"d2",processId:"p1",status:"x"}, "*")"#,
    );
    run_in_frame(
        &frame,
        r#"parent.postMessage({source:"videoid-capture",v:1,type:"return",dossierId:"../d",processId:"p1",status:"x"}, "*")"#,
    );
    run_in_frame(
        &frame,
        r#"parent.postMessage("videoid-capture:return", "*")"#,
    );
    assert!(host.events("videoid-complete").is_empty());
    // The real thing: from our own frame, on our own origin, posted after every forgery, so
    // it is handled after them all (one window's messages are delivered in order). A forgery
    // taken would have completed first, with its own dossier.
    run_in_frame(
        &frame,
        &format!("parent.postMessage({good}, location.origin)"),
    );
    let complete = host.wait_for("videoid-complete", 1, 3000).await;
    assert_eq!(complete.len(), 1);
    assert_eq!(
        get_str(&complete[0], "dossierId"),
        "d1",
        "a forged or malformed return completed the flow"
    );
    assert_eq!(host.state(), "complete");
    message_fence().await;
    assert_eq!(host.events("videoid-complete").len(), 1);
}

#[wasm_bindgen_test]
async fn inactivity_aborts_and_activity_from_the_frame_defers_it() {
    let host = Host::new();
    let url = format!("{}/capture-page", origin());
    let handle = host.handle(&[("capture-url", &url), ("inactivity-timeout", "2")]);
    flush().await;
    handle.start();
    let frame: HtmlIFrameElement = host.part("frame").unwrap().dyn_into().unwrap();
    let mut waited = 0;
    while frame.content_document().and_then(|d| d.body()).is_none() && waited < 5000 {
        sleep(20).await;
        waited += 20;
    }
    // Keep the capture alive past its 2 s timeout with activity messages (each 400 ms
    // apart: room for a loaded machine before the 2 s run out).
    for _ in 0..8 {
        sleep(400).await;
        run_in_frame(
            &frame,
            r#"parent.postMessage({source:"videoid-capture",v:1,type:"activity"}, location.origin)"#,
        );
    }
    assert_eq!(
        host.state(),
        "capturing",
        "activity must reset the inactivity timer"
    );
    let failed = host.wait_for("videoid-failed", 1, 5000).await;
    assert_eq!(get_str(&failed[0], "code"), "InactiveUser.Aborted");
    assert!(host.part("frame").is_none());
}

#[wasm_bindgen_test]
async fn cancel_and_destroy_remove_the_frame_and_silence_the_element() {
    let host = Host::new();
    let url = format!("{}/capture-page", origin());
    let handle = host.handle(&[("capture-url", &url), ("inactivity-timeout", "1")]);
    flush().await;
    handle.start();
    assert!(host.part("frame").is_some());
    handle.cancel();
    assert_eq!(host.events("videoid-cancel").len(), 1);
    assert_eq!(host.state(), "cancelled");
    assert!(host.part("frame").is_none());
    assert!(host.events("videoid-failed").is_empty());

    handle.start();
    assert_eq!(host.state(), "capturing", "start after cancel is a retry");
    let before = host.log.length();
    handle.destroy();
    assert!(host.part("frame").is_none());
    sleep(1300).await;
    assert_eq!(
        host.log.length(),
        before,
        "no event after destroy (the inactivity timer was stopped)"
    );
    drop(handle);
    assert!(
        host.part("container").is_none(),
        "freeing the handle removes its markup"
    );
}

#[wasm_bindgen_test]
async fn buttons_drive_the_flow() {
    let host = Host::new();
    let _handle = host.handle(&[("session-endpoint", "/no-such-endpoint")]);
    flush().await;
    let start: HtmlElement = host.part("start-button").unwrap().dyn_into().unwrap();
    start.click();
    let failed = host.wait_for("videoid-failed", 1, 5000).await;
    assert_eq!(failed.len(), 1);
    assert_eq!(
        host.events("videoid-state").len(),
        2,
        "loading, then failed"
    );
}

/// Session answers a broken or hostile host backend can give, and the typed
/// failure (code, detail reason) each must become.
const HOSTILE_SESSIONS: [(&str, &str, Option<&str>); 15] = [
    ("server-error", "Backend.Error", None),
    ("empty-object", "Session.Invalid", Some("malformed-answer")),
    ("null-id", "Session.Invalid", Some("malformed-answer")),
    ("json-null", "Session.Invalid", Some("malformed-answer")),
    ("json-string", "Session.Invalid", Some("malformed-answer")),
    ("garbage", "Session.Invalid", Some("malformed-answer")),
    ("html", "Session.Invalid", Some("malformed-answer")),
    ("wrong-shape", "Session.Invalid", Some("malformed-answer")),
    ("not-an-object", "Session.Invalid", Some("malformed-answer")),
    ("oversized", "Session.Invalid", Some("malformed-answer")),
    (
        "oversized-chunked",
        "Session.Invalid",
        Some("malformed-answer"),
    ),
    ("javascript-url", "Session.Invalid", Some("bad-url")),
    ("foreign-url", "Session.Invalid", Some("origin-not-allowed")),
    ("reset", "Network.Unreachable", None),
    ("redirect", "Network.Unreachable", None),
];

/// Mounts one element per `case` on the stub's `/hostile/{case}` session endpoint and starts it.
fn hostile(cases: &[&str], extra: &[(&str, &str)]) -> Vec<(Host, videoid_capture::CaptureHandle)> {
    cases
        .iter()
        .map(|case| {
            let host = Host::new();
            let endpoint = format!("{STUB}/hostile/{case}");
            let mut props = vec![
                ("session-endpoint", endpoint.as_str()),
                ("allowed-origins", STUB),
            ];
            props.extend_from_slice(extra);
            let handle = host.handle(&props);
            handle.start();
            (host, handle)
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_hostile_backend_gets_a_typed_failure_for_every_fault() {
    let errors = PageErrors::new();
    let cases: Vec<&str> = HOSTILE_SESSIONS.iter().map(|(case, ..)| *case).collect();
    let elements = hostile(&cases, &[]);
    // Each fault shows at once: well before the 20 s deadline of a silent backend.
    for ((case, code, reason), (host, _handle)) in HOSTILE_SESSIONS.iter().zip(&elements) {
        let failed = host.wait_for("videoid-failed", 1, 10_000).await;
        assert_eq!(failed.len(), 1, "{case}: one failure");
        assert_eq!(get_str(&failed[0], "code"), *code, "{case}");
        let detail = get(&failed[0], "detail");
        match reason {
            Some(reason) => assert_eq!(get_str(&detail, "reason"), *reason, "{case}"),
            None if *code == "Backend.Error" => {
                assert_eq!(get(&detail, "status").as_f64(), Some(500.0), "{case}")
            }
            None => assert!(detail.is_null(), "{case}: no detail"),
        }
        assert_eq!(host.state(), "failed", "{case}");
        assert!(host.part("frame").is_none(), "{case}: no frame shown");
    }
    flush().await;
    for ((case, code, _), (host, _handle)) in HOSTILE_SESSIONS.iter().zip(&elements) {
        let retry = host.part("retry-button").is_some();
        // Only the passing faults (network, 5xx) are worth a retry.
        let transient = matches!(*code, "Network.Unreachable" | "Backend.Error");
        assert_eq!(retry, transient, "{case}: retry offered");
    }
    assert_eq!(
        errors.all(),
        Vec::<String>::new(),
        "no error reached the page"
    );
}

#[wasm_bindgen_test]
async fn a_backend_that_never_answers_is_unreachable_after_the_deadline() {
    let errors = PageErrors::new();
    // One never answers; the other starts an answer and never finishes it.
    let elements = hostile(&["silent", "stalled"], &[]);
    sleep(1000).await;
    for (host, _) in &elements {
        assert_eq!(host.state(), "loading", "still waiting before the deadline");
    }
    for (host, _) in &elements {
        let failed = host.wait_for("videoid-failed", 1, 30_000).await;
        assert_eq!(failed.len(), 1);
        assert_eq!(get_str(&failed[0], "code"), "Network.Unreachable");
        assert_eq!(host.state(), "failed");
    }
    assert_eq!(
        errors.all(),
        Vec::<String>::new(),
        "no error reached the page"
    );
}

#[wasm_bindgen_test]
async fn a_malformed_result_fails_the_capture_as_an_invalid_session() {
    let errors = PageErrors::new();
    let host = Host::new();
    let url = format!(
        "{}/return-page?dossierId=d1&processId=p1&status=processing",
        origin()
    );
    let result = format!("{STUB}/hostile/html");
    let handle = host.handle(&[("capture-url", &url), ("result-endpoint", &result)]);
    flush().await;
    handle.start();
    host.wait_for("videoid-complete", 1, 5000).await;
    let failed = host.wait_for("videoid-failed", 1, 10_000).await;
    assert_eq!(failed.len(), 1);
    assert_eq!(get_str(&failed[0], "code"), "Session.Invalid");
    assert_eq!(
        get_str(&get(&failed[0], "detail"), "reason"),
        "malformed-answer"
    );
    assert!(host.events("videoid-result").is_empty());
    assert_eq!(host.state(), "failed");
    assert_eq!(
        errors.all(),
        Vec::<String>::new(),
        "no error reached the page"
    );
}

#[wasm_bindgen_test]
async fn an_element_mounted_after_another_never_shows_the_old_screen() {
    let first = Host::new();
    let handle = first.handle(&[("session-endpoint", "/api/session"), ("mode", "bogus")]);
    handle.start();
    flush().await;
    assert!(first.part("title").is_some());
    assert_eq!(first.state(), "failed");
    let first_events = first.log.length();
    drop(handle);
    assert!(first.part("container").is_none(), "gone with its handle");

    // The next element may draw with the first one's app: never its screen.
    let second = Host::new();
    let _handle = second.handle(&[("session-endpoint", "/api/session")]);
    assert!(
        second.part("title").is_none(),
        "nothing shows before the first draw"
    );
    flush().await;
    assert_eq!(
        second
            .part("container")
            .unwrap()
            .get_attribute("data-state")
            .as_deref(),
        Some("idle")
    );
    assert!(second.part("start-button").is_some());
    assert!(first.part("container").is_none());
    second
        .part("start-button")
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    assert_eq!(
        second.events("videoid-state").len(),
        1,
        "its button drives it"
    );
    assert_eq!(first.log.length(), first_events, "not the first one");
}

#[wasm_bindgen_test]
async fn a_language_file_is_drawn_once_it_arrives_and_ready_waits_for_it() {
    let host = Host::new();
    let _handle = host.handle(&[("session-endpoint", "/api/session"), ("lang", "de-CH")]);
    // Yew's turn passes, the file is not there yet (the loader answers after 5 ms).
    flush().await;
    assert!(
        host.events("videoid-ready").is_empty(),
        "nothing is drawn before the strings"
    );
    assert!(host.part("container").is_none());
    host.wait_for("videoid-ready", 1, 5000).await;
    flush().await;
    let start = host.part("start-button").unwrap();
    assert_eq!(
        start.text_content().as_deref(),
        Some("Verifizierung starten")
    );
    let container = host.part("container").unwrap();
    assert_eq!(container.get_attribute("lang").as_deref(), Some("de"));
    assert_eq!(container.get_attribute("dir").as_deref(), Some("ltr"));
}

#[wasm_bindgen_test]
async fn arabic_is_laid_out_right_to_left() {
    let host = Host::new();
    let _handle = host.handle(&[("session-endpoint", "/api/session"), ("lang", "ar")]);
    host.wait_for("videoid-ready", 1, 5000).await;
    flush().await;
    let container = host.part("container").unwrap();
    assert_eq!(container.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(container.get_attribute("lang").as_deref(), Some("ar"));
    let title = host.part("title").unwrap().text_content().unwrap();
    assert_eq!(title, "التحقق من هويتك");
}

#[wasm_bindgen_test]
async fn a_language_that_cannot_load_shows_english_and_is_still_ready() {
    let host = Host::new();
    let _handle = host.handle(&[("session-endpoint", "/api/session"), ("lang", "fr")]);
    host.wait_for("videoid-ready", 1, 5000).await;
    flush().await;
    let start = host.part("start-button").unwrap();
    assert_eq!(start.text_content().as_deref(), Some("Start verification"));
    assert_eq!(
        host.part("container")
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("en"),
        "the markup says what it shows"
    );
}

#[wasm_bindgen_test]
async fn texts_replace_strings_live_and_a_lang_change_switches_language() {
    let host = Host::new();
    let handle = host.handle(&[("session-endpoint", "/api/session")]);
    let start = || host.part("start-button").unwrap().text_content().unwrap();
    flush().await;
    assert_eq!(start(), "Start verification");
    let texts = object_of(&[("start", "Verify with ID"), ("nope", "x")]);
    handle.set_texts(texts);
    flush().await;
    assert_eq!(start(), "Verify with ID", "at once, without a start");
    handle.update(props_of(&[
        ("session-endpoint", "/api/session"),
        ("lang", "nb"),
    ]));
    for _ in 0..100 {
        flush().await;
        if host
            .part("message")
            .unwrap()
            .text_content()
            .unwrap()
            .contains("ID-dokument")
        {
            break;
        }
        sleep(20).await;
    }
    assert!(host
        .part("message")
        .unwrap()
        .text_content()
        .unwrap()
        .contains("ID-dokument"));
    assert_eq!(
        start(),
        "Verify with ID",
        "the host's wording stays over the language"
    );
    handle.set_texts(JsValue::NULL);
    flush().await;
    assert_eq!(start(), "Start verifiseringen");
    assert_eq!(host.events("videoid-ready").len(), 1, "ready once");
}

#[wasm_bindgen_test]
async fn props_that_are_not_strings_count_as_absent() {
    // `mode` a number, `lang` a list: as if the element had neither attribute.
    let host = Host::new();
    let props = props_of(&[("session-endpoint", "/no-such-endpoint")]);
    js_sys::Reflect::set(&props, &"mode".into(), &JsValue::from(5)).unwrap();
    js_sys::Reflect::set(&props, &"lang".into(), &js_sys::Array::of1(&"de".into())).unwrap();
    js_sys::Reflect::set(&props, &"texts".into(), &JsValue::from(7)).unwrap();
    let handle =
        videoid_capture::CaptureHandle::new(host.host.clone(), host.mount.clone(), props).unwrap();
    host.wait_for("videoid-ready", 1, 5000).await;
    flush().await;
    let start = host.part("start-button").unwrap();
    assert_eq!(start.text_content().as_deref(), Some("Start verification"));
    handle.start();
    let failed = host.wait_for("videoid-failed", 1, 5000).await;
    assert_eq!(
        get_str(&failed[0], "code"),
        "Backend.Error",
        "the default mode asked the endpoint"
    );

    // A `mode` that is a string is read, and checked.
    let checked = Host::new();
    let handle = checked.handle(&[("session-endpoint", "/api/session"), ("mode", "bogus")]);
    handle.start();
    let failed = checked.wait_for("videoid-failed", 1, 5000).await;
    assert_eq!(get_str(&get(&failed[0], "detail"), "field"), "mode");

    // Props that are not an object at all: no attributes, still an element.
    let other = Host::new();
    let handle =
        videoid_capture::CaptureHandle::new(other.host.clone(), other.mount.clone(), 5.into())
            .unwrap();
    other.wait_for("videoid-ready", 1, 5000).await;
    handle.start();
    let failed = other.wait_for("videoid-failed", 1, 5000).await;
    assert_eq!(get_str(&failed[0], "code"), "Config.Invalid");
}

#[wasm_bindgen_test]
async fn the_handoff_is_offered_where_the_page_asks_and_its_call_goes_to_the_derived_endpoint() {
    let host = Host::new();
    let _auto = host.handle(&[("session-endpoint", "/api/session"), ("handoff", "auto")]);
    host.wait_for("videoid-ready", 1, 5000).await;
    flush().await;
    let button = host
        .part("handoff-button")
        .expect("auto offers the handoff");
    assert_eq!(
        button.text_content().as_deref(),
        Some("Continue on my phone")
    );
    // Without the attribute (the default is off: not every backend has the endpoint), or off.
    for handoff in [None, Some("off")] {
        let off = Host::new();
        let mut attributes = vec![("session-endpoint", "/api/session")];
        attributes.extend(handoff.map(|v| ("handoff", v)));
        let _off = off.handle(&attributes);
        off.wait_for("videoid-ready", 1, 5000).await;
        flush().await;
        assert!(
            off.part("handoff-button").is_none(),
            "{handoff:?} offers no handoff"
        );
    }

    // `always` asks the endpoint derived from session-endpoint at once (the
    // page's fetch records what goes out): the page's server has none, so the
    // answer is a 404, reported as such.
    js_sys::eval(
        "window.__calls = []; window.__fetch = window.fetch; \
         window.fetch = function (r) { window.__calls.push(r.method + ' ' + r.url); return window.__fetch.apply(this, arguments); };",
    )
    .unwrap();
    let always = Host::new();
    let handle = always.handle(&[
        ("session-endpoint", "/no-such-api/session?scenario=accepted"),
        ("handoff", "always"),
        ("mode", "native"),
    ]);
    always.wait_for("videoid-ready", 1, 5000).await;
    handle.start();
    let failed = always.wait_for("videoid-failed", 1, 5000).await;
    let calls: Vec<String> = js_sys::Array::from(&js_sys::eval("window.__calls").unwrap())
        .iter()
        .filter_map(|c| c.as_string())
        .collect();
    js_sys::eval("window.fetch = window.__fetch").unwrap();
    assert_eq!(
        calls,
        [format!(
            "POST {}/no-such-api/handoff?scenario=accepted",
            origin()
        )],
        "one POST to the handoff endpoint, none to the session endpoint"
    );
    assert_eq!(get_str(&failed[0], "code"), "Backend.Error");
    assert_eq!(
        get(&get(&failed[0], "detail"), "status").as_f64(),
        Some(404.0)
    );
    assert!(
        always.events("videoid-handoff").is_empty(),
        "no link, no status"
    );
    assert_eq!(handle.live_tracks(), 0, "no camera for a handoff");

    let bad = Host::new();
    let handle = bad.handle(&[
        ("session-endpoint", "/api/session"),
        ("handoff", "sometimes"),
    ]);
    bad.wait_for("videoid-ready", 1, 5000).await;
    handle.start();
    flush().await;
    let failed = bad.events("videoid-failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(get_str(&get(&failed[0], "detail"), "field"), "handoff");
}
