//! Native capture in Chromium profiles where the browser itself refuses or
//! lacks a device, or films a generated document. `scripts/test-wasm.sh` runs
//! this binary once per profile, names the profile in `VIDEOID_PROFILE`
//! (baked in at build time) and picks the tests by prefix: `profile_` for the
//! refusing profiles, `y4m_` for the file camera.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use videoid_capture::core::native::{Device, Facing, Quality};
use videoid_capture::media::{BrowserMedia, MediaAccess, MediaRequest};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Set by `scripts/test-wasm.sh`; a run without it fails in `expected()`.
const PROFILE: &str = match option_env!("VIDEOID_PROFILE") {
    Some(p) => p,
    None => "unset",
};

fn request(device: Device) -> MediaRequest {
    MediaRequest {
        device,
        facing: Facing::Environment,
        quality: Quality::Any,
    }
}

/// What each profile must answer: (camera error, microphone error, element failure code).
fn expected() -> (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
) {
    match PROFILE {
        "camera-denied" => (
            Some("NotAllowedError"),
            Some("NotAllowedError"),
            Some("Permission.CameraDenied"),
        ),
        "mic-denied" => (
            None,
            Some("NotAllowedError"),
            Some("Permission.MicrophoneDenied"),
        ),
        "no-device" => (
            Some("NotFoundError"),
            Some("NotFoundError"),
            Some("Device.NotFound"),
        ),
        "y4m" => (None, None, None),
        other => panic!("unknown profile {other}"),
    }
}

#[wasm_bindgen_test]
async fn profile_browser_answers_as_configured() {
    let (camera, microphone, _) = expected();
    for (device, want) in [(Device::Camera, camera), (Device::Microphone, microphone)] {
        let got = BrowserMedia.request(request(device)).await;
        match (want, got) {
            (None, Ok(stream)) => videoid_capture::media::stop_tracks(&stream),
            (Some(name), Err(error)) => {
                assert_eq!(error.name, name, "{PROFILE}: {device:?}");
                assert_eq!(error.device, device);
            }
            (want, Ok(_)) => panic!("{PROFILE}: {device:?} expected {want:?}, got a stream"),
            (None, Err(error)) => panic!("{PROFILE}: {device:?} expected a stream, got {error:?}"),
        }
    }
}

#[wasm_bindgen_test]
async fn profile_element_reports_the_typed_failure_and_holds_no_track() {
    let (_, _, code) = expected();
    let code = code.expect("this profile has no failure to report");
    let host = Host::new();
    // The video step asks for camera and microphone, each in its own request.
    let media = ScriptedMedia::new(&[]);
    let handle = handle_with(&host, &native_props("video", false), media.clone());
    handle.start();
    let failed = host.wait_for("videoid-failed", 1, 8000).await;
    assert_eq!(failed.len(), 1, "{PROFILE}");
    assert_eq!(get_str(&failed[0], "code"), code, "{PROFILE}");
    assert_eq!(get(&failed[0], "recoverable").as_bool(), Some(true));
    flush().await;
    assert!(
        host.part("retry-button").is_some(),
        "{PROFILE}: a retry that asks again"
    );
    assert_eq!(handle.live_tracks(), 0, "{PROFILE}: no track left live");
    assert_eq!(
        media.live(),
        0,
        "{PROFILE}: no stream the browser gave is live (mic denied: the camera was stopped)"
    );
}

#[wasm_bindgen_test]
async fn y4m_camera_gives_stills_of_its_size() {
    assert_eq!(PROFILE, "y4m", "run with the y4m profile");
    let (width, height): (u32, u32) = (
        option_env!("VIDEOID_Y4M_WIDTH").map_or(0, |w| w.parse().unwrap()),
        option_env!("VIDEOID_Y4M_HEIGHT").map_or(0, |h| h.parse().unwrap()),
    );
    assert!(
        width > 0 && height > 0,
        "VIDEOID_Y4M_WIDTH/HEIGHT name the file's size"
    );
    let host = Host::new();
    let media = ScriptedMedia::new(&[]);
    let handle = handle_with(&host, &native_props("front", false), media.clone());
    handle.start();
    assert!(wait_for_part(&host, "capture-button", 8000).await);
    let preview: web_sys::HtmlVideoElement = host.part("preview").unwrap().dyn_into().unwrap();
    assert_eq!(
        (preview.video_width(), preview.video_height()),
        (width, height)
    );
    // The generated document is sharp and still: auto-capture takes it, no click.
    let steps = host.wait_for("videoid-step", 1, 5000).await;
    assert_eq!(steps.len(), 1, "auto-capture took the still");
    assert_eq!(get(&steps[0], "auto").as_bool(), Some(true));
    assert_eq!(get_str(&get(&steps[0], "quality"), "verdict"), "good");
    assert!(wait_for_part(&host, "review", 5000).await);
    let review: web_sys::HtmlImageElement = host.part("review").unwrap().dyn_into().unwrap();
    let mut waited = 0;
    while review.natural_width() == 0 && waited < 3000 {
        sleep(20).await;
        waited += 20;
    }
    assert_eq!(
        (review.natural_width(), review.natural_height()),
        (width, height),
        "the still has the camera's size"
    );
    handle.cancel();
    assert_eq!(media.live(), 0);
}
