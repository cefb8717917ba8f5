//! Native capture in Chromium with its fake camera and microphone allowed
//! (profile `tests/webdriver/fake-camera.json`), against the stub backend.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use js_sys::Promise;
use videoid_capture::core::native::{media_failure, Device, Facing, Quality};
use videoid_capture::media::{BrowserMedia, MediaAccess, MediaRequest};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn camera(quality: Quality) -> MediaRequest {
    MediaRequest {
        device: Device::Camera,
        facing: Facing::Environment,
        quality,
    }
}

/// The size of the stream's video track.
fn video_size(stream: &web_sys::MediaStream) -> (f64, f64) {
    let track: web_sys::MediaStreamTrack = stream.get_video_tracks().get(0).dyn_into().unwrap();
    let settings = track.get_settings();
    let read = |key: &str| {
        js_sys::Reflect::get(&settings, &key.into())
            .unwrap()
            .as_f64()
            .unwrap()
    };
    (read("width"), read("height"))
}

#[wasm_bindgen_test]
async fn the_fake_camera_gives_frames_of_the_size_asked_for() {
    let firefox = web_sys::window()
        .unwrap()
        .navigator()
        .user_agent()
        .unwrap()
        .contains("Firefox/");
    // Documents ask for at least 1280×720. Chromium's fake camera gives it;
    // Firefox's cannot, and says so the way the element's ladder expects.
    match BrowserMedia.request(camera(Quality::Document)).await {
        Ok(stream) => {
            assert!(!firefox, "Firefox's fake camera met 1280×720 after all");
            let (width, height) = video_size(&stream);
            assert!(width >= 1280.0 && height >= 720.0, "got {width}×{height}");
            let track: web_sys::MediaStreamTrack =
                stream.get_video_tracks().get(0).dyn_into().unwrap();
            videoid_capture::media::stop_tracks(&stream);
            assert_eq!(track.ready_state(), web_sys::MediaStreamTrackState::Ended);
        }
        Err(error) => {
            assert!(
                firefox,
                "only Firefox's fake camera is that small: {error:?}"
            );
            assert_eq!(error.name, "OverconstrainedError");
            assert_eq!(
                media_failure(&error),
                None,
                "the element relaxes, not fails"
            );
            let stream = BrowserMedia.request(camera(Quality::Ideal)).await.unwrap();
            let (width, height) = video_size(&stream);
            assert!(width > 0.0 && height > 0.0, "got {width}×{height}");
            videoid_capture::media::stop_tracks(&stream);
        }
    }

    let sound = BrowserMedia
        .request(MediaRequest {
            device: Device::Microphone,
            facing: Facing::User,
            quality: Quality::Any,
        })
        .await
        .unwrap();
    assert_eq!(sound.get_audio_tracks().length(), 1);
    assert_eq!(sound.get_video_tracks().length(), 0, "one kind per request");
    videoid_capture::media::stop_tracks(&sound);
}

/// Walks the capture through every step with the buttons, as a user would.
async fn capture_all(host: &Host, steps: &[&str], media: &ScriptedMedia) {
    for step in steps {
        assert!(
            wait_for_part(host, "capture-button", 8000).await,
            "no capture button for {step}"
        );
        assert_eq!(host.host.get_attribute("step").as_deref(), Some(*step));
        assert!(host.part("preview").is_some(), "a live preview for {step}");
        button(host, "capture-button").unwrap().click();
        let wait = if *step == "video" { 9000 } else { 5000 };
        assert!(
            wait_for_part(host, "confirm-button", wait).await,
            "no review for {step}"
        );
        assert!(host.part("review").is_some());
        assert_eq!(media.live(), 0, "the camera is off during review of {step}");
        assert!(
            host.part("preview").is_none(),
            "the preview is gone during review"
        );
        button(host, "confirm-button").unwrap().click();
        sleep(50).await;
    }
}

#[wasm_bindgen_test]
async fn a_native_capture_uploads_every_artifact_and_completes() {
    let host = Host::new();
    let media = ScriptedMedia::new(&[]);
    let handle = handle_with(
        &host,
        &native_props("front,back,selfie,video", false),
        media.clone(),
    );
    handle.start();
    capture_all(&host, &["front", "back", "selfie", "video"], &media).await;
    let result = host.wait_for("videoid-result", 1, 10_000).await;
    assert_eq!(result.len(), 1);
    assert_eq!(get_str(&result[0], "status"), "accepted");
    assert_eq!(
        get(&result[0], "final").as_bool(),
        Some(true),
        "a final status"
    );
    assert_eq!(host.state(), "complete");
    assert_eq!(handle.live_tracks(), 0, "every track stopped at the end");
    assert_eq!(
        media.streams.borrow().len(),
        5,
        "a camera for each step, plus the microphone"
    );
    assert_eq!(
        media.live(),
        0,
        "no stream the browser handed out is still live"
    );
    assert!(host.host.get_attribute("step").is_none());

    let received = stub_json("/received").await;
    let got = get(&received, "received");
    for step in ["front", "back", "selfie"] {
        let artifact = get(&got, step);
        assert_eq!(get_str(&artifact, "type"), "image/jpeg", "{step}");
        assert_eq!(get_str(&artifact, "head"), "ffd8ffe0", "{step} is a JPEG");
        assert!(get(&artifact, "bytes").as_f64().unwrap() > 1000.0);
    }
    let video = get(&got, "video");
    let kind = get_str(&video, "type");
    assert!(
        kind == "video/mp4" || kind == "video/webm",
        "video type {kind}"
    );
    assert!(get(&video, "bytes").as_f64().unwrap() > 1000.0);
    assert_eq!(get(&received, "completed").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn retake_discards_and_reopens_the_camera() {
    let host = Host::new();
    let media = ScriptedMedia::new(&[]);
    let handle = handle_with(&host, &native_props("selfie", false), media.clone());
    handle.start();
    assert!(wait_for_part(&host, "capture-button", 8000).await);
    assert_eq!(media.live(), 1);
    button(&host, "capture-button").unwrap().click();
    assert!(wait_for_part(&host, "retake-button", 5000).await);
    assert_eq!(media.live(), 0, "the camera is off during review");
    button(&host, "retake-button").unwrap().click();
    assert!(
        host.part("review").is_none(),
        "the discarded capture is gone"
    );
    assert!(wait_for_part(&host, "capture-button", 8000).await);
    assert_eq!(media.live(), 1, "the camera is back");
    handle.cancel();
    assert_eq!(media.live(), 0, "cancel stops every track at once");
    assert_eq!(host.events("videoid-cancel").len(), 1);
}

/// Ends the camera's track right before each of two captures of `step`: the
/// first failure must show and be announced, without a failure event.
async fn fail_twice(host: &Host, step: &str, media: &ScriptedMedia) {
    for attempt in 0..2 {
        assert!(wait_for_part(host, "capture-button", 8000).await);
        media.end_video();
        button(host, "capture-button").unwrap().click();
        if attempt == 0 {
            let missed = "That didn't work — try again.";
            assert!(
                wait_for_text(host, "message", missed, 5000).await,
                "{step}: the failure shows on screen"
            );
            let status = host.part("status").unwrap().text_content().unwrap();
            assert!(status.contains(missed), "and is announced: {status}");
            assert!(host.events("videoid-failed").is_empty());
            assert!(cameras_asked(media) <= 2, "{step}: one reopening, no loop");
        }
    }
}

/// How many camera streams the browser handed out (the video step asks for
/// the microphone apart, and a refused constraint asks again more laxly).
fn cameras_asked(media: &ScriptedMedia) -> usize {
    media
        .streams
        .borrow()
        .iter()
        .filter(|s| s.get_video_tracks().length() > 0)
        .count()
}

#[wasm_bindgen_test]
async fn a_recording_that_fails_twice_ends_as_device_unsupported_recorder() {
    let host = Host::new();
    let media = ScriptedMedia::new(&[]);
    let handle = handle_with(&host, &native_props("video", false), media.clone());
    handle.start();
    fail_twice(&host, "video", &media).await;
    let failed = host.wait_for("videoid-failed", 1, 8000).await;
    assert_eq!(failed.len(), 1);
    assert_eq!(get_str(&failed[0], "code"), "Device.Unsupported");
    assert_eq!(get_str(&get(&failed[0], "detail"), "reason"), "recorder");
    assert_eq!(host.state(), "failed");
    assert_eq!(cameras_asked(&media), 2, "asked again once, then stopped");
    assert_eq!(media.live(), 0, "no stream left live");
    assert_eq!(handle.live_tracks(), 0);
    let received = stub_json("/received").await;
    assert!(
        get(&get(&received, "received"), "video").is_undefined(),
        "nothing was uploaded"
    );
}

#[wasm_bindgen_test]
async fn a_still_that_fails_twice_offers_the_file_picker_for_documents() {
    let host = Host::new();
    let media = ScriptedMedia::new(&[]);
    let handle = handle_with(&host, &native_props("front", true), media.clone());
    handle.start();
    fail_twice(&host, "front", &media).await;
    let mut waited = 0;
    let picker_hidden = |h: &Host| {
        h.part("file-label")
            .and_then(|l| l.get_attribute("hidden"))
            .is_some()
    };
    while picker_hidden(&host) && waited < 5000 {
        sleep(20).await;
        waited += 20;
    }
    assert!(!picker_hidden(&host), "the file picker shows");
    assert_eq!(
        cameras_asked(&media),
        2,
        "asked again once, then the picker"
    );
    assert!(host.events("videoid-failed").is_empty());
    assert_eq!(media.live(), 0, "the camera is off");
    assert_eq!(handle.live_tracks(), 0);
    handle.cancel();
}

#[wasm_bindgen_test]
async fn inactivity_stops_the_camera_with_inactive_user_aborted() {
    let host = Host::new();
    let mut props = native_props("front", false);
    props.retain(|(k, _)| *k != "inactivity-timeout");
    props.push(("inactivity-timeout", "1".into()));
    let media = ScriptedMedia::new(&[]);
    let handle = handle_with(&host, &props, media.clone());
    handle.start();
    assert!(wait_for_part(&host, "capture-button", 8000).await);
    let failed = host.wait_for("videoid-failed", 1, 4000).await;
    assert_eq!(get_str(&failed[0], "code"), "InactiveUser.Aborted");
    assert_eq!(media.live(), 0);
    assert_eq!(handle.live_tracks(), 0);
    assert!(host.part("preview").is_none());
}

#[wasm_bindgen_test]
async fn destroy_mid_capture_leaves_no_live_track() {
    let host = Host::new();
    let media = ScriptedMedia::new(&[]);
    let handle = handle_with(&host, &native_props("front", false), media.clone());
    handle.start();
    assert!(wait_for_part(&host, "capture-button", 8000).await);
    assert_eq!(media.live(), 1);
    handle.destroy();
    assert_eq!(media.live(), 0);
}

#[wasm_bindgen_test]
async fn injected_dom_exceptions_map_to_typed_failures() {
    for (device, name, code) in [
        (Device::Camera, "NotReadableError", "Device.InUse"),
        (
            Device::Camera,
            "SecurityError",
            "Permission.BlockedByPolicy",
        ),
        (Device::Camera, "AbortError", "Device.InUse"),
        (Device::Camera, "NotAllowedError", "Permission.CameraDenied"),
        (
            Device::Microphone,
            "NotAllowedError",
            "Permission.MicrophoneDenied",
        ),
        (Device::Microphone, "NotFoundError", "Device.NotFound"),
    ] {
        let host = Host::new();
        let media = ScriptedMedia::new(&[(device, name)]);
        let handle = handle_with(&host, &native_props("video", false), media.clone());
        handle.start();
        let failed = host.wait_for("videoid-failed", 1, 8000).await;
        assert_eq!(failed.len(), 1, "{name} on {device:?}");
        assert_eq!(get_str(&failed[0], "code"), code, "{name} on {device:?}");
        assert_eq!(handle.live_tracks(), 0, "{name}: the camera was released");
        assert_eq!(media.live(), 0, "{name}: no stream left live");
        // The mapping the adapter used is core's.
        let expected = media_failure(&videoid_capture::core::native::MediaError {
            name: name.into(),
            message: String::new(),
            device,
        });
        assert_eq!(expected.map(|f| f.code()), Some(code));
    }
}

#[wasm_bindgen_test]
async fn overconstrained_cameras_get_laxer_constraints_then_a_typed_failure() {
    let host = Host::new();
    let over = (Device::Camera, "OverconstrainedError");
    let media = ScriptedMedia::new(&[over, over]);
    let handle = handle_with(&host, &native_props("front", false), media.clone());
    handle.start();
    assert!(
        wait_for_part(&host, "capture-button", 8000).await,
        "the third, lax request works"
    );
    let qualities: Vec<Quality> = media.requests.borrow().iter().map(|r| r.quality).collect();
    assert_eq!(
        qualities,
        vec![Quality::Document, Quality::Ideal, Quality::Any]
    );
    handle.cancel();

    let host = Host::new();
    let media = ScriptedMedia::new(&[over, over, over]);
    let handle = handle_with(&host, &native_props("front", false), media);
    handle.start();
    let failed = host.wait_for("videoid-failed", 1, 8000).await;
    // Even the laxest request matched nothing: no camera (WebKit's answer for none).
    assert_eq!(get_str(&failed[0], "code"), "Device.NotFound");
}

#[wasm_bindgen_test]
async fn a_denied_camera_falls_back_to_a_picked_file_for_documents() {
    let host = Host::new();
    let media = ScriptedMedia::new(&[(Device::Camera, "NotAllowedError")]);
    let handle = handle_with(&host, &native_props("front", true), media.clone());
    flush().await;
    handle.start();
    let mut waited = 0;
    while host
        .part("file-label")
        .and_then(|l| l.get_attribute("hidden"))
        .is_some()
        && waited < 5000
    {
        sleep(20).await;
        waited += 20;
    }
    assert!(
        host.part("file-label")
            .unwrap()
            .get_attribute("hidden")
            .is_none(),
        "the file picker shows"
    );
    assert!(host.events("videoid-failed").is_empty());
    // First a file that is not an image: ignored, the picker stays. The page's
    // createImageBitmap is watched, so the test knows when the element's decode has failed.
    let decodes = watch_image_decodes();
    choose_file(
        &host,
        &[0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70],
        "image/jpeg",
    );
    let mut waited = 0;
    while decodes.length() == 0 && waited < 5000 {
        sleep(20).await;
        waited += 20;
    }
    let outcome = JsFuture::from(Promise::from(decodes.get(0))).await;
    assert_eq!(
        outcome.ok().and_then(|o| o.as_bool()),
        Some(false),
        "the decode failed"
    );
    unwatch_image_decodes();
    // A task after that one: the element's continuation, a microtask, has run.
    message_fence().await;
    assert!(
        host.part("review").is_none(),
        "an undecodable file is not taken"
    );
    // Then a real PNG photo, as a user would pick one.
    choose_file(&host, &png_bytes(64, 48), "image/png");
    assert!(wait_for_part(&host, "confirm-button", 3000).await);
    button(&host, "confirm-button").unwrap().click();
    let result = host.wait_for("videoid-result", 1, 8000).await;
    assert_eq!(result.len(), 1);
    let received = stub_json("/received").await;
    let front = get(&get(&received, "received"), "front");
    assert_eq!(get_str(&front, "type"), "image/jpeg", "re-encoded as JPEG");
    assert_eq!(get_str(&front, "head"), "ffd8ffe0");
    assert!(
        get(&front, "bytes").as_f64().unwrap() > 100.0,
        "the picked photo was uploaded"
    );
    assert_eq!(handle.live_tracks(), 0);
}

/// A PNG of `w`×`h` drawn on a canvas, as bytes.
fn png_bytes(w: u32, h: u32) -> Vec<u8> {
    let canvas: web_sys::HtmlCanvasElement = document()
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(w);
    canvas.set_height(h);
    let url = canvas.to_data_url_with_type("image/png").unwrap();
    let b64 = url.split_once(',').unwrap().1.to_string();
    let text = web_sys::window().unwrap().atob(&b64).unwrap();
    text.chars().map(|c| c as u8).collect()
}

/// Puts a file into the element's file input and fires `change`.
/// Wraps the page's `createImageBitmap`: each call adds to the returned list a promise of
/// whether that decode succeeded, settled just after the caller's own continuation is queued.
fn watch_image_decodes() -> js_sys::Array {
    js_sys::eval(
        "(() => {
           const decodes = [];
           const real = window.createImageBitmap;
           window.__realCreateImageBitmap = real;
           window.createImageBitmap = function (...args) {
             const made = real.apply(window, args);
             decodes.push(made.then(() => true, () => false));
             return made;
           };
           return decodes;
         })()",
    )
    .unwrap()
    .unchecked_into()
}

fn unwatch_image_decodes() {
    js_sys::eval("window.createImageBitmap = window.__realCreateImageBitmap").unwrap();
}

fn choose_file(host: &Host, bytes: &[u8], kind: &str) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::FilePropertyBag::new();
    options.set_type(kind);
    let file =
        web_sys::File::new_with_u8_array_sequence_and_options(&parts, "photo", &options).unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    let input: web_sys::HtmlInputElement = host.part("file-input").unwrap().dyn_into().unwrap();
    input.set_files(transfer.files().as_ref());
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}
